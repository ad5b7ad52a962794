import { maskWords } from "./mask-words.ts";
import { simdAvailable, simdMaskInto } from "./mask-simd.ts";
import { allocate } from "./pool.ts";

// Measured (Node 24, x86-64): from about 384 bytes the Wasm SIMD path, even with its copies through
// Wasm memory, beats 32-bit words in JS; below 32 bytes a plain byte loop beats both, and when
// copying it fuses the copy with the XOR.
const SIMD_MIN = 384;
const BYTEWISE_MAX = 32;

/**
 * What every masking path does (RFC 6455 §5.3): writes `source[sourceStart, +length)` XOR the masking
 * key at `key[keyAt..keyAt+3]`, the key's index starting at `phase`, to `target` from `targetStart`.
 * Source and target may be the same bytes (masking in place).
 */
export type MaskInto = (
  source: Uint8Array,
  sourceStart: number,
  target: Uint8Array,
  targetStart: number,
  length: number,
  key: Uint8Array,
  keyAt: number,
  phase: number,
) => void;

/**
 * XORs `data[start, end)` with the masking key found at `key[keyAt..keyAt+3]` (RFC 6455 §5.3), the
 * key's index starting at `phase`: Wasm SIMD for long runs where available, 32-bit words in JS otherwise.
 */
export function maskRange(data: Uint8Array, start: number, end: number, key: Uint8Array, keyAt: number, phase: number): void {
  maskInto(data, start, data, start, end - start, key, keyAt, phase);
}

/**
 * XORs `data` in place with the 4-byte masking key (RFC 6455 §5.3) and returns it.
 * `keyOffset` is how many payload bytes came before `data`, for masking a payload in pieces.
 */
export function applyMask(data: Uint8Array, maskingKey: Uint8Array, keyOffset = 0): Uint8Array {
  maskRange(data, 0, data.length, maskingKey, 0, keyOffset);
  return data;
}

/** Returns a masked (or unmasked: XOR is its own inverse) copy of `data`, leaving `data` as it was. */
export function maskedCopy(data: Uint8Array, maskingKey: Uint8Array): Uint8Array {
  const copy = allocate(data.length);
  maskInto(data, 0, copy, 0, data.length, maskingKey, 0, 0);
  return copy;
}

/**
 * The path that is fastest for `length`: the copy a frame needs anyway is fused with the XOR where
 * that pays. Not part of the public API (index.ts lists what is).
 */
export const maskInto: MaskInto = (source, sourceStart, target, targetStart, length, key, keyAt, phase) => {
  if (length < BYTEWISE_MAX) {
    maskBytes(source, sourceStart, target, targetStart, length, key, keyAt, phase);
  } else if (simdAvailable && length >= SIMD_MIN) {
    simdMaskInto(source, sourceStart, target, targetStart, length, key, keyAt, phase);
  } else {
    // The word loop masks in place, so a copy goes first unless the caller is masking in place.
    if (target !== source || targetStart !== sourceStart) {
      target.set(new Uint8Array(source.buffer, source.byteOffset + sourceStart, length), targetStart);
    }
    maskWords(target, targetStart, targetStart + length, key, keyAt, phase);
  }
};

// A byte at a time, reading each byte before writing it, so `target` may be `source` (in place).
const maskBytes: MaskInto = (source, sourceStart, target, targetStart, length, key, keyAt, phase) => {
  const k0 = key[keyAt + (phase & 3)]!;
  const k1 = key[keyAt + ((phase + 1) & 3)]!;
  const k2 = key[keyAt + ((phase + 2) & 3)]!;
  const k3 = key[keyAt + ((phase + 3) & 3)]!;
  let i = 0;
  for (const whole = length - 3; i < whole; i += 4) {
    target[targetStart + i] = source[sourceStart + i]! ^ k0;
    target[targetStart + i + 1] = source[sourceStart + i + 1]! ^ k1;
    target[targetStart + i + 2] = source[sourceStart + i + 2]! ^ k2;
    target[targetStart + i + 3] = source[sourceStart + i + 3]! ^ k3;
  }
  for (; i < length; i++) target[targetStart + i] = source[sourceStart + i]! ^ key[keyAt + ((phase + i) & 3)]!;
};
