import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  acceptSteps,
  answerClientRequest,
  buildClientRequest,
  buildHttpError,
  buildServerResponse,
  checkClientRequest,
  checkServerResponse,
  chooseSubprotocol,
  computeAccept,
  computeAcceptWith,
  findHeadEnd,
  generateKey,
  httpErrorFor,
  keyProblem,
  MAX_REFUSAL_BODY,
  parseExtensions,
  parseProtocols,
  parseRequestHead,
  parseResponseHead,
  readRefusal,
} from "./handshake.ts";
import { HandshakeError } from "./errors.ts";
import { utf8 } from "./test-helpers.ts";

const rfcKey = "dGhlIHNhbXBsZSBub25jZQ==";
const request = (overrides: Record<string, string | null> = {}, requestLine = "GET /chat HTTP/1.1") => {
  const headers: Record<string, string | null> = {
    Host: "server.example.com",
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": rfcKey,
    "Sec-WebSocket-Version": "13",
    ...overrides,
  };
  const lines = Object.entries(headers).flatMap(([name, value]) => (value === null ? [] : [`${name}: ${value}`]));
  return [requestLine, ...lines].join("\r\n") + "\r\n\r\n";
};

describe("the accept key", () => {
  test("§1.3: dGhlIHNhbXBsZSBub25jZQ== is accepted with s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", async () => {
    expect(await computeAccept(rfcKey)).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  test("§1.3: with a synchronous SHA-1 from the caller the same key gives the same accept value", () => {
    const sha1 = (data: Uint8Array) => new Uint8Array(createHash("sha1").update(data).digest());
    expect(computeAcceptWith(rfcKey, sha1)).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  });

  test("the steps show the key with the GUID, its SHA-1 and the base64", async () => {
    expect(await acceptSteps(rfcKey)).toEqual({
      concatenated: "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
      sha1Hex: "b37a4f2cc0624f1690f64606cf385945b2bec4ea",
      accept: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
    });
  });

  test("keyProblem accepts only base64 of exactly 16 bytes", () => {
    expect(keyProblem(rfcKey)).toBeNull();
    expect(keyProblem(undefined)).toBe("key-missing");
    expect(keyProblem(" ")).toBe("key-missing");
    expect(keyProblem("not base64!")).toBe("key-not-base64");
    expect(keyProblem("dGhlIHNhbXBsZSBub25jZR==")).toBe("key-not-base64");
    expect(keyProblem("c2hvcnQ=")).toBe("key-wrong-length");
  });

  test("generateKey gives 16 random bytes in base64", () => {
    expect(generateKey(() => new Uint8Array(16).fill(1))).toBe("AQEBAQEBAQEBAQEBAQEBAQ==");
    expect(keyProblem(generateKey())).toBeNull();
  });
});

describe("checking a client's upgrade request", () => {
  test("the §1.3 request passes every named check", () => {
    const result = checkClientRequest(request());
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => [c.id, c.passed])).toEqual([
      ["method", true], ["http-version", true], ["host", true], ["upgrade", true], ["connection", true],
      ["key", true], ["version", true], ["protocols", true], ["extensions", true],
    ]);
    expect(result.key).toBe(rfcKey);
  });

  test("an absolute-form target naming the Host, and hosts with ports and IP literals, pass", () => {
    expect(checkClientRequest(request({}, "GET http://SERVER.example.com/chat HTTP/1.1")).ok).toBe(true);
    expect(checkClientRequest(request({ Host: "127.0.0.1:4321" })).ok).toBe(true);
    expect(checkClientRequest(request({ Host: "[::1]:4321" })).ok).toBe(true);
  });

  test("token lists are read case-insensitively", () => {
    expect(checkClientRequest(request({ Upgrade: "WebSocket", Connection: "keep-alive, UPGRADE" })).ok).toBe(true);
  });

  const failures: Array<[string, string, string, number]> = [
    ["a POST", request({}, "POST /chat HTTP/1.1"), "method-not-get", 405],
    ["HTTP/1.0", request({}, "GET /chat HTTP/1.0"), "http-version", 400],
    ["no Host", request({ Host: null }), "host-missing", 400],
    ["HTTP/2.0 in a request line", request({}, "GET /chat HTTP/2.0"), "http-version", 400],
    ["two Host lines (RFC 9112 §3.2)", request({}).replace("\r\n\r\n", "\r\nHost: other.example\r\n\r\n"), "host-invalid", 400],
    ["Host: a b", request({ Host: "a b" }), "host-invalid", 400],
    ["an absolute-form target naming another host", request({}, "GET ws://other.example/chat HTTP/1.1"), "host-mismatch", 400],
    ["Upgrade: h2c", request({ Upgrade: "h2c" }), "upgrade-not-websocket", 400],
    ["Connection: keep-alive", request({ Connection: "keep-alive" }), "connection-not-upgrade", 400],
    ["no key", request({ "Sec-WebSocket-Key": null }), "key-missing", 400],
    ["a key that is not base64", request({ "Sec-WebSocket-Key": "%%%%" }), "key-not-base64", 400],
    ["a key of 8 bytes", request({ "Sec-WebSocket-Key": "AAAAAAAAAAA=" }), "key-wrong-length", 400],
    ["no version", request({ "Sec-WebSocket-Version": null }), "version-missing", 426],
    ["version 8", request({ "Sec-WebSocket-Version": "8" }), "version-unsupported", 426],
    ["a repeated subprotocol", request({ "Sec-WebSocket-Protocol": "chat, chat" }), "protocols-invalid", 400],
    ["a broken extension list", request({ "Sec-WebSocket-Extensions": "foo; =bar" }), "extensions-invalid", 400],
    ["a malformed head", "GET /chat\r\n\r\n", "malformed-head", 400],
    ["a header without a colon", "GET / HTTP/1.1\r\nHost example\r\n\r\n", "malformed-head", 400],
  ];
  for (const [name, text, code, status] of failures) {
    test(`${name} fails with ${status} ${code}`, async () => {
      const result = checkClientRequest(text);
      expect(result.ok).toBe(false);
      expect(result.error).toMatchObject({ code, status });
      const answer = await answerClientRequest(text);
      expect(answer.response.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
      expect(answer.response).toContain(code);
    });
  }

  test("every failing check is reported, not only the first", () => {
    const result = checkClientRequest(request({ Host: null, "Sec-WebSocket-Version": "8" }, "PUT / HTTP/1.1"));
    expect(result.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(["method", "host", "version"]);
    expect(result.error?.code).toBe("method-not-get");
  });

  test("a 426 names the version we speak and a 405 the method we allow", () => {
    expect(buildHttpError(426, "version-unsupported")).toContain("\r\nSec-WebSocket-Version: 13\r\n");
    expect(buildHttpError(405, "method-not-get")).toContain("\r\nAllow: GET\r\n");
    const response = buildHttpError(400, "key-missing: no key", { "X-Reason": "key" });
    expect(response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(response).toContain("Content-Length: 20\r\n");
    expect(response).toContain("X-Reason: key\r\n");
    expect(response.endsWith("\r\n\r\nkey-missing: no key\n")).toBe(true);
  });

  test("an origin outside the allow-list fails with 403; a request without Origin passes", () => {
    const allowedOrigins = ["https://ws-lab.example"];
    expect(checkClientRequest(request({ Origin: "https://evil.example" }), { allowedOrigins }).error).toMatchObject({
      code: "origin-forbidden",
      status: 403,
    });
    expect(checkClientRequest(request({ Origin: "https://ws-lab.example" }), { allowedOrigins }).ok).toBe(true);
    expect(checkClientRequest(request(), { allowedOrigins }).ok).toBe(true);
  });
});

describe("negotiation", () => {
  test("the server picks the client's most preferred subprotocol it supports, or none", () => {
    expect(parseProtocols(" chat ,superchat")).toEqual(["chat", "superchat"]);
    expect(chooseSubprotocol(["chat", "superchat"], ["superchat", "chat"])).toBe("chat");
    expect(chooseSubprotocol(["chat"], ["mqtt"])).toBeNull();
  });

  test("extension offers are parsed with their parameters, quoted values included", () => {
    expect(parseExtensions('permessage-deflate; client_max_window_bits, x-webkit-deflate-frame, foo; bar="10" ;baz=x')).toEqual([
      { name: "permessage-deflate", params: [{ name: "client_max_window_bits", value: null }] },
      { name: "x-webkit-deflate-frame", params: [] },
      { name: "foo", params: [{ name: "bar", value: "10" }, { name: "baz", value: "x" }] },
    ]);
    expect(parseExtensions("")).toEqual([]);
    expect(() => parseExtensions('foo; bar="unterminated')).toThrow(expect.objectContaining({ code: "extensions-invalid" }));
  });

  test("the 101 answers with the accept key and only the chosen subprotocol", async () => {
    const answer = await answerClientRequest(request({ "Sec-WebSocket-Protocol": "chat, superchat" }), { protocols: ["superchat"] });
    expect(answer.response).toBe(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: superchat\r\n\r\n",
    );
    const none = await answerClientRequest(request({ "Sec-WebSocket-Protocol": "chat" }), { protocols: ["mqtt"] });
    expect(none.response).not.toContain("Sec-WebSocket-Protocol");
  });
});

describe("the client checks the server's response", () => {
  const expected = { key: rfcKey, protocols: ["chat"] };
  const good = buildServerResponse({ accept: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", protocol: "chat" });

  test("a correct 101 passes and reports the subprotocol", async () => {
    const result = await checkServerResponse(good, expected);
    expect(result.ok).toBe(true);
    expect(result.protocol).toBe("chat");
  });

  const bad: Array<[string, string, string]> = [
    ["a 200 instead of 101", good.replace("101 Switching Protocols", "200 OK"), "response-status"],
    ["a missing Upgrade", good.replace("Upgrade: websocket\r\n", ""), "response-upgrade"],
    ["a Connection without upgrade", good.replace("Connection: Upgrade", "Connection: close"), "response-connection"],
    ["no accept key", good.replace(/Sec-WebSocket-Accept: .*\r\n/, ""), "accept-missing"],
    ["a wrong accept key", good.replace("s3pP", "AAAA"), "accept-mismatch"],
    ["a subprotocol not offered", good.replace("Protocol: chat", "Protocol: mqtt"), "protocol-unrequested"],
    ["an extension not offered", good.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"), "extension-unrequested"],
    ["a malformed status line", "HTTP/1.1 abc\r\n\r\n", "response-malformed"],
  ];
  for (const [name, response, code] of bad) {
    test(`${name} fails with ${code}`, async () => {
      const result = await checkServerResponse(response, expected);
      expect(result.ok).toBe(false);
      expect(result.error).toMatchObject({ code, status: null });
    });
  }
});

describe("heads", () => {
  test("the client request round-trips through the server's parser", () => {
    const text = buildClientRequest({ host: "localhost:8080", path: "/echo", key: rfcKey, protocols: ["chat"], origin: "http://localhost" });
    const head = parseRequestHead(text);
    expect(head).toMatchObject({ method: "GET", target: "/echo", httpVersion: "1.1" });
    expect(head.headers.get("sec-websocket-protocol")).toBe("chat");
    expect(checkClientRequest(head).ok).toBe(true);
  });

  test("findHeadEnd finds the byte after the blank line, or -1", () => {
    const bytes = new Uint8Array([...utf8("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0x81, 0x00]);
    expect(findHeadEnd(bytes)).toBe(bytes.length - 2);
    expect(findHeadEnd(bytes.subarray(0, bytes.length - 3))).toBe(-1);
  });

  test("repeated header fields are joined with commas", () => {
    const head = parseRequestHead("GET / HTTP/1.1\r\nSec-WebSocket-Protocol: a\r\nsec-websocket-protocol: b\r\n\r\n");
    expect(head.headers.get("sec-websocket-protocol")).toBe("a, b");
    expect(head.rawHeaders).toHaveLength(2);
  });
});

describe("reading why a server refused the upgrade", () => {
  /** The head and the body bytes of a whole HTTP response. */
  const split = (response: string) => {
    const bytes = utf8(response);
    const end = findHeadEnd(bytes);
    return { head: parseResponseHead(bytes.subarray(0, end)), body: bytes.subarray(end) };
  };

  test("a 403 from httpErrorFor gives back its stable code and first line", () => {
    const { head, body } = split(httpErrorFor(new HandshakeError("origin-forbidden", 403, "origin http://evil is not allowed")));
    expect(readRefusal(head, body, false)).toEqual({ code: "origin-forbidden", line: "origin-forbidden: origin http://evil is not allowed" });
  });

  test("the reason is read from any cut of the body once its line has ended", () => {
    const { head, body } = split(buildHttpError(404, "not-found: no WebSocket endpoint at /nope"));
    for (let cut = 0; cut < body.length; cut++) {
      const partial = body.subarray(0, cut);
      const complete = partial.includes(10);
      expect(readRefusal(head, partial, false)).toEqual(complete ? { code: "not-found", line: "not-found: no WebSocket endpoint at /nope" } : null);
    }
  });

  test("the end of the stream settles a body that never ended its line", () => {
    const head = parseResponseHead("HTTP/1.1 400 Bad Request\r\n\r\n");
    expect(readRefusal(head, utf8("key-missing: no key"), false)).toBeNull();
    expect(readRefusal(head, utf8("key-missing: no key"), true)).toEqual({ code: "key-missing", line: "key-missing: no key" });
    expect(readRefusal(head, new Uint8Array(0), true)).toEqual({ code: null, line: "" });
  });

  test("Content-Length bounds the body and MAX_REFUSAL_BODY bounds a body without one", () => {
    const short = parseResponseHead("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\n");
    expect(readRefusal(short, utf8("busy, and more"), false)).toEqual({ code: null, line: "busy" });
    const open = parseResponseHead("HTTP/1.1 500 Internal Server Error\r\n\r\n");
    expect(readRefusal(open, utf8("x".repeat(MAX_REFUSAL_BODY - 1)), false)).toBeNull();
    expect(readRefusal(open, utf8("x".repeat(MAX_REFUSAL_BODY + 50)), false)).toEqual({ code: null, line: "x".repeat(MAX_REFUSAL_BODY) });
  });

  test("a body that does not start with a kebab-case code is kept as a raw line only", () => {
    const head = parseResponseHead("HTTP/1.1 200 OK\r\n\r\n");
    for (const line of ["<!DOCTYPE html>", "Not-Found: capitalised", "not found: spaced", "error.not-found: dotted", "not-found:glued"]) {
      expect(readRefusal(head, utf8(`${line}\r\n`), false)).toEqual({ code: null, line });
    }
  });

  test("a chunked or compressed body, or a status that has none, is not waited for", () => {
    const heads = ["404 Not Found\r\nTransfer-Encoding: chunked", "404 Not Found\r\nContent-Encoding: gzip", "204 No Content", "304 Not Modified", "100 Continue"];
    for (const head of heads) {
      expect(readRefusal(parseResponseHead(`HTTP/1.1 ${head}\r\n\r\n`), new Uint8Array(0), false)).toEqual({ code: null, line: "" });
    }
  });
});
