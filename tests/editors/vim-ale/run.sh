#!/usr/bin/env bash
# Headless Vim 9 + ALE (Debian vim, vim-ale) test of editors/vim/news_ls.vim.
#   tests/editors/vim-ale/run.sh [BIN]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BIN="$(realpath "${1:-$ROOT/target/release/news-ls}")"
[ -x "$BIN" ] || { echo "FAIL: news-ls binary not found: $BIN"; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
source "$ROOT/tests/editors/lib.sh"
prepare_corpus "$tmp" "$BIN" || exit 1
mkdir -p "$tmp/home"
: > "$tmp/out"
echo "--- $(vim --version | head -1 | cut -d'(' -f1), vim-ale $(dpkg-query -W -f='${Version}' vim-ale 2>/dev/null || echo '?')"
(cd "$tmp/corpus" && HOME="$tmp/home" NEWS_LS_BIN="$BIN" NEWS_LS_REPO="$ROOT" NEWS_LS_CORPUS="$tmp/corpus" NEWS_LS_EXPECT="$tmp/expect.json" \
  NEWS_LS_OUT="$tmp/out" timeout 120 vim -N -u NONE -i NONE -n -es -S "$ROOT/tests/editors/vim-ale/test.vim" </dev/null >/dev/null 2>&1)
rc=$?
cat "$tmp/out"
[ -s "$tmp/out" ] || { echo "FAIL: vim wrote no results (exit $rc)"; exit 1; }
exit $rc
