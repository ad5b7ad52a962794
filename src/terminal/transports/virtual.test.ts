import { describe, expect, test } from "vitest";
import { encodeFrame, Opcode, parseHex, toHex } from "../../protocol/index.ts";
import { parseInspectMessage } from "../../sandbox/index.ts";
import { CoreClient } from "./coreClient.ts";
import { openVirtual, VIRTUAL_MAX_PAYLOAD } from "./virtual.ts";
import type { TransportEvent } from "./transport.ts";

const fixedMask = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]);
// Keys come from the same source: first the 16-byte Sec-WebSocket-Key, then 4 bytes per frame.
const randomBytes = (n: number) => (n === 4 ? fixedMask.slice() : new Uint8Array(n).fill(7));

async function until(events: TransportEvent[], done: (events: TransportEvent[]) => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!done(events)) {
    if (Date.now() > deadline) throw new Error(`timed out; events: ${JSON.stringify(events.map((e) => e.type))}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function connected(path = "/echo", protocols: string[] = []) {
  const events: TransportEvent[] = [];
  const client = openVirtual(path, protocols, (event) => events.push(event), { host: "localhost:4321", randomBytes });
  await until(events, (e) => e.some((x) => x.type === "open" || x.type === "handshake-failed"));
  return { client, events };
}

const wire = (events: TransportEvent[], direction: "out" | "in") =>
  events.flatMap((e) => (e.type === "wire" && e.direction === direction ? [toHex(e.bytes, " ")] : []));
const closeOf = (events: TransportEvent[]) => events.find((e) => e.type === "close");
const closedOf = (events: TransportEvent[]) => events.find((e) => e.type === "closed");

describe("the virtual transport", () => {
  test("§4.1: the request and the 101 response cross the in-page pipe as real HTTP text", async () => {
    const { client, events } = await connected("/echo", ["echo.v1"]);
    const request = events.find((e) => e.type === "request");
    const response = events.find((e) => e.type === "response");
    expect(request).toMatchObject({ text: expect.stringMatching(/^GET \/echo HTTP\/1\.1\r\nHost: localhost:4321\r\nUpgrade: websocket\r\n/) });
    expect(request && "text" in request && request.text).toContain("Sec-WebSocket-Key: BwcHBwcHBwcHBwcHBwcHBw==\r\n");
    expect(response && "text" in response && response.text).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n[\s\S]*Sec-WebSocket-Protocol: echo.v1\r\n\r\n$/);
    expect(events.find((e) => e.type === "open")).toEqual({ type: "open", protocol: "echo.v1" });
    expect(client.state).toBe("open");
  });

  test("§5.7: 'Hello' leaves masked with the client's key and comes back unmasked", async () => {
    const { client, events } = await connected();
    client.send({ kind: "text", text: "Hello" }, 1);
    await until(events, (e) => e.some((x) => x.type === "message"));
    expect(wire(events, "out")).toEqual(["81 85 37 fa 21 3d 7f 9f 4d 51 58"]);
    expect(wire(events, "in")).toEqual(["81 05 48 65 6c 6c 6f"]);
    expect(events.filter((e) => e.type === "message")).toEqual([{ type: "message", payload: { kind: "text", text: "Hello" } }]);
  });

  test("§5.4: a message sent in 3 fragments, split inside a character, is echoed whole", async () => {
    const { client, events } = await connected();
    client.send({ kind: "text", text: "привет" }, 3);
    await until(events, (e) => e.some((x) => x.type === "message"));
    const out = wire(events, "out");
    expect(out.map((hex) => hex.slice(0, 2))).toEqual(["01", "00", "80"]);
    expect(events.find((e) => e.type === "message")).toEqual({ type: "message", payload: { kind: "text", text: "привет" } });
  });

  test("a binary message of raw bytes is echoed as binary", async () => {
    const { client, events } = await connected();
    client.send({ kind: "binary", bytes: parseHex("00 ff 1b") }, 1);
    await until(events, (e) => e.some((x) => x.type === "message"));
    expect(wire(events, "in")).toEqual(["82 03 00 ff 1b"]);
  });

  test("§5.5.2: a Ping is answered by a Pong with the same payload", async () => {
    const { client, events } = await connected();
    client.ping("are you there");
    await until(events, (e) => e.some((x) => x.type === "pong"));
    const pong = events.find((e) => e.type === "pong");
    expect(pong && "payload" in pong && new TextDecoder().decode(pong.payload)).toBe("are you there");
    expect(wire(events, "in")[0]).toMatch(/^8a 0d /);
  });

  test("§5.5.1: close 1000 gets a Close 1000 back and ends cleanly", async () => {
    const { client, events } = await connected();
    client.close(1000, "bye");
    await until(events, (e) => e.some((x) => x.type === "closed"));
    expect(wire(events, "out")).toEqual([toHex(encodeFrame({ opcode: Opcode.Close, payload: parseHex("03 e8 62 79 65"), mask: fixedMask }), " ")]);
    expect(wire(events, "in")).toEqual(["88 02 03 e8"]);
    expect(closedOf(events)).toEqual({ type: "closed", code: 1000, reason: "", wasClean: true });
    expect(client.state).toBe("closed");
  });

  const violations = [
    ["§5.1: an unmasked frame", "81 05 48 65 6c 6c 6f", 1002, "unmasked-client-frame"],
    ["§5.2: a reserved opcode", "83 80 00 00 00 00", 1002, "reserved-opcode"],
    ["§8.1: invalid UTF-8 in a text frame", "81 82 00 00 00 00 c3 28", 1007, "invalid-utf8"],
    ["§10.4: a frame over the virtual server's 64 KiB limit", "82 ff 00 00 00 00 00 01 00 01", 1009, "message-too-big"],
  ] as const;
  for (const [name, hex, code, reason] of violations) {
    test(`${name} (raw ${hex}) earns a Close ${code} from the server`, async () => {
      const { client, events } = await connected();
      client.raw(parseHex(hex));
      await until(events, (e) => e.some((x) => x.type === "closed"));
      expect(wire(events, "out")[0]).toBe(hex);
      expect(closeOf(events)).toEqual({ type: "close", code, reason: expect.stringMatching(reason === "message-too-big" ? /-too-big$/ : reason) });
      // 5.5.1: the client answers the server's Close with its own.
      expect(wire(events, "out")[1]).toMatch(/^88 82 /);
    });
  }

  test("the limit it advertises is the one it enforces", async () => {
    const { client, events } = await connected();
    client.send({ kind: "binary", bytes: new Uint8Array(VIRTUAL_MAX_PAYLOAD) }, 1);
    await until(events, (e) => e.some((x) => x.type === "message"));
    client.send({ kind: "binary", bytes: new Uint8Array(VIRTUAL_MAX_PAYLOAD + 1) }, 1);
    await until(events, (e) => e.some((x) => x.type === "closed"));
    expect(closeOf(events)).toMatchObject({ code: 1009 });
  });

  test("/inspect reports the request, then each frame with the client's masking key, then echoes", async () => {
    const { client, events } = await connected("/inspect");
    client.send({ kind: "text", text: "hi" }, 1);
    await until(events, (e) => e.filter((x) => x.type === "message").length === 3);
    const texts = events.flatMap((e) => (e.type === "message" && e.payload.kind === "text" ? [e.payload.text] : []));
    expect(parseInspectMessage(texts[0]!)).toMatchObject({ type: "handshake", requestLine: "GET /inspect HTTP/1.1" });
    expect(parseInspectMessage(texts[1]!)).toMatchObject({ type: "frame", maskingKey: "37fa213d", payloadHex: "6869" });
    expect(texts[2]).toBe("hi");
  });

  test("a path the sandbox does not serve fails the handshake with the 404 it got", async () => {
    const { client, events } = await connected("/nowhere");
    expect(events.find((e) => e.type === "handshake-failed")).toEqual({
      type: "handshake-failed",
      code: "response-status",
      status: 404,
      refusal: { code: "not-found", line: "not-found: no WebSocket endpoint at /nowhere; try /echo or /inspect" },
    });
    expect(client.state).toBe("closed");
  });
});

describe("a refusal read by the core client", () => {
  /** A client whose link records what it wrote and whether it ended our side. */
  function client() {
    const events: TransportEvent[] = [];
    const link = { ended: false, write: () => {}, end: () => void (link.ended = true) };
    const core = new CoreClient("tcp", "ws://example.test/chat", { host: "example.test", path: "/chat", protocols: [] }, (e) => events.push(e));
    core.attach(link);
    return { core, events, link };
  }
  const bytes = (text: string) => new TextEncoder().encode(text);
  const failed = (events: TransportEvent[]) => events.filter((e) => e.type === "handshake-failed");

  test("the reason is awaited after the head and read once its line has ended, however it is cut", async () => {
    const { core, events, link } = client();
    core.receive(bytes("HTTP/1.1 403 Forbidden\r\nContent-Length: 27\r\n\r\norigin-for"));
    await until(events, (e) => e.some((x) => x.type === "response"));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(failed(events)).toEqual([]);
    expect(link.ended).toBe(false);
    core.receive(bytes("bidden: no\n"));
    await until(events, (e) => e.some((x) => x.type === "handshake-failed"));
    expect(failed(events)).toEqual([
      { type: "handshake-failed", code: "response-status", status: 403, refusal: { code: "origin-forbidden", line: "origin-forbidden: no" } },
    ]);
    expect(link.ended).toBe(true);
    expect(core.state).toBe("closed");
  });

  test("a server that closes before its reason line ends is reported with what it sent", async () => {
    const { core, events } = client();
    core.receive(bytes("HTTP/1.1 500 Internal Server Error\r\n\r\nbroken"));
    core.receiveEnd();
    await until(events, (e) => e.some((x) => x.type === "handshake-failed"));
    expect(failed(events)).toEqual([{ type: "handshake-failed", code: "response-status", status: 500, refusal: { code: null, line: "broken" } }]);
  });

  test("a 101 that fails a check is reported at once, with no refusal to read", async () => {
    const { core, events } = client();
    core.receive(bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"));
    await until(events, (e) => e.some((x) => x.type === "handshake-failed"));
    expect(failed(events)).toEqual([{ type: "handshake-failed", code: "accept-missing", status: 101, refusal: null }]);
  });
});
