// Throughput of the protocol core against ws in one process: decoding and encoding masked frames,
// and masking against a plain memory copy. Run with `npm run bench`; `-- --quick` runs fewer rounds,
// `-- 16B 64KiB` only those sizes.
//
// The machine this runs on is often shared, so every variant of a row runs once per round, in turn,
// and the table shows medians: per variant, and of the per-round ratios (so a busy moment slows
// both sides of a ratio alike instead of skewing it).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { applyMask, Connection, encodeFrame, FrameParser } from "../src/protocol/index.ts";
import { maskWords } from "../src/protocol/mask-words.ts";
import { simdAvailable } from "../src/protocol/mask-simd.ts";

const require = createRequire(import.meta.url);
const wsLib = join(dirname(require.resolve("ws")), "lib");

interface WsVariant {
  name: string;
  Receiver: new (options: object) => { on(event: string, fn: (...args: unknown[]) => void): void; write(chunk: Buffer): boolean };
  Sender: { frame(data: Buffer, options: object): Buffer[] };
  mask(source: Buffer, mask: Buffer, output: Buffer, offset: number, length: number): void;
}

/** Loads ws afresh: buffer-util.js decides at require time, from WS_NO_BUFFER_UTIL, whether to use bufferutil. */
function loadWs(name: string, withBufferutil: boolean): WsVariant {
  for (const key of Object.keys(require.cache)) if (key.startsWith(wsLib)) delete require.cache[key];
  if (withBufferutil) delete process.env.WS_NO_BUFFER_UTIL;
  else process.env.WS_NO_BUFFER_UTIL = "1";
  const variant = {
    name,
    Receiver: require(join(wsLib, "receiver.js")),
    Sender: require(join(wsLib, "sender.js")),
    mask: require(join(wsLib, "buffer-util.js")).mask,
  };
  delete process.env.WS_NO_BUFFER_UTIL;
  return variant;
}

const wsJs = loadWs("ws (js)", false);
const wsBu = loadWs("ws (bufferutil)", true);
if (wsJs.mask === wsBu.mask) throw new Error("ws loaded the same masking function with and without bufferutil");

const quick = process.argv.includes("--quick");
const WARMUP_MS = 150;
const ROUND_MS = quick ? 25 : 50;
const ROUNDS = quick ? 5 : 11;

interface Result {
  perSecond: number;
  mbPerSecond: number;
}
type Variants = Record<string, () => void>;

/** Runs `step` for about `ms`; `items` frames of `bytes` payload bytes in all per call. */
function run(step: () => void, ms: number, items: number, bytes: number): Result {
  const start = performance.now();
  let calls = 0;
  let elapsed = 0;
  do {
    step();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return { perSecond: (calls * items * 1000) / elapsed, mbPerSecond: (calls * bytes * 1000) / elapsed / 1e6 };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
};

/** Every variant once per round, in turn; medians per variant and of each variant's ratio to `core`. */
function compare(variants: Variants, items: number, bytes: number) {
  for (const step of Object.values(variants)) run(step, WARMUP_MS, items, bytes);
  const rounds: Array<Record<string, Result>> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const results: Record<string, Result> = {};
    for (const [name, step] of Object.entries(variants)) results[name] = run(step, ROUND_MS, items, bytes);
    rounds.push(results);
  }
  const results: Record<string, Result> = {};
  const coreOver: Record<string, number> = {};
  for (const name of Object.keys(variants)) {
    results[name] = {
      perSecond: median(rounds.map((r) => r[name]!.perSecond)),
      mbPerSecond: median(rounds.map((r) => r[name]!.mbPerSecond)),
    };
    coreOver[name] = median(rounds.map((r) => r["core"]!.perSecond / r[name]!.perSecond));
  }
  return { results, coreOver };
}

const allSizes: Array<[string, number]> = [
  ["16 B", 16],
  ["125 B", 125],
  ["1 KiB", 1024],
  ["64 KiB", 65536],
  ["1 MiB", 1 << 20],
];
const picked = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const sizes = picked.length ? allSizes.filter(([label]) => picked.includes(label.replace(" ", ""))) : allSizes;
const CHUNK = 64 * 1024;
const key = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

function payloadOf(size: number): Buffer {
  const payload = Buffer.alloc(size);
  for (let i = 0; i < size; i++) payload[i] = (i * 31) & 0xff;
  return payload;
}

/** A stream of masked binary frames, cut into 64 KiB chunks as a socket would deliver them. */
function clientStream(size: number) {
  const frames = Math.max(4, Math.ceil((2 << 20) / (size + 14)));
  const frame = encodeFrame({ opcode: 2, payload: payloadOf(size), mask: key });
  const stream = Buffer.alloc(frame.length * frames);
  for (let i = 0; i < frames; i++) stream.set(frame, i * frame.length);
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; at += CHUNK) chunks.push(stream.subarray(at, at + CHUNK));
  return { frames, bytes: frames * size, chunks };
}

function wsDecoder(ws: WsVariant, chunks: Buffer[], frames: number): () => void {
  let messages = 0;
  const receiver = new ws.Receiver({ isServer: true, maxPayload: 0 });
  receiver.on("message", () => messages++);
  receiver.on("error", (error) => {
    throw error;
  });
  return () => {
    messages = 0;
    // ws unmasks in place; binary payloads are not validated, so reading a chunk twice is harmless.
    for (const chunk of chunks) receiver.write(chunk);
    if (messages !== frames) throw new Error(`${ws.name} decoded ${messages} of ${frames}`);
  };
}

type Row = { size: string; task: string } & ReturnType<typeof compare>;
const rows: Row[] = [];

for (const [label, size] of sizes) {
  const { frames, bytes, chunks } = clientStream(size);
  const connection = new Connection("server");
  const parser = new FrameParser();
  rows.push({
    size: label,
    task: "decode",
    ...compare(
      {
        core() {
          let messages = 0;
          for (const chunk of chunks) {
            connection.receiveData(chunk);
            for (const event of connection.eventsReceived()) if (event.type === "binary") messages++;
          }
          if (messages !== frames) throw new Error(`core decoded ${messages} of ${frames}`);
        },
        "core parser"() {
          let count = 0;
          for (const chunk of chunks) count += parser.push(chunk).length;
          if (count !== frames) throw new Error(`parser decoded ${count} of ${frames}`);
        },
        "ws (js)": wsDecoder(wsJs, chunks, frames),
        "ws (bufferutil)": wsDecoder(wsBu, chunks, frames),
      },
      frames,
      bytes,
    ),
  });

  const payload = payloadOf(size);
  const count = Math.max(1, Math.floor((256 << 10) / size));
  const wsOptions = { fin: true, opcode: 2, mask: true, readOnly: true, rsv1: false };
  rows.push({
    size: label,
    task: "encode",
    ...compare(
      {
        core() {
          for (let i = 0; i < count; i++) encodeFrame({ opcode: 2, payload, mask: true });
        },
        "ws (js)"() {
          for (let i = 0; i < count; i++) wsJs.Sender.frame(payload, wsOptions);
        },
        "ws (bufferutil)"() {
          for (let i = 0; i < count; i++) wsBu.Sender.frame(payload, wsOptions);
        },
      },
      count,
      count * size,
    ),
  });

  const data = payloadOf(size);
  const target = Buffer.alloc(size);
  rows.push({
    size: label,
    task: "mask",
    ...compare(
      {
        core() {
          for (let i = 0; i < count; i++) applyMask(data, key);
        },
        "core js"() {
          for (let i = 0; i < count; i++) maskWords(data, 0, size, key, 0, 0);
        },
        "ws (js)"() {
          for (let i = 0; i < count; i++) wsJs.mask(data, key, data, 0, size);
        },
        "ws (bufferutil)"() {
          for (let i = 0; i < count; i++) wsBu.mask(data, key, data, 0, size);
        },
        memcpy() {
          for (let i = 0; i < count; i++) target.set(data);
        },
      },
      count,
      count * size,
    ),
  });
}

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0));
const columns = ["core", "core parser", "core js", "ws (js)", "ws (bufferutil)", "memcpy"];
const ratios: Array<[string, (row: Row) => number | undefined]> = [
  ["core/ws-js", (row) => row.coreOver["ws (js)"]],
  ["core/ws-bu", (row) => row.coreOver["ws (bufferutil)"]],
  ["core/memcpy", (row) => row.coreOver["memcpy"]],
  ["core js/memcpy", (row) => (row.coreOver["memcpy"] ? row.coreOver["memcpy"] / row.coreOver["core js"]! : undefined)],
];
const header = ["size", "task", ...columns.map((c) => `${c} /s · MB/s`), ...ratios.map(([name]) => name)];
const table = [header, header.map((_, i) => (i < 2 ? "---" : "---:"))];
for (const row of rows) {
  const cell = (name: string) => {
    const r = row.results[name];
    return r ? `${fmt(r.perSecond)} · ${r.mbPerSecond.toFixed(0)}` : "";
  };
  table.push([row.size, row.task, ...columns.map(cell), ...ratios.map(([, ratio]) => ratio(row)?.toFixed(2).concat("x") ?? "")]);
}
const widths = header.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
console.log(`node ${process.version}, ${CHUNK / 1024} KiB chunks, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms, medians\n`);
for (const line of table) console.log(`| ${line.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")} |`);
console.log(`
decode: masked binary frames (as a client sends them) in 64 KiB chunks, all in one process.
  core: Connection("server"): role and opcode rules, reassembly, a "frame" event (parsed, the
    default: no raw bytes) and a "binary" event per frame; unmasks into a copy, leaving the chunk as it arrived.
  core parser: FrameParser alone, no rules or events. ws: Receiver({ isServer: true }): the same
    rules, one "message" emitted per frame; unmasks the chunk in place. Binary, so neither side
    checks UTF-8 (for text both would; core also decodes to a string, ws hands over a Buffer).
encode: one masked binary frame per call with a fresh random key, the payload left unchanged
  (ws Sender.frame with readOnly: true copies and masks in one pass, as core does).
mask: in place over a Buffer; core ${simdAvailable ? "uses Wasm SIMD from 384 B" : "has no Wasm SIMD here"}, core js is its 32-bit-word
  fallback; memcpy is Uint8Array.prototype.set of the same size. Ratios are medians of per-round ratios.`);
