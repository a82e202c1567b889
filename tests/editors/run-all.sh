#!/usr/bin/env bash
# Runs every editor-client test against one news-ls binary and prints a final
# line "N passed, M failed[, K skipped]" (one count per editor test).
#
#   tests/editors/run-all.sh [BIN]        # BIN defaults to target/release/news-ls
#
# Install the tools first with editors/setup-test-env.sh. A test whose tools are
# missing fails when CI is set (CI must prove every client), and is skipped
# otherwise. NEWS_LS_EDITOR_TESTS="nvim-0.11 emacs" runs only some tests.
# Logs and screenshots go to test-output/ (test-output/vscode/*.png).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${1:-$ROOT/target/release/news-ls}"
[ "${BIN#/}" = "$BIN" ] && BIN="$PWD/$BIN"
ENV_DIR="${NEWS_LS_EDITORS_ENV:-$ROOT/editors/.test-env}"
OUT="$ROOT/test-output/editors"
TESTS="${NEWS_LS_EDITOR_TESTS:-nvim-0.11 nvim-0.7 emacs vim-ale helix vscode}"
mkdir -p "$OUT"

passed=0 failed=0 skipped=0
summary=()

if [ ! -x "$BIN" ]; then
  echo "news-ls binary not found or not executable: $BIN (cargo build --release)"
  echo "0 passed, 1 failed"
  exit 1
fi

# have TOOL... : all present, else skip (or fail under CI)
missing_tools() {
  local t
  for t in "$@"; do
    if [ ! -x "$t" ] && ! command -v "$t" >/dev/null 2>&1; then
      echo "$t"
      return
    fi
  done
}

run_test() { # name, tools..., --, command...
  local name="$1"; shift
  local tools=()
  while [ "$1" != "--" ]; do tools+=("$1"); shift; done
  shift
  case " $TESTS " in *" $name "*) ;; *) return ;; esac
  local miss
  miss="$(missing_tools "${tools[@]}")"
  if [ -n "$miss" ]; then
    if [ -n "${CI:-}" ]; then
      echo "=== $name: FAIL ($miss not installed: run editors/setup-test-env.sh)"
      failed=$((failed + 1)); summary+=("FAIL  $name (missing $miss)")
    else
      echo "=== $name: SKIP ($miss not installed: run editors/setup-test-env.sh)"
      skipped=$((skipped + 1)); summary+=("SKIP  $name (missing $miss)")
    fi
    return
  fi
  echo "=== $name"
  local t0=$SECONDS log="$OUT/$name.log"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local dt=$((SECONDS - t0))
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1)); summary+=("PASS  $name (${dt} s)")
  else
    failed=$((failed + 1)); summary+=("FAIL  $name (${dt} s, exit $rc, log test-output/editors/$name.log)")
  fi
}

T="$ROOT/tests/editors"
run_test nvim-0.11 "$ENV_DIR/nvim011/bin/nvim" -- \
  env NVIM011="$ENV_DIR/nvim011/bin/nvim" bash "$T/nvim/run.sh" "$BIN" 0.11
run_test nvim-0.7 /usr/bin/nvim -- \
  env NVIM07=/usr/bin/nvim bash "$T/nvim/run.sh" "$BIN" 0.7
run_test emacs emacs -- bash "$T/emacs/run.sh" "$BIN"
run_test vim-ale vim /usr/share/vim-ale -- bash "$T/vim-ale/run.sh" "$BIN"
run_test helix python3 -- python3 "$T/helix/check_languages.py" --bin "$BIN"
run_test vscode "$T/vscode/node_modules/.bin/code-server" /usr/bin/chromium "$ROOT/editors/vscode/node_modules/.bin/vsce" -- \
  bash "$T/vscode/run.sh" "$BIN"

echo
echo "=== editor tests against $BIN"
for line in "${summary[@]}"; do echo "  $line"; done
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
