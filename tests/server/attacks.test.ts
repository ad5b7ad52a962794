// One hostile client against a server on its default settings, run as a separate process with a
// small heap, so that an attack that once exhausted memory now ends in a close code and the
// server's heap, measured with process.memoryUsage() after a full GC, stays where it was.
// Each attack is the short version of one in `npm run soak`.
import { describe, expect, test } from "vitest";
import { encodeFrame, Opcode } from "../../src/protocol/index.ts";
import { hex } from "../../src/protocol/test-helpers.ts";
import { flood, nextMessage, openWs, rawWebSocket, serverMemory, spawnServer, type ServerProcess } from "./helpers.ts";

const MiB = 1024 * 1024;
// The heap the server runs with: a fraction of what the attacks below once made it hold.
const HEAP_MB = 128;
// On the default settings the rate limit (1,000 frames a second) ends a flood first; the attacks
// on message reassembly lift it to show that reassembly is bounded on its own.
const NO_RATE_LIMIT = ["--max-message-rate", "1000000000"];

async function healthy(server: ServerProcess): Promise<boolean> {
  const response = await fetch(`http://${server.host}/healthz`);
  return response.status === 200;
}

/** The bytes the server says its connections hold (`/healthz`). */
async function bytesHeld(server: ServerProcess): Promise<number> {
  return ((await (await fetch(`http://${server.host}/healthz`)).json()) as { bytesHeld: number }).bytesHeld;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const closeOf = (events: Array<{ type: string }>) => events.find((event) => event.type === "close") as { code: number; reason: string } | undefined;

describe("attacks on the server, each ending in a close with the heap where it was", () => {
  /**
   * Starts a message with `first`, then floods `next` without end (rate limit lifted); returns the
   * server's close and how much its heap grew, measured before anything is closed on our side.
   */
  async function reassemblyFlood(first: string, next: string, count: number) {
    const server = await spawnServer(NO_RATE_LIMIT, [`--max-old-space-size=${HEAP_MB}`]);
    const before = await serverMemory(server);
    const ws = await rawWebSocket(server.port);
    ws.raw.send(hex(first));
    await flood(ws.raw, hex(next), count);
    const after = await serverMemory(server);
    const events = await ws.waitFor((e) => closeOf(e) !== undefined);
    return { close: closeOf(events), heapGrowth: after.heapUsed - before.heapUsed, healthy: await healthy(server) };
  }

  test("empty continuation frames forever: Close 1009 after MAX_FRAGMENTS, heap growth under 8 MiB", async () => {
    const result = await reassemblyFlood("02 80 01 02 03 04", "00 80 01 02 03 04", 1_000_000);
    expect(result.close).toMatchObject({ code: 1009, reason: "too-many-fragments" });
    expect(result.heapGrowth).toBeLessThan(8 * MiB);
    expect(result.healthy).toBe(true);
  }, 30_000);

  test("a 4 MiB message in one-byte fragments: Close 1009 once the per-frame overhead reaches the limit, heap growth under 16 MiB", async () => {
    const result = await reassemblyFlood("02 81 01 02 03 04 78", "00 81 01 02 03 04 78", 600_000);
    expect(result.close).toMatchObject({ code: 1009, reason: "message-too-big" });
    expect(result.heapGrowth).toBeLessThan(16 * MiB);
    expect(result.healthy).toBe(true);
  }, 30_000);

  test("100,000 pings in one burst: at most the rate limit (1,000) of pongs, then Close 1008", async () => {
    const server = await spawnServer([], [`--max-old-space-size=${HEAP_MB}`]);
    const ws = await rawWebSocket(server.port);
    await flood(ws.raw, hex("89 80 01 02 03 04"), 100_000);
    const events = await ws.waitFor((e) => closeOf(e) !== undefined);
    const pongs = events.filter((event) => event.type === "pong").length;
    expect(pongs).toBeGreaterThan(0);
    expect(pongs).toBeLessThanOrEqual(1000);
    expect(closeOf(events)).toMatchObject({ code: 1008, reason: "rate-limit-exceeded" });
  }, 30_000);

  test("/inspect and a flood of continuation frames: what comes out is bounded by the rate limit, not by what goes in", async () => {
    const server = await spawnServer([], [`--max-old-space-size=${HEAP_MB}`]);
    const ws = await rawWebSocket(server.port, "/inspect");
    ws.raw.send(hex("01 80 01 02 03 04"));
    const sent = await flood(ws.raw, hex("00 80 01 02 03 04"), 250_000);
    const events = await ws.waitFor((e) => closeOf(e) !== undefined);
    expect(closeOf(events)).toMatchObject({ code: 1008, reason: "rate-limit-exceeded" });
    // One description of at most ~400 bytes per frame allowed (1,000 a second by default).
    const out = (await ws.raw.closed).length;
    expect(out).toBeLessThan(1000 * 400);
    expect(sent * 6).toBeGreaterThan(out);
  }, 30_000);
});

describe("the process-wide memory budget", () => {
  test("at 90% of it new upgrades get 503; past it the largest holder is closed with 1013; the others and the server carry on", async () => {
    const server = await spawnServer(
      [...NO_RATE_LIMIT, "--memory-budget", String(13 * MiB), "--max-message-size", String(8 * MiB), "--max-frame-size", String(8 * MiB)],
      [`--max-old-space-size=${HEAP_MB}`],
    );
    const url = `ws://${server.host}/echo`;
    const honest = await openWs(url);
    // Each holder stops one byte short of a 4 MiB frame: its buffer is then exactly 4 MiB.
    const frame = encodeFrame({ opcode: Opcode.Binary, payload: new Uint8Array(4 * MiB), mask: hex("01 02 03 04") });
    const holders = [];
    for (let i = 1; i <= 3; i++) {
      const holder = await rawWebSocket(server.port);
      holder.raw.send(frame.subarray(0, frame.length - 1));
      holders.push(holder);
      await until(async () => (await bytesHeld(server)) >= i * 4 * MiB);
    }
    await expect(openWs(url)).rejects.toThrow(/503/);

    // A 2 MiB message from the honest client takes the total past the budget: a 4 MiB holder goes.
    honest.send(new Uint8Array(2 * MiB));
    expect((await nextMessage(honest)).data.length).toBe(2 * MiB);
    const evicted = await holders[0]!.waitFor((e) => closeOf(e) !== undefined);
    expect(closeOf(evicted)).toMatchObject({ code: 1013, reason: "server-busy" });
    expect(holders[1]!.raw.socket.destroyed).toBe(false);
    expect(holders[2]!.raw.socket.destroyed).toBe(false);
    await until(async () => (await bytesHeld(server)) <= 8 * MiB);
    expect(await healthy(server)).toBe(true);
    (await openWs(url)).close();
  }, 30_000);

});

describe("backpressure", () => {
  test("clients that never read are not read either: what waits for them stays near 1 MiB each, and a reader's echo is prompt", async () => {
    const server = await spawnServer(NO_RATE_LIMIT, [`--max-old-space-size=${HEAP_MB}`]);
    const before = await serverMemory(server);
    const message = encodeFrame({ opcode: Opcode.Binary, payload: new Uint8Array(MiB), mask: hex("01 02 03 04") });
    const stalled = [];
    for (let i = 0; i < 6; i++) {
      const client = await rawWebSocket(server.port);
      client.raw.socket.pause();
      stalled.push(client);
    }
    // Each asks for 12 MiB of echoes it never reads: under the per-connection cap, 72 MiB in all.
    for (let round = 0; round < 12; round++) for (const client of stalled) client.raw.send(message);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const during = await serverMemory(server);
    expect(during.arrayBuffers - before.arrayBuffers).toBeLessThan(6 * 3 * MiB);
    const reader = await openWs(`ws://${server.host}/echo`);
    const started = Date.now();
    reader.send("still there?");
    expect((await nextMessage(reader)).data.toString()).toBe("still there?");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await healthy(server)).toBe(true);
  }, 30_000);
});
