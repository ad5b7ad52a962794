import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import WebSocket from "ws";
import { defaultConfig, type ServerConfig } from "../../src/server/config.ts";
import type { LogRecord } from "../../src/server/log.ts";
import { startServer, type RunningServer } from "../../src/server/server.ts";

export { flood, rawConnect, rawWebSocket, upgradeRequest, RFC_KEY, type RawConnection } from "../helpers/raw-websocket.ts";

export const THEME_SCRIPT = "document.documentElement.dataset.theme = localStorage.getItem('theme') ?? 'light';";

/**
 * A tiny built site in a temporary directory (the tests run before `npm run build`): a page with
 * an inline script, a hashed asset, a bilingual 404 page and one per language, and a file next to the
 * root that must stay unreachable.
 */
export function fixtureSite(): string {
  const base = mkdtempSync(join(tmpdir(), "ws-lab-site-"));
  const root = join(base, "dist");
  mkdirSync(join(root, "_astro"), { recursive: true });
  mkdirSync(join(root, "en"));
  writeFileSync(join(base, "secret.txt"), "outside the site root\n");
  writeFileSync(
    join(root, "index.html"),
    `<!DOCTYPE html><html><head><script>${THEME_SCRIPT}</script><script type="module" src="/_astro/app.Ab12Cd34.js"></script></head><body><h1>ws-lab</h1></body></html>\n`,
  );
  writeFileSync(join(root, "en", "index.html"), `<!DOCTYPE html><title>en</title>${"<p>lesson text</p>\n".repeat(200)}`);
  writeFileSync(join(root, "404.html"), "<!DOCTYPE html><title>Not found</title><h1>This page is not here</h1>\n");
  mkdirSync(join(root, "ru"));
  writeFileSync(join(root, "en", "404.html"), `<!DOCTYPE html><html lang="en"><title>Page not found</title><h1>English 404</h1>\n`);
  writeFileSync(join(root, "ru", "404.html"), `<!DOCTYPE html><html lang="ru"><title>Страница не найдена</title><h1>Русская 404</h1>\n`);
  writeFileSync(join(root, "_astro", "app.Ab12Cd34.js"), `export const lessons = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => `lesson ${i}`))};\n`);
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  return root;
}

export interface TestServer extends RunningServer {
  host: string;
  logs: LogRecord[];
}

/** Starts the server in this process on a free port, quiet, with `overrides` on the defaults; stops it after the file. */
export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const logs: LogRecord[] = [];
  const root = overrides.root ?? fixtureSite();
  const running = await startServer(defaultConfig({ port: 0, quiet: true, ...overrides, root }), (record) => logs.push(record));
  afterAll(() => running.shutdown());
  await running.precompressed;
  return Object.assign(running, { host: `127.0.0.1:${running.port}`, logs });
}

const serverMain = fileURLToPath(new URL("../../src/server/main.ts", import.meta.url));
const memoryProbe = fileURLToPath(new URL("../../bench/server-memory-probe.ts", import.meta.url));

export interface ServerProcess {
  process: ChildProcess;
  host: string;
  port: number;
  /** Every log line so far, parsed. */
  logs: Array<Record<string, unknown>>;
  exit: Promise<{ code: number | null; signal: string | null }>;
}

/**
 * Runs `node src/server/main.ts` as `ws-lab serve` would, on a free port, with `args` after the
 * defaults and `nodeArgs` (e.g. a heap limit) for Node; killed after the file if still running.
 */
export async function spawnServer(args: string[] = [], nodeArgs: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--expose-gc", ...nodeArgs, "--import", memoryProbe, serverMain, "--port", "0", "--root", fixtureSite(), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  afterAll(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const logs: Array<Record<string, unknown>> = [];
  let buffered = "";
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf("\n")) !== -1) {
        const record = JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>;
        buffered = buffered.slice(newline + 1);
        logs.push(record);
        if (record.event === "listening") resolve(record.url as string);
      }
    });
    child.once("exit", () => reject(new Error(`server exited early: ${stderr}`)));
  });
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = new URL(await listening);
  return { process: child, host: url.host, port: Number(url.port), logs, exit };
}

/** The memory of a server started by `spawnServer`, after a full garbage collection in it. */
export function serverMemory(server: ServerProcess): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: server.process.stderr! });
    lines.on("line", (line) => {
      if (!line.startsWith('{"memory"')) return;
      lines.close();
      resolve((JSON.parse(line) as { memory: NodeJS.MemoryUsage }).memory);
    });
    server.process.kill("SIGUSR2");
  });
}

/** Opens a `ws` client and waits for the open event. */
export function openWs(url: string, protocols?: string | string[], options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** The next message on a `ws` client. */
export function nextMessage(ws: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) => ws.once("message", (data: Buffer, isBinary) => resolve({ data, isBinary })));
}

/** The close event of a `ws` client. */
export function closeEvent(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** Waits for a condition polled every 10 ms. */
export async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
