#!/usr/bin/env bash
# The project's test command (see README.md): unit, property and stdio
# integration tests, then the editor-client tests when their tools are set up.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release
cargo test --release --all-targets

if [ -x tests/editors/run-all.sh ]; then
  bash tests/editors/run-all.sh target/release/news-ls
fi
