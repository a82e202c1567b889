#!/usr/bin/env bash
# Fuzz smoke test for CI: builds every fuzz target (cargo-fuzz, libFuzzer) and
# runs each for a few seconds on its committed seeds. Exits non-zero when a
# target crashes, panics, times out or leaks past the memory limit, and also
# when it cannot run at all (cargo-fuzz not installable, targets not
# building): a CI check that silently passes would prove nothing. Run by
# tests/run.sh (the README's test command, which CI runs).
#
# The toolchain is stable: cargo-fuzz needs nightly flags, which
# RUSTC_BOOTSTRAP=1 unlocks. For speed the smoke build is unoptimised and
# without a sanitizer (a debug build keeps overflow checks and debug
# assertions); the long runs in RELIABILITY.md use `-O` with AddressSanitizer.
#
# Environment:
#   FUZZ_SMOKE_SECONDS  seconds per target (default 8; tests/run.sh uses 5)
#   FUZZ_SMOKE_OPTIONAL set to 1 to skip (exit 0, with a message) instead of
#                       failing when cargo-fuzz cannot be installed or the
#                       toolchain refuses its flags (e.g. offline machines)
#   FUZZ_TARGET_DIR     build folder (default: a cache under ~/.cache, so that
#                       later runs on the same machine reuse the build)
set -uo pipefail
cd "$(dirname "$0")"

SECS="${FUZZ_SMOKE_SECONDS:-8}"
OPTIONAL="${FUZZ_SMOKE_OPTIONAL:-0}"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/news-ls/fuzz-target}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke: installing cargo-fuzz from crates.io"
  install_log=$(mktemp)
  if ! cargo install cargo-fuzz --locked >"$install_log" 2>&1 && ! cargo install cargo-fuzz >>"$install_log" 2>&1; then
    tail -10 "$install_log"
    rm -f "$install_log"
    if [ "$OPTIONAL" = 1 ]; then
      echo "fuzz smoke: SKIPPED (FUZZ_SMOKE_OPTIONAL=1): cargo-fuzz could not be installed"
      exit 0
    fi
    echo "fuzz smoke: FAILED: cargo-fuzz could not be installed (cargo install cargo-fuzz);"
    echo "  install it, or set FUZZ_SMOKE_OPTIONAL=1 to skip the smoke on this machine"
    exit 1
  fi
fi

start=$(date +%s)
targets=$(cargo fuzz list 2>/dev/null)
if [ -z "$targets" ]; then
  echo "fuzz smoke: FAILED: cargo fuzz list found no target"
  exit 1
fi

echo "fuzz smoke: building $(echo "$targets" | wc -w) targets (dev profile, no sanitizer) in $CARGO_TARGET_DIR"
build_log=$(mktemp)
if ! cargo fuzz build --dev --sanitizer none --codegen-units 16 >"$build_log" 2>&1; then
  if [ "$OPTIONAL" = 1 ] && grep -q -E "unstable|nightly|-Z" "$build_log"; then
    echo "fuzz smoke: SKIPPED (FUZZ_SMOKE_OPTIONAL=1): this toolchain refuses the nightly flags cargo-fuzz needs"
    tail -5 "$build_log"
    exit 0
  fi
  echo "fuzz smoke: FAILED: the fuzz targets do not build"
  tail -30 "$build_log"
  exit 1
fi
echo "fuzz smoke: built in $(($(date +%s) - start)) s"

triple=$(rustc -vV | sed -n 's/^host: //p')
bin_dir="$CARGO_TARGET_DIR/$triple/debug"
rm -f "$build_log"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
passed=0
failed=0
for t in $targets; do
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  if "$bin_dir/$t" "$work/$t/corpus" "${seeds[@]}" \
      -max_total_time="$SECS" -timeout=20 -rss_limit_mb=2048 \
      -artifact_prefix="$work/$t/artifacts/" -print_final_stats=1 \
      >"$work/$t/log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log")
    echo "fuzz smoke: $t: ok (${runs:-?} runs in ${SECS} s)"
    passed=$((passed + 1))
  else
    echo "fuzz smoke: $t: FAILED"
    grep -E "panicked|ERROR|SUMMARY|Test unit written" "$work/$t/log" | head -20
    for a in "$work/$t/artifacts"/*; do
      [ -f "$a" ] && echo "  crashing input (base64): $(head -c 4096 "$a" | base64 -w0)"
    done
    failed=$((failed + 1))
    status=1
  fi
done
echo "fuzz smoke: $passed passed, $failed failed in $(($(date +%s) - start)) s"
exit $status
