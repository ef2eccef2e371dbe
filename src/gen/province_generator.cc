// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/gen/province_generator.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "jiceng/v1/calendar.pb.h"
#include "jiceng/v1/dataset.pb.h"
#include "jiceng/v1/hierarchy.pb.h"
#include "jiceng/v1/organization.pb.h"
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

// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and — unlike the
// std:: distributions — specified bit for bit, so every platform draws the
// same numbers.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n). REQUIRES: 1 <= n < 2^32. Multiply-shift, no modulo:
  // the bias (< 2^-32) is irrelevant here.
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>(((Next() >> 32) * n) >> 32);
  }
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint32_t>(hi - lo + 1)));
  }
  bool Percent(int p) { return Below(100) < static_cast<uint32_t>(p); }

 private:
  uint64_t state_;
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
  return o;
}

ProvinceOptions ProvinceOptions::TenProvinces() {
  ProvinceOptions o;
  o.province_code = 32;
  o.provinces = 10;
  return o;
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
  return dataset;
}

}  // namespace jiceng
