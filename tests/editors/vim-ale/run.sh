#!/usr/bin/env bash
# Headless Vim 9 + ALE (Debian vim, vim-ale) test of editors/vim/news_ls.vim.
#   tests/editors/vim-ale/run.sh [BIN]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BIN="$(realpath "${1:-$ROOT/target/release/news-ls}")"
[ -x "$BIN" ] || { echo "FAIL: news-ls binary not found: $BIN"; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/corpus" "$tmp/home"
cp "$ROOT"/seeds/*.txt "$tmp/corpus/"
printf '# news-ls corpus root (editor test)\n' > "$tmp/corpus/news-ls.toml"
# The corpus sits inside a git repository: news-ls.toml, not .git, must decide the root.
git init -q "$tmp" 2>/dev/null || true
: > "$tmp/out"
echo "--- $(vim --version | head -1 | cut -d'(' -f1), vim-ale $(dpkg-query -W -f='${Version}' vim-ale 2>/dev/null || echo '?')"
(cd "$tmp/corpus" && HOME="$tmp/home" NEWS_LS_BIN="$BIN" NEWS_LS_REPO="$ROOT" NEWS_LS_CORPUS="$tmp/corpus" \
  NEWS_LS_OUT="$tmp/out" timeout 120 vim -N -u NONE -i NONE -n -es -S "$ROOT/tests/editors/vim-ale/test.vim" </dev/null >/dev/null 2>&1)
rc=$?
cat "$tmp/out"
[ -s "$tmp/out" ] || { echo "FAIL: vim wrote no results (exit $rc)"; exit 1; }
exit $rc
