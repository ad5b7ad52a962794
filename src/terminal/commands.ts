import {
  encodeClosePayload,
  HexError,
  isSendableCloseCode,
  MAX_CLOSE_REASON_BYTES,
  parseHex,
  UsageError,
} from "../protocol/index.ts";
import type { ParamsOf, UiKey } from "../i18n/index.ts";

/** The console's commands, in the order `help` lists them. */
export const commandNames = ["help", "connect", "send", "ping", "close", "frames", "raw", "status", "clear"] as const;
export type CommandName = (typeof commandNames)[number];

/** How each command is written; the words in angle brackets are described by `terminal.help.<name>`. */
export const commandUsage: Record<CommandName, readonly string[]> = {
  help: ["help [command]"],
  connect: ["connect [url] [--protocol p,...]"],
  send: ["send <text>", "send --hex <bytes>", "send --fragments N <text>"],
  ping: ["ping [payload]"],
  close: ["close [code] [reason]"],
  frames: ["frames on|off"],
  raw: ["raw <hex>"],
  status: ["status"],
  clear: ["clear"],
};

/** A message payload as typed: text, or bytes written in hex (`send --hex`), which go as binary. */
export type Payload = { kind: "text"; text: string } | { kind: "binary"; bytes: Uint8Array };

/** One parsed line of the console language. */
export type Command =
  | { name: "help"; topic: CommandName | null }
  | { name: "connect"; url: string | null; protocols: string[] }
  | { name: "send"; payload: Payload; fragments: number }
  | { name: "ping"; payload: string }
  | { name: "close"; code: number | null; reason: string }
  | { name: "frames"; on: boolean }
  | { name: "raw"; bytes: Uint8Array }
  | { name: "status" }
  | { name: "clear" };

/** What is wrong with a line, as an i18n key and its parameters. */
export interface Problem {
  key: UiKey;
  params?: Record<string, string | number>;
}

export type ParseResult = { ok: true; command: Command } | { ok: false; problem: Problem } | { ok: true; command: null };

const encoder = new TextEncoder();
const CONTROL_PAYLOAD_MAX = 125;

function fail<K extends UiKey>(key: K, ...[params]: ParamsOf<K>): ParseResult {
  return { ok: false, problem: params ? { key, params } : { key } };
}

function ok(command: Command): ParseResult {
  return { ok: true, command };
}

/** Splits off the first word; the rest keeps its inner spacing (a message is sent as typed). */
function firstWord(text: string): [word: string, rest: string] {
  const match = /^(\S*)\s?([\s\S]*)$/.exec(text)!;
  return [match[1]!, match[2]!];
}

/** The edit distance of two short words, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The command a mistyped word most likely meant, or null when none is close. */
export function suggestCommand(word: string): CommandName | null {
  const lower = word.toLowerCase();
  const byPrefix = commandNames.find((name) => lower.length >= 2 && name.startsWith(lower));
  if (byPrefix) return byPrefix;
  let best: CommandName | null = null;
  let bestDistance = 3;
  for (const name of commandNames) {
    const d = distance(lower, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

function isCommandName(word: string): word is CommandName {
  return (commandNames as readonly string[]).includes(word);
}

function parseHexArgument(text: string, command: CommandName): Uint8Array | Problem {
  try {
    return parseHex(text);
  } catch (error) {
    if (!(error instanceof HexError)) throw error;
    const char = text[error.position];
    return char === undefined
      ? { key: "terminal.problem.hexOdd", params: { command } }
      : { key: "terminal.problem.hexChar", params: { command, char, position: error.position + 1 } };
  }
}

function parseConnect(rest: string): ParseResult {
  let url: string | null = null;
  let protocols: string[] = [];
  const words = rest.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "--protocol" || word.startsWith("--protocol=")) {
      const value = word === "--protocol" ? words[++i] : word.slice("--protocol=".length);
      if (!value) return fail("terminal.problem.protocolValue");
      protocols = [...protocols, ...value.split(",").map((p) => p.trim()).filter(Boolean)];
      // 4.1: each subprotocol is a token (RFC 2616 §2.2): visible ASCII without separators.
      const bad = protocols.find((p) => !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(p));
      if (bad !== undefined) return fail("terminal.problem.protocolToken", { protocol: bad });
    } else if (word.startsWith("--")) {
      return fail("terminal.problem.unknownOption", { command: "connect", option: word });
    } else if (url === null) {
      url = word;
    } else {
      return fail("terminal.problem.extra", { command: "connect", text: word });
    }
  }
  return ok({ name: "connect", url, protocols });
}

function parseSend(rest: string): ParseResult {
  let hex = false;
  let fragments = 1;
  let text = rest;
  for (;;) {
    const [word, after] = firstWord(text);
    if (word === "--hex") {
      hex = true;
      text = after;
    } else if (word === "--fragments") {
      const [count, afterCount] = firstWord(after);
      if (!/^\d+$/.test(count) || Number(count) < 1) return fail("terminal.problem.fragmentsCount", { value: count });
      fragments = Number(count);
      text = afterCount;
    } else if (word === "--") {
      text = after;
      break;
    } else if (word.startsWith("--")) {
      return fail("terminal.problem.unknownOption", { command: "send", option: word });
    } else {
      break;
    }
  }
  let payload: Payload;
  if (hex) {
    const bytes = parseHexArgument(text, "send");
    if (!(bytes instanceof Uint8Array)) return { ok: false, problem: bytes };
    payload = { kind: "binary", bytes };
  } else {
    if (text === "") return fail("terminal.problem.sendEmpty");
    payload = { kind: "text", text };
  }
  const size = payload.kind === "text" ? encoder.encode(payload.text).length : payload.bytes.length;
  // Every fragment but the last must carry at least one byte, or the split shows nothing.
  if (fragments > 1 && fragments > size) return fail("terminal.problem.fragmentsTooMany", { fragments, count: size });
  return ok({ name: "send", payload, fragments });
}

function parseClose(rest: string): ParseResult {
  const [first, after] = firstWord(rest.trimStart());
  if (first === "") return ok({ name: "close", code: null, reason: "" });
  if (!/^\d+$/.test(first)) return fail("terminal.problem.closeCodeNumber", { value: first });
  const code = Number(first);
  if (!isSendableCloseCode(code)) return fail("terminal.problem.closeCodeRange", { code });
  try {
    encodeClosePayload(code, after);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return fail("terminal.problem.closeReasonLong", { max: MAX_CLOSE_REASON_BYTES, count: encoder.encode(after).length });
  }
  return ok({ name: "close", code, reason: after });
}

function noArguments(name: "status" | "clear", rest: string): ParseResult {
  return rest.trim() === "" ? ok({ name }) : fail("terminal.problem.extra", { command: name, text: rest.trim() });
}

/**
 * Parses one line of the console language. An empty line is `{ ok: true, command: null }`;
 * a line that cannot run says what is wrong (unknown command with a suggestion, bad hex, bad code).
 */
export function parseCommand(line: string): ParseResult {
  const [word, rest] = firstWord(line.trimStart());
  if (word === "") return { ok: true, command: null };
  const name = word.toLowerCase();
  if (!isCommandName(name)) {
    const suggestion = suggestCommand(name);
    return suggestion
      ? fail("terminal.problem.unknownSuggest", { command: word, suggestion })
      : fail("terminal.problem.unknown", { command: word });
  }
  switch (name) {
    case "help": {
      const topic = rest.trim().toLowerCase();
      if (topic === "") return ok({ name, topic: null });
      return isCommandName(topic) ? ok({ name, topic }) : fail("terminal.problem.helpTopic", { command: topic });
    }
    case "connect":
      return parseConnect(rest);
    case "send":
      return parseSend(rest);
    case "ping": {
      const size = encoder.encode(rest).length;
      // 5.5: "All control frames MUST have a payload length of 125 bytes or less".
      if (size > CONTROL_PAYLOAD_MAX) return fail("terminal.problem.pingLong", { count: size, max: CONTROL_PAYLOAD_MAX });
      return ok({ name, payload: rest });
    }
    case "close":
      return parseClose(rest);
    case "frames": {
      const value = rest.trim().toLowerCase();
      if (value === "on" || value === "off") return ok({ name, on: value === "on" });
      return fail("terminal.problem.framesValue", { value: rest.trim() });
    }
    case "raw": {
      if (rest.trim() === "") return fail("terminal.problem.rawEmpty");
      const bytes = parseHexArgument(rest, "raw");
      return bytes instanceof Uint8Array ? ok({ name, bytes }) : { ok: false, problem: bytes };
    }
    case "status":
    case "clear":
      return noArguments(name, rest);
  }
}

/** What Tab does with a line: the completed line, and the candidates when more than one fits. */
export interface Completion {
  line: string;
  candidates: string[];
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? "";
  for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

const argumentWords: Partial<Record<CommandName, readonly string[]>> = {
  frames: ["on", "off"],
  help: commandNames,
  send: ["--hex", "--fragments"],
  connect: ["--protocol"],
};

/** Completes the command name (or the argument of `frames`, `help`, `send`, `connect`) before the cursor. */
export function completeLine(line: string): Completion {
  const match = /^(\s*)(\S*)(?:(\s+)(\S*))?$/.exec(line);
  if (!match) return { line, candidates: [] };
  const [, lead, word, space, argument] = match as unknown as [string, string, string, string | undefined, string | undefined];
  const pick = (prefix: string, words: readonly string[], build: (word: string) => string): Completion => {
    const candidates = words.filter((w) => w.startsWith(prefix));
    if (candidates.length === 0) return { line, candidates: [] };
    if (candidates.length === 1) return { line: build(`${candidates[0]!} `), candidates: [] };
    const prefixAll = commonPrefix(candidates);
    return { line: build(prefixAll), candidates: prefixAll.length > prefix.length ? [] : [...candidates] };
  };
  if (space === undefined) return pick(word.toLowerCase(), commandNames, (w) => `${lead}${w}`);
  const words = argumentWords[word.toLowerCase() as CommandName];
  if (!words) return { line, candidates: [] };
  return pick(argument ?? "", words, (w) => `${lead}${word}${space}${w}`);
}
