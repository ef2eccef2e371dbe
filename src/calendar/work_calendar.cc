// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/calendar/work_calendar.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "src/base/civil_date.h"
#include "src/base/utf8.h"

namespace jiceng {
namespace {

constexpr absl::string_view kKind = "calendar";
constexpr int64_t kSecondsPerDay = WorkCalendar::kSecondsPerDay;
constexpr int kMinutesPerDay = 1440;

// User text echoed in a report is cut at a UTF-8 boundary: a proto3 string
// holding half a character would fail to serialize.
std::string Bounded(absl::string_view text) {
  constexpr size_t kMax = 48;
  if (text.size() <= kMax) return std::string(text);
  return absl::StrCat(Utf8Prefix(text, kMax), "…");
}

std::string Quote(absl::string_view text) {
  return absl::StrCat("\"", Bounded(text), "\"");
}

std::string FormatMinute(int minute) {
  return absl::StrFormat("%02d:%02d", minute / 60, minute % 60);
}

// Fixed-offset zones whose offset is known, in minutes east of UTC.
absl::optional<int> KnownZoneOffset(absl::string_view zone) {
  if (zone == "Asia/Shanghai" || zone == "PRC") return 480;
  if (zone == "UTC" || zone == "Etc/UTC" || zone == "GMT" ||
      zone == "Etc/GMT") {
    return 0;
  }
  // Etc/GMT-8 is UTC+8: the POSIX sign is inverted.
  constexpr absl::string_view kEtcGmt = "Etc/GMT";
  if (zone.size() > kEtcGmt.size() + 1 && zone.substr(0, 7) == kEtcGmt &&
      (zone[7] == '+' || zone[7] == '-')) {
    absl::string_view digits = zone.substr(8);
    int hours = 0;
    if (digits.size() <= 2 && digits[0] != '0' &&
        std::all_of(digits.begin(), digits.end(),
                    [](char c) { return c >= '0' && c <= '9'; }) &&
        absl::SimpleAtoi(digits, &hours) && hours <= 14) {
      return (zone[7] == '-' ? 1 : -1) * hours * 60;
    }
  }
  return absl::nullopt;
}

// Parses a dataset date, reporting calendar.malformed_date on `field`.
absl::optional<int32_t> ParseDateField(absl::string_view text,
                                       const std::string& field,
                                       ProblemList* problems) {
  absl::optional<int32_t> day = ParseIsoDate(text);
  if (!day.has_value()) {
    problems->Error("calendar.malformed_date", kKind, Bounded(text), field,
                    absl::StrCat(field, " ", Quote(text),
                                 " is not a real date in the form YYYY-MM-DD "
                                 "(years ",
                                 kMinYear, "–", kMaxYear, ")"));
  }
  return day;
}

void ValidateTimeZone(const v1::WorkCalendar& calendar, ProblemList* problems) {
  const std::string& zone = calendar.time_zone();
  const int offset = calendar.utc_offset_minutes();
  if (zone.empty()) {
    problems->Error("calendar.time_zone", kKind, "", "time_zone",
                    "time_zone is empty; expected an IANA name of a "
                    "fixed-offset zone such as \"Asia/Shanghai\"");
  }
  if (offset < -kMaxUtcOffsetMinutes || offset > kMaxUtcOffsetMinutes) {
    problems->Error(
        "calendar.time_zone", kKind, Bounded(zone), "utc_offset_minutes",
        absl::StrCat("utc_offset_minutes is ", offset, "; expected -",
                     kMaxUtcOffsetMinutes, "..", kMaxUtcOffsetMinutes));
    return;
  }
  absl::optional<int> known = KnownZoneOffset(zone);
  if (known.has_value() && *known != offset) {
    problems->Error("calendar.time_zone", kKind, Bounded(zone),
                    "utc_offset_minutes",
                    absl::StrCat("utc_offset_minutes is ", offset, " but ",
                                 Quote(zone), " is UTC", *known < 0 ? "-" : "+",
                                 FormatMinute(std::abs(*known)), " (", *known,
                                 " minutes)"));
  }
}

// Returns the rest weekdays in effect: rest[w] for ISO weekday w.
std::array<bool, 8> ValidateRestWeekdays(const v1::WorkCalendar& calendar,
                                         ProblemList* problems) {
  std::array<bool, 8> rest{};
  if (calendar.rest_weekdays_size() == 0) {
    rest[6] = rest[7] = true;
    return rest;
  }
  for (int i = 0; i < calendar.rest_weekdays_size(); ++i) {
    const int32_t w = calendar.rest_weekdays(i);
    const std::string path = absl::StrCat("rest_weekdays[", i, "]");
    if (w < 1 || w > 7) {
      problems->Error("calendar.rest_weekday", kKind, path, path,
                      absl::StrCat(path, " is ", w,
                                   "; expected an ISO weekday 1 (Monday) to 7 "
                                   "(Sunday)"));
    } else if (rest[w]) {
      problems->Error("calendar.rest_weekday", kKind, path, path,
                      absl::StrCat(path, " repeats weekday ", w));
    } else {
      rest[w] = true;
    }
  }
  return rest;
}

// A holiday with valid, ordered dates.
struct HolidaySpan {
  int32_t first;
  int32_t last;
  int index;
};

void ValidateWindows(const v1::WorkCalendar& calendar, ProblemList* problems) {
  if (calendar.windows_size() == 0) {
    problems->Error("calendar.window", kKind, "", "windows",
                    "no working-hour windows: a working day would have no "
                    "working time");
    return;
  }
  int prev = -1;  // the last well-formed window
  for (int i = 0; i < calendar.windows_size(); ++i) {
    const v1::WorkingWindow& w = calendar.windows(i);
    const std::string path = absl::StrCat("windows[", i, "]");
    bool ok = true;
    if (w.start_minute() < 0) {
      ok = false;
      problems->Error("calendar.window", kKind, path,
                      absl::StrCat(path, ".start_minute"),
                      absl::StrCat(path, " starts at minute ", w.start_minute(),
                                   ", before midnight"));
    }
    if (w.end_minute() > kMinutesPerDay) {
      ok = false;
      problems->Error("calendar.window", kKind, path,
                      absl::StrCat(path, ".end_minute"),
                      absl::StrCat(path, " ends at minute ", w.end_minute(),
                                   ", after 24:00 (1440)"));
    }
    if (w.start_minute() >= w.end_minute()) {
      ok = false;
      problems->Error(
          "calendar.window", kKind, path, absl::StrCat(path, ".end_minute"),
          absl::StrCat(path, " ends at minute ", w.end_minute(),
                       ", not after its start at minute ", w.start_minute()));
    }
    if (!ok) continue;
    if (prev >= 0 && w.start_minute() < calendar.windows(prev).end_minute()) {
      problems->Error(
          "calendar.window", kKind, path, absl::StrCat(path, ".start_minute"),
          absl::StrCat(path, " starts at ", FormatMinute(w.start_minute()),
                       ", before windows[", prev, "] ends at ",
                       FormatMinute(calendar.windows(prev).end_minute()),
                       ": windows must be sorted and must not overlap"));
    }
    prev = i;
  }
}

// Whether `day` is inside one of `merged` (sorted, disjoint spans).
bool InSpans(const std::vector<std::pair<int32_t, int32_t>>& merged,
             int32_t day) {
  auto it =
      std::upper_bound(merged.begin(), merged.end(), day,
                       [](int32_t d, const std::pair<int32_t, int32_t>& s) {
                         return d < s.first;
                       });
  if (it == merged.begin()) return false;
  --it;
  return day <= it->second;
}

// Floor division and modulo for a possibly negative dividend.
void DivModDay(int64_t seconds, int64_t* day, int64_t* second) {
  *day = seconds / kSecondsPerDay;
  *second = seconds % kSecondsPerDay;
  if (*second < 0) {
    *second += kSecondsPerDay;
    --*day;
  }
}

}  // namespace

void ValidateCalendar(const v1::WorkCalendar& calendar, ProblemList* problems) {
  // An absent calendar is one problem, not one per empty field.
  if (calendar.ByteSizeLong() == 0) {
    problems->Error("calendar.missing", kKind, "", "first_date",
                    "the work calendar is absent: deadlines in working time "
                    "need its range, holidays and working hours");
    return;
  }
  // The range.
  absl::optional<int32_t> first, last;
  if (calendar.first_date().empty()) {
    problems->Error("calendar.missing", kKind, "", "first_date",
                    "first_date is empty: the calendar covers no range");
  } else {
    first = ParseDateField(calendar.first_date(), "first_date", problems);
  }
  if (calendar.last_date().empty()) {
    problems->Error("calendar.missing", kKind, "", "last_date",
                    "last_date is empty: the calendar covers no range");
  } else {
    last = ParseDateField(calendar.last_date(), "last_date", problems);
  }
  // Containment checks need an ordered range; a too-long one is still
  // ordered, so they run for it too.
  bool ordered = first.has_value() && last.has_value();
  if (ordered && *last < *first) {
    ordered = false;
    problems->Error(
        "calendar.range", kKind, Bounded(calendar.last_date()), "last_date",
        absl::StrCat("last_date ", calendar.last_date(),
                     " is before first_date ", calendar.first_date()));
  } else if (ordered && int64_t{*last} - *first + 1 > kMaxCalendarDays) {
    problems->Error(
        "calendar.range", kKind, Bounded(calendar.last_date()), "last_date",
        absl::StrCat("the range ", calendar.first_date(), " to ",
                     calendar.last_date(), " spans ",
                     int64_t{*last} - *first + 1, " days; at most ",
                     kMaxCalendarDays, " (200 years) are supported"));
  }
  auto inside = [&](int32_t day) {
    return !ordered || (day >= *first && day <= *last);
  };

  ValidateTimeZone(calendar, problems);
  const std::array<bool, 8> rest = ValidateRestWeekdays(calendar, problems);

  // Holidays: each span is checked by arithmetic, never expanded.
  std::vector<HolidaySpan> spans;
  spans.reserve(calendar.holidays_size());
  for (int i = 0; i < calendar.holidays_size(); ++i) {
    const v1::Holiday& h = calendar.holidays(i);
    const std::string path = absl::StrCat("holidays[", i, "]");
    absl::optional<int32_t> f = ParseDateField(
        h.first_date(), absl::StrCat(path, ".first_date"), problems);
    absl::optional<int32_t> l = ParseDateField(
        h.last_date(), absl::StrCat(path, ".last_date"), problems);
    if (!f.has_value() || !l.has_value()) continue;
    if (*l < *f) {
      problems->Error(
          "calendar.holiday_range", kKind, path,
          absl::StrCat(path, ".last_date"),
          absl::StrCat(path, " ", Quote(h.name()), " ends ", h.last_date(),
                       ", before it starts ", h.first_date()));
      continue;
    }
    if (!inside(*f)) {
      problems->Error(
          "calendar.holiday_range", kKind, path,
          absl::StrCat(path, ".first_date"),
          absl::StrCat(path, " ", Quote(h.name()), " starts ", h.first_date(),
                       ", outside the calendar ", calendar.first_date(), " to ",
                       calendar.last_date()));
    } else if (!inside(*l)) {
      problems->Error(
          "calendar.holiday_range", kKind, path,
          absl::StrCat(path, ".last_date"),
          absl::StrCat(path, " ", Quote(h.name()), " ends ", h.last_date(),
                       ", outside the calendar ", calendar.first_date(), " to ",
                       calendar.last_date()));
    }
    spans.push_back({*f, *l, i});
  }
  std::sort(spans.begin(), spans.end(),
            [](const HolidaySpan& a, const HolidaySpan& b) {
              return a.first != b.first ? a.first < b.first : a.index < b.index;
            });
  // Union of the holidays, for the make-up checks; `reach` is the holiday
  // that extends the current union furthest, so an overlap names a holiday
  // that really shares the day.
  std::vector<std::pair<int32_t, int32_t>> merged;
  int reach = -1;
  for (const HolidaySpan& s : spans) {
    if (merged.empty() || s.first > merged.back().second) {
      merged.emplace_back(s.first, s.last);
      reach = s.index;
      continue;
    }
    const std::string path = absl::StrCat("holidays[", s.index, "]");
    problems->Error(
        "calendar.holiday_overlap", kKind, path,
        absl::StrCat(path, ".first_date"),
        absl::StrCat(path, " ", Quote(calendar.holidays(s.index).name()),
                     " shares ", FormatIsoDate(s.first), " with holidays[",
                     reach, "] ", Quote(calendar.holidays(reach).name())));
    if (s.last > merged.back().second) {
      merged.back().second = s.last;
      reach = s.index;
    }
  }

  // Make-up working days.
  std::vector<std::pair<int32_t, int>> makeups;
  makeups.reserve(calendar.makeup_workdays_size());
  for (int i = 0; i < calendar.makeup_workdays_size(); ++i) {
    const v1::MakeupWorkday& m = calendar.makeup_workdays(i);
    const std::string field = absl::StrCat("makeup_workdays[", i, "].date");
    absl::optional<int32_t> day = ParseDateField(m.date(), field, problems);
    if (!day.has_value()) continue;
    if (!inside(*day)) {
      problems->Error(
          "calendar.makeup_outside", kKind, m.date(), field,
          absl::StrCat("make-up working day ", m.date(),
                       " is outside the calendar ", calendar.first_date(),
                       " to ", calendar.last_date()));
    }
    if (InSpans(merged, *day)) {
      problems->Error("calendar.makeup_conflict", kKind, m.date(), field,
                      absl::StrCat("make-up working day ", m.date(),
                                   " is also a holiday day"));
    } else if (!rest[IsoWeekday(*day)]) {
      problems->Warning(
          "calendar.makeup_not_rest", kKind, m.date(), field,
          absl::StrCat("make-up working day ", m.date(), " falls on weekday ",
                       IsoWeekday(*day),
                       ", a working weekday already: it changes nothing"));
    }
    makeups.emplace_back(*day, i);
  }
  std::sort(makeups.begin(), makeups.end());
  for (size_t k = 1; k < makeups.size(); ++k) {
    if (makeups[k].first != makeups[k - 1].first) continue;
    size_t first_k = k - 1;
    while (first_k > 0 && makeups[first_k - 1].first == makeups[k].first) {
      --first_k;
    }
    const int i = makeups[k].second;
    const std::string& date = calendar.makeup_workdays(i).date();
    problems->Error("calendar.duplicate_makeup", kKind, date,
                    absl::StrCat("makeup_workdays[", i, "].date"),
                    absl::StrCat("make-up working day ", date,
                                 " is already listed as makeup_workdays[",
                                 makeups[first_k].second, "]"));
  }

  // At least one working day: with none, every deadline in working time
  // would fail when a case is routed rather than when the dataset loads.
  // The first working day ends the search (in any real calendar, within
  // the first week).
  if (ordered && int64_t{*last} - *first + 1 <= kMaxCalendarDays) {
    bool any = false;
    for (const auto& [day, index] : makeups) {
      if (inside(day) && !InSpans(merged, day)) {
        any = true;
        break;
      }
    }
    for (int32_t day = *first; !any && day <= *last; ++day) {
      any = !rest[IsoWeekday(day)] && !InSpans(merged, day);
    }
    if (!any) {
      problems->Error(
          "calendar.no_working_day", kKind, "", "rest_weekdays",
          absl::StrCat("the calendar ", calendar.first_date(), " to ",
                       calendar.last_date(),
                       " has no working day: every day is a rest weekday or "
                       "a holiday, and no make-up working day is listed; no "
                       "deadline in working time could be computed"));
    }
  }

  ValidateWindows(calendar, problems);
}

absl::StatusOr<WorkCalendar> WorkCalendar::Build(
    const v1::WorkCalendar& proto) {
  ProblemList problems;
  ValidateCalendar(proto, &problems);
  if (problems.has_errors()) {
    for (const v1::Problem& p : problems.report().problems()) {
      if (p.severity() != v1::SEVERITY_ERROR) continue;
      return absl::InvalidArgumentError(
          absl::StrCat("work calendar has ", problems.error_count(),
                       problems.error_count() == 1 ? " error" : " errors",
                       "; first: ", FormatProblem(p)));
    }
    return problems.ToStatus();
  }
  // Validation guarantees what follows; the checks only turn a broken
  // guarantee into an error instead of undefined behaviour.
  absl::optional<int32_t> first = ParseIsoDate(proto.first_date());
  absl::optional<int32_t> last = ParseIsoDate(proto.last_date());
  if (!first.has_value() || !last.has_value() || *last < *first ||
      int64_t{*last} - *first + 1 > kMaxCalendarDays) {
    return absl::InternalError("work calendar: range not validated");
  }
  WorkCalendar calendar;
  calendar.first_day_ = *first;
  calendar.last_day_ = *last;
  calendar.utc_offset_minutes_ = proto.utc_offset_minutes();
  const int32_t n = calendar.num_days();

  std::array<bool, 8> rest{};
  if (proto.rest_weekdays_size() == 0) {
    rest[6] = rest[7] = true;
  } else {
    for (int32_t w : proto.rest_weekdays()) {
      if (w >= 1 && w <= 7) rest[w] = true;
    }
  }
  std::vector<uint8_t> working(n);
  for (int32_t d = 0; d < n; ++d) {
    working[d] = rest[IsoWeekday(*first + d)] ? 0 : 1;
  }
  // Holidays are inside the range and disjoint (validated), so expanding
  // them costs at most n steps in all.
  for (const v1::Holiday& h : proto.holidays()) {
    absl::optional<int32_t> f = ParseIsoDate(h.first_date());
    absl::optional<int32_t> l = ParseIsoDate(h.last_date());
    if (!f.has_value() || !l.has_value() || *f < *first || *l > *last) {
      return absl::InternalError("work calendar: holiday not validated");
    }
    for (int32_t d = *f; d <= *l; ++d) working[d - *first] = 0;
  }
  for (const v1::MakeupWorkday& m : proto.makeup_workdays()) {
    absl::optional<int32_t> d = ParseIsoDate(m.date());
    if (!d.has_value() || *d < *first || *d > *last) {
      return absl::InternalError("work calendar: make-up day not validated");
    }
    working[*d - *first] = 1;
  }
  calendar.working_days_before_.resize(static_cast<size_t>(n) + 1);
  calendar.working_days_before_[0] = 0;
  for (int32_t d = 0; d < n; ++d) {
    calendar.working_days_before_[d + 1] =
        calendar.working_days_before_[d] + working[d];
  }
  calendar.working_day_offsets_.reserve(
      static_cast<size_t>(calendar.working_days_before_.back()));
  for (int32_t d = 0; d < n; ++d) {
    if (working[d]) calendar.working_day_offsets_.push_back(d);
  }

  int32_t worked = 0;
  calendar.windows_.reserve(proto.windows_size());
  for (const v1::WorkingWindow& w : proto.windows()) {
    Window window;
    window.start = w.start_minute() * 60;
    window.end = w.end_minute() * 60;
    window.worked_before = worked;
    worked += window.end - window.start;
    window.worked_after = worked;
    calendar.windows_.push_back(window);
  }
  calendar.working_minutes_per_day_ = WorkingMinutesPerDay(proto);
  return calendar;
}

int WorkCalendar::WorkingMinutesPerDay(const v1::WorkCalendar& calendar) {
  int minutes = 0;
  for (const v1::WorkingWindow& w : calendar.windows()) {
    minutes += w.end_minute() - w.start_minute();
  }
  return minutes;
}

bool WorkCalendar::IsWorkingDay(int32_t day) const {
  if (!Covers(day)) return false;
  return IsWorkingOffset(day - first_day_);
}

int64_t WorkCalendar::WorkingDaysBetween(int32_t from_day,
                                         int32_t to_day) const {
  const int64_t lo = std::max<int64_t>(from_day, first_day_);
  const int64_t hi = std::min<int64_t>(to_day, int64_t{last_day_} + 1);
  if (hi <= lo) return 0;
  return working_days_before_[hi - first_day_] -
         working_days_before_[lo - first_day_];
}

absl::Status WorkCalendar::CheckInstant(int64_t unix_seconds) const {
  if (Locate(unix_seconds).inside()) return absl::OkStatus();
  return absl::OutOfRangeError(absl::StrCat(FormatInstant(unix_seconds),
                                            " is outside the work calendar ",
                                            RangeText()));
}

int64_t WorkCalendar::WorkedBefore(const Position& at) const {
  return int64_t{at.working_days_before} * working_minutes_per_day_ * 60 +
         (at.working_day ? WorkedInDay(at.second) : 0);
}

std::string WorkCalendar::FormatInstant(int64_t unix_seconds) const {
  int64_t day, second;
  DivModDay(unix_seconds, &day, &second);
  second += int64_t{utc_offset_minutes_} * 60;
  int64_t carry, rest;
  DivModDay(second, &carry, &rest);
  day += carry;
  // Far beyond any calendar: a civil date would not fit in int32 days.
  constexpr int64_t kMaxFormattedDay = 1000000000;
  if (day < -kMaxFormattedDay || day > kMaxFormattedDay) {
    return absl::StrCat("unix time ", unix_seconds);
  }
  const int off = std::abs(utc_offset_minutes_);
  return absl::StrFormat(
      "%sT%02d:%02d:%02d%c%02d:%02d", FormatIsoDate(static_cast<int32_t>(day)),
      rest / 3600, rest / 60 % 60, rest % 60,
      utc_offset_minutes_ < 0 ? '-' : '+', off / 60, off % 60);
}

std::string WorkCalendar::RangeText() const {
  return absl::StrCat(FormatIsoDate(first_day_), " to ",
                      FormatIsoDate(last_day_));
}

absl::StatusOr<int64_t> WorkCalendar::WorkingMinutesBetween(
    int64_t from_unix, int64_t to_unix) const {
  absl::Status status = CheckInstant(from_unix);
  if (!status.ok()) return status;
  status = CheckInstant(to_unix);
  if (!status.ok()) return status;
  if (to_unix <= from_unix) return 0;
  return (WorkedBefore(Locate(to_unix)) - WorkedBefore(Locate(from_unix))) / 60;
}

int32_t WorkCalendar::WorkedInDay(int32_t second) const {
  // The last window starting at or before `second` (the first window when
  // none does: the clamp below then gives 0). A branch-free binary search:
  // [w, w + n) holds the answer.
  const Window* w = windows_.data();
  for (size_t n = windows_.size(); n > 1;) {
    const size_t half = n / 2;
    // A masked add: written as an `if`, it compiles to a branch on the
    // time of day, a coin toss from case to case.
    w += half & (size_t{0} - static_cast<size_t>(w[half].start <= second));
    n -= half;
  }
  return w->worked_before +
         std::min(std::max(second - w->start, 0), w->end - w->start);
}

const WorkCalendar::Window& WorkCalendar::WindowReaching(int32_t worked) const {
  // A branch-free lower bound on worked_after: [w, w + n] holds the
  // answer, which exists (the last window's worked_after is the day's
  // total).
  const Window* w = windows_.data();
  for (size_t n = windows_.size(); n > 1;) {
    const size_t half = n / 2;
    w +=
        half & (size_t{0} - static_cast<size_t>(w[half].worked_after < worked));
    n -= half;
  }
  return w[w->worked_after < worked];
}

bool WorkCalendar::TryAddWorkingMinutes(const Position& from, int64_t minutes,
                                        int64_t* due) const {
  // Negative minutes, or more than any calendar holds (so that minutes * 60
  // below cannot overflow), are refused by one unsigned comparison.
  constexpr uint64_t kMaxMinutes = uint64_t{kMaxCalendarDays} * 1440;
  if (static_cast<uint64_t>(minutes) > kMaxMinutes || !from.inside()) {
    return false;
  }
  const int32_t per_day = working_minutes_per_day_ * 60;
  // From's working seconds counted from the start of the working day with
  // 0-based index working_days_before: from's day when it is a working day,
  // else the next one.
  const int32_t worked = from.working_day ? WorkedInDay(from.second) : 0;
  const int64_t remaining = (static_cast<int64_t>(working_day_offsets_.size()) -
                             from.working_days_before) *
                                per_day -
                            worked;
  if (minutes * 60 > remaining || (minutes == 0 && remaining == 0)) {
    return false;
  }
  int64_t index = from.working_days_before;
  int32_t r;         // working seconds of that day done at the deadline
  int32_t reaching;  // the window: the first whose close reaches this
  if (minutes == 0) {
    // The first working second at or after from (past the day's last
    // close, the next working day's opening): the window whose close
    // passes r.
    r = worked;
    if (r == per_day) {
      ++index;
      r = 0;
    }
    reaching = r + 1;
  } else {
    // The first instant at which worked + minutes * 60 working seconds are
    // done: possibly the very close of a window. Its working day is
    // (target - 1) / per_day days on, computed in minutes: per_day is whole
    // minutes, so that is ((target - 1) / 60) / working_minutes_per_day_,
    // a 32-bit division (the minutes of a whole range fit:
    // kMaxCalendarDays * 1440 < 2^27).
    const int64_t target = worked + minutes * 60;
    const auto days_on = static_cast<int32_t>(
        static_cast<uint32_t>(static_cast<uint64_t>(target - 1) / 60) /
        static_cast<uint32_t>(working_minutes_per_day_));
    index += days_on;
    r = static_cast<int32_t>(target - int64_t{days_on} * per_day);
    reaching = r;
  }
  const Window& w = WindowReaching(reaching);
  *due = ToUnix(OffsetOfWorkingDay(index), w.start + (r - w.worked_before));
  return true;
}

bool WorkCalendar::TryAddWorkingMinutes(int64_t from_unix, int64_t minutes,
                                        int64_t* due) const {
  return TryAddWorkingMinutes(Locate(from_unix), minutes, due);
}

absl::StatusOr<int64_t> WorkCalendar::AddWorkingMinutes(int64_t from_unix,
                                                        int64_t minutes) const {
  int64_t due = 0;
  if (TryAddWorkingMinutes(from_unix, minutes, &due)) return due;
  // The error, worked out again off the hot path.
  if (minutes < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("minutes must be >= 0, got ", minutes));
  }
  absl::Status status = CheckInstant(from_unix);
  if (!status.ok()) return status;
  const int64_t remaining =
      working_day_count() * working_minutes_per_day_ * 60 -
      WorkedBefore(Locate(from_unix));
  return absl::OutOfRangeError(absl::StrCat(
      "adding ", minutes, " working minutes to ", FormatInstant(from_unix),
      " passes the end of the work calendar on ", FormatIsoDate(last_day_),
      " (", remaining / 60, " working minutes remain)"));
}

bool WorkCalendar::TryAddElapsedSeconds(int64_t from_unix, int64_t seconds,
                                        int64_t* due) const {
  return TryAddElapsedSeconds(Locate(from_unix), seconds, due);
}

absl::StatusOr<int64_t> WorkCalendar::AddElapsedSeconds(
    int64_t from_unix, int64_t seconds) const {
  int64_t due = 0;
  if (TryAddElapsedSeconds(from_unix, seconds, &due)) return due;
  if (seconds < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("seconds must be >= 0, got ", seconds));
  }
  absl::Status status = CheckInstant(from_unix);
  if (!status.ok()) return status;
  return absl::OutOfRangeError(absl::StrCat(
      seconds / 3600, " hours after ", FormatInstant(from_unix),
      " fall after the end of the work calendar on ",
      FormatIsoDate(last_day_)));
}

bool WorkCalendar::TryAddWorkingDays(int64_t from_unix, int64_t days,
                                     int64_t* due) const {
  int64_t number;
  return TryAddWorkingDays(Locate(from_unix), days, due, &number);
}

bool WorkCalendar::TryAddWorkingDays(int64_t from_unix, int64_t days,
                                     int64_t* due, int64_t* number) const {
  return TryAddWorkingDays(Locate(from_unix), days, due, number);
}

absl::StatusOr<int64_t> WorkCalendar::AddWorkingDays(int64_t from_unix,
                                                     int64_t days) const {
  int64_t due = 0;
  if (TryAddWorkingDays(from_unix, days, &due)) return due;
  return DaysError(from_unix, days, " working days after ", "");
}

absl::StatusOr<int64_t> WorkCalendar::AddCalendarDays(int64_t from_unix,
                                                      int64_t days) const {
  int64_t due = 0;
  int64_t number = 0;
  if (TryAddCalendarDays(Locate(from_unix), days, &due, &number)) return due;
  return DaysError(from_unix, days, " calendar days after ",
                   " (to the close of a working day)");
}

absl::Status WorkCalendar::DaysError(int64_t from_unix, int64_t days,
                                     absl::string_view unit,
                                     absl::string_view to) const {
  // The error, worked out again off the hot path.
  if (days < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("days must be >= 0, got ", days));
  }
  absl::Status status = CheckInstant(from_unix);
  if (!status.ok()) return status;
  const Position from = Locate(from_unix);
  if (from.offset >= num_days()) {
    return absl::OutOfRangeError(absl::StrCat(
        FormatInstant(from_unix), " is on ", FormatIsoDate(last_day_ + 1),
        ", outside the work calendar ", RangeText()));
  }
  return absl::OutOfRangeError(
      absl::StrCat(days, unit, FormatIsoDate(first_day_ + from.offset), to,
                   " fall after the end of the work calendar on ",
                   FormatIsoDate(last_day_)));
}

size_t WorkCalendar::MemoryBytes() const {
  return sizeof(*this) +
         working_days_before_.capacity() * sizeof(working_days_before_[0]) +
         working_day_offsets_.capacity() * sizeof(working_day_offsets_[0]) +
         windows_.capacity() * sizeof(Window);
}

}  // namespace jiceng
