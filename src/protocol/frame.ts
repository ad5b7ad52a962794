import { UsageError } from "./errors.ts";
import { maskInto } from "./mask.ts";
import { allocate } from "./pool.ts";
import { randomInto, type RandomBytes } from "./random.ts";

/** Opcodes defined by RFC 6455 §5.2; 3-7 and 11-15 are reserved. */
export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

const opcodeNames: Record<number, string> = {
  0: "continuation",
  1: "text",
  2: "binary",
  8: "close",
  9: "ping",
  10: "pong",
};

/** The RFC name of an opcode ("text", "ping", ...) or "reserved" for 3-7 and 11-15. */
export function opcodeName(opcode: number): string {
  return opcodeNames[opcode] ?? "reserved";
}

/** Whether an opcode is a control frame's: the most significant opcode bit is set (§5.5). */
export function isControlOpcode(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

/** Whether RFC 6455 defines the opcode (the rest are reserved, §5.2). */
export function isKnownOpcode(opcode: number): boolean {
  return opcode in opcodeNames;
}

/** One WebSocket frame; `payload` is always unmasked, `maskingKey` is null when `masked` is false. */
export interface Frame {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  maskingKey: Uint8Array | null;
  payload: Uint8Array;
}

/** What to put in a frame; unset flags are false except `fin` (true), `mask: true` draws a random key. */
export interface FrameInit {
  opcode: number;
  payload?: Uint8Array | string;
  fin?: boolean;
  rsv1?: boolean;
  rsv2?: boolean;
  rsv3?: boolean;
  mask?: boolean | Uint8Array;
  randomBytes?: RandomBytes;
}

/** The fields of a frame header in wire order, as named in the §5.2 diagram. */
export type FrameField = "header" | "extendedLength16" | "extendedLength64" | "maskingKey" | "payload";

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** Largest payload length a JavaScript number holds exactly; longer 64-bit lengths are refused. */
export const MAX_PAYLOAD_LENGTH = Number.MAX_SAFE_INTEGER;

/** Number of header bytes for a payload length and mask flag, with the minimal length encoding (§5.2). */
export function headerLength(payloadLength: number, masked: boolean): number {
  const lengthBytes = payloadLength < 126 ? 0 : payloadLength < 0x10000 ? 2 : 8;
  return 2 + lengthBytes + (masked ? 4 : 0);
}

/**
 * Serializes a frame, always with the minimal length encoding (§5.2) and the payload masked if asked.
 * Reserved opcodes and bits are allowed, to show what a peer does with them. Small frames share
 * a pooled buffer (like Node's small Buffers): use the returned view, not its `.buffer`.
 * @throws UsageError `invalid-opcode` outside 0-15, `invalid-masking-key` for a key not of 4 bytes.
 */
export function encodeFrame(init: FrameInit): Uint8Array {
  const { mask } = init;
  if (mask instanceof Uint8Array && mask.length !== 4) {
    throw new UsageError("invalid-masking-key", `masking key must be 4 bytes, got ${mask.length}`);
  }
  const payload =
    typeof init.payload === "string" ? encoder.encode(init.payload) : (init.payload ?? EMPTY);
  const masked = mask instanceof Uint8Array || mask === true;
  const length = payload.length;
  const offset = headerLength(length, masked);
  // The payload starts on a 4-byte boundary, so masking goes a word at a time from its first byte.
  const bytes = allocate(offset + length, offset);
  writeHeader(bytes, init, length, masked);
  if (masked) {
    if (mask === true) randomInto(bytes, offset - 4, 4, init.randomBytes);
    else bytes.set(mask, offset - 4);
    // The copy into the frame is fused with the masking (mask.ts picks how for the length).
    maskInto(payload, 0, bytes, offset, length, bytes, offset - 4, 0);
  } else {
    bytes.set(payload, offset);
  }
  // Pooled memory may hold an earlier frame, but every byte of this one was written above.
  return bytes;
}

/**
 * The header of an unmasked frame whose payload of `payloadLength` bytes is sent after it as it
 * is, so a large payload need not be copied into the frame.
 * @throws UsageError `invalid-opcode` outside 0-15.
 */
export function encodeHeader(init: FrameInit, payloadLength: number): Uint8Array {
  const bytes = allocate(headerLength(payloadLength, false));
  writeHeader(bytes, init, payloadLength, false);
  return bytes;
}

function writeHeader(bytes: Uint8Array, init: FrameInit, length: number, masked: boolean): void {
  const { opcode } = init;
  if (!Number.isInteger(opcode) || opcode < 0 || opcode > 15) {
    throw new UsageError("invalid-opcode", `opcode must be an integer 0-15, got ${opcode}`);
  }
  bytes[0] =
    (init.fin === false ? 0 : 0x80) |
    (init.rsv1 ? 0x40 : 0) |
    (init.rsv2 ? 0x20 : 0) |
    (init.rsv3 ? 0x10 : 0) |
    opcode;
  if (length < 126) {
    bytes[1] = length;
  } else if (length < 0x10000) {
    bytes[1] = 126;
    bytes[2] = length >>> 8;
    bytes[3] = length & 0xff;
  } else {
    bytes[1] = 127;
    const high = Math.floor(length / 0x100000000);
    bytes[2] = high >>> 24;
    bytes[3] = (high >>> 16) & 0xff;
    bytes[4] = (high >>> 8) & 0xff;
    bytes[5] = high & 0xff;
    bytes[6] = length >>> 24;
    bytes[7] = (length >>> 16) & 0xff;
    bytes[8] = (length >>> 8) & 0xff;
    bytes[9] = length & 0xff;
  }
  if (masked) bytes[1] |= 0x80;
}

/** A byte range of an encoded frame and the field it holds; `end` is exclusive. */
export interface FrameSegment {
  field: "finRsvOpcode" | "maskLength" | "extendedLength16" | "extendedLength64" | "maskingKey" | "payload";
  start: number;
  end: number;
}

/**
 * Splits the first frame in `bytes` into its fields, for showing which byte is which.
 * A truncated frame gives the segments it has, the last one cut at the end of the input.
 */
export function frameSegments(bytes: Uint8Array): FrameSegment[] {
  const segments: FrameSegment[] = [];
  const add = (field: FrameSegment["field"], start: number, size: number): boolean => {
    if (start >= bytes.length && size > 0) return false;
    segments.push({ field, start, end: Math.min(start + size, bytes.length) });
    return start + size <= bytes.length;
  };
  if (!add("finRsvOpcode", 0, 1) || !add("maskLength", 1, 1)) return segments;
  const masked = (bytes[1]! & 0x80) !== 0;
  const length7 = bytes[1]! & 0x7f;
  let offset = 2;
  let payloadLength = length7;
  if (length7 === 126) {
    if (!add("extendedLength16", 2, 2)) return segments;
    payloadLength = (bytes[2]! << 8) | bytes[3]!;
    offset = 4;
  } else if (length7 === 127) {
    if (!add("extendedLength64", 2, 8)) return segments;
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    payloadLength = view.getUint32(2) * 0x100000000 + view.getUint32(6);
    offset = 10;
  }
  if (masked) {
    if (!add("maskingKey", offset, 4)) return segments;
    offset += 4;
  }
  if (payloadLength > 0) add("payload", offset, payloadLength);
  return segments;
}
