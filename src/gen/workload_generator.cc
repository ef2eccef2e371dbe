// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/gen/workload_generator.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "jiceng/v1/routing.pb.h"
#include "src/base/civil_date.h"
#include "src/base/splitmix64.h"
#include "src/base/status_macros.h"
#include "src/calendar/work_calendar.h"
#include "src/routing/batch.h"

namespace jiceng {
namespace {

using Rng = SplitMix64;

// Draws of an unknown matter code from 90000-99999 before one from the
// codes there that the catalogue lacks.
constexpr int kUnknownMatterDraws = 32;
// The smallest region code of 18 digits, the most a code may have.
constexpr uint64_t kEighteenDigits = 100000000000000000;

// Codes drawn uniformly or Zipf(1) over a seeded permutation of them.
template <typename T>
class Picker {
 public:
  Picker(std::vector<T> values, Rng& rng) : values_(std::move(values)) {
    for (size_t i = values_.size(); i > 1; --i) {
      std::swap(values_[i - 1], values_[rng.Below(i)]);
    }
    cumulative_.reserve(values_.size());
    uint64_t total = 0;
    for (size_t rank = 1; rank <= values_.size(); ++rank) {
      total += (uint64_t{1} << 40) / rank;
      cumulative_.push_back(total);
    }
  }
  bool empty() const { return values_.empty(); }
  const T& Uniform(Rng& rng) const { return values_[rng.Below(values_.size())]; }
  const T& Zipf(Rng& rng) const {
    const uint64_t x = rng.Below(cumulative_.back());
    const size_t i = static_cast<size_t>(
        std::upper_bound(cumulative_.begin(), cumulative_.end(), x) -
        cumulative_.begin());
    return values_[i];
  }
  const T& Pick(Rng& rng, bool zipf) const {
    return zipf ? Zipf(rng) : Uniform(rng);
  }

 private:
  std::vector<T> values_;
  std::vector<uint64_t> cumulative_;
};

// The days of the calendar's holiday year, by kind, and its windows.
struct Days {
  std::vector<int32_t> holidays, makeups, rest, working;
  std::vector<std::pair<int, int>> windows;  // local seconds [start, end)
  int working_seconds = 0;
};

absl::StatusOr<Days> ClassifyDays(const v1::WorkCalendar& proto) {
  JC_ASSIGN_OR_RETURN(const WorkCalendar cal, WorkCalendar::Build(proto));
  if (proto.holidays_size() == 0) {
    return absl::FailedPreconditionError(
        "calendar: no holidays to spread cases over");
  }
  // The holiday year: the year of the first listed holiday.
  int year = 0;
  (void)absl::SimpleAtoi(proto.holidays(0).first_date().substr(0, 4), &year);
  const int32_t begin =
      std::max(DaysFromCivil(year, 1, 1), cal.first_day());
  const int32_t end = std::min(DaysFromCivil(year, 12, 31), cal.last_day());
  absl::flat_hash_set<int32_t> holiday, makeup;
  for (const v1::Holiday& h : proto.holidays()) {
    for (int32_t d = *ParseIsoDate(h.first_date());
         d <= *ParseIsoDate(h.last_date()); ++d) {
      holiday.insert(d);
    }
  }
  for (const v1::MakeupWorkday& m : proto.makeup_workdays()) {
    makeup.insert(*ParseIsoDate(m.date()));
  }
  Days days;
  for (int32_t d = begin; d <= end; ++d) {
    if (makeup.contains(d)) {
      days.makeups.push_back(d);
    } else if (holiday.contains(d)) {
      days.holidays.push_back(d);
    } else if (cal.IsWorkingDay(d)) {
      days.working.push_back(d);
    } else {
      days.rest.push_back(d);
    }
  }
  if (days.holidays.empty() || days.makeups.empty() || days.rest.empty() ||
      days.working.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "calendar: year ", year,
        " lacks holidays, make-up days, rest days or working days"));
  }
  for (const v1::WorkingWindow& w : proto.windows()) {
    days.windows.emplace_back(w.start_minute() * 60, w.end_minute() * 60);
    days.working_seconds += (w.end_minute() - w.start_minute()) * 60;
  }
  return days;
}

// A second of the day inside a window (in_hours) or outside every window.
int InDaySecond(const Days& days, bool in_hours, Rng& rng) {
  if (in_hours) {
    int r = static_cast<int>(rng.Below(days.working_seconds));
    for (const auto& [start, end] : days.windows) {
      if (r < end - start) return start + r;
      r -= end - start;
    }
    return days.windows.back().second - 1;
  }
  const int off = 86400 - days.working_seconds;
  if (off <= 0) return days.windows.front().first;
  int r = static_cast<int>(rng.Below(off));
  int at = 0;
  for (const auto& [start, end] : days.windows) {
    if (r < start - at) return at + r;
    r -= start - at;
    at = end;
  }
  return at + r;
}

}  // namespace

absl::Status ValidateWorkloadOptions(const WorkloadOptions& o) {
  auto range = [](const char* name, int64_t v, int64_t lo, int64_t hi) {
    if (v >= lo && v <= hi) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        "WorkloadOptions.", name, " = ", v, " is outside ", lo, "..", hi));
  };
  for (const absl::Status& s :
       {range("cases", o.cases, 1, 100000000),
        range("zipf_percent", o.zipf_percent, 0, 100),
        range("unknown_per_mille", o.unknown_per_mille, 0, 1000),
        range("urgent_percent", o.urgent_percent, 0, 100),
        range("holiday_percent", o.holiday_percent, 0, 100),
        range("makeup_percent", o.makeup_percent, 0, 100),
        range("rest_day_percent", o.rest_day_percent, 0, 100),
        range("out_of_hours_percent", o.out_of_hours_percent, 0, 100),
        range("attribute_percent", o.attribute_percent, 0, 100)}) {
    if (!s.ok()) return s;
  }
  const int sum = o.holiday_percent + o.makeup_percent + o.rest_day_percent +
                  o.out_of_hours_percent;
  if (sum > 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "WorkloadOptions: holiday, makeup, rest_day and out_of_hours "
        "percentages sum to ",
        sum, ", more than 100"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> GenerateWorkload(const v1::Dataset& dataset,
                                             const WorkloadOptions& options) {
  std::string out;
  JC_RETURN_IF_ERROR(
      GenerateWorkload(dataset, options, [&](absl::string_view piece) {
        out.append(piece.data(), piece.size());
        return absl::OkStatus();
      }));
  return out;
}

absl::Status GenerateWorkload(const v1::Dataset& dataset,
                              const WorkloadOptions& options,
                              WorkloadSink sink) {
  JC_RETURN_IF_ERROR(ValidateWorkloadOptions(options));
  JC_ASSIGN_OR_RETURN(const Days days, ClassifyDays(dataset.calendar()));
  Rng rng(options.seed);

  std::vector<uint64_t> grids, villages, townships;
  absl::flat_hash_set<uint64_t> known;
  for (const v1::Region& r : dataset.regions()) {
    uint64_t code = 0;
    if (!absl::SimpleAtoi(r.code(), &code)) continue;
    known.insert(code);
    switch (r.level()) {
      case v1::REGION_LEVEL_GRID:
        grids.push_back(code);
        break;
      case v1::REGION_LEVEL_VILLAGE:
        villages.push_back(code);
        break;
      case v1::REGION_LEVEL_TOWNSHIP:
        townships.push_back(code);
        break;
      default:
        break;
    }
  }
  std::vector<std::string> matter_codes;
  absl::flat_hash_set<std::string> known_matters;
  size_t longest_matter = 0;
  for (const v1::Matter& m : dataset.catalogue().matters()) {
    matter_codes.push_back(m.code());
    known_matters.insert(m.code());
    longest_matter = std::max(longest_matter, m.code().size());
  }
  // Unknown matters come from 90000-99999: the codes there the catalogue
  // lacks, for when kUnknownMatterDraws draws all hit it; when it has them
  // all, a code longer than every code it has.
  std::vector<uint32_t> free_matter_codes;
  for (uint32_t code = 90000; code <= 99999; ++code) {
    if (!known_matters.contains(absl::StrCat(code))) {
      free_matter_codes.push_back(code);
    }
  }
  const std::string no_free_matter_code(std::max<size_t>(longest_matter + 1, 6),
                                        '9');
  if (townships.empty() || matter_codes.empty()) {
    return absl::FailedPreconditionError(
        "dataset: no township-level region or no matter to draw cases from");
  }
  // Levels without regions borrow from the level above (a dataset may stop
  // at villages).
  if (villages.empty()) villages = townships;
  if (grids.empty()) grids = villages;
  const Picker<uint64_t> grid_pick(std::move(grids), rng);
  const Picker<uint64_t> village_pick(std::move(villages), rng);
  const Picker<uint64_t> township_pick(std::move(townships), rng);
  const Picker<std::string> matter_pick(std::move(matter_codes), rng);
  const int offset_seconds = dataset.calendar().utc_offset_minutes() * 60;

  std::string out;
  out.reserve(kWorkloadPieceBytes + 4096);
  v1::Case c;
  // Odd unknown_per_mille: which of the two kinds the last unknown value
  // (the one without a partner) gives next, alternately.
  bool odd_value_is_location = true;
  for (int64_t i = 0; i < options.cases; ++i) {
    c.Clear();
    c.set_id(absl::StrCat("W", i));
    c.set_source(static_cast<v1::CaseSource>(1 + rng.Below(6)));
    const bool zipf = rng.Percent(options.zipf_percent);
    const uint64_t where = rng.Below(100);
    uint64_t location = where < 85   ? grid_pick.Pick(rng, zipf)
                        : where < 95 ? village_pick.Pick(rng, zipf)
                                     : township_pick.Pick(rng, zipf);
    std::string matter = matter_pick.Pick(rng, zipf);
    const uint64_t unknown = rng.Below(1000);
    const uint64_t per_mille = static_cast<uint64_t>(options.unknown_per_mille);
    if (unknown < per_mille) {
      // Even values a location, odd ones a matter; for an odd per_mille the
      // last value, even but unpaired, alternates so that the two halves
      // are equal.
      bool unknown_location = unknown % 2 == 0;
      if (per_mille % 2 == 1 && unknown == per_mille - 1) {
        unknown_location = odd_value_is_location;
        odd_value_is_location = !odd_value_is_location;
      }
      if (unknown_location) {
        // The code two digits longer ("<code>00"), or for a code of 18
        // digits, which has no room for them, the code itself; then up in
        // steps of 1-7 past any code the dataset has.
        uint64_t code = location < kEighteenDigits ? location * 100 : location;
        while (known.contains(code)) code += 1 + rng.Below(7);
        location = code;
      } else {
        // Drawn from the whole range until a code is free, as the pinned
        // stream was made; bounded, for a catalogue that fills the range.
        std::string code = no_free_matter_code;
        for (int draws = 0; !free_matter_codes.empty(); ++draws) {
          if (draws == kUnknownMatterDraws) {
            code = absl::StrCat(
                free_matter_codes[rng.Below(free_matter_codes.size())]);
            break;
          }
          code = absl::StrCat(90000 + rng.Below(10000));
          if (!known_matters.contains(code)) break;
        }
        matter = std::move(code);
      }
    }
    c.set_location_code(location);
    c.set_matter_code(matter);
    c.set_request_kind(static_cast<v1::RequestKind>(rng.Below(6)));
    if (rng.Percent(options.urgent_percent)) {
      c.set_urgency(4);
    } else {
      const uint64_t u = rng.Below(100);
      c.set_urgency(u < 85 ? 1 : u < 90 ? 0 : u < 97 ? 2 : 3);
    }
    // When: the kind of day, then the second of the day.
    const int64_t t = static_cast<int64_t>(rng.Below(100));
    const int64_t h = options.holiday_percent;
    const int64_t m = h + options.makeup_percent;
    const int64_t r = m + options.rest_day_percent;
    const int64_t o = r + options.out_of_hours_percent;
    int32_t day;
    bool in_hours = true;
    if (t < h) {
      day = days.holidays[rng.Below(days.holidays.size())];
    } else if (t < m) {
      day = days.makeups[rng.Below(days.makeups.size())];
    } else if (t < r) {
      day = days.rest[rng.Below(days.rest.size())];
    } else {
      day = days.working[rng.Below(days.working.size())];
      in_hours = t >= o;
    }
    if (t < r) in_hours = rng.Percent(50);
    const int second = InDaySecond(days, in_hours, rng);
    c.set_reported_at(int64_t{day} * 86400 + second - offset_seconds);
    if (rng.Percent(options.attribute_percent)) {
      for (const v1::AttributeDefinition& a :
           dataset.catalogue().attributes()) {
        if (rng.Below(2) == 0) continue;
        v1::CaseAttribute* attr = c.add_attributes();
        attr->set_key(a.key());
        switch (a.type()) {
          case v1::ATTRIBUTE_TYPE_NUMBER:
            attr->set_value(absl::StrCat(rng.Below(5000)));
            break;
          case v1::ATTRIBUTE_TYPE_BOOL:
            attr->set_value(rng.Below(2) == 0 ? "true" : "false");
            break;
          default:
            if (a.allowed_values_size() > 0) {
              attr->set_value(a.allowed_values(static_cast<int>(
                  rng.Below(static_cast<uint64_t>(a.allowed_values_size())))));
            } else {
              attr->set_value(absl::StrCat("v", rng.Below(10)));
            }
            break;
        }
      }
    }
    AppendDelimited(c, &out);
    if (out.size() >= kWorkloadPieceBytes) {
      JC_RETURN_IF_ERROR(sink(out));
      out.clear();
    }
  }
  if (!out.empty()) JC_RETURN_IF_ERROR(sink(out));
  return absl::OkStatus();
}

}  // namespace jiceng
