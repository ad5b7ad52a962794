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

/**
 * Tells an `/inspect` message from an echoed text message that merely looks like JSON: only
 * messages sent by the sandbox itself have this exact shape, but a client can echo anything, so
 * callers that need certainty count messages (the handshake is always first, each frame
 * description comes before that frame's echo).
 */
export function parseInspectMessage(text: string): InspectMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const type = (value as { type?: unknown }).type;
  if (type === "handshake" && typeof (value as InspectHandshake).requestLine === "string") return value as InspectHandshake;
  if (type === "frame" && typeof (value as InspectFrame).payloadHex === "string") return value as InspectFrame;
  return null;
}
