#!/usr/bin/env bash
# VS Code end-to-end test: compiles and packages editors/vscode into a .vsix
# (npm run package), then runs it in code-server driven by Chromium (e2e.js).
#   tests/editors/vscode/run.sh [BIN]
# Screenshots: test-output/vscode/*.png. Needs editors/setup-test-env.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BIN="$(realpath "${1:-$ROOT/target/release/news-ls}")"
t0=$SECONDS
echo "--- packaging editors/vscode"
(cd "$ROOT/editors/vscode" && npm run --silent package </dev/null 2>&1 | grep -v -e 'Unknown .* config "nodedir"' -e '^$' | tail -3)
[ -f "$ROOT/editors/vscode/news-ls.vsix" ] || { echo "FAIL: no .vsix produced"; exit 1; }
echo "--- packaged in $((SECONDS - t0)) s; code-server $(node -p "require('$ROOT/tests/editors/vscode/node_modules/code-server/package.json').version"), $(/usr/bin/chromium --version 2>/dev/null | head -1)"
exec node "$ROOT/tests/editors/vscode/e2e.js" --bin "$BIN" --vsix "$ROOT/editors/vscode/news-ls.vsix" --out "$ROOT/test-output/vscode"
