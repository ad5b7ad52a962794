import { describe, expect, test } from "vitest";
import { encodeFrame, Opcode } from "../../src/protocol/index.ts";
import { closeEvent, openWs, rawConnect, rawWebSocket, spawnServer, startTestServer } from "./helpers.ts";

describe("graceful shutdown", () => {
  test("SIGTERM: a message fully received before the signal is echoed, then Close 1001, then exit 0", async () => {
    const server = await spawnServer();
    const idle = await openWs(`ws://${server.host}/echo`);
    const busy = await openWs(`ws://${server.host}/echo`);
    const received: Array<string | number> = [];
    busy.on("message", (data: Buffer) => received.push(data.length));
    const busyClosed = closeEvent(busy);
    const idleClosed = closeEvent(idle);

    // The busy client stops reading, sends a large message and lets the server take it all in:
    // when the signal comes, the echo is still queued on the server's side of the socket.
    busy.pause();
    busy.send(Buffer.alloc(4 * 1024 * 1024, 7));
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.process.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 100));
    busy.resume();

    expect(await idleClosed).toEqual({ code: 1001, reason: "server shutting down" });
    expect(await busyClosed).toEqual({ code: 1001, reason: "server shutting down" });
    expect(received).toEqual([4 * 1024 * 1024]);
    expect(await server.exit).toEqual({ code: 0, signal: null });
    const closes = server.logs.filter((r) => r.event === "close");
    expect(closes.map((r) => r.code)).toEqual([1001, 1001]);
    expect(closes.every((r) => typeof r.durationMs === "number" && r.remote === "127.0.0.1")).toBe(true);
  });

  test("shutdown with messages waiting in the socket buffers: every one is echoed before the 1001, on every connection", async () => {
    // In this process the server reads nothing until the test yields: the bursts are in its sockets'
    // buffers, unread, when shutdown starts, as when SIGTERM and data arrive together.
    const server = await startTestServer({ shutdownGrace: 300 });
    const clients = await Promise.all(Array.from({ length: 10 }, () => rawWebSocket(server.port)));
    const burst = Buffer.concat(Array.from({ length: 16 }, (_, i) => encodeFrame({ opcode: Opcode.Text, payload: `message ${i}`, mask: true })));
    for (const client of clients) client.raw.send(burst);
    const stopped = server.shutdown();
    const echoed = await Promise.all(
      clients.map(async (client) => {
        const events = await client.waitFor((e) => e.some((x) => x.type === "close"));
        expect(events.find((e) => e.type === "close")).toMatchObject({ code: 1001 });
        return events.filter((e) => e.type === "text").length;
      }),
    );
    expect(echoed).toEqual(clients.map(() => 16));
    await stopped;
  });

  test("after the signal the port is closed to new connections", async () => {
    const server = await spawnServer();
    const ws = await openWs(`ws://${server.host}/echo`);
    const closed = closeEvent(ws);
    server.process.kill("SIGINT");
    expect((await closed).code).toBe(1001);
    await expect(openWs(`ws://${server.host}/echo`)).rejects.toThrow();
    expect((await server.exit).code).toBe(0);
  });

  test("a client that never answers the Close is dropped when the grace period ends, and the exit is still 0", async () => {
    const server = await spawnServer(["--shutdown-grace", "400"]);
    const stubborn = await rawWebSocket(server.port);
    const started = Date.now();
    server.process.kill("SIGTERM");
    const events = await stubborn.waitFor((e) => e.some((x) => x.type === "close"));
    expect(events.find((e) => e.type === "close")).toMatchObject({ code: 1001 });
    expect(await server.exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(server.logs.find((r) => r.event === "close")).toMatchObject({ reason: "shutdown grace period over" });
  });

  test("a client halfway through its upgrade request does not hold the exit up", async () => {
    const server = await spawnServer(["--shutdown-grace", "5000", "--handshake-timeout", "10000"]);
    const raw = await rawConnect(server.port);
    raw.send("GET /echo HTTP/1.1\r\nHost: x\r\n");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    server.process.kill("SIGTERM");
    expect((await server.exit).code).toBe(0);
    await raw.closed;
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
