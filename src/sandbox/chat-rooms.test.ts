import { describe, expect, test } from "vitest";
import {
  codePointsUpTo,
  newChatId,
  parseChatServerMessage,
  plainText,
  roomFromTarget,
  textProblem,
  toParts,
  type ChatServerMessage,
} from "./chat-format.ts";
import { ChatCloseCode, ChatRooms, type ChatLimits, type ChatMember } from "./chat-rooms.ts";

const ROOM = "AAAAAAAAAAAAAAAAAAAAAA";
const decoder = new TextDecoder();

/** A member whose connection records what it was sent. */
function peerIn(rooms: ChatRooms, room = ROOM) {
  const inbox: ChatServerMessage[] = [];
  const closed: Array<[number, string]> = [];
  const member = rooms.connect(room, {
    send: (json) => inbox.push(JSON.parse(decoder.decode(json)) as ChatServerMessage),
    close: (code, reason) => closed.push([code, reason]),
  });
  const say = (request: object) => member.receive(JSON.stringify(request));
  const take = () => inbox.splice(0);
  return { member, inbox, closed, say, take };
}

function setup(limits: Partial<ChatLimits> = {}) {
  let now = 0;
  let counter = 0;
  const rooms = new ChatRooms(limits, {
    now: () => now,
    randomBytes: (n) => new Uint8Array(n).fill(++counter),
  });
  return { rooms, advance: (ms: number) => (now += ms) };
}

function joined(rooms: ChatRooms, name: string, room = ROOM) {
  const peer = peerIn(rooms, room);
  peer.say({ type: "hello", name });
  return peer;
}

describe("chat format", () => {
  test("a room id is 16 random bytes in base64url: 22 characters, nothing shorter is a room", () => {
    const id = newChatId(() => new Uint8Array(16).fill(0xff));
    expect(id).toBe("_____________________w");
    expect(roomFromTarget(`/chat?room=${id}`)).toBe(id);
    expect(roomFromTarget(`/chat?x=1&room=${id}`)).toBe(id);
    expect(roomFromTarget("/chat?room=lobby")).toBeNull();
    expect(roomFromTarget(`/chat?room=${id}x`)).toBeNull();
    expect(roomFromTarget("/chat")).toBeNull();
  });

  test("only members present become mentions; @nobody and a longer name stay text", () => {
    const here = (name: string) => name === "bob";
    expect(toParts("hi @bob, @nobody and @bobby", here)).toEqual([
      { text: "hi " },
      { mention: "bob" },
      { text: ", @nobody and @bobby" },
    ]);
    expect(plainText(toParts("@bob <img src=x onerror=alert(1)>", here))).toBe("@bob <img src=x onerror=alert(1)>");
  });

  test("text is measured in code points and refused, not cut, past the limit", () => {
    const emoji = "😀".repeat(2000); // 4000 UTF-16 units, 2000 code points
    expect(codePointsUpTo(emoji, 2000)).toBe(2000);
    expect(textProblem(emoji, 2000)).toBeNull();
    expect(textProblem(emoji + "a", 2000)).toBe("too-long");
    expect(textProblem("   ", 2000)).toBe("empty");
    expect(textProblem("line\nbreak", 2000)).toBe("bad-text");
    expect(textProblem("csi \u009b2J", 2000)).toBe("bad-text");
    expect(textProblem("lone \ud800", 2000)).toBe("bad-text");
  });

  test("a server message is read as hostile input: unknown parts are dropped, broken messages are null", () => {
    expect(parseChatServerMessage('{"type":"message","id":1,"from":"a","parts":[{"html":"<b>x</b>"},{"text":"ok"},{"mention":3}]}')).toEqual({
      type: "message",
      id: 1,
      from: "a",
      parts: [{ text: "ok" }],
    });
    expect(parseChatServerMessage('{"type":"error","reason":"<script>"}')).toBeNull();
    expect(parseChatServerMessage("not json")).toBeNull();
    expect(parseChatServerMessage('{"type":"users","users":["a",1]}')).toBeNull();
  });
});

describe("chat rooms", () => {
  test("hello gets a welcome with a token, the history and the user list; everyone else the new list", () => {
    const { rooms } = setup();
    const alice = joined(rooms, "alice");
    expect(alice.take()).toEqual([
      { type: "welcome", you: "alice", token: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) },
      { type: "history", messages: [] },
      { type: "users", users: ["alice"] },
    ]);
    const bob = joined(rooms, "bob");
    expect(bob.take().map((m) => m.type)).toEqual(["welcome", "history", "users"]);
    expect(alice.take()).toEqual([{ type: "users", users: ["alice", "bob"] }]);
  });

  test("connections that never said hello receive nothing said in the room", () => {
    const { rooms } = setup();
    const alice = joined(rooms, "alice");
    const lurker = peerIn(rooms);
    alice.say({ type: "say", text: "secret" });
    expect(lurker.inbox).toEqual([]);
    lurker.say({ type: "say", text: "hi" });
    expect(lurker.take()).toEqual([{ type: "error", reason: "not-joined" }]);
    expect(rooms.membersOf(ROOM)).toEqual(["alice"]);
  });

  test("rooms are separate: a message reaches only its own room", () => {
    const { rooms } = setup();
    const alice = joined(rooms, "alice");
    const other = joined(rooms, "alice", "BBBBBBBBBBBBBBBBBBBBBB");
    alice.say({ type: "say", text: "hi" });
    expect(other.take().map((m) => m.type)).toEqual(["welcome", "history", "users"]);
  });

  test("a whisper reaches its target and its sender only, and is not kept in history", () => {
    const { rooms } = setup();
    const [alice, bob, carol] = ["alice", "bob", "carol"].map((name) => joined(rooms, name));
    for (const peer of [alice!, bob!, carol!]) peer.take();
    bob!.say({ type: "whisper", to: "carol", text: "psst @carol" });
    const whisper = { type: "message", id: 1, from: "bob", to: "carol", private: true, parts: [{ text: "psst " }, { mention: "carol" }] };
    expect(carol!.take()).toEqual([whisper]);
    expect(bob!.take()).toEqual([whisper]);
    expect(alice!.take()).toEqual([]);
    bob!.say({ type: "whisper", to: "dave", text: "hello?" });
    expect(bob!.take()).toEqual([{ type: "error", reason: "no-such-user" }]);
    const late = joined(rooms, "dave");
    expect(late.take()[1]).toEqual({ type: "history", messages: [] });
  });

  test("members per room are capped: one more gets room-full and Close 1013", () => {
    const { rooms } = setup({ maxMembers: 2 });
    joined(rooms, "a");
    joined(rooms, "b");
    const third = joined(rooms, "c");
    expect(third.take()).toEqual([{ type: "error", reason: "room-full" }]);
    expect(third.closed).toEqual([[1013, "room-full"]]);
    expect(rooms.membersOf(ROOM)).toEqual(["a", "b"]);
  });

  test("rooms per process are capped: a hello that would open one more gets server-busy", () => {
    const { rooms } = setup({ maxRooms: 1 });
    joined(rooms, "a");
    const elsewhere = joined(rooms, "b", "BBBBBBBBBBBBBBBBBBBBBB");
    expect(elsewhere.closed).toEqual([[1013, "server-busy"]]);
    expect(rooms.roomCount).toBe(1);
  });

  test("history keeps the last messages within both caps, and goes with the last member", () => {
    const { rooms } = setup({ historyMessages: 3, historyBytes: 10_000, burst: 100 });
    const alice = joined(rooms, "alice");
    for (let i = 1; i <= 5; i++) alice.say({ type: "say", text: `m${i}` });
    const bob = joined(rooms, "bob");
    const history = bob.take()[1] as Extract<ChatServerMessage, { type: "history" }>;
    expect(history.messages.map((m) => plainText(m.parts))).toEqual(["m3", "m4", "m5"]);
    expect(history.messages.map((m) => m.id)).toEqual([3, 4, 5]);

    const small = setup({ historyMessages: 50, historyBytes: 200, burst: 100 }).rooms;
    const carol = joined(small, "carol");
    for (let i = 0; i < 10; i++) carol.say({ type: "say", text: "x".repeat(60) });
    expect(small.historyBytes).toBeLessThanOrEqual(200);
    expect(small.historyBytes).toBeGreaterThan(100);

    alice.member.leave();
    bob.member.leave();
    expect(rooms.roomCount).toBe(0);
    expect(rooms.historyBytes).toBe(0);
    expect(joined(rooms, "alice").take()[1]).toEqual({ type: "history", messages: [] });
  });

  test("the rate is capped by a token bucket: one too-fast for a run of dropped requests, then refill", () => {
    const { rooms, advance } = setup({ burst: 3, perSecond: 2 });
    const alice = joined(rooms, "alice"); // the hello takes one token
    alice.take();
    for (let i = 0; i < 6; i++) alice.say({ type: "say", text: `m${i}` });
    const got = alice.take();
    expect(got.filter((m) => m.type === "message")).toHaveLength(2);
    expect(got.filter((m) => m.type === "error")).toEqual([{ type: "error", reason: "too-fast" }]);
    advance(500); // one more token
    alice.say({ type: "say", text: "again" });
    alice.say({ type: "say", text: "too soon" });
    expect(alice.take()).toEqual([
      { type: "message", id: 3, from: "alice", parts: [{ text: "again" }] },
      { type: "error", reason: "too-fast" },
    ]);
  });

  test("text over the limit is refused whole, in code points", () => {
    const { rooms } = setup({ maxTextChars: 3 });
    const alice = joined(rooms, "alice");
    alice.take();
    alice.say({ type: "say", text: "😀😀😀" });
    alice.say({ type: "say", text: "😀😀😀😀" });
    expect(alice.take()).toEqual([
      { type: "message", id: 1, from: "alice", parts: [{ text: "😀😀😀" }] },
      { type: "error", reason: "too-long" },
    ]);
  });

  test("a taken name needs its token: the old connection is closed with 4001 and the list stays", () => {
    const { rooms } = setup();
    const first = joined(rooms, "alice");
    const token = (first.take()[0] as { token: string }).token;
    const bob = joined(rooms, "bob");
    bob.take();
    const thief = joined(rooms, "alice");
    expect(thief.take()).toEqual([{ type: "error", reason: "name-taken" }]);
    const again = peerIn(rooms);
    again.say({ type: "hello", name: "alice", token });
    expect(first.closed).toEqual([[ChatCloseCode.Replaced, "replaced"]]);
    expect(again.take().map((m) => m.type)).toEqual(["welcome", "history", "users"]);
    // The replaced connection leaving later does not take the name with it.
    first.member.leave();
    expect(rooms.membersOf(ROOM)).toEqual(["alice", "bob"]);
    bob.say({ type: "say", text: "hi @alice" });
    expect(again.take()).toEqual([{ type: "message", id: 1, from: "bob", parts: [{ text: "hi " }, { mention: "alice" }] }]);
    expect(first.inbox).toHaveLength(1);
  });

  test("malformed requests get a reason and change nothing", () => {
    const { rooms } = setup({ burst: 100 });
    const peer = peerIn(rooms);
    const member: ChatMember = peer.member;
    member.receive("{not json");
    member.receive("[1,2]");
    peer.say({ type: "hello", name: "<b>x</b>" });
    peer.say({ type: "dance" });
    peer.say({ type: "hello", name: "ok" });
    peer.take();
    peer.say({ type: "hello", name: "ok2" });
    peer.say({ type: "say", text: 5 });
    expect(peer.take()).toEqual([
      { type: "error", reason: "already-joined" },
      { type: "error", reason: "empty" },
    ]);
    expect(peerIn(rooms).inbox).toEqual([]);
  });
});
