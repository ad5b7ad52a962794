import { describe, expect, test } from "vitest";
import { encodeFrame, FRAME_OVERHEAD, Opcode } from "../../src/protocol/index.ts";
import {
  closeEvent,
  eventually,
  nextMessage,
  openWs,
  rawConnect,
  rawWebSocket,
  startTestServer,
  upgradeRequest,
} from "./helpers.ts";

describe("message and frame size", () => {
  test("§10.4: a frame one byte over the frame limit gets Close 1009; one at the limit is echoed", async () => {
    const server = await startTestServer({ maxFrameSize: 600, maxMessageSize: 1000 });
    const ws = await openWs(`ws://${server.host}/echo`);
    ws.send(Buffer.alloc(600, 1));
    expect((await nextMessage(ws)).data.length).toBe(600);
    ws.send(Buffer.alloc(601, 1));
    expect(await closeEvent(ws)).toMatchObject({ code: 1009 });
  });

  test("§10.4: a message one byte over the message limit (FRAME_OVERHEAD counted for its second frame), in frames under the frame limit, gets Close 1009", async () => {
    const server = await startTestServer({ maxFrameSize: 600, maxMessageSize: 1000 });
    const fits = await rawWebSocket(server.port);
    fits.sendFrame(Opcode.Binary, new Uint8Array(500), false);
    fits.sendFrame(Opcode.Continuation, new Uint8Array(500 - FRAME_OVERHEAD), true);
    const echoed = await fits.waitFor((e) => e.length > 0);
    expect(echoed[0]).toMatchObject({ type: "binary" });
    expect((echoed[0] as { data: Uint8Array }).data.length).toBe(1000 - FRAME_OVERHEAD);

    const over = await rawWebSocket(server.port);
    over.sendFrame(Opcode.Binary, new Uint8Array(500), false);
    over.sendFrame(Opcode.Continuation, new Uint8Array(501 - FRAME_OVERHEAD), true);
    const events = await over.waitFor((e) => e.some((x) => x.type === "close"));
    expect(events[0]).toMatchObject({ type: "close", code: 1009 });
    await over.raw.closed;
  });
});

describe("handshake timeout", () => {
  test("a client that connects and sends nothing is dropped after the handshake timeout", async () => {
    const server = await startTestServer({ handshakeTimeout: 300 });
    const raw = await rawConnect(server.port);
    const started = Date.now();
    await raw.closed;
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
  });

  test("a client that sends its upgrade request a byte at a time, too slowly, is dropped", async () => {
    const server = await startTestServer({ handshakeTimeout: 300 });
    const raw = await rawConnect(server.port);
    const request = upgradeRequest(server.host);
    let sent = 0;
    const drip = setInterval(() => {
      if (!raw.socket.destroyed && sent < request.length) raw.send(request[sent++]!);
    }, 20);
    const response = await raw.closed;
    clearInterval(drip);
    expect(sent).toBeLessThan(request.length);
    expect(response.toString("latin1")).not.toContain("101 Switching Protocols");
  });
});

describe("idle connections", () => {
  test("§5.5.2: after the idle timeout the server pings, and drops a client that never answers", async () => {
    const server = await startTestServer({ idleTimeout: 150, pongTimeout: 150 });
    const silent = await rawWebSocket(server.port);
    // The raw client reads frames but never answers: the ping arrives, then the server gives up.
    await silent.raw.until((bytes) => bytes.includes(Buffer.from([0x89, 0x00])));
    await silent.raw.closed;
    await eventually(() => server.logs.some((r) => r.event === "close" && r.reason === "pong timeout"));
  });

  test("a client that answers pings (as browsers and ws do) stays connected", async () => {
    const server = await startTestServer({ idleTimeout: 100, pongTimeout: 100 });
    const ws = await openWs(`ws://${server.host}/echo`);
    let pings = 0;
    ws.on("ping", () => pings++);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(pings).toBeGreaterThanOrEqual(2);
    expect(ws.readyState).toBe(ws.OPEN);
    ws.send("still here");
    expect((await nextMessage(ws)).data.toString()).toBe("still here");
    ws.close();
  });
});

describe("connection counts", () => {
  test("the connection over the total limit gets 503 before the upgrade; a freed slot can be reused", async () => {
    const server = await startTestServer({ maxConnections: 2 });
    const first = await openWs(`ws://${server.host}/echo`);
    await openWs(`ws://${server.host}/echo`);
    await expect(openWs(`ws://${server.host}/echo`)).rejects.toThrow(/503/);
    const closed = closeEvent(first);
    first.close();
    await closed;
    await eventually(() => server.connections < 2);
    await openWs(`ws://${server.host}/echo`);
  });

  test("the connection over the per-address limit gets 503; behind a trusted proxy the forwarded address counts", async () => {
    const server = await startTestServer({ maxConnectionsPerIp: 1, trustProxy: true });
    const url = `ws://${server.host}/echo`;
    await openWs(url, undefined, { headers: { "X-Forwarded-For": "203.0.113.7" } });
    await expect(openWs(url, undefined, { headers: { "X-Forwarded-For": "203.0.113.7" } })).rejects.toThrow(/503/);
    // The proxy appends the address it saw: only the last entry is trusted, not what the client claims.
    await expect(openWs(url, undefined, { headers: { "X-Forwarded-For": "198.51.100.1, 203.0.113.7" } })).rejects.toThrow(/503/);
    await openWs(url, undefined, { headers: { "X-Forwarded-For": "203.0.113.8" } });
  });
});

describe("connections per network", () => {
  test("the connection over the per-prefix limit gets 503: one IPv4 /24 or one IPv6 /64 counts as one network", async () => {
    const server = await startTestServer({ maxConnectionsPerPrefix: 2, trustProxy: true });
    const url = `ws://${server.host}/echo`;
    const from = (address: string) => openWs(url, undefined, { headers: { "X-Forwarded-For": address } });
    await from("203.0.113.7");
    await from("203.0.113.8");
    await expect(from("203.0.113.9")).rejects.toThrow(/503/);
    await from("203.0.114.9");
    await from("2001:db8::1");
    await from("2001:db8::ffff:2");
    await expect(from("2001:db8:0:0:1::3")).rejects.toThrow(/503/);
    await from("2001:db8:0:1::3");
    expect(server.logs.filter((r) => r.reason === "too-many-connections-from-network")).toHaveLength(2);
  });
});

describe("message rate", () => {
  test("a connection sending more frames per second than allowed gets Close 1008", async () => {
    const server = await startTestServer({ maxMessageRate: 20 });
    const ws = await openWs(`ws://${server.host}/echo`);
    const closed = closeEvent(ws);
    for (let i = 0; i < 40; i++) ws.send(`message ${i}`);
    expect(await closed).toEqual({ code: 1008, reason: "rate-limit-exceeded" });
  });

  test("the same number of messages spread over time passes", async () => {
    const server = await startTestServer({ maxMessageRate: 20 });
    const ws = await openWs(`ws://${server.host}/echo`);
    let echoes = 0;
    ws.on("message", () => echoes++);
    for (let i = 0; i < 40; i++) {
      ws.send(`message ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await eventually(() => echoes === 40);
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
  });
});

describe("outbound buffer", () => {
  test("a client that sends but never reads is dropped once the server's unsent bytes pass the cap", async () => {
    const cap = 256 * 1024;
    const server = await startTestServer({ maxBufferedBytes: cap, maxMessageRate: 100_000 });
    const raw = await rawConnect(server.port);
    raw.send(upgradeRequest(server.host));
    await raw.until((bytes) => bytes.includes("\r\n\r\n"));
    raw.socket.pause();
    const frame = encodeFrame({ opcode: Opcode.Binary, payload: new Uint8Array(64 * 1024), mask: true });
    let sentBytes = 0;
    let closed = false;
    void raw.closed.then(() => (closed = true));
    // Loopback socket buffers hold megabytes; keep sending until the server gives up on us.
    while (!closed && sentBytes < 256 * 1024 * 1024) {
      if (!raw.socket.write(frame)) await new Promise((resolve) => raw.socket.once("drain", resolve).once("close", resolve));
      sentBytes += frame.length;
    }
    expect(closed).toBe(true);
    await eventually(() => server.logs.some((r) => r.event === "close" && r.reason === "outbound buffer full"));
    // The server is still healthy and the slot is free again.
    await eventually(() => server.connections === 0);
    const health = (await (await fetch(`http://${server.host}/healthz`)).json()) as { status: string };
    expect(health.status).toBe("ok");
  }, 30_000);
});
