#!/usr/bin/env bash
# Batch Emacs test of editors/emacs/news-ls.el with Eglot (Debian emacs-nox 28 +
# elpa-eglot 1.9).   tests/editors/emacs/run.sh [BIN]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BIN="$(realpath "${1:-$ROOT/target/release/news-ls}")"
EMACS="${EMACS:-emacs}"
[ -x "$BIN" ] || { echo "FAIL: news-ls binary not found: $BIN"; exit 1; }
command -v "$EMACS" >/dev/null || { echo "FAIL: $EMACS not found (run editors/setup-test-env.sh)"; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
source "$ROOT/tests/editors/lib.sh"
prepare_corpus "$tmp" "$BIN" || exit 1
mkdir -p "$tmp/home"
# Eglot finds the project through project.el; news-ls.el makes news-ls.toml
# (not the enclosing git repository) the root.
echo "--- $("$EMACS" --version | head -1), elpa-eglot $(dpkg-query -W -f='${Version}' elpa-eglot 2>/dev/null || echo '?')"
cd "$tmp/corpus" && HOME="$tmp/home" NEWS_LS_BIN="$BIN" NEWS_LS_REPO="$ROOT" NEWS_LS_CORPUS="$tmp/corpus" NEWS_LS_EXPECT="$tmp/expect.json" \
  timeout 120 "$EMACS" --batch -l "$ROOT/tests/editors/emacs/test-eglot.el" 2>"$tmp/stderr"
rc=$?
if [ $rc -ne 0 ]; then
  echo "--- emacs stderr (last 30 lines):"; tail -30 "$tmp/stderr"
fi
exit $rc
