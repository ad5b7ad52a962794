// Throughput of the protocol core against ws in one process: decoding and encoding masked frames,
// and masking against a plain memory copy. Run with `npm run bench`.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { applyMask, Connection, encodeFrame, FrameParser } from "../src/protocol/index.ts";

const require = createRequire(import.meta.url);
const wsLib = join(dirname(require.resolve("ws")), "lib");

interface WsVariant {
  name: string;
  Receiver: new (options: object) => { on(event: string, fn: (...args: unknown[]) => void): void; write(chunk: Buffer): boolean };
  Sender: { frame(data: Buffer, options: object): Buffer[] };
  mask(source: Buffer, mask: Buffer, output: Buffer, offset: number, length: number): void;
}

/** Loads ws afresh: buffer-util.js decides at require time whether to use bufferutil. */
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

const variants = [loadWs("ws (js)", false), loadWs("ws (bufferutil)", true)];

const WARMUP_MS = 100;
const ROUND_MS = 100;
const ROUNDS = 5;

/**
 * Runs `step` (which handles `items` frames of `bytes` bytes) repeatedly; returns items/s and MB/s
 * of the best of several rounds, since other processes on a shared machine only ever slow a round down.
 */
function measure(step: () => void, items: number, bytes: number) {
  const run = (ms: number) => {
    const start = performance.now();
    let calls = 0;
    let elapsed = 0;
    do {
      step();
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < ms);
    return { perSecond: (calls * items * 1000) / elapsed, mbPerSecond: (calls * bytes * 1000) / elapsed / 1e6 };
  };
  run(WARMUP_MS);
  let best = run(ROUND_MS);
  for (let round = 1; round < ROUNDS; round++) {
    const result = run(ROUND_MS);
    if (result.perSecond > best.perSecond) best = result;
  }
  return best;
}

const sizes: Array<[string, number]> = [
  ["16 B", 16],
  ["125 B", 125],
  ["1 KiB", 1024],
  ["64 KiB", 65536],
  ["1 MiB", 1 << 20],
];
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

type Row = { size: string; task: string; results: Record<string, { perSecond: number; mbPerSecond: number }> };
const rows: Row[] = [];

for (const [label, size] of sizes) {
  const { frames, bytes, chunks } = clientStream(size);

  // Decoding: the full receiving side (rules, messages) of each, on the same chunks.
  const decode: Row = { size: label, task: "decode", results: {} };
  const connection = new Connection("server");
  decode.results["core"] = measure(() => {
    let messages = 0;
    for (const chunk of chunks) {
      connection.receiveData(chunk);
      for (const event of connection.eventsReceived()) if (event.type === "binary") messages++;
    }
    if (messages !== frames) throw new Error(`core decoded ${messages} of ${frames}`);
  }, frames, bytes);
  const parser = new FrameParser();
  decode.results["core parser"] = measure(() => {
    let count = 0;
    for (const chunk of chunks) count += parser.push(chunk).length;
    if (count !== frames) throw new Error(`parser decoded ${count} of ${frames}`);
  }, frames, bytes);
  for (const ws of variants) {
    let messages = 0;
    const receiver = new ws.Receiver({ isServer: true, maxPayload: 0 });
    receiver.on("message", () => messages++);
    receiver.on("error", (error) => {
      throw error;
    });
    decode.results[ws.name] = measure(() => {
      messages = 0;
      // ws unmasks in place; binary payloads are not validated, so reading a chunk twice is harmless.
      for (const chunk of chunks) receiver.write(chunk);
      if (messages !== frames) throw new Error(`${ws.name} decoded ${messages} of ${frames}`);
    }, frames, bytes);
  }
  rows.push(decode);

  // Encoding: one masked binary frame with a fresh random key, leaving the payload as it was.
  const payload = payloadOf(size);
  const encodeCount = Math.max(1, Math.floor((1 << 20) / size));
  const encode: Row = { size: label, task: "encode", results: {} };
  encode.results["core"] = measure(() => {
    for (let i = 0; i < encodeCount; i++) encodeFrame({ opcode: 2, payload, mask: true });
  }, encodeCount, encodeCount * size);
  for (const ws of variants) {
    const options = { fin: true, opcode: 2, mask: true, readOnly: true, rsv1: false };
    encode.results[ws.name] = measure(() => {
      for (let i = 0; i < encodeCount; i++) ws.Sender.frame(payload, options);
    }, encodeCount, encodeCount * size);
  }
  rows.push(encode);

  // Masking in place vs copying the same number of bytes.
  const data = payloadOf(size);
  const target = Buffer.alloc(size);
  const mask: Row = { size: label, task: "mask", results: {} };
  mask.results["core"] = measure(() => {
    for (let i = 0; i < encodeCount; i++) applyMask(data, key);
  }, encodeCount, encodeCount * size);
  for (const ws of variants) {
    mask.results[ws.name] = measure(() => {
      for (let i = 0; i < encodeCount; i++) ws.mask(data, key, data, 0, size);
    }, encodeCount, encodeCount * size);
  }
  mask.results["memcpy"] = measure(() => {
    for (let i = 0; i < encodeCount; i++) target.set(data);
  }, encodeCount, encodeCount * size);
  rows.push(mask);
}

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0));
const columns = ["core", "core parser", "ws (js)", "ws (bufferutil)", "memcpy"];
const header = ["size", "task", ...columns.map((c) => `${c} /s | MB/s`), "core/ws-js", "core/ws-bu", "core/memcpy"];
const lines = [header];
for (const row of rows) {
  const cell = (name: string) => {
    const r = row.results[name];
    return r ? `${fmt(r.perSecond)} | ${r.mbPerSecond.toFixed(0)}` : "";
  };
  const ratio = (name: string) => {
    const r = row.results[name];
    return r ? (row.results["core"]!.mbPerSecond / r.mbPerSecond).toFixed(2) + "x" : "";
  };
  lines.push([row.size, row.task, ...columns.map(cell), ratio("ws (js)"), ratio("ws (bufferutil)"), ratio("memcpy")]);
}
const widths = header.map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
console.log(`node ${process.version}, ${CHUNK / 1024} KiB chunks, frames masked with a 4-byte key`);
for (const line of lines) console.log(line.map((cell, i) => cell.padStart(widths[i]!)).join("  "));
