import { beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import { parseInspectMessage, type InspectFrame, type InspectHandshake } from "../../src/sandbox/index.ts";
import { closeEvent, nextMessage, openWs, startTestServer, type TestServer } from "./helpers.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

type NativeWebSocket = globalThis.WebSocket;

const sizes = [0, 1, 125, 126, 65535, 65536, 1024 * 1024];

function pattern(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

/** Node's built-in WebSocket (undici), opened and waiting for its open event. */
function openNative(url: string, protocols?: string[]): Promise<NativeWebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new globalThis.WebSocket(url, protocols);
    ws.binaryType = "arraybuffer";
    ws.addEventListener("open", () => resolve(ws), { once: true });
    ws.addEventListener("error", () => reject(new Error("websocket error")), { once: true });
  });
}

function nativeMessage(ws: NativeWebSocket): Promise<string | ArrayBuffer> {
  return new Promise((resolve) => ws.addEventListener("message", (e) => resolve(e.data as string | ArrayBuffer), { once: true }));
}

function nativeClose(ws: NativeWebSocket): Promise<{ code: number; reason: string; wasClean: boolean }> {
  return new Promise((resolve) =>
    ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason, wasClean: e.wasClean }), { once: true }),
  );
}

describe("Node's built-in WebSocket client", () => {
  for (const size of sizes) {
    test(`a ${size}-byte binary message comes back byte for byte`, async () => {
      const ws = await openNative(`ws://${server.host}/echo`);
      const sent = pattern(size);
      ws.send(sent);
      expect(new Uint8Array((await nativeMessage(ws)) as ArrayBuffer)).toEqual(sent);
      ws.close();
    });
  }

  test("unicode text (Cyrillic, emoji, a character outside the BMP) comes back as text", async () => {
    const ws = await openNative(`ws://${server.host}/echo`);
    const text = "Привет, мир! 👋 𝄞 ∑";
    ws.send(text);
    expect(await nativeMessage(ws)).toBe(text);
    ws.close();
  });

  test("the subprotocol the server chose is the one the client sees", async () => {
    const ws = await openNative(`ws://${server.host}/echo`, ["chat", "echo.v1"]);
    expect(ws.protocol).toBe("echo.v1");
    expect(ws.extensions).toBe("");
    ws.close();
  });

  test("close(4001, reason) completes a clean closing handshake with the code echoed", async () => {
    const ws = await openNative(`ws://${server.host}/echo`);
    const closed = nativeClose(ws);
    ws.close(4001, "done here");
    expect(await closed).toMatchObject({ code: 4001, wasClean: true });
  });
});

describe("the ws client", () => {
  for (const size of sizes) {
    test(`a ${size}-byte text message comes back as text`, async () => {
      const ws = await openWs(`ws://${server.host}/echo`);
      const text = "x".repeat(size);
      ws.send(text);
      const reply = await nextMessage(ws);
      expect(reply.isBinary).toBe(false);
      expect(reply.data.toString()).toBe(text);
      ws.close();
    });
  }

  test("a ping gets a pong with the same payload", async () => {
    const ws = await openWs(`ws://${server.host}/echo`);
    const pong = new Promise<Buffer>((resolve) => ws.once("pong", resolve));
    ws.ping(Buffer.from("are you there"));
    expect((await pong).toString()).toBe("are you there");
    ws.close();
  });

  test("permessage-deflate offered by ws is declined, and messages still flow", async () => {
    const ws = await openWs(`ws://${server.host}/echo`, undefined, { perMessageDeflate: true });
    expect(ws.extensions).toBe("");
    ws.send("plain frames");
    expect((await nextMessage(ws)).data.toString()).toBe("plain frames");
    ws.close();
  });

  for (const [code, reason] of [[1000, ""], [1001, "leaving"], [3000, "registered"], [4999, "é".repeat(61)]] as const) {
    test(`close code ${code} with a ${Buffer.byteLength(reason)}-byte reason is echoed by the server`, async () => {
      const ws = await openWs(`ws://${server.host}/echo`);
      const closed = closeEvent(ws);
      ws.close(code, reason);
      expect((await closed).code).toBe(code);
    });
  }

  test("many messages in flight come back in order", async () => {
    const ws = await openWs(`ws://${server.host}/echo`);
    const received: string[] = [];
    const done = new Promise<void>((resolve) =>
      ws.on("message", (data: Buffer) => {
        received.push(data.toString());
        if (received.length === 500) resolve();
      }),
    );
    for (let i = 0; i < 500; i++) ws.send(`#${i}`);
    await done;
    expect(received).toEqual(Array.from({ length: 500 }, (_, i) => `#${i}`));
    ws.close();
  });
});

describe("/inspect", () => {
  async function inspect(options: WebSocket.ClientOptions = {}, protocols?: string[]) {
    // The handshake description arrives right behind the 101, so listen before "open".
    const ws = new WebSocket(`ws://${server.host}/inspect`, protocols, options);
    const messages: string[] = [];
    const waiters: Array<() => void> = [];
    ws.on("message", (data: Buffer) => {
      messages.push(data.toString());
      waiters.splice(0).forEach((wake) => wake());
    });
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const take = async (n: number) => {
      while (messages.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
      return messages.splice(0, n);
    };
    return { ws, take };
  }

  test("reports the upgrade request ws sent: key, offered subprotocols and extensions, the accept value", async () => {
    const { ws, take } = await inspect({ perMessageDeflate: true, headers: { "X-Lesson": "handshake" } }, ["chat", "inspect.v1"]);
    const [first] = await take(1);
    const handshake = parseInspectMessage(first!) as InspectHandshake;
    expect(handshake.type).toBe("handshake");
    expect(handshake.requestLine).toBe("GET /inspect HTTP/1.1");
    expect(handshake.headers).toContainEqual(["X-Lesson", "handshake"]);
    expect(handshake.key).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(handshake.protocols).toEqual(["chat", "inspect.v1"]);
    expect(handshake.protocol).toBe("inspect.v1");
    expect(handshake.extensions.map((e) => e.name)).toEqual(["permessage-deflate"]);
    expect(handshake.accept).toHaveLength(28);
    expect(ws.protocol).toBe("inspect.v1");
    ws.close();
  });

  test("reports the masking key the client really used (ws with a fixed generateMask)", async () => {
    const key = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);
    const { ws, take } = await inspect({ generateMask: (mask: Buffer) => key.copy(mask) });
    await take(1);
    ws.send("Hello");
    const [description, echo] = await take(2);
    const frame = parseInspectMessage(description!) as InspectFrame;
    expect(frame).toEqual({
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
    });
    expect(echo).toBe("Hello");
    ws.close();
  });

  test("reports a fresh random masking key per frame when ws draws them itself", async () => {
    const { ws, take } = await inspect();
    await take(1);
    ws.send("a");
    ws.send("b");
    const [first, , second] = await take(4);
    const keys = [first, second].map((m) => (parseInspectMessage(m!) as InspectFrame).maskingKey);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}$/);
    expect(keys[0]).not.toBe(keys[1]);
    ws.close();
  });

  test("a fragmented message is reported frame by frame, then echoed whole", async () => {
    const { ws, take } = await inspect();
    await take(1);
    ws.send("Hel", { fin: false });
    ws.send("lo", { fin: true });
    const [a, b, echo] = await take(3);
    expect(parseInspectMessage(a!)).toMatchObject({ opcodeName: "text", fin: false, payloadLength: 3 });
    expect(parseInspectMessage(b!)).toMatchObject({ opcodeName: "continuation", fin: true, payloadLength: 2 });
    expect(echo).toBe("Hello");
    ws.close();
  });
});
