// The news-ls VS Code extension: a thin client. It finds the `news-ls` binary,
// starts it over stdio for plain-text articles (`**/*.txt`) and `news-ls.toml`,
// forwards the `news-ls` settings section, and offers a restart command and an
// output channel. Every feature (diagnostics, hover, references, outline, inlay
// hints, code actions, rename…) comes from the server.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

const SECTION = "news-ls";
const BINARY = process.platform === "win32" ? "news-ls.exe" : "news-ls";
/** The settings the server reads; `path` and `trace.server` are the client's own. */
const SERVER_KEYS = ["diagnostics", "inlayHints", "maxFileSize", "repeatThreshold"];

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;
/** Serialises start/stop so that a restart never races a start. */
let lifecycle: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("news-ls", { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("news-ls.restart", () => restart(context)),
    vscode.commands.registerCommand("news-ls.showOutput", () => output?.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.path`)) {
        // The binary changed: the running server is the wrong one.
        void restart(context);
      } else if (e.affectsConfiguration(SECTION) && client?.isRunning()) {
        // The server re-reads its settings (workspace/configuration) on this signal.
        void client
          .sendNotification(DidChangeConfigurationNotification.type, {
            settings: { [SECTION]: serverSettings() },
          })
          .catch((err: unknown) => log(`Sending the new settings failed: ${String(err)}`));
      }
    }),
  );
  return enqueue(() => start(context));
}

export function deactivate(): Promise<void> {
  return enqueue(stop);
}

function enqueue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  log("Restarting the news-ls server.");
  await enqueue(async () => {
    await stop();
    await start(context);
  });
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop(2000);
    } catch (e) {
      log(`Stopping the server failed: ${String(e)}`);
    }
    await running.dispose().catch(() => undefined);
  }
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const found = findServer(context);
  if (!found.command) {
    const message =
      `news-ls: cannot find the news-ls language server (looked for ${found.tried.join(", ")}). ` +
      `Install it (\`cargo install --path .\` in the news-ls repository) or set "news-ls.path" ` +
      `to the full path of the binary.`;
    log(message);
    void vscode.window.showErrorMessage(message, "Open Settings", "Show Output").then((pick) => {
      if (pick === "Open Settings") {
        void vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.path`);
      } else if (pick === "Show Output") {
        output?.show(true);
      }
    });
    return;
  }
  log(`Starting ${found.command} --stdio`);

  // `TransportKind.stdio` makes the client append `--stdio`, which news-ls accepts.
  const executable = { command: found.command, transport: TransportKind.stdio } as const;
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", pattern: "**/*.txt" },
      { scheme: "file", pattern: "**/news-ls.toml" },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: serverSettings(),
    // workspace/configuration requests are answered from the `news-ls` section;
    // changes are announced by the listener in activate() (not `synchronize`, whose
    // own listener would race a restart when `news-ls.path` changes).
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.txt,news-ls.toml}"),
    },
  };

  // The id `news-ls` makes the client read `news-ls.trace.server`.
  const next = new LanguageClient(SECTION, "news-ls", serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
    const info = next.initializeResult?.serverInfo;
    log(`Server ready: ${info ? `${info.name} ${info.version ?? ""}`.trim() : found.command}`);
  } catch (e) {
    client = undefined;
    const message = `news-ls: the server ${found.command} failed to start: ${String(e)}. See the "news-ls" output, or set "news-ls.path".`;
    log(message);
    void vscode.window.showErrorMessage(message, "Show Output").then((pick) => {
      if (pick) {
        output?.show(true);
      }
    });
  }
}

/** The `news-ls` settings the server understands (client-only keys removed). */
function serverSettings(): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const out: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    const value = cfg.get(key);
    if (value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

interface Found {
  command?: string;
  tried: string[];
}

/**
 * The binary to run: `news-ls.path` when set (a bare name is looked up on PATH, a
 * relative path is resolved against the first workspace folder), else the binary
 * bundled under `bin/`, else `news-ls` on PATH.
 */
function findServer(context: vscode.ExtensionContext): Found {
  const tried: string[] = [];
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>("path", "").trim();
  if (configured) {
    const expanded = configured.replace(/^~(?=$|[\\/])/, os.homedir());
    if (!expanded.includes("/") && !expanded.includes("\\")) {
      return onPath(expanded, tried, `"news-ls.path" = ${configured}`);
    }
    const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    const candidate = path.resolve(base, expanded);
    tried.push(`"news-ls.path" = ${candidate}`);
    return { command: isExecutable(candidate) ? candidate : undefined, tried };
  }
  const bundled = context.asAbsolutePath(path.join("bin", BINARY));
  tried.push(bundled);
  if (isExecutable(bundled)) {
    return { command: bundled, tried };
  }
  return onPath(BINARY, tried, `${BINARY} on PATH`);
}

function onPath(name: string, tried: string[], label: string): Found {
  tried.push(label);
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) {
        return { command: candidate, tried };
      }
    }
  }
  return { tried };
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function log(line: string): void {
  output?.info(line);
}
