import { describe, expect, test } from "vitest";
import type WebSocket from "ws";
import { newChatId, type ChatServerMessage } from "../../src/sandbox/index.ts";
import { closeEvent, openWs, rawConnect, startTestServer, upgradeRequest } from "./helpers.ts";

const server = await startTestServer();

/** A chat client over `ws` that keeps every message and waits for the one it needs. */
async function chatClient(room: string, options: WebSocket.ClientOptions = {}) {
  const ws = await openWs(`ws://${server.host}/chat?room=${room}`, undefined, options);
  const inbox: ChatServerMessage[] = [];
  let wake: (() => void) | null = null;
  ws.on("message", (data) => {
    inbox.push(JSON.parse(data.toString()) as ChatServerMessage);
    wake?.();
  });
  return {
    ws,
    inbox,
    send: (request: object) => ws.send(JSON.stringify(request)),
    async next(type: ChatServerMessage["type"]): Promise<ChatServerMessage> {
      for (;;) {
        const index = inbox.findIndex((message) => message.type === type);
        if (index >= 0) return inbox.splice(index, 1)[0]!;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

async function joined(room: string, name: string) {
  const client = await chatClient(room);
  client.send({ type: "hello", name });
  await client.next("welcome");
  return client;
}

describe("/chat", () => {
  test("two members of a room talk; a connection that never said hello and another room hear nothing", async () => {
    const room = newChatId();
    const lurker = await chatClient(room);
    const elsewhere = await joined(newChatId(), "alice");
    const alice = await joined(room, "alice");
    const bob = await joined(room, "bob");
    expect(await alice.next("users")).toEqual({ type: "users", users: ["alice"] });
    expect(await alice.next("users")).toEqual({ type: "users", users: ["alice", "bob"] });
    alice.send({ type: "say", text: "hi @bob <img src=x onerror=alert(1)>" });
    expect(await bob.next("message")).toEqual({
      type: "message",
      id: 1,
      from: "alice",
      parts: [{ text: "hi " }, { mention: "bob" }, { text: " <img src=x onerror=alert(1)>" }],
    });
    await alice.next("message");
    bob.send({ type: "say", text: "and the history?" });
    await alice.next("message");
    const carol = await joined(room, "carol");
    const history = (await carol.next("history")) as Extract<ChatServerMessage, { type: "history" }>;
    expect(history.messages.map((m) => m.id)).toEqual([1, 2]);
    expect(lurker.inbox).toEqual([]);
    expect(elsewhere.inbox.filter((m) => m.type === "message")).toEqual([]);
    for (const client of [lurker, elsewhere, alice, bob, carol]) client.ws.close();
  });

  test("the room's members hear who left", async () => {
    const room = newChatId();
    const alice = await joined(room, "alice");
    const bob = await joined(room, "bob");
    await alice.next("users");
    await alice.next("users");
    const closed = closeEvent(bob.ws);
    bob.ws.close(1000);
    await closed;
    expect(await alice.next("users")).toEqual({ type: "users", users: ["alice"] });
    alice.ws.close();
  });

  test("a binary message gets Close 1003; a message over 32 KiB gets Close 1009", async () => {
    const room = newChatId();
    const binary = await joined(room, "bin");
    binary.ws.send(Buffer.from([1, 2, 3]));
    expect(await closeEvent(binary.ws)).toEqual({ code: 1003, reason: "text only" });
    const big = await joined(room, "big");
    big.send({ type: "say", text: "a".repeat(32 * 1024) });
    expect((await closeEvent(big.ws)).code).toBe(1009);
  });

  test("a flood gets one too-fast and at most the burst of messages through", async () => {
    const room = newChatId();
    const alice = await joined(room, "alice");
    for (let i = 0; i < 40; i++) alice.send({ type: "say", text: `m${i}` });
    alice.send({ type: "whisper", to: "alice", text: "last" });
    expect(await alice.next("error")).toEqual({ type: "error", reason: "too-fast" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const messages = alice.inbox.filter((m) => m.type === "message");
    expect(messages.length).toBeLessThanOrEqual(10);
    expect(alice.inbox.filter((m) => m.type === "error")).toEqual([]);
    alice.ws.close();
  });

  test("the upgrade needs a well-formed room id (400 room-invalid) and passes the origin check (403)", async () => {
    for (const [request, status] of [
      [upgradeRequest(server.host, "/chat"), /^HTTP\/1\.1 400 [^]*\r\n\r\nroom-invalid: /],
      [upgradeRequest(server.host, "/chat?room=lobby"), /^HTTP\/1\.1 400 [^]*\r\n\r\nroom-invalid: /],
      [upgradeRequest(server.host, `/chat?room=${newChatId()}`, { Origin: "https://evil.example" }), /^HTTP\/1\.1 403 [^]*origin-forbidden: /],
    ] as const) {
      const raw = await rawConnect(server.port);
      raw.send(request);
      expect((await raw.closed).toString("latin1")).toMatch(status);
    }
  });
});
