/**
 * The chat's message format, as the "building a chat" lesson defines it: JSON text messages with a
 * `type`, and user text sent back as structured parts (plain runs and mentions), never as markup.
 * Pure functions only; `chat-rooms.ts` keeps the state.
 */

import type { RandomBytes } from "../protocol/index.ts";

/** A piece of a message: a run of plain text, or a mention of a member of the room. */
export type ChatPart = { text: string } | { mention: string };

/** What a client may send. `token` in `hello` takes back a name this client held before a drop. */
export type ChatRequest =
  | { type: "hello"; name: string; token?: string }
  | { type: "say"; text: string }
  | { type: "whisper"; to: string; text: string };

/** A message as the room sends it: public, or private with `to` and `private: true`. */
export interface ChatMessage {
  type: "message";
  id: number;
  from: string;
  parts: ChatPart[];
  to?: string;
  private?: true;
}

/** Why a request was refused; the UI shows `chat.error.<reason>`. */
export const chatErrorReasons = [
  "bad-json",
  "unknown-type",
  "bad-name",
  "name-taken",
  "not-joined",
  "already-joined",
  "empty",
  "too-long",
  "bad-text",
  "no-such-user",
  "too-fast",
  "room-full",
  "server-busy",
] as const;
export type ChatErrorReason = (typeof chatErrorReasons)[number];

/** What the server sends. */
export type ChatServerMessage =
  | { type: "welcome"; you: string; token: string }
  | { type: "history"; messages: ChatMessage[] }
  | { type: "users"; users: string[] }
  | ChatMessage
  | { type: "error"; reason: ChatErrorReason };

/** A user name: ASCII letters, digits and `_`, 1 to 32 of them, so a name can never carry markup or control characters. */
export const NAME_PATTERN = /^[A-Za-z0-9_]{1,32}$/;

/** `@name` inside text; only names of members present become mentions. */
const MENTION = /@([A-Za-z0-9_]{1,32})/g;

/**
 * A room id: 22 base64url characters, the encoding of 16 random bytes (128 bits). The id is the
 * room's only key, so it must be unguessable; the server cannot check randomness, but it refuses
 * anything shorter, so no room is named by a word.
 */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * C0 and C1 control characters (line breaks included: a message is one line) and lone surrogates
 * (JSON's `\ud800` escape makes one out of valid UTF-8), none of which a chat line needs.
 */
const BAD_TEXT = /[\u0000-\u001f\u007f-\u009f]|\p{Cs}/u;

const base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** `bytes` in base64url without padding (RFC 4648 §5). */
function toBase64url(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += base64url[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

/** A fresh room id (or resume token): 16 random bytes as 22 base64url characters. */
export function newChatId(randomBytes: RandomBytes = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  return toBase64url(randomBytes(16).subarray(0, 16));
}

/** The `room` query parameter of a request target, if it is a well-formed room id. */
export function roomFromTarget(target: string): string | null {
  const query = target.indexOf("?");
  if (query === -1) return null;
  for (const pair of target.slice(query + 1).split("&")) {
    if (!pair.startsWith("room=")) continue;
    const id = pair.slice("room=".length);
    return ROOM_ID_PATTERN.test(id) ? id : null;
  }
  return null;
}

/** Counts the code points of `text`, stopping once it passes `limit` (the caller only needs to know that). */
export function codePointsUpTo(text: string, limit: number): number {
  let count = 0;
  for (let i = 0; i < text.length && count <= limit; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** What is wrong with a message text, or null: it must be 1 to `maxChars` code points of printable text. */
export function textProblem(text: string, maxChars: number): "empty" | "too-long" | "bad-text" | null {
  if (text.trim() === "") return "empty";
  // Refused rather than cut: a cut can split a surrogate pair, or an emoji sequence the sender meant whole.
  if (codePointsUpTo(text, maxChars) > maxChars) return "too-long";
  if (BAD_TEXT.test(text)) return "bad-text";
  return null;
}

/** "hi @bob" -> [{ text: "hi " }, { mention: "bob" }] when bob is present; `@nobody` stays text. */
export function toParts(text: string, isMember: (name: string) => boolean): ChatPart[] {
  const parts: ChatPart[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    const name = match[1]!;
    // A longer run of name characters (`@bob_smith` when only bob is here) is not a mention of bob.
    if (!isMember(name)) continue;
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ mention: name });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** The parts as one plain string (mentions with their `@`), e.g. for a notification's body. */
export function plainText(parts: readonly ChatPart[]): string {
  return parts.map((part) => ("mention" in part ? `@${part.mention}` : part.text)).join("");
}

/** Reads a client's message; anything that is not one of the three requests is a reason to refuse it. */
export function parseChatRequest(data: string): ChatRequest | { error: ChatErrorReason } {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { error: "bad-json" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: "bad-json" };
  const request = value as Record<string, unknown>;
  switch (request.type) {
    case "hello": {
      const { name, token } = request;
      if (typeof name !== "string" || !NAME_PATTERN.test(name)) return { error: "bad-name" };
      return typeof token === "string" ? { type: "hello", name, token } : { type: "hello", name };
    }
    case "say":
      return typeof request.text === "string" ? { type: "say", text: request.text } : { error: "empty" };
    case "whisper":
      if (typeof request.to !== "string") return { error: "no-such-user" };
      return typeof request.text === "string" ? { type: "whisper", to: request.to, text: request.text } : { error: "empty" };
    default:
      return { error: "unknown-type" };
  }
}

/**
 * A message from the server, checked as hostile input: an unknown type or a malformed field makes
 * it null, and parts keep only the two known kinds with string values.
 */
export function parseChatServerMessage(data: string): ChatServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const message = value as Record<string, unknown>;
  const strings = (list: unknown): list is string[] => Array.isArray(list) && list.every((item) => typeof item === "string");
  switch (message.type) {
    case "welcome":
      return typeof message.you === "string" && typeof message.token === "string"
        ? { type: "welcome", you: message.you, token: message.token }
        : null;
    case "users":
      return strings(message.users) ? { type: "users", users: message.users } : null;
    case "error":
      return (chatErrorReasons as readonly unknown[]).includes(message.reason)
        ? { type: "error", reason: message.reason as ChatErrorReason }
        : null;
    case "message":
      return chatMessage(message);
    case "history": {
      if (!Array.isArray(message.messages)) return null;
      const messages: ChatMessage[] = [];
      for (const item of message.messages) {
        const parsed = typeof item === "object" && item !== null ? chatMessage(item as Record<string, unknown>) : null;
        if (parsed !== null) messages.push(parsed);
      }
      return { type: "history", messages };
    }
    default:
      return null;
  }
}

function chatMessage(message: Record<string, unknown>): ChatMessage | null {
  if (typeof message.id !== "number" || typeof message.from !== "string" || !Array.isArray(message.parts)) return null;
  const parts: ChatPart[] = [];
  for (const part of message.parts as unknown[]) {
    if (typeof part !== "object" || part === null) continue;
    const { text, mention } = part as Record<string, unknown>;
    if (typeof mention === "string") parts.push({ mention });
    else if (typeof text === "string") parts.push({ text });
    // Other kinds (a newer server's) are skipped, never shown raw.
  }
  const parsed: ChatMessage = { type: "message", id: message.id, from: message.from, parts };
  if (message.private === true && typeof message.to === "string") {
    parsed.to = message.to;
    parsed.private = true;
  }
  return parsed;
}
