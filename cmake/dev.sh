#!/usr/bin/env bash
# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
#
# The README's two commands. On a fresh Debian 12 machine, as root:
#
#   bash cmake/dev.sh demo   install what is missing, build, run the demo
#   bash cmake/dev.sh test   install what is missing, build, run every test
#
# Both are idempotent: packages are installed only when missing, and the
# build directory (build/, or $JICENG_BUILD_DIR) is reused.

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR=${JICENG_BUILD_DIR:-build}
BUILD_TYPE=${JICENG_BUILD_TYPE:-RelWithDebInfo}

# Debian packages the build and the tests need.
PACKAGES=(
  g++ cmake ninja-build pkg-config binutils
  libprotobuf-dev protobuf-compiler libabsl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  abigail-tools
  chromium
  # The SQL baselines of the benchmark kit (bench/sql_baseline; the
  # PostgreSQL server itself is installed, or skipped, by bench/run).
  libsqlite3-dev libpq-dev
  python3-protobuf python3-pytest python3-venv python3-setuptools python3-wheel python3-mypy
  openjdk-17-jdk-headless libjna-java libjna-jni libprotobuf-java junit5
)

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  echo "== installing: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
      sudo="sudo"
    else
      echo "jiceng: missing packages (${missing[*]}); run as root" >&2
      exit 1
    fi
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
}

build() {
  echo "== configuring ($BUILD_TYPE) in $BUILD_DIR"
  local launcher=()
  # ccache, when the machine has it, makes rebuilds of other checkouts cheap.
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
    "${launcher[@]}" >/dev/null
  echo "== building"
  cmake --build "$BUILD_DIR" -j "$(nproc)"
}

# Stage 1: every test under ASan + UBSan (clang), plus each libFuzzer
# target for JICENG_FUZZ_SECONDS (default 20) from its committed seeds.
# Stage 2: the concurrency, batch and C ABI thread tests under TSan.
# Presets: CMakePresets.json.
sanitizer_stages() {
  local launcher=""
  command -v ccache >/dev/null && launcher=ccache
  local seconds=${JICENG_FUZZ_SECONDS:-20}
  echo "== ASan + UBSan: every test, and each fuzz target for ${seconds} s"
  JICENG_LAUNCHER=$launcher cmake --preset fuzz \
    -DJICENG_FUZZ_SECONDS="$seconds" >/dev/null
  cmake --build --preset fuzz -j "$(nproc)"
  ctest --preset fuzz -j "$(nproc)"
  echo "== TSan: one engine shared by many threads (the concurrency, batch and C ABI thread tests)"
  JICENG_LAUNCHER=$launcher cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$(nproc)"
  ctest --preset tsan
}

case "${1:-}" in
  demo)
    install_missing
    build
    echo "== jiceng info (embedded sample)"
    "$BUILD_DIR/bin/jiceng" info
    echo
    echo "== jiceng demo: the hierarchy"
    "$BUILD_DIR/bin/jiceng" demo
    echo
    echo "== jiceng analyze: the responsibility catalogue"
    "$BUILD_DIR/bin/jiceng" analyze
    echo
    echo "== jiceng route: the sample case stream, decided and explained"
    "$BUILD_DIR/bin/jiceng" route
    echo
    echo "== jiceng lifecycle: the sample cases through the closed loop"
    "$BUILD_DIR/bin/jiceng" lifecycle --out "$BUILD_DIR/sample_records.bin"
    echo
    echo "== jiceng supervise: what is due on 2026-06-01 09:00"
    "$BUILD_DIR/bin/jiceng" supervise "$BUILD_DIR/sample_records.bin" \
      --at 2026-06-01T09:00 | tail -n 12
    echo
    echo "== jiceng assess: the assessment of the sample records (考核评价)"
    "$BUILD_DIR/bin/jiceng" assess "$BUILD_DIR/sample_records.bin" \
      --html "$BUILD_DIR/assessment.html"
    ;;
  test)
    install_missing
    # The robustness stages (issue #8) run first, so that the main suite's
    # ctest summary closes the output. JICENG_CI_STAGES=main skips them.
    if [ "${JICENG_CI_STAGES:-all}" != "main" ]; then
      sanitizer_stages
    fi
    build
    echo "== running every test"
    # ctest's own summary ("100% tests passed, 0 tests failed out of N")
    # closes the output.
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
    ;;
  *)
    echo "usage: bash cmake/dev.sh demo|test" >&2
    exit 2
    ;;
esac
