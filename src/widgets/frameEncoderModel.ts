/** What the FrameEncoder widget builds from its form: the state in, the core's frame out. */

import {
  UsageError,
  encodeClosePayload,
  encodeFrame,
  frameSegments,
  parseHex,
  type FrameSegment,
  type UsageErrorCode,
} from "../protocol/index.ts";
import { repeatToLength } from "./shared/format.ts";

export const CLOSE_OPCODE = 0x8;

/** The encoder form; flat and plain so it round-trips through the URL hash. */
export type EncoderState = {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  mask: boolean;
  maskingKey: string;
  /** "text" (UTF-8) or "hex". */
  format: string;
  payload: string;
  /** 0: the payload as typed; otherwise the payload repeated to exactly this many bytes. */
  fillTo: number;
  closeCode: string;
  closeReason: string;
};

/** RFC 6455 §5.7: a masked text frame "Hello" with the masking key 37 fa 21 3d. */
export const encoderDefaults: EncoderState = {
  fin: true,
  rsv1: false,
  rsv2: false,
  rsv3: false,
  opcode: 0x1,
  mask: true,
  maskingKey: "37 fa 21 3d",
  format: "text",
  payload: "Hello",
  fillTo: 0,
  closeCode: "1000",
  closeReason: "",
};

export type EncodeResult =
  | { ok: true; bytes: Uint8Array; segments: FrameSegment[]; payloadLength: number }
  | { ok: false; code: UsageErrorCode; input: "maskingKey" | "payload" | "close" };

const encoder = new TextEncoder();

function payloadOf(state: EncoderState): Uint8Array {
  if (state.opcode === CLOSE_OPCODE) {
    const code = state.closeCode.trim();
    return encodeClosePayload(code === "" ? undefined : Number(code), state.closeReason);
  }
  const base = state.format === "hex" ? parseHex(state.payload) : encoder.encode(state.payload);
  return state.fillTo > 0 ? repeatToLength(base, state.fillTo) : base;
}

/** Encodes the frame the form describes, or names the input the core refused and why. */
export function encodeFromState(state: EncoderState): EncodeResult {
  let maskingKey: Uint8Array | false = false;
  let input: "maskingKey" | "payload" | "close" = "maskingKey";
  try {
    if (state.mask) maskingKey = parseHex(state.maskingKey);
    input = state.opcode === CLOSE_OPCODE ? "close" : "payload";
    const payload = payloadOf(state);
    input = "maskingKey";
    const bytes = encodeFrame({
      opcode: state.opcode,
      fin: state.fin,
      rsv1: state.rsv1,
      rsv2: state.rsv2,
      rsv3: state.rsv3,
      mask: maskingKey,
      payload,
    });
    return { ok: true, bytes, segments: frameSegments(bytes), payloadLength: payload.length };
  } catch (error) {
    if (error instanceof UsageError) return { ok: false, code: error.code, input };
    throw error;
  }
}
