import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { Connection, type ConnectionEvent } from "./connection.ts";
import { encodeFrame, type FrameInit } from "./frame.ts";
import { toHex } from "./hex.ts";
import { hex, splitAt, utf8 } from "./test-helpers.ts";
import { deflateRoundTrip } from "../../tests/helpers/deflate-round-trip.ts";
import { createPakoCodec, pakoCodec, type DeflateCodec } from "./deflate-codec.ts";
import { SlidingWindow } from "./deflate-context.ts";
import {
  acceptDeflate,
  deflateOfferHeader,
  readDeflateResponse,
  type DeflateParams,
  type DeflatePolicy,
} from "./deflate-negotiation.ts";
import { parseExtensions } from "./handshake.ts";

const takeover: DeflateParams = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 };
const noTakeover: DeflateParams = { ...takeover, serverNoContextTakeover: true, clientNoContextTakeover: true };
const key = hex("37 fa 21 3d");
const fromClient = (init: FrameInit) => encodeFrame({ mask: key, ...init });
const join = (...parts: readonly Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};
const messages = (events: readonly ConnectionEvent[]) =>
  events.flatMap((event) => (event.type === "text" ? [`text:${event.data}${event.compressed ? " (compressed)" : ""}`] : event.type === "error" ? [`error:${event.error.code}:${event.error.closeCode}`] : []));

function client(params: DeflateParams = takeover, options = {}) {
  return new Connection("client", { deflate: { params }, ...options });
}

describe("RFC 7692 §7.2.3 examples, received by a client", () => {
  const cases: Array<[string, string[], string[]]> = [
    ["7.2.3.1 a message compressed in one frame", ["c1 07 f2 48 cd c9 c9 07 00"], ["text:Hello (compressed)"]],
    ["7.2.3.1 the same message in two fragments", ["41 03 f2 48 cd", "80 04 c9 c9 07 00"], ["text:Hello (compressed)"]],
    ["7.2.3.2 the second Hello refers back into the first (context takeover)", ["c1 07 f2 48 cd c9 c9 07 00", "c1 05 f2 00 11 00 00"], ["text:Hello (compressed)", "text:Hello (compressed)"]],
    ["7.2.3.3 a DEFLATE block with no compression", ["c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00"], ["text:Hello (compressed)"]],
    ["7.2.3.4 a DEFLATE block with BFINAL set", ["c1 08 f3 48 cd c9 c9 07 00 00"], ["text:Hello (compressed)"]],
    ["7.2.3.5 two DEFLATE blocks in one message", ["c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00"], ["text:Hello (compressed)"]],
  ];
  test.each(cases)("%s", (_name, frames, expected) => {
    const conn = client();
    for (const frame of frames) conn.receiveData(hex(frame));
    expect(messages(conn.eventsReceived())).toEqual(expected);
  });

  test("a BFINAL message followed by another one, with context takeover", () => {
    const conn = client();
    conn.receiveData(hex("c1 08 f3 48 cd c9 c9 07 00 00"));
    conn.receiveData(hex("c1 05 f2 00 11 00 00"));
    expect(messages(conn.eventsReceived())).toEqual(["text:Hello (compressed)", "text:Hello (compressed)"]);
  });

  test("without context takeover the second frame's back-reference has nothing to refer to", () => {
    const conn = client(noTakeover);
    conn.receiveData(hex("c1 07 f2 48 cd c9 c9 07 00"));
    conn.receiveData(hex("c1 05 f2 00 11 00 00"));
    expect(messages(conn.eventsReceived())).toEqual(["text:Hello (compressed)", "error:invalid-compressed-data:1007"]);
  });
});

describe("sending compressed messages", () => {
  const sentHex = (conn: Connection) => conn.dataToSend().map((bytes) => toHex(bytes, " "));

  test("a server with context takeover sends the RFC's two frames for Hello, Hello", () => {
    const conn = new Connection("server", { deflate: { params: takeover } });
    conn.sendText("Hello");
    conn.sendText("Hello");
    expect(sentHex(conn)).toEqual(["c1 07 f2 48 cd c9 c9 07 00", "c1 05 f2 00 11 00 00"]);
  });

  test("without context takeover each Hello is compressed on its own", () => {
    const conn = new Connection("server", { deflate: { params: noTakeover } });
    conn.sendText("Hello");
    conn.sendText("Hello");
    expect(sentHex(conn)).toEqual(["c1 07 f2 48 cd c9 c9 07 00", "c1 07 f2 48 cd c9 c9 07 00"]);
  });

  test("compress: false sends a plain frame, which leaves the window alone", () => {
    const conn = new Connection("server", { deflate: { params: takeover } });
    conn.sendText("Hello", { compress: false });
    conn.sendText("Hello");
    expect(sentHex(conn)).toEqual(["81 05 48 65 6c 6c 6f", "c1 07 f2 48 cd c9 c9 07 00"]);
  });

  test("a connection without the extension never sets RSV1", () => {
    const conn = new Connection("server");
    conn.sendText("Hello");
    expect(sentHex(conn)).toEqual(["81 05 48 65 6c 6c 6f"]);
  });
});

describe("RSV1 rules", () => {
  const receive = (params: DeflateParams | null, ...frames: FrameInit[]) => {
    const conn = new Connection("server", params ? { deflate: { params } } : {});
    conn.receiveData(join(...frames.map(fromClient)));
    return messages(conn.eventsReceived());
  };

  test("RSV1 without the extension fails with 1002", () => {
    expect(receive(null, { opcode: 1, rsv1: true, payload: hex("f2 48 cd c9 c9 07 00") })).toEqual(["error:reserved-bits:1002"]);
  });

  test("RSV1 on a control frame fails with 1002 even with the extension", () => {
    expect(receive(takeover, { opcode: 9, rsv1: true, payload: "" })).toEqual(["error:compressed-control:1002"]);
  });

  test("RSV1 on a continuation frame fails with 1002", () => {
    expect(receive(takeover, { opcode: 1, fin: false, rsv1: true, payload: hex("f2 48 cd") }, { opcode: 0, rsv1: true, payload: hex("c9 c9 07 00") })).toEqual([
      "error:compressed-continuation:1002",
    ]);
  });

  test("RSV2 and RSV3 stay forbidden with permessage-deflate", () => {
    expect(receive(takeover, { opcode: 1, rsv2: true, payload: "x" })).toEqual(["error:reserved-bits:1002"]);
  });

  test("a plain message between compressed ones is read as it is", () => {
    expect(receive(takeover, { opcode: 1, rsv1: true, payload: hex("f2 48 cd c9 c9 07 00") }, { opcode: 1, payload: "plain" })).toEqual([
      "text:Hello (compressed)",
      "text:plain",
    ]);
  });

  test("a compressed text message that inflates to invalid UTF-8 fails with 1007", () => {
    const compressed = new Connection("server", { deflate: { params: noTakeover } });
    compressed.sendBinary(hex("ce ba e1 bd b9 cf 83 ff"));
    const frame = compressed.dataToSend()[0]!;
    // The same payload, sent by a client as text.
    const payload = frame.subarray(2);
    expect(receive(noTakeover, { opcode: 1, rsv1: true, payload })).toEqual(["error:invalid-utf8:1007"]);
  });
});

describe("decompression bombs", () => {
  const bomb = (size: number) => {
    const sender = new Connection("client", { deflate: { params: noTakeover }, randomBytes: (n) => new Uint8Array(n) });
    sender.sendBinary(new Uint8Array(size));
    return join(...sender.dataToSend());
  };

  test("a small frame that inflates past maxPayload fails with 1009, having produced at most the limit", () => {
    const wire = bomb(10 * 1024 * 1024);
    expect(wire.length).toBeLessThan(20 * 1024);
    const conn = new Connection("server", { deflate: { params: noTakeover }, maxPayload: 64 * 1024 });
    conn.receiveData(wire);
    const events = conn.eventsReceived();
    expect(events.find((event) => event.type === "error")).toMatchObject({ error: { code: "message-too-big", closeCode: 1009 } });
    expect(conn.bytesHeld).toBeLessThan(64 * 1024);
  });

  test("a message exactly at the limit passes", () => {
    const conn = new Connection("server", { deflate: { params: noTakeover }, maxPayload: 4096 });
    conn.receiveData(bomb(4096));
    expect(conn.eventsReceived().map((event) => event.type)).toEqual(["frame", "binary"]);
  });

  test("the pako codec stops inflating one byte past the limit", () => {
    const compressed = pakoCodec.deflate(new Uint8Array(1 << 20), null, 15);
    expect(pakoCodec.inflate(compressed, null, 15, 1000)).toBeNull();
    expect(pakoCodec.inflate(compressed, null, 15, 1 << 20)?.length).toBe(1 << 20);
  });

  test("bytes that are not DEFLATE fail with 1007", () => {
    const conn = new Connection("server", { deflate: { params: takeover } });
    conn.receiveData(fromClient({ opcode: 2, rsv1: true, payload: hex("ff ff ff ff") }));
    expect(conn.eventsReceived().find((event) => event.type === "error")).toMatchObject({ error: { code: "invalid-compressed-data", closeCode: 1007 } });
  });
});

describe("memory held for context takeover", () => {
  test("the windows are counted in bytesHeld, and released when the connection closes", () => {
    const conn = new Connection("server", { deflate: { params: takeover } });
    expect(conn.bytesHeld).toBe(0);
    conn.receiveData(fromClient({ opcode: 1, rsv1: true, payload: hex("f2 48 cd c9 c9 07 00") }));
    conn.sendText("Hello");
    conn.dataToSend();
    expect(conn.bytesHeld).toBeGreaterThan(0);
    expect(conn.bytesHeld).toBeLessThanOrEqual(2 * 2 * 32 * 1024);
    conn.receiveData(fromClient({ opcode: 8, payload: hex("03 e8") }));
    conn.dataToSend();
    expect(conn.bytesHeld).toBe(0);
  });

  test("without context takeover nothing is kept between messages", () => {
    const conn = new Connection("server", { deflate: { params: noTakeover } });
    conn.receiveData(fromClient({ opcode: 1, rsv1: true, payload: hex("f2 48 cd c9 c9 07 00") }));
    conn.sendText("Hello");
    conn.dataToSend();
    expect(conn.bytesHeld).toBe(0);
  });

  test("a window keeps exactly the last `size` bytes however messages are cut", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 700 }), { maxLength: 30 }), (pieces) => {
        const window = new SlidingWindow(512);
        for (const piece of pieces) window.push(piece);
        const all = join(...pieces);
        const expected = all.subarray(Math.max(0, all.length - 512));
        expect(toHex(window.contents ?? new Uint8Array(0))).toBe(toHex(expected));
        expect(window.bytesHeld).toBeLessThanOrEqual(1024);
      }),
    );
  });
});

describe("UTF-8 checked as the bytes of a frame arrive", () => {
  test("a text frame cut between chunks fails at the chunk with the bad byte, before the frame is whole", () => {
    // Autobahn 6.4.3 and 6.4.4 send a frame in pieces and expect the close after the bad piece.
    const payload = join(utf8("κόσμε"), hex("f4 90 80 80"), utf8("edited"));
    const wire = fromClient({ opcode: 1, payload });
    const conn = new Connection("server");
    const [first, second] = splitAt(wire, [8, 6 + 10 + 2]);
    conn.receiveData(first!);
    expect(conn.eventsReceived().map((event) => event.type)).toEqual([]);
    conn.receiveData(second!);
    expect(messages(conn.eventsReceived())).toEqual(["error:invalid-utf8:1007"]);
  });

  test("a valid frame cut anywhere is still delivered whole, and checked once", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), fc.array(fc.nat(300), { maxLength: 6 }), fc.boolean(), (text, cuts, fragmented) => {
        const bytes = utf8(text);
        const mid = bytes.length >> 1;
        const frames = fragmented
          ? [fromClient({ opcode: 1, fin: false, payload: bytes.subarray(0, mid) }), fromClient({ opcode: 0, payload: bytes.subarray(mid) })]
          : [fromClient({ opcode: 1, payload: bytes })];
        const conn = new Connection("server", { frameEvents: "none" });
        for (const chunk of splitAt(join(...frames), cuts)) conn.receiveData(chunk);
        expect(messages(conn.eventsReceived())).toEqual([`text:${text}`]);
      }),
    );
  });
});

describe("negotiation (RFC 7692 §5, §7)", () => {
  const decide = (header: string, policy: DeflatePolicy = {}) => acceptDeflate(parseExtensions(header), policy);

  test("what browsers offer is accepted as it is", () => {
    const { accepted } = decide("permessage-deflate; client_max_window_bits");
    expect(accepted?.header).toBe("permessage-deflate");
    expect(accepted?.params).toEqual(takeover);
  });

  test("a server may always choose server_no_context_takeover and limit the client's window when allowed", () => {
    const { accepted } = decide("permessage-deflate; client_max_window_bits", { serverNoContextTakeover: true, clientMaxWindowBits: 10 });
    expect(accepted?.header).toBe("permessage-deflate; server_no_context_takeover; client_max_window_bits=10");
    expect(accepted?.params).toEqual({ ...takeover, serverNoContextTakeover: true, clientMaxWindowBits: 10 });
  });

  test("the client's window is not limited when it did not offer client_max_window_bits", () => {
    expect(decide("permessage-deflate", { clientMaxWindowBits: 10 }).accepted?.params.clientMaxWindowBits).toBe(15);
  });

  test("server_max_window_bits asked for is answered with the same or a smaller value", () => {
    expect(decide("permessage-deflate; server_max_window_bits=10").accepted?.header).toBe("permessage-deflate; server_max_window_bits=10");
    expect(decide("permessage-deflate; server_max_window_bits=12", { serverMaxWindowBits: 9 }).accepted?.header).toBe("permessage-deflate; server_max_window_bits=9");
  });

  test("quoted values are read as tokens", () => {
    expect(decide('permessage-deflate; client_max_window_bits="10"').accepted?.params.clientMaxWindowBits).toBe(10);
  });

  test.each([
    ["an unknown parameter", "permessage-deflate; foo"],
    ["a repeated parameter", "permessage-deflate; server_no_context_takeover; server_no_context_takeover"],
    ["window bits below 8", "permessage-deflate; server_max_window_bits=7"],
    ["window bits above 15", "permessage-deflate; client_max_window_bits=16"],
    ["a leading zero", "permessage-deflate; server_max_window_bits=09"],
    ["server_max_window_bits without a value", "permessage-deflate; server_max_window_bits"],
    ["a value on a flag", "permessage-deflate; client_no_context_takeover=1"],
  ])("an offer with %s is declined", (_name, header) => {
    const decision = decide(header);
    expect(decision.accepted).toBeNull();
    expect(decision.declined).toHaveLength(1);
  });

  test("the first acceptable offer wins; other extensions are skipped", () => {
    const decision = decide("x-other, permessage-deflate; server_max_window_bits=20, permessage-deflate; client_no_context_takeover, permessage-deflate");
    expect(decision.accepted?.offerIndex).toBe(2);
    expect(decision.accepted?.params.clientNoContextTakeover).toBe(true);
    expect(decision.declined.map((entry) => entry.offerIndex)).toEqual([1]);
  });

  test("a client reads the response against its offer", () => {
    const read = (header: string, offered: DeflatePolicy = {}) => readDeflateResponse(parseExtensions(header), offered);
    expect(deflateOfferHeader()).toBe("permessage-deflate; client_max_window_bits");
    expect(read("")).toBeNull();
    expect(read("permessage-deflate; server_no_context_takeover; client_max_window_bits=9")).toEqual({ ...takeover, serverNoContextTakeover: true, clientMaxWindowBits: 9 });
    expect(() => read("permessage-deflate; client_max_window_bits")).toThrow(/needs a value/);
    expect(() => read("permessage-deflate, permessage-deflate")).toThrow(/more than once/);
    expect(() => read("permessage-deflate; foo")).toThrow(/unknown parameter/);
    expect(() => read("permessage-deflate; server_max_window_bits=12", { serverMaxWindowBits: 10 })).toThrow(/larger than asked/);
    expect(() => read("permessage-deflate", { serverNoContextTakeover: true })).toThrow(/not confirmed/);
    expect(() => read("permessage-deflate; client_max_window_bits=12", { clientMaxWindowBits: 10 })).toThrow(/larger than offered/);
  });
});

test("round trips through pako for every parameter combination", () => {
  deflateRoundTrip({ client: pakoCodec, server: createPakoCodec(1) });
});
