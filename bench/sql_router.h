// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Benchmark-only code: not part of the library.
//
// SqlRouter: the routing decision computed the way an integrator would
// compute it on a relational database — the dataset loaded into the tables
// of bench/sql/schema.sql, the per-case work done by prepared statements
// (region and ancestor lookups, the rule query with every predicate in SQL,
// role resolution, the delegation in force, the handle deadline through the
// calendar tables), with a little application code for the control flow of
// router.h's steps 1–5. It computes the fields the baseline compares: the
// outcome, lead, co-handlers, tier, handle deadline and rule (or scenario)
// id, and refuses the cases jiceng refuses. It follows the procedure of
// tests/reference_router.cc; what it does not model (extra locations,
// supervisor, escalation, whistle) it refuses or leaves out, and the
// benchmark kit's workload never uses the first. Nor does it model two
// rules of the reference that the generated province does not exercise
// (the gate would show it if it did): a rule out of force because its item
// is, and a delegated item that is not enforced (the generator delegates
// only penalty and inspection items).
//
// Back ends: SQLite (in-process) and, when built with libpq, PostgreSQL;
// the SQL text is shared ($N parameters, rewritten to ?N for SQLite).
//
// Thread safety: none; one router per connection and thread.

#ifndef JICENG_BENCH_SQL_ROUTER_H_
#define JICENG_BENCH_SQL_ROUTER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "jiceng/v1/dataset.pb.h"
#include "jiceng/v1/routing.pb.h"

namespace jiceng {
namespace bench {

// A prepared statement. Parameters are 1-based, columns 0-based.
class SqlStatement {
 public:
  virtual ~SqlStatement() = default;
  virtual void BindInt(int i, int64_t v) = 0;
  virtual void BindDouble(int i, double v) = 0;
  virtual void BindText(int i, const std::string& v) = 0;
  virtual void BindNull(int i) = 0;
  // Runs the statement (first call after binding) or moves to the next
  // row: true while a row is available.
  virtual absl::StatusOr<bool> Step() = 0;
  virtual bool IsNull(int col) = 0;
  virtual int64_t Int(int col) = 0;
  virtual std::string Text(int col) = 0;
  // Clears bindings' results so the statement can run again.
  virtual void Reset() = 0;
};

// A connection.
class SqlDatabase {
 public:
  virtual ~SqlDatabase() = default;
  virtual absl::Status Execute(const std::string& sql) = 0;
  // `sql` uses $1, $2, … for parameters.
  virtual absl::StatusOr<std::unique_ptr<SqlStatement>> Prepare(
      const std::string& sql) = 0;
  virtual std::string Name() const = 0;
};

// An in-memory SQLite database.
absl::StatusOr<std::unique_ptr<SqlDatabase>> OpenSqlite();
#ifdef JICENG_HAVE_LIBPQ
// A PostgreSQL connection (libpq conninfo, e.g. "host=/tmp/x dbname=postgres").
absl::StatusOr<std::unique_ptr<SqlDatabase>> OpenPostgres(
    const std::string& conninfo);
#endif

// The compared fields of one decision.
struct SqlDecision {
  v1::RoutingOutcome outcome = v1::ROUTING_OUTCOME_UNSPECIFIED;
  std::string lead;  // "UNIT:<code>", "GRID:<code>" or "" (nobody)
  std::vector<std::string> co_handlers;
  v1::HandlingTier tier = v1::HANDLING_TIER_UNSPECIFIED;
  int64_t handle_due = 0;
  std::string rule_id;  // rule id or scenario code
};

// The same fields taken from jiceng's decision.
SqlDecision FromRoutingDecision(const v1::RoutingDecision& d);

// A one-line description of the differences, "" when equal.
std::string Describe(const SqlDecision& want, const SqlDecision& got);

class SqlRouter {
 public:
  // Creates the schema (the text of bench/sql/schema.sql) in `db` and loads
  // `dataset`. REQUIRES: `dataset` compiles with Engine::Compile.
  static absl::StatusOr<std::unique_ptr<SqlRouter>> Load(
      std::unique_ptr<SqlDatabase> db, const std::string& schema,
      const v1::Dataset& dataset);

  // The decision for `c`, or INVALID_ARGUMENT / OUT_OF_RANGE where jiceng's
  // Router refuses it (UNIMPLEMENTED for extra locations).
  absl::Status Decide(const v1::Case& c, SqlDecision* out);

  SqlDatabase& db() { return *db_; }
  ~SqlRouter();

 private:
  struct Impl;
  explicit SqlRouter(std::unique_ptr<SqlDatabase> db);
  std::unique_ptr<SqlDatabase> db_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bench
}  // namespace jiceng

#endif  // JICENG_BENCH_SQL_ROUTER_H_
