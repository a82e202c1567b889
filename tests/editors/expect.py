#!/usr/bin/env python3
"""What the editors must show for the test article, taken from the server's own
analysis (`news-ls analyze CORPUS --format json`, the machine contract).

The editor tests check that each client carries the server's answers to the
user faithfully (the right root, settings, positions, files), not how good the
analysis is: that is scored elsewhere. So the expected canonical name, the files
with mentions of the entity, the title and the diagnostic codes come from the
analysis of the same corpus. Preconditions from tests/editors/fixture.json are
enforced, so that no check can pass on an empty analysis: the anchor word must be
a mention, the entity must be mentioned in other files, there must be a title,
and the article must have the fixture's `expected_codes`.

    python3 tests/editors/expect.py BIN CORPUS > expect.json
Exits 1 (with the reason on stderr) when a precondition fails.
"""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def fail(msg):
    print(f"expect.py: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 3:
        fail("usage: expect.py BIN CORPUS")
    binary, corpus = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
    fixture = json.loads((ROOT / "tests/editors/fixture.json").read_text(encoding="utf-8"))
    proc = subprocess.run([binary, "analyze", str(corpus), "--format", "json"], capture_output=True, timeout=120)
    if not proc.stdout:
        fail(f"`{binary} analyze` printed nothing (exit {proc.returncode}): {proc.stderr.decode(errors='replace')[:300]}")
    analysis = json.loads(proc.stdout)
    docs = {pathlib.Path(d["path"]).name: d for d in analysis["documents"]}
    doc = docs.get(fixture["article"])
    if doc is None:
        fail(f"{fixture['article']} not in the analysis")
    text = (corpus / fixture["article"]).read_bytes()

    anchor = fixture["entity"]["anchor"].encode()
    word = fixture["entity"]["word"].encode()
    at = text.find(anchor)
    if at < 0:
        fail(f"anchor {fixture['entity']['anchor']!r} not in the article")
    start = at + anchor.find(word)
    mention = next((m for m in doc["mentions"] if m["start"] <= start < m["end"]), None)
    if mention is None or not mention.get("entity"):
        fail(f"precondition: the server's analysis has no entity mention at {fixture['entity']['word']!r} "
             f"(byte {start}); nothing to hover or find references of")
    entity = next((e for e in analysis["entities"] if e["id"] == mention["entity"]), None)
    if entity is None:
        fail(f"entity {mention['entity']} missing from the analysis")
    files = sorted(name for name, d in docs.items()
                   if any(m.get("entity") == entity["id"] for m in d["mentions"]))
    if len(files) < 2:
        fail(f"precondition: {entity['name']!r} is mentioned in {files} only; references cannot cross files")

    title = (doc.get("title") or {}).get("text")
    if not title:
        fail("precondition: the server's analysis finds no title")
    codes = sorted({d["code"] for d in doc["diagnostics"]})
    missing = [c for c in fixture["expected_codes"] if c not in codes]
    if missing:
        fail(f"precondition: the analysis reports none of {missing} for the article (codes: {codes})")

    line_start = text.rfind(b"\n", 0, start) + 1
    line_prefix = text[line_start:start].decode()
    expect = {
        "article": fixture["article"],
        "title": title.strip(),
        "codes": codes,
        "visible_codes": sorted({d["code"] for d in doc["diagnostics"] if d["severity"] != "hint"}),
        "entity": {
            "word": fixture["entity"]["word"],
            "anchor": fixture["entity"]["anchor"],
            "canonical": entity["name"],
            "kind": entity.get("kind"),
            "line": text.count(b"\n", 0, start),
            "utf16_character": len(line_prefix.encode("utf-16-le")) // 2,
            "files": files,
        },
        "inlay_hint_prefix": fixture["inlay_hint_prefix"],
        "known_codes": fixture["known_codes"],
    }
    json.dump(expect, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
