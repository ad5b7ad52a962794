import { InvalidPayloadError, ProtocolError, UsageError } from "./errors.ts";
import { isValidUtf8 } from "./utf8.ts";

/** 5.5: control payloads are at most 125 bytes, and the close code takes 2 of them. */
export const MAX_CLOSE_REASON_BYTES = 123;

/** How a close code is classified for display (§7.4.1, §7.4.2 and the IANA registry). */
export type CloseCodeKind = "standard" | "never-on-wire" | "reserved" | "registered" | "private" | "invalid";

/** Classifies a close code: which range it belongs to and so whether it may appear in a Close frame. */
export function closeCodeKind(code: number): CloseCodeKind {
  if (!Number.isInteger(code) || code < 1000 || code >= 5000) return "invalid";
  // 7.4.1: 1004 is reserved, 1005 and 1006 "MUST NOT be set as a status code in a Close control
  // frame by an endpoint", nor 1015 (TLS handshake failure).
  if (code === 1004 || code === 1005 || code === 1006 || code === 1015) return "never-on-wire";
  if (code <= 1014) return "standard";
  if (code < 3000) return "reserved";
  return code < 4000 ? "registered" : "private";
}

/** Whether a close code may be sent in, or accepted from, a Close frame. */
export function isSendableCloseCode(code: number): boolean {
  const kind = closeCodeKind(code);
  return kind === "standard" || kind === "registered" || kind === "private";
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Builds a Close frame payload: nothing, or a 2-byte code followed by a UTF-8 reason (§5.5.1).
 * @throws UsageError `close-reason-without-code` for a reason without a code (5.5.1: the body starts
 *   with the code), `close-code-not-sendable` for a code that may not be on the wire,
 *   `close-reason-too-long` for a reason over 123 bytes.
 */
export function encodeClosePayload(code?: number, reason = ""): Uint8Array {
  if (code === undefined) {
    // 5.5.1: "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer"
    if (reason !== "") throw new UsageError("close-reason-without-code", "a close reason needs a close code");
    return new Uint8Array(0);
  }
  if (!isSendableCloseCode(code)) {
    throw new UsageError("close-code-not-sendable", `close code ${code} may not be sent (${closeCodeKind(code)})`);
  }
  const reasonBytes = encoder.encode(reason);
  if (reasonBytes.length > MAX_CLOSE_REASON_BYTES) {
    throw new UsageError(
      "close-reason-too-long",
      `close reason is ${reasonBytes.length} bytes, at most ${MAX_CLOSE_REASON_BYTES} fit`,
    );
  }
  const payload = new Uint8Array(2 + reasonBytes.length);
  payload[0] = code >>> 8;
  payload[1] = code & 0xff;
  payload.set(reasonBytes, 2);
  return payload;
}

/** A parsed Close payload; `code` is null when the frame carried none (reported as 1005, §7.1.5). */
export interface ClosePayload {
  code: number | null;
  reason: string;
}

/**
 * Reads a received Close frame payload.
 * @throws ProtocolError `close-payload-one-byte` or `invalid-close-code`; InvalidPayloadError `invalid-close-reason`.
 */
export function parseClosePayload(payload: Uint8Array): ClosePayload {
  if (payload.length === 0) return { code: null, reason: "" };
  if (payload.length === 1) {
    throw new ProtocolError("close-payload-one-byte", "close payload of 1 byte has no room for a code");
  }
  const code = (payload[0]! << 8) | payload[1]!;
  if (!isSendableCloseCode(code)) {
    throw new ProtocolError("invalid-close-code", `close code ${code} is not valid on the wire`);
  }
  const reasonBytes = payload.subarray(2);
  // 5.5.1: the reason's "contents are not guaranteed to be human readable" but it is UTF-8 (8.1).
  if (!isValidUtf8(reasonBytes)) throw new InvalidPayloadError("invalid-close-reason", "close reason is not valid utf-8");
  return { code, reason: decoder.decode(reasonBytes) };
}
