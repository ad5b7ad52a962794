/**
 * Chat rooms without I/O: the Node server's `/chat` and the lesson's in-page chat both keep one
 * `ChatRooms` and connect each upgraded connection to it as a `ChatMember`. Every bound is a field
 * of `ChatLimits` (docs/SERVER.md lists them); time and randomness come in as arguments.
 */

import type { RandomBytes } from "../protocol/index.ts";
import {
  newChatId,
  parseChatRequest,
  textProblem,
  toParts,
  type ChatErrorReason,
  type ChatMessage,
  type ChatServerMessage,
} from "./chat-format.ts";

/** How much one process's chat may hold and how fast a member may speak. */
export interface ChatLimits {
  /** Rooms with members at once; a `hello` that would open one more gets `server-busy` (Close 1013). */
  maxRooms: number;
  /** Named members per room; one more gets `room-full` (Close 1013). */
  maxMembers: number;
  /** Code points in one message's text; longer text is refused (`too-long`), never cut. */
  maxTextChars: number;
  /** Largest WebSocket message a chat connection accepts, in bytes (Close 1009 above it). */
  maxMessageBytes: number;
  /** Public messages a room keeps for members who join later… */
  historyMessages: number;
  /** …and at most this many bytes of them (as sent); the oldest go first. */
  historyBytes: number;
  /** Requests a member may send at once (a token bucket this deep)… */
  burst: number;
  /** …refilled at this many per second; past it `too-fast`, once, and the requests are dropped. */
  perSecond: number;
}

export const DEFAULT_CHAT_LIMITS: ChatLimits = {
  maxRooms: 256,
  maxMembers: 8,
  maxTextChars: 2000,
  // 2000 code points fit whatever way JSON escapes them (12 bytes for a pair as \uXXXX\uXXXX).
  maxMessageBytes: 32 * 1024,
  historyMessages: 50,
  historyBytes: 64 * 1024,
  burst: 10,
  perSecond: 2,
};

/** Close codes the chat uses besides the RFC's: 4001 means "another connection took your name back". */
export const ChatCloseCode = { Replaced: 4001 } as const;

/** The connection a member speaks through. */
export interface ChatPeer {
  /** Queues one text message (UTF-8 JSON) for this connection. */
  send(json: Uint8Array): void;
  /** Starts the closing handshake. */
  close(code: number, reason: string): void;
}

const encoder = new TextEncoder();

function encode(message: ChatServerMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

/** Compares secrets in time that does not depend on where they first differ. */
function sameSecret(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

interface Stored {
  json: string;
  bytes: number;
}

class Room {
  readonly members = new Map<string, ChatMember>();
  readonly history: Stored[] = [];
  historyBytes = 0;
  nextId = 1;

  broadcast(bytes: Uint8Array): void {
    for (const member of this.members.values()) member.peer.send(bytes);
  }

  users(): Uint8Array {
    return encode({ type: "users", users: [...this.members.keys()].sort() });
  }

  remember(json: string, bytes: number, limits: ChatLimits): void {
    this.history.push({ json, bytes });
    this.historyBytes += bytes;
    while (this.history.length > limits.historyMessages || this.historyBytes > limits.historyBytes) {
      this.historyBytes -= this.history.shift()!.bytes;
    }
  }

  historyMessage(): Uint8Array {
    return encoder.encode(`{"type":"history","messages":[${this.history.map((stored) => stored.json).join(",")}]}`);
  }
}

/** Every room of one process. A room exists while it has members; its history goes with it. */
export class ChatRooms {
  readonly limits: ChatLimits;
  /** @internal for ChatMember */
  readonly rooms = new Map<string, Room>();
  /** @internal */
  readonly now: () => number;
  /** @internal */
  readonly randomBytes: RandomBytes | undefined;

  constructor(limits: Partial<ChatLimits> = {}, options: { now?: () => number; randomBytes?: RandomBytes } = {}) {
    this.limits = { ...DEFAULT_CHAT_LIMITS, ...limits };
    this.now = options.now ?? Date.now;
    this.randomBytes = options.randomBytes;
  }

  /** Rooms with at least one member. */
  get roomCount(): number {
    return this.rooms.size;
  }

  /** Bytes of history all rooms keep. */
  get historyBytes(): number {
    let total = 0;
    for (const room of this.rooms.values()) total += room.historyBytes;
    return total;
  }

  /** Names in a room, sorted (empty for a room that does not exist). */
  membersOf(roomId: string): string[] {
    return [...(this.rooms.get(roomId)?.members.keys() ?? [])].sort();
  }

  /** A connection upgraded for `roomId` (a well-formed id, see ROOM_ID_PATTERN); it joins the room with `hello`. */
  connect(roomId: string, peer: ChatPeer): ChatMember {
    return new ChatMember(this, roomId, peer);
  }
}

/**
 * One connection of a room. Until its `hello` is accepted it is anonymous: it is in no room, receives
 * nothing of what is said there and may only say `hello`.
 */
export class ChatMember {
  readonly peer: ChatPeer;
  readonly roomId: string;
  /** The accepted name, or null while anonymous (and after leaving). */
  name: string | null = null;
  private readonly rooms: ChatRooms;
  private room: Room | null = null;
  private token = "";
  private tokens: number;
  private refilledAt: number;
  /** Whether the last request was dropped for speed: only the first of a run gets `too-fast`. */
  private throttled = false;

  constructor(rooms: ChatRooms, roomId: string, peer: ChatPeer) {
    this.rooms = rooms;
    this.roomId = roomId;
    this.peer = peer;
    this.tokens = rooms.limits.burst;
    this.refilledAt = rooms.now();
  }

  /** A text message from this member's connection. */
  receive(data: string): void {
    if (!this.allowed()) return;
    const request = parseChatRequest(data);
    if ("error" in request) return this.refuse(request.error);
    if (request.type === "hello") return this.hello(request.name, request.token);
    const room = this.room;
    if (room === null) return this.refuse("not-joined");
    const problem = textProblem(request.text, this.rooms.limits.maxTextChars);
    if (problem !== null) return this.refuse(problem);
    const parts = toParts(request.text, (name) => room.members.has(name));
    if (request.type === "say") {
      const message: ChatMessage = { type: "message", id: room.nextId++, from: this.name!, parts };
      const json = JSON.stringify(message);
      const bytes = encoder.encode(json);
      room.remember(json, bytes.length, this.rooms.limits);
      room.broadcast(bytes);
      return;
    }
    const target = room.members.get(request.to);
    if (target === undefined) return this.refuse("no-such-user");
    // Private: only the two of them see it, and it is not kept for members who join later.
    const bytes = encode({ type: "message", id: room.nextId++, from: this.name!, parts, to: request.to, private: true });
    target.peer.send(bytes);
    if (target !== this) this.peer.send(bytes);
  }

  /** The connection has closed: the name is free again, and an empty room is forgotten with its history. */
  leave(): void {
    const room = this.room;
    if (room === null) return;
    this.room = null;
    if (room.members.get(this.name!) !== this) return;
    room.members.delete(this.name!);
    if (room.members.size === 0) this.rooms.rooms.delete(this.roomId);
    else room.broadcast(room.users());
  }

  private hello(name: string, token: string | undefined): void {
    if (this.room !== null) return this.refuse("already-joined");
    const limits = this.rooms.limits;
    let room = this.rooms.rooms.get(this.roomId);
    const holder = room?.members.get(name);
    if (holder !== undefined) {
      // A client coming back after a drop the server has not noticed yet proves with its token
      // that the name is its own; the old connection is closed and must not reconnect.
      if (token === undefined || !sameSecret(token, holder.token)) return this.refuse("name-taken");
      holder.room = null;
      holder.peer.close(ChatCloseCode.Replaced, "replaced");
    } else if (room !== undefined && room.members.size >= limits.maxMembers) {
      return this.fail("room-full");
    } else if (room === undefined) {
      if (this.rooms.rooms.size >= limits.maxRooms) return this.fail("server-busy");
      room = new Room();
      this.rooms.rooms.set(this.roomId, room);
    }
    this.name = name;
    this.token = newChatId(this.rooms.randomBytes);
    this.room = room!;
    room!.members.set(name, this);
    this.peer.send(encode({ type: "welcome", you: name, token: this.token }));
    this.peer.send(room!.historyMessage());
    room!.broadcast(room!.users());
  }

  /** Token bucket: `burst` deep, `perSecond` refill. */
  private allowed(): boolean {
    const { burst, perSecond } = this.rooms.limits;
    const now = this.rooms.now();
    this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) * perSecond) / 1000);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.throttled = false;
      return true;
    }
    // One error per run of dropped requests: a flood must not make the server write as much back.
    if (!this.throttled) this.refuse("too-fast");
    this.throttled = true;
    return false;
  }

  private refuse(reason: ChatErrorReason): void {
    this.peer.send(encode({ type: "error", reason }));
  }

  /** A refusal that ends the connection: the room cannot take this member now (1013: try again later). */
  private fail(reason: "room-full" | "server-busy"): void {
    this.refuse(reason);
    this.peer.close(1013, reason);
  }
}
