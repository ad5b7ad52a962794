import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import WebSocket from "ws";
import { buildClientRequest, Connection, encodeFrame, findHeadEnd, type ConnectionEvent } from "../../src/protocol/index.ts";
import { defaultConfig, type ServerConfig } from "../../src/server/config.ts";
import type { LogRecord } from "../../src/server/log.ts";
import { startServer, type RunningServer } from "../../src/server/server.ts";

export const THEME_SCRIPT = "document.documentElement.dataset.theme = localStorage.getItem('theme') ?? 'light';";
export const RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

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

export interface RawConnection {
  socket: Socket;
  /** Every byte received so far. */
  received(): Buffer;
  /** Resolves once the server closed the TCP connection, with everything it sent. */
  closed: Promise<Buffer>;
  send(bytes: Uint8Array | string): void;
  /** Resolves once `predicate` holds for the bytes received (checked on each chunk). */
  until(predicate: (bytes: Buffer) => boolean, timeoutMs?: number): Promise<Buffer>;
}

/** A plain TCP connection to the server, for sending bytes no well-behaved client would. */
export function rawConnect(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const waiters = new Set<() => void>();
    let whenClosed: (bytes: Buffer) => void;
    const closed = new Promise<Buffer>((r) => (whenClosed = r));
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      for (const wake of waiters) wake();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      whenClosed(Buffer.concat(chunks));
      for (const wake of waiters) wake();
    });
    socket.once("connect", () =>
      resolve({
        socket,
        received: () => Buffer.concat(chunks),
        closed,
        send: (bytes) => socket.write(bytes),
        until(predicate, timeoutMs = 5000) {
          return new Promise((done, fail) => {
            const check = () => {
              const bytes = Buffer.concat(chunks);
              if (predicate(bytes)) {
                waiters.delete(check);
                clearTimeout(timer);
                done(bytes);
              } else if (socket.destroyed) {
                waiters.delete(check);
                clearTimeout(timer);
                fail(new Error(`connection closed first; received ${JSON.stringify(bytes.toString("latin1").slice(0, 300))}`));
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`timed out; received ${JSON.stringify(Buffer.concat(chunks).toString("latin1").slice(0, 300))}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
      }),
    );
    socket.once("error", reject);
  });
}

/** An upgrade request for `path` with the RFC's sample key, plus any extra headers. */
export function upgradeRequest(host: string, path = "/echo", headers: Record<string, string> = {}): string {
  return buildClientRequest({ host, path, key: RFC_KEY, headers });
}

const hasHeadEnd = (bytes: Buffer) => findHeadEnd(bytes) !== -1;

/** Opens a WebSocket by hand over a raw connection; returns it with a client-side protocol reader. */
export async function rawWebSocket(port: number, path = "/echo") {
  const raw = await rawConnect(port);
  raw.send(upgradeRequest(`127.0.0.1:${port}`, path));
  const head = await raw.until(hasHeadEnd);
  const headEnd = findHeadEnd(head);
  if (!head.subarray(0, headEnd).toString("latin1").startsWith("HTTP/1.1 101")) {
    throw new Error(`no 101: ${head.toString("latin1")}`);
  }
  const client = new Connection("client");
  let consumed = headEnd;
  const events: ConnectionEvent[] = [];
  const pump = () => {
    const bytes = raw.received();
    if (bytes.length > consumed) {
      client.receiveData(bytes.subarray(consumed));
      consumed = bytes.length;
      events.push(...client.eventsReceived().filter((e) => e.type !== "frame"));
    }
    return events;
  };
  return {
    raw,
    /** Sends one masked frame. */
    sendFrame: (opcode: number, payload: Uint8Array | string, fin = true) =>
      raw.send(encodeFrame({ opcode, payload, fin, mask: true })),
    /** Waits until the events read so far satisfy `predicate`. */
    async waitFor(predicate: (events: ConnectionEvent[]) => boolean, timeoutMs = 5000) {
      await raw.until(() => predicate(pump()), timeoutMs).catch((error: Error) => {
        if (!predicate(pump())) throw error;
      });
      return pump();
    },
    events: pump,
  };
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
