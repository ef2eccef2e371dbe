// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Internal header: not installed, not part of the stable API.
//
// GenerateProvince: a deterministic, synthetic province-scale dataset for
// tests, benchmarks and vendors' throughput runs. It builds the territory
// (province → city → county → township → village → grid → micro grid), the
// organisation attached to it, police grids and a work calendar, with the
// real code structure (DOMAIN.md §2):
//
//   province   PP0000000000     city      PPCC00000000 (CC from 01)
//   county     PPCCDD000000     township  PPCCDDTTT000
//   village    PPCCDDTTTVVV     grid      village + GG (01..99, 14 digits)
//   micro grid base grid + MM (01..99, 16 digits, parent = the base grid)
//
// Township digits: streets 001–099, towns 101–199, townships 201–399, the
// kind set to match. Classes general / large / extra-large are drawn about
// 70 / 25 / 5 %. Village digits: communities 001–199 (streets, town seats,
// a few in townships), village committees 201–399. A village's base grids
// come first (01..), then its dedicated grids (about 2 % of all grids); about
// 3 % of all grids are micro grids under randomly chosen base grids. Base and
// dedicated grids are staffed 1+1+2+N (N volunteers, 0–8).
//
// With `units`, every region gets its organisation:
//   - a government per province, city, county and township (a street
//     office for a street), a village committee per village;
//   - per county, one department of each of the 15 department types (the
//     dataset's dictionary, Luhe's 15 district departments) and a county
//     social-governance centre (staff 15–20); per city a 12345 centre;
//   - per township: the "1+4+X" layout (a command room plus 4 offices, X = 0
//     / 1 / 2 local offices for general / large / extra-large classes, within
//     the caps 6 / 7 / 8), a service centre, an enforcement team for an
//     extra-large township (镇队合一) or else a joint-enforcement centre, and
//     three dispatched units (market-supervision station, urban-management
//     squadron, police station) under the county's departments;
//   - police grids of 6–14 grids each (about 1 per 10 base and dedicated
//     grids), within one township, staffed by its police station.
// Unit codes are ASCII: "gov-<region>", "dept-<county>-<type>",
// "disp-<township>-<type>", "office-<township>-<n>", "cmd-<township>",
// "svc-<township>", "enf-<township>" / "jec-<township>", "sgc-<county>",
// "hotline-<city>", "vc-<village>"; police grids "PG<township 9 digits><4>".
//
// The catalogue (with `units` and `catalogue`), one per dataset, drawn from
// its own stream (seeded by `seed` alone), so the territory and units are
// the same with or without it:
//   - 4 typed attributes: site (STRING: road, river, farmland,
//     construction_site, residential, park, other), phase (STRING: dumping,
//     transport, production), area_m2 (NUMBER), licensed (BOOL);
//   - `items` items over the six lists in Ningbo's proportions, codes
//     "<list><power kind>-<6-digit number>" (e.g. "ZF02-000017"; lists QL
//     power, SD territorial, ZF enforcement, FW government service, CS
//     village duty, XZ assistance). Power and enforcement items belong to a
//     county department type (enforcement ones to an enforcing type) and
//     are 55 % basic, 25 % cooperating (their department leads), 20 %
//     reclaimed (half of the reclaimed power items statutory department
//     matters); territorial items name the supervising department type;
//     village duties none; assistance items are cooperating. About 30 % carry
//     stage limits; effective dates spread over 2024;
//   - `matters` matters: the construction-waste event 13001 first, then
//     components "MMmmm" (majors 01–06), events (majors 11–17, so the two
//     share one code space) and hotline classes "H0001"…; 30 % with limits,
//     half the emergency events (major 14) major;
//   - dispatch rules: every matter has one general rule (no predicates,
//     priority 0) led by the township command room (on a basic territorial
//     item), a county department (on one of its power or enforcement items,
//     or reclaimed service items) or a dispatched unit (on one of its live
//     enforcement items), with 0–2 dispatched-unit co-handlers and the
//     command room (or, for a command-room lead or a major matter, the
//     county social-governance centre) supervising.
//     `specific_rule_percent` of the other matters add rules that are
//     strictly more specific and, at equal precedence, exclude each other:
//     one to three rules on disjoint township classes, urban-rural classes,
//     request kinds, urgency ranges or site values; sometimes one rule
//     refining the first with a second predicate; sometimes rules for one to
//     three counties (region_code) led by that county's department as a
//     named unit; sometimes a priority-10 rule for urgency 5 and above led
//     by the emergency-management department. Every rule names an item whose
//     department type is the lead's (village duties for the village
//     committee; the extra-large-township rule names the department of an
//     item delegated to every extra-large township in its own name, and
//     routing hands the case to the township enforcement team while that
//     delegation is in force),
//     never a basic township item for a county lead, so that
//     AnalyzeCatalogue finds no two leads;
//   - delegations of single basic penalty or inspection items to townships,
//     about `delegated_items_per_township` (item, township) pairs per
//     township over all windows: about 15 % of the delegable items go to
//     every extra-large township in its own name (and to large ones,
//     entrusted, or general ones, joint, at random), the rest to whole
//     counties (joint) or to runs of at most 40 named townships
//     (entrusted). With several provinces, each class scope is one order
//     per province (within_region_code = the province; the draws per
//     province). Each item uses one scope kind and distinct classes,
//     counties or townships, so no item reaches a township twice at once.
//     Windows start in 2025–2026; 10 % end after one or two years; 3 % are
//     reclaimed, half of those entrusted again from the reclaim date;
//   - `scenarios` scenarios of 13001, one per (site, phase) pair, dumping
//     first (14 = dumping and transport at each of the 7 sites).
// Province() gives 10,000 items (1,578 / 967 / 3,970 / 2,290 / 534 / 661),
// 500 matters, ~970 rules, 14 scenarios and ~39 k delegations reaching
// ~590 k (delegation, township) pairs; Small() 400 items, 40 matters, ~90
// rules and ~150 delegations reaching ~600 pairs.
//
// Determinism: the same options give byte-identical SerializeAsString() on
// any machine and compiler (with the same protobuf release, which fixes the
// wire encoding): the generator uses its own splitmix64 generator
// and integer arithmetic only, and emits in a fixed order (pre-order of the
// region tree, units next to their region). Each province draws from its own
// stream seeded by (seed, province code), so province k of a multi-province
// dataset equals the regions, units and police grids of a one-province
// dataset with province_code = options.province_code + k.
//
// Names are short ("市3201", "街道001", "村201", "网格07") to keep memory
// modest: Province() takes ~0.2 GB as protobuf messages (50 MB serialized,
// 5.7 MB of it the catalogue) and ~0.35 s to generate; TenProvinces() ~2.8
// GB at its peak in `jiceng generate` (481 MB serialized) and ~4.5 s CPU.
//
// Example:
//   ProvinceOptions options = ProvinceOptions::Small();
//   options.seed = 7;
//   v1::Dataset dataset = GenerateProvince(options);
//   ProblemList problems = ValidateDataset(dataset);  // no errors, no warnings
//   JC_ASSIGN_OR_RETURN(Hierarchy h, Hierarchy::Build(dataset));

#ifndef JICENG_SRC_GEN_PROVINCE_GENERATOR_H_
#define JICENG_SRC_GEN_PROVINCE_GENERATOR_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "jiceng/v1/calendar.pb.h"
#include "jiceng/v1/dataset.pb.h"

namespace jiceng {

// ProvinceOptions
//
// The shape of a generated dataset. Counts are per province; each level's
// count is spread over the level above (every parent gets at least one
// child), with random weights, so sizes vary realistically.
struct ProvinceOptions {
  // The generator's seed. Different seeds give different spreads, classes
  // and kinds; the counts stay those below.
  uint64_t seed = 20261123;
  // The first province's 2-digit code (real codes are 11..82).
  // REQUIRES: 11 <= province_code and province_code + provinces - 1 <= 99.
  int province_code = 32;
  // The number of province roots: codes province_code, province_code + 1, …
  // REQUIRES: provinces >= 1 and provinces * (1 + cities + counties +
  // townships + villages + grids) <= kMaxRegions (hierarchy.h).
  int provinces = 1;
  // REQUIRES: 1 <= cities <= 99.
  int cities = 13;
  // REQUIRES: cities <= counties <= 99 * cities.
  int counties = 150;
  // REQUIRES: counties <= townships <= 397 * counties (99 streets, 99 towns
  // and 199 townships per county).
  int townships = 2000;
  // REQUIRES: townships <= villages <= 398 * townships (199 communities and
  // 199 village committees per township).
  int villages = 30000;
  // All grids: base, dedicated and micro grids together.
  // REQUIRES: villages <= grids <= 99 * villages.
  int grids = 500000;
  // Whether to generate department types, units and police grids.
  bool units = true;

  // The responsibility catalogue (see "The catalogue" in the file comment).
  // Its counts are per dataset, not per province. Generated only with
  // `units`: its items and roles name department types and units.
  bool catalogue = true;
  // Items on the six lists, in Ningbo's proportions 124 : 76 : 312 : 180 :
  // 42 : 52 (power, territorial, enforcement, government service,
  // village duty, assistance).
  // REQUIRES: 60 <= items <= 1,000,000.
  int items = 10000;
  // Coded matters: the construction-waste event 13001, then about 40 %
  // components, 45 % events and 15 % hotline classes.
  // REQUIRES: 1 <= matters <= 5,000.
  int matters = 500;
  // The percentage of matters (other than the scenario matter) that get
  // rules more specific than their general rule.
  // REQUIRES: 0 <= specific_rule_percent <= 100.
  int specific_rule_percent = 40;
  // The average number of (item, township) delegations per township,
  // counted over every validity window. The delegable items may be too
  // few to reach it (each item reaches a township at most once at a time).
  // REQUIRES: 0 <= delegated_items_per_township <= 2,000.
  int delegated_items_per_township = 300;
  // Scenarios (多跨协同) of the construction-waste matter, one per
  // (site, phase) pair: 7 sites x 3 phases at most.
  // REQUIRES: 0 <= scenarios <= 21.
  int scenarios = 14;

  // Presets.
  //
  // A large province (the defaults above): 13 cities, 150 counties, 2,000
  // townships, 30,000 villages, 500,000 grids: 532 k regions, ~55 k units,
  // ~49 k police grids.
  static ProvinceOptions Province();
  // A small dataset for tests: 1 city, 2 counties, 10 townships, 100
  // villages, 1,500 grids; a catalogue of 400 items, 40 matters, 14
  // scenarios and 60 delegated items per township.
  static ProvinceOptions Small();
  // Ten provinces (codes 32..41) of Province() size in ONE dataset with ten
  // province roots: 130 cities, 1,500 counties, 20,000 townships, 300,000
  // villages, 5 M grids (5.3 M regions), ~550 k units, ~490 k police grids,
  // and ONE catalogue of the defaults above (10,000 items, 500 matters with
  // their dispatch rules, 14 scenarios), ~300 delegated items per township:
  // ~6 M (delegation, township) pairs. The catalogue is shared because what
  // it codes is national (the power-kind dictionary, GB/T 47678.5 matters,
  // the township duty-list template, the department types); what differs
  // by province is who delegates what to whom: each province issues its own
  // class-scoped delegations (scope.within_region_code = the province), and
  // county and named-township delegations stay with their counties. The
  // territory of province k equals Province() with province_code 32 + k.
  static ProvinceOptions TenProvinces();
};

// The named presets: "small" (Small()), "province" (Province()) and
// "ten-provinces" (TenProvinces()). False for any other name.
bool ProvincePreset(absl::string_view name, ProvinceOptions* options);

// Whether `options` satisfies the REQUIRES of every field: OK, or
// INVALID_ARGUMENT naming the first field out of range and its bounds.
absl::Status ValidateProvinceOptions(const ProvinceOptions& options);

// The generated dataset: meta, regions, and with `options.units` the
// department types, units and police grids (and with `options.catalogue`
// the catalogue); always the calendar of GeneratedWorkCalendar(). The
// result passes ValidateDataset() with no errors and no warnings, and
// Engine::Compile(); every generated case (any matter, grid, urgency,
// request kind and attributes) matches exactly one winning rule, whose
// roles resolve at any grid.
//
// Never fails: options out of range are clamped into the ranges their
// REQUIRES give, counts top-down, then province_code and provinces (call
// ValidateProvinceOptions() first to be told instead). Deterministic (see
// the file comment). Time and memory are linear in the number of regions.
// Pure; thread-safe.
v1::Dataset GenerateProvince(const ProvinceOptions& options);

// The calendar GenerateProvince() attaches: 2025-01-01 to 2027-12-31 in
// Asia/Shanghai (UTC+8, offset 480), Saturday and Sunday rest days, windows
// 08:30–12:00 and 14:00–17:30, and the official 2026 public holidays and
// make-up working days (State Council notice of 2025-11-04, DOMAIN.md §4).
// 2025 and 2027 list no holidays: they are plain weekends-only years, so
// working-time deadlines there ignore the (real) holidays of those years.
v1::WorkCalendar GeneratedWorkCalendar();

}  // namespace jiceng

#endif  // JICENG_SRC_GEN_PROVINCE_GENERATOR_H_
