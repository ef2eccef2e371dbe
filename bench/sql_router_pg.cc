// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The PostgreSQL back end of the SQL baseline: libpq, server-side prepared
// statements (PQprepare once, PQexecPrepared per call), parameters and
// results in text format, as most integrators' drivers use them.

#include <libpq-fe.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/sql_router.h"

namespace jiceng {
namespace bench {
namespace {

class PgStatement : public SqlStatement {
 public:
  PgStatement(PGconn* conn, std::string name, int params)
      : conn_(conn), name_(std::move(name)), values_(params), null_(params) {}
  ~PgStatement() override { Clear(); }

  void BindInt(int i, int64_t v) override { Set(i, absl::StrCat(v)); }
  void BindDouble(int i, double v) override {
    Set(i, absl::StrFormat("%.17g", v));
  }
  void BindText(int i, const std::string& v) override { Set(i, v); }
  void BindNull(int i) override {
    if (i >= 1 && i <= static_cast<int>(values_.size())) null_[i - 1] = true;
  }
  absl::StatusOr<bool> Step() override {
    if (result_ == nullptr) {
      std::vector<const char*> p(values_.size());
      for (size_t i = 0; i < values_.size(); ++i) {
        p[i] = null_[i] ? nullptr : values_[i].c_str();
      }
      result_ = PQexecPrepared(conn_, name_.c_str(), static_cast<int>(p.size()),
                               p.data(), nullptr, nullptr, 0);
      const ExecStatusType st = PQresultStatus(result_);
      if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        return absl::InternalError(
            absl::StrCat("postgres: ", PQresultErrorMessage(result_)));
      }
      row_ = -1;
    }
    ++row_;
    return row_ < PQntuples(result_);
  }
  bool IsNull(int col) override { return PQgetisnull(result_, row_, col); }
  int64_t Int(int col) override {
    return std::strtoll(PQgetvalue(result_, row_, col), nullptr, 10);
  }
  std::string Text(int col) override {
    return std::string(PQgetvalue(result_, row_, col),
                       PQgetlength(result_, row_, col));
  }
  void Reset() override {
    Clear();
    for (size_t i = 0; i < null_.size(); ++i) null_[i] = true;
  }

 private:
  void Set(int i, std::string v) {
    if (i < 1 || i > static_cast<int>(values_.size())) return;
    values_[i - 1] = std::move(v);
    null_[i - 1] = false;
  }
  void Clear() {
    if (result_ != nullptr) PQclear(result_);
    result_ = nullptr;
  }

  PGconn* conn_;
  std::string name_;
  std::vector<std::string> values_;
  std::vector<bool> null_;
  PGresult* result_ = nullptr;
  int row_ = -1;
};

class PgDatabase : public SqlDatabase {
 public:
  explicit PgDatabase(PGconn* conn) : conn_(conn) {}
  ~PgDatabase() override { PQfinish(conn_); }

  absl::Status Execute(const std::string& sql) override {
    PGresult* r = PQexec(conn_, sql.c_str());
    const ExecStatusType st = PQresultStatus(r);
    absl::Status s = absl::OkStatus();
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      s = absl::InternalError(
          absl::StrCat("postgres: ", PQresultErrorMessage(r)));
    }
    PQclear(r);
    return s;
  }
  absl::StatusOr<std::unique_ptr<SqlStatement>> Prepare(
      const std::string& sql) override {
    // The number of parameters: the highest $N.
    int params = 0;
    for (size_t i = 0; i + 1 < sql.size(); ++i) {
      if (sql[i] != '$') continue;
      int n = 0;
      for (size_t j = i + 1; j < sql.size() && sql[j] >= '0' && sql[j] <= '9';
           ++j) {
        n = n * 10 + (sql[j] - '0');
      }
      params = std::max(params, n);
    }
    const std::string name = absl::StrCat("s", ++statements_);
    PGresult* r = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string error = ok ? "" : PQresultErrorMessage(r);
    PQclear(r);
    if (!ok) {
      return absl::InternalError(absl::StrCat("postgres: ", error, " in ", sql));
    }
    auto s = std::make_unique<PgStatement>(conn_, name, params);
    s->Reset();
    return std::unique_ptr<SqlStatement>(std::move(s));
  }
  std::string Name() const override {
    return absl::StrCat("PostgreSQL ", PQserverVersion(conn_) / 10000, ".",
                        PQserverVersion(conn_) % 10000);
  }

 private:
  PGconn* conn_;
  int statements_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqlDatabase>> OpenPostgres(
    const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string error = PQerrorMessage(conn);
    PQfinish(conn);
    return absl::UnavailableError(absl::StrCat("postgres: ", error));
  }
  return std::unique_ptr<SqlDatabase>(new PgDatabase(conn));
}

}  // namespace bench
}  // namespace jiceng
