import { describe, expect, test } from "vitest";
import {
  buildClientRequest,
  Connection,
  encodeFrame,
  findHeadEnd,
  Opcode,
  parseHex,
  type ConnectionEvent,
} from "../protocol/index.ts";
import { ChatRooms } from "./chat-rooms.ts";
import { SandboxEndpoint, type SandboxOptions } from "./endpoint.ts";
import { parseInspectMessage, type InspectFrame, type InspectHandshake } from "./inspect.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const rfcKey = "dGhlIHNhbXBsZSBub25jZQ==";
const fixedMask = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]);

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function sandbox(options: Partial<SandboxOptions> = {}): SandboxEndpoint {
  return new SandboxEndpoint({ maxPayload: 1 << 20, maxFrameSize: 1 << 20, ...options });
}

function request(path = "/echo", extra: Record<string, string> = {}, protocols?: string[]): string {
  return buildClientRequest({ host: "127.0.0.1:4321", path, key: rfcKey, protocols, headers: extra });
}

/** Sends a head and returns the HTTP response text and any bytes after it. */
async function handshake(ep: SandboxEndpoint, head: string | Uint8Array): Promise<{ response: string; rest: Uint8Array }> {
  await ep.receive(typeof head === "string" ? encoder.encode(head) : head);
  const out = concat(ep.output());
  const end = findHeadEnd(out);
  const headEnd = end === -1 ? out.length : end;
  return { response: decoder.decode(out.subarray(0, headEnd)), rest: out.subarray(headEnd) };
}

/** A client side that reads what the sandbox writes. */
function client(): Connection {
  return new Connection("client", { randomBytes: () => fixedMask.slice() });
}

function read(clientSide: Connection, bytes: Uint8Array): ConnectionEvent[] {
  clientSide.receiveData(bytes);
  return clientSide.eventsReceived().filter((e) => e.type !== "frame");
}

async function openEcho(path = "/echo", options: Partial<SandboxOptions> = {}) {
  const ep = sandbox(options);
  const { response, rest } = await handshake(ep, request(path));
  expect(response).toMatch(/^HTTP\/1\.1 101 /);
  const peer = client();
  const initial = read(peer, rest);
  const exchange = (...frames: Uint8Array[]) => {
    const result = ep.receive(concat(frames));
    expect(result).toBeUndefined();
    return read(peer, concat(ep.output()));
  };
  return { ep, peer, initial, exchange };
}

function masked(opcode: number, payload: Uint8Array | string, fin = true): Uint8Array {
  return encodeFrame({ opcode, payload, fin, mask: fixedMask });
}

describe("opening handshake", () => {
  test("§1.3: the RFC's sample key is answered with s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", async () => {
    const { response } = await handshake(sandbox(), request());
    expect(response).toContain("HTTP/1.1 101 Switching Protocols\r\n");
    expect(response).toContain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
    expect(response).not.toContain("Sec-WebSocket-Protocol");
  });

  test("§4.2.2: the client's first supported subprotocol is chosen, unknown ones are declined by omission", async () => {
    expect((await handshake(sandbox(), request("/echo", {}, ["chat", "inspect.v1", "echo.v1"]))).response).toContain(
      "Sec-WebSocket-Protocol: inspect.v1\r\n",
    );
    expect((await handshake(sandbox(), request("/echo", {}, ["chat"]))).response).not.toContain("Sec-WebSocket-Protocol");
  });

  test("§9.1: a permessage-deflate offer is declined by leaving Sec-WebSocket-Extensions out", async () => {
    const { response } = await handshake(sandbox(), request("/echo", { "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits" }));
    expect(response).toMatch(/^HTTP\/1\.1 101 /);
    expect(response).not.toContain("Sec-WebSocket-Extensions");
  });

  test("a head that arrives one byte at a time is answered once the blank line is in", async () => {
    const ep = sandbox();
    const bytes = encoder.encode(request());
    const pending = [...bytes].map((byte) => ep.receive(new Uint8Array([byte])));
    await Promise.all(pending);
    expect(decoder.decode(concat(ep.output()))).toContain("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    expect(ep.state).toBe("open");
  });

  test("with a synchronous sha1 the upgrade is answered at once, in the same call", () => {
    const sha1 = (data: Uint8Array) => {
      // The RFC's sample: only the §1.3 key and GUID are ever hashed here.
      expect(decoder.decode(data)).toBe(`${rfcKey}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`);
      return parseHex("b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea");
    };
    const ep = sandbox({ sha1 });
    expect(ep.receive(concat([encoder.encode(request()), masked(Opcode.Text, "early")]))).toBeUndefined();
    const out = concat(ep.output());
    const end = findHeadEnd(out);
    expect(decoder.decode(out.subarray(0, end))).toContain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
    expect(read(client(), out.subarray(end))).toEqual([{ type: "text", data: "early" }]);
  });

  test("frame bytes in the same chunk as the head are read as frames", async () => {
    const ep = sandbox();
    const { rest } = await handshake(ep, concat([encoder.encode(request()), masked(Opcode.Text, "early")]));
    expect(read(client(), rest)).toEqual([{ type: "text", data: "early" }]);
  });

  const rejections: Array<[string, string, number, RegExp]> = [
    ["an unknown path", request("/chat"), 404, /no WebSocket endpoint at \/chat/],
    ["a POST", request().replace(/^GET/, "POST"), 405, /method-not-get/],
    ["version 8", request().replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"), 426, /version-unsupported/],
    ["a missing key", request().replace(/Sec-WebSocket-Key: .*\r\n/, ""), 400, /key-missing/],
    ["a malformed request line", "GET /echo\r\nHost: x\r\n\r\n", 400, /malformed-head/],
  ];
  for (const [what, head, status, reason] of rejections) {
    test(`${what} is answered with ${status} and a one-line reason, then the transport closes`, async () => {
      const ep = sandbox();
      const { response, rest } = await handshake(ep, head);
      expect(response).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      const body = decoder.decode(rest);
      expect(body).toMatch(reason);
      expect(body.trimEnd().split("\n")).toHaveLength(1);
      expect(ep.shouldCloseTransport).toBe(true);
      expect(ep.events()).toMatchObject([{ type: "rejected", status }]);
    });
  }

  test("§4.4: a 426 names the version the server speaks", async () => {
    const { response } = await handshake(sandbox(), request().replace("Version: 13", "Version: 7"));
    expect(response).toContain("Sec-WebSocket-Version: 13\r\n");
  });

  test("§10.2: an origin the check refuses gets 403; no Origin header passes", async () => {
    const check = (origin: string, host: string | null) => new URL(origin).host === host;
    const refused = await handshake(sandbox({ allowedOrigins: check }), request("/echo", { Origin: "https://evil.example" }));
    expect(refused.response).toMatch(/^HTTP\/1\.1 403 /);
    expect(decoder.decode(refused.rest)).toContain("origin-forbidden");
    const same = await handshake(sandbox({ allowedOrigins: check }), request("/echo", { Origin: "http://127.0.0.1:4321" }));
    expect(same.response).toMatch(/^HTTP\/1\.1 101 /);
    expect((await handshake(sandbox({ allowedOrigins: check }), request())).response).toMatch(/^HTTP\/1\.1 101 /);
    const listed = await handshake(sandbox({ allowedOrigins: ["https://a.example"] }), request("/echo", { Origin: "https://b.example" }));
    expect(listed.response).toMatch(/^HTTP\/1\.1 403 /);
  });

  test("a head longer than maxHeadSize without a blank line gets 431", async () => {
    const ep = sandbox({ maxHeadSize: 1024 });
    const { response } = await handshake(ep, `GET /echo HTTP/1.1\r\nX-Padding: ${"a".repeat(2000)}`);
    expect(response).toMatch(/^HTTP\/1\.1 431 /);
    expect(ep.shouldCloseTransport).toBe(true);
  });
});

describe("/echo", () => {
  test("text and binary messages come back as they were sent, unmasked (§5.1)", async () => {
    const { exchange } = await openEcho();
    expect(exchange(masked(Opcode.Text, "Hello"))).toEqual([{ type: "text", data: "Hello" }]);
    expect(exchange(masked(Opcode.Binary, new Uint8Array([0, 1, 255])))).toEqual([
      { type: "binary", data: new Uint8Array([0, 1, 255]) },
    ]);
    expect(exchange(masked(Opcode.Text, ""))).toEqual([{ type: "text", data: "" }]);
  });

  test("§5.4: a fragmented message with a ping between its fragments is echoed whole, after the pong", async () => {
    const { exchange } = await openEcho();
    const events = exchange(
      masked(Opcode.Text, "Hel", false),
      masked(Opcode.Ping, "p"),
      masked(Opcode.Continuation, "lo", true),
    );
    expect(events).toEqual([
      { type: "pong", payload: encoder.encode("p") },
      { type: "text", data: "Hello" },
    ]);
  });

  test("§5.5.1: a Close is answered with the same code and the transport then closes", async () => {
    const { ep, exchange } = await openEcho();
    const events = exchange(masked(Opcode.Close, new Uint8Array([0x0f, 0xa0, ...encoder.encode("bye")])));
    expect(events).toEqual([
      { type: "close", code: 4000, reason: "" },
      { type: "closed", code: 4000, reason: "", wasClean: true },
    ]);
    expect(ep.shouldCloseTransport).toBe(true);
    expect(ep.closeCode).toBe(4000);
    expect(ep.events()).toMatchObject([{ type: "opened" }, { type: "closed", code: 4000, reason: "bye", wasClean: true }]);
  });

  test("a message in the same chunk as the client's Close is echoed before the Close reply", async () => {
    const { exchange } = await openEcho();
    const events = exchange(masked(Opcode.Text, "last words"), masked(Opcode.Close, new Uint8Array([0x03, 0xe8])));
    expect(events.map((e) => e.type)).toEqual(["text", "close", "closed"]);
  });

  test("a message in the same chunk before a violation is echoed, then the error Close goes out and nothing after it", async () => {
    const { ep, exchange } = await openEcho();
    const events = exchange(masked(Opcode.Text, "first"), masked(3, "x"), masked(Opcode.Text, "never read"));
    expect(events).toMatchObject([{ type: "text", data: "first" }, { type: "close", code: 1002, reason: "reserved-opcode" }, { type: "closed" }]);
    expect(ep.closeCode).toBe(1002);
    expect(ep.shouldCloseTransport).toBe(true);
  });

  const violations: Array<[string, Uint8Array, number]> = [
    ["an unmasked frame", encodeFrame({ opcode: Opcode.Text, payload: "hi" }), 1002],
    ["a reserved opcode", masked(3, "x"), 1002],
    ["invalid UTF-8 in a text message", masked(Opcode.Text, new Uint8Array([0xc3, 0x28])), 1007],
    ["a frame over maxFrameSize", masked(Opcode.Binary, new Uint8Array(200)), 1009],
  ];
  for (const [what, frame, code] of violations) {
    test(`${what} fails the connection with close code ${code}`, async () => {
      const { ep, exchange } = await openEcho("/echo", { maxFrameSize: 150, maxPayload: 300 });
      const events = exchange(frame);
      expect(events[0]).toMatchObject({ type: "close", code });
      expect(ep.closeCode).toBe(code);
      expect(ep.shouldCloseTransport).toBe(true);
    });
  }

  test("§10.4: a message over maxPayload in small frames fails with 1009", async () => {
    const { ep, exchange } = await openEcho("/echo", { maxFrameSize: 150, maxPayload: 300 });
    const frames = [0, 1, 2].map((i) => masked(i === 0 ? Opcode.Binary : Opcode.Continuation, new Uint8Array(120), i === 2));
    expect(exchange(...frames)[0]).toMatchObject({ type: "close", code: 1009 });
    expect(ep.closeCode).toBe(1009);
  });

  test("shutdown sends Close 1001 after the echo of every message received, and nothing after it", async () => {
    const { ep, peer, exchange } = await openEcho();
    expect(exchange(masked(Opcode.Text, "before"))).toEqual([{ type: "text", data: "before" }]);
    ep.shutdown();
    expect(read(peer, concat(ep.output()))).toEqual([
      { type: "close", code: 1001, reason: "server shutting down" },
      { type: "closed", code: 1001, reason: "server shutting down", wasClean: true },
    ]);
    // A message the client sent before it saw our Close gets no echo (§5.5.1), only the wait goes on.
    expect(ep.receive(masked(Opcode.Text, "too late"))).toBeUndefined();
    expect(ep.output()).toEqual([]);
    expect(ep.shouldCloseTransport).toBe(false);
    ep.receive(concat(peer.dataToSend()));
    expect(ep.shouldCloseTransport).toBe(true);
    expect(ep.closeCode).toBe(1001);
  });

  test("shutdown during the opening handshake just closes the transport", () => {
    const ep = sandbox();
    void ep.receive(encoder.encode("GET /echo HTTP/1.1\r\n"));
    ep.shutdown();
    expect(ep.shouldCloseTransport).toBe(true);
    expect(ep.output()).toEqual([]);
  });

  test("the end of the transport without a Close is closure 1006", async () => {
    const { ep } = await openEcho();
    ep.events();
    ep.receiveEof();
    expect(ep.closeCode).toBe(1006);
    expect(ep.events()).toMatchObject([{ type: "closed", code: 1006, wasClean: false }]);
  });
});

describe("/inspect", () => {
  function texts(events: ConnectionEvent[]): string[] {
    return events.map((e) => (e.type === "text" ? e.data : `<${e.type}>`));
  }

  test("the first message describes the upgrade request as received", async () => {
    const ep = sandbox();
    const head = buildClientRequest({
      host: "127.0.0.1:4321",
      path: "/inspect?x=1",
      key: rfcKey,
      protocols: ["chat", "inspect.v1"],
      extensions: "permessage-deflate; client_max_window_bits",
      origin: "http://127.0.0.1:4321",
    });
    const { rest } = await handshake(ep, head);
    const [first] = read(client(), rest);
    const message = parseInspectMessage((first as { data: string }).data) as InspectHandshake;
    expect(message).toEqual({
      type: "handshake",
      requestLine: "GET /inspect?x=1 HTTP/1.1",
      headers: [
        ["Host", "127.0.0.1:4321"],
        ["Upgrade", "websocket"],
        ["Connection", "Upgrade"],
        ["Sec-WebSocket-Key", rfcKey],
        ["Sec-WebSocket-Version", "13"],
        ["Sec-WebSocket-Protocol", "chat, inspect.v1"],
        ["Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"],
        ["Origin", "http://127.0.0.1:4321"],
      ],
      origin: "http://127.0.0.1:4321",
      key: rfcKey,
      protocols: ["chat", "inspect.v1"],
      extensions: [{ name: "permessage-deflate", params: [{ name: "client_max_window_bits", value: null }] }],
      accept: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
      protocol: "inspect.v1",
    });
  });

  test("§5.7: the masked 'Hello' is described with its key 37fa213d, then echoed", async () => {
    const { initial, exchange } = await openEcho("/inspect");
    expect(initial).toHaveLength(1);
    const events = exchange(parseHex("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
    const description: InspectFrame = {
      type: "frame",
      fin: true,
      rsv1: false,
      rsv2: false,
      rsv3: false,
      opcode: 1,
      opcodeName: "text",
      masked: true,
      maskingKey: "37fa213d",
      payloadLength: 5,
      payloadHex: "48656c6c6f",
    };
    expect(texts(events)).toEqual([JSON.stringify(description), "Hello"]);
  });

  test("a long payload is shown in its first 64 bytes and marked truncated", async () => {
    const { exchange } = await openEcho("/inspect");
    const [description] = texts(exchange(masked(Opcode.Binary, new Uint8Array(300).fill(0xab))));
    const frame = JSON.parse(description!) as InspectFrame;
    expect(frame.payloadLength).toBe(300);
    expect(frame.payloadHex).toBe("ab".repeat(64));
    expect(frame.truncated).toBe(true);
  });

  test("each fragment is described before the whole message is echoed; a ping is described before its pong", async () => {
    const { exchange } = await openEcho("/inspect");
    const events = exchange(masked(Opcode.Text, "ab", false), masked(Opcode.Ping, "?"), masked(Opcode.Continuation, "c"));
    const summary = texts(events).map((t) => {
      const parsed = parseInspectMessage(t);
      return parsed?.type === "frame" ? `${parsed.opcodeName}:${parsed.fin}` : t;
    });
    expect(summary).toEqual(["text:false", "ping:true", "<pong>", "continuation:true", "abc"]);
  });

  test("the client's Close is described before the Close reply", async () => {
    const { exchange } = await openEcho("/inspect");
    const events = exchange(masked(Opcode.Close, new Uint8Array([0x03, 0xe8])));
    expect(JSON.parse(texts(events)[0]!)).toMatchObject({ opcodeName: "close", payloadHex: "03e8" });
    expect(events[1]).toMatchObject({ type: "close", code: 1000 });
  });
});

describe("/chat", () => {
  const room = "/chat?room=AAAAAAAAAAAAAAAAAAAAAA";

  test("without chat rooms /chat is a 404; with them it needs a well-formed room id", async () => {
    expect((await handshake(sandbox(), request(room))).response).toMatch(/^HTTP\/1\.1 404 /);
    const chat = new ChatRooms();
    expect((await handshake(sandbox({ chat }), request("/chat?room=lobby"))).response).toMatch(/^HTTP\/1\.1 400 /);
    expect((await handshake(sandbox({ chat }), request(room))).response).toMatch(/^HTTP\/1\.1 101 /);
  });

  test("what one member says reaches the other's endpoint, which tells its listener to write it", async () => {
    const chat = new ChatRooms();
    const alice = await openEcho(room, { chat });
    const bob = await openEcho(room, { chat });
    let woken = 0;
    bob.ep.outputListener = { outputReady: () => woken++ };
    alice.exchange(masked(Opcode.Text, '{"type":"hello","name":"alice"}'));
    bob.exchange(masked(Opcode.Text, '{"type":"hello","name":"bob"}'));
    woken = 0;
    alice.exchange(masked(Opcode.Text, '{"type":"say","text":"hi @bob"}'));
    expect(woken).toBe(1);
    const received = read(bob.peer, concat(bob.ep.output()));
    expect(received.map((e) => (e.type === "text" ? e.data : e.type))).toEqual(['{"type":"message","id":1,"from":"alice","parts":[{"text":"hi "},{"mention":"bob"}]}']);
  });

  test("a member whose connection closes leaves the room", async () => {
    const chat = new ChatRooms();
    const alice = await openEcho(room, { chat });
    alice.exchange(masked(Opcode.Text, '{"type":"hello","name":"alice"}'));
    expect(chat.roomCount).toBe(1);
    alice.exchange(masked(Opcode.Close, new Uint8Array([0x03, 0xe8])));
    expect(chat.roomCount).toBe(0);
  });
});
