#!/usr/bin/env bash
# The project's test command (see README.md): unit, property and stdio
# integration tests, a short fuzz smoke (every cargo-fuzz target a few
# seconds, fails on a crash; see RELIABILITY.md), then the editor-client tests
# when their tools are set up.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release
cargo test --release --all-targets

# FUZZ_SMOKE_SECONDS (default 5 here) sets the seconds per target;
# FUZZ_SMOKE_OPTIONAL=1 skips instead of failing where cargo-fuzz cannot be
# installed.
FUZZ_SMOKE_SECONDS="${FUZZ_SMOKE_SECONDS:-5}" bash fuzz/smoke.sh

if [ -x tests/editors/run-all.sh ]; then
  bash tests/editors/run-all.sh target/release/news-ls
fi
