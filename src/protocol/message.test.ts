import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { Connection } from "./connection.ts";
import { encodeFrame, Opcode } from "./frame.ts";
import { FRAME_OVERHEAD, MAX_FRAGMENTS } from "./message.ts";
import { hex, splitAt } from "./test-helpers.ts";

const key = hex("01 02 03 04");
const MiB = 1024 * 1024;

/** `count` masked frames as a client sends them: a first data frame, then continuations, the last one final. */
function fragments(count: number, payloadLength: number, last = true): Uint8Array {
  const first = encodeFrame({ opcode: Opcode.Binary, fin: false, mask: key, payload: new Uint8Array(payloadLength) });
  const middle = encodeFrame({ opcode: Opcode.Continuation, fin: false, mask: key, payload: new Uint8Array(payloadLength) });
  const final = encodeFrame({ opcode: Opcode.Continuation, fin: true, mask: key, payload: new Uint8Array(payloadLength) });
  const frame = first.length;
  const wire = new Uint8Array(frame * count);
  wire.set(first, 0);
  for (let i = 1; i < count; i++) wire.set(i === count - 1 && last ? final : middle, i * frame);
  return wire;
}

function outcome(conn: Connection) {
  const events = conn.eventsReceived();
  const error = events.find((event) => event.type === "error");
  const binary = events.find((event) => event.type === "binary");
  return {
    error: error?.type === "error" ? error.error.code : null,
    length: binary?.type === "binary" ? binary.data.length : null,
  };
}

describe("a message in many frames is bounded by its frames as well as its bytes", () => {
  test("an endless run of empty continuation frames fails with 1009 once the overhead passes the limit", () => {
    const conn = new Connection("server", { maxPayload: 64 * 1024, frameEvents: "none" });
    conn.receiveData(fragments((64 * 1024) / FRAME_OVERHEAD + 1, 0, false));
    expect(conn.eventsReceived()).toEqual([]);
    conn.receiveData(fragments(2, 0, false).subarray(6));
    const events = conn.eventsReceived();
    expect(events.find((event) => event.type === "error")).toMatchObject({ error: { code: "message-too-big", closeCode: 1009 } });
    expect(conn.bytesHeld).toBe(0);
  });

  test("at the default 4 MiB limit, or any higher one, the fragment cap ends the same flood with 1009 too-many-fragments", () => {
    const conn = new Connection("server", { maxPayload: 1 << 30, frameEvents: "none" });
    conn.receiveData(fragments(MAX_FRAGMENTS, 0, false));
    expect(conn.eventsReceived()).toEqual([]);
    conn.receiveData(fragments(2, 0, false).subarray(6));
    expect(outcome(conn).error).toBe("too-many-fragments");
  });

  test("Autobahn 9.3.1's shape, 4 MiB in 64-byte fragments, fits a 16 MiB limit: MAX_FRAGMENTS frames exactly", () => {
    const conn = new Connection("server", { maxPayload: 16 * MiB, frameEvents: "none" });
    conn.receiveData(fragments(MAX_FRAGMENTS, 64));
    expect(outcome(conn)).toEqual({ error: null, length: 4 * MiB });
  });

  test("every frame after the first is charged FRAME_OVERHEAD: a two-frame message fits exactly at the limit, one byte more fails", () => {
    const at = new Connection("server", { maxPayload: 1000 });
    at.receiveData(encodeFrame({ opcode: Opcode.Binary, fin: false, mask: key, payload: new Uint8Array(500) }));
    at.receiveData(encodeFrame({ opcode: Opcode.Continuation, mask: key, payload: new Uint8Array(500 - FRAME_OVERHEAD) }));
    expect(outcome(at)).toEqual({ error: null, length: 1000 - FRAME_OVERHEAD });

    const over = new Connection("server", { maxPayload: 1000 });
    over.receiveData(encodeFrame({ opcode: Opcode.Binary, fin: false, mask: key, payload: new Uint8Array(500) }));
    over.receiveData(encodeFrame({ opcode: Opcode.Continuation, mask: key, payload: new Uint8Array(501 - FRAME_OVERHEAD) }));
    expect(outcome(over).error).toBe("message-too-big");
  });

  test("a message in one frame is charged its payload only: exactly the limit passes", () => {
    const conn = new Connection("server", { maxPayload: 1000 });
    conn.receiveData(encodeFrame({ opcode: Opcode.Binary, mask: key, payload: new Uint8Array(1000) }));
    expect(outcome(conn)).toEqual({ error: null, length: 1000 });
  });
});

describe("what a connection holds", () => {
  test("a message in one-byte fragments holds its bytes once, in one buffer at most twice their size", () => {
    const conn = new Connection("server", { maxPayload: 4 * MiB, frameEvents: "none" });
    const count = 20_000;
    const wire = fragments(count, 1, false);
    for (let at = 0; at < wire.length; at += 65536) conn.receiveData(wire.subarray(at, at + 65536));
    expect(conn.eventsReceived()).toEqual([]);
    expect(conn.bytesHeld).toBeGreaterThanOrEqual(count);
    expect(conn.bytesHeld).toBeLessThanOrEqual(2 * count);
  });

  test("a frame cut between chunks holds at most eight times what has arrived, not its announced length", () => {
    const conn = new Connection("server", { maxPayload: 4 * MiB, maxFrameSize: 4 * MiB });
    const wire = encodeFrame({ opcode: Opcode.Binary, mask: key, payload: new Uint8Array(4 * MiB) });
    conn.receiveData(wire.subarray(0, 14 + 1000));
    expect(conn.bytesHeld).toBeLessThanOrEqual(8 * 1000);
    conn.receiveData(wire.subarray(14 + 1000, 14 + 100_000));
    expect(conn.bytesHeld).toBeLessThanOrEqual(8 * 100_000);
    conn.receiveData(wire.subarray(14 + 100_000));
    expect(outcome(conn)).toEqual({ error: null, length: 4 * MiB });
    expect(conn.bytesHeld).toBe(0);
  });

  test("the buffer of a message never grows past maxPayload, and is let go when the connection fails", () => {
    const limit = 100_000;
    const conn = new Connection("server", { maxPayload: limit, frameEvents: "none" });
    const wire = fragments(200, 1000, false);
    let most = 0;
    for (let at = 0; at < wire.length; at += 777) {
      conn.receiveData(wire.subarray(at, at + 777));
      most = Math.max(most, conn.bytesHeld);
    }
    expect(most).toBeLessThanOrEqual(limit);
    expect(outcome(conn).error).toBe("message-too-big");
    expect(conn.bytesHeld).toBe(0);
  });

  test("abort lets a message in progress go at once, owes a Close with its code, and reads nothing more", () => {
    const conn = new Connection("server", { frameEvents: "none" });
    conn.receiveData(fragments(100, 1000, false));
    expect(conn.bytesHeld).toBeGreaterThanOrEqual(100_000);
    conn.abort(1013, "server-busy");
    expect(conn.bytesHeld).toBe(0);
    expect(conn.eventsReceived()).toEqual([{ type: "closed", code: 1006, reason: "", wasClean: false }]);
    conn.receiveData(fragments(3, 10).subarray(16));
    expect(conn.eventsReceived()).toEqual([]);
    const [close] = conn.dataToSend();
    expect([...close!.subarray(0, 4)]).toEqual([0x88, 13, 0x03, 0xf5]);
    expect(conn.state).toBe("closed");
  });

  test("bytes queued to send count until dataToSend takes them", () => {
    const conn = new Connection("server");
    conn.sendBinary(new Uint8Array(300));
    expect(conn.bytesHeld).toBe(304);
    conn.dataToSend();
    expect(conn.bytesHeld).toBe(0);
  });

  test("any fragmentation and chunking of a message gives the same bytes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.nat(3000), { maxLength: 8 }),
        fc.array(fc.nat(4000), { maxLength: 8 }),
        (payload, fragmentCuts, chunkCuts) => {
          const pieces = splitAt(payload, fragmentCuts);
          const wire = pieces.map((piece, i) =>
            encodeFrame({ opcode: i === 0 ? Opcode.Binary : Opcode.Continuation, fin: i === pieces.length - 1, mask: key, payload: piece }),
          );
          const bytes = new Uint8Array(wire.reduce((sum, frame) => sum + frame.length, 0));
          wire.reduce((at, frame) => (bytes.set(frame, at), at + frame.length), 0);
          const conn = new Connection("server", { frameEvents: "none" });
          for (const chunk of splitAt(bytes, chunkCuts)) conn.receiveData(chunk);
          const [event] = conn.eventsReceived();
          expect(event).toMatchObject({ type: "binary" });
          expect(event?.type === "binary" && [...event.data]).toEqual([...payload]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("the frame allowance (a server's rate limit) counts every frame as it is parsed", () => {
  test("100 pings in one chunk with an allowance of 10: ten pongs, then Close 1008", () => {
    const conn = new Connection("server");
    conn.frameAllowance = 10;
    const ping = encodeFrame({ opcode: Opcode.Ping, mask: key });
    const burst = new Uint8Array(ping.length * 100);
    for (let i = 0; i < 100; i++) burst.set(ping, i * ping.length);
    conn.receiveData(burst);
    const events = conn.eventsReceived();
    expect(events.filter((event) => event.type === "ping")).toHaveLength(10);
    expect(events.find((event) => event.type === "error")).toMatchObject({ error: { code: "rate-limit-exceeded", closeCode: 1008 } });
    const out = conn.dataToSend();
    expect(out.filter((bytes) => bytes[0] === 0x8a)).toHaveLength(10);
    expect(out.at(-1)![0]).toBe(0x88);
    expect(conn.framesReceived).toBe(11);
  });

  test("continuation frames count like any other", () => {
    const conn = new Connection("server");
    conn.frameAllowance = 3;
    conn.receiveData(fragments(5, 10));
    expect(outcome(conn).error).toBe("rate-limit-exceeded");
  });
});

describe("waitingFor", () => {
  test("after a failure it is null however the bytes were cut", () => {
    const whole = new Connection("client");
    whole.receiveData(hex("b8 00"));
    const split = new Connection("client");
    split.receiveData(hex("b8"));
    split.receiveData(hex("00"));
    expect(whole.waitingFor).toBeNull();
    expect(split.waitingFor).toBeNull();
  });

  test("any bytes, cut anywhere, leave the same field awaited as the same bytes in one piece", () => {
    // Short streams of frame-shaped bytes: headers with every flag and length form, partial fields, violations.
    const stream = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0x05, 0x7e, 0x7f, 0x80, 0x85, 0xfe, 0xff), fc.uint8Array({ maxLength: 16 }))
        .map(([b0, b1, rest]) => new Uint8Array([b0, b1, ...rest])),
    );
    fc.assert(
      fc.property(stream, fc.array(fc.nat(30), { maxLength: 5 }), fc.constantFrom("client", "server"), (bytes, cuts, role) => {
        const whole = new Connection(role);
        whole.receiveData(bytes);
        const split = new Connection(role);
        for (const piece of splitAt(bytes, cuts)) split.receiveData(piece);
        expect(split.waitingFor).toBe(whole.waitingFor);
      }),
      { numRuns: 2000 },
    );
  });
});
