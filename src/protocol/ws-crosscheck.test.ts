// The same bytes, read and written by an independent implementation: the `ws` package.
import { describe, expect, test } from "vitest";
import * as ws from "ws";
import { encodeFrame, type FrameInit } from "./frame.ts";
import { FrameParser } from "./parser.ts";
import { Connection, type ConnectionEvent } from "./connection.ts";
import { toHex } from "./hex.ts";

type WsEvent = [string, string];
// ws exports its Receiver and Sender classes (wrapper.mjs); @types/ws does not describe them.
const { Receiver, Sender } = ws as unknown as {
  Receiver: new (options: object) => {
    on(event: string, listener: (...args: unknown[]) => void): void;
    write(chunk: Uint8Array): void;
  };
  Sender: { frame(data: Uint8Array, options: object): Uint8Array[] };
};

/** What ws's Receiver makes of bytes: its events with payloads as hex. */
function wsReceive(bytes: Uint8Array, isServer: boolean): WsEvent[] {
  const events: WsEvent[] = [];
  const receiver = new Receiver({ isServer, maxPayload: 0 });
  receiver.on("message", (data, isBinary) => events.push([isBinary ? "binary" : "text", toHex(data as Uint8Array)]));
  receiver.on("ping", (data) => events.push(["ping", toHex(data as Uint8Array)]));
  receiver.on("pong", (data) => events.push(["pong", toHex(data as Uint8Array)]));
  receiver.on("conclude", (code, reason) => events.push(["close", `${code}:${toHex(reason as Uint8Array)}`]));
  receiver.on("error", (error) => events.push(["error", (error as { code: string }).code]));
  receiver.write(Buffer.from(bytes));
  return events;
}

/** The same, as our Connection reports it. */
function coreReceive(bytes: Uint8Array, role: "server" | "client"): WsEvent[] {
  const conn = new Connection(role, { autoPong: false });
  conn.receiveData(bytes);
  const encoder = new TextEncoder();
  return conn.eventsReceived().flatMap((event: ConnectionEvent): WsEvent[] => {
    switch (event.type) {
      case "text":
        return [["text", toHex(encoder.encode(event.data))]];
      case "binary":
        return [["binary", toHex(event.data)]];
      case "ping":
      case "pong":
        return [[event.type, toHex(event.payload)]];
      case "close":
        return [["close", `${event.code}:${toHex(encoder.encode(event.reason))}`]];
      default:
        return [];
    }
  });
}

const big = (n: number) => new Uint8Array(n).map((_, i) => (i * 31) & 0xff);
const streams: Array<[string, FrameInit[]]> = [
  ["a text message", [{ opcode: 1, payload: "Hello, мир" }]],
  ["a binary message", [{ opcode: 2, payload: big(100) }]],
  ["a fragmented text message with a ping inside", [
    { opcode: 1, fin: false, payload: "Hel" },
    { opcode: 9, payload: "p" },
    { opcode: 0, fin: false, payload: "l" },
    { opcode: 0, payload: "o" },
  ]],
  ["a pong and a close with a reason", [{ opcode: 10, payload: "q" }, { opcode: 8, payload: new Uint8Array([0x03, 0xe9, 0x62, 0x79, 0x65]) }]],
  ["a message with a 16-bit length", [{ opcode: 2, payload: big(300) }]],
  ["a message with a 64-bit length", [{ opcode: 2, payload: big(70000) }]],
];

describe("frames the core builds are read identically by ws's Receiver", () => {
  for (const [name, inits] of streams) {
    for (const role of ["client", "server"] as const) {
      test(`${name}, sent by a ${role}`, () => {
        const masked = role === "client";
        const bytes = new Uint8Array(inits.flatMap((init) => [...encodeFrame({ ...init, mask: masked })]));
        const ours = coreReceive(bytes, masked ? "server" : "client");
        expect(wsReceive(bytes, masked)).toEqual(ours);
        expect(ours.length).toBeGreaterThan(0);
      });
    }
  }
});

describe("frames ws's Sender builds are decoded identically by the core", () => {
  const opcodes: Record<number, string> = { 0: "continuation", 1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong" };
  for (const [name, inits] of streams) {
    for (const mask of [false, true]) {
      test(`${name}, ${mask ? "masked" : "unmasked"}`, () => {
        for (const init of inits) {
          const payload = typeof init.payload === "string" ? new TextEncoder().encode(init.payload) : init.payload!;
          const parts = Sender.frame(Buffer.from(payload), {
            fin: init.fin ?? true,
            opcode: init.opcode,
            mask,
            readOnly: true,
            rsv1: false,
          });
          const wire = Buffer.concat(parts);
          const [frame] = new FrameParser().push(wire);
          expect(frame).toMatchObject({ fin: init.fin ?? true, opcode: init.opcode, masked: mask });
          expect(opcodes[frame!.opcode]).toBeDefined();
          expect(toHex(frame!.payload)).toBe(toHex(payload));
          // Same key, same bytes: the core's encoder agrees with ws's to the byte.
          const key = mask ? wire.subarray(wire.length - payload.length - 4, wire.length - payload.length) : undefined;
          expect(toHex(encodeFrame({ ...init, payload, mask: key }))).toBe(toHex(wire));
        }
      });
    }
  }
});

test("ws and the core fail the same broken stream with the same close code", async () => {
  const cases: Array<[string, number]> = [
    ["8105 48656c6c6f", 1002], // unmasked frame to a server
    ["c180 00000000", 1002], // RSV1 without an extension
    ["8380 00000000", 1002], // reserved opcode
    ["0980 00000000", 1002], // fragmented ping
    ["8082 00000000 6869", 1002], // continuation without a start
    ["8182 00000000 c328", 1007], // invalid UTF-8
    ["8881 00000000 03", 1002], // one-byte close payload
  ];
  for (const [wire, closeCode] of cases) {
    const bytes = new Uint8Array(wire.replace(/\s/g, "").match(/../g)!.map((pair) => parseInt(pair, 16)));
    const conn = new Connection("server");
    conn.receiveData(bytes);
    const error = conn.eventsReceived().find((event) => event.type === "error");
    expect(error?.type === "error" && error.error.closeCode).toBe(closeCode);
    const wsErrors: number[] = [];
    const receiver = new Receiver({ isServer: true });
    receiver.on("error", (err) => wsErrors.push((err as Record<symbol, number>)[Object.getOwnPropertySymbols(err as object).find((s) => s.description === "status-code")!]!));
    receiver.write(Buffer.from(bytes));
    // A Writable reports a write error on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect([wire, wsErrors]).toEqual([wire, [closeCode]]);
  }
});
