// `npm run soak` (not part of `npm test`): the long versions of the attacks in
// tests/server/attacks.test.ts, each against a fresh server process on its default settings, for
// minutes in all. Prints one table row per attack: held (the attack ended in a close or a refusal
// and the server kept answering) or broke (the server died, stopped answering, or kept growing),
// with the server's resident memory before and at its peak.
//   SOAK_SECONDS   how long an open-ended attack may run (default 30)
//   SOAK_SERVER    the server's entry point (default src/server/main.ts; point it at another
//                  checkout to measure "before")
//   SOAK_HEAP_MB   --max-old-space-size for the server (default: Node's own)
//   SOAK_ONLY      attacks to run: comma-separated words their names contain
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { encodeFrame, Opcode } from "../../src/protocol/index.ts";
import { flood, rawConnect, rawWebSocket, upgradeRequest } from "../helpers/raw-websocket.ts";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 30);
const SERVER = process.env.SOAK_SERVER ?? fileURLToPath(new URL("../../src/server/main.ts", import.meta.url));
const HEAP_MB = process.env.SOAK_HEAP_MB;
const ONLY = process.env.SOAK_ONLY?.split(",").map((word) => word.trim().toLowerCase());
const MiB = 1024 * 1024;
const KEY = Uint8Array.of(1, 2, 3, 4);

interface Server {
  child: ChildProcess;
  host: string;
  port: number;
  exited: boolean;
  /** Largest resident set seen, sampled every 100 ms. */
  peakRss: number;
  startRss: number;
  stop(): Promise<void>;
}

function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** How an attack wants its server: flags both old and new servers know, settings by environment, a heap size. */
interface Setup {
  args?: string[];
  env?: Record<string, string>;
  heapMb?: number;
}

async function startServer({ args = [], env = {}, heapMb }: Setup): Promise<Server> {
  const root = mkdtempSync(join(tmpdir(), "ws-lab-soak-"));
  writeFileSync(join(root, "index.html"), "<!DOCTYPE html><title>soak</title>\n");
  const heap = heapMb ?? HEAP_MB;
  const nodeArgs = heap ? [`--max-old-space-size=${heap}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, SERVER, "--port", "0", "--root", root, "--quiet", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  const url = new URL(JSON.parse(line).url as string);
  const server: Server = {
    child,
    host: url.host,
    port: Number(url.port),
    exited: false,
    peakRss: 0,
    startRss: rssOf(child.pid!),
    async stop() {
      clearInterval(sampler);
      if (server.exited) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await gone;
    },
  };
  child.stderr!.resume();
  child.once("exit", () => (server.exited = true));
  const sampler = setInterval(() => (server.peakRss = Math.max(server.peakRss, rssOf(child.pid!))), 100);
  return server;
}

async function answers(server: Server): Promise<boolean> {
  if (server.exited) return false;
  try {
    const response = await fetch(`http://${server.host}/healthz`, { signal: AbortSignal.timeout(5000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** What the server says its connections hold, where its /healthz reports it. */
async function heldReport(server: Server): Promise<string> {
  try {
    const health = (await (await fetch(`http://${server.host}/healthz`)).json()) as { bytesHeld?: number };
    return health.bytesHeld === undefined ? "" : `; /healthz: ${(health.bytesHeld / MiB).toFixed(0)} MiB held`;
  } catch {
    return "";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const closeOf = (events: Array<{ type: string }>) => events.find((event) => event.type === "close") as { code: number; reason: string } | undefined;

interface Outcome {
  /** The attack ended the way a bound ends it (a close code, a refusal, a capped count). */
  bounded: boolean;
  detail: string;
}

/** Starts a message with `first`, then sends `next` until the server closes or the time is up. */
async function reassemblyFlood(server: Server, first: string, next: string, limit: number): Promise<Outcome> {
  const ws = await rawWebSocket(server.port);
  ws.raw.send(Buffer.from(first.replaceAll(" ", ""), "hex"));
  const deadline = Date.now() + SECONDS * 1000;
  let sent = 0;
  const frame = Buffer.from(next.replaceAll(" ", ""), "hex");
  while (sent < limit && Date.now() < deadline && !ws.raw.socket.destroyed && !server.exited) {
    sent += await flood(ws.raw, frame, Math.min(100_000, limit - sent));
  }
  await Promise.race([ws.raw.closed, sleep(2000)]);
  const close = closeOf(ws.events());
  ws.raw.socket.destroy();
  return { bounded: close !== undefined, detail: `${sent.toLocaleString("en")} frames sent; ${close ? `Close ${close.code} ${close.reason}` : "no Close"}` };
}

const attacks: Record<string, Setup & { run(server: Server): Promise<Outcome> }> = {
  "empty continuation frames": {
    run: (server) => reassemblyFlood(server, "02 80 01 02 03 04", "00 80 01 02 03 04", Number.POSITIVE_INFINITY),
  },
  "empty continuation frames (rate limit lifted)": {
    args: ["--max-message-rate", "1000000000"],
    run: (server) => reassemblyFlood(server, "02 80 01 02 03 04", "00 80 01 02 03 04", Number.POSITIVE_INFINITY),
  },
  "4 MiB in 1-byte fragments (rate limit lifted)": {
    args: ["--max-message-rate", "1000000000"],
    run: (server) => reassemblyFlood(server, "02 81 01 02 03 04 78", "00 81 01 02 03 04 78", 4 * MiB),
  },
  "100,000 pings in one burst": {
    async run(server) {
      const ws = await rawWebSocket(server.port);
      await flood(ws.raw, Buffer.from("898001020304", "hex"), 100_000);
      await Promise.race([ws.raw.closed, sleep(10_000)]);
      const events = ws.events();
      const pongs = events.filter((event) => event.type === "pong").length;
      const close = closeOf(events);
      return { bounded: pongs <= 1000, detail: `${pongs.toLocaleString("en")} pongs; ${close ? `Close ${close.code} ${close.reason}` : "no Close"}` };
    },
  },
  "/inspect and 1.4 MB of continuation frames": {
    async run(server) {
      const ws = await rawWebSocket(server.port, "/inspect");
      ws.raw.send(Buffer.from("018001020304", "hex"));
      const sent = await flood(ws.raw, Buffer.from("008001020304", "hex"), 233_000);
      await Promise.race([ws.raw.closed, sleep(10_000)]);
      const out = ws.raw.received().length;
      ws.raw.socket.destroy();
      return { bounded: out < sent * 6, detail: `${((sent * 6) / 1e6).toFixed(1)} MB in, ${(out / 1e6).toFixed(2)} MB out` };
    },
  },
  "31 clients that never read and one that does": {
    async run(server) {
      const message = encodeFrame({ opcode: Opcode.Binary, payload: new Uint8Array(MiB), mask: KEY });
      const stalled = [];
      for (let i = 0; i < 31; i++) {
        const raw = await rawConnect(server.port);
        raw.send(upgradeRequest(server.host));
        await raw.until((bytes) => bytes.includes("\r\n\r\n"));
        raw.socket.pause();
        stalled.push(raw);
      }
      const honest = new WebSocket(`ws://${server.host}/echo`);
      await new Promise((resolve, reject) => honest.once("open", resolve).once("error", reject));
      const latencies: number[] = [];
      const deadline = Date.now() + SECONDS * 1000;
      let round = 0;
      while (Date.now() < deadline && !server.exited) {
        for (const raw of stalled) if (!raw.socket.destroyed && raw.socket.writableLength < 4 * MiB) raw.socket.write(message);
        const started = performance.now();
        const echoed = Promise.race([new Promise((resolve) => honest.once("message", resolve)).then(() => true), sleep(10_000).then(() => false)]);
        honest.send(`ping ${round++}`);
        if (!(await echoed)) break;
        latencies.push(performance.now() - started);
        await sleep(50);
      }
      honest.terminate();
      const dropped = stalled.filter((raw) => raw.socket.destroyed).length;
      for (const raw of stalled) raw.socket.destroy();
      latencies.sort((a, b) => a - b);
      const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN;
      return { bounded: p99 < 1000, detail: `honest echo p99 ${p99.toFixed(0)} ms over ${latencies.length} round trips` + (dropped ? `; ${dropped} stalled dropped` : "") };
    },
  },
  // With a 1 GiB heap the memory budget is about 600 MiB (half the heap limit); 300 such clients would hold 1.2 GiB.
  "300 clients each holding most of a 4 MiB message (1 GiB heap)": {
    args: ["--max-message-rate", "1000000000", "--max-connections-per-ip", "1000"],
    env: { WS_LAB_MAX_CONNECTIONS_PER_PREFIX: "1000" },
    heapMb: 1024,
    async run(server) {
      const frame = encodeFrame({ opcode: Opcode.Binary, payload: new Uint8Array(4 * MiB), mask: KEY });
      // All connect first, holding nothing yet; then each sends all but the last byte of its frame.
      const holders = [];
      for (let i = 0; i < 300 && !server.exited; i++) holders.push(await rawWebSocket(server.port));
      for (const holder of holders) holder.raw.send(frame.subarray(0, frame.length - 1));
      // Until what was sent has arrived, or the server stopped taking it.
      for (let second = 0; second < SECONDS && holders.some((holder) => holder.raw.socket.writableLength > 0); second++) {
        await sleep(1000);
        if (process.env.SOAK_VERBOSE) console.error(second, await heldReport(server), holders.filter((h) => h.raw.socket.writableLength > 0).length);
      }
      const closes = holders.map((holder) => closeOf(holder.events())).filter((close) => close !== undefined);
      const late = await rawConnect(server.port);
      late.send(upgradeRequest(server.host));
      const answer = (await Promise.race([late.until((bytes) => bytes.includes("\r\n\r\n")), sleep(5000).then(() => Buffer.from("no answer"))]))
        .toString("latin1")
        .split("\r\n")[0];
      late.socket.destroy();
      const ok = await answers(server);
      const reported = await heldReport(server);
      for (const holder of holders) holder.raw.socket.destroy();
      const codes = [...new Set(closes.map((close) => `${close!.code} ${close!.reason}`))].join(", ");
      return {
        bounded: ok,
        detail: `${holders.length} connected, ${closes.length} closed (${codes || "none"}); one more upgrade: ${answer}${reported}`,
      };
    },
  },
};

const mib = (bytes: number) => (bytes / MiB).toFixed(0);
console.log(`# Soak: ${SERVER}${HEAP_MB ? `, heap ${HEAP_MB} MB` : ""}, open-ended attacks up to ${SECONDS} s\n`);
console.log("| attack | result | what happened | server RSS before → peak |");
console.log("| --- | --- | --- | ---: |");
for (const [name, attack] of Object.entries(attacks)) {
  if (ONLY && !ONLY.some((word) => name.toLowerCase().includes(word))) continue;
  const server = await startServer(attack);
  await sleep(300);
  server.startRss = rssOf(server.child.pid!);
  let outcome: Outcome;
  try {
    outcome = await attack.run(server);
  } catch (error) {
    outcome = { bounded: false, detail: `attack failed: ${(error as Error).message}` };
  }
  const alive = await answers(server);
  const held = outcome.bounded && alive && server.peakRss - server.startRss < 1024 * MiB;
  const state = server.exited ? "server died" : alive ? "" : "server not answering";
  console.log(`| ${name} | ${held ? "held" : "broke"} | ${[outcome.detail, state].filter(Boolean).join("; ")} | ${mib(server.startRss)} → ${mib(server.peakRss)} MiB |`);
  await server.stop();
}
process.exit(0);
