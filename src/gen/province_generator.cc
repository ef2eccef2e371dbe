// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/gen/province_generator.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "jiceng/v1/calendar.pb.h"
#include "jiceng/v1/catalogue.pb.h"
#include "jiceng/v1/dataset.pb.h"
#include "jiceng/v1/hierarchy.pb.h"
#include "jiceng/v1/organization.pb.h"
#include "src/base/civil_date.h"
#include "src/base/splitmix64.h"
#include "src/hierarchy/hierarchy.h"

namespace jiceng {
namespace {

// Shares of micro and dedicated grids in `grids`, in percent.
constexpr int kMicroGridPercent = 3;
constexpr int kDedicatedGridPercent = 2;

// Capacities of the code segments the generator uses (see the header).
constexpr int kMaxCitiesPerProvince = 99;
constexpr int kMaxCountiesPerCity = 99;
constexpr int kMaxStreets = 99;     // 001–099
constexpr int kMaxTowns = 99;       // 101–199
constexpr int kMaxTownships = 199;  // 201–399
constexpr int kMaxTownshipsPerCounty = kMaxStreets + kMaxTowns + kMaxTownships;
constexpr int kMaxCommunities = 199;        // 001–199
constexpr int kMaxVillageCommittees = 199;  // 201–399
constexpr int kMaxVillagesPerTownship = kMaxCommunities + kMaxVillageCommittees;
constexpr int kMaxGridsPerVillage = 99;    // 01–99
constexpr int kMaxMicroGridsPerGrid = 99;  // 01–99

constexpr uint64_t kPow10[] = {1ull,
                               10ull,
                               100ull,
                               1000ull,
                               10000ull,
                               100000ull,
                               1000000ull,
                               10000000ull,
                               100000000ull,
                               1000000000ull,
                               10000000000ull,
                               100000000000ull,
                               1000000000000ull};

// SplitMix64's numbers (specified bit for bit, unlike the std::
// distributions, so every platform draws the same), scaled by
// multiply-shift rather than SplitMix64::Below's modulo.
class Rng {
 public:
  explicit Rng(uint64_t seed) : bits_(seed) {}

  uint64_t Next() { return bits_.Next(); }
  // Uniform in [0, n). REQUIRES: 1 <= n < 2^32. Multiply-shift, no modulo:
  // the bias (< 2^-32) is irrelevant here.
  uint32_t Below(uint32_t n) {
    return bits_.Scaled(n);
  }
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint32_t>(hi - lo + 1)));
  }
  bool Percent(int p) { return Below(100) < static_cast<uint32_t>(p); }

 private:
  SplitMix64 bits_;
};

uint64_t MixSeed(uint64_t seed, uint64_t salt) {
  Rng rng(seed ^ (salt * 0xD6E8FEB86659FD93ull));
  return rng.Next();
}

// `value * percent / 100`, rounded up or down at random in proportion to
// the fraction, so small counts do not always round the same way.
int64_t RandomRoundedShare(int64_t value, int percent, Rng& rng) {
  const int64_t scaled = value * percent;
  return scaled / 100 + (rng.Below(100) < scaled % 100 ? 1 : 0);
}

// Spreads `total` items over buckets with the given weights: every bucket
// gets at least 1 and at most cap[i]; the rest in proportion to the weights,
// the integer remainder one by one from a random bucket on.
// REQUIRES: buckets >= 1, buckets <= total <= sum(cap), cap[i] >= 1.
std::vector<int> Spread(int64_t total, const std::vector<uint32_t>& weight,
                        const std::vector<int>& cap, Rng& rng) {
  const size_t n = weight.size();
  std::vector<int> count(n, 1);
  const int64_t rest = total - static_cast<int64_t>(n);
  uint64_t weight_sum = 0;
  for (uint32_t w : weight) weight_sum += w;
  int64_t assigned = 0;
  for (size_t i = 0; i < n; ++i) {
    // rest < 2^31 and w < 2^16: the product fits easily.
    int64_t add = static_cast<int64_t>(static_cast<uint64_t>(rest) * weight[i] /
                                       weight_sum);
    add = std::min<int64_t>(add, cap[i] - 1);
    count[i] += static_cast<int>(add);
    assigned += add;
  }
  int64_t left = rest - assigned;
  size_t i = rng.Below(static_cast<uint32_t>(n));
  while (left > 0) {
    if (count[i] < cap[i]) {
      ++count[i];
      --left;
    }
    if (++i == n) i = 0;
  }
  return count;
}

// Weights base * [8, 16): enough spread to look real, never extreme.
std::vector<uint32_t> JitteredWeights(const std::vector<uint32_t>& base,
                                      Rng& rng) {
  std::vector<uint32_t> out(base.size());
  for (size_t i = 0; i < base.size(); ++i) {
    out[i] = base[i] * static_cast<uint32_t>(rng.Between(8, 15));
  }
  return out;
}

struct DepartmentTypeSpec {
  const char* code;
  const char* name;
  bool enforces;
};

// Luhe's 15 district departments (DOMAIN.md §2).
constexpr DepartmentTypeSpec kDepartmentTypes[] = {
    {"urban_management", "城市管理和综合行政执法局", true},
    {"market_supervision", "市场监督管理局", true},
    {"natural_resources", "自然资源和规划局", true},
    {"ecology_environment", "生态环境局", true},
    {"transport", "交通运输局", true},
    {"agriculture", "农业农村局", true},
    {"culture_tourism", "文化广电和旅游局", true},
    {"emergency_management", "应急管理局", true},
    {"health", "卫生健康委员会", true},
    {"housing_construction", "住房和城乡建设局", true},
    {"human_resources", "人力资源和社会保障局", true},
    {"ethnic_religious", "民族宗教事务局", false},
    {"public_security", "公安局", true},
    {"justice", "司法局", false},
    {"administrative_approval", "行政审批局", false},
};

struct DispatchedSpec {
  const char* department_type;
  const char* name;
};

constexpr DispatchedSpec kDispatched[] = {
    {"market_supervision", "市场监管所"},
    {"urban_management", "城管中队"},
    {"public_security", "派出所"},
};

constexpr char kPoliceStationType[] = "public_security";

struct OfficeSpec {
  v1::OfficeType type;
  const char* name;
};

// The "4" of 1+4+X.
constexpr OfficeSpec kOffices[] = {
    {v1::OFFICE_TYPE_PARTY_BUILDING, "党建综合办公室"},
    {v1::OFFICE_TYPE_DEVELOPMENT_SERVICES, "发展服务办公室"},
    {v1::OFFICE_TYPE_SAFETY_RULE_OF_LAW, "平安法治办公室"},
    {v1::OFFICE_TYPE_SOCIAL_AFFAIRS, "社会事务办公室"},
};

// A township's plan, drawn before any region is emitted.
struct TownshipPlan {
  int digits;  // 1..399
  v1::TownshipKind kind;
  v1::TownshipClass township_class;
};

struct VillagePlan {
  int digits;  // 1..399
  bool community;
  v1::UrbanRuralClass urban_rural_class;
};

std::string Pad(int value, int width) {
  std::string out(static_cast<size_t>(width), '0');
  for (int i = width - 1; i >= 0 && value > 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out;
}

// Appends regions, units and police grids of one province.
class ProvinceWriter {
 public:
  ProvinceWriter(const ProvinceOptions& options, int province_code,
                 v1::Dataset* out)
      : options_(options),
        province_code_(province_code),
        rng_(MixSeed(options.seed, static_cast<uint64_t>(province_code))),
        out_(out) {}

  void Write();

 private:
  void PlanTownships(const std::vector<int>& townships_per_county,
                     const std::vector<bool>& county_is_district);
  void PlanVillages(const std::vector<int>& villages_per_township);
  void PlanGrids();

  v1::Region* AddRegion(uint64_t code, uint64_t parent, v1::RegionLevel level,
                        std::string name);
  v1::Unit* AddUnit(std::string code, std::string name, v1::UnitKind kind,
                    const std::string& region_code,
                    std::string parent_unit_code);
  void AddTownshipUnits(const std::string& county_code, const std::string& code,
                        const std::string& name, const TownshipPlan& plan);
  void AddPoliceGrids(const std::string& township_code,
                      std::vector<std::string>* grid_codes);

  const ProvinceOptions& options_;
  const int province_code_;
  Rng rng_;
  v1::Dataset* out_;

  std::vector<int> counties_per_city_;
  std::vector<int> townships_per_county_;
  std::vector<TownshipPlan> townships_;
  std::vector<int> villages_per_township_;
  std::vector<VillagePlan> villages_;
  // Per village: base grids, then dedicated grids.
  std::vector<int> base_per_village_;
  std::vector<int> dedicated_per_village_;
  // Per base grid (in emission order), its micro grids; mostly zero.
  std::vector<uint8_t> micro_per_base_;
};

v1::Region* ProvinceWriter::AddRegion(uint64_t code, uint64_t parent,
                                      v1::RegionLevel level, std::string name) {
  v1::Region* r = out_->add_regions();
  r->set_code(absl::StrCat(code));
  if (parent != 0) r->set_parent_code(absl::StrCat(parent));
  r->set_level(level);
  r->set_name(std::move(name));
  return r;
}

v1::Unit* ProvinceWriter::AddUnit(std::string code, std::string name,
                                  v1::UnitKind kind,
                                  const std::string& region_code,
                                  std::string parent_unit_code) {
  v1::Unit* u = out_->add_units();
  u->set_code(std::move(code));
  u->set_name(std::move(name));
  u->set_kind(kind);
  u->set_region_code(region_code);
  if (!parent_unit_code.empty()) {
    u->set_parent_unit_code(std::move(parent_unit_code));
  }
  return u;
}

void ProvinceWriter::PlanTownships(const std::vector<int>& per_county,
                                   const std::vector<bool>& is_district) {
  townships_.reserve(static_cast<size_t>(options_.townships));
  for (size_t c = 0; c < per_county.size(); ++c) {
    const int n = per_county[c];
    // Districts 市辖区 are mostly streets; counties mostly towns.
    const int street_pct = is_district[c] ? 70 : 10;
    const int town_pct = is_district[c] ? 25 : 65;
    int streets = static_cast<int>(RandomRoundedShare(n, street_pct, rng_));
    int towns = static_cast<int>(RandomRoundedShare(n, town_pct, rng_));
    streets = std::min({streets, n, kMaxStreets});
    towns = std::min({towns, n - streets, kMaxTowns});
    int townships = n - streets - towns;
    if (townships > kMaxTownships) {
      int over = townships - kMaxTownships;
      townships = kMaxTownships;
      const int to_streets = std::min(over, kMaxStreets - streets);
      streets += to_streets;
      towns += over - to_streets;
    }
    const struct {
      int count;
      int first_digits;
      v1::TownshipKind kind;
    } runs[] = {{streets, 1, v1::TOWNSHIP_KIND_STREET},
                {towns, 101, v1::TOWNSHIP_KIND_TOWN},
                {townships, 201, v1::TOWNSHIP_KIND_TOWNSHIP}};
    for (const auto& run : runs) {
      for (int i = 0; i < run.count; ++i) {
        const uint32_t r = rng_.Below(100);
        const v1::TownshipClass cls = r < 70   ? v1::TOWNSHIP_CLASS_GENERAL
                                      : r < 95 ? v1::TOWNSHIP_CLASS_LARGE
                                               : v1::TOWNSHIP_CLASS_EXTRA_LARGE;
        townships_.push_back({run.first_digits + i, run.kind, cls});
      }
    }
  }
}

void ProvinceWriter::PlanVillages(const std::vector<int>& per_township) {
  villages_.reserve(static_cast<size_t>(options_.villages));
  for (size_t t = 0; t < per_township.size(); ++t) {
    const int n = per_township[t];
    const v1::TownshipKind kind = townships_[t].kind;
    const int community_pct = kind == v1::TOWNSHIP_KIND_STREET ? 85
                              : kind == v1::TOWNSHIP_KIND_TOWN ? 15
                                                               : 5;
    int communities =
        static_cast<int>(RandomRoundedShare(n, community_pct, rng_));
    // A town's seat is a community.
    if (kind == v1::TOWNSHIP_KIND_TOWN && n >= 2) {
      communities = std::max(communities, 1);
    }
    communities = std::min({communities, n, kMaxCommunities});
    int committees = n - communities;
    if (committees > kMaxVillageCommittees) {
      communities += committees - kMaxVillageCommittees;
      committees = kMaxVillageCommittees;
    }
    for (int i = 0; i < communities; ++i) {
      v1::UrbanRuralClass urc;
      switch (kind) {
        case v1::TOWNSHIP_KIND_STREET:
          urc = rng_.Percent(75) ? v1::URBAN_RURAL_CLASS_MAIN_URBAN
                                 : v1::URBAN_RURAL_CLASS_URBAN_RURAL_FRINGE;
          break;
        case v1::TOWNSHIP_KIND_TOWN:
          urc = v1::URBAN_RURAL_CLASS_TOWN_CENTRE;
          break;
        default:
          urc = v1::URBAN_RURAL_CLASS_TOWNSHIP_CENTRE;
          break;
      }
      villages_.push_back({1 + i, true, urc});
    }
    for (int i = 0; i < committees; ++i) {
      v1::UrbanRuralClass urc;
      switch (kind) {
        case v1::TOWNSHIP_KIND_STREET:
          urc = v1::URBAN_RURAL_CLASS_URBAN_RURAL_FRINGE;
          break;
        case v1::TOWNSHIP_KIND_TOWN:
          urc = rng_.Percent(25) ? v1::URBAN_RURAL_CLASS_TOWN_RURAL_FRINGE
                                 : v1::URBAN_RURAL_CLASS_VILLAGE;
          break;
        default:
          urc = v1::URBAN_RURAL_CLASS_VILLAGE;
          break;
      }
      villages_.push_back({201 + i, false, urc});
    }
  }
}

void ProvinceWriter::PlanGrids() {
  const int64_t villages = static_cast<int64_t>(villages_.size());
  const int64_t grids = options_.grids;
  // Every village keeps at least one base grid.
  const int64_t micro =
      std::min<int64_t>(grids * kMicroGridPercent / 100, grids - villages);
  const int64_t cells = grids - micro;  // base + dedicated
  const int64_t dedicated_target =
      std::min<int64_t>(grids * kDedicatedGridPercent / 100, cells - villages);

  // Urban communities are denser in grids than village committees.
  std::vector<uint32_t> base(villages_.size());
  for (size_t v = 0; v < villages_.size(); ++v) {
    base[v] = villages_[v].community ? 5 : 3;
  }
  const std::vector<int> cells_per_village =
      Spread(cells, JitteredWeights(base, rng_),
             std::vector<int>(villages_.size(), kMaxGridsPerVillage), rng_);

  // Dedicated grids: spread in proportion to the cells (a Bresenham walk
  // over the prefix sums), never taking a village's last base grid.
  base_per_village_.resize(villages_.size());
  dedicated_per_village_.resize(villages_.size());
  int64_t prefix = 0;
  int64_t owed = 0;
  for (size_t v = 0; v < villages_.size(); ++v) {
    const int64_t before = prefix * dedicated_target / cells;
    prefix += cells_per_village[v];
    owed += prefix * dedicated_target / cells - before;
    const int d =
        static_cast<int>(std::min<int64_t>(owed, cells_per_village[v] - 1));
    owed -= d;
    dedicated_per_village_[v] = d;
    base_per_village_[v] = cells_per_village[v] - d;
  }
  int64_t base_grids = 0;
  for (int b : base_per_village_) base_grids += b;

  // Micro grids: hosts are ~micro/4 base grids, one per equal stretch of the
  // base grids at a random place in it, each with 1..99 micro grids.
  micro_per_base_.assign(static_cast<size_t>(base_grids), 0);
  if (micro == 0) return;
  const int64_t hosts = std::min<int64_t>(base_grids, (micro + 3) / 4);
  const std::vector<int> micro_per_host = Spread(
      micro, JitteredWeights(std::vector<uint32_t>(hosts, 1), rng_),
      std::vector<int>(static_cast<size_t>(hosts), kMaxMicroGridsPerGrid),
      rng_);
  for (int64_t j = 0; j < hosts; ++j) {
    const int64_t lo = j * base_grids / hosts;
    const int64_t hi = (j + 1) * base_grids / hosts;
    const int64_t at = lo + rng_.Below(static_cast<uint32_t>(hi - lo));
    micro_per_base_[static_cast<size_t>(at)] =
        static_cast<uint8_t>(micro_per_host[static_cast<size_t>(j)]);
  }
}

void ProvinceWriter::AddTownshipUnits(const std::string& county_code,
                                      const std::string& code,
                                      const std::string& name,
                                      const TownshipPlan& plan) {
  const std::string gov = "gov-" + code;
  AddUnit(gov,
          plan.kind == v1::TOWNSHIP_KIND_STREET ? name + "办事处"
                                                : name + "人民政府",
          v1::UNIT_KIND_GOVERNMENT, code, "");
  // 1+4+X within the caps 6 / 7 / 8.
  v1::Unit* room = AddUnit("cmd-" + code, name + "综合信息指挥室",
                           v1::UNIT_KIND_COMMAND_CENTRE, code, gov);
  room->set_centre_type(v1::CENTRE_TYPE_TOWNSHIP_COMMAND_ROOM);
  room->set_staff_count(rng_.Between(5, 12));
  int n = 0;
  for (const OfficeSpec& office : kOffices) {
    v1::Unit* u =
        AddUnit(absl::StrCat("office-", code, "-", ++n), name + office.name,
                v1::UNIT_KIND_INTERNAL_OFFICE, code, gov);
    u->set_office_type(office.type);
  }
  const int local_offices =
      plan.township_class == v1::TOWNSHIP_CLASS_EXTRA_LARGE ? 2
      : plan.township_class == v1::TOWNSHIP_CLASS_LARGE     ? 1
                                                            : 0;
  for (int i = 0; i < local_offices; ++i) {
    v1::Unit* u = AddUnit(absl::StrCat("office-", code, "-", ++n),
                          absl::StrCat(name, "特色办公室", i + 1),
                          v1::UNIT_KIND_INTERNAL_OFFICE, code, gov);
    u->set_office_type(v1::OFFICE_TYPE_LOCAL);
  }
  AddUnit("svc-" + code, name + "便民服务中心", v1::UNIT_KIND_SERVICE_CENTRE,
          code, gov);
  if (plan.township_class == v1::TOWNSHIP_CLASS_EXTRA_LARGE) {
    AddUnit("enf-" + code, name + "综合行政执法队",
            v1::UNIT_KIND_ENFORCEMENT_TEAM, code, gov);
  } else {
    AddUnit("jec-" + code, name + "联合执法中心",
            v1::UNIT_KIND_JOINT_ENFORCEMENT_CENTRE, code, gov);
  }
  for (const DispatchedSpec& d : kDispatched) {
    v1::Unit* u =
        AddUnit(absl::StrCat("disp-", code, "-", d.department_type),
                name + d.name, v1::UNIT_KIND_DISPATCHED, code,
                absl::StrCat("dept-", county_code, "-", d.department_type));
    u->set_department_type(d.department_type);
  }
}

void ProvinceWriter::AddPoliceGrids(const std::string& township_code,
                                    std::vector<std::string>* grid_codes) {
  // Police grids of 6..14 grids; the last one takes what is left (>= 6
  // unless the township has fewer grids).
  const absl::string_view township9 =
      absl::string_view(township_code).substr(0, 9);
  const std::string station =
      absl::StrCat("disp-", township_code, "-", kPoliceStationType);
  size_t next = 0;
  int seq = 0;
  while (next < grid_codes->size()) {
    const size_t remaining = grid_codes->size() - next;
    size_t size = remaining;
    if (remaining > 14) {
      size = std::min<size_t>(static_cast<size_t>(rng_.Between(6, 14)),
                              remaining - 6);
    }
    ++seq;
    v1::PoliceGrid* pg = out_->add_police_grids();
    pg->set_code(absl::StrCat("PG", township9, Pad(seq, 4)));
    pg->set_name(absl::StrCat("警格", Pad(seq, 4)));
    pg->set_police_station_unit_code(station);
    pg->mutable_grid_codes()->Reserve(static_cast<int>(size));
    for (size_t i = 0; i < size; ++i) {
      pg->add_grid_codes(std::move((*grid_codes)[next + i]));
    }
    next += size;
  }
  grid_codes->clear();
}

void ProvinceWriter::Write() {
  const uint64_t pp = static_cast<uint64_t>(province_code_);
  const bool units = options_.units;

  // Plan every level first: the spreads need the whole level.
  counties_per_city_ =
      Spread(options_.counties,
             JitteredWeights(std::vector<uint32_t>(options_.cities, 1), rng_),
             std::vector<int>(options_.cities, kMaxCountiesPerCity), rng_);
  std::vector<bool> is_district;
  for (int n : counties_per_city_) {
    for (int i = 0; i < n; ++i) is_district.push_back(i == 0);
  }
  townships_per_county_ = Spread(
      options_.townships,
      JitteredWeights(std::vector<uint32_t>(is_district.size(), 1), rng_),
      std::vector<int>(is_district.size(), kMaxTownshipsPerCounty), rng_);
  PlanTownships(townships_per_county_, is_district);
  std::vector<uint32_t> village_weight(townships_.size());
  for (size_t t = 0; t < townships_.size(); ++t) {
    village_weight[t] =
        townships_[t].township_class == v1::TOWNSHIP_CLASS_EXTRA_LARGE ? 5
        : townships_[t].township_class == v1::TOWNSHIP_CLASS_LARGE     ? 3
                                                                       : 2;
  }
  villages_per_township_ = Spread(
      options_.villages, JitteredWeights(village_weight, rng_),
      std::vector<int>(townships_.size(), kMaxVillagesPerTownship), rng_);
  PlanVillages(villages_per_township_);
  PlanGrids();

  // Emit in pre-order, children in code order.
  const uint64_t province = pp * kPow10[10];
  const std::string province_code = absl::StrCat(province);
  const std::string province_name = absl::StrCat("省", pp);
  AddRegion(province, 0, v1::REGION_LEVEL_PROVINCE, province_name);
  if (units) {
    AddUnit("gov-" + province_code, province_name + "人民政府",
            v1::UNIT_KIND_GOVERNMENT, province_code, "");
  }

  size_t county_index = 0;
  size_t township_index = 0;
  size_t village_index = 0;
  size_t base_index = 0;
  std::vector<std::string> police_grid_members;
  for (int c = 1; c <= options_.cities; ++c) {
    const uint64_t city = province + static_cast<uint64_t>(c) * kPow10[8];
    const std::string city_code = absl::StrCat(city);
    const std::string city_name = absl::StrCat("市", city / kPow10[8]);
    AddRegion(city, province, v1::REGION_LEVEL_CITY, city_name);
    if (units) {
      AddUnit("gov-" + city_code, city_name + "人民政府",
              v1::UNIT_KIND_GOVERNMENT, city_code, "");
      v1::Unit* hotline =
          AddUnit("hotline-" + city_code, city_name + "12345热线中心",
                  v1::UNIT_KIND_COMMAND_CENTRE, city_code, "gov-" + city_code);
      hotline->set_centre_type(v1::CENTRE_TYPE_HOTLINE_12345);
      hotline->set_staff_count(rng_.Between(40, 120));
    }
    for (int k = 1; k <= counties_per_city_[static_cast<size_t>(c - 1)];
         ++k, ++county_index) {
      const uint64_t county = city + static_cast<uint64_t>(k) * kPow10[6];
      const std::string county_code = absl::StrCat(county);
      const std::string county_name = absl::StrCat(
          is_district[county_index] ? "区" : "县", county / kPow10[6]);
      AddRegion(county, city, v1::REGION_LEVEL_COUNTY, county_name);
      if (units) {
        const std::string gov = "gov-" + county_code;
        AddUnit(gov, county_name + "人民政府", v1::UNIT_KIND_GOVERNMENT,
                county_code, "");
        for (const DepartmentTypeSpec& t : kDepartmentTypes) {
          v1::Unit* u = AddUnit(absl::StrCat("dept-", county_code, "-", t.code),
                                county_name + t.name, v1::UNIT_KIND_DEPARTMENT,
                                county_code, gov);
          u->set_department_type(t.code);
        }
        v1::Unit* centre =
            AddUnit("sgc-" + county_code, county_name + "社会治理中心",
                    v1::UNIT_KIND_COMMAND_CENTRE, county_code, gov);
        centre->set_centre_type(v1::CENTRE_TYPE_COUNTY_SOCIAL_GOVERNANCE);
        centre->set_staff_count(rng_.Between(15, 20));
      }
      for (int t = 0; t < townships_per_county_[county_index];
           ++t, ++township_index) {
        const TownshipPlan& tp = townships_[township_index];
        const uint64_t township =
            county + static_cast<uint64_t>(tp.digits) * kPow10[3];
        const std::string township_code = absl::StrCat(township);
        const char* kind_name = tp.kind == v1::TOWNSHIP_KIND_STREET ? "街道"
                                : tp.kind == v1::TOWNSHIP_KIND_TOWN ? "镇"
                                                                    : "乡";
        const std::string township_name =
            absl::StrCat(kind_name, Pad(tp.digits, 3));
        v1::Region* tr = AddRegion(township, county, v1::REGION_LEVEL_TOWNSHIP,
                                   township_name);
        tr->set_township_kind(tp.kind);
        tr->set_township_class(tp.township_class);
        if (units) {
          AddTownshipUnits(county_code, township_code, township_name, tp);
        }
        for (int v = 0; v < villages_per_township_[township_index];
             ++v, ++village_index) {
          const VillagePlan& vp = villages_[village_index];
          const uint64_t village = township + static_cast<uint64_t>(vp.digits);
          const std::string village_name =
              absl::StrCat(vp.community ? "社区" : "村", Pad(vp.digits, 3));
          v1::Region* vr = AddRegion(village, township,
                                     v1::REGION_LEVEL_VILLAGE, village_name);
          vr->set_village_kind(vp.community
                                   ? v1::VILLAGE_KIND_COMMUNITY
                                   : v1::VILLAGE_KIND_VILLAGE_COMMITTEE);
          vr->set_urban_rural_class(vp.urban_rural_class);
          if (units) {
            AddUnit(absl::StrCat("vc-", village),
                    village_name + (vp.community ? "居委会" : "村委会"),
                    v1::UNIT_KIND_VILLAGE_COMMITTEE, vr->code(), "");
          }
          const int base = base_per_village_[village_index];
          const int cells = base + dedicated_per_village_[village_index];
          for (int g = 1; g <= cells; ++g) {
            const uint64_t grid = village * 100 + static_cast<uint64_t>(g);
            const bool dedicated = g > base;
            v1::Region* gr = AddRegion(
                grid, village, v1::REGION_LEVEL_GRID,
                absl::StrCat(dedicated ? "专属网格" : "网格", Pad(g, 2)));
            v1::GridStaffing* staffing = gr->mutable_staffing();
            staffing->set_heads(1);
            staffing->set_full_time(1);
            staffing->set_part_time(2);
            staffing->set_volunteers(rng_.Between(0, 8));
            if (units) police_grid_members.push_back(gr->code());
            if (dedicated) {
              gr->set_grid_kind(v1::GRID_KIND_DEDICATED);
              gr->set_dedicated_site(
                  static_cast<v1::DedicatedGridSite>(rng_.Between(1, 7)));
              continue;
            }
            gr->set_grid_kind(v1::GRID_KIND_BASE);
            const int micro = micro_per_base_[base_index++];
            for (int m = 1; m <= micro; ++m) {
              v1::Region* mr = AddRegion(grid * 100 + static_cast<uint64_t>(m),
                                         grid, v1::REGION_LEVEL_GRID,
                                         absl::StrCat("微网格", Pad(m, 2)));
              mr->set_grid_kind(v1::GRID_KIND_MICRO);
            }
          }
        }
        if (units) AddPoliceGrids(township_code, &police_grid_members);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// The catalogue.

// The index of a department type in kDepartmentTypes; -1 when unknown.
int DepartmentIndex(absl::string_view code) {
  for (size_t i = 0; i < std::size(kDepartmentTypes); ++i) {
    if (code == kDepartmentTypes[i].code) return static_cast<int>(i);
  }
  return -1;
}

// Items per department type, per 100, in kDepartmentTypes order: urban
// management and market supervision hold most powers.
constexpr int kDepartmentWeights[] = {16, 14, 7, 8, 7, 7, 5, 7,
                                      6,  8,  4, 1, 5, 2, 3};
static_assert(std::size(kDepartmentWeights) == std::size(kDepartmentTypes),
              "one weight per department type");

struct ListSpec {
  v1::ListType type;
  const char* prefix;  // of the item codes
  const char* name;
  int weight;  // Ningbo's count
};

constexpr ListSpec kLists[] = {
    {v1::LIST_TYPE_POWER, "QL", "权力事项", 124},
    {v1::LIST_TYPE_TERRITORIAL, "SD", "属地管理事项", 76},
    {v1::LIST_TYPE_ENFORCEMENT, "ZF", "行政执法事项", 312},
    {v1::LIST_TYPE_GOVERNMENT_SERVICE, "FW", "政务服务事项", 180},
    {v1::LIST_TYPE_VILLAGE_DUTY, "CS", "村社履职事项", 42},
    {v1::LIST_TYPE_ASSISTANCE, "XZ", "协助配合事项", 52},
};

struct KindWeight {
  v1::PowerKind kind;
  int weight;
};

constexpr KindWeight kPowerListKinds[] = {
    {v1::POWER_KIND_LICENSING, 30},  {v1::POWER_KIND_LEVY, 5},
    {v1::POWER_KIND_PAYMENT, 10},    {v1::POWER_KIND_CONFIRMATION, 15},
    {v1::POWER_KIND_REWARD, 5},      {v1::POWER_KIND_ADJUDICATION, 3},
    {v1::POWER_KIND_OTHER, 12},      {v1::POWER_KIND_REVIEW_AND_FORWARD, 10},
    {v1::POWER_KIND_INSPECTION, 10},
};
constexpr KindWeight kEnforcementKinds[] = {
    {v1::POWER_KIND_PENALTY, 70},
    {v1::POWER_KIND_COERCIVE_MEASURE, 10},
    {v1::POWER_KIND_INSPECTION, 20},
};
constexpr KindWeight kServiceKinds[] = {
    {v1::POWER_KIND_PUBLIC_SERVICE, 60},
    {v1::POWER_KIND_LICENSING, 20},
    {v1::POWER_KIND_PAYMENT, 10},
    {v1::POWER_KIND_CONFIRMATION, 10},
};

// Values of the "site" and "phase" attributes (DOMAIN.md §3: where the
// construction waste was found, and in which phase).
constexpr const char* kSites[] = {
    "road",        "river", "farmland", "construction_site",
    "residential", "park",  "other"};
constexpr const char* kSiteNames[] = {"道路", "河道", "农田", "工地",
                                      "小区", "公园", "其他"};
constexpr const char* kPhases[] = {"dumping", "transport", "production"};
constexpr const char* kPhaseNames[] = {"倾倒", "运输", "产生"};
constexpr int kMaxScenarios =
    static_cast<int>(std::size(kSites) * std::size(kPhases));

struct MajorSpec {
  int code;
  const char* name;
};

// GB/T 30428.2 component and event major classes. Events take majors 11–17
// so that components and events share one code space without clashing.
constexpr MajorSpec kComponentMajors[] = {
    {1, "公用设施"}, {2, "道路交通"}, {3, "市容环境"},
    {4, "园林绿化"}, {5, "房屋土地"}, {6, "其他设施"},
};
constexpr MajorSpec kEventMajors[] = {
    {11, "市容环境"}, {12, "宣传广告"}, {13, "施工管理"}, {14, "突发事件"},
    {15, "街面秩序"}, {16, "市场监管"}, {17, "其他事件"},
};
constexpr int kEmergencyMajor = 14;
constexpr char kConstructionWasteCode[] = "13001";
constexpr const char* kHotlineClasses[] = {
    "城乡建设", "市场监管", "生态环境", "交通出行",
    "社会保障", "教育卫生", "公共安全",
};

// The most townships one item is delegated to by name.
constexpr int64_t kMaxNamedRun = 40;
constexpr int kMaxMinors = 999;           // 3-digit minor classes
constexpr int kMaxHotlineClasses = 9999;  // "H0001".."H9999"

template <typename T, size_t N, typename Weight>
size_t PickWeighted(const T (&table)[N], Weight weight, Rng& rng) {
  uint32_t total = 0;
  for (const T& t : table) total += static_cast<uint32_t>(weight(t));
  uint32_t r = rng.Below(total);
  for (size_t i = 0; i < N; ++i) {
    const uint32_t w = static_cast<uint32_t>(weight(table[i]));
    if (r < w) return i;
    r -= w;
  }
  return N - 1;
}

template <typename T>
void Shuffle(std::vector<T>* v, Rng& rng) {
  for (size_t i = v->size(); i > 1; --i) {
    std::swap((*v)[i - 1], (*v)[rng.Below(static_cast<uint32_t>(i))]);
  }
}

v1::Duration MakeDuration(int amount, v1::TimeUnit unit) {
  v1::Duration d;
  d.set_amount(amount);
  d.set_unit(unit);
  return d;
}

// Writes the catalogue of a dataset whose territory and units are already
// in place. Draws from its own stream, so the territory does not depend on
// the catalogue's options.
class CatalogueWriter {
 public:
  CatalogueWriter(const ProvinceOptions& options, v1::Dataset* out)
      : options_(options),
        rng_(MixSeed(options.seed, kCatalogueSalt)),
        out_(out),
        cat_(out->mutable_catalogue()) {}

  void Write();

 private:
  // Any value outside the province codes 11..99.
  static constexpr uint64_t kCatalogueSalt = 0xCA7A;

  struct TownshipRef {
    std::string code;
    v1::TownshipClass township_class;
  };
  struct ItemInfo {
    v1::ListType list;
    v1::PowerKind kind;
    int department;  // index into kDepartmentTypes, or -1
    v1::TownshipRole role;
    bool statutory;
  };
  struct MatterPlan {
    std::string code;
    int department;
    bool major;
  };
  enum class LeadKind {
    kCommandRoom,
    kCountyDepartment,
    kDispatched,
    kVillage,
    kOwnNameDelegated,
    kNamedDepartment,  // the department unit of one county
  };
  // A rule's outcome: who leads, on which item.
  struct Lead {
    v1::Role role;
    int item = -1;
    v1::DutyType duty = v1::DUTY_TYPE_UNSPECIFIED;
    v1::HandlingTier tier = v1::HANDLING_TIER_UNSPECIFIED;
  };

  void CollectTerritory();
  void AddAttributes();
  void AddItems();
  void AddMatters();
  void AddDelegations();
  void AddRules();
  void AddScenarios();

  int PickDepartment(bool enforcing_only);
  std::string RandomDate(int first_year, int days);
  int Pick(const std::vector<int>& pool) {
    return pool.empty() ? -1
                        : pool[rng_.Below(static_cast<uint32_t>(pool.size()))];
  }
  Lead MakeLead(LeadKind kind, int department, int county = -1);
  void AddDelegation(int item, const v1::DelegationScope& scope,
                     v1::DelegationMode mode, const char* issuer,
                     int64_t* pairs, int64_t townships);
  v1::DispatchRule* NewRule(const MatterPlan& m, const Lead& lead);
  void AddSpecificRules(const MatterPlan& m);
  v1::DispatchRule* AddRule(const MatterPlan& m, LeadKind kind,
                            int department) {
    return NewRule(m, MakeLead(kind, department));
  }

  const ProvinceOptions& options_;
  Rng rng_;
  v1::Dataset* out_;
  v1::Catalogue* cat_;
  const int32_t day_2025_ = DaysFromCivil(2025, 1, 1);

  std::vector<std::string> counties_;
  std::vector<int> county_townships_;  // townships per county
  std::vector<TownshipRef> townships_;
  std::vector<int> dispatched_;  // department indices of kDispatched

  std::vector<ItemInfo> items_;
  // Item pools (indices into items_) the rules and delegations draw from.
  std::vector<std::vector<int>> territorial_basic_;  // per department
  std::vector<int> territorial_basic_all_;
  std::vector<std::vector<int>> county_items_;      // per department
  std::vector<std::vector<int>> enforcement_live_;  // per department
  std::vector<int> village_items_;
  std::vector<int> delegable_;
  std::vector<int> own_name_items_;  // delegated to every extra-large township

  std::vector<MatterPlan> matters_;
  int rule_seq_ = 0;  // per matter, reset by AddRules
  int delegation_seq_ = 0;
};

void CatalogueWriter::Write() {
  CollectTerritory();
  for (const DispatchedSpec& d : kDispatched) {
    dispatched_.push_back(DepartmentIndex(d.department_type));
  }
  AddAttributes();
  AddItems();
  AddMatters();
  AddDelegations();
  AddRules();
  AddScenarios();
}

void CatalogueWriter::CollectTerritory() {
  for (const v1::Region& r : out_->regions()) {
    if (r.level() == v1::REGION_LEVEL_COUNTY) {
      counties_.push_back(r.code());
      county_townships_.push_back(0);
    } else if (r.level() == v1::REGION_LEVEL_TOWNSHIP) {
      // Pre-order: a township follows its county.
      townships_.push_back({r.code(), r.township_class()});
      ++county_townships_.back();
    }
  }
}

int CatalogueWriter::PickDepartment(bool enforcing_only) {
  uint32_t total = 0;
  for (size_t i = 0; i < std::size(kDepartmentTypes); ++i) {
    if (!enforcing_only || kDepartmentTypes[i].enforces) {
      total += static_cast<uint32_t>(kDepartmentWeights[i]);
    }
  }
  uint32_t r = rng_.Below(total);
  for (size_t i = 0; i < std::size(kDepartmentTypes); ++i) {
    if (enforcing_only && !kDepartmentTypes[i].enforces) continue;
    const uint32_t w = static_cast<uint32_t>(kDepartmentWeights[i]);
    if (r < w) return static_cast<int>(i);
    r -= w;
  }
  return 0;
}

// A day in [first_year-01-01, +days).
std::string CatalogueWriter::RandomDate(int first_year, int days) {
  return FormatIsoDate(
      DaysFromCivil(first_year, 1, 1) +
      static_cast<int32_t>(rng_.Below(static_cast<uint32_t>(days))));
}

void CatalogueWriter::AddAttributes() {
  v1::AttributeDefinition* site = cat_->add_attributes();
  site->set_key("site");
  site->set_name("发现地点");
  site->set_type(v1::ATTRIBUTE_TYPE_STRING);
  for (const char* s : kSites) site->add_allowed_values(s);
  v1::AttributeDefinition* phase = cat_->add_attributes();
  phase->set_key("phase");
  phase->set_name("环节");
  phase->set_type(v1::ATTRIBUTE_TYPE_STRING);
  for (const char* s : kPhases) phase->add_allowed_values(s);
  v1::AttributeDefinition* area = cat_->add_attributes();
  area->set_key("area_m2");
  area->set_name("面积（平方米）");
  area->set_type(v1::ATTRIBUTE_TYPE_NUMBER);
  v1::AttributeDefinition* licensed = cat_->add_attributes();
  licensed->set_key("licensed");
  licensed->set_name("是否持证");
  licensed->set_type(v1::ATTRIBUTE_TYPE_BOOL);
}

void CatalogueWriter::AddItems() {
  const size_t departments = std::size(kDepartmentTypes);
  territorial_basic_.assign(departments, {});
  county_items_.assign(departments, {});
  enforcement_live_.assign(departments, {});

  // Items per list: Ningbo's proportions, the remainder to the first lists.
  int total_weight = 0;
  for (const ListSpec& l : kLists) total_weight += l.weight;
  std::vector<int> per_list;
  int assigned = 0;
  for (const ListSpec& l : kLists) {
    per_list.push_back(
        static_cast<int>(int64_t{options_.items} * l.weight / total_weight));
    assigned += per_list.back();
  }
  for (size_t i = 0; assigned < options_.items; ++i, ++assigned) {
    ++per_list[i % per_list.size()];
  }

  cat_->mutable_items()->Reserve(options_.items);
  items_.reserve(static_cast<size_t>(options_.items));
  for (size_t l = 0; l < std::size(kLists); ++l) {
    const ListSpec& list = kLists[l];
    for (int seq = 1; seq <= per_list[l]; ++seq) {
      ItemInfo info{list.type, v1::POWER_KIND_UNSPECIFIED, -1,
                    v1::TOWNSHIP_ROLE_BASIC, false};
      v1::RegionLevel level = v1::REGION_LEVEL_TOWNSHIP;
      int lead = -1;
      switch (list.type) {
        case v1::LIST_TYPE_POWER:
        case v1::LIST_TYPE_ENFORCEMENT: {
          const bool power = list.type == v1::LIST_TYPE_POWER;
          info.department = PickDepartment(!power);
          info.kind = power ? kPowerListKinds[PickWeighted(
                                                  kPowerListKinds,
                                                  [](const KindWeight& k) {
                                                    return k.weight;
                                                  },
                                                  rng_)]
                                  .kind
                            : kEnforcementKinds[PickWeighted(
                                                    kEnforcementKinds,
                                                    [](const KindWeight& k) {
                                                      return k.weight;
                                                    },
                                                    rng_)]
                                  .kind;
          level = v1::REGION_LEVEL_COUNTY;
          const uint32_t r = rng_.Below(100);
          if (r < 20) {
            info.role = v1::TOWNSHIP_ROLE_RECLAIMED;
            info.statutory = power && rng_.Percent(50);
          } else if (r < 45) {
            info.role = v1::TOWNSHIP_ROLE_COOPERATING;
            lead = info.department;
          }
          break;
        }
        case v1::LIST_TYPE_TERRITORIAL:
          // The department that supervises the township's duty.
          info.department = PickDepartment(false);
          if (rng_.Percent(10)) {
            info.role = v1::TOWNSHIP_ROLE_COOPERATING;
            lead = info.department;
          }
          break;
        case v1::LIST_TYPE_GOVERNMENT_SERVICE:
          info.department = PickDepartment(false);
          info.kind =
              kServiceKinds[PickWeighted(
                                kServiceKinds,
                                [](const KindWeight& k) { return k.weight; },
                                rng_)]
                  .kind;
          if (rng_.Percent(15)) {
            info.role = v1::TOWNSHIP_ROLE_RECLAIMED;
            level = v1::REGION_LEVEL_COUNTY;
          }
          break;
        case v1::LIST_TYPE_VILLAGE_DUTY:
          level = v1::REGION_LEVEL_VILLAGE;
          break;
        case v1::LIST_TYPE_ASSISTANCE:
          // The township helps; the department (sometimes another) leads.
          info.department = PickDepartment(false);
          info.role = v1::TOWNSHIP_ROLE_COOPERATING;
          lead = rng_.Percent(30) ? PickDepartment(false) : info.department;
          break;
        default:
          break;
      }

      const int index = static_cast<int>(items_.size());
      v1::Item* item = cat_->add_items();
      item->set_code(
          absl::StrCat(list.prefix, Pad(info.kind, 2), "-", Pad(seq, 6)));
      item->set_name(absl::StrCat(list.name, seq));
      item->set_list_type(list.type);
      item->set_power_kind(info.kind);
      item->set_exercising_level(level);
      if (info.department >= 0) {
        const DepartmentTypeSpec& d =
            kDepartmentTypes[static_cast<size_t>(info.department)];
        item->set_domain(d.code);
        item->set_department_type(d.code);
        if (level == v1::REGION_LEVEL_COUNTY) {
          item->mutable_legal_basis()->set_law(
              absl::StrCat("《", d.name, "管理条例》"));
          item->mutable_legal_basis()->set_article(
              absl::StrCat("第", rng_.Between(2, 80), "条"));
        }
      } else {
        item->set_domain("village_affairs");
      }
      item->set_township_role(info.role);
      if (lead >= 0) {
        item->set_lead_department_type(
            kDepartmentTypes[static_cast<size_t>(lead)].code);
      }
      if (rng_.Percent(30)) {
        v1::StageLimits* limits = item->mutable_limits();
        if (list.type == v1::LIST_TYPE_TERRITORIAL ||
            list.type == v1::LIST_TYPE_VILLAGE_DUTY) {
          *limits->mutable_handle() =
              MakeDuration(rng_.Between(2, 16), v1::TIME_UNIT_WORKING_HOURS);
        } else {
          *limits->mutable_sign_for() =
              MakeDuration(1, v1::TIME_UNIT_WORKING_DAYS);
          *limits->mutable_handle() =
              MakeDuration(rng_.Between(3, 20), v1::TIME_UNIT_WORKING_DAYS);
        }
      }
      // In force before the first delegation (2025) cites it.
      item->set_effective_date(RandomDate(2024, 366));
      item->set_statutory_department_matter(info.statutory);
      items_.push_back(info);

      // Pools.
      const bool live = info.role != v1::TOWNSHIP_ROLE_RECLAIMED;
      const size_t dept = static_cast<size_t>(info.department);
      switch (list.type) {
        case v1::LIST_TYPE_TERRITORIAL:
          if (info.role == v1::TOWNSHIP_ROLE_BASIC) {
            territorial_basic_[dept].push_back(index);
            territorial_basic_all_.push_back(index);
          }
          break;
        case v1::LIST_TYPE_ENFORCEMENT:
          if (live) enforcement_live_[dept].push_back(index);
          [[fallthrough]];
        case v1::LIST_TYPE_POWER:
          county_items_[dept].push_back(index);
          // Not a cooperating item: its department leads, and a township
          // handling it alone would make two leads.
          if (info.role == v1::TOWNSHIP_ROLE_BASIC && !info.statutory &&
              (info.kind == v1::POWER_KIND_PENALTY ||
               info.kind == v1::POWER_KIND_INSPECTION)) {
            delegable_.push_back(index);
          }
          break;
        case v1::LIST_TYPE_GOVERNMENT_SERVICE:
          // A basic service item is the township's own; only a reclaimed
          // one may be led by the county department.
          if (!live) county_items_[dept].push_back(index);
          break;
        case v1::LIST_TYPE_VILLAGE_DUTY:
          village_items_.push_back(index);
          break;
        default:
          break;
      }
    }
  }
  // A few codes retired in earlier versions (never reused: they carry
  // sequence numbers past the live ones).
  for (int i = 0; i < options_.items / 500; ++i) {
    cat_->add_retired_item_codes(
        absl::StrCat("ZF02-", Pad(per_list[2] + 1 + i, 6)));
  }
}

void CatalogueWriter::AddMatters() {
  std::vector<int> minors_used(100, 0);  // per major code
  int hotline_used = 0;
  auto add = [&](std::string code, std::string name, v1::MatterCategory cat,
                 const char* major_class, bool major) {
    MatterPlan plan{code, PickDepartment(false), major};
    v1::Matter* m = cat_->add_matters();
    m->set_code(std::move(code));
    m->set_name(std::move(name));
    m->set_category(cat);
    m->set_major_class(major_class);
    m->set_major(major);
    if (rng_.Percent(30)) {
      *m->mutable_limits()->mutable_handle() =
          rng_.Percent(50)
              ? MakeDuration(4 * rng_.Between(1, 4),
                             v1::TIME_UNIT_WORKING_HOURS)
              : MakeDuration(rng_.Between(2, 13), v1::TIME_UNIT_WORKING_DAYS);
    }
    matters_.push_back(std::move(plan));
  };
  // The construction-waste event of the scenarios comes first.
  minors_used[13] = 1;
  add(kConstructionWasteCode, "建筑垃圾", v1::MATTER_CATEGORY_EVENT, "施工管理",
      false);
  matters_.back().department = DepartmentIndex("urban_management");

  while (static_cast<int>(matters_.size()) < options_.matters) {
    const uint32_t r = rng_.Below(100);
    if (r < 15 && hotline_used < kMaxHotlineClasses) {
      ++hotline_used;
      const char* cls = kHotlineClasses[rng_.Below(
          static_cast<uint32_t>(std::size(kHotlineClasses)))];
      add(absl::StrCat("H", Pad(hotline_used, 4)),
          absl::StrCat(cls, "诉求", hotline_used), v1::MATTER_CATEGORY_HOTLINE,
          cls, false);
      continue;
    }
    const bool component = r < 55;
    const MajorSpec* majors = component ? kComponentMajors : kEventMajors;
    const size_t n =
        component ? std::size(kComponentMajors) : std::size(kEventMajors);
    // The drawn major, or the next one with a free minor class.
    size_t k = rng_.Below(static_cast<uint32_t>(n));
    for (size_t tries = 0;
         tries < n && minors_used[majors[k].code] >= kMaxMinors; ++tries) {
      k = (k + 1) % n;
    }
    const MajorSpec& major = majors[k];
    if (minors_used[major.code] >= kMaxMinors) continue;  // never at <= 5000
    const int minor = ++minors_used[major.code];
    add(absl::StrCat(Pad(major.code, 2), Pad(minor, 3)),
        absl::StrCat(major.name, minor),
        component ? v1::MATTER_CATEGORY_COMPONENT : v1::MATTER_CATEGORY_EVENT,
        major.name, major.code == kEmergencyMajor && rng_.Percent(50));
  }
}

void CatalogueWriter::AddDelegation(int item, const v1::DelegationScope& scope,
                                    v1::DelegationMode mode, const char* issuer,
                                    int64_t* pairs, int64_t townships) {
  const v1::Item& it = cat_->items(item);
  const int32_t from = day_2025_ + static_cast<int32_t>(rng_.Below(730));
  int32_t end = 0;
  int32_t reclaimed = 0;
  if (rng_.Percent(10)) end = from + rng_.Between(365, 730);
  if (rng_.Percent(3)) reclaimed = from + rng_.Between(60, 300);
  auto add = [&](int32_t start, int32_t stop, int32_t reclaim,
                 v1::DelegationMode m) {
    v1::Delegation* g = cat_->add_delegations();
    g->set_id(absl::StrCat("DG", Pad(++delegation_seq_, 7)));
    g->set_item_code(it.code());
    g->set_from_department_type(it.department_type());
    *g->mutable_scope() = scope;
    g->set_mode(m);
    g->set_effective_date(FormatIsoDate(start));
    if (stop != 0) g->set_end_date(FormatIsoDate(stop));
    if (reclaim != 0) g->set_reclaimed_date(FormatIsoDate(reclaim));
    int year, month, day;
    CivilFromDays(start, &year, &month, &day);
    g->set_document(
        absl::StrCat(issuer, "〔", year, "〕", rng_.Between(1, 99), "号"));
    *pairs += townships;
  };
  add(from, end, reclaimed, mode);
  // Half the reclaimed ones are entrusted again from the reclaim date: the
  // windows [from, reclaimed) and [reclaimed, end) never overlap.
  if (reclaimed != 0 && rng_.Percent(50)) {
    add(reclaimed, end, 0, v1::DELEGATION_MODE_ENTRUSTED);
  }
}

// The same item never reaches a township twice at once: class-scoped,
// county-scoped and named-township delegations take disjoint sets of items;
// an item's class scopes name different classes, its county scopes
// different counties, its named townships a run of distinct townships; and
// only a reclaimed delegation is followed, from its reclaim date, by a
// second one of the same scope.
void CatalogueWriter::AddDelegations() {
  const int64_t t_count = static_cast<int64_t>(townships_.size());
  const int64_t c_count = static_cast<int64_t>(counties_.size());
  if (t_count == 0 || options_.delegated_items_per_township == 0) return;
  std::vector<int> pool = delegable_;
  Shuffle(&pool, rng_);
  int64_t remaining = t_count * options_.delegated_items_per_township;

  // Townships per class, per province (index p: province_code + p) and in
  // all. A class scope is a province government's order: with several
  // provinces, each province issues its own, restricted to its subtree.
  const size_t provinces = static_cast<size_t>(options_.provinces);
  std::vector<std::array<int64_t, 4>> in_province(provinces, {0, 0, 0, 0});
  int64_t per_class[4] = {0, 0, 0, 0};
  for (const TownshipRef& t : townships_) {
    const size_t c = static_cast<size_t>(t.township_class) & 3;
    ++per_class[c];
    const size_t p = static_cast<size_t>((t.code[0] - '0') * 10 +
                                         (t.code[1] - '0') -
                                         options_.province_code);
    if (p < provinces) ++in_province[p][c];
  }
  const int64_t extra = per_class[v1::TOWNSHIP_CLASS_EXTRA_LARGE];
  const int64_t large = per_class[v1::TOWNSHIP_CLASS_LARGE];
  const int64_t general = per_class[v1::TOWNSHIP_CLASS_GENERAL];

  // Class scopes: up to 15 % of the items and about 35 % of the pairs; every
  // extra-large township enforces them in its own name (镇队合一).
  const int64_t per_item =
      std::max<int64_t>(1, extra + large / 2 + general / 10);
  const size_t class_items = static_cast<size_t>(
      std::min<int64_t>(static_cast<int64_t>(pool.size()) * 15 / 100,
                        remaining * 35 / 100 / per_item));
  int64_t pairs = 0;
  for (size_t i = 0; i < class_items; ++i) {
    const int item = pool[i];
    const struct {
      v1::TownshipClass township_class;
      v1::DelegationMode mode;
      int percent;
    } scopes[] = {
        {v1::TOWNSHIP_CLASS_EXTRA_LARGE, v1::DELEGATION_MODE_OWN_NAME, 100},
        {v1::TOWNSHIP_CLASS_LARGE, v1::DELEGATION_MODE_ENTRUSTED, 50},
        {v1::TOWNSHIP_CLASS_GENERAL, v1::DELEGATION_MODE_JOINT, 10},
    };
    for (const auto& s : scopes) {
      for (size_t p = 0; p < provinces; ++p) {
        const int64_t townships =
            in_province[p][static_cast<size_t>(s.township_class)];
        if (townships == 0 || !rng_.Percent(s.percent)) continue;
        v1::DelegationScope scope;
        scope.set_township_class(s.township_class);
        // One province: the whole dataset (no restriction needed).
        if (provinces > 1) {
          scope.set_within_region_code(absl::StrCat(
              options_.province_code + static_cast<int>(p), "0000000000"));
        }
        AddDelegation(item, scope, s.mode, "省政府令", &pairs, townships);
      }
    }
    if (extra > 0) own_name_items_.push_back(item);
  }
  remaining -= pairs;

  // The rest: a county's subtree (joint enforcement) or named townships
  // (entrusted), each item sized to what is still owed.
  std::vector<int> county_order(counties_.size());
  for (size_t c = 0; c < county_order.size(); ++c) {
    county_order[c] = static_cast<int>(c);
  }
  for (size_t i = class_items; i < pool.size() && remaining > 0; ++i) {
    const int item = pool[i];
    const int64_t left = static_cast<int64_t>(pool.size() - i);
    const int64_t want =
        std::min<int64_t>(t_count, (remaining + left - 1) / left);
    pairs = 0;
    if (c_count > 0 && rng_.Percent(60)) {
      const int64_t k = std::max<int64_t>(
          1,
          std::min<int64_t>(c_count, (want * c_count + t_count / 2) / t_count));
      // k distinct counties: a partial Fisher–Yates shuffle.
      for (int64_t j = 0; j < k; ++j) {
        std::swap(county_order[static_cast<size_t>(j)],
                  county_order[static_cast<size_t>(
                      j + rng_.Below(static_cast<uint32_t>(c_count - j)))]);
      }
      std::vector<int> chosen(county_order.begin(), county_order.begin() + k);
      std::sort(chosen.begin(), chosen.end());
      for (int c : chosen) {
        v1::DelegationScope scope;
        scope.set_region_code(counties_[static_cast<size_t>(c)]);
        AddDelegation(item, scope, v1::DELEGATION_MODE_JOINT, "县政发", &pairs,
                      county_townships_[static_cast<size_t>(c)]);
      }
    } else {
      // A run of distinct townships from a random start, in delegations of
      // 1–8 named townships. Runs stay short (what a county names one by
      // one); county scopes take up the rest.
      size_t at = rng_.Below(static_cast<uint32_t>(t_count));
      for (int64_t left_in_run = std::min<int64_t>(want, kMaxNamedRun);
           left_in_run > 0;) {
        const int64_t n = std::min<int64_t>(left_in_run, rng_.Between(1, 8));
        v1::DelegationScope scope;
        for (int64_t j = 0; j < n; ++j) {
          scope.add_township_codes(townships_[at].code);
          if (++at == townships_.size()) at = 0;
        }
        AddDelegation(item, scope, v1::DELEGATION_MODE_ENTRUSTED, "县政发",
                      &pairs, n);
        left_in_run -= n;
      }
    }
    remaining -= pairs;
  }
}

CatalogueWriter::Lead CatalogueWriter::MakeLead(LeadKind kind, int department,
                                                int county) {
  Lead lead;
  switch (kind) {
    case LeadKind::kCommandRoom: {
      int item = Pick(territorial_basic_[static_cast<size_t>(department)]);
      if (item < 0) item = Pick(territorial_basic_all_);
      if (item < 0) return MakeLead(LeadKind::kCountyDepartment, department);
      lead.role.set_kind(v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM);
      lead.item = item;
      lead.duty = v1::DUTY_TYPE_TERRITORIAL;
      lead.tier = v1::HANDLING_TIER_TOWNSHIP;
      return lead;
    }
    case LeadKind::kDispatched: {
      const bool dispatched = std::find(dispatched_.begin(), dispatched_.end(),
                                        department) != dispatched_.end();
      const int item =
          dispatched ? Pick(enforcement_live_[static_cast<size_t>(department)])
                     : -1;
      if (item < 0) return MakeLead(LeadKind::kCountyDepartment, department);
      lead.role.set_kind(v1::ROLE_KIND_DISPATCHED_UNIT);
      lead.role.set_department_type(
          kDepartmentTypes[static_cast<size_t>(department)].code);
      lead.item = item;
      lead.duty = v1::DUTY_TYPE_ENFORCEMENT;
      lead.tier = v1::HANDLING_TIER_TOWNSHIP;
      return lead;
    }
    case LeadKind::kVillage: {
      const int item = Pick(village_items_);
      if (item < 0) return MakeLead(LeadKind::kCommandRoom, department);
      lead.role.set_kind(v1::ROLE_KIND_VILLAGE_COMMITTEE);
      lead.item = item;
      lead.duty = v1::DUTY_TYPE_SELF_GOVERNANCE;
      lead.tier = v1::HANDLING_TIER_VILLAGE;
      return lead;
    }
    case LeadKind::kOwnNameDelegated: {
      const int item = Pick(own_name_items_);
      if (item < 0) {
        return MakeLead(LeadKind::kDispatched,
                        DepartmentIndex("urban_management"));
      }
      // The rule names the item's department, at the township tier:
      // routing hands the case to the township enforcement team in its own
      // name while the delegation is in force (before it starts, after it
      // ends or is reclaimed, the department handles). Naming the team
      // itself would push the power down on days no delegation covers.
      lead.role.set_kind(v1::ROLE_KIND_COUNTY_DEPARTMENT);
      lead.role.set_department_type(
          kDepartmentTypes[static_cast<size_t>(
                               items_[static_cast<size_t>(item)].department)]
              .code);
      lead.item = item;
      lead.duty = v1::DUTY_TYPE_ENFORCEMENT;
      lead.tier = v1::HANDLING_TIER_TOWNSHIP;
      return lead;
    }
    case LeadKind::kCountyDepartment:
    case LeadKind::kNamedDepartment: {
      int item = Pick(county_items_[static_cast<size_t>(department)]);
      if (item < 0) {
        // Some department always has a power or enforcement item.
        for (size_t d = 0; d < county_items_.size() && item < 0; ++d) {
          item = Pick(county_items_[d]);
        }
      }
      const ItemInfo& info = items_[static_cast<size_t>(item)];
      const char* type =
          kDepartmentTypes[static_cast<size_t>(info.department)].code;
      if (kind == LeadKind::kNamedDepartment) {
        lead.role.set_kind(v1::ROLE_KIND_NAMED_UNIT);
        lead.role.set_unit_code(absl::StrCat(
            "dept-", counties_[static_cast<size_t>(county)], "-", type));
      } else {
        lead.role.set_kind(v1::ROLE_KIND_COUNTY_DEPARTMENT);
        lead.role.set_department_type(type);
      }
      lead.item = item;
      lead.duty = info.list == v1::LIST_TYPE_ENFORCEMENT
                      ? v1::DUTY_TYPE_ENFORCEMENT
                  : info.list == v1::LIST_TYPE_GOVERNMENT_SERVICE
                      ? v1::DUTY_TYPE_SERVICE
                      : v1::DUTY_TYPE_DEPARTMENT;
      lead.tier = v1::HANDLING_TIER_COUNTY;
      return lead;
    }
  }
  return lead;
}

v1::DispatchRule* CatalogueWriter::NewRule(const MatterPlan& m,
                                           const Lead& lead) {
  v1::DispatchRule* r = cat_->add_rules();
  r->set_id(absl::StrCat("R", m.code, "-", rule_seq_++));
  r->set_matter_code(m.code);
  *r->mutable_lead() = lead.role;
  r->set_item_code(cat_->items(lead.item).code());
  r->set_duty_type(lead.duty);
  r->set_tier(lead.tier);
  // Co-handlers: 0–2 dispatched units (every township has all three types),
  // never the lead's own.
  std::vector<int> types = dispatched_;
  Shuffle(&types, rng_);
  const int co = rng_.Between(0, 2);
  for (int i = 0, added = 0; i < static_cast<int>(types.size()) && added < co;
       ++i) {
    const char* type = kDepartmentTypes[static_cast<size_t>(types[i])].code;
    if (lead.role.kind() == v1::ROLE_KIND_DISPATCHED_UNIT &&
        lead.role.department_type() == type) {
      continue;
    }
    v1::Role* c = r->add_co_handlers();
    c->set_kind(v1::ROLE_KIND_DISPATCHED_UNIT);
    c->set_department_type(type);
    ++added;
  }
  r->mutable_supervisor()->set_kind(
      m.major || lead.role.kind() == v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM
          ? v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE
          : v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM);
  if (rng_.Percent(20)) {
    *r->mutable_limits()->mutable_handle() =
        MakeDuration(rng_.Between(2, 8), v1::TIME_UNIT_WORKING_HOURS);
  }
  return r;
}

void CatalogueWriter::AddRules() {
  for (const MatterPlan& m : matters_) {
    rule_seq_ = 0;
    // The general rule: no predicates; every case of the matter lands here
    // when nothing more specific matches.
    LeadKind general = LeadKind::kCountyDepartment;
    if (!m.major) {
      const uint32_t r = rng_.Below(100);
      general = r < 45   ? LeadKind::kCommandRoom
                : r < 75 ? LeadKind::kCountyDepartment
                         : LeadKind::kDispatched;
    }
    if (m.code == kConstructionWasteCode) general = LeadKind::kCommandRoom;
    AddRule(m, general, m.department);
    // The scenario matter is split by its scenarios only.
    if (m.code == kConstructionWasteCode && options_.scenarios > 0) continue;
    if (rng_.Percent(options_.specific_rule_percent)) AddSpecificRules(m);
  }
}

// Rules strictly more specific than the general one, in precedence levels
// whose rules exclude each other:
//   level 1  one to three rules of one kind (township classes, urban-rural
//            classes, request kinds, urgency ranges or the site attribute),
//            with disjoint sets, ranges or values: one predicate each;
//   level 2  sometimes one rule refining the first of level 1: two
//            predicates;
//   level 3  sometimes rules for one to three different counties
//            (region_code), each led by that county's named department;
//   level 4  sometimes one priority-10 rule for urgency 5 and above.
void CatalogueWriter::AddSpecificRules(const MatterPlan& m) {
  const int dept = m.department;
  const int urban = DepartmentIndex("urban_management");
  const int emergency = DepartmentIndex("emergency_management");
  const bool dispatched = std::find(dispatched_.begin(), dispatched_.end(),
                                    dept) != dispatched_.end();
  const bool hotline = m.code[0] == 'H';
  const int kind =
      hotline && rng_.Percent(50) ? 2 : static_cast<int>(rng_.Below(5));
  const bool second = rng_.Percent(70);
  std::vector<v1::DispatchRule*> level1;
  switch (kind) {
    case 0: {  // township classes
      v1::DispatchRule* r = AddRule(m, LeadKind::kOwnNameDelegated, dept);
      r->add_township_classes(v1::TOWNSHIP_CLASS_EXTRA_LARGE);
      level1.push_back(r);
      if (second) {
        r = AddRule(
            m, dispatched ? LeadKind::kDispatched : LeadKind::kCountyDepartment,
            dept);
        r->add_township_classes(v1::TOWNSHIP_CLASS_LARGE);
        level1.push_back(r);
      }
      break;
    }
    case 1: {  // urban-rural classes
      v1::DispatchRule* r = AddRule(m, LeadKind::kVillage, dept);
      r->add_urban_rural_classes(v1::URBAN_RURAL_CLASS_VILLAGE);
      r->add_urban_rural_classes(v1::URBAN_RURAL_CLASS_TOWN_RURAL_FRINGE);
      level1.push_back(r);
      if (second) {
        r = AddRule(m, LeadKind::kDispatched, urban);
        r->add_urban_rural_classes(v1::URBAN_RURAL_CLASS_MAIN_URBAN);
        level1.push_back(r);
      }
      break;
    }
    case 2: {  // request kinds
      v1::DispatchRule* r = AddRule(m, LeadKind::kCountyDepartment, dept);
      r->add_request_kinds(v1::REQUEST_KIND_COMPLAINT);
      r->add_request_kinds(v1::REQUEST_KIND_REPORT);
      level1.push_back(r);
      if (second) {
        r = AddRule(m, LeadKind::kCommandRoom, dept);
        r->add_request_kinds(v1::REQUEST_KIND_CONSULT);
        r->add_request_kinds(v1::REQUEST_KIND_SUGGESTION);
        level1.push_back(r);
      }
      break;
    }
    case 3: {  // urgency ranges [4, ∞) and [2, 3]
      v1::DispatchRule* r = AddRule(m, LeadKind::kCountyDepartment, dept);
      r->set_min_urgency(4);
      level1.push_back(r);
      if (second) {
        r = AddRule(m,
                    dispatched ? LeadKind::kDispatched : LeadKind::kCommandRoom,
                    dept);
        r->set_min_urgency(2);
        r->set_max_urgency(3);
        level1.push_back(r);
      }
      break;
    }
    default: {  // the site: distinct values
      std::vector<int> sites(std::size(kSites));
      for (size_t i = 0; i < sites.size(); ++i) sites[i] = static_cast<int>(i);
      Shuffle(&sites, rng_);
      const int rules = second ? rng_.Between(2, 3) : 1;
      for (int i = 0; i < rules; ++i) {
        const int s = sites[static_cast<size_t>(i)];
        const char* site = kSites[s];
        const bool on_road = s == 0 || s == 5;  // road or park
        v1::DispatchRule* r = AddRule(
            m, on_road ? LeadKind::kDispatched : LeadKind::kCountyDepartment,
            on_road ? urban : dept);
        v1::AttributePredicate* p = r->add_attributes();
        p->set_key("site");
        if (i < 2) {
          p->set_equals(site);
        } else {  // the third takes two values: sites 2 and 3
          p->mutable_in_set()->add_values(site);
          p->mutable_in_set()->add_values(kSites[sites[3]]);
        }
        level1.push_back(r);
      }
      break;
    }
  }

  if (rng_.Percent(25)) {
    // One refinement of the first level-1 rule: same test plus one more.
    v1::DispatchRule* r = AddRule(m, LeadKind::kCountyDepartment, dept);
    const v1::DispatchRule& base = *level1.front();
    *r->mutable_township_classes() = base.township_classes();
    *r->mutable_urban_rural_classes() = base.urban_rural_classes();
    *r->mutable_request_kinds() = base.request_kinds();
    r->set_min_urgency(base.min_urgency());
    r->set_max_urgency(base.max_urgency());
    *r->mutable_attributes() = base.attributes();
    v1::AttributePredicate* p = r->add_attributes();
    if (base.attributes_size() > 0) {
      p->set_key("licensed");
      p->set_equals("false");
    } else {
      p->set_key("area_m2");
      p->mutable_range()->set_min(500);
    }
  }

  if (rng_.Percent(20) && !counties_.empty()) {
    // Counties that named their own department: deeper than any rule above.
    const int n =
        std::min<int>(rng_.Between(1, 3), static_cast<int>(counties_.size()));
    std::vector<int> chosen;
    while (static_cast<int>(chosen.size()) < n) {
      const int c =
          static_cast<int>(rng_.Below(static_cast<uint32_t>(counties_.size())));
      if (std::find(chosen.begin(), chosen.end(), c) == chosen.end()) {
        chosen.push_back(c);
      }
    }
    std::sort(chosen.begin(), chosen.end());
    for (int c : chosen) {
      v1::DispatchRule* r =
          NewRule(m, MakeLead(LeadKind::kNamedDepartment, dept, c));
      r->set_region_code(counties_[static_cast<size_t>(c)]);
    }
  }

  if (!m.major && rng_.Percent(10)) {
    v1::DispatchRule* r = AddRule(m, LeadKind::kCountyDepartment, emergency);
    r->set_priority(10);
    r->set_min_urgency(5);
    r->mutable_supervisor()->set_kind(
        v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE);
    r->set_tier(v1::HANDLING_TIER_COUNTY);
  }
}

// Ningbo split construction waste into 14 scenarios by where it was found
// and in which phase; each (site, phase) pair is one scenario, so their
// facts exclude each other.
void CatalogueWriter::AddScenarios() {
  if (options_.scenarios == 0) return;
  const MatterPlan& m = matters_.front();  // kConstructionWasteCode
  const int urban = DepartmentIndex("urban_management");
  const int housing = DepartmentIndex("housing_construction");
  const int transport = DepartmentIndex("transport");
  const struct {
    LeadKind kind;
    int department;
  } dumping[] = {
      {LeadKind::kDispatched, urban},  // road
      {LeadKind::kCountyDepartment, DepartmentIndex("ecology_environment")},
      {LeadKind::kCountyDepartment, DepartmentIndex("natural_resources")},
      {LeadKind::kCountyDepartment, housing},  // construction site
      {LeadKind::kCommandRoom, urban},         // residential
      {LeadKind::kDispatched, urban},          // park
      {LeadKind::kCommandRoom, urban},         // other
  };
  static_assert(std::size(dumping) == std::size(kSites), "one per site");
  for (int k = 0; k < options_.scenarios; ++k) {
    const size_t phase = static_cast<size_t>(k) / std::size(kSites);
    const size_t site = static_cast<size_t>(k) % std::size(kSites);
    Lead lead;
    if (phase == 0) {
      lead = MakeLead(dumping[site].kind, dumping[site].department);
    } else if (phase == 1) {
      lead = MakeLead(site == 4 || site == 6 ? LeadKind::kDispatched
                                             : LeadKind::kCountyDepartment,
                      site == 4 || site == 6 ? urban : transport);
    } else {
      lead = MakeLead(LeadKind::kCountyDepartment, housing);
    }
    v1::Scenario* s = cat_->add_scenarios();
    s->set_code(absl::StrCat("SC", m.code, "-", Pad(k + 1, 2)));
    s->set_matter_code(m.code);
    s->set_name(absl::StrCat("建筑垃圾", kPhaseNames[phase], "（",
                             kSiteNames[site], "）"));
    v1::AttributePredicate* f = s->add_facts();
    f->set_key("site");
    f->set_equals(kSites[site]);
    f = s->add_facts();
    f->set_key("phase");
    f->set_equals(kPhases[phase]);
    *s->mutable_lead() = lead.role;
    if (!(lead.role.kind() == v1::ROLE_KIND_DISPATCHED_UNIT &&
          lead.role.department_type() == kDepartmentTypes[urban].code)) {
      v1::Role* c = s->add_cooperators();
      c->set_kind(v1::ROLE_KIND_DISPATCHED_UNIT);
      c->set_department_type(kDepartmentTypes[urban].code);
    }
    if (!(lead.role.kind() == v1::ROLE_KIND_COUNTY_DEPARTMENT &&
          lead.role.department_type() == kDepartmentTypes[housing].code)) {
      v1::Role* c = s->add_cooperators();
      c->set_kind(v1::ROLE_KIND_COUNTY_DEPARTMENT);
      c->set_department_type(kDepartmentTypes[housing].code);
    }
    s->mutable_supervisor()->set_kind(
        lead.role.kind() == v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM
            ? v1::ROLE_KIND_COUNTY_SOCIAL_GOVERNANCE_CENTRE
            : v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM);
    s->set_item_code(cat_->items(lead.item).code());
    s->set_township_boundary(
        lead.role.kind() == v1::ROLE_KIND_TOWNSHIP_COMMAND_ROOM
            ? "属地牵头：发现、制止、组织清运，结果上报"
            : "属地配合：发现上报、现场管控，移交后配合调查取证");
  }
}

// Clamps `value` into [lo, hi]; hi wins when lo > hi.
int64_t ClampTo(int64_t value, int64_t lo, int64_t hi) {
  return std::min(std::max(value, lo), hi);
}

struct Bound {
  const char* field;
  int64_t lo;
  int64_t hi;
};

// The count bounds, top-down: each level is at least one per parent and at
// most the code capacity, and the province (with at least one region per
// parent below) must fit in kMaxRegions.
ProvinceOptions ClampCounts(const ProvinceOptions& in,
                            std::vector<Bound>* bounds) {
  ProvinceOptions o = in;
  const int64_t cap = static_cast<int64_t>(kMaxRegions);
  int64_t prefix = 1;  // the province
  int* fields[] = {&o.cities, &o.counties, &o.townships, &o.villages, &o.grids};
  const char* names[] = {"cities", "counties", "townships", "villages",
                         "grids"};
  const int64_t per_parent[] = {kMaxCitiesPerProvince, kMaxCountiesPerCity,
                                kMaxTownshipsPerCounty, kMaxVillagesPerTownship,
                                kMaxGridsPerVillage};
  int64_t parents = 1;
  for (int i = 0; i < 5; ++i) {
    const int64_t levels_left = 5 - i;
    const int64_t lo = parents;
    const int64_t hi =
        std::min(parents * per_parent[i], (cap - prefix) / levels_left);
    if (bounds != nullptr) bounds->push_back({names[i], lo, hi});
    *fields[i] = static_cast<int>(ClampTo(*fields[i], lo, hi));
    parents = *fields[i];
    prefix += parents;
  }
  return o;
}

struct CatalogueBound {
  int ProvinceOptions::*field;
  const char* name;
  int64_t lo;
  int64_t hi;
};

constexpr CatalogueBound kCatalogueBounds[] = {
    {&ProvinceOptions::items, "items", 60, 1000000},
    {&ProvinceOptions::matters, "matters", 1, 5000},
    {&ProvinceOptions::specific_rule_percent, "specific_rule_percent", 0, 100},
    {&ProvinceOptions::delegated_items_per_township,
     "delegated_items_per_township", 0, 2000},
    {&ProvinceOptions::scenarios, "scenarios", 0, kMaxScenarios},
};

int64_t RegionsPerProvince(const ProvinceOptions& o) {
  return int64_t{1} + o.cities + o.counties + o.townships + o.villages +
         o.grids;
}

ProvinceOptions Clamp(const ProvinceOptions& in) {
  ProvinceOptions o = ClampCounts(in, nullptr);
  o.province_code = static_cast<int>(ClampTo(o.province_code, 11, 99));
  const int64_t max_provinces = std::min<int64_t>(
      100 - o.province_code,
      static_cast<int64_t>(kMaxRegions) / RegionsPerProvince(o));
  o.provinces = static_cast<int>(ClampTo(o.provinces, 1, max_provinces));
  for (const CatalogueBound& b : kCatalogueBounds) {
    o.*b.field = static_cast<int>(ClampTo(o.*b.field, b.lo, b.hi));
  }
  return o;
}

void AddHoliday(v1::WorkCalendar* cal, const char* name, const char* first,
                const char* last) {
  v1::Holiday* h = cal->add_holidays();
  h->set_name(name);
  h->set_first_date(first);
  h->set_last_date(last);
}

void AddMakeup(v1::WorkCalendar* cal, const char* date, const char* name) {
  v1::MakeupWorkday* m = cal->add_makeup_workdays();
  m->set_date(date);
  m->set_name(name);
}

}  // namespace

ProvinceOptions ProvinceOptions::Province() { return ProvinceOptions(); }

ProvinceOptions ProvinceOptions::Small() {
  ProvinceOptions o;
  o.cities = 1;
  o.counties = 2;
  o.townships = 10;
  o.villages = 100;
  o.grids = 1500;
  o.items = 400;
  o.matters = 40;
  o.delegated_items_per_township = 60;
  return o;
}

ProvinceOptions ProvinceOptions::TenProvinces() {
  ProvinceOptions o;
  o.province_code = 32;
  o.provinces = 10;
  return o;
}

bool ProvincePreset(absl::string_view name, ProvinceOptions* options) {
  if (name == "small") {
    *options = ProvinceOptions::Small();
  } else if (name == "province") {
    *options = ProvinceOptions::Province();
  } else if (name == "ten-provinces") {
    *options = ProvinceOptions::TenProvinces();
  } else {
    return false;
  }
  return true;
}

absl::Status ValidateProvinceOptions(const ProvinceOptions& options) {
  if (options.province_code < 11 || options.province_code > 99) {
    return absl::InvalidArgumentError(
        absl::StrCat("ProvinceOptions.province_code = ", options.province_code,
                     " is out of range [11, 99]"));
  }
  std::vector<Bound> bounds;
  const ProvinceOptions clamped = ClampCounts(options, &bounds);
  const int values[] = {options.cities, options.counties, options.townships,
                        options.villages, options.grids};
  for (size_t i = 0; i < bounds.size(); ++i) {
    // Bounds after a bad field depend on its clamped value: report the
    // first bad field only.
    if (values[i] < bounds[i].lo || values[i] > bounds[i].hi) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ProvinceOptions.", bounds[i].field, " = ", values[i],
          " is out of range [", bounds[i].lo, ", ", bounds[i].hi, "]"));
    }
  }
  const int64_t max_provinces = std::min<int64_t>(
      100 - options.province_code,
      static_cast<int64_t>(kMaxRegions) / RegionsPerProvince(clamped));
  if (options.provinces < 1 || options.provinces > max_provinces) {
    return absl::InvalidArgumentError(
        absl::StrCat("ProvinceOptions.provinces = ", options.provinces,
                     " is out of range [1, ", max_provinces, "]"));
  }
  for (const CatalogueBound& b : kCatalogueBounds) {
    const int value = options.*b.field;
    if (value < b.lo || value > b.hi) {
      return absl::InvalidArgumentError(
          absl::StrCat("ProvinceOptions.", b.name, " = ", value,
                       " is out of range [", b.lo, ", ", b.hi, "]"));
    }
  }
  return absl::OkStatus();
}

v1::WorkCalendar GeneratedWorkCalendar() {
  v1::WorkCalendar cal;
  cal.set_time_zone("Asia/Shanghai");
  cal.set_utc_offset_minutes(480);
  cal.set_first_date("2025-01-01");
  cal.set_last_date("2027-12-31");
  cal.add_rest_weekdays(6);
  cal.add_rest_weekdays(7);
  // State Council notice of 2025-11-04 on the 2026 holidays.
  AddHoliday(&cal, "元旦", "2026-01-01", "2026-01-03");
  AddHoliday(&cal, "春节", "2026-02-15", "2026-02-23");
  AddHoliday(&cal, "清明节", "2026-04-04", "2026-04-06");
  AddHoliday(&cal, "劳动节", "2026-05-01", "2026-05-05");
  AddHoliday(&cal, "端午节", "2026-06-19", "2026-06-21");
  AddHoliday(&cal, "中秋节", "2026-09-25", "2026-09-27");
  AddHoliday(&cal, "国庆节", "2026-10-01", "2026-10-07");
  AddMakeup(&cal, "2026-01-04", "元旦");
  AddMakeup(&cal, "2026-02-14", "春节");
  AddMakeup(&cal, "2026-02-28", "春节");
  AddMakeup(&cal, "2026-05-09", "劳动节");
  AddMakeup(&cal, "2026-09-20", "国庆节");
  AddMakeup(&cal, "2026-10-10", "国庆节");
  v1::WorkingWindow* morning = cal.add_windows();
  morning->set_start_minute(8 * 60 + 30);
  morning->set_end_minute(12 * 60);
  v1::WorkingWindow* afternoon = cal.add_windows();
  afternoon->set_start_minute(14 * 60);
  afternoon->set_end_minute(17 * 60 + 30);
  return cal;
}

v1::Dataset GenerateProvince(const ProvinceOptions& requested) {
  const ProvinceOptions options = Clamp(requested);
  v1::Dataset dataset;

  v1::DatasetMeta* meta = dataset.mutable_meta();
  meta->set_id(absl::StrCat("jiceng-gen-p", options.province_code, "x",
                            options.provinces, "-s", options.seed));
  meta->set_version("2026.1");
  meta->set_source("jiceng province generator (synthetic data)");
  meta->set_effective_date("2026-01-01");
  meta->set_description(absl::StrCat(
      "Synthetic dataset: ", options.provinces, " province(s), each ",
      options.cities, " cities, ", options.counties, " counties, ",
      options.townships, " townships, ", options.villages, " villages, ",
      options.grids, " grids; seed ", options.seed, "."));

  v1::OrganizationPolicy* policy = dataset.mutable_organization_policy();
  policy->set_institution_cap_general(6);
  policy->set_institution_cap_large(7);
  policy->set_institution_cap_extra_large(8);

  const int64_t regions =
      RegionsPerProvince(options) * static_cast<int64_t>(options.provinces);
  dataset.mutable_regions()->Reserve(static_cast<int>(regions));
  if (options.units) {
    for (const DepartmentTypeSpec& t : kDepartmentTypes) {
      v1::DepartmentType* dt = dataset.add_department_types();
      dt->set_code(t.code);
      dt->set_name(t.name);
      dt->set_enforces(t.enforces);
    }
    const int64_t per_township = 13;  // gov, room, 4-6 offices, 3 dispatched…
    const int64_t units =
        static_cast<int64_t>(options.provinces) *
        (1 + 2 * int64_t{options.cities} + 17 * int64_t{options.counties} +
         per_township * options.townships + options.villages);
    dataset.mutable_units()->Reserve(static_cast<int>(units));
    dataset.mutable_police_grids()->Reserve(static_cast<int>(
        options.provinces * (int64_t{options.grids} / 10 + options.townships)));
  }

  for (int p = 0; p < options.provinces; ++p) {
    ProvinceWriter(options, options.province_code + p, &dataset).Write();
  }
  *dataset.mutable_calendar() = GeneratedWorkCalendar();
  if (options.units && options.catalogue) {
    CatalogueWriter(options, &dataset).Write();
  }
  return dataset;
}

}  // namespace jiceng
