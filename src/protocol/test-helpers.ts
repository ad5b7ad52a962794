// Helpers shared by the protocol tests.
import { parseHex } from "./hex.ts";

/** Hex to bytes, for writing wire bytes in tests as the RFC prints them. */
export const hex = (text: string): Uint8Array => parseHex(text);

/** Every way to cut `bytes` into pieces at the given cut points. */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => Math.min(Math.max(cut, 0), bytes.length)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    pieces.push(bytes.slice(start, point));
    start = point;
  }
  return pieces;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
