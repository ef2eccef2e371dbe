-- Copyright 2026 The jiceng Authors.
-- SPDX-License-Identifier: Apache-2.0
--
-- The SQL baselines' schema (bench/sql_baseline.cc): the same province
-- dataset as jiceng's, in tables, with the indexes a competent integrator
-- would build for the routing queries. Portable between SQLite 3 and
-- PostgreSQL (no engine-specific types). Load-time denormalisation, as an
-- ETL job would do it: each region carries its township, village and
-- county and its effective township and urban-rural classes; the ancestor
-- closure is a table; delegation windows end at the earlier of end and
-- reclaim; the calendar has one row per day with the working days before
-- it, and one row per working day.
--
-- Enum columns hold the jiceng.v1 enum numbers; days are days since
-- 1970-01-01; NULL means "not set".

CREATE TABLE region (
  code           BIGINT PRIMARY KEY,
  parent         BIGINT,
  level          INTEGER NOT NULL,
  township       BIGINT,   -- the township at or above (NULL above township)
  village        BIGINT,   -- the village at or above
  county         BIGINT,   -- the county governing it (township's parent)
  township_class INTEGER,  -- of its township, UNSPECIFIED read as GENERAL
  urban_rural    INTEGER   -- its own, else the nearest ancestor's
);

-- Every (region, ancestor-or-self) pair with the distance up.
CREATE TABLE region_ancestor (
  code     BIGINT NOT NULL,
  ancestor BIGINT NOT NULL,
  distance INTEGER NOT NULL,
  PRIMARY KEY (code, ancestor)
);

CREATE TABLE unit (
  code        TEXT PRIMARY KEY,
  kind        INTEGER NOT NULL,
  region      BIGINT NOT NULL,
  centre_type INTEGER NOT NULL,
  dept_type   TEXT      -- a dispatched unit's defaults to its department's
);
CREATE INDEX unit_by_region ON unit (region, kind, centre_type, code);
CREATE INDEX unit_by_region_type ON unit (region, kind, dept_type, code);

-- The townships each dispatched unit covers (where it sits, and its
-- covered_region_codes).
CREATE TABLE dispatched_cover (
  township  BIGINT NOT NULL,
  dept_type TEXT NOT NULL,
  code      TEXT NOT NULL,
  PRIMARY KEY (township, dept_type, code)
);

CREATE TABLE attribute (
  key  TEXT PRIMARY KEY,
  type INTEGER NOT NULL
);
CREATE TABLE attribute_value (
  key   TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (key, value)
);

CREATE TABLE matter (
  code          TEXT PRIMARY KEY,
  major         INTEGER NOT NULL,
  category      INTEGER NOT NULL,
  handle_amount INTEGER,
  handle_unit   INTEGER
);

CREATE TABLE item (
  code          TEXT PRIMARY KEY,
  handle_amount INTEGER,
  handle_unit   INTEGER
);

-- Dispatch rules and scenarios (a scenario is a rule whose predicates are
-- its facts). dims: bit 1 township classes, 2 urban-rural classes, 4
-- request kinds are restricted (values in rule_value). depth: 1 + the
-- number of ancestors of region, 0 without one. npred: the number of set
-- restrictions (catalogue.h's precedence).
CREATE TABLE rule (
  rid           INTEGER PRIMARY KEY,
  id            TEXT NOT NULL,
  scenario      INTEGER NOT NULL,
  matter        TEXT NOT NULL,
  priority      INTEGER NOT NULL,
  depth         INTEGER NOT NULL,
  npred         INTEGER NOT NULL,
  region        BIGINT,
  first_day     INTEGER,
  end_day       INTEGER,
  dims          INTEGER NOT NULL,
  min_urgency   INTEGER NOT NULL,
  max_urgency   INTEGER NOT NULL,
  item          TEXT,
  tier          INTEGER NOT NULL,
  handle_amount INTEGER,
  handle_unit   INTEGER,
  lead_kind     INTEGER NOT NULL,
  lead_type     TEXT,
  lead_unit     TEXT
);
CREATE INDEX rule_by_matter ON rule (matter);

CREATE TABLE rule_value (
  rid   INTEGER NOT NULL,
  dim   INTEGER NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (rid, dim, value)
);

-- Co-handlers (cooperators of a scenario), in order.
CREATE TABLE rule_co_handler (
  rid       INTEGER NOT NULL,
  ord       INTEGER NOT NULL,
  kind      INTEGER NOT NULL,
  dept_type TEXT,
  unit      TEXT,
  PRIMARY KEY (rid, ord)
);

-- Attribute predicates. test: 1 present, 2 equals, 3 in set, 4 range.
CREATE TABLE rule_predicate (
  pid         INTEGER PRIMARY KEY,
  rid         INTEGER NOT NULL,
  key         TEXT NOT NULL,
  test        INTEGER NOT NULL,
  present     INTEGER,
  equals_text TEXT,
  equals_num  DOUBLE PRECISION,  -- for NUMBER attributes, NULL if unparsable
  is_number   INTEGER NOT NULL,
  min_value   DOUBLE PRECISION,
  max_value   DOUBLE PRECISION
);
CREATE INDEX rule_predicate_by_rule ON rule_predicate (rid);
CREATE TABLE predicate_value (
  pid   INTEGER NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (pid, value)
);

-- Delegations: window [first_day, end_day) (end = earlier of end and
-- reclaim); the scope's class (+ within) and subtree in columns, its named
-- townships in delegation_township.
CREATE TABLE delegation (
  did            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL,
  item           TEXT NOT NULL,
  mode           INTEGER NOT NULL,
  first_day      INTEGER,
  end_day        INTEGER,
  township_class INTEGER,
  within_region  BIGINT,
  region         BIGINT
);
CREATE INDEX delegation_by_item ON delegation (item, first_day);
CREATE TABLE delegation_township (
  township BIGINT NOT NULL,
  did      INTEGER NOT NULL,
  PRIMARY KEY (township, did)
);

-- The calendar: working days before each day, and the working days by
-- index. The working-hour windows (the same every working day) live in
-- calendar_window.
CREATE TABLE calendar_day (
  day       INTEGER PRIMARY KEY,
  working   INTEGER NOT NULL,
  wd_before INTEGER NOT NULL
);
CREATE TABLE working_day (
  idx INTEGER PRIMARY KEY,
  day INTEGER NOT NULL
);
CREATE TABLE calendar_window (
  start_second INTEGER PRIMARY KEY,
  end_second   INTEGER NOT NULL
);

-- The case's attributes, refilled per case.
CREATE TEMPORARY TABLE case_attr (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  num   DOUBLE PRECISION
);
