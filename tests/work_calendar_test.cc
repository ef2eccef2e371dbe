// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

#include "src/calendar/work_calendar.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/types/optional.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jiceng/v1/calendar.pb.h"
#include "src/base/civil_date.h"
#include "src/dataset/problems.h"
#include "tests/status_matchers.h"

namespace jiceng {
namespace {

using ::testing::HasSubstr;

static_assert(!std::is_copy_constructible<WorkCalendar>::value,
              "WorkCalendar must not copy silently");
static_assert(!std::is_copy_assignable<WorkCalendar>::value,
              "WorkCalendar must not copy silently");
static_assert(std::is_nothrow_move_constructible<WorkCalendar>::value, "");
static_assert(std::is_nothrow_move_assignable<WorkCalendar>::value, "");

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

int32_t Day(int y, int m, int d) { return DaysFromCivil(y, m, d); }

// The unix time of a local time at `offset_minutes` (default UTC+8).
int64_t At(int y, int mo, int d, int h, int mi, int s = 0,
           int offset_minutes = 480) {
  return int64_t{Day(y, mo, d)} * 86400 + h * 3600 + mi * 60 + s -
         int64_t{offset_minutes} * 60;
}

void AddHoliday(v1::WorkCalendar* c, const std::string& name,
                const std::string& first, const std::string& last) {
  v1::Holiday* h = c->add_holidays();
  h->set_name(name);
  h->set_first_date(first);
  h->set_last_date(last);
}

void AddMakeup(v1::WorkCalendar* c, const std::string& date,
               const std::string& name) {
  v1::MakeupWorkday* m = c->add_makeup_workdays();
  m->set_date(date);
  m->set_name(name);
}

void AddWindow(v1::WorkCalendar* c, int start, int end) {
  v1::WorkingWindow* w = c->add_windows();
  w->set_start_minute(start);
  w->set_end_minute(end);
}

// The State Council's 2026 calendar (notice of 2025-11-04), 08:30–12:00 and
// 14:00–17:30. Indices matter to the validation tests below:
// holidays[0..6] and makeup_workdays[0..5] in date order.
v1::WorkCalendar Official2026() {
  v1::WorkCalendar c;
  c.set_time_zone("Asia/Shanghai");
  c.set_utc_offset_minutes(480);
  c.set_first_date("2026-01-01");
  c.set_last_date("2026-12-31");
  AddHoliday(&c, "元旦", "2026-01-01", "2026-01-03");
  AddHoliday(&c, "春节", "2026-02-15", "2026-02-23");
  AddHoliday(&c, "清明节", "2026-04-04", "2026-04-06");
  AddHoliday(&c, "劳动节", "2026-05-01", "2026-05-05");
  AddHoliday(&c, "端午节", "2026-06-19", "2026-06-21");
  AddHoliday(&c, "中秋节", "2026-09-25", "2026-09-27");
  AddHoliday(&c, "国庆节", "2026-10-01", "2026-10-07");
  AddMakeup(&c, "2026-01-04", "元旦");
  AddMakeup(&c, "2026-02-14", "春节");
  AddMakeup(&c, "2026-02-28", "春节");
  AddMakeup(&c, "2026-05-09", "劳动节");
  AddMakeup(&c, "2026-09-20", "国庆节");
  AddMakeup(&c, "2026-10-10", "国庆节");
  AddWindow(&c, 8 * 60 + 30, 12 * 60);
  AddWindow(&c, 14 * 60, 17 * 60 + 30);
  return c;
}

WorkCalendar Build2026() {
  absl::StatusOr<WorkCalendar> calendar = WorkCalendar::Build(Official2026());
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return std::move(calendar).value();
}

ProblemList Validate(const v1::WorkCalendar& c) {
  ProblemList problems;
  ValidateCalendar(c, &problems);
  return problems;
}

// Asserts that `c` has exactly one problem, with these properties.
void ExpectOnlyProblem(const v1::WorkCalendar& c, const std::string& rule,
                       const std::string& element_code,
                       const std::string& field,
                       v1::Severity severity = v1::SEVERITY_ERROR) {
  ProblemList problems = Validate(c);
  ASSERT_EQ(problems.report().problems_size(), 1)
      << problems.report().DebugString();
  const v1::Problem& p = problems.report().problems(0);
  EXPECT_EQ(p.rule(), rule);
  EXPECT_EQ(p.element_kind(), "calendar");
  EXPECT_EQ(p.element_code(), element_code);
  EXPECT_EQ(p.field(), field);
  EXPECT_EQ(p.severity(), severity);
  EXPECT_FALSE(p.message().empty());
}

bool HasRule(const ProblemList& problems, const std::string& rule,
             const std::string& field) {
  for (const v1::Problem& p : problems.report().problems()) {
    if (p.rule() == rule && p.field() == field) return true;
  }
  return false;
}

// An obviously-correct reference over local minutes, stepping one minute at
// a time.
class Reference {
 public:
  explicit Reference(const v1::WorkCalendar& c) {
    for (const v1::Holiday& h : c.holidays()) {
      for (int32_t d = *ParseIsoDate(h.first_date());
           d <= *ParseIsoDate(h.last_date()); ++d) {
        holidays_.insert(d);
      }
    }
    for (const v1::MakeupWorkday& m : c.makeup_workdays()) {
      makeups_.insert(*ParseIsoDate(m.date()));
    }
    for (const v1::WorkingWindow& w : c.windows()) {
      windows_.emplace_back(w.start_minute(), w.end_minute());
    }
    offset_ = c.utc_offset_minutes();
  }

  bool IsWorkingDay(int32_t day) const {
    if (makeups_.count(day) > 0) return true;
    return holidays_.count(day) == 0 && IsoWeekday(day) <= 5;
  }

  // Whether the local minute starting at unix minute `m` is worked.
  bool IsWorkingMinute(int64_t unix_minute) const {
    const int64_t local = unix_minute + offset_;
    const auto day = static_cast<int32_t>(local / 1440);
    const int minute = static_cast<int>(local % 1440);
    if (!IsWorkingDay(day)) return false;
    for (const auto& w : windows_) {
      if (minute >= w.first && minute < w.second) return true;
    }
    return false;
  }

  // REQUIRES: from is a whole minute.
  int64_t AddWorkingMinutes(int64_t from, int64_t minutes) const {
    int64_t m = from / 60;
    if (minutes == 0) {
      while (!IsWorkingMinute(m)) ++m;
      return m * 60;
    }
    for (int64_t done = 0; done < minutes; ++m) {
      if (IsWorkingMinute(m)) ++done;
    }
    return m * 60;
  }

  int64_t WorkingMinutesBetween(int64_t from, int64_t to) const {
    int64_t n = 0;
    for (int64_t m = from / 60; m < to / 60; ++m) n += IsWorkingMinute(m);
    return n;
  }

 private:
  std::set<int32_t> holidays_;
  std::set<int32_t> makeups_;
  std::vector<std::pair<int, int>> windows_;
  int offset_ = 0;
};

// ---------------------------------------------------------------------------
// The official 2026 calendar.

TEST(WorkCalendar, Official2026HasNoProblems) {
  ProblemList problems = Validate(Official2026());
  EXPECT_EQ(problems.report().problems_size(), 0)
      << problems.report().DebugString();
}

TEST(WorkCalendar, Official2026Has248WorkingDays) {
  // By hand: 2026 has 365 days = 52 weeks + 1 day; 2026-01-01 and the extra
  // day 2026-12-31 are Thursdays, so there are 52 * 2 = 104 weekend days and
  // 261 weekdays.
  // Holiday days falling on weekdays:
  //   元旦  Jan 1–3  Thu Fri Sat          → 2 (Jan 1, 2)
  //   春节  Feb 15–23 Sun..Mon            → 6 (Feb 16–20, 23)
  //   清明  Apr 4–6  Sat Sun Mon          → 1 (Apr 6)
  //   劳动  May 1–5  Fri Sat Sun Mon Tue  → 3 (May 1, 4, 5)
  //   端午  Jun 19–21 Fri Sat Sun         → 1 (Jun 19)
  //   中秋  Sep 25–27 Fri Sat Sun         → 1 (Sep 25)
  //   国庆  Oct 1–7  Thu..Wed             → 5 (Oct 1, 2, 5, 6, 7)
  //   total 19.
  // Make-up days, all on weekends: Sun Jan 4, Sat Feb 14, Sat Feb 28,
  // Sat May 9, Sun Sep 20, Sat Oct 10 → 6.
  // Working days = 261 - 19 + 6 = 248 (not 250).
  WorkCalendar calendar = Build2026();
  EXPECT_EQ(calendar.working_day_count(), 248);
  EXPECT_EQ(calendar.first_day(), Day(2026, 1, 1));
  EXPECT_EQ(calendar.last_day(), Day(2026, 12, 31));
  EXPECT_EQ(calendar.utc_offset_minutes(), 480);
  EXPECT_EQ(calendar.working_minutes_per_day(), 420);
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2026, 1, 1), Day(2027, 1, 1)), 248);
}

TEST(WorkCalendar, AgreesWithReferenceOnEveryDay) {
  WorkCalendar calendar = Build2026();
  Reference reference(Official2026());
  int64_t count = 0;
  for (int32_t d = Day(2026, 1, 1); d <= Day(2026, 12, 31); ++d) {
    ASSERT_EQ(calendar.IsWorkingDay(d), reference.IsWorkingDay(d))
        << FormatIsoDate(d);
    ASSERT_EQ(calendar.WorkingDaysBetween(Day(2026, 1, 1), d), count);
    count += reference.IsWorkingDay(d);
  }
}

TEST(WorkCalendar, MakeupDaysWorkAndHolidaysRest) {
  WorkCalendar calendar = Build2026();
  EXPECT_TRUE(calendar.IsWorkingDay(Day(2026, 2, 14)));   // make-up Saturday
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2026, 2, 16)));  // Monday, 春节
  EXPECT_TRUE(calendar.IsWorkingDay(Day(2026, 1, 4)));    // make-up Sunday
  EXPECT_TRUE(calendar.IsWorkingDay(Day(2026, 10, 10)));  // make-up Saturday
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2026, 10, 5)));  // Monday, 国庆
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2026, 3, 7)));   // plain Saturday
  EXPECT_TRUE(calendar.IsWorkingDay(Day(2026, 3, 9)));    // plain Monday
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2027, 1, 4)));   // not covered
  EXPECT_TRUE(calendar.Covers(Day(2026, 12, 31)));
  EXPECT_FALSE(calendar.Covers(Day(2027, 1, 1)));
  EXPECT_FALSE(calendar.Covers(Day(2025, 12, 31)));
}

TEST(WorkCalendar, WorkingDaysBetweenIsHalfOpenAndClamped) {
  WorkCalendar calendar = Build2026();
  // February: 20 weekdays, 6 of them 春节 holidays, plus 2 make-up
  // Saturdays.
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2026, 2, 1), Day(2026, 3, 1)), 16);
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2026, 3, 9), Day(2026, 3, 9)), 0);
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2026, 3, 9), Day(2026, 3, 10)), 1);
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2026, 3, 10), Day(2026, 3, 9)), 0);
  EXPECT_EQ(calendar.WorkingDaysBetween(std::numeric_limits<int32_t>::min(),
                                        std::numeric_limits<int32_t>::max()),
            248);
  EXPECT_EQ(calendar.WorkingDaysBetween(Day(2027, 1, 1), Day(2028, 1, 1)), 0);
}

// ---------------------------------------------------------------------------
// Working minutes.

TEST(WorkCalendar, ChainedWorkingDaysEqualLocatingTheDeadlineAgain) {
  // From every hour of 2026, 1–15 working days, then 1–15 more: the chained
  // form gives what TryAddWorkingDays from the first deadline gives, up to
  // the end of the calendar (where both refuse).
  const WorkCalendar cal = Build2026();
  int chained = 0, refused = 0;
  for (int64_t from = At(2026, 1, 1, 0, 0); from < At(2027, 1, 1, 0, 0);
       from += 3600) {
    for (int64_t a = 0; a <= 15; a += 5) {
      int64_t due = 0, number = 0;
      if (!cal.TryAddWorkingDays(from, a, &due, &number)) continue;
      int64_t plain = 0;
      ASSERT_TRUE(cal.TryAddWorkingDays(from, a, &plain));
      ASSERT_EQ(plain, due);
      for (int64_t b = 1; b <= 15; b += 7) {
        int64_t want = 0, want_number = 0;
        const bool ok = cal.TryAddWorkingDays(due, b, &want, &want_number);
        int64_t got = -1, got_number = -1;
        ASSERT_EQ(cal.TryAddMoreWorkingDays(number, b, &got, &got_number), ok)
            << from << " +" << a << " +" << b;
        if (ok) {
          ++chained;
          ASSERT_EQ(got, want) << from << " +" << a << " +" << b;
          ASSERT_EQ(got_number, want_number);
        } else {
          ++refused;
          EXPECT_EQ(got, -1);  // untouched
        }
      }
    }
  }
  EXPECT_GT(chained, 10000);
  EXPECT_GT(refused, 0);
  // Working day number 1 of 2026 is the make-up Sunday 01-04: one more is
  // Monday 01-05, number 2.
  int64_t due = 0, number = 0;
  ASSERT_TRUE(cal.TryAddMoreWorkingDays(1, 1, &due, &number));
  EXPECT_EQ(due, At(2026, 1, 5, 17, 30));
  EXPECT_EQ(number, 2);
  // Not applicable: no days to add, a number outside the calendar.
  EXPECT_FALSE(cal.TryAddMoreWorkingDays(1, 0, &due, &number));
  EXPECT_FALSE(cal.TryAddMoreWorkingDays(0, 1, &due, &number));
  EXPECT_FALSE(cal.TryAddMoreWorkingDays(248, 1, &due, &number));
}

TEST(WorkCalendar, ChainedWorkingDaysRefuseAWindowClosingAtMidnight) {
  v1::WorkCalendar c = Official2026();
  c.clear_windows();
  AddWindow(&c, 20 * 60, 24 * 60);
  absl::StatusOr<WorkCalendar> cal = WorkCalendar::Build(c);
  ASSERT_TRUE(cal.ok()) << cal.status();
  int64_t due = 0, number = 0;
  ASSERT_TRUE(cal->TryAddWorkingDays(At(2026, 3, 2, 9, 0), 1, &due, &number));
  int64_t more = 0;
  EXPECT_FALSE(cal->TryAddMoreWorkingDays(number, 1, &more, &number));
  EXPECT_EQ(more, 0);
}

TEST(WorkCalendar, FourWorkingHoursAcrossWeekend) {
  WorkCalendar calendar = Build2026();
  // Friday 15:00: 2.5 h on Friday, 1.5 h on Monday from 08:30.
  absl::StatusOr<int64_t> due =
      calendar.AddWorkingMinutes(At(2026, 3, 6, 15, 0), 240);
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(*due, At(2026, 3, 9, 10, 0));
}

TEST(WorkCalendar, FourWorkingHoursAcrossNationalDay) {
  WorkCalendar calendar = Build2026();
  // Wednesday 2026-09-30 16:00: 1.5 h, then Oct 1–7 off, then 2.5 h on
  // Thursday Oct 8.
  absl::StatusOr<int64_t> due =
      calendar.AddWorkingMinutes(At(2026, 9, 30, 16, 0), 240);
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(*due, At(2026, 10, 8, 11, 0));
}

TEST(WorkCalendar, FourWorkingHoursLandOnMakeupSaturday) {
  WorkCalendar calendar = Build2026();
  // Friday Oct 9 15:00: 2.5 h, then 1.5 h on the make-up Saturday Oct 10.
  absl::StatusOr<int64_t> due =
      calendar.AddWorkingMinutes(At(2026, 10, 9, 15, 0), 240);
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(*due, At(2026, 10, 10, 10, 0));
  // Friday Sep 18: Saturday Sep 19 is off, Sunday Sep 20 is worked.
  due = calendar.AddWorkingMinutes(At(2026, 9, 18, 15, 0), 240);
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(*due, At(2026, 9, 20, 10, 0));
}

TEST(WorkCalendar, DeadlineMayFallOnWindowClose) {
  WorkCalendar calendar = Build2026();
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 3, 9, 9, 0), 180),
            At(2026, 3, 9, 12, 0));
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 3, 9, 9, 0), 181),
            At(2026, 3, 9, 14, 1));
  // Started during lunch: counting starts at 14:00.
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 3, 9, 12, 30), 30),
            At(2026, 3, 9, 14, 30));
  // Started before opening and after close.
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 3, 9, 6, 0), 30),
            At(2026, 3, 9, 9, 0));
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 3, 9, 20, 0), 30),
            At(2026, 3, 10, 9, 0));
}

TEST(WorkCalendar, ZeroMinutesGivesNextOpening) {
  WorkCalendar calendar = Build2026();
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 3, 9, 9, 0), 0),
            At(2026, 3, 9, 9, 0));
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 3, 9, 12, 0), 0),
            At(2026, 3, 9, 14, 0));
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 3, 9, 13, 0), 0),
            At(2026, 3, 9, 14, 0));
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 2, 13, 18, 0), 0),
            At(2026, 2, 14, 8, 30));  // make-up Saturday
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 2, 21, 10, 0), 0),
            At(2026, 2, 24, 8, 30));  // in 春节
}

TEST(WorkCalendar, ArithmeticIsExactToTheSecond) {
  WorkCalendar calendar = Build2026();
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 3, 9, 8, 30, 30), 1),
            At(2026, 3, 9, 8, 31, 30));
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 3, 9, 11, 59, 30), 1),
            At(2026, 3, 9, 14, 0, 30));
  EXPECT_EQ(*calendar.WorkingMinutesBetween(At(2026, 3, 9, 9, 0),
                                            At(2026, 3, 9, 9, 0, 59)),
            0);
  EXPECT_EQ(*calendar.WorkingMinutesBetween(At(2026, 3, 9, 9, 0),
                                            At(2026, 3, 9, 9, 1, 59)),
            1);
}

TEST(WorkCalendar, WorkingMinutesBetweenAcrossSpringFestival) {
  WorkCalendar calendar = Build2026();
  // Fri Feb 13 09:00 → Tue Feb 24 09:00: 180 + 210 on Friday, 420 on the
  // make-up Saturday, nothing Feb 15–23, 30 on Tuesday.
  absl::StatusOr<int64_t> minutes = calendar.WorkingMinutesBetween(
      At(2026, 2, 13, 9, 0), At(2026, 2, 24, 9, 0));
  ASSERT_TRUE(minutes.ok()) << minutes.status();
  EXPECT_EQ(*minutes, 840);
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 2, 13, 9, 0), 840),
            At(2026, 2, 24, 9, 0));
  EXPECT_EQ(*calendar.WorkingMinutesBetween(At(2026, 2, 21, 9, 0),
                                            At(2026, 2, 22, 9, 0)),
            0);
  // Reversed or equal instants: 0.
  EXPECT_EQ(*calendar.WorkingMinutesBetween(At(2026, 2, 24, 9, 0),
                                            At(2026, 2, 13, 9, 0)),
            0);
  EXPECT_EQ(*calendar.WorkingMinutesBetween(At(2026, 2, 24, 9, 0),
                                            At(2026, 2, 24, 9, 0)),
            0);
  // The whole year, up to 24:00 of the last day.
  EXPECT_EQ(*calendar.WorkingMinutesBetween(At(2026, 1, 1, 0, 0),
                                            At(2027, 1, 1, 0, 0)),
            248 * 420);
}

TEST(WorkCalendar, AgreesWithMinuteByMinuteReference) {
  WorkCalendar calendar = Build2026();
  Reference reference(Official2026());
  std::mt19937_64 rng(20260215);
  // Instants around 春节 and 国庆, on whole minutes.
  const int64_t spans[][2] = {{At(2026, 2, 1, 0, 0), At(2026, 3, 10, 0, 0)},
                              {At(2026, 9, 15, 0, 0), At(2026, 10, 20, 0, 0)}};
  for (const auto& span : spans) {
    std::uniform_int_distribution<int64_t> minute(span[0] / 60,
                                                  span[1] / 60 - 1);
    std::uniform_int_distribution<int64_t> length(0, 3000);
    for (int i = 0; i < 300; ++i) {
      const int64_t from = minute(rng) * 60;
      const int64_t to = minute(rng) * 60;
      const int64_t n = i % 10 == 0 ? 0 : length(rng);
      absl::StatusOr<int64_t> due = calendar.AddWorkingMinutes(from, n);
      ASSERT_TRUE(due.ok()) << due.status();
      ASSERT_EQ(*due, reference.AddWorkingMinutes(from, n))
          << "from " << from << " + " << n;
      absl::StatusOr<int64_t> between =
          calendar.WorkingMinutesBetween(from, to);
      ASSERT_TRUE(between.ok()) << between.status();
      ASSERT_EQ(*between, reference.WorkingMinutesBetween(from, to))
          << from << " .. " << to;
    }
  }
}

// An obviously-correct reference exact to the second, walking day by day
// and window by window; independent of WorkCalendar's prefix sums, its
// Position and its window searches. nullopt where the calendar refuses.
class SecondReference {
 public:
  explicit SecondReference(const v1::WorkCalendar& c) : minutes_(c) {
    first_ = *ParseIsoDate(c.first_date());
    last_ = *ParseIsoDate(c.last_date());
    offset_ = int64_t{c.utc_offset_minutes()} * 60;
    for (const v1::WorkingWindow& w : c.windows()) {
      windows_.emplace_back(w.start_minute() * 60, w.end_minute() * 60);
    }
  }

  int64_t Midnight(int32_t day) const { return int64_t{day} * 86400 - offset_; }
  bool Inside(int64_t t) const {
    return t >= Midnight(first_) && t <= Midnight(last_ + 1);
  }
  bool Working(int32_t day) const {
    return day >= first_ && day <= last_ && minutes_.IsWorkingDay(day);
  }

  absl::optional<int64_t> AddWorkingMinutes(int64_t t, int64_t minutes) const {
    if (minutes < 0 || !Inside(t)) return absl::nullopt;
    int64_t need = minutes * 60;
    int32_t day = first_ + static_cast<int32_t>((t - Midnight(first_)) / 86400);
    int64_t second = t - Midnight(day);
    for (; day <= last_; ++day, second = 0) {
      if (!Working(day)) continue;
      for (const auto& w : windows_) {
        const int64_t from = std::max<int64_t>(second, w.first);
        if (from >= w.second) continue;
        if (need == 0) return Midnight(day) + from;
        if (need <= w.second - from) return Midnight(day) + from + need;
        need -= w.second - from;
      }
    }
    return absl::nullopt;
  }

  absl::optional<int64_t> AddWorkingDays(int64_t t, int64_t days) const {
    if (days < 0 || !Inside(t)) return absl::nullopt;
    int32_t day = first_ + static_cast<int32_t>((t - Midnight(first_)) / 86400);
    if (day > last_) return absl::nullopt;
    if (days == 0) {
      while (day <= last_ && !Working(day)) ++day;
    } else {
      for (int64_t k = 0; k < days && day <= last_;) {
        ++day;
        if (Working(day)) ++k;
      }
    }
    if (day > last_) return absl::nullopt;
    return Midnight(day) + windows_.back().second;
  }

  // REQUIRES: both inside.
  int64_t WorkingMinutesBetween(int64_t from, int64_t to) const {
    if (to <= from) return 0;
    int64_t worked = 0;
    for (int32_t day = first_; day <= last_; ++day) {
      if (!Working(day)) continue;
      for (const auto& w : windows_) {
        const int64_t lo = std::max(from, Midnight(day) + w.first);
        const int64_t hi = std::min(to, Midnight(day) + w.second);
        if (hi > lo) worked += hi - lo;
      }
    }
    return worked / 60;
  }

 private:
  Reference minutes_;
  int32_t first_ = 0, last_ = 0;
  int64_t offset_ = 0;
  std::vector<std::pair<int64_t, int64_t>> windows_;
};

// Instants that probe every edge of `c`: every window's opening and close
// (and a second either side), inside the lunch break, midnight, on every
// day of the range and a day beyond either end, then random seconds.
std::vector<int64_t> ProbeInstants(const v1::WorkCalendar& c, uint64_t seed,
                                   int random_count) {
  const int32_t first = *ParseIsoDate(c.first_date());
  const int32_t last = *ParseIsoDate(c.last_date());
  const int64_t offset = int64_t{c.utc_offset_minutes()} * 60;
  std::vector<int64_t> seconds = {0, 1, 86399};
  for (const v1::WorkingWindow& w : c.windows()) {
    for (int64_t edge : {w.start_minute() * 60, w.end_minute() * 60}) {
      for (int64_t d = -1; d <= 1; ++d) {
        if (edge + d >= 0 && edge + d < 86400) seconds.push_back(edge + d);
      }
    }
    seconds.push_back((w.start_minute() + w.end_minute()) * 30 + 17);
  }
  for (int i = 1; i < c.windows_size(); ++i) {  // between windows
    seconds.push_back(
        (c.windows(i - 1).end_minute() + c.windows(i).start_minute()) * 30);
  }
  std::vector<int64_t> instants;
  for (int32_t day = first - 1; day <= last + 1; ++day) {
    for (int64_t s : seconds)
      instants.push_back(int64_t{day} * 86400 + s - offset);
  }
  instants.push_back(int64_t{last + 1} * 86400 - offset);  // 24:00 of last
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> any(
      int64_t{first - 2} * 86400 - offset, int64_t{last + 3} * 86400 - offset);
  for (int i = 0; i < random_count; ++i) instants.push_back(any(rng));
  return instants;
}

// Locate + the Position forms against the public functions (which must
// agree value for value and refuse exactly where those return an error, of
// the code they name) and against SecondReference.
void ExpectLocatedFormsAgree(const v1::WorkCalendar& proto, uint64_t seed) {
  absl::StatusOr<WorkCalendar> built = WorkCalendar::Build(proto);
  ASSERT_TRUE(built.ok()) << built.status();
  const WorkCalendar& cal = *built;
  const SecondReference reference(proto);
  const int64_t per_day = cal.working_minutes_per_day();
  const int64_t total_minutes = cal.working_day_count() * per_day;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> some_minutes(1, 5 * per_day);
  std::uniform_int_distribution<int64_t> some_days(1, 30);
  int compared = 0, refused = 0;
  const std::vector<int64_t> instants = ProbeInstants(proto, seed, 3000);
  for (size_t i = 0; i < instants.size(); ++i) {
    const int64_t t = instants[i];
    const WorkCalendar::Position at = cal.Locate(t);
    ASSERT_EQ(at.inside(), reference.Inside(t)) << t;
    ASSERT_EQ(at.unix_seconds, t);
    const std::vector<int64_t> minute_amounts = {-1,
                                                 0,
                                                 1,
                                                 59,
                                                 60,
                                                 per_day - 1,
                                                 per_day,
                                                 per_day + 1,
                                                 some_minutes(rng),
                                                 total_minutes,
                                                 total_minutes + 1,
                                                 kInt64Max};
    for (int64_t m : minute_amounts) {
      int64_t got = -1;
      const bool ok = cal.TryAddWorkingMinutes(at, m, &got);
      absl::StatusOr<int64_t> want = cal.AddWorkingMinutes(t, m);
      const absl::optional<int64_t> ref =
          m < (int64_t{1} << 40) ? reference.AddWorkingMinutes(t, m)
                                 : absl::nullopt;
      ASSERT_EQ(ok, want.ok()) << t << " + " << m << " min: " << want.status();
      ASSERT_EQ(ok, ref.has_value()) << t << " + " << m << " min";
      if (ok) {
        ASSERT_EQ(got, *want) << t << " + " << m << " min";
        ASSERT_EQ(got, *ref) << t << " + " << m << " min";
        ++compared;
      } else {
        ASSERT_EQ(got, -1) << "untouched";
        ASSERT_EQ(want.status().code(), m < 0
                                            ? absl::StatusCode::kInvalidArgument
                                            : absl::StatusCode::kOutOfRange);
        ++refused;
      }
    }
    const std::vector<int64_t> day_amounts = {-1,
                                              0,
                                              1,
                                              2,
                                              some_days(rng),
                                              cal.working_day_count() - 1,
                                              cal.working_day_count(),
                                              cal.working_day_count() + 1,
                                              kInt64Max};
    for (int64_t n : day_amounts) {
      int64_t got = -1, number = -1;
      const bool ok = cal.TryAddWorkingDays(at, n, &got, &number);
      absl::StatusOr<int64_t> want = cal.AddWorkingDays(t, n);
      const absl::optional<int64_t> ref = reference.AddWorkingDays(t, n);
      ASSERT_EQ(ok, want.ok()) << t << " + " << n << " days: " << want.status();
      ASSERT_EQ(ok, ref.has_value()) << t << " + " << n << " days";
      if (ok) {
        ASSERT_EQ(got, *want) << t << " + " << n << " days";
        ASSERT_EQ(got, *ref) << t << " + " << n << " days";
        // The number chains as locating the deadline again would.
        int64_t more = -1, next = -1;
        int64_t again = -1, again_number = -1;
        if (cal.TryAddMoreWorkingDays(number, 3, &more, &next)) {
          ASSERT_TRUE(cal.TryAddWorkingDays(got, 3, &again, &again_number));
          ASSERT_EQ(more, again);
          ASSERT_EQ(next, again_number);
        }
        ++compared;
      } else {
        ASSERT_EQ(got, -1) << "untouched";
        ASSERT_EQ(want.status().code(), n < 0
                                            ? absl::StatusCode::kInvalidArgument
                                            : absl::StatusCode::kOutOfRange);
        ++refused;
      }
    }
    // Working minutes between this instant and the next one.
    const int64_t u = instants[(i * 7919 + 1) % instants.size()];
    absl::StatusOr<int64_t> between = cal.WorkingMinutesBetween(t, u);
    ASSERT_EQ(between.ok(), reference.Inside(t) && reference.Inside(u));
    if (between.ok() && i % 16 == 0) {
      ASSERT_EQ(*between, reference.WorkingMinutesBetween(t, u))
          << t << " " << u;
    } else if (!between.ok()) {
      ASSERT_EQ(between.status().code(), absl::StatusCode::kOutOfRange);
    }
  }
  EXPECT_GT(compared, 10000);
  EXPECT_GT(refused, 1000);
}

TEST(WorkCalendar, LocatedDeadlinesAgreeWithThePublicFunctions) {
  // The official 2026 calendar: weekends, holidays, make-up Saturdays and
  // Sundays, a lunch break; instants on every day, at every window edge.
  ExpectLocatedFormsAgree(Official2026(), 4);
}

TEST(WorkCalendar, LocatedDeadlinesAgreeOnOtherShapes) {
  // Three windows, the last closing at 24:00, the first opening at 00:00,
  // west of UTC; and a single window in a one-week calendar.
  v1::WorkCalendar three = Official2026();
  three.set_time_zone("Etc/GMT+5");
  three.set_utc_offset_minutes(-300);
  three.set_first_date("2026-09-01");
  three.set_last_date("2026-10-31");
  three.clear_holidays();
  three.clear_makeup_workdays();
  AddHoliday(&three, "国庆节", "2026-10-01", "2026-10-07");
  AddMakeup(&three, "2026-09-20", "国庆节");
  AddMakeup(&three, "2026-10-10", "国庆节");
  three.clear_windows();
  AddWindow(&three, 0, 90);
  AddWindow(&three, 9 * 60, 12 * 60 + 1);
  AddWindow(&three, 22 * 60, 24 * 60);
  ExpectLocatedFormsAgree(three, 5);

  v1::WorkCalendar week;
  week.set_time_zone("UTC");
  week.set_utc_offset_minutes(0);
  week.set_first_date("2026-03-02");
  week.set_last_date("2026-03-08");
  AddWindow(&week, 9 * 60, 17 * 60);
  ExpectLocatedFormsAgree(week, 6);
}

// ---------------------------------------------------------------------------
// Working days.

TEST(WorkCalendar, AddWorkingDaysOverSpringFestival) {
  WorkCalendar calendar = Build2026();
  const int64_t thursday = At(2026, 2, 12, 10, 0);
  EXPECT_EQ(*calendar.AddWorkingDays(thursday, 0), At(2026, 2, 12, 17, 30));
  EXPECT_EQ(*calendar.AddWorkingDays(thursday, 1), At(2026, 2, 13, 17, 30));
  EXPECT_EQ(*calendar.AddWorkingDays(thursday, 2), At(2026, 2, 14, 17, 30));
  EXPECT_EQ(*calendar.AddWorkingDays(thursday, 3), At(2026, 2, 24, 17, 30));
  // A complaint, 13 working days: Feb 13, 14, 24, 25, 26, 27, 28 (make-up),
  // Mar 2, 3, 4, 5, 6, 9.
  EXPECT_EQ(*calendar.AddWorkingDays(thursday, 13), At(2026, 3, 9, 17, 30));
  // From inside the holiday.
  const int64_t holiday = At(2026, 2, 16, 10, 0);
  EXPECT_EQ(*calendar.AddWorkingDays(holiday, 0), At(2026, 2, 24, 17, 30));
  EXPECT_EQ(*calendar.AddWorkingDays(holiday, 1), At(2026, 2, 24, 17, 30));
  EXPECT_EQ(*calendar.AddWorkingDays(holiday, 2), At(2026, 2, 25, 17, 30));
  // The time of day does not matter: late on Friday is still Friday.
  EXPECT_EQ(*calendar.AddWorkingDays(At(2026, 3, 6, 23, 59), 1),
            At(2026, 3, 9, 17, 30));
  EXPECT_EQ(*calendar.AddWorkingDays(At(2026, 3, 7, 0, 0), 1),
            At(2026, 3, 9, 17, 30));
  EXPECT_EQ(*calendar.AddWorkingDays(At(2026, 3, 7, 0, 0), 0),
            At(2026, 3, 9, 17, 30));
}

TEST(WorkCalendar, AddWorkingDaysAgreesWithDayByDayReference) {
  WorkCalendar calendar = Build2026();
  Reference reference(Official2026());
  // Up to October, so that 25 working days stay inside 2026.
  for (int32_t d = Day(2026, 1, 1); d <= Day(2026, 10, 31); d += 3) {
    for (int64_t n = 0; n <= 25; n += 5) {
      int32_t day = d;
      if (n == 0) {
        while (!reference.IsWorkingDay(day)) ++day;
      } else {
        for (int64_t k = 0; k < n;) {
          ++day;
          if (reference.IsWorkingDay(day)) ++k;
        }
      }
      const int64_t from = int64_t{d} * 86400 + 3600 * 3;  // 11:00 local
      absl::StatusOr<int64_t> due = calendar.AddWorkingDays(from, n);
      ASSERT_TRUE(due.ok()) << due.status();
      ASSERT_EQ(*due, int64_t{day} * 86400 + (17 * 60 + 30 - 480) * 60)
          << FormatIsoDate(d) << " + " << n;
    }
  }
}

// A statute's N days (TimeUnit CALENDAR_DAYS): the close of the N-th day
// after the start's, or of the next working day when that is a rest day or
// holiday (民法典 第二百零一条、第二百零三条).
TEST(WorkCalendar, AddCalendarDaysEndsOnAWorkingDaysClose) {
  WorkCalendar calendar = Build2026();
  const int64_t wednesday = At(2026, 9, 30, 10, 0);
  EXPECT_EQ(*calendar.AddCalendarDays(wednesday, 1), At(2026, 10, 8, 17, 30));
  EXPECT_EQ(*calendar.AddCalendarDays(wednesday, 10),  // make-up Saturday
            At(2026, 10, 10, 17, 30));
  EXPECT_EQ(*calendar.AddCalendarDays(wednesday, 11),  // Sunday
            At(2026, 10, 12, 17, 30));
  EXPECT_EQ(*calendar.AddCalendarDays(wednesday, 0), At(2026, 9, 30, 17, 30));
  // Whatever the time of day, even after the close.
  EXPECT_EQ(*calendar.AddCalendarDays(At(2026, 3, 2, 23, 0), 3),
            At(2026, 3, 5, 17, 30));
  // Agrees with a day-by-day count, and the located form with the public.
  Reference reference(Official2026());
  for (int32_t d = Day(2026, 1, 1); d <= Day(2026, 11, 30); d += 2) {
    for (int64_t n : {0, 1, 2, 6, 15, 30}) {
      int32_t day = d + static_cast<int32_t>(n);
      while (!reference.IsWorkingDay(day)) ++day;
      const int64_t from = int64_t{d} * 86400 + 3600 * 3;  // 11:00 local
      absl::StatusOr<int64_t> due = calendar.AddCalendarDays(from, n);
      ASSERT_TRUE(due.ok()) << due.status();
      ASSERT_EQ(*due, int64_t{day} * 86400 + (17 * 60 + 30 - 480) * 60)
          << FormatIsoDate(d) << " + " << n;
      int64_t located = 0, number = 0;
      ASSERT_TRUE(calendar.TryAddCalendarDays(calendar.Locate(from), n,
                                              &located, &number));
      EXPECT_EQ(located, *due);
      EXPECT_EQ(number,
                calendar.WorkingDaysBetween(calendar.first_day(), day) + 1);
    }
  }
  // Past the calendar, and bad arguments.
  EXPECT_THAT(calendar.AddCalendarDays(At(2026, 12, 30, 10, 0), 2),
              StatusIs(absl::StatusCode::kOutOfRange,
                       "2 calendar days after 2026-12-30 (to the close of a "
                       "working day) fall after the end of the work calendar "
                       "on 2026-12-31"));
  EXPECT_THAT(calendar.AddCalendarDays(At(2026, 12, 31, 10, 0), -1),
              StatusIs(absl::StatusCode::kInvalidArgument, "days must be"));
  EXPECT_THAT(calendar.AddCalendarDays(At(2027, 1, 4, 10, 0), 1),
              StatusIs(absl::StatusCode::kOutOfRange, "2027-01-04"));
}

// ---------------------------------------------------------------------------
// Errors.

TEST(WorkCalendar, InstantsOutsideTheRangeNameTheDate) {
  WorkCalendar calendar = Build2026();
  absl::StatusOr<int64_t> r =
      calendar.AddWorkingMinutes(At(2027, 1, 4, 9, 0), 10);
  EXPECT_THAT(
      r, StatusIs(absl::StatusCode::kOutOfRange, "2027-01-04T09:00:00+08:00"));
  EXPECT_THAT(r.status().message(), HasSubstr("2026-01-01 to 2026-12-31"));

  r = calendar.WorkingMinutesBetween(At(2025, 12, 31, 9, 0),
                                     At(2026, 1, 5, 9, 0));
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kOutOfRange, "2025-12-31"));

  // The second just before the range, reversed instants included.
  r = calendar.WorkingMinutesBetween(At(2026, 1, 5, 9, 0),
                                     At(2026, 1, 1, 0, 0) - 1);
  EXPECT_THAT(
      r, StatusIs(absl::StatusCode::kOutOfRange, "2025-12-31T23:59:59+08:00"));

  r = calendar.AddWorkingDays(At(2027, 2, 1, 9, 0), 1);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kOutOfRange, "2027-02-01"));
}

TEST(WorkCalendar, DeadlinesPastTheRangeNameTheDates) {
  WorkCalendar calendar = Build2026();
  // Thursday Dec 31 16:00: 90 working minutes remain.
  EXPECT_EQ(*calendar.AddWorkingMinutes(At(2026, 12, 31, 16, 0), 90),
            At(2026, 12, 31, 17, 30));
  absl::StatusOr<int64_t> r =
      calendar.AddWorkingMinutes(At(2026, 12, 31, 16, 0), 240);
  EXPECT_THAT(
      r, StatusIs(absl::StatusCode::kOutOfRange, "2026-12-31T16:00:00+08:00"));
  EXPECT_THAT(r.status().message(), HasSubstr("90 working minutes remain"));

  r = calendar.AddWorkingMinutes(At(2026, 12, 31, 18, 0), 0);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kOutOfRange, "2026-12-31"));

  EXPECT_EQ(*calendar.AddWorkingDays(At(2026, 12, 30, 9, 0), 1),
            At(2026, 12, 31, 17, 30));
  r = calendar.AddWorkingDays(At(2026, 12, 30, 9, 0), 2);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kOutOfRange, "after 2026-12-30"));
  EXPECT_THAT(r.status().message(), HasSubstr("2026-12-31"));

  // 24:00 of the last day is inside for minutes, but its day is not.
  const int64_t end = At(2027, 1, 1, 0, 0);
  EXPECT_EQ(*calendar.WorkingMinutesBetween(At(2026, 12, 31, 9, 0), end), 390);
  r = calendar.AddWorkingDays(end, 0);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kOutOfRange, "2027-01-01"));
}

TEST(WorkCalendar, NegativeAmountsAreInvalid) {
  WorkCalendar calendar = Build2026();
  absl::StatusOr<int64_t> r =
      calendar.AddWorkingMinutes(At(2026, 3, 9, 9, 0), -1);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument, "minutes"));
  r = calendar.AddWorkingDays(At(2026, 3, 9, 9, 0), -1);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument, "days"));
  r = calendar.AddWorkingMinutes(At(2026, 3, 9, 9, 0), kInt64Min);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(WorkCalendar, ExtremeValuesDoNotOverflow) {
  WorkCalendar calendar = Build2026();
  const int64_t monday = At(2026, 3, 9, 9, 0);
  EXPECT_EQ(calendar.AddWorkingMinutes(monday, kInt64Max).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(calendar.AddWorkingDays(monday, kInt64Max).status().code(),
            absl::StatusCode::kOutOfRange);
  for (int64_t t : {kInt64Min, kInt64Min + 1, kInt64Max, kInt64Max - 1}) {
    absl::StatusOr<int64_t> r = calendar.AddWorkingMinutes(t, 1);
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kOutOfRange, "unix time"));
    EXPECT_EQ(calendar.AddWorkingDays(t, 1).status().code(),
              absl::StatusCode::kOutOfRange);
    EXPECT_EQ(calendar.WorkingMinutesBetween(monday, t).status().code(),
              absl::StatusCode::kOutOfRange);
    EXPECT_FALSE(calendar.Locate(t).inside());
  }
  // The located and chained forms refuse extreme amounts without
  // overflowing (UBSan builds check the arithmetic).
  const WorkCalendar::Position at = calendar.Locate(monday);
  int64_t due = -1, number = -1;
  for (int64_t n : {kInt64Min, kInt64Min + 1, int64_t{-1}, kInt64Max}) {
    EXPECT_FALSE(calendar.TryAddWorkingMinutes(at, n, &due));
    EXPECT_FALSE(calendar.TryAddWorkingDays(at, n, &due, &number));
    EXPECT_FALSE(calendar.TryAddMoreWorkingDays(n, 1, &due, &number));
    EXPECT_FALSE(calendar.TryAddMoreWorkingDays(1, n, &due, &number));
    EXPECT_FALSE(calendar.TryAddMoreWorkingDays(n, n, &due, &number));
  }
  EXPECT_EQ(due, -1);
  EXPECT_EQ(number, -1);
}

// ---------------------------------------------------------------------------
// Other shapes of calendar.

TEST(WorkCalendar, OffsetsOtherThanBeijing) {
  v1::WorkCalendar proto;
  proto.set_time_zone("Etc/GMT+5");  // UTC-5
  proto.set_utc_offset_minutes(-300);
  proto.set_first_date("2026-03-01");
  proto.set_last_date("2026-03-31");
  AddWindow(&proto, 9 * 60, 17 * 60);
  ProblemList problems = Validate(proto);
  EXPECT_EQ(problems.report().problems_size(), 0)
      << problems.report().DebugString();
  absl::StatusOr<WorkCalendar> calendar = WorkCalendar::Build(proto);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  // Friday 16:00 local + 2 h → Monday 10:00 local.
  EXPECT_EQ(*calendar->AddWorkingMinutes(At(2026, 3, 6, 16, 0, 0, -300), 120),
            At(2026, 3, 9, 10, 0, 0, -300));
  absl::StatusOr<int64_t> r =
      calendar->AddWorkingMinutes(At(2026, 4, 1, 9, 0, 0, -300), 1);
  EXPECT_THAT(
      r, StatusIs(absl::StatusCode::kOutOfRange, "2026-04-01T09:00:00-05:00"));
}

TEST(WorkCalendar, CustomRestWeekdays) {
  v1::WorkCalendar proto = Official2026();
  proto.add_rest_weekdays(7);  // only Sunday rests
  // The make-up Saturdays now change nothing: one warning each.
  ProblemList problems = Validate(proto);
  EXPECT_EQ(problems.error_count(), 0) << problems.report().DebugString();
  EXPECT_EQ(problems.warning_count(), 4);
  absl::StatusOr<WorkCalendar> calendar = WorkCalendar::Build(proto);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_TRUE(calendar->IsWorkingDay(Day(2026, 3, 7)));   // Saturday
  EXPECT_FALSE(calendar->IsWorkingDay(Day(2026, 3, 8)));  // Sunday
  EXPECT_TRUE(calendar->IsWorkingDay(Day(2026, 9, 20)));  // make-up Sunday
}

TEST(WorkCalendar, LongestRangeBuildsInBoundedMemory) {
  v1::WorkCalendar proto;
  proto.set_time_zone("UTC");
  proto.set_utc_offset_minutes(0);
  const int32_t first = Day(1900, 1, 1);
  const int32_t last = first + kMaxCalendarDays - 1;
  proto.set_first_date(FormatIsoDate(first));
  proto.set_last_date(FormatIsoDate(last));
  AddWindow(&proto, 0, 1440);
  absl::StatusOr<WorkCalendar> calendar = WorkCalendar::Build(proto);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  // 4 bytes per day (prefix sums) + 4 per working day (the day table).
  EXPECT_LT(calendar->MemoryBytes(), size_t{kMaxCalendarDays} * 8 + 4096);
  EXPECT_GT(calendar->MemoryBytes(), size_t{kMaxCalendarDays} * 4);
  const int64_t start = int64_t{first} * 86400;
  const int64_t days = calendar->working_day_count();
  // The last working day of the range is its last weekday.
  int32_t last_working = last;
  while (IsoWeekday(last_working) > 5) --last_working;
  EXPECT_EQ(*calendar->AddWorkingDays(start, days - 1),
            (int64_t{last_working} + 1) * 86400);
  EXPECT_EQ(calendar->AddWorkingDays(start, days).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(*calendar->AddWorkingMinutes(start, days * 1440),
            (int64_t{last_working} + 1) * 86400);
  EXPECT_EQ(calendar->AddWorkingMinutes(start, days * 1440 + 1).status().code(),
            absl::StatusCode::kOutOfRange);

  proto.set_last_date(FormatIsoDate(last + 1));
  ExpectOnlyProblem(proto, "calendar.range", FormatIsoDate(last + 1),
                    "last_date");
}

TEST(WorkCalendar, IsMovable) {
  WorkCalendar a = Build2026();
  WorkCalendar b = std::move(a);
  EXPECT_EQ(b.working_day_count(), 248);
  WorkCalendar c = Build2026();
  c = std::move(b);
  EXPECT_EQ(*c.AddWorkingMinutes(At(2026, 3, 6, 15, 0), 240),
            At(2026, 3, 9, 10, 0));
}

TEST(WorkCalendar, IsDeterministic) {
  WorkCalendar a = Build2026();
  WorkCalendar b = Build2026();
  EXPECT_EQ(a.MemoryBytes(), b.MemoryBytes());
  for (int64_t t = At(2026, 1, 1, 0, 0); t < At(2026, 12, 1, 0, 0);
       t += 7919 * 60 + 13) {
    ASSERT_EQ(*a.AddWorkingMinutes(t, 600), *b.AddWorkingMinutes(t, 600));
    ASSERT_EQ(*a.AddWorkingDays(t, 5), *b.AddWorkingDays(t, 5));
    ASSERT_EQ(*a.WorkingMinutesBetween(At(2026, 1, 1, 0, 0), t),
              *b.WorkingMinutesBetween(At(2026, 1, 1, 0, 0), t));
  }
  v1::WorkCalendar bad = Official2026();
  bad.set_first_date("2026-1-1");
  AddMakeup(&bad, "2026-02-14", "again");
  AddWindow(&bad, 100, 50);
  EXPECT_EQ(Validate(bad).report().SerializeAsString(),
            Validate(bad).report().SerializeAsString());
}

TEST(WorkCalendar, IsSafeToQueryFromManyThreads) {
  const WorkCalendar calendar = Build2026();
  std::vector<int64_t> expected;
  for (int i = 0; i < 200; ++i) {
    expected.push_back(
        *calendar.AddWorkingMinutes(At(2026, 1, 5, 9, 0) + i * 86400, 1000));
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (int round = 0; round < 50; ++round) {
        for (int i = 0; i < 200; ++i) {
          if (*calendar.AddWorkingMinutes(At(2026, 1, 5, 9, 0) + i * 86400,
                                          1000) != expected[i]) {
            ++mismatches[k];
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(WorkCalendar, BuildRefusesAnInvalidCalendar) {
  v1::WorkCalendar proto = Official2026();
  proto.mutable_windows(0)->set_start_minute(-1);
  absl::StatusOr<WorkCalendar> calendar = WorkCalendar::Build(proto);
  EXPECT_THAT(calendar,
              StatusIs(absl::StatusCode::kInvalidArgument, "calendar.window"));
  EXPECT_THAT(calendar.status().message(),
              HasSubstr("windows[0].start_minute"));
  EXPECT_THAT(calendar.status().message(), HasSubstr("1 error"));
}

TEST(WorkCalendar, BuildAcceptsWarnings) {
  v1::WorkCalendar proto = Official2026();
  AddMakeup(&proto, "2026-03-04", "no-op");  // a Wednesday
  absl::StatusOr<WorkCalendar> calendar = WorkCalendar::Build(proto);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(calendar->working_day_count(), 248);
}

// ---------------------------------------------------------------------------
// Validation: each rule, planted alone.

TEST(ValidateCalendar, Missing) {
  v1::WorkCalendar c = Official2026();
  c.clear_first_date();
  ExpectOnlyProblem(c, "calendar.missing", "", "first_date");
  c = Official2026();
  c.clear_last_date();
  ExpectOnlyProblem(c, "calendar.missing", "", "last_date");
  // An absent calendar: one problem, not one per empty field.
  ExpectOnlyProblem(v1::WorkCalendar(), "calendar.missing", "", "first_date");
  EXPECT_THAT(WorkCalendar::Build(v1::WorkCalendar()),
              StatusIs(absl::StatusCode::kInvalidArgument, "calendar.missing"));
}

TEST(ValidateCalendar, MalformedDate) {
  v1::WorkCalendar c = Official2026();
  c.set_first_date("2026-02-30");
  ExpectOnlyProblem(c, "calendar.malformed_date", "2026-02-30", "first_date");
  c = Official2026();
  c.mutable_holidays(2)->set_last_date("2026-4-06");
  ExpectOnlyProblem(c, "calendar.malformed_date", "2026-4-06",
                    "holidays[2].last_date");
  c = Official2026();
  c.mutable_makeup_workdays(3)->set_date("2026/05/09");
  ExpectOnlyProblem(c, "calendar.malformed_date", "2026/05/09",
                    "makeup_workdays[3].date");
}

TEST(ValidateCalendar, Range) {
  v1::WorkCalendar c = Official2026();
  c.set_last_date("2025-12-31");
  ExpectOnlyProblem(c, "calendar.range", "2025-12-31", "last_date");
  c = Official2026();
  c.set_first_date("1900-01-01");
  c.set_last_date("2200-01-01");
  ExpectOnlyProblem(c, "calendar.range", "2200-01-01", "last_date");
}

TEST(ValidateCalendar, TimeZone) {
  v1::WorkCalendar c = Official2026();
  c.set_utc_offset_minutes(420);
  ExpectOnlyProblem(c, "calendar.time_zone", "Asia/Shanghai",
                    "utc_offset_minutes");
  c = Official2026();
  c.clear_time_zone();
  ExpectOnlyProblem(c, "calendar.time_zone", "", "time_zone");
  c = Official2026();
  c.set_time_zone("Pacific/Kiritimati");
  c.set_utc_offset_minutes(15 * 60);
  ExpectOnlyProblem(c, "calendar.time_zone", "Pacific/Kiritimati",
                    "utc_offset_minutes");
  c.set_utc_offset_minutes(14 * 60);
  EXPECT_EQ(Validate(c).report().problems_size(), 0);
  c = Official2026();
  c.set_time_zone("Etc/GMT+8");  // UTC-8
  ExpectOnlyProblem(c, "calendar.time_zone", "Etc/GMT+8", "utc_offset_minutes");
  c.set_time_zone("Etc/GMT-8");  // UTC+8
  EXPECT_EQ(Validate(c).report().problems_size(), 0);
  c.set_time_zone("UTC");
  ExpectOnlyProblem(c, "calendar.time_zone", "UTC", "utc_offset_minutes");
}

TEST(ValidateCalendar, RestWeekday) {
  v1::WorkCalendar c = Official2026();
  c.add_rest_weekdays(6);
  c.add_rest_weekdays(7);
  c.add_rest_weekdays(0);
  ExpectOnlyProblem(c, "calendar.rest_weekday", "rest_weekdays[2]",
                    "rest_weekdays[2]");
  c.set_rest_weekdays(2, 6);
  ExpectOnlyProblem(c, "calendar.rest_weekday", "rest_weekdays[2]",
                    "rest_weekdays[2]");
}

// A range without one working day: every deadline in working time would
// fail when routed, so the dataset is refused when it loads. One make-up
// day is enough.
TEST(ValidateCalendar, NoWorkingDay) {
  v1::WorkCalendar c = Official2026();
  c.clear_rest_weekdays();
  for (int w = 1; w <= 7; ++w) c.add_rest_weekdays(w);
  const v1::MakeupWorkday kept = c.makeup_workdays(0);
  c.clear_makeup_workdays();
  ExpectOnlyProblem(c, "calendar.no_working_day", "", "rest_weekdays");
  EXPECT_THAT(
      WorkCalendar::Build(c),
      StatusIs(absl::StatusCode::kInvalidArgument, "calendar.no_working_day"));
  *c.add_makeup_workdays() = kept;
  EXPECT_EQ(Validate(c).report().problems_size(), 0);
  absl::StatusOr<WorkCalendar> one = WorkCalendar::Build(c);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->working_day_count(), 1);
}

TEST(ValidateCalendar, HolidayRange) {
  v1::WorkCalendar c = Official2026();
  c.mutable_holidays(4)->set_first_date("2026-06-21");
  c.mutable_holidays(4)->set_last_date("2026-06-19");
  ExpectOnlyProblem(c, "calendar.holiday_range", "holidays[4]",
                    "holidays[4].last_date");
  c = Official2026();
  c.mutable_holidays(0)->set_first_date("2025-12-31");
  ExpectOnlyProblem(c, "calendar.holiday_range", "holidays[0]",
                    "holidays[0].first_date");
  c = Official2026();
  AddHoliday(&c, "元旦", "2026-12-31", "2027-01-01");
  ExpectOnlyProblem(c, "calendar.holiday_range", "holidays[7]",
                    "holidays[7].last_date");
}

TEST(ValidateCalendar, HolidayOverlap) {
  v1::WorkCalendar c = Official2026();
  AddHoliday(&c, "extra", "2026-02-23", "2026-02-24");
  ExpectOnlyProblem(c, "calendar.holiday_overlap", "holidays[7]",
                    "holidays[7].first_date");
  ProblemList problems = Validate(c);
  EXPECT_THAT(problems.report().problems(0).message(), HasSubstr("2026-02-23"));
  EXPECT_THAT(problems.report().problems(0).message(),
              HasSubstr("holidays[1]"));
  // Reported on the later-starting holiday, naming the earlier one.
  c = Official2026();
  AddHoliday(&c, "early", "2026-09-28", "2026-10-01");
  ExpectOnlyProblem(c, "calendar.holiday_overlap", "holidays[6]",
                    "holidays[6].first_date");
  EXPECT_THAT(Validate(c).report().problems(0).message(),
              HasSubstr("holidays[7]"));
}

TEST(ValidateCalendar, MakeupOutside) {
  v1::WorkCalendar c = Official2026();
  AddMakeup(&c, "2027-01-09", "next year");  // a Saturday
  ExpectOnlyProblem(c, "calendar.makeup_outside", "2027-01-09",
                    "makeup_workdays[6].date");
}

TEST(ValidateCalendar, MakeupConflict) {
  v1::WorkCalendar c = Official2026();
  AddMakeup(&c, "2026-10-03", "国庆节");  // a Saturday inside 国庆
  ExpectOnlyProblem(c, "calendar.makeup_conflict", "2026-10-03",
                    "makeup_workdays[6].date");
}

TEST(ValidateCalendar, MakeupNotRestIsAWarning) {
  v1::WorkCalendar c = Official2026();
  AddMakeup(&c, "2026-03-04", "no-op");  // a Wednesday
  ExpectOnlyProblem(c, "calendar.makeup_not_rest", "2026-03-04",
                    "makeup_workdays[6].date", v1::SEVERITY_WARNING);
  EXPECT_EQ(Validate(c).error_count(), 0);
}

TEST(ValidateCalendar, DuplicateMakeup) {
  v1::WorkCalendar c = Official2026();
  AddMakeup(&c, "2026-02-14", "春节");
  ExpectOnlyProblem(c, "calendar.duplicate_makeup", "2026-02-14",
                    "makeup_workdays[6].date");
  EXPECT_THAT(Validate(c).report().problems(0).message(),
              HasSubstr("makeup_workdays[1]"));
}

TEST(ValidateCalendar, Window) {
  v1::WorkCalendar c = Official2026();
  c.mutable_windows(0)->set_start_minute(-1);
  ExpectOnlyProblem(c, "calendar.window", "windows[0]",
                    "windows[0].start_minute");
  c = Official2026();
  c.mutable_windows(1)->set_end_minute(1441);
  ExpectOnlyProblem(c, "calendar.window", "windows[1]",
                    "windows[1].end_minute");
  c = Official2026();
  c.mutable_windows(1)->set_end_minute(14 * 60);  // empty
  ExpectOnlyProblem(c, "calendar.window", "windows[1]",
                    "windows[1].end_minute");
  c = Official2026();
  c.mutable_windows()->SwapElements(0, 1);  // unsorted
  ExpectOnlyProblem(c, "calendar.window", "windows[1]",
                    "windows[1].start_minute");
  c = Official2026();
  c.mutable_windows(1)->set_start_minute(11 * 60);  // overlapping
  ExpectOnlyProblem(c, "calendar.window", "windows[1]",
                    "windows[1].start_minute");
  c = Official2026();
  c.clear_windows();
  ExpectOnlyProblem(c, "calendar.window", "", "windows");
  // Adjacent windows are fine.
  c = Official2026();
  c.mutable_windows(1)->set_start_minute(12 * 60);
  EXPECT_EQ(Validate(c).report().problems_size(), 0);
}

TEST(ValidateCalendar, ReportsEveryProblemInOrder) {
  v1::WorkCalendar c = Official2026();
  c.set_first_date("2026-1-1");
  AddMakeup(&c, "2026-02-14", "again");
  AddWindow(&c, 100, 50);
  ProblemList problems = Validate(c);
  ASSERT_EQ(problems.report().problems_size(), 3)
      << problems.report().DebugString();
  EXPECT_EQ(problems.report().problems(0).rule(), "calendar.malformed_date");
  EXPECT_EQ(problems.report().problems(1).rule(), "calendar.duplicate_makeup");
  EXPECT_EQ(problems.report().problems(2).rule(), "calendar.window");
  EXPECT_EQ(problems.error_count(), 3);
}

// ---------------------------------------------------------------------------
// Hostile input.

TEST(ValidateCalendar, NineThousandYearHolidayDoesNotBlowUp) {
  v1::WorkCalendar c = Official2026();
  AddHoliday(&c, "forever", "1900-01-01", "9999-12-31");
  ProblemList problems = Validate(c);
  EXPECT_TRUE(
      HasRule(problems, "calendar.holiday_range", "holidays[7].first_date"));
  EXPECT_TRUE(
      HasRule(problems, "calendar.holiday_overlap", "holidays[0].first_date"));
  EXPECT_EQ(WorkCalendar::Build(c).status().code(),
            absl::StatusCode::kInvalidArgument);

  // The same holiday in a 8100-year calendar: refused by the range rule
  // before anything is expanded.
  v1::WorkCalendar wide = Official2026();
  wide.set_first_date("1900-01-01");
  wide.set_last_date("9999-12-31");
  wide.clear_holidays();
  wide.clear_makeup_workdays();
  AddHoliday(&wide, "forever", "1900-01-01", "9999-12-31");
  ExpectOnlyProblem(wide, "calendar.range", "9999-12-31", "last_date");
  EXPECT_EQ(WorkCalendar::Build(wide).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ValidateCalendar, ManyProblemsStayBounded) {
  v1::WorkCalendar c = Official2026();
  for (int i = 0; i < 20000; ++i) {
    AddHoliday(&c, "same", "2026-03-02", "2026-03-02");
  }
  ProblemList problems = Validate(c);
  EXPECT_EQ(problems.error_count(), 19999);
  EXPECT_LE(problems.report().problems_size(), ProblemList::kMaxRecorded);
}

TEST(ValidateCalendar, HugeDateTextIsEchoedBounded) {
  v1::WorkCalendar c = Official2026();
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "日";
  c.mutable_makeup_workdays(0)->set_date(text);
  ProblemList problems = Validate(c);
  ASSERT_EQ(problems.report().problems_size(), 1);
  const v1::Problem& p = problems.report().problems(0);
  EXPECT_EQ(p.rule(), "calendar.malformed_date");
  EXPECT_LE(p.element_code().size(), 64u);
  EXPECT_LT(p.message().size(), 300u);
  // Cut on a character boundary: the report still round-trips.
  v1::ValidationReport parsed;
  EXPECT_TRUE(parsed.ParseFromString(problems.report().SerializeAsString()));
  EXPECT_EQ(parsed.problems(0).element_code(), p.element_code());
}

}  // namespace
}  // namespace jiceng
