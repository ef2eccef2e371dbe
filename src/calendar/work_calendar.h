// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// WorkCalendar: the official work calendar compiled for deadline arithmetic
// in working minutes and working days.
//
// A day of the calendar's range is a working day when it is a make-up
// working day 调休, or when it is neither a public holiday nor a rest weekday
// (Saturday and Sunday unless `rest_weekdays` says otherwise). Every working
// day has the same working-hour windows, e.g. 08:30–12:00 and 14:00–17:30.
//
// Times are instants in UTC unix seconds; the calendar's fixed UTC offset
// (480 minutes for Asia/Shanghai, which has no daylight saving) turns them
// into local days and minutes. Arithmetic is exact to the second: a case
// dispatched at 08:30:30 with one working minute is due at 08:31:30.
//
// The calendar covers the instants from 00:00 local of `first_date` up to and
// including 24:00 local of `last_date`; an instant outside it, or a deadline
// that would fall after it, is an OUT_OF_RANGE error naming the date. A
// calendar never guesses about days it has not been told about.
//
// Cost: Build is O(days + holidays + make-up days + windows), memory about
// 4 bytes per day of the range plus 4 per working day (at most ~580 KB for
// the 200-year limit). Every query is O(1) or O(log windows): working days
// before each day are kept as prefix sums, and the day of the n-th working
// day in a table, so a deadline is never found by walking day by day.
//
// Example:
//   ProblemList problems;
//   ValidateCalendar(proto, &problems);
//   if (problems.has_errors()) return problems.ToStatus();
//   JC_ASSIGN_OR_RETURN(WorkCalendar calendar, WorkCalendar::Build(proto));
//   // Dispatched Friday 2026-10-09 15:00 (+08:00), due in 4 working hours:
//   // 2.5 h on Friday, 1.5 h on the make-up Saturday 2026-10-10.
//   absl::StatusOr<int64_t> due =
//       calendar.AddWorkingMinutes(from_unix, 4 * 60);  // 2026-10-10 10:00
//   // Past the range: OUT_OF_RANGE "... 2027-01-04T09:00:00+08:00 is
//   // outside the work calendar 2026-01-01 to 2026-12-31".

#ifndef JICENG_SRC_CALENDAR_WORK_CALENDAR_H_
#define JICENG_SRC_CALENDAR_WORK_CALENDAR_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jiceng/v1/calendar.pb.h"
#include "src/dataset/problems.h"

namespace jiceng {

// The longest range a calendar may cover, in days (200 years). It bounds
// the memory Build takes whatever the input says.
inline constexpr int32_t kMaxCalendarDays = 366 * 200;

// The widest UTC offset accepted, in minutes (UTC-14:00 … UTC+14:00).
inline constexpr int kMaxUtcOffsetMinutes = 14 * 60;

// Appends every problem of `calendar` to `*problems`; never stops at the
// first. Problems have element_kind "calendar"; element_code is the offending
// date text, "holidays[i]", "windows[i]", "rest_weekdays[i]", the zone name,
// or empty for the calendar as a whole; field is the proto path, e.g.
// "holidays[2].last_date". Rules (severity error unless marked warning):
//
//   calendar.missing          first_date or last_date empty; an absent
//                             (empty) calendar is this one problem alone.
//   calendar.malformed_date   a date that is not a real "YYYY-MM-DD" in years
//                             1900–9999 (first_date, last_date, a holiday's
//                             dates, a make-up day's date).
//   calendar.range            last_date before first_date, or a range of more
//                             than kMaxCalendarDays days.
//   calendar.time_zone        time_zone empty; utc_offset_minutes outside
//                             ±kMaxUtcOffsetMinutes; or a known fixed zone
//                             with another offset (Asia/Shanghai, PRC → 480;
//                             UTC, Etc/UTC, GMT → 0; Etc/GMT-8 → 480, the
//                             POSIX sign being inverted). Other names are
//                             accepted with any offset within the bounds.
//   calendar.rest_weekday     a rest weekday outside 1..7, or repeated.
//   calendar.holiday_range    a holiday whose last_date is before its
//                             first_date, or which is not inside
//                             [first_date, last_date].
//   calendar.holiday_overlap  a holiday sharing a day with an earlier one
//                             (reported on the later-starting holiday).
//   calendar.makeup_outside   a make-up day outside [first_date, last_date].
//   calendar.makeup_conflict  a make-up day that is also a holiday day.
//   calendar.makeup_not_rest  (warning) a make-up day that falls on a working
//                             weekday anyway, so it changes nothing.
//   calendar.duplicate_makeup the same make-up date twice (reported on the
//                             second).
//   calendar.no_working_day   no day of the range is a working day (every
//                             day a rest weekday or a holiday, and no
//                             make-up day): no deadline in working time
//                             could be computed.
//   calendar.window           no windows; a window with start_minute < 0,
//                             end_minute > 1440 or start_minute >= end_minute;
//                             a window starting before the previous one ends
//                             (unsorted or overlapping).
//
// Ranges are checked by arithmetic on day numbers, so a holiday spanning
// 9000 years costs no more than one spanning a day. Time and memory are
// linear in the size of the message. Pure; thread-safe.
void ValidateCalendar(const v1::WorkCalendar& calendar, ProblemList* problems);

// The compiled calendar.
//
// Thread safety: immutable after Build; every const method may be called
// from any number of threads. Movable, not copyable: it owns one prefix-sum
// entry per day of its range, which must not be duplicated silently. A
// moved-from calendar may only be destroyed or assigned to.
class WorkCalendar {
 public:
  static constexpr int64_t kSecondsPerDay = 86400;

  // Compiles `calendar`. Returns INVALID_ARGUMENT summarising the problems
  // (with the first error's rule id and field) when ValidateCalendar reports
  // any error; warnings do not prevent building.
  // REQUIRES (for a meaningful result): ValidateCalendar reported no error.
  static absl::StatusOr<WorkCalendar> Build(const v1::WorkCalendar& calendar);

  WorkCalendar(WorkCalendar&&) = default;
  WorkCalendar& operator=(WorkCalendar&&) = default;
  WorkCalendar(const WorkCalendar&) = delete;
  WorkCalendar& operator=(const WorkCalendar&) = delete;

  // The range as day numbers (days since 1970-01-01), inclusive.
  int32_t first_day() const { return first_day_; }
  int32_t last_day() const { return last_day_; }
  // Local time = UTC + utc_offset_minutes().
  int utc_offset_minutes() const { return utc_offset_minutes_; }

  // OK if unix_seconds lies in [00:00 of first_date, 24:00 of last_date],
  // else OUT_OF_RANGE naming its local date and time and the range.
  absl::Status CheckInstant(int64_t unix_seconds) const;

  // The working minutes of a working day: the windows' total. For a
  // calendar ValidateCalendar accepted (sorted, disjoint windows within a
  // day); Build uses it too.
  static int WorkingMinutesPerDay(const v1::WorkCalendar& calendar);

  // Whether `day` is inside [first_day(), last_day()].
  bool Covers(int32_t day) const {
    return day >= first_day_ && day <= last_day_;
  }

  // Whether `day` is a working day. REQUIRES: Covers(day); returns false
  // otherwise.
  bool IsWorkingDay(int32_t day) const;

  // The number of working days in the whole range.
  int64_t working_day_count() const {
    return working_days_before_.empty() ? 0 : working_days_before_.back();
  }

  // The number of working days in [from_day, to_day), O(1). Days outside
  // the range are not counted; 0 when to_day <= from_day.
  int64_t WorkingDaysBetween(int32_t from_day, int32_t to_day) const;

  // Working minutes in one working day: the sum of the windows (1..1440).
  int working_minutes_per_day() const { return working_minutes_per_day_; }

  // The working minutes elapsed between two instants (UTC unix seconds),
  // rounded down to whole minutes; 0 if to_unix <= from_unix. O(log windows).
  // Returns OUT_OF_RANGE naming the local date and time (YYYY-MM-DDThh:mm:ss
  // ±hh:mm) when either instant is outside the calendar, even if
  // to_unix <= from_unix.
  absl::StatusOr<int64_t> WorkingMinutesBetween(int64_t from_unix,
                                                int64_t to_unix) const;

  // The first instant at which `minutes` working minutes have elapsed since
  // `from_unix`. Counting starts at from_unix if it is within a window, else
  // at the next window opening; so a deadline may fall exactly on a window's
  // close (09:00 + 180 min = 12:00, not 14:00). With minutes == 0 the result
  // is from_unix if it is within a window [start, end), else the next
  // opening. O(log windows).
  // Returns INVALID_ARGUMENT if minutes < 0; OUT_OF_RANGE naming the date if
  // from_unix is outside the calendar, or if the result would fall after
  // 24:00 of last_date (the message names from's date and last_date).
  absl::StatusOr<int64_t> AddWorkingMinutes(int64_t from_unix,
                                            int64_t minutes) const;

  // A deadline in elapsed time (calendar hours and days): from_unix +
  // seconds, working hours or not. The calendar only bounds it: both
  // instants must lie within the range (the end is 24:00 of last_date), as
  // for the working-time deadlines, so that every deadline the library
  // gives can be measured against the calendar later. Returns
  // INVALID_ARGUMENT if seconds < 0; OUT_OF_RANGE naming the date if
  // from_unix is outside the calendar or the result would fall after
  // 24:00 of last_date.
  absl::StatusOr<int64_t> AddElapsedSeconds(int64_t from_unix,
                                            int64_t seconds) const;

  // A deadline of `days` working days: the close of business (the end of the
  // last window) of
  //   - days >= 1: the days-th working day strictly after the local day
  //     containing from_unix, whatever the time of day and whether or not
  //     that day is itself a working day (dispatched Friday at 16:00 or on
  //     Saturday, one working day → Monday's close);
  //   - days == 0: that local day if it is a working day, else the next
  //     working day.
  // O(1). Returns INVALID_ARGUMENT if days < 0; OUT_OF_RANGE naming
  // the date if from_unix's local day is outside the range (24:00 of
  // last_date belongs to the next day), or if the deadline day would fall
  // after last_date.
  absl::StatusOr<int64_t> AddWorkingDays(int64_t from_unix, int64_t days) const;

  // A deadline of `days` calendar days (a statute's 日, as 居住证's 15):
  // the close of business of the local day `days` days after the one
  // containing from_unix, or of the next working day when that day is not
  // one — the first day is not counted, a last day that is a rest day or
  // holiday gives way to the working day after it, and the period ends when
  // business stops (民法典 第二百零一条、第二百零三条). O(1). Returns
  // INVALID_ARGUMENT if days < 0; OUT_OF_RANGE naming the date if
  // from_unix's local day is outside the range, or if the deadline day
  // would fall after last_date.
  absl::StatusOr<int64_t> AddCalendarDays(int64_t from_unix,
                                          int64_t days) const;

  // AddWorkingMinutes and AddWorkingDays for hot paths: *due set and true
  // on success; false, *due untouched, where those return an error (call
  // them then for the error). No allocation, no status built.
  bool TryAddWorkingMinutes(int64_t from_unix, int64_t minutes,
                            int64_t* due) const;
  bool TryAddWorkingDays(int64_t from_unix, int64_t days, int64_t* due) const;

  // Chained working-day deadlines (routing's feedback after handle, revisit
  // after feedback). The first form is TryAddWorkingDays that also gives
  // *number, the 1-based number among all working days of the deadline's
  // day. TryAddMoreWorkingDays(number, days, ...) then gives the same
  // *due as TryAddWorkingDays(that deadline, days) in O(1), without
  // locating the deadline again, and the next *number; it returns false
  // (outputs untouched) where it cannot: days < 1, a last window closing at
  // 24:00 (the close of business then belongs to the next day), or a
  // deadline past the calendar — call TryAddWorkingDays then.
  bool TryAddWorkingDays(int64_t from_unix, int64_t days, int64_t* due,
                         int64_t* number) const;
  bool TryAddMoreWorkingDays(int64_t number, int64_t days, int64_t* due,
                             int64_t* next_number) const;
  // AddElapsedSeconds for hot paths, with TryAddWorkingMinutes's contract.
  bool TryAddElapsedSeconds(int64_t from_unix, int64_t seconds,
                            int64_t* due) const;

  // Where an instant lies in the calendar. Locate finds it once, O(1); the
  // Try* functions below then take it instead of an instant, so several
  // deadlines from one instant (routing's sign-for, handle and whistle
  // report-in, all from the reported time) do not each find it again. Every
  // Try* function above is Locate followed by its form below: the results
  // are the same by construction.
  struct Position {
    int64_t unix_seconds = 0;  // the instant located
    // Its local day as an offset from first_day() (num_days() for 24:00 of
    // last_date); -1 when the instant is outside the calendar.
    int32_t offset = -1;
    int32_t second = 0;               // local seconds since that midnight
    int32_t working_days_before = 0;  // working days of the range before it
    bool working_day = false;         // false for 24:00 of last_date
    bool inside() const { return offset >= 0; }
  };
  // Never fails: an instant outside the calendar gives a Position that is
  // not inside(), which every Try* function below refuses.
  Position Locate(int64_t unix_seconds) const;

  // TryAddWorkingMinutes, TryAddWorkingDays from a located instant: the
  // same results and refusals as from `from.unix_seconds`. O(log windows)
  // and O(1); no division by a 64-bit divisor known only at run time.
  bool TryAddWorkingMinutes(const Position& from, int64_t minutes,
                            int64_t* due) const;
  bool TryAddElapsedSeconds(const Position& from, int64_t seconds,
                            int64_t* due) const {
    // The end of the range: 24:00 of last_date, local.
    const int64_t end = (int64_t{last_day_} + 1) * kSecondsPerDay -
                        int64_t{utc_offset_minutes_} * 60;
    if (!from.inside() || seconds < 0 || seconds > end - from.unix_seconds) {
      return false;
    }
    *due = from.unix_seconds + seconds;
    return true;
  }
  bool TryAddWorkingDays(const Position& from, int64_t days, int64_t* due,
                         int64_t* number) const;
  // AddCalendarDays from a located instant, with TryAddWorkingDays's
  // contract (*number: the deadline day's 1-based number among the
  // working days).
  bool TryAddCalendarDays(const Position& from, int64_t days, int64_t* due,
                          int64_t* number) const;

  // Heap and object bytes held by this calendar.
  size_t MemoryBytes() const;

 private:
  friend class SnapshotCodec;  // src/engine/snapshot.cc
  // A window in seconds after local midnight, with the working seconds of
  // the day before it starts and when it ends.
  struct Window {
    int32_t start = 0;
    int32_t end = 0;
    int32_t worked_before = 0;
    int32_t worked_after = 0;
  };

  WorkCalendar() = default;

  int32_t num_days() const { return last_day_ - first_day_ + 1; }
  bool IsWorkingOffset(int32_t offset) const {
    return working_days_before_[offset + 1] != working_days_before_[offset];
  }
  // The unix time of 00:00 local of first_date.
  int64_t StartUnix() const {
    return int64_t{first_day_} * kSecondsPerDay -
           int64_t{utc_offset_minutes_} * 60;
  }
  // Working seconds from the start of the range to the instant.
  // REQUIRES: at.inside().
  int64_t WorkedBefore(const Position& at) const;
  // Working seconds of one working day before local second `second`.
  int32_t WorkedInDay(int32_t second) const;
  // The first window whose close reaches `worked` working seconds of the
  // day (worked_after >= worked). REQUIRES: worked <= the day's total.
  const Window& WindowReaching(int32_t worked) const;
  // The day offset of the working day with 0-based index `index`.
  // REQUIRES: index < working_day_count().
  int32_t OffsetOfWorkingDay(int64_t index) const {
    return working_day_offsets_[static_cast<size_t>(index)];
  }
  // The unix time of local second `second` of day offset `offset`.
  int64_t ToUnix(int32_t offset, int64_t second) const {
    return StartUnix() + int64_t{offset} * kSecondsPerDay + second;
  }
  std::string FormatInstant(int64_t unix_seconds) const;
  std::string RangeText() const;
  // The close of business of working day `target` (1-based among all):
  // *due and *number set and true, or false past the last one.
  bool CloseOfWorkingDay(int64_t target, int64_t* due, int64_t* number) const;
  // The error of AddWorkingDays / AddCalendarDays where the Try form
  // refused: "<days><unit><from's date><to> fall after the end ...".
  absl::Status DaysError(int64_t from_unix, int64_t days,
                         absl::string_view unit, absl::string_view to) const;

  int32_t first_day_ = 0;
  int32_t last_day_ = -1;
  int utc_offset_minutes_ = 0;
  int working_minutes_per_day_ = 0;
  // working_days_before_[i]: working days among day offsets [0, i);
  // num_days() + 1 entries.
  std::vector<int32_t> working_days_before_;
  // working_day_offsets_[i]: the day offset of the working day with 0-based
  // index i (the inverse of the prefix sums: deadlines find their day in
  // O(1)).
  std::vector<int32_t> working_day_offsets_;
  std::vector<Window> windows_;  // sorted, non-overlapping, non-empty
};

// The hot path, defined here so that callers in other files (routing) can
// inline it.

inline WorkCalendar::Position WorkCalendar::Locate(int64_t unix_seconds) const {
  Position at;
  at.unix_seconds = unix_seconds;
  const int64_t start = StartUnix();
  if (unix_seconds < start) return at;
  // unix_seconds - start cannot overflow as unsigned: it is >= 0 and below
  // 2^64. Unsigned division by a constant is a multiplication.
  const uint64_t local =
      static_cast<uint64_t>(unix_seconds) - static_cast<uint64_t>(start);
  const uint64_t offset = local / kSecondsPerDay;
  const auto second = static_cast<int32_t>(local - offset * kSecondsPerDay);
  if (offset >= static_cast<uint64_t>(num_days())) {
    // 24:00 of last_date: inside for minutes, the day after for days.
    if (offset > static_cast<uint64_t>(num_days()) || second != 0) return at;
    at.offset = num_days();
    at.working_days_before = static_cast<int32_t>(working_day_count());
    return at;
  }
  at.offset = static_cast<int32_t>(offset);
  at.second = second;
  at.working_days_before = working_days_before_[offset];
  at.working_day = IsWorkingOffset(at.offset);
  return at;
}

inline bool WorkCalendar::TryAddWorkingDays(const Position& from, int64_t days,
                                            int64_t* due,
                                            int64_t* number) const {
  // Unsigned comparisons refuse in one step an instant outside the
  // calendar (offset -1) or at 24:00 of last_date (whose day is after the
  // range), and negative days or more than the calendar holds.
  const auto total = static_cast<int64_t>(working_day_offsets_.size());
  if (static_cast<uint32_t>(from.offset) >= static_cast<uint32_t>(num_days()) ||
      static_cast<uint64_t>(days) > static_cast<uint64_t>(total)) {
    return false;
  }
  // 1-based number of the deadline's working day among all working days:
  // days after from's day, or from's day itself (or the next working day)
  // when days == 0.
  return CloseOfWorkingDay(
      from.working_days_before + days + (from.working_day || days == 0 ? 1 : 0),
      due, number);
}

inline bool WorkCalendar::CloseOfWorkingDay(int64_t target, int64_t* due,
                                            int64_t* number) const {
  if (target > static_cast<int64_t>(working_day_offsets_.size())) return false;
  *due = ToUnix(OffsetOfWorkingDay(target - 1), windows_.back().end);
  *number = target;
  return true;
}

inline bool WorkCalendar::TryAddCalendarDays(const Position& from, int64_t days,
                                             int64_t* due,
                                             int64_t* number) const {
  // The same refusals as TryAddWorkingDays, then the first working day on
  // or after the day `days` after from's.
  if (static_cast<uint32_t>(from.offset) >= static_cast<uint32_t>(num_days()) ||
      static_cast<uint64_t>(days) >=
          static_cast<uint64_t>(num_days() - from.offset)) {
    return false;
  }
  return CloseOfWorkingDay(working_days_before_[from.offset + days] + 1, due,
                           number);
}

inline bool WorkCalendar::TryAddMoreWorkingDays(int64_t number, int64_t days,
                                                int64_t* due,
                                                int64_t* next_number) const {
  // Refused in two unsigned comparisons (subtracting in unsigned
  // arithmetic, which wraps where signed would overflow): number outside
  // 1..total, days outside 1..total - number.
  const auto total = static_cast<uint64_t>(working_day_offsets_.size());
  if (static_cast<uint64_t>(number) - 1 >= total ||
      static_cast<uint64_t>(days) - 1 >=
          total - static_cast<uint64_t>(number)) {
    return false;
  }
  // `number`'s close of business lies on its own day when the last window
  // closes before midnight: TryAddWorkingDays from it finds that day, whose
  // working days up to and including it are `number`, and adds `days`.
  // (A calendar with working days has windows.)
  const int32_t close = windows_.back().end;
  if (close >= kSecondsPerDay) return false;
  const int64_t target = number + days;
  *due = ToUnix(OffsetOfWorkingDay(target - 1), close);
  *next_number = target;
  return true;
}

}  // namespace jiceng

#endif  // JICENG_SRC_CALENDAR_WORK_CALENDAR_H_
