#!/usr/bin/env node
// End-to-end test of the news-ls VS Code extension in a real VS Code: code-server
// (VS Code 1.100 in a browser) with the packaged .vsix installed, driven by
// playwright-core in Debian's Chromium. Everything listens on 127.0.0.1 only.
//
//   node tests/editors/vscode/e2e.js --bin target/release/news-ls \
//        --vsix editors/vscode/news-ls.vsix --out test-output/vscode
//
// Steps, each checked through the UI and saved as a screenshot in --out:
//   01 workbench loads with the seed corpus, the article opens
//   02 Problems panel lists diagnostics carrying our codes
//   03 hover over an entity shows its card with the canonical name
//   04 Outline view shows the article's title as a top-level entry
//   05 Go to References lists mentions in the other files (unopened ones)
//   06 "news-ls: Restart server" from the command palette restarts the server
//   07 a wrong "news-ls.path" gives the clear "cannot find" error message
// Exits 0 when every step passed, 1 otherwise.

"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const net = require("node:net");
const http = require("node:http");
const { spawn, execFileSync } = require("node:child_process");

const HERE = __dirname;
const ROOT = path.resolve(HERE, "..", "..", "..");
const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, "tests/editors/fixture.json"), "utf8"));

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const BIN = path.resolve(arg("bin", process.env.NEWS_LS_BIN || path.join(ROOT, "target/release/news-ls")));
const VSIX = path.resolve(arg("vsix", path.join(ROOT, "editors/vscode/news-ls.vsix")));
const OUT = path.resolve(arg("out", path.join(ROOT, "test-output/vscode")));
const CHROMIUM = arg("chromium", process.env.CHROMIUM || "/usr/bin/chromium");
const CODE_SERVER = path.join(HERE, "node_modules/.bin/code-server");
const STEP_TIMEOUT = Number(process.env.E2E_STEP_TIMEOUT_MS || 45000);

const t0 = Date.now();
const log = (s) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);
const results = [];

// ---------------------------------------------------------------- fixture facts
const corpusDir = path.join(ROOT, fixture.corpus);
const articleText = fs.readFileSync(path.join(corpusDir, fixture.article), "utf8");
/** 1-based line and column (UTF-16 units, as VS Code counts) of the entity word. */
function entityPosition() {
  const at = articleText.indexOf(fixture.entity.anchor);
  if (at < 0) throw new Error(`anchor not found: ${fixture.entity.anchor}`);
  const offset = at + fixture.entity.anchor.indexOf(fixture.entity.word);
  const before = articleText.slice(0, offset);
  const line = before.split("\n").length;
  const col = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { line, col: col + 2 }; // inside the word, not on its first letter
}
/** What VS Code must show, from the server's own analysis of the workspace copy. */
function expectFor(ws) {
  try {
    return JSON.parse(execFileSync("python3", [path.join(ROOT, "tests/editors/expect.py"), BIN, ws], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
  } catch (e) {
    throw new Error(`cannot run the checks: ${(e.stderr || e.message).toString().trim()}`);
  }
}

// ---------------------------------------------------------------- processes
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/healthz", timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
  });
}

async function waitFor(what, fn, timeout = STEP_TIMEOUT, every = 250) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ""}`);
}

// ---------------------------------------------------------------- main
async function main() {
  for (const [what, file] of [["news-ls binary", BIN], [".vsix", VSIX], ["code-server", CODE_SERVER], ["chromium", CHROMIUM]]) {
    if (!fs.existsSync(file)) {
      throw new Error(`${what} not found at ${file} (run editors/setup-test-env.sh, cargo build --release, npm run package)`);
    }
  }
  let chromium;
  try {
    ({ chromium } = require("playwright-core"));
  } catch {
    throw new Error("playwright-core is not installed: run editors/setup-test-env.sh code-server");
  }
  fs.mkdirSync(OUT, { recursive: true });
  for (const f of fs.readdirSync(OUT)) if (f.endsWith(".png")) fs.rmSync(path.join(OUT, f));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "news-ls-vscode-"));
  const dirs = { data: path.join(tmp, "data"), exts: path.join(tmp, "exts"), home: path.join(tmp, "home") };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  // The workspace is a copy of the corpus, so that VS Code writes nothing into the repository.
  const ws = path.join(tmp, fixture.corpus);
  fs.cpSync(corpusDir, ws, { recursive: true });
  const expect = expectFor(ws);
  const settingsFile = path.join(dirs.data, "User", "settings.json");
  const baseSettings = {
    "news-ls.path": BIN,
    "news-ls.trace.server": "messages",
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoUpdate": false,
    "extensions.autoCheckUpdates": false,
    "extensions.ignoreRecommendations": true,
    "security.workspace.trust.enabled": false,
    "window.restoreWindows": "none",
    "editor.hover.delay": 100,
    "editor.minimap.enabled": false,
    "problems.sortOrder": "position",
    "chat.commandCenter.enabled": false,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
  };
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify(baseSettings, null, 2));
  const env = { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: path.join(dirs.home, ".config"), XDG_DATA_HOME: path.join(dirs.home, ".local/share"), XDG_CACHE_HOME: path.join(dirs.home, ".cache") };
  const common = ["--user-data-dir", dirs.data, "--extensions-dir", dirs.exts];

  log(`installing ${path.relative(ROOT, VSIX)}`);
  execFileSync(CODE_SERVER, [...common, "--install-extension", VSIX], { env, stdio: ["ignore", "pipe", "pipe"] });
  const listed = execFileSync(CODE_SERVER, [...common, "--list-extensions", "--show-versions"], { env, encoding: "utf8" });
  if (!/news-ls\.news-ls@/.test(listed)) throw new Error(`extension not installed: ${listed}`);
  log(`installed: ${listed.trim()}`);

  const port = await freePort();
  fs.writeFileSync(path.join(tmp, "config.yaml"), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const csLog = fs.openSync(path.join(OUT, "code-server.log"), "w");
  const cs = spawn(
    CODE_SERVER,
    [...common, "--config", path.join(tmp, "config.yaml"), "--bind-addr", `127.0.0.1:${port}`, "--auth", "none",
      "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override", ws],
    { env, stdio: ["ignore", csLog, csLog], detached: true },
  );
  let browser;
  try {
    await waitFor("code-server /healthz", () => healthy(port), 60000, 200);
    log(`code-server listening on 127.0.0.1:${port}`);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
    });
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    page.setDefaultTimeout(STEP_TIMEOUT);
    await runSteps(page, port, ws, expect);
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    try {
      process.kill(-cs.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-cs.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function step(page, name, shot, fn) {
  const s0 = Date.now();
  try {
    const detail = await fn();
    await page.screenshot({ path: path.join(OUT, shot) });
    results.push({ name, ok: true });
    log(`PASS ${name}${detail ? `: ${detail}` : ""} (${Date.now() - s0} ms, ${path.relative(ROOT, path.join(OUT, shot))})`);
    return true;
  } catch (e) {
    const failShot = shot.replace(/\.png$/, "-FAILED.png");
    await page.screenshot({ path: path.join(OUT, failShot) }).catch(() => undefined);
    results.push({ name, ok: false });
    log(`FAIL ${name}: ${e.message.split("\n")[0]} (screenshot ${path.relative(ROOT, path.join(OUT, failShot))})`);
    return false;
  }
}

async function runCommand(page, label) {
  await page.keyboard.press("Escape");
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input.input");
  await input.waitFor({ state: "visible" });
  await input.fill(`>${label}`);
  const row = page.locator(".quick-input-widget .monaco-list-row", { hasText: label }).first();
  await row.waitFor({ state: "visible" });
  await row.click();
}

async function goToEntity(page) {
  const { line, col } = entityPosition();
  // Quick Open with the ":" prefix is "Go to Line/Column" (Ctrl+G is the browser's).
  await page.keyboard.press("Escape");
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input.input");
  await input.waitFor({ state: "visible" });
  await input.fill(`:${line}:${col}`);
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: `${line}` }).first().waitFor({ state: "visible" });
  await page.keyboard.press("Enter");
  await waitFor(`cursor at Ln ${line}, Col ${col}`, async () =>
    (await page.locator(".statusbar-item", { hasText: `Ln ${line}, Col ${col}` }).count()) > 0, 5000, 100);
}

async function problemsText(page) {
  const panel = page.locator(".markers-panel");
  if (!(await panel.isVisible().catch(() => false))) return "";
  return panel.innerText();
}

async function runSteps(page, port, ws, expect) {
  const others = expect.entity.files.filter((f) => f !== fixture.article);

  const opened = await step(page, "workbench loads and the article opens", "01-workbench.png", async () => {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector(".monaco-workbench", { timeout: 90000 });
    const row = page.locator(".explorer-folders-view .monaco-list-row", { hasText: fixture.article }).first();
    await row.waitFor({ timeout: 60000 });
    await row.click();
    await page.locator(".tab", { hasText: fixture.article }).first().waitFor();
    await page.locator(".monaco-editor .view-line", { hasText: expect.title.slice(0, 30) }).first().waitFor();
    return `${fixture.article} open`;
  });
  if (!opened) return;

  await step(page, "Problems panel lists our diagnostic codes", "02-problems.png", async () => {
    await page.keyboard.press("Control+Shift+M");
    await page.locator(".markers-panel").waitFor({ state: "visible" });
    // Maximise the panel so that more rows are rendered (the list is virtual).
    await runCommand(page, "View: Toggle Maximized Panel").catch(() => undefined);
    let shown = "";
    const text = await waitFor(
      `codes ${expect.visible_codes.join(", ")} in the Problems panel`,
      async () => {
        const t = await problemsText(page);
        shown = t;
        // A row reads "message", "news-ls", "code", "[Ln l, Col c]" (the parentheses are CSS).
        const squeezed = t.replace(/\s+/g, "");
        return expect.visible_codes.every((c) => squeezed.includes(`news-ls${c}[Ln`)) ? t : false;
      },
    ).catch((e) => {
      throw new Error(`${e.message}; the panel shows: ${JSON.stringify(shown.slice(0, 400))}`);
    });
    const seen = fixture.known_codes.filter((c) => text.includes(c));
    const count = (text.match(/\[Ln \d+, Col \d+\]/g) || []).length;
    if (count === 0) throw new Error("no problem rows");
    if (!/news-ls/.test(text)) throw new Error(`problems do not name news-ls as their source:\n${text.slice(0, 500)}`);
    return `${count} rows visible, codes: ${seen.join(", ")}`;
  });
  await runCommand(page, "View: Toggle Maximized Panel").catch(() => undefined);
  await runCommand(page, "View: Hide Panel").catch(() => undefined);

  await step(page, `hover over "${fixture.entity.word}" shows the entity card`, "03-hover.png", async () => {
    await goToEntity(page);
    const hover = page.locator(".monaco-hover:visible").filter({ hasText: expect.entity.canonical }).first();
    // The server may still be indexing: ask again until the card shows.
    await waitFor("the hover card", async () => {
      await page.keyboard.press("Control+K");
      await page.keyboard.press("Control+I");
      return hover.waitFor({ timeout: 4000 }).then(() => true, () => false);
    }, STEP_TIMEOUT, 500);
    const text = (await hover.innerText()).replace(/\s+/g, " ").trim();
    if (!text.includes(expect.entity.canonical)) throw new Error(`hover lacks ${expect.entity.canonical}: ${text}`);
    if (expect.entity.kind && !text.includes(expect.entity.kind)) throw new Error(`hover lacks the kind ${expect.entity.kind}: ${text}`);
    return text.slice(0, 120);
  });
  await page.keyboard.press("Escape");

  await step(page, "Outline view shows the title", "04-outline.png", async () => {
    // VS Code sorts the outline by position, so a leading boilerplate block may
    // come first; the title must be a top-level entry.
    await runCommand(page, "Explorer: Focus on Outline View");
    const rows = page.locator(".pane-body.outline-pane .monaco-list-row");
    await waitFor("outline rows", async () => (await rows.count()) > 0);
    const title = page.locator('.pane-body.outline-pane .monaco-list-row[aria-level="1"]', { hasText: expect.title.slice(0, 40) });
    await waitFor(`a top-level outline entry "${expect.title}"`, async () => (await title.count()) > 0, 10000).catch(async () => {
      throw new Error(`no top-level entry for the title "${expect.title}"; rows: ${(await rows.allInnerTexts()).join(" | ")}`);
    });
    const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
    return `${texts.length} rows visible: ${texts.slice(0, 3).join(" | ")}`;
  });

  await step(page, "Go to References lists mentions in other (unopened) files", "05-references.png", async () => {
    await goToEntity(page);
    await page.keyboard.press("Shift+F12");
    const widget = page.locator(".reference-zone-widget").first();
    await widget.waitFor({ state: "visible" });
    const files = page.locator(".reference-zone-widget .reference-file");
    await files.first().waitFor({ state: "visible" });
    // The first file comes expanded; collapse it so that every file row is rendered.
    await page.locator(".reference-zone-widget .monaco-list-row").first().locator(".monaco-tl-twistie").click();
    await waitFor("reference files", async () => (await files.count()) > others.length, 5000).catch(() => undefined);
    const listed = (await files.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
    const missing = others.filter((f) => !listed.some((l) => l.includes(f)));
    if (missing.length) throw new Error(`files with mentions of ${expect.entity.canonical} missing from the references: ${missing.join(", ")} (listed: ${listed.join(" | ")})`);
    return `${listed.length} files: ${listed.join(" | ")}`;
  });
  await page.keyboard.press("Escape");

  await step(page, '"news-ls: Restart server" restarts the server', "06-restart.png", async () => {
    await runCommand(page, "news-ls: Restart server");
    // The output channel shows the restart and the new server's handshake.
    await runCommand(page, "news-ls: Show output");
    const lines = page.locator(".panel .view-lines", { hasText: "Restarting the news-ls server" });
    await waitFor("a new \"Server ready\" after the restart in the news-ls output", async () => {
      const text = (await lines.first().innerText({ timeout: 1000 })).replace(/\u00a0/g, " ");
      const at = text.lastIndexOf("Restarting the news-ls server");
      return at >= 0 && text.indexOf("Server ready", at) > at;
    });
    const text = (await lines.first().innerText()).replace(/\u00a0/g, " ");
    const ready = text.slice(text.lastIndexOf("Server ready")).split("\n")[0];
    return ready;
  });

  await step(page, 'a wrong "news-ls.path" (set in the Settings UI) gives a clear error', "07-missing-binary.png", async () => {
    const bad = path.join(ws, "no-such-dir", "news-ls");
    await runCommand(page, "Preferences: Open User Settings");
    await page.locator(".settings-editor").waitFor({ state: "visible" });
    await page.keyboard.type("news-ls.path");
    // "news-ls.path" is machine-overridable: in code-server (a remote window) it is
    // edited under the Remote tab.
    await page.locator(".settings-editor .settings-tabs-widget .action-label", { hasText: "Remote" }).first().click();
    const input = page.locator(".settings-editor .setting-item-contents", { hasText: "Path to the" }).locator("input").first();
    await input.waitFor({ state: "visible" });
    await input.fill(bad);
    await input.press("Tab");
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "cannot find the news-ls language server" }).first();
    await toast.waitFor({ state: "visible" });
    const text = (await toast.innerText()).replace(/\s+/g, " ");
    if (!text.includes("news-ls.path")) throw new Error(`error message does not name the setting: ${text}`);
    if (!text.includes(bad)) throw new Error(`error message does not say where it looked: ${text}`);
    // Only that message: no second error from a request racing the restart.
    const others = page.locator(".notifications-toasts .notification-toast", { hasText: "failed" });
    if ((await others.count()) > 0) throw new Error(`unexpected error: ${(await others.first().innerText()).replace(/\s+/g, " ")}`);
    return text.slice(0, 200);
  });
}

main()
  .catch((e) => {
    results.push({ name: "setup", ok: false });
    log(`FAIL setup: ${e.stack || e}`);
  })
  .finally(() => {
    const failed = results.filter((r) => !r.ok).length;
    const passed = results.length - failed;
    log(`vscode e2e: ${passed} passed, ${failed} failed (screenshots in ${path.relative(ROOT, OUT) || OUT})`);
    process.exit(failed === 0 && passed > 0 ? 0 : 1);
  });
