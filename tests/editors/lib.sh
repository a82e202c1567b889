# Shared by the editor test runners (sourced): prepare_corpus DIR BIN
# Copies the seed corpus to DIR/corpus (its root marked by news-ls.toml, inside a
# git repository so that the marker, not .git, must decide the root) and writes
# DIR/expect.json, what the editors must show (tests/editors/expect.py).
prepare_corpus() {
  local dir="$1" bin="$2" root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  mkdir -p "$dir/corpus"
  cp "$root"/seeds/*.txt "$dir/corpus/"
  printf '# news-ls corpus root (editor test)\n' > "$dir/corpus/news-ls.toml"
  git init -q "$dir" 2>/dev/null || true
  if ! python3 "$root/tests/editors/expect.py" "$bin" "$dir/corpus" > "$dir/expect.json"; then
    echo "FAIL: cannot run the editor checks (see the precondition above)"
    return 1
  fi
}
