/** Display helpers shared by the widgets: how bytes are shown, never what they mean. */

import { toHex, type FrameSegment } from "../../protocol/index.ts";

/** At most `limit` bytes as spaced hex, and how many were left out (long payloads stay readable). */
export function hexPreview(bytes: Uint8Array, limit: number): { text: string; hidden: number } {
  const shown = bytes.length > limit ? bytes.subarray(0, limit) : bytes;
  return { text: toHex(shown, " "), hidden: bytes.length - shown.length };
}

/** A byte as eight binary digits, most significant first, as the RFC's diagrams draw it. */
export function bits(byte: number): string {
  return byte.toString(2).padStart(8, "0");
}

/** `byte` as `4d`. */
export function hexPair(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}

/** `byte` as `0x4d`. */
export function hexByte(byte: number): string {
  return `0x${hexPair(byte)}`;
}

/** `base` repeated (and cut) to exactly `length` bytes; zero bytes if `base` is empty. */
export function repeatToLength(base: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (base.length === 0) return out;
  for (let filled = 0; filled < length; filled += base.length) {
    out.set(base.subarray(0, Math.min(base.length, length - filled)), filled);
  }
  return out;
}

const lossy = new TextDecoder("utf-8");

/** Bytes read as UTF-8 for display only, bad sequences shown as U+FFFD (validation is the core's job). */
export function displayText(bytes: Uint8Array): string {
  return lossy.decode(bytes);
}

/** How a single byte reads as a character: printable ASCII as itself, anything else as a dot. */
export function asciiChar(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : "·";
}

/** Normalises pasted text to LF line endings (readers paste CRLF from captures and LF from editors). */
export function toLf(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** Which length encoding a frame used, read from the core's segments (§5.2: 7, 7+16 or 7+64 bits). */
export function lengthEncoding(segments: readonly FrameSegment[]): "7" | "16" | "64" {
  if (segments.some((segment) => segment.field === "extendedLength64")) return "64";
  if (segments.some((segment) => segment.field === "extendedLength16")) return "16";
  return "7";
}

/**
 * Pasted HTTP head text as it would arrive: trailing whitespace dropped and the blank line that ends
 * a head added, so a paste that stops after the last header line (with or without a newline) parses.
 */
export function asHttpHead(text: string): string {
  return `${text.replace(/\s+$/, "")}\r\n\r\n`;
}
