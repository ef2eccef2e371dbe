// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The procedure mirrors tests/reference_router.cc step by step; the data
// access is SQL. Queries are prepared once and reused per case.

#include "bench/sql_router.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/civil_date.h"
#include "src/base/status_macros.h"

namespace jiceng {
namespace bench {
namespace {

// ---------------------------------------------------------------------------
// SQLite.

class SqliteStatement : public SqlStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  ~SqliteStatement() override { sqlite3_finalize(s_); }
  void BindInt(int i, int64_t v) override { sqlite3_bind_int64(s_, i, v); }
  void BindDouble(int i, double v) override { sqlite3_bind_double(s_, i, v); }
  void BindText(int i, const std::string& v) override {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
  }
  void BindNull(int i) override { sqlite3_bind_null(s_, i); }
  absl::StatusOr<bool> Step() override {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return absl::InternalError(
        absl::StrCat("sqlite: ", sqlite3_errmsg(db_), " in ", sqlite3_sql(s_)));
  }
  bool IsNull(int col) override {
    return sqlite3_column_type(s_, col) == SQLITE_NULL;
  }
  int64_t Int(int col) override { return sqlite3_column_int64(s_, col); }
  std::string Text(int col) override {
    const unsigned char* t = sqlite3_column_text(s_, col);
    return t == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(t),
                                      sqlite3_column_bytes(s_, col));
  }
  void Reset() override {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
};

class SqliteDatabase : public SqlDatabase {
 public:
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  ~SqliteDatabase() override { sqlite3_close(db_); }
  absl::Status Execute(const std::string& sql) override {
    // SQLite's rowid tables: an INTEGER PRIMARY KEY is the b-tree key itself
    // (BIGINT, which PostgreSQL needs, would add a separate index).
    std::string text = sql;
    for (size_t at = 0;
         (at = text.find("BIGINT PRIMARY KEY", at)) != std::string::npos;) {
      text.replace(at, 6, "INTEGER");
    }
    char* error = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) !=
        SQLITE_OK) {
      absl::Status s = absl::InternalError(absl::StrCat("sqlite: ", error));
      sqlite3_free(error);
      return s;
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::unique_ptr<SqlStatement>> Prepare(
      const std::string& sql) override {
    // $N → ?N: SQLite's numbered parameters.
    std::string text = sql;
    std::replace(text.begin(), text.end(), '$', '?');
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, text.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      return absl::InternalError(
          absl::StrCat("sqlite: ", sqlite3_errmsg(db_), " in ", text));
    }
    return std::unique_ptr<SqlStatement>(new SqliteStatement(db_, s));
  }
  std::string Name() const override {
    return absl::StrCat("SQLite ", sqlite3_libversion());
  }

 private:
  sqlite3* db_;
};

// ---------------------------------------------------------------------------
// Helpers.

int32_t DayOrNull(const std::string& iso) {
  return iso.empty() ? -1 : *ParseIsoDate(iso);
}

bool ParseNumber(const std::string& text, double* out) {
  if (text.empty()) return false;
  const char* begin = text.c_str();
  char* end = nullptr;
  const double x = std::strtod(begin, &end);
  if (end != begin + text.size() || !std::isfinite(x)) return false;
  *out = x;
  return true;
}

bool IsSet(const v1::Duration& d) {
  return d.unit() != v1::TIME_UNIT_UNSPECIFIED && d.amount() > 0;
}

absl::Status Bad(const std::string& what) {
  return absl::InvalidArgumentError(what);
}

constexpr char kUnit[] = "UNIT:";
constexpr char kGrid[] = "GRID:";

}  // namespace

absl::StatusOr<std::unique_ptr<SqlDatabase>> OpenSqlite() {
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    sqlite3_close(db);
    return absl::InternalError("sqlite: cannot open an in-memory database");
  }
  return std::unique_ptr<SqlDatabase>(new SqliteDatabase(db));
}

SqlDecision FromRoutingDecision(const v1::RoutingDecision& d) {
  auto who = [](const v1::Handler& h) -> std::string {
    switch (h.kind()) {
      case v1::HANDLER_KIND_UNIT:
        return absl::StrCat(kUnit, h.code());
      case v1::HANDLER_KIND_GRID:
        return absl::StrCat(kGrid, h.code());
      default:
        return "";
    }
  };
  SqlDecision out;
  out.outcome = d.outcome();
  out.lead = who(d.lead());
  for (const v1::Handler& h : d.co_handlers()) out.co_handlers.push_back(who(h));
  out.tier = d.tier();
  for (const v1::Deadline& dl : d.deadlines()) {
    if (dl.stage() == v1::STAGE_HANDLE) out.handle_due = dl.due_at();
  }
  out.rule_id = d.rule_id().empty() ? d.scenario_code() : d.rule_id();
  return out;
}

std::string Describe(const SqlDecision& want, const SqlDecision& got) {
  std::vector<std::string> diffs;
  if (want.outcome != got.outcome) {
    diffs.push_back(absl::StrCat("outcome ", want.outcome, " vs ", got.outcome));
  }
  if (want.lead != got.lead) {
    diffs.push_back(absl::StrCat("lead ", want.lead, " vs ", got.lead));
  }
  if (want.co_handlers != got.co_handlers) {
    diffs.push_back(absl::StrCat("co [", absl::StrJoin(want.co_handlers, " "),
                                 "] vs [", absl::StrJoin(got.co_handlers, " "),
                                 "]"));
  }
  if (want.tier != got.tier) {
    diffs.push_back(absl::StrCat("tier ", want.tier, " vs ", got.tier));
  }
  if (want.handle_due != got.handle_due) {
    diffs.push_back(
        absl::StrCat("handle due ", want.handle_due, " vs ", got.handle_due));
  }
  if (want.rule_id != got.rule_id) {
    diffs.push_back(absl::StrCat("rule ", want.rule_id, " vs ", got.rule_id));
  }
  return absl::StrJoin(diffs, "; ");
}

// ---------------------------------------------------------------------------
// The router.

struct SqlRouter::Impl {
  // Configuration read once (as an application reads its settings).
  v1::RoutingPolicy policy;
  int offset_seconds = 0;
  int64_t per_day = 0;  // working seconds a day
  std::vector<std::pair<int64_t, int64_t>> windows;  // local seconds
  std::vector<int64_t> worked_before;                // per window

  std::unique_ptr<SqlStatement> region, matter, attribute, attribute_value,
      rules, co_handlers, first_unit, unit_kind, dept_up, dispatched,
      hotline_up, delegation, item, calendar_day, working_day, clear_attrs,
      add_attr;
  bool attrs_loaded = false;

  int64_t WorkedInDay(int64_t second) const {
    int64_t worked = 0;
    for (const auto& [start, end] : windows) {
      worked += std::clamp(second - start, int64_t{0}, end - start);
    }
    return worked;
  }
};

SqlRouter::SqlRouter(std::unique_ptr<SqlDatabase> db)
    : db_(std::move(db)), impl_(new Impl) {}
SqlRouter::~SqlRouter() = default;

absl::StatusOr<std::unique_ptr<SqlRouter>> SqlRouter::Load(
    std::unique_ptr<SqlDatabase> db, const std::string& schema,
    const v1::Dataset& d) {
  std::unique_ptr<SqlRouter> router(new SqlRouter(std::move(db)));
  SqlDatabase& sql = *router->db_;
  Impl& im = *router->impl_;
  JC_RETURN_IF_ERROR(sql.Execute(schema));
  JC_RETURN_IF_ERROR(sql.Execute("BEGIN"));

  auto prepare = [&](const std::string& text)
      -> absl::StatusOr<std::unique_ptr<SqlStatement>> {
    return sql.Prepare(text);
  };
  auto run = [](SqlStatement& s) -> absl::Status {
    absl::StatusOr<bool> r = s.Step();
    s.Reset();
    return r.status();
  };
  auto text_or_null = [](SqlStatement& s, int i, const std::string& v) {
    if (v.empty()) {
      s.BindNull(i);
    } else {
      s.BindText(i, v);
    }
  };
  auto int_or_null = [](SqlStatement& s, int i, int64_t v, int64_t null) {
    if (v == null) {
      s.BindNull(i);
    } else {
      s.BindInt(i, v);
    }
  };
  auto code_of = [](const std::string& code) -> int64_t {
    int64_t v = 0;
    return absl::SimpleAtoi(code, &v) ? v : -1;
  };

  // Regions: ETL computes the ancestors iteratively (parents come first in
  // a valid dataset's pre-order, but do not rely on it).
  std::map<int64_t, const v1::Region*> regions;
  for (const v1::Region& r : d.regions()) regions[code_of(r.code())] = &r;
  {
    auto ins = prepare(
        "INSERT INTO region VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    if (!ins.ok()) return ins.status();
    for (const auto& [code, r] : regions) {
      int64_t township = -1, village = -1, county = -1;
      int urban_rural = 0, tclass = 0;
      const v1::Region* township_region = nullptr;
      for (const v1::Region* a = r; a != nullptr;) {
        const int64_t ac = code_of(a->code());
        if (a->level() == v1::REGION_LEVEL_TOWNSHIP) {
          township = ac;
          township_region = a;
        }
        if (a->level() == v1::REGION_LEVEL_VILLAGE) village = ac;
        if (urban_rural == 0) urban_rural = a->urban_rural_class();
        if (a->parent_code().empty()) break;
        auto it = regions.find(code_of(a->parent_code()));
        a = it == regions.end() ? nullptr : it->second;
      }
      if (r->level() == v1::REGION_LEVEL_COUNTY) county = code;
      if (township_region != nullptr) {
        county = code_of(township_region->parent_code());
        tclass = township_region->township_class() ==
                         v1::TOWNSHIP_CLASS_UNSPECIFIED
                     ? v1::TOWNSHIP_CLASS_GENERAL
                     : township_region->township_class();
      }
      SqlStatement& s = **ins;
      s.BindInt(1, code);
      int_or_null(s, 2, r->parent_code().empty() ? -1 : code_of(r->parent_code()),
                  -1);
      s.BindInt(3, r->level());
      int_or_null(s, 4, township, -1);
      int_or_null(s, 5, village, -1);
      int_or_null(s, 6, county, -1);
      int_or_null(s, 7, tclass, 0);
      int_or_null(s, 8, urban_rural, 0);
      JC_RETURN_IF_ERROR(run(s));
    }
    // The ancestor closure, computed by the database from parent links.
    JC_RETURN_IF_ERROR(sql.Execute(
        "INSERT INTO region_ancestor WITH RECURSIVE up(code, ancestor, "
        "distance) AS (SELECT code, code, 0 FROM region UNION ALL "
        "SELECT up.code, r.parent, up.distance + 1 FROM up JOIN region r "
        "ON r.code = up.ancestor WHERE r.parent IS NOT NULL) "
        "SELECT code, ancestor, distance FROM up"));
  }

  // Units.
  std::map<std::string, const v1::Unit*> units;
  for (const v1::Unit& u : d.units()) units[u.code()] = &u;
  {
    auto ins = prepare("INSERT INTO unit VALUES ($1, $2, $3, $4, $5)");
    auto cover = prepare(
        "INSERT INTO dispatched_cover VALUES ($1, $2, $3) ON CONFLICT DO "
        "NOTHING");
    if (!ins.ok()) return ins.status();
    if (!cover.ok()) return cover.status();
    for (const auto& [code, u] : units) {
      std::string type = u->department_type();
      if (type.empty() && u->kind() == v1::UNIT_KIND_DISPATCHED) {
        auto it = units.find(u->parent_unit_code());
        if (it != units.end()) type = it->second->department_type();
      }
      SqlStatement& s = **ins;
      s.BindText(1, code);
      s.BindInt(2, u->kind());
      s.BindInt(3, code_of(u->region_code()));
      s.BindInt(4, u->centre_type());
      text_or_null(s, 5, type);
      JC_RETURN_IF_ERROR(run(s));
      if (u->kind() == v1::UNIT_KIND_DISPATCHED) {
        std::vector<std::string> covered = {u->region_code()};
        for (const std::string& t : u->covered_region_codes()) {
          covered.push_back(t);
        }
        for (const std::string& t : covered) {
          (*cover)->BindInt(1, code_of(t));
          (*cover)->BindText(2, type);
          (*cover)->BindText(3, code);
          JC_RETURN_IF_ERROR(run(**cover));
        }
      }
    }
  }

  const v1::Catalogue& cat = d.catalogue();
  std::map<std::string, v1::AttributeType> attribute_types;
  {
    auto ins = prepare("INSERT INTO attribute VALUES ($1, $2)");
    auto val = prepare("INSERT INTO attribute_value VALUES ($1, $2)");
    if (!ins.ok()) return ins.status();
    if (!val.ok()) return val.status();
    for (const v1::AttributeDefinition& a : cat.attributes()) {
      attribute_types[a.key()] = a.type();
      (*ins)->BindText(1, a.key());
      (*ins)->BindInt(2, a.type());
      JC_RETURN_IF_ERROR(run(**ins));
      for (const std::string& v : a.allowed_values()) {
        (*val)->BindText(1, a.key());
        (*val)->BindText(2, v);
        JC_RETURN_IF_ERROR(run(**val));
      }
    }
  }
  auto bind_handle = [&](SqlStatement& s, int i, const v1::Duration& h) {
    int_or_null(s, i, IsSet(h) ? h.amount() : -1, -1);
    int_or_null(s, i + 1, IsSet(h) ? h.unit() : -1, -1);
  };
  {
    auto ins = prepare("INSERT INTO matter VALUES ($1, $2, $3, $4, $5)");
    if (!ins.ok()) return ins.status();
    for (const v1::Matter& m : cat.matters()) {
      (*ins)->BindText(1, m.code());
      (*ins)->BindInt(2, m.major() ? 1 : 0);
      (*ins)->BindInt(3, m.category());
      bind_handle(**ins, 4, m.limits().handle());
      JC_RETURN_IF_ERROR(run(**ins));
    }
    auto item = prepare("INSERT INTO item VALUES ($1, $2, $3)");
    if (!item.ok()) return item.status();
    for (const v1::Item& i : cat.items()) {
      (*item)->BindText(1, i.code());
      bind_handle(**item, 2, i.limits().handle());
      JC_RETURN_IF_ERROR(run(**item));
    }
  }

  // Rules and scenarios.
  {
    auto ins = prepare(
        "INSERT INTO rule VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20)");
    auto value = prepare("INSERT INTO rule_value VALUES ($1, $2, $3)");
    auto co = prepare("INSERT INTO rule_co_handler VALUES ($1, $2, $3, $4, $5)");
    auto pred = prepare(
        "INSERT INTO rule_predicate VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
        "$9, $10)");
    auto pval = prepare("INSERT INTO predicate_value VALUES ($1, $2)");
    for (auto* p : {&ins, &value, &co, &pred, &pval}) {
      if (!p->ok()) return p->status();
    }
    int64_t rid = 0, pid = 0;
    auto add_predicates =
        [&](const google::protobuf::RepeatedPtrField<v1::AttributePredicate>&
                ps) -> absl::Status {
      for (const v1::AttributePredicate& p : ps) {
        const bool number =
            attribute_types[p.key()] == v1::ATTRIBUTE_TYPE_NUMBER;
        SqlStatement& s = **pred;
        s.BindInt(1, ++pid);
        s.BindInt(2, rid);
        s.BindText(3, p.key());
        s.BindInt(8, number ? 1 : 0);
        switch (p.test_case()) {
          case v1::AttributePredicate::kPresent:
            s.BindInt(4, 1);
            s.BindInt(5, p.present() ? 1 : 0);
            break;
          case v1::AttributePredicate::kEquals: {
            s.BindInt(4, 2);
            s.BindText(6, p.equals());
            double x = 0;
            if (number && ParseNumber(p.equals(), &x)) s.BindDouble(7, x);
            break;
          }
          case v1::AttributePredicate::kInSet:
            s.BindInt(4, 3);
            for (const std::string& v : p.in_set().values()) {
              (*pval)->BindInt(1, pid);
              (*pval)->BindText(2, v);
              JC_RETURN_IF_ERROR(run(**pval));
            }
            break;
          case v1::AttributePredicate::kRange:
            s.BindInt(4, 4);
            if (p.range().has_min()) s.BindDouble(9, p.range().min());
            if (p.range().has_max()) s.BindDouble(10, p.range().max());
            break;
          default:
            s.BindInt(4, 0);  // never holds
            break;
        }
        JC_RETURN_IF_ERROR(run(s));
      }
      return absl::OkStatus();
    };
    auto add_roles = [&](const google::protobuf::RepeatedPtrField<v1::Role>&
                             roles) -> absl::Status {
      int ord = 0;
      for (const v1::Role& r : roles) {
        (*co)->BindInt(1, rid);
        (*co)->BindInt(2, ord++);
        (*co)->BindInt(3, r.kind());
        text_or_null(**co, 4, r.department_type());
        text_or_null(**co, 5, r.unit_code());
        JC_RETURN_IF_ERROR(run(**co));
      }
      return absl::OkStatus();
    };
    auto add_values = [&](int dim, const auto& values) -> absl::Status {
      for (int v : values) {
        (*value)->BindInt(1, rid);
        (*value)->BindInt(2, dim);
        (*value)->BindInt(3, v);
        JC_RETURN_IF_ERROR(run(**value));
      }
      return absl::OkStatus();
    };
    for (const v1::DispatchRule& r : cat.rules()) {
      ++rid;
      int depth = 0;
      if (!r.region_code().empty()) {
        for (auto it = regions.find(code_of(r.region_code()));
             it != regions.end();
             it = regions.find(code_of(it->second->parent_code()))) {
          ++depth;
          if (it->second->parent_code().empty()) break;
        }
      }
      const int dims = (r.township_classes_size() > 0 ? 1 : 0) |
                       (r.urban_rural_classes_size() > 0 ? 2 : 0) |
                       (r.request_kinds_size() > 0 ? 4 : 0);
      const int npred = (r.township_classes_size() > 0 ? 1 : 0) +
                        (r.urban_rural_classes_size() > 0 ? 1 : 0) +
                        (r.request_kinds_size() > 0 ? 1 : 0) +
                        (r.min_urgency() > 0 || r.max_urgency() > 0 ? 1 : 0) +
                        r.attributes_size();
      SqlStatement& s = **ins;
      s.BindInt(1, rid);
      s.BindText(2, r.id());
      s.BindInt(3, 0);
      s.BindText(4, r.matter_code());
      s.BindInt(5, r.priority());
      s.BindInt(6, depth);
      s.BindInt(7, npred);
      int_or_null(s, 8, r.region_code().empty() ? -1 : code_of(r.region_code()),
                  -1);
      int_or_null(s, 9, DayOrNull(r.effective_date()), -1);
      int_or_null(s, 10, DayOrNull(r.end_date()), -1);
      s.BindInt(11, dims);
      s.BindInt(12, r.min_urgency());
      s.BindInt(13, r.max_urgency());
      text_or_null(s, 14, r.item_code());
      s.BindInt(15, r.tier());
      bind_handle(s, 16, r.limits().handle());
      s.BindInt(18, r.lead().kind());
      text_or_null(s, 19, r.lead().department_type());
      text_or_null(s, 20, r.lead().unit_code());
      JC_RETURN_IF_ERROR(run(s));
      JC_RETURN_IF_ERROR(add_values(1, r.township_classes()));
      JC_RETURN_IF_ERROR(add_values(2, r.urban_rural_classes()));
      JC_RETURN_IF_ERROR(add_values(4, r.request_kinds()));
      JC_RETURN_IF_ERROR(add_roles(r.co_handlers()));
      JC_RETURN_IF_ERROR(add_predicates(r.attributes()));
    }
    for (const v1::Scenario& sc : cat.scenarios()) {
      ++rid;
      SqlStatement& s = **ins;
      s.BindInt(1, rid);
      s.BindText(2, sc.code());
      s.BindInt(3, 1);
      s.BindText(4, sc.matter_code());
      s.BindInt(5, sc.priority());
      s.BindInt(6, 0);
      s.BindInt(7, sc.facts_size());
      s.BindNull(8);
      int_or_null(s, 9, DayOrNull(sc.effective_date()), -1);
      int_or_null(s, 10, DayOrNull(sc.end_date()), -1);
      s.BindInt(11, 0);
      s.BindInt(12, 0);
      s.BindInt(13, 0);
      text_or_null(s, 14, sc.item_code());
      s.BindInt(15, 0);
      s.BindNull(16);
      s.BindNull(17);
      s.BindInt(18, sc.lead().kind());
      text_or_null(s, 19, sc.lead().department_type());
      text_or_null(s, 20, sc.lead().unit_code());
      JC_RETURN_IF_ERROR(run(s));
      JC_RETURN_IF_ERROR(add_roles(sc.cooperators()));
      JC_RETURN_IF_ERROR(add_predicates(sc.facts()));
    }
  }

  // Delegations.
  {
    auto ins = prepare(
        "INSERT INTO delegation VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
    auto town = prepare(
        "INSERT INTO delegation_township VALUES ($1, $2) ON CONFLICT DO "
        "NOTHING");
    if (!ins.ok()) return ins.status();
    if (!town.ok()) return town.status();
    int64_t did = 0;
    // Ordered by id, so that "the first id" is the smallest did.
    std::vector<const v1::Delegation*> sorted;
    for (const v1::Delegation& g : cat.delegations()) sorted.push_back(&g);
    std::sort(sorted.begin(), sorted.end(),
              [](const v1::Delegation* a, const v1::Delegation* b) {
                return a->id() < b->id();
              });
    for (const v1::Delegation* g : sorted) {
      int32_t end = DayOrNull(g->end_date());
      const int32_t reclaimed = DayOrNull(g->reclaimed_date());
      if (reclaimed >= 0 && (end < 0 || reclaimed < end)) end = reclaimed;
      SqlStatement& s = **ins;
      s.BindInt(1, ++did);
      s.BindText(2, g->id());
      s.BindText(3, g->item_code());
      s.BindInt(4, g->mode());
      int_or_null(s, 5, DayOrNull(g->effective_date()), -1);
      int_or_null(s, 6, end, -1);
      int_or_null(s, 7, g->scope().township_class(), 0);
      int_or_null(s, 8,
                  g->scope().within_region_code().empty()
                      ? -1
                      : code_of(g->scope().within_region_code()),
                  -1);
      int_or_null(s, 9,
                  g->scope().region_code().empty()
                      ? -1
                      : code_of(g->scope().region_code()),
                  -1);
      JC_RETURN_IF_ERROR(run(s));
      for (const std::string& t : g->scope().township_codes()) {
        (*town)->BindInt(1, code_of(t));
        (*town)->BindInt(2, did);
        JC_RETURN_IF_ERROR(run(**town));
      }
    }
  }

  // The calendar.
  {
    const v1::WorkCalendar& c = d.calendar();
    std::set<int32_t> holidays, makeups, rest_weekdays;
    for (const v1::Holiday& h : c.holidays()) {
      for (int32_t x = *ParseIsoDate(h.first_date());
           x <= *ParseIsoDate(h.last_date()); ++x) {
        holidays.insert(x);
      }
    }
    for (const v1::MakeupWorkday& m : c.makeup_workdays()) {
      makeups.insert(*ParseIsoDate(m.date()));
    }
    for (int w : c.rest_weekdays()) rest_weekdays.insert(w);
    if (rest_weekdays.empty()) rest_weekdays = {6, 7};
    auto day = prepare("INSERT INTO calendar_day VALUES ($1, $2, $3)");
    auto wd = prepare("INSERT INTO working_day VALUES ($1, $2)");
    auto win = prepare("INSERT INTO calendar_window VALUES ($1, $2)");
    if (!day.ok()) return day.status();
    if (!wd.ok()) return wd.status();
    if (!win.ok()) return win.status();
    int64_t before = 0;
    const int32_t last = *ParseIsoDate(c.last_date());
    for (int32_t x = *ParseIsoDate(c.first_date()); x <= last; ++x) {
      const bool working =
          makeups.count(x) > 0 ||
          (holidays.count(x) == 0 && rest_weekdays.count(IsoWeekday(x)) == 0);
      (*day)->BindInt(1, x);
      (*day)->BindInt(2, working ? 1 : 0);
      (*day)->BindInt(3, before);
      JC_RETURN_IF_ERROR(run(**day));
      if (working) {
        (*wd)->BindInt(1, before++);
        (*wd)->BindInt(2, x);
        JC_RETURN_IF_ERROR(run(**wd));
      }
    }
    // 24:00 of the last day still belongs to the calendar.
    (*day)->BindInt(1, last + 1);
    (*day)->BindInt(2, 0);
    (*day)->BindInt(3, before);
    JC_RETURN_IF_ERROR(run(**day));
    for (const v1::WorkingWindow& w : c.windows()) {
      (*win)->BindInt(1, w.start_minute() * 60);
      (*win)->BindInt(2, w.end_minute() * 60);
      JC_RETURN_IF_ERROR(run(**win));
    }
  }
  JC_RETURN_IF_ERROR(sql.Execute("COMMIT"));
  JC_RETURN_IF_ERROR(sql.Execute("ANALYZE"));

  // Settings read once.
  im.policy = d.routing_policy();
  im.offset_seconds = d.calendar().utc_offset_minutes() * 60;
  {
    auto win = prepare(
        "SELECT start_second, end_second FROM calendar_window ORDER BY 1");
    if (!win.ok()) return win.status();
    int64_t worked = 0;
    for (;;) {
      absl::StatusOr<bool> row = (*win)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      im.windows.emplace_back((*win)->Int(0), (*win)->Int(1));
      im.worked_before.push_back(worked);
      worked += (*win)->Int(1) - (*win)->Int(0);
    }
    im.per_day = worked;
  }

  // The per-case statements.
  struct Q {
    std::unique_ptr<SqlStatement>* out;
    const char* text;
  };
  const Q queries[] = {
      {&im.region,
       "SELECT level, township, village, county, township_class, urban_rural "
       "FROM region WHERE code = $1"},
      {&im.matter,
       "SELECT major, category, handle_amount, handle_unit FROM matter WHERE "
       "code = $1"},
      {&im.attribute, "SELECT type FROM attribute WHERE key = $1"},
      {&im.attribute_value,
       "SELECT (SELECT count(*) FROM attribute_value WHERE key = $1), "
       "(SELECT count(*) FROM attribute_value WHERE key = $1 AND value = $2)"},
      // The matching rules, best first: every predicate in SQL.
      {&im.rules,
       "SELECT r.rid, r.id, r.scenario, r.priority, r.depth, r.npred, r.item, "
       "r.tier, r.handle_amount, r.handle_unit, r.lead_kind, r.lead_type, "
       "r.lead_unit FROM rule r "
       "WHERE r.matter = $1 "
       "AND (r.first_day IS NULL OR r.first_day <= $2) "
       "AND (r.end_day IS NULL OR $2 < r.end_day) "
       "AND (r.region IS NULL OR EXISTS (SELECT 1 FROM region_ancestor a "
       "     WHERE a.code = $3 AND a.ancestor = r.region)) "
       "AND ((r.dims & 1) = 0 OR EXISTS (SELECT 1 FROM rule_value v "
       "     WHERE v.rid = r.rid AND v.dim = 1 AND v.value = $4)) "
       "AND ((r.dims & 2) = 0 OR EXISTS (SELECT 1 FROM rule_value v "
       "     WHERE v.rid = r.rid AND v.dim = 2 AND v.value = $5)) "
       "AND ((r.dims & 4) = 0 OR EXISTS (SELECT 1 FROM rule_value v "
       "     WHERE v.rid = r.rid AND v.dim = 4 AND v.value = $6)) "
       "AND (r.min_urgency = 0 OR $7 >= r.min_urgency) "
       "AND (r.max_urgency = 0 OR $7 <= r.max_urgency) "
       "AND NOT EXISTS (SELECT 1 FROM rule_predicate p WHERE p.rid = r.rid "
       "  AND NOT (CASE p.test "
       "    WHEN 1 THEN p.present = (SELECT count(*) FROM case_attr a "
       "                             WHERE a.key = p.key) "
       "    WHEN 2 THEN EXISTS (SELECT 1 FROM case_attr a WHERE a.key = p.key "
       "      AND CASE WHEN p.is_number = 1 THEN a.num = p.equals_num "
       "               ELSE a.value = p.equals_text END) "
       "    WHEN 3 THEN EXISTS (SELECT 1 FROM case_attr a JOIN predicate_value "
       "      pv ON pv.pid = p.pid AND pv.value = a.value WHERE a.key = p.key) "
       "    WHEN 4 THEN EXISTS (SELECT 1 FROM case_attr a WHERE a.key = p.key "
       "      AND a.num IS NOT NULL "
       "      AND (p.min_value IS NULL OR a.num >= p.min_value) "
       "      AND (p.max_value IS NULL OR a.num <= p.max_value)) "
       "    ELSE 1 = 0 END)) "
       "ORDER BY r.priority DESC, r.depth DESC, r.npred DESC, r.id"},
      {&im.co_handlers,
       "SELECT kind, dept_type, unit FROM rule_co_handler WHERE rid = $1 "
       "ORDER BY ord"},
      {&im.first_unit,
       "SELECT code FROM unit WHERE region = $1 AND kind = $2 AND "
       "($3 = 0 OR centre_type = $3) ORDER BY code LIMIT 1"},
      {&im.unit_kind, "SELECT kind FROM unit WHERE code = $1"},
      {&im.dept_up,
       "SELECT u.code FROM region_ancestor a JOIN unit u ON u.region = "
       "a.ancestor AND u.kind = 3 AND u.dept_type = $2 WHERE a.code = $1 "
       "ORDER BY a.distance, u.code LIMIT 1"},
      {&im.dispatched,
       "SELECT c.code FROM dispatched_cover c WHERE c.township = $1 AND "
       "c.dept_type = $2 ORDER BY c.code LIMIT 1"},
      {&im.hotline_up,
       "SELECT u.code FROM region_ancestor a JOIN unit u ON u.region = "
       "a.ancestor AND u.kind = 5 AND u.centre_type = 3 WHERE a.code = $1 "
       "ORDER BY a.distance, u.code LIMIT 1"},
      {&im.delegation,
       "SELECT d.id, d.mode FROM delegation d WHERE d.item = $1 "
       "AND (d.first_day IS NULL OR d.first_day <= $2) "
       "AND (d.end_day IS NULL OR $2 < d.end_day) "
       "AND (EXISTS (SELECT 1 FROM delegation_township t "
       "             WHERE t.township = $3 AND t.did = d.did) "
       "  OR (d.township_class = $4 AND (d.within_region IS NULL OR EXISTS "
       "      (SELECT 1 FROM region_ancestor a WHERE a.code = $3 "
       "       AND a.ancestor = d.within_region))) "
       "  OR (d.region IS NOT NULL AND EXISTS (SELECT 1 FROM region_ancestor "
       "      a WHERE a.code = $3 AND a.ancestor = d.region))) "
       "ORDER BY d.did LIMIT 1"},
      {&im.item, "SELECT handle_amount, handle_unit FROM item WHERE code = $1"},
      {&im.calendar_day,
       "SELECT working, wd_before FROM calendar_day WHERE day = $1"},
      {&im.working_day, "SELECT day FROM working_day WHERE idx = $1"},
      {&im.clear_attrs, "DELETE FROM case_attr"},
      {&im.add_attr, "INSERT INTO case_attr VALUES ($1, $2, $3)"},
  };
  for (const Q& q : queries) {
    auto s = prepare(q.text);
    if (!s.ok()) return s.status();
    *q.out = std::move(*s);
  }
  return router;
}

absl::Status SqlRouter::Decide(const v1::Case& c, SqlDecision* out) {
  Impl& im = *impl_;
  *out = SqlDecision();
  // Statements are reset on every exit path.
  struct Resetter {
    Impl& im;
    ~Resetter() {
      for (auto* s : {&im.region, &im.matter, &im.attribute,
                      &im.attribute_value, &im.rules, &im.co_handlers,
                      &im.first_unit, &im.unit_kind, &im.dept_up,
                      &im.dispatched, &im.hotline_up, &im.delegation,
                      &im.item, &im.calendar_day, &im.working_day,
                      &im.clear_attrs, &im.add_attr}) {
        (*s)->Reset();
      }
    }
  } resetter{im};

  // 1. The case's own fields.
  if (c.extra_location_codes_size() > 0) {
    return absl::UnimplementedError("extra locations are not modelled");
  }
  struct Region {
    int level = 0;
    int64_t code = 0, township = -1, village = -1, county = -1;
    int tclass = 0, urban_rural = 0;
  } loc;
  {
    SqlStatement& s = *im.region;
    s.BindInt(1, static_cast<int64_t>(c.location_code()));
    absl::StatusOr<bool> row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Bad("location_code: unknown");
    loc.code = static_cast<int64_t>(c.location_code());
    loc.level = static_cast<int>(s.Int(0));
    if (!s.IsNull(1)) loc.township = s.Int(1);
    if (!s.IsNull(2)) loc.village = s.Int(2);
    if (!s.IsNull(3)) loc.county = s.Int(3);
    if (!s.IsNull(4)) loc.tclass = static_cast<int>(s.Int(4));
    if (!s.IsNull(5)) loc.urban_rural = static_cast<int>(s.Int(5));
    s.Reset();
  }
  if (loc.level < v1::REGION_LEVEL_TOWNSHIP) {
    return Bad("location_code: above township level");
  }
  bool major = false;
  int category = 0;
  v1::Duration matter_handle;
  {
    SqlStatement& s = *im.matter;
    s.BindText(1, c.matter_code());
    absl::StatusOr<bool> row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Bad("matter_code: unknown");
    major = s.Int(0) != 0;
    category = static_cast<int>(s.Int(1));
    if (!s.IsNull(2)) {
      matter_handle.set_amount(static_cast<int32_t>(s.Int(2)));
      matter_handle.set_unit(static_cast<v1::TimeUnit>(s.Int(3)));
    }
    s.Reset();
  }
  if (c.urgency() < 0 || c.urgency() > 4) return Bad("urgency");
  if (!v1::RequestKind_IsValid(c.request_kind())) return Bad("request_kind");
  if (c.reported_at() <= 0 || c.reported_at() > 253402300799) {
    return Bad("reported_at");
  }
  if (c.attributes_size() > 16) return Bad("attributes: too many");
  // The case's attributes, checked against the attribute tables and loaded
  // into case_attr for the rule query.
  if (im.attrs_loaded) {
    absl::StatusOr<bool> r = im.clear_attrs->Step();
    if (!r.ok()) return r.status();
    im.clear_attrs->Reset();
    im.attrs_loaded = false;
  }
  for (int i = 0; i < c.attributes_size(); ++i) {
    const v1::CaseAttribute& a = c.attributes(i);
    for (int j = 0; j < i; ++j) {
      if (c.attributes(j).key() == a.key()) return Bad("attributes: key twice");
    }
    SqlStatement& s = *im.attribute;
    s.BindText(1, a.key());
    absl::StatusOr<bool> row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Bad("attributes: unknown key");
    const int64_t type = s.Int(0);
    s.Reset();
    double x = 0;
    const bool numeric = ParseNumber(a.value(), &x);
    if (type == v1::ATTRIBUTE_TYPE_NUMBER) {
      if (!numeric) return Bad("attributes: not a number");
    } else if (type == v1::ATTRIBUTE_TYPE_BOOL) {
      if (a.value() != "true" && a.value() != "false") {
        return Bad("attributes: not true/false");
      }
    } else {
      SqlStatement& v = *im.attribute_value;
      v.BindText(1, a.key());
      v.BindText(2, a.value());
      absl::StatusOr<bool> r = v.Step();
      if (!r.ok()) return r.status();
      const bool restricted = v.Int(0) > 0, allowed = v.Int(1) > 0;
      v.Reset();
      if (restricted && !allowed) return Bad("attributes: not allowed");
    }
    SqlStatement& ins = *im.add_attr;
    ins.BindText(1, a.key());
    ins.BindText(2, a.value());
    if (numeric) {
      ins.BindDouble(3, x);
    } else {
      ins.BindNull(3);
    }
    absl::StatusOr<bool> r = ins.Step();
    if (!r.ok()) return r.status();
    ins.Reset();
    im.attrs_loaded = true;
  }

  auto first_unit = [&](int64_t region, int kind,
                        int centre) -> absl::StatusOr<std::string> {
    if (region < 0) return std::string();
    SqlStatement& s = *im.first_unit;
    s.BindInt(1, region);
    s.BindInt(2, kind);
    s.BindInt(3, centre);
    absl::StatusOr<bool> row = s.Step();
    if (!row.ok()) return row.status();
    std::string code = *row ? absl::StrCat(kUnit, s.Text(0)) : "";
    s.Reset();
    return code;
  };
  auto up_query = [&](SqlStatement& s, int64_t from,
                      const std::string* type) -> absl::StatusOr<std::string> {
    s.BindInt(1, from);
    if (type != nullptr) s.BindText(2, *type);
    absl::StatusOr<bool> row = s.Step();
    if (!row.ok()) return row.status();
    std::string code = *row ? absl::StrCat(kUnit, s.Text(0)) : "";
    s.Reset();
    return code;
  };
  auto unit_kind = [&](const std::string& unit) -> absl::StatusOr<int> {
    SqlStatement& s = *im.unit_kind;
    s.BindText(1, unit);
    absl::StatusOr<bool> row = s.Step();
    if (!row.ok()) return row.status();
    const int kind = *row ? static_cast<int>(s.Int(0)) : 0;
    s.Reset();
    return kind;
  };
  // catalogue.h's role resolution relative to the location.
  auto resolve = [&](int kind, const std::string& type,
                     const std::string& unit) -> absl::StatusOr<std::string> {
    switch (kind) {
      case v1::ROLE_KIND_TOWNSHIP_GOVERNMENT:
        return first_unit(loc.township, v1::UNIT_KIND_GOVERNMENT, 0);
      case v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM:
        return first_unit(loc.township, v1::UNIT_KIND_COMMAND_CENTRE,
                          v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM);
      case v1::ROLE_KIND_COUNTY_DEPARTMENT:
        return up_query(*im.dept_up, loc.county >= 0 ? loc.county : loc.code,
                        &type);
      case v1::ROLE_KIND_DISPATCHED_UNIT:
        if (loc.township < 0) return std::string();
        return up_query(*im.dispatched, loc.township, &type);
      case v1::ROLE_KIND_VILLAGE_COMMITTEE:
        return first_unit(loc.village, v1::UNIT_KIND_VILLAGE_COMMITTEE, 0);
      case v1::ROLE_KIND_GRID_WORKER:
        if (loc.level != v1::REGION_LEVEL_GRID) return std::string();
        return absl::StrCat(kGrid, loc.code);
      case v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE:
        return first_unit(loc.county, v1::UNIT_KIND_COMMAND_CENTRE,
                          v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
      case v1::ROLE_KIND_TOWNSHIP_ENFORCEMENT: {
        absl::StatusOr<std::string> team =
            first_unit(loc.township, v1::UNIT_KIND_ENFORCEMENT_TEAM, 0);
        if (!team.ok() || !team->empty()) return team;
        return first_unit(loc.township,
                          v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE, 0);
      }
      case v1::ROLE_KIND_HOTLINE_CENTRE:
        return up_query(*im.hotline_up, loc.code, nullptr);
      case v1::ROLE_KIND_NAMED_UNIT: {
        absl::StatusOr<int> k = unit_kind(unit);
        if (!k.ok()) return k.status();
        return *k == 0 ? std::string() : absl::StrCat(kUnit, unit);
      }
      default:
        return std::string();
    }
  };

  // 2. The rule in force on the reported local day.
  const int64_t local = c.reported_at() + im.offset_seconds;
  const int64_t day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  const int urgency = c.urgency() == 0 ? 1 : c.urgency();
  struct Rule {
    int64_t rid = 0;
    std::string id, item, lead_type, lead_unit;
    int lead_kind = 0, tier = 0;
    v1::Duration handle;
  } rule;
  int matched = 0;
  {
    SqlStatement& s = *im.rules;
    s.BindText(1, c.matter_code());
    s.BindInt(2, day);
    s.BindInt(3, loc.code);
    s.BindInt(4, loc.tclass);
    s.BindInt(5, loc.urban_rural);
    s.BindInt(6, c.request_kind());
    s.BindInt(7, urgency);
    int64_t key[3] = {0, 0, 0};
    for (;;) {
      absl::StatusOr<bool> row = s.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      const int64_t k[3] = {s.Int(3), s.Int(4), s.Int(5)};
      if (matched == 0) {
        std::copy(k, k + 3, key);
        rule.rid = s.Int(0);
        rule.id = s.Text(1);
        rule.item = s.Text(6);
        rule.tier = static_cast<int>(s.Int(7));
        if (!s.IsNull(8)) {
          rule.handle.set_amount(static_cast<int32_t>(s.Int(8)));
          rule.handle.set_unit(static_cast<v1::TimeUnit>(s.Int(9)));
        }
        rule.lead_kind = static_cast<int>(s.Int(10));
        rule.lead_type = s.Text(11);
        rule.lead_unit = s.Text(12);
        matched = 1;
      } else if (std::equal(k, k + 3, key)) {
        matched = 2;  // an equally specific rule: ambiguous
        break;
      } else {
        break;
      }
    }
    s.Reset();
  }
  v1::RoutingOutcome outcome = matched == 0   ? v1::ROUTING_OUTCOME_UNMAPPED
                               : matched == 2 ? v1::ROUTING_OUTCOME_AMBIGUOUS
                                              : v1::ROUTING_OUTCOME_ROUTED;
  const bool has_rule = matched == 1;

  std::string lead;
  std::vector<std::string> co;
  if (has_rule) {
    absl::StatusOr<std::string> l =
        resolve(rule.lead_kind, rule.lead_type, rule.lead_unit);
    if (!l.ok()) return l.status();
    lead = *l;
    // 3. The delegation overlay, when the rule names a department to lead.
    bool names_department =
        rule.lead_kind == v1::ROLE_KIND_COUNTY_DEPARTMENT ||
        rule.lead_kind == v1::ROLE_KIND_DISPATCHED_UNIT;
    if (rule.lead_kind == v1::ROLE_KIND_NAMED_UNIT) {
      absl::StatusOr<int> k = unit_kind(rule.lead_unit);
      if (!k.ok()) return k.status();
      names_department =
          *k == v1::UNIT_KIND_DEPARTMENT || *k == v1::UNIT_KIND_DISPATCHED;
    }
    int mode = 0;
    if (!rule.item.empty() && names_department) {
      SqlStatement& s = *im.delegation;
      s.BindText(1, rule.item);
      s.BindInt(2, day);
      s.BindInt(3, loc.township);
      s.BindInt(4, loc.tclass);
      absl::StatusOr<bool> row = s.Step();
      if (!row.ok()) return row.status();
      if (*row) mode = static_cast<int>(s.Int(1));
      s.Reset();
    }
    if (mode != 0) {
      if (!lead.empty()) co.push_back(lead);
      absl::StatusOr<std::string> by_mode = std::string();
      if (mode == v1::DELEGATION_MODE_OWN_NAME) {
        by_mode = first_unit(loc.township, v1::UNIT_KIND_ENFORCEMENT_TEAM, 0);
      } else if (mode == v1::DELEGATION_MODE_JOINT) {
        by_mode = first_unit(loc.township,
                             v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE, 0);
        if (by_mode.ok() && by_mode->empty()) {
          by_mode =
              first_unit(loc.township, v1::UNIT_KIND_ENFORCEMENT_TEAM, 0);
        }
      }
      if (by_mode.ok() && by_mode->empty()) {
        by_mode = first_unit(loc.township, v1::UNIT_KIND_GOVERNMENT, 0);
      }
      if (!by_mode.ok()) return by_mode.status();
      lead = *by_mode;
    }
    if (lead.empty()) {
      outcome = v1::ROUTING_OUTCOME_UNMAPPED;
    } else {
      std::vector<std::tuple<int, std::string, std::string>> roles;
      {
        SqlStatement& s = *im.co_handlers;
        s.BindInt(1, rule.rid);
        for (;;) {
          absl::StatusOr<bool> row = s.Step();
          if (!row.ok()) return row.status();
          if (!*row) break;
          roles.emplace_back(static_cast<int>(s.Int(0)), s.Text(1), s.Text(2));
        }
        s.Reset();
      }
      for (const auto& [kind, type, unit] : roles) {
        if (co.size() >= 8) break;
        absl::StatusOr<std::string> h = resolve(kind, type, unit);
        if (!h.ok()) return h.status();
        if (h->empty() || *h == lead ||
            std::find(co.begin(), co.end(), *h) != co.end()) {
          continue;
        }
        co.push_back(*h);
      }
    }
  }
  auto room = [&] {
    return first_unit(loc.township, v1::UNIT_KIND_COMMAND_CENTRE,
                      v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM);
  };
  if (outcome == v1::ROUTING_OUTCOME_UNMAPPED) {
    co.clear();
    absl::StatusOr<std::string> r = room();
    if (!r.ok()) return r.status();
    lead = *r;
    if (lead.empty()) {
      absl::StatusOr<std::string> centre =
          first_unit(loc.county, v1::UNIT_KIND_COMMAND_CENTRE,
                     v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
      if (!centre.ok()) return centre.status();
      lead = *centre;
    }
  } else if (outcome == v1::ROUTING_OUTCOME_AMBIGUOUS) {
    lead.clear();
  }
  const bool routed = outcome == v1::ROUTING_OUTCOME_ROUTED;

  // 4. The tier.
  const int major_urgency =
      im.policy.major_urgency() > 0 ? im.policy.major_urgency() : 4;
  int tier;
  bool lead_is_village_committee = false;
  if (routed && lead.rfind(kUnit, 0) == 0) {
    absl::StatusOr<int> k = unit_kind(lead.substr(sizeof(kUnit) - 1));
    if (!k.ok()) return k.status();
    lead_is_village_committee = *k == v1::UNIT_KIND_VILLAGE_COMMITTEE;
  }
  // A major case goes to the county whatever the rule says.
  if (major || urgency >= major_urgency) {
    tier = v1::HANDLING_TIER_COUNTY;
  } else if (routed && rule.tier != v1::HANDLING_TIER_UNSPECIFIED) {
    tier = rule.tier;
  } else if (routed && lead.rfind(kGrid, 0) == 0) {
    tier = v1::HANDLING_TIER_GRID;
  } else if (routed && lead_is_village_committee) {
    tier = v1::HANDLING_TIER_VILLAGE;
  } else {
    tier = v1::HANDLING_TIER_TOWNSHIP;
  }
  // A lead below the township (grid workers, a village committee) of a
  // case forced up to the county gives way to the county centre, and
  // becomes the first co-handler (routing.proto, REASON_LEAD_RAISED).
  const bool tier_from_rule = routed && rule.tier == tier;
  if (tier == v1::HANDLING_TIER_COUNTY && routed && !tier_from_rule &&
      (lead.rfind(kGrid, 0) == 0 || lead_is_village_committee)) {
    absl::StatusOr<std::string> centre =
        first_unit(loc.county, v1::UNIT_KIND_COMMAND_CENTRE,
                   v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
    if (!centre.ok()) return centre.status();
    if (!centre->empty()) {
      std::vector<std::string> raised = {lead};
      for (const std::string& h : co) {
        if (h != *centre && raised.size() < 8) raised.push_back(h);
      }
      co = std::move(raised);
      lead = *centre;
    }
  }
  if (tier == v1::HANDLING_TIER_COUNTY && routed && co.size() < 8) {
    absl::StatusOr<std::string> r = room();
    if (!r.ok()) return r.status();
    if (!r->empty() && *r != lead &&
        std::find(co.begin(), co.end(), *r) == co.end()) {
      co.push_back(*r);
    }
  }

  // 5. The handle deadline: rule, else (a hotline request with a kind)
  // the policy's limit for its kind, else item, else matter, else policy.
  v1::Duration limit;
  const bool by_kind = category == v1::MATTER_CATEGORY_HOTLINE &&
                       c.request_kind() != v1::REQUEST_KIND_UNSPECIFIED;
  if (has_rule && IsSet(rule.handle)) {
    limit = rule.handle;
  } else {
    bool found = false;
    if (!by_kind && has_rule && !rule.item.empty()) {
      SqlStatement& s = *im.item;
      s.BindText(1, rule.item);
      absl::StatusOr<bool> row = s.Step();
      if (!row.ok()) return row.status();
      if (*row && !s.IsNull(0)) {
        limit.set_amount(static_cast<int32_t>(s.Int(0)));
        limit.set_unit(static_cast<v1::TimeUnit>(s.Int(1)));
        found = IsSet(limit);
      }
      s.Reset();
    }
    if (!by_kind && !found && IsSet(matter_handle)) {
      limit = matter_handle;
      found = true;
    }
    if (!found) {
      const v1::RoutingPolicy& p = im.policy;
      const v1::Duration* per_kind = nullptr;
      int days = 5;
      switch (c.request_kind()) {
        case v1::REQUEST_KIND_CONSULT:
          per_kind = &p.consult_handle();
          days = 2;
          break;
        case v1::REQUEST_KIND_HELP:
          per_kind = &p.help_handle();
          days = 5;
          break;
        case v1::REQUEST_KIND_COMPLAINT:
          per_kind = &p.complaint_handle();
          days = 13;
          break;
        case v1::REQUEST_KIND_REPORT:
          per_kind = &p.report_handle();
          days = 13;
          break;
        case v1::REQUEST_KIND_SUGGESTION:
          per_kind = &p.suggestion_handle();
          days = 13;
          break;
        default:
          days = category == v1::MATTER_CATEGORY_HOTLINE ? 13 : 5;
          break;
      }
      limit.set_amount(days);
      limit.set_unit(v1::TIME_UNIT_WORKING_DAYS);
      if (IsSet(p.defaults().handle())) limit = p.defaults().handle();
      if (per_kind != nullptr && IsSet(*per_kind)) limit = *per_kind;
    }
  }
  int percent = 100;
  if (urgency == 2 && im.policy.urgent_percent() > 0) {
    percent = im.policy.urgent_percent();
  } else if (urgency == 3) {
    percent = im.policy.very_urgent_percent() > 0
                  ? im.policy.very_urgent_percent()
                  : 50;
  } else if (urgency == 4) {
    percent =
        im.policy.emergency_percent() > 0 ? im.policy.emergency_percent() : 25;
  }
  if (percent != 100) {
    // The shrunk limit in whole hours (working or calendar), at least one.
    int64_t hours = 0;
    switch (limit.unit()) {
      case v1::TIME_UNIT_WORKING_DAYS:
        hours = int64_t{limit.amount()} * (im.per_day / 60) * percent / 6000;
        limit.set_unit(v1::TIME_UNIT_WORKING_HOURS);
        break;
      case v1::TIME_UNIT_CALENDAR_DAYS:
        hours = int64_t{limit.amount()} * 24 * percent / 100;
        limit.set_unit(v1::TIME_UNIT_CALENDAR_HOURS);
        break;
      default:
        hours = int64_t{limit.amount()} * percent / 100;
        break;
    }
    limit.set_amount(static_cast<int32_t>(std::max<int64_t>(hours, 1)));
    percent = 100;
  }

  // Working time through the calendar tables.
  auto calendar_day = [&](int64_t d, int64_t* working,
                          int64_t* before) -> absl::Status {
    SqlStatement& s = *im.calendar_day;
    s.BindInt(1, d);
    absl::StatusOr<bool> row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      s.Reset();
      return absl::OutOfRangeError("outside the work calendar");
    }
    *working = s.Int(0);
    *before = s.Int(1);
    s.Reset();
    return absl::OkStatus();
  };
  auto working_day = [&](int64_t index, int64_t* d) -> absl::Status {
    SqlStatement& s = *im.working_day;
    s.BindInt(1, index);
    absl::StatusOr<bool> row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      s.Reset();
      return absl::OutOfRangeError("past the end of the work calendar");
    }
    *d = s.Int(0);
    s.Reset();
    return absl::OkStatus();
  };
  const int64_t from = c.reported_at();
  const int64_t from_day = day;
  const int64_t second = local - from_day * 86400;
  int64_t working = 0, before = 0;
  JC_RETURN_IF_ERROR(calendar_day(from_day, &working, &before));
  auto add_minutes = [&](int64_t minutes) -> absl::StatusOr<int64_t> {
    const int64_t base =
        before * im.per_day + (working != 0 ? im.WorkedInDay(second) : 0);
    size_t w = 0;
    int64_t index, r;
    if (minutes == 0) {
      index = base / im.per_day;
      r = base % im.per_day;
      while (w + 1 < im.windows.size() &&
             im.worked_before[w] + (im.windows[w].second - im.windows[w].first) <=
                 r) {
        ++w;
      }
    } else {
      const int64_t target = base + minutes * 60;
      index = (target - 1) / im.per_day;
      r = target - index * im.per_day;
      while (w + 1 < im.windows.size() &&
             im.worked_before[w] + (im.windows[w].second - im.windows[w].first) <
                 r) {
        ++w;
      }
    }
    int64_t d = 0;
    JC_RETURN_IF_ERROR(working_day(index, &d));
    return d * 86400 + im.windows[w].first + (r - im.worked_before[w]) -
           im.offset_seconds;
  };
  absl::StatusOr<int64_t> due;
  const int64_t n = limit.amount();
  switch (limit.unit()) {
    case v1::TIME_UNIT_WORKING_HOURS:
      due = add_minutes(n * 60 * percent / 100);
      break;
    case v1::TIME_UNIT_WORKING_DAYS:
      if (percent == 100) {
        int64_t target = before + working + n;
        if (n == 0 && working == 0) ++target;
        int64_t d = 0;
        JC_RETURN_IF_ERROR(working_day(target - 1, &d));
        due = d * 86400 + im.windows.back().second - im.offset_seconds;
      } else {
        due = add_minutes(n * (im.per_day / 60) * percent / 100);
      }
      break;
    case v1::TIME_UNIT_CALENDAR_HOURS:
      due = from + n * 3600 * percent / 100;
      break;
    case v1::TIME_UNIT_CALENDAR_DAYS: {
      // To the close of the first working day on or after the n-th day.
      int64_t w2 = 0, b2 = 0;
      JC_RETURN_IF_ERROR(calendar_day(from_day + n, &w2, &b2));
      int64_t d = 0;
      JC_RETURN_IF_ERROR(working_day(b2, &d));
      due = d * 86400 + im.windows.back().second - im.offset_seconds;
      break;
    }
    default:
      return absl::InternalError("a limit without a unit");
  }
  if (!due.ok()) return due.status();

  out->outcome = outcome;
  out->lead = lead;
  out->co_handlers = std::move(co);
  out->tier = static_cast<v1::HandlingTier>(tier);
  out->handle_due = *due;
  out->rule_id = has_rule ? rule.id : "";
  return absl::OkStatus();
}

}  // namespace bench
}  // namespace jiceng
