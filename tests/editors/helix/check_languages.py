#!/usr/bin/env python3
"""Checks editors/helix/languages.toml, since Helix itself cannot be installed here.

1. It parses as TOML and follows Helix's schema (the fields and types of
   `LanguageConfiguration` and `LanguageServerConfiguration` in helix-core's
   syntax config: unknown fields in a `[[language]]` are an error in Helix).
2. Its `config` holds only settings news-ls knows, with valid values.
3. A session run the way Helix runs one: the configured command and args, the
   root found from `roots`, `config` as initializationOptions, workspace/configuration
   answered by walking `config` along the dotted section (Helix's rule), didOpen with
   the configured `language-id`, diagnostics pulled (`textDocument/diagnostic`, as
   Helix 25.07+ does) when the server offers them, else pushed. The codes must be
   those of the server's own analysis of the corpus (tests/editors/expect.py), and
   a `diagnostics = { boilerplate = "off" }` added to `config` must take effect.

    python3 tests/editors/helix/check_languages.py [--bin target/release/news-ls]

Prints PASS/FAIL lines and exits 1 on any failure.
"""

import argparse
import json
import os
import pathlib
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[3]
FIXTURE = json.loads((ROOT / "tests/editors/fixture.json").read_text(encoding="utf-8"))

# helix-core/src/syntax/config.rs (Helix 25.x): LanguageConfiguration is
# `deny_unknown_fields`; name, scope and file-types are required.
LANGUAGE_KEYS = {
    "name": str, "language-id": str, "scope": str, "file-types": list, "shebangs": list,
    "roots": list, "comment-token": (str, list), "comment-tokens": (str, list),
    "block-comment-tokens": (dict, list), "text-width": int, "soft-wrap": dict,
    "auto-format": bool, "formatter": dict, "path-completion": bool, "word-completion": dict,
    "diagnostic-severity": str, "grammar": str, "injection-regex": str, "language-servers": list,
    "indent": dict, "debugger": dict, "auto-pairs": (bool, dict), "rulers": list,
    "workspace-lsp-roots": list, "persistent-diagnostic-sources": list,
}
LANGUAGE_REQUIRED = {"name", "scope", "file-types"}
SOFT_WRAP_KEYS = {"enable", "max-wrap", "max-indent-retain", "wrap-indicator", "wrap-at-text-width"}
SERVER_KEYS = {"command": str, "args": list, "environment": dict, "config": dict, "timeout": int,
               "required-root-patterns": list}
SEVERITIES = {"off", "hint", "information", "warning", "error"}
SETTINGS = {"diagnostics", "inlayHints", "maxFileSize", "repeatThreshold"}

results = []


def check(name):
    def wrap(fn):
        t0 = time.monotonic()
        try:
            detail = fn()
            results.append(True)
            print(f"PASS {name}{': ' + detail if detail else ''} ({(time.monotonic() - t0) * 1000:.0f} ms)")
        except Exception as e:  # noqa: BLE001 - every failure is reported the same way
            results.append(False)
            print(f"FAIL {name}: {e}")
        return fn
    return wrap


class Session:
    """A minimal LSP client over stdio that answers server requests the way Helix does."""

    def __init__(self, argv, config, cwd):
        self.config = config
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.next_id = 1
        self.responses = {}
        self.notifications = queue.Queue()
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        threading.Thread(target=self._reader, daemon=True).start()

    def _send(self, obj):
        obj["jsonrpc"] = "2.0"
        data = json.dumps(obj).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def _reader(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    with self.cond:
                        self.cond.notify_all()
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
            msg = json.loads(out.read(int(headers["content-length"])))
            if "method" in msg and "id" in msg:
                self._answer(msg)
            elif "method" in msg:
                self.notifications.put(msg)
            else:
                with self.cond:
                    self.responses[msg["id"]] = msg
                    self.cond.notify_all()

    def _answer(self, msg):
        method, params = msg["method"], msg.get("params") or {}
        if method == "workspace/configuration":
            result = []
            for item in params.get("items", []):
                value = self.config
                for part in (item.get("section") or "").split("."):
                    if not part:
                        continue
                    value = value.get(part) if isinstance(value, dict) else None
                result.append(value)
            self._send({"id": msg["id"], "result": result})
        else:  # registerCapability, workDoneProgress/create, ...: accepted
            self._send({"id": msg["id"], "result": None})

    def request(self, method, params, timeout=20):
        with self.cond:
            rid = self.next_id
            self.next_id += 1
        self._send({"id": rid, "method": method, "params": params})
        end = time.monotonic() + timeout
        with self.cond:
            while rid not in self.responses:
                left = end - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise TimeoutError(f"{method}: no answer within {timeout} s")
                self.cond.wait(left)
            msg = self.responses.pop(rid)
        if "error" in msg:
            raise RuntimeError(f"{method}: {msg['error']}")
        return msg.get("result")

    def notify(self, method, params):
        self._send({"method": method, "params": params})

    def wait_diagnostics(self, uri, pred, timeout=20):
        end = time.monotonic() + timeout
        last = None
        while time.monotonic() < end:
            try:
                msg = self.notifications.get(timeout=max(0.05, end - time.monotonic()))
            except queue.Empty:
                break
            if msg["method"] == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri:
                last = msg["params"]["diagnostics"]
                if pred(last):
                    return last
        raise TimeoutError(f"no matching diagnostics within {timeout} s (last: {codes(last or [])})")

    def close(self):
        try:
            self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            self.proc.wait(timeout=5)
        except Exception:  # noqa: BLE001
            self.proc.kill()
        return self.proc.returncode


def codes(diags):
    return sorted({str(d.get("code")) for d in diags})


def find_root(path, markers, stop):
    """Helix: the nearest ancestor with a root marker, else the workspace (stop)."""
    for d in [path.parent, *path.parent.parents]:
        if any((d / m).exists() for m in markers):
            return d
        if d == stop:
            break
    return stop


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "target/release/news-ls"))
    ap.add_argument("--toml", default=str(ROOT / "editors/helix/languages.toml"))
    args = ap.parse_args()
    bin_path = pathlib.Path(args.bin).resolve()
    doc = {}

    @check("languages.toml parses as TOML")
    def _():
        nonlocal doc
        with open(args.toml, "rb") as f:
            doc = tomllib.load(f)
        return f"{len(doc.get('language', []))} language(s), servers {sorted(doc.get('language-server', {}))}"

    @check("[[language]] entries follow Helix's schema")
    def _():
        langs = doc.get("language")
        assert isinstance(langs, list) and langs, "no [[language]] entry"
        servers = doc.get("language-server", {})
        for lang in langs:
            unknown = set(lang) - set(LANGUAGE_KEYS)
            assert not unknown, f"unknown field(s) {sorted(unknown)} (Helix rejects the file)"
            missing = LANGUAGE_REQUIRED - set(lang)
            assert not missing, f"missing required field(s) {sorted(missing)}"
            for k, v in lang.items():
                assert isinstance(v, LANGUAGE_KEYS[k]), f"{k} has type {type(v).__name__}"
            for ft in lang["file-types"]:
                assert isinstance(ft, str) or (isinstance(ft, dict) and set(ft) == {"glob"}), f"bad file-type {ft!r}"
            if "soft-wrap" in lang:
                assert set(lang["soft-wrap"]) <= SOFT_WRAP_KEYS, f"soft-wrap keys {sorted(lang['soft-wrap'])}"
            for s in lang.get("language-servers", []):
                name = s if isinstance(s, str) else s.get("name")
                assert name in servers, f"language server {name!r} is not defined in this file"
        return ", ".join(lang["name"] for lang in langs)

    @check("[language-server] entries follow Helix's schema")
    def _():
        servers = doc.get("language-server", {})
        assert "news-ls" in servers, "no [language-server.news-ls]"
        for name, srv in servers.items():
            unknown = set(srv) - set(SERVER_KEYS)
            assert not unknown, f"{name}: unknown field(s) {sorted(unknown)}"
            assert isinstance(srv.get("command"), str), f"{name}: command must be a string"
            for k, v in srv.items():
                assert isinstance(v, SERVER_KEYS[k]), f"{name}.{k} has type {type(v).__name__}"
            assert all(isinstance(a, str) for a in srv.get("args", [])), f"{name}: args must be strings"
        srv = servers["news-ls"]
        assert pathlib.Path(srv["command"]).name == "news-ls", f"command {srv['command']}"
        assert "--stdio" in srv.get("args", []) or not srv.get("args"), f"args {srv.get('args')}"
        return f"command {srv['command']} {' '.join(srv.get('args', []))}"

    @check("the news-ls config holds only valid news-ls settings")
    def _():
        cfg = doc["language-server"]["news-ls"].get("config", {})
        section = cfg.get("news-ls")
        assert isinstance(section, dict), "config must hold a `news-ls` table (the section the server asks for)"
        unknown = set(section) - SETTINGS
        assert not unknown, f"unknown settings {sorted(unknown)}"
        for code, sev in section.get("diagnostics", {}).items():
            assert code in FIXTURE["known_codes"], f"unknown diagnostic code {code}"
            assert sev in SEVERITIES, f"bad severity {sev}"
        if "inlayHints" in section:
            assert section["inlayHints"] in {"all", "unattributed", "off"}, section["inlayHints"]
        return json.dumps(section)

    article_name = FIXTURE["article"]

    @check(f"a .txt article ({article_name}) maps to the news-ls language")
    def _():
        ext = pathlib.Path(article_name).suffix.lstrip(".")
        langs = [lang for lang in doc["language"] if ext in lang["file-types"]]
        assert langs, f"no language has file-type {ext}"
        assert any("news-ls" in lang.get("language-servers", []) for lang in langs), "news-ls not attached"
        return langs[0]["name"]

    def session(config, tmp):
        srv = doc["language-server"]["news-ls"]
        lang = next(lang for lang in doc["language"] if "news-ls" in lang.get("language-servers", []))
        corpus = tmp / "corpus"
        article = corpus / article_name
        root = find_root(article, lang.get("roots", []), tmp)
        assert root == corpus, f"root found from roots={lang.get('roots')} is {root}, expected {corpus}"
        command = str(bin_path) if srv["command"] == "news-ls" else srv["command"]
        s = Session([command, *srv.get("args", [])], config, cwd=str(corpus))
        init = s.request("initialize", {
            "processId": os.getpid(),
            "clientInfo": {"name": "helix", "version": "emulated"},
            "rootPath": str(root), "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "initializationOptions": config,
            "capabilities": {
                "workspace": {"configuration": True, "workspaceFolders": True,
                              "didChangeConfiguration": {"dynamicRegistration": False}},
                "textDocument": {"hover": {"contentFormat": ["markdown"]},
                                 "publishDiagnostics": {"versionSupport": True},
                                 "inlayHint": {"dynamicRegistration": False},
                                 "diagnostic": {"dynamicRegistration": False}},
                "general": {"positionEncodings": ["utf-8", "utf-32", "utf-16"]},
            },
        })
        s.notify("initialized", {})
        uri = article.as_uri()
        s.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": lang.get("language-id", lang["name"]), "version": 0,
            "text": article.read_text(encoding="utf-8")}})
        return s, init, uri

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="news-ls-helix-"))
    try:
        (tmp / "corpus").mkdir()
        for f in (ROOT / FIXTURE["corpus"]).glob("*.txt"):
            shutil.copy(f, tmp / "corpus" / f.name)
        (tmp / "corpus/news-ls.toml").write_text("# news-ls corpus root (editor test)\n")

        seen = {"boilerplate": False}
        expect = {}

        def diagnostics_of(s, init, uri, pred):
            """Helix pulls when the server offers pull diagnostics, else waits for a push."""
            if init["capabilities"].get("diagnosticProvider"):
                got, end = [], time.monotonic() + 20
                while time.monotonic() < end:  # the server may still be indexing the corpus
                    report = s.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
                    got = report.get("items", [])
                    if pred(got):
                        return got, "pull"
                    time.sleep(0.2)
                raise TimeoutError(f"pulled diagnostics never matched (last: {codes(got)})")
            return s.wait_diagnostics(uri, pred), "push"

        @check("a Helix-style session gets diagnostics with our codes")
        def _():
            assert bin_path.is_file() and os.access(bin_path, os.X_OK), f"binary not found: {bin_path}"
            proc = subprocess.run([sys.executable, str(ROOT / "tests/editors/expect.py"), str(bin_path),
                                   str(tmp / "corpus")], capture_output=True, text=True, timeout=180)
            assert proc.returncode == 0, proc.stderr.strip()
            expect.update(json.loads(proc.stdout))
            config = doc["language-server"]["news-ls"].get("config", {})
            s, init, uri = session(config, tmp)
            try:
                want = expect["codes"]
                diags, how = diagnostics_of(s, init, uri, lambda d: codes(d) == want)
                seen["boilerplate"] = "boilerplate" in codes(diags)
                unknown = set(codes(diags)) - set(FIXTURE["known_codes"])
                assert not unknown, f"unknown codes {sorted(unknown)}"
                info = init.get("serverInfo") or {}
                return (f"{info.get('name', '?')} {info.get('version', '')}: {len(diags)} {how} diagnostics, "
                        f"codes {', '.join(codes(diags))}")
            finally:
                rc = s.close()
                assert rc == 0, f"server exit status {rc}"

        @check('config diagnostics = { boilerplate = "off" } takes effect')
        def _():
            assert seen["boilerplate"], "precondition: the first session had no boilerplate diagnostic to turn off"
            config = json.loads(json.dumps(doc["language-server"]["news-ls"].get("config", {})))
            config.setdefault("news-ls", {})["diagnostics"] = {"boilerplate": "off"}
            s, init, uri = session(config, tmp)
            try:
                want = [c for c in expect["codes"] if c != "boilerplate"]
                diags, how = diagnostics_of(s, init, uri, lambda d: codes(d) == want)
                got = codes(diags)
                assert "boilerplate" not in got, f"boilerplate still reported ({how}): {got}"
                return f"{how} diagnostics now: {', '.join(got) or 'none'}"
            finally:
                s.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    failed = results.count(False)
    print(f"helix languages.toml: {len(results) - failed} passed, {failed} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
