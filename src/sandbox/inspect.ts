import { opcodeName, toHex, type ExtensionOffer, type ParsedFrame } from "../protocol/index.ts";

/** How many payload bytes a frame description shows in hex; the rest is cut (`truncated: true`). */
export const INSPECT_PAYLOAD_HEX_BYTES = 64;

/**
 * The first message on `/inspect`: the upgrade request exactly as the server received it
 * (the part of the handshake a browser's WebSocket API never shows).
 */
export interface InspectHandshake {
  type: "handshake";
  /** e.g. "GET /inspect HTTP/1.1". */
  requestLine: string;
  /** Header fields in arrival order, names as sent, values trimmed. */
  headers: Array<[name: string, value: string]>;
  origin: string | null;
  /** `Sec-WebSocket-Key` as sent. */
  key: string;
  /** Subprotocols offered in `Sec-WebSocket-Protocol`, in the client's order. */
  protocols: string[];
  /** Extensions offered in `Sec-WebSocket-Extensions`; the sandbox accepts none of them. */
  extensions: ExtensionOffer[];
  /** The `Sec-WebSocket-Accept` value the server answered with. */
  accept: string;
  /** The subprotocol the server chose, or null when it sent no `Sec-WebSocket-Protocol`. */
  protocol: string | null;
}

/** One frame exactly as it arrived on `/inspect`, sent before the server acts on it. */
export interface InspectFrame {
  type: "frame";
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  /** "text", "binary", "continuation", "close", "ping", "pong". */
  opcodeName: string;
  masked: boolean;
  /** The 4-byte masking key in lower-case hex, e.g. "37fa213d"; null for an unmasked frame. */
  maskingKey: string | null;
  payloadLength: number;
  /** The unmasked payload in lower-case hex, at most INSPECT_PAYLOAD_HEX_BYTES bytes of it. */
  payloadHex: string;
  /** Present (and true) only when payloadHex holds less than the whole payload. */
  truncated?: true;
}

/** Every JSON text message `/inspect` sends that is not an echo. */
export type InspectMessage = InspectHandshake | InspectFrame;

/** The JSON description of one received frame. */
export function describeFrame(frame: ParsedFrame): InspectFrame {
  const shown = frame.payload.subarray(0, INSPECT_PAYLOAD_HEX_BYTES);
  const description: InspectFrame = {
    type: "frame",
    fin: frame.fin,
    rsv1: frame.rsv1,
    rsv2: frame.rsv2,
    rsv3: frame.rsv3,
    opcode: frame.opcode,
    opcodeName: opcodeName(frame.opcode),
    masked: frame.masked,
    maskingKey: frame.maskingKey ? toHex(frame.maskingKey) : null,
    payloadLength: frame.payloadLength,
    payloadHex: toHex(shown),
  };
  if (shown.length < frame.payload.length) description.truncated = true;
  return description;
}

/** Longest text taken as an `/inspect` report: the sandbox's own (an 8 KiB head, escaped as JSON) stay well under it. */
export const MAX_INSPECT_MESSAGE_CHARS = 64 * 1024;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === "string";
const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === "string";
const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";
const isArrayOf = <T>(value: unknown, item: (v: unknown) => v is T): value is T[] => Array.isArray(value) && value.every(item);
const isHeader = (value: unknown): value is [string, string] => Array.isArray(value) && value.length === 2 && value.every(isString);
const isExtension = (value: unknown): value is ExtensionOffer =>
  isObject(value) &&
  isString(value.name) &&
  isArrayOf(value.params, (p): p is ExtensionOffer["params"][number] => isObject(p) && isString(p.name) && isStringOrNull(p.value));

function readHandshake(value: Json): InspectHandshake | null {
  const { requestLine, headers, origin, key, protocols, extensions, accept, protocol } = value;
  if (!isString(requestLine) || !isArrayOf(headers, isHeader) || !isStringOrNull(origin) || !isString(key)) return null;
  if (!isArrayOf(protocols, isString) || !isArrayOf(extensions, isExtension) || !isString(accept) || !isStringOrNull(protocol)) return null;
  return { type: "handshake", requestLine, headers, origin, key, protocols, extensions, accept, protocol };
}

function readFrame(value: Json): InspectFrame | null {
  const { fin, rsv1, rsv2, rsv3, opcode, opcodeName: name, masked, maskingKey, payloadLength, payloadHex, truncated } = value;
  if (![fin, rsv1, rsv2, rsv3, masked].every(isBoolean)) return null;
  if (!Number.isInteger(opcode) || (opcode as number) < 0 || (opcode as number) > 15 || name !== opcodeName(opcode as number)) return null;
  if (masked ? !(isString(maskingKey) && /^[0-9a-f]{8}$/.test(maskingKey)) : maskingKey !== null) return null;
  if (!Number.isSafeInteger(payloadLength) || (payloadLength as number) < 0) return null;
  if (!isString(payloadHex) || payloadHex.length > 2 * INSPECT_PAYLOAD_HEX_BYTES || !/^(?:[0-9a-f]{2})*$/.test(payloadHex)) return null;
  // The hex is the whole payload, or its first bytes with `truncated: true`.
  const shown = payloadHex.length / 2;
  if (truncated === undefined ? shown !== payloadLength : truncated !== true || shown >= (payloadLength as number)) return null;
  const frame: InspectFrame = {
    type: "frame",
    fin: fin as boolean,
    rsv1: rsv1 as boolean,
    rsv2: rsv2 as boolean,
    rsv3: rsv3 as boolean,
    opcode: opcode as number,
    opcodeName: name,
    masked: masked as boolean,
    maskingKey: maskingKey as string | null,
    payloadLength: payloadLength as number,
    payloadHex,
  };
  if (truncated) frame.truncated = true;
  return frame;
}

/**
 * Reads an `/inspect` report, checking it against the schema above field by field (types, hex
 * digits, an opcode name that matches the opcode, a masking key exactly when MASK is set, a hex
 * payload that agrees with the length): a server at any URL ending in /inspect may send anything,
 * so what fails is not a report and is shown as an ordinary message. Only the known fields are
 * kept. Telling a report from an echoed message that merely looks like one needs counting
 * (the handshake is always first, each frame description comes before that frame's echo).
 */
export function parseInspectMessage(text: string): InspectMessage | null {
  if (text.length > MAX_INSPECT_MESSAGE_CHARS) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  if (value.type === "handshake") return readHandshake(value);
  if (value.type === "frame") return readFrame(value);
  return null;
}
