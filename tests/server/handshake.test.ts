import { beforeAll, describe, expect, test } from "vitest";
import { encodeFrame, Opcode } from "../../src/protocol/index.ts";
import { rawConnect, rawWebSocket, startTestServer, upgradeRequest, type TestServer } from "./helpers.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ allowedOrigins: "https://partner.example" });
});

/** Sends raw bytes and returns everything the server wrote before it closed the connection. */
async function exchange(bytes: string | Uint8Array): Promise<string> {
  const raw = await rawConnect(server.port);
  raw.send(bytes);
  return (await raw.closed).toString("latin1");
}

function body(response: string): string {
  return response.slice(response.indexOf("\r\n\r\n") + 4);
}

describe("an Upgrade header that does not ask for websocket", () => {
  const h2c = (path: string) => `GET ${path} HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n`;

  test("on a page is ignored (RFC 9110 §7.8): the page is served over HTTP/1.1", async () => {
    const response = await exchange(h2c("/en/"));
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(body(response)).toContain("lesson text");
  });

  test("on /healthz is ignored: the health report is served", async () => {
    const response = await exchange(h2c("/healthz"));
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(body(response)).toContain(`"status":"ok"`);
  });

  test("on a WebSocket path gets the handshake's 400, as a plain GET would", async () => {
    const response = await exchange(h2c("/echo"));
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(body(response)).toMatch(/^upgrade-not-websocket: /);
  });
});

describe("opening handshake over TCP", () => {
  test("§1.3: the sample key gets 101 with s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", async () => {
    const raw = await rawConnect(server.port);
    raw.send(upgradeRequest(server.host));
    const response = (await raw.until((b) => b.includes("\r\n\r\n"))).toString("latin1");
    expect(response).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(response).toContain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
    raw.socket.destroy();
  });

  test("a frame sent in the same packet as the upgrade request is echoed", async () => {
    const raw = await rawConnect(server.port);
    const frame = encodeFrame({ opcode: Opcode.Text, payload: "eager", mask: true });
    raw.send(Buffer.concat([Buffer.from(upgradeRequest(server.host)), frame]));
    const reply = await raw.until((b) => b.includes("eager"));
    expect(reply.toString("latin1")).toMatch(/\r\n\r\n\x81\x05eager$/);
    raw.socket.destroy();
  });

  const cases: Array<[string, string, RegExp, RegExp]> = [
    ["a request without Sec-WebSocket-Key", upgradeRequest("h").replace(/Sec-WebSocket-Key: .*\r\n/, ""), /^HTTP\/1\.1 400 /, /^key-missing: /],
    ["a key that is not 16 bytes of base64", upgradeRequest("h").replace(/Key: .*\r\n/, "Key: c2hvcnQ=\r\n"), /^HTTP\/1\.1 400 /, /^key-wrong-length: /],
    ["a request without Host", upgradeRequest("h").replace("Host: h\r\n", ""), /^HTTP\/1\.1 400 /, /./],
    ["version 8", upgradeRequest("h").replace("Version: 13", "Version: 8"), /^HTTP\/1\.1 426 [^]*Sec-WebSocket-Version: 13\r\n/, /^version-unsupported: /],
    ["a POST with upgrade headers", upgradeRequest("h").replace(/^GET/, "POST"), /^HTTP\/1\.1 405 /, /^method-not-get: /],
    ["an unknown path", upgradeRequest("h", "/nowhere"), /^HTTP\/1\.1 404 /, /no WebSocket endpoint at \/nowhere/],
    ["an origin that is neither same-origin, localhost nor listed", upgradeRequest("h", "/echo", { Origin: "https://evil.example" }), /^HTTP\/1\.1 403 /, /^origin-forbidden: /],
    ["a plain GET of /echo without upgrade headers", "GET /echo HTTP/1.1\r\nHost: h\r\n\r\n", /^HTTP\/1\.1 400 /, /^upgrade-not-websocket: /],
    ["a request line that is not HTTP", "HELLO\r\n\r\n", /^HTTP\/1\.1 400 /, /./],
    ["two Host lines (RFC 9112 §3.2)", upgradeRequest("h").replace("Host: h\r\n", "Host: h\r\nHost: other\r\n"), /^HTTP\/1\.1 400 /, /^host-invalid: /],
    ["Host: a b", upgradeRequest("a b"), /^HTTP\/1\.1 400 /, /^host-invalid: /],
    ["an HTTP/2.0 request line", upgradeRequest("h").replace("HTTP/1.1", "HTTP/2.0"), /^HTTP\/1\.1 400 /, /^http-version: /],
    ["an absolute-form target naming another host", upgradeRequest("h").replace("GET /echo", "GET ws://other.example/echo"), /^HTTP\/1\.1 400 /, /^host-mismatch: /],
  ];
  for (const [what, request, status, reason] of cases) {
    test(`${what} is refused with the right status and a one-line reason, then the connection closes`, async () => {
      const response = await exchange(request);
      expect(response).toMatch(status);
      expect(body(response)).toMatch(reason);
      expect(body(response).trimEnd().split("\n")).toHaveLength(1);
    });
  }

  test("a head over 8 KiB gets 431", async () => {
    const response = await exchange(upgradeRequest("h").replace("\r\n\r\n", `\r\nX-Padding: ${"a".repeat(9000)}\r\n\r\n`));
    expect(response).toMatch(/^HTTP\/1\.1 431 /);
  });

  for (const origin of [null, "http://localhost:3000", "http://127.0.0.1:9999", "https://partner.example"]) {
    test(`origin ${origin ?? "(none)"} may connect`, async () => {
      const raw = await rawConnect(server.port);
      raw.send(upgradeRequest(server.host, "/echo", origin ? { Origin: origin } : {}));
      expect((await raw.until((b) => b.includes("\r\n\r\n"))).toString("latin1")).toMatch(/^HTTP\/1\.1 101 /);
      raw.socket.destroy();
    });
  }

  test("a page from the server's own origin may connect (Origin host equals Host)", async () => {
    const raw = await rawConnect(server.port);
    raw.send(upgradeRequest("ws-lab.example", "/echo", { Origin: "https://ws-lab.example" }));
    expect((await raw.until((b) => b.includes("\r\n\r\n"))).toString("latin1")).toMatch(/^HTTP\/1\.1 101 /);
    raw.socket.destroy();
  });
});

describe("protocol violations after the handshake", () => {
  const violations: Array<[string, (send: (op: number, p: Uint8Array | string, fin?: boolean) => void, raw: { send(b: Uint8Array): void }) => void, number]> = [
    ["an unmasked frame", (_, raw) => raw.send(encodeFrame({ opcode: Opcode.Text, payload: "hi" })), 1002],
    ["RSV1 without a negotiated extension", (_, raw) => raw.send(encodeFrame({ opcode: Opcode.Text, payload: "x", rsv1: true, mask: true })), 1002],
    ["a fragmented ping", (send) => send(Opcode.Ping, "x", false), 1002],
    ["a continuation with no message to continue", (send) => send(Opcode.Continuation, "x"), 1002],
    ["a text message that is not UTF-8", (send) => send(Opcode.Text, new Uint8Array([0xed, 0xa0, 0x80])), 1007],
    ["a close code that may not be sent (1005)", (send) => send(Opcode.Close, new Uint8Array([0x03, 0xed])), 1002],
  ];
  for (const [what, act, code] of violations) {
    test(`${what} is answered with Close ${code}, then the server closes TCP`, async () => {
      const ws = await rawWebSocket(server.port);
      act(ws.sendFrame, ws.raw);
      const events = await ws.waitFor((e) => e.some((x) => x.type === "close"));
      expect(events.find((e) => e.type === "close")).toMatchObject({ type: "close", code });
      await ws.raw.closed;
    });
  }
});
