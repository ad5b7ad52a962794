import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { Connection, type ConnectionEvent } from "./connection.ts";
import { encodeFrame, type FrameInit } from "./frame.ts";
import { decodeStream } from "./decode.ts";
import { InvalidStateError } from "./errors.ts";
import { toHex } from "./hex.ts";
import { hex, splitAt, utf8 } from "./test-helpers.ts";

const key = hex("01 02 03 04");
/** A frame as a client sends it (masked). */
const fromClient = (init: FrameInit) => encodeFrame({ mask: key, ...init });
const join = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((part) => [...part]));

function server(options = {}) {
  return new Connection("server", options);
}

/**
 * Feeds `wire` cut at `cuts` to a server that echoes every message and answers pings itself (no
 * auto-pong, so every answer keeps its place in the order); returns the frames it sent.
 */
function echoInPieces(wire: Uint8Array, cuts: number[]) {
  const conn = server({ autoPong: false });
  const out: Uint8Array[] = [];
  for (const chunk of splitAt(wire, cuts)) {
    conn.receiveData(chunk);
    for (const event of conn.eventsReceived()) {
      if (event.type === "text") conn.sendText(event.data);
      if (event.type === "binary") conn.sendBinary(event.data);
      if (event.type === "ping") conn.pong(event.payload);
    }
    out.push(...conn.dataToSend());
  }
  return { conn, frames: decodeStream(join(...out), { role: "client" }).frames };
}

const kinds = (events: readonly ConnectionEvent<boolean>[]) => events.map((event) => event.type);
/** What the connection put on the wire, decoded as its peer would. */
const sent = (conn: Connection, peer: "client" | "server") => decodeStream(join(...conn.dataToSend()), { role: peer }).frames;

function failure(conn: Connection<boolean>, ...chunks: Uint8Array[]) {
  for (const chunk of chunks) conn.receiveData(chunk);
  const events = conn.eventsReceived();
  const error = events.find((event) => event.type === "error");
  return { events, error: error?.type === "error" ? error.error : null };
}

describe("a server fails the connection with the right close code", () => {
  const cases: Array<[string, Uint8Array[], string, number, object?]> = [
    ["on an unmasked client frame", [encodeFrame({ opcode: 1, payload: "hi" })], "unmasked-client-frame", 1002],
    ["on RSV1 without a negotiated extension", [fromClient({ opcode: 1, rsv1: true })], "reserved-bits", 1002],
    ["on RSV2 even with permessage-deflate", [fromClient({ opcode: 1, rsv2: true })], "reserved-bits", 1002, { allowRsv1: true }],
    ["on RSV3", [fromClient({ opcode: 2, rsv3: true })], "reserved-bits", 1002],
    ["on a reserved data opcode", [fromClient({ opcode: 3 })], "reserved-opcode", 1002],
    ["on a reserved control opcode", [fromClient({ opcode: 0xb })], "reserved-opcode", 1002],
    ["on a fragmented ping", [fromClient({ opcode: 9, fin: false })], "fragmented-control", 1002],
    ["on a ping longer than 125 bytes", [fromClient({ opcode: 9, payload: new Uint8Array(126) })], "control-too-long", 1002],
    ["on a continuation without a start", [fromClient({ opcode: 0, payload: "x" })], "unexpected-continuation", 1002],
    [
      "on a new data frame inside a fragmented message",
      [fromClient({ opcode: 1, fin: false, payload: "a" }), fromClient({ opcode: 2, payload: "b" })],
      "expected-continuation",
      1002,
    ],
    ["on a 64-bit length with the top bit set", [hex("82 ff 80 00 00 00 00 00 00 00")], "length-msb-set", 1002],
    ["on a 64-bit length above 2^53 - 1", [hex("82 ff 00 20 00 00 00 00 00 00")], "message-too-big", 1009],
    ["on a frame above maxFrameSize", [fromClient({ opcode: 2, payload: new Uint8Array(11) })], "frame-too-big", 1009, { maxFrameSize: 10 }],
    [
      "on a message above maxPayload, counted over its fragments",
      [fromClient({ opcode: 2, fin: false, payload: new Uint8Array(6) }), fromClient({ opcode: 0, payload: new Uint8Array(6) })],
      "message-too-big",
      1009,
      { maxPayload: 10 },
    ],
    ["on invalid UTF-8 in a text message", [fromClient({ opcode: 1, payload: hex("c3 28") })], "invalid-utf8", 1007],
    ["on a one-byte close payload", [fromClient({ opcode: 8, payload: hex("03") })], "close-payload-one-byte", 1002],
    ["on close code 1005 on the wire", [fromClient({ opcode: 8, payload: hex("03 ed") })], "invalid-close-code", 1002],
    ["on a close reason that is not UTF-8", [fromClient({ opcode: 8, payload: hex("03 e8 ff") })], "invalid-close-reason", 1007],
  ];
  for (const [name, chunks, code, closeCode, options] of cases) {
    test(`${name}: ${closeCode} ${code}`, () => {
      const conn = server(options);
      const { events, error } = failure(conn, ...chunks);
      expect(error).toMatchObject({ code, closeCode });
      expect(kinds(events).slice(-2)).toEqual(["error", "closed"]);
      expect(events.at(-1)).toMatchObject({ code: 1006, wasClean: false });
      // The Close we queue carries the close code and the stable code as its reason.
      const [close] = sent(conn, "client");
      expect(close).toMatchObject({ opcode: 8, closeCode, closeReason: code });
      expect(conn.state).toBe("closed");
      // Parsing stopped: more input is ignored.
      conn.receiveData(fromClient({ opcode: 1, payload: "after" }));
      expect(conn.eventsReceived()).toEqual([]);
    });
  }

  test("a message before a violation in the same chunk is still answered, then the error Close goes out", () => {
    const conn = server();
    conn.receiveData(join(fromClient({ opcode: 1, payload: "before" }), fromClient({ opcode: 3 }), fromClient({ opcode: 1, payload: "after" })));
    const events = conn.eventsReceived();
    // The reserved opcode fails on the header, so that frame is never reported, and "after" is never read.
    expect(kinds(events)).toEqual(["frame", "text", "error", "closed"]);
    // The Close is owed, not yet queued: the application still answers what came before the violation.
    expect(conn.state).toBe("closing");
    expect(conn.canSend).toBe(true);
    for (const event of events) if (event.type === "text") conn.sendText(event.data);
    const frames = sent(conn, "client");
    expect(frames).toMatchObject([{ opcode: 1, text: "before" }, { opcode: 8, closeCode: 1002, closeReason: "reserved-opcode" }]);
    expect(conn.state).toBe("closed");
    expect(() => conn.sendText("late")).toThrow(InvalidStateError);
  });

  test("however the stream is cut, the messages before a violation are answered and the error Close is the last frame", () => {
    const message = fc.oneof(
      fc.string({ maxLength: 20 }).map((text) => ({ opcode: 1, payload: text })),
      fc.uint8Array({ maxLength: 20 }).map((bytes) => ({ opcode: 2, payload: bytes })),
      fc.uint8Array({ maxLength: 20 }).map((bytes) => ({ opcode: 9, payload: bytes })),
    );
    // Violations found in the header (opcode, masking, length) and in the payload (UTF-8), each with what it leads to.
    const violation = fc.constantFrom(
      { wire: fromClient({ opcode: 3 }), closeCode: 1002 },
      { wire: encodeFrame({ opcode: 1, payload: "unmasked" }), closeCode: 1002 },
      { wire: fromClient({ opcode: 9, payload: new Uint8Array(126) }), closeCode: 1002 },
      { wire: fromClient({ opcode: 1, payload: hex("ce bb ed a0 80") }), closeCode: 1007 },
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 8 }), violation, fc.array(message, { maxLength: 3 }), fc.array(fc.nat(400), { maxLength: 6 }), (before, bad, after, cuts) => {
        const wire = join(...before.map((init) => fromClient(init)), bad.wire, ...after.map((init) => fromClient(init)));
        const { conn, frames } = echoInPieces(wire, cuts);
        const answers = before.map((init) => (init.opcode === 9 ? 10 : init.opcode));
        // 7.1.7: nothing after the violation is read, so nothing after it is answered.
        expect(frames.map((frame) => frame.opcode)).toEqual([...answers, 8]);
        expect(frames.at(-1)).toMatchObject({ closeCode: bad.closeCode });
        expect(conn.state).toBe("closed");
      }),
      { numRuns: 200 },
    );
  });

  test("a client fails the connection on a masked server frame", () => {
    const { error } = failure(new Connection("client"), fromClient({ opcode: 1, payload: "hi" }));
    expect(error).toMatchObject({ code: "masked-server-frame", closeCode: 1002 });
  });

  test("RSV1 passes when permessage-deflate was negotiated", () => {
    const conn = server({ allowRsv1: true });
    conn.receiveData(fromClient({ opcode: 2, rsv1: true, payload: "z" }));
    expect(kinds(conn.eventsReceived())).toEqual(["frame", "binary"]);
  });

  test("the message size limit fails on the header, before the payload arrives", () => {
    const conn = server({ maxPayload: 1000 });
    conn.receiveData(fromClient({ opcode: 2, payload: new Uint8Array(5000) }).subarray(0, 8));
    expect(failure(conn).error).toMatchObject({ code: "message-too-big" });
  });
});

describe("messages", () => {
  test("fragments are reassembled with control frames between them", () => {
    const conn = server();
    conn.receiveData(join(
      fromClient({ opcode: 1, fin: false, payload: "Hel" }),
      fromClient({ opcode: 9, payload: "p" }),
      fromClient({ opcode: 0, fin: false, payload: "l" }),
      fromClient({ opcode: 10, payload: "q" }),
      fromClient({ opcode: 0, payload: "o" }),
    ));
    const events = conn.eventsReceived();
    expect(kinds(events)).toEqual(["frame", "frame", "ping", "frame", "frame", "pong", "frame", "text"]);
    expect(events.at(-1)).toEqual({ type: "text", data: "Hello" });
  });

  test("a character cut at a fragment boundary is fine when the message completes it", () => {
    const euro = utf8("€");
    const conn = server();
    conn.receiveData(join(
      fromClient({ opcode: 1, fin: false, payload: euro.subarray(0, 1) }),
      fromClient({ opcode: 0, fin: false, payload: euro.subarray(1, 2) }),
      fromClient({ opcode: 0, payload: euro.subarray(2) }),
    ));
    expect(conn.eventsReceived().at(-1)).toEqual({ type: "text", data: "€" });
  });

  test("a message ending inside a character fails with 1007", () => {
    const { error } = failure(server(), fromClient({ opcode: 1, fin: false, payload: hex("e2 82") }), fromClient({ opcode: 0 }));
    expect(error).toMatchObject({ code: "invalid-utf8", closeCode: 1007 });
  });

  test("invalid UTF-8 fails on the first fragment that has it, before the message ends", () => {
    const conn = server();
    const { events, error } = failure(conn, fromClient({ opcode: 1, fin: false, payload: hex("41 ed a0 80") }));
    expect(error?.code).toBe("invalid-utf8");
    expect(kinds(events)).toEqual(["frame", "error", "closed"]);
  });

  test("binary messages may hold any bytes", () => {
    const conn = server();
    conn.receiveData(fromClient({ opcode: 2, payload: hex("ff fe 00") }));
    const events = conn.eventsReceived();
    expect(events.at(-1)).toMatchObject({ type: "binary" });
    expect(toHex((events.at(-1) as { data: Uint8Array }).data)).toBe("fffe00");
  });

  test("with frameEvents: withBytes every frame event carries the bytes exactly as they arrived, mask included", () => {
    const wire = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    const conn = server({ frameEvents: "withBytes" });
    conn.receiveData(wire.subarray(0, 3));
    conn.receiveData(wire.subarray(3));
    const [frame] = conn.eventsReceived();
    expect(frame?.type === "frame" && frame.bytes && toHex(frame.bytes)).toBe(toHex(wire));
  });

  test("frame events keep no bytes unless asked, and frameEvents: none reports only what the frames meant", () => {
    const wire = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    const parsed = server();
    parsed.receiveData(wire);
    expect(parsed.eventsReceived()[0]).toMatchObject({ type: "frame", frame: { opcode: 1, payloadLength: 5 }, bytes: null });
    const quiet = server({ frameEvents: "none" });
    quiet.receiveData(wire.subarray(0, 3));
    quiet.receiveData(wire.subarray(3));
    expect(quiet.eventsReceived()).toEqual([{ type: "text", data: "Hello" }]);
  });
});

describe("text as bytes, for relays", () => {
  const relay = () => new Connection("server", { textAsBytes: true });

  test("a text message is delivered as its UTF-8 bytes, fragments joined", () => {
    const euro = utf8("€uro");
    const conn = relay();
    conn.receiveData(join(
      fromClient({ opcode: 1, fin: false, payload: euro.subarray(0, 2) }),
      fromClient({ opcode: 0, payload: euro.subarray(2) }),
    ));
    const event = conn.eventsReceived().at(-1);
    expect(event?.type).toBe("text");
    expect(event?.type === "text" && toHex(event.utf8)).toBe(toHex(euro));
  });

  test("§8.1: invalid UTF-8 still fails with 1007, on the first fragment that has it", () => {
    const conn = relay();
    conn.receiveData(fromClient({ opcode: 1, fin: false, payload: hex("41 ed a0 80") }));
    const events = conn.eventsReceived();
    expect(kinds(events)).toEqual(["frame", "error", "closed"]);
    expect(events[1]).toMatchObject({ error: { code: "invalid-utf8", closeCode: 1007 } });
  });

  test("a message ending inside a character still fails with 1007", () => {
    const { error } = failure(relay(), fromClient({ opcode: 1, fin: false, payload: hex("e2 82") }), fromClient({ opcode: 0 }));
    expect(error).toMatchObject({ code: "invalid-utf8", closeCode: 1007 });
  });

  test("any text, cut into any fragments, arrives as the same bytes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), fc.array(fc.nat(200), { maxLength: 4 }), (text, cuts) => {
        const bytes = utf8(text);
        const parts = splitAt(bytes, cuts);
        const conn = relay();
        conn.receiveData(join(...parts.map((part, i) => fromClient({ opcode: i === 0 ? 1 : 0, fin: i === parts.length - 1, payload: part }))));
        const event = conn.eventsReceived().at(-1);
        expect(event?.type === "text" && toHex(event.utf8)).toBe(toHex(bytes));
      }),
      { numRuns: 100 },
    );
  });
});

describe("ping and pong", () => {
  test("a ping is answered by a pong with the same payload", () => {
    const conn = server();
    conn.receiveData(fromClient({ opcode: 9, payload: "are you there" }));
    expect(kinds(conn.eventsReceived())).toEqual(["frame", "ping"]);
    const [pong] = sent(conn, "client");
    expect(pong).toMatchObject({ opcode: 10, masked: false });
    expect(new TextDecoder().decode(pong!.payload)).toBe("are you there");
  });

  test("a client masks its pong with a key from randomBytes", () => {
    const conn = new Connection("client", { randomBytes: () => hex("37 fa 21 3d") });
    conn.receiveData(hex("89 05 48 65 6c 6c 6f"));
    expect(conn.dataToSend().map((bytes) => toHex(bytes))).toEqual(["8a8537fa213d7f9f4d5158"]);
  });

  test("ping payloads over 125 bytes are refused at the caller", () => {
    expect(() => server().ping(new Uint8Array(126))).toThrow(expect.objectContaining({ code: "control-payload-too-long" }));
  });
});

describe("the closing handshake", () => {
  test("a peer's Close is echoed with its code and the connection closes cleanly", () => {
    const conn = server();
    conn.receiveData(fromClient({ opcode: 8, payload: hex("03 e9 62 79 65") }));
    expect(conn.eventsReceived().slice(1)).toEqual([
      { type: "close", code: 1001, reason: "bye" },
      { type: "closed", code: 1001, reason: "bye", wasClean: true },
    ]);
    // The reply is owed, not yet queued: the state says so until dataToSend hands it out.
    expect(conn.state).toBe("closing");
    expect(sent(conn, "client")).toMatchObject([{ opcode: 8, closeCode: 1001 }]);
    expect(conn.state).toBe("closed");
  });

  test("§5.5.1: messages before a Close in the same chunk can still be answered, and the Close reply follows them", () => {
    const conn = server();
    conn.receiveData(join(
      fromClient({ opcode: 1, payload: "first" }),
      fromClient({ opcode: 9, payload: "p" }),
      fromClient({ opcode: 2, payload: hex("00 ff") }),
      fromClient({ opcode: 8, payload: hex("03 e8") }),
    ));
    const events = conn.eventsReceived();
    expect(kinds(events)).toEqual(["frame", "text", "frame", "ping", "frame", "binary", "frame", "close", "closed"]);
    expect(conn.canSend).toBe(true);
    for (const event of events) {
      if (event.type === "text") conn.sendText(event.data);
      if (event.type === "binary") conn.sendBinary(event.data);
    }
    const frames = sent(conn, "client");
    // The automatic Pong went out while reading; the echoes were queued while the events were handled.
    expect(frames.map((frame) => frame.opcode)).toEqual([10, 1, 2, 8]);
    expect(frames.at(-1)).toMatchObject({ closeCode: 1000 });
    expect(conn.state).toBe("closed");
  });

  test("§5.5.1: after the Close reply has been handed out, sending throws InvalidStateError", () => {
    const conn = server();
    conn.receiveData(fromClient({ opcode: 8, payload: hex("03 e8") }));
    conn.eventsReceived();
    expect(sent(conn, "client")).toMatchObject([{ opcode: 8 }]);
    expect(conn.canSend).toBe(false);
    expect(() => conn.sendText("late")).toThrow(InvalidStateError);
    expect(() => conn.sendFrame({ opcode: 2 })).toThrow(InvalidStateError);
    expect(() => conn.pong()).toThrow(InvalidStateError);
    expect(() => conn.close()).toThrow(InvalidStateError);
    expect(conn.dataToSend()).toEqual([]);
  });

  test("an application that closes while the reply is owed sends its own code, once", () => {
    const conn = server();
    conn.receiveData(fromClient({ opcode: 8, payload: hex("03 e8") }));
    conn.close(1001, "going away");
    expect(sent(conn, "client")).toMatchObject([{ opcode: 8, closeCode: 1001, closeReason: "going away" }]);
    expect(kinds(conn.eventsReceived())).toEqual(["frame", "close", "closed"]);
    expect(conn.state).toBe("closed");
  });

  test("the end of input while the reply is owed keeps the clean closure and still sends the reply", () => {
    const conn = server();
    conn.receiveData(fromClient({ opcode: 8, payload: hex("03 e9") }));
    conn.receiveEof();
    expect(conn.eventsReceived().at(-1)).toEqual({ type: "closed", code: 1001, reason: "", wasClean: true });
    expect(sent(conn, "client")).toMatchObject([{ opcode: 8, closeCode: 1001 }]);
  });

  test("however the stream is cut, an echo answers every message and the Close reply is the last frame", () => {
    const message = fc.oneof(
      fc.string({ maxLength: 20 }).map((text) => ({ opcode: 1, payload: text })),
      fc.uint8Array({ maxLength: 20 }).map((bytes) => ({ opcode: 2, payload: bytes })),
      fc.uint8Array({ maxLength: 20 }).map((bytes) => ({ opcode: 9, payload: bytes })),
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 8 }), fc.array(fc.nat(400), { maxLength: 6 }), (messages, cuts) => {
        const wire = join(...messages.map((init) => fromClient(init)), fromClient({ opcode: 8, payload: hex("0f a0") }));
        const { conn, frames } = echoInPieces(wire, cuts);
        const answers = messages.map((init) => (init.opcode === 9 ? 10 : init.opcode));
        expect(frames.map((frame) => frame.opcode)).toEqual([...answers, 8]);
        expect(frames.at(-1)).toMatchObject({ closeCode: 4000 });
        expect(conn.state).toBe("closed");
      }),
      { numRuns: 200 },
    );
  });

  test("an empty Close is reported as 1005 and answered with 1000", () => {
    const conn = server();
    conn.receiveData(fromClient({ opcode: 8 }));
    expect(conn.eventsReceived()[1]).toEqual({ type: "close", code: 1005, reason: "" });
    expect(sent(conn, "client")).toMatchObject([{ opcode: 8, closeCode: 1000 }]);
  });

  test("our Close then the peer's completes the handshake; messages in between are delivered", () => {
    const conn = server();
    conn.close(1000, "done");
    expect(conn.state).toBe("closing");
    expect(sent(conn, "client")).toMatchObject([{ opcode: 8, closeCode: 1000, closeReason: "done" }]);
    conn.receiveData(join(fromClient({ opcode: 1, payload: "late" }), fromClient({ opcode: 8, payload: hex("03 e8") })));
    const events = conn.eventsReceived();
    expect(kinds(events)).toEqual(["frame", "text", "frame", "close", "closed"]);
    expect(events.at(-1)).toEqual({ type: "closed", code: 1000, reason: "", wasClean: true });
    expect(conn.dataToSend()).toEqual([]);
  });

  test("nothing can be sent after our Close", () => {
    const conn = server();
    conn.close();
    expect(() => conn.sendText("x")).toThrow(InvalidStateError);
    expect(() => conn.ping()).toThrow(InvalidStateError);
    expect(() => conn.sendRaw(hex("00"))).toThrow(InvalidStateError);
    expect(() => conn.close()).toThrow(InvalidStateError);
  });

  test("no pong is sent for a ping that arrives after our Close", () => {
    const conn = server();
    conn.close(1000);
    conn.dataToSend();
    conn.receiveData(fromClient({ opcode: 9, payload: "p" }));
    expect(kinds(conn.eventsReceived())).toEqual(["frame", "ping"]);
    expect(conn.dataToSend()).toEqual([]);
  });

  test("frames after the peer's Close are ignored", () => {
    const conn = server();
    conn.receiveData(join(fromClient({ opcode: 8 }), fromClient({ opcode: 1, payload: "ignored" }), hex("ff ff")));
    conn.receiveData(fromClient({ opcode: 1, payload: "ignored too" }));
    expect(kinds(conn.eventsReceived())).toEqual(["frame", "close", "closed"]);
  });

  test("end of input without a Close is an abnormal closure, 1006", () => {
    const conn = server();
    conn.receiveEof();
    expect(conn.eventsReceived()).toEqual([{ type: "closed", code: 1006, reason: "", wasClean: false }]);
    expect(conn.state).toBe("closed");
    expect(() => conn.sendText("x")).toThrow(InvalidStateError);
  });

  test("close refuses codes that may not be sent and reasons over 123 bytes", () => {
    expect(() => server().close(1005)).toThrow(expect.objectContaining({ code: "close-code-not-sendable" }));
    expect(() => server().close(1000, "é".repeat(62))).toThrow(expect.objectContaining({ code: "close-reason-too-long" }));
  });
});

describe("sending", () => {
  test("a client masks what it sends and a server does not", () => {
    const client = new Connection("client", { randomBytes: () => hex("37 fa 21 3d") });
    client.sendText("Hello");
    expect(client.dataToSend().map((bytes) => toHex(bytes))).toEqual(["818537fa213d7f9f4d5158"]);
    const srv = server();
    srv.sendBinary(utf8("Hello"));
    expect(srv.dataToSend().map((bytes) => toHex(bytes))).toEqual(["820548656c6c6f"]);
  });

  test("sendFrame sends fragments as given and sendRaw puts bytes on the wire unchanged", () => {
    const srv = server();
    srv.sendFrame({ opcode: 1, fin: false, payload: "Hel" });
    srv.sendFrame({ opcode: 0, payload: "lo" });
    srv.sendRaw(hex("ff 00"));
    expect(srv.dataToSend().map((bytes) => toHex(bytes))).toEqual(["010348656c", "80026c6f", "ff00"]);
  });

  test("a Close sent with sendFrame counts as our Close", () => {
    const srv = server();
    srv.sendFrame({ opcode: 8, payload: hex("03 e8") });
    expect(srv.state).toBe("closing");
    expect(() => srv.sendText("x")).toThrow(InvalidStateError);
  });
});
