import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { maskWords } from "./mask-words.ts";
import { simdAvailable, simdMaskInto } from "./mask-simd.ts";
import { maskInto, maskRange } from "./mask.ts";
import { toHex } from "./hex.ts";

/** §5.3 as written: octet i of the output is octet i of the input XOR octet (i MOD 4) of the key. */
const reference = (bytes: Uint8Array, key: Uint8Array, keyAt: number, phase: number) =>
  bytes.map((byte, i) => byte ^ key[keyAt + ((i + phase) & 3)]!);

// Short runs cover every edge of the word and 64-byte SIMD loops; long ones cross 16 KiB scratch blocks.
const lengths = fc.oneof(fc.integer({ min: 0, max: 67 }), fc.integer({ min: 68, max: 600 }), fc.integer({ min: 16_000, max: 70_000 }));
const runs = fc.record({
  length: lengths,
  seed: fc.nat(255),
  shift: fc.nat(7),
  targetShift: fc.nat(7),
  key: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  keyAt: fc.nat(4),
  phase: fc.nat(7),
});

function fill(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 167 + seed) & 0xff;
  return bytes;
}

/** A view at `shift` into a zeroed buffer 8 bytes larger, so writes past either end show up. */
function unaligned(bytes: Uint8Array, shift: number) {
  const backing = new Uint8Array(bytes.length + 8);
  const view = backing.subarray(shift, shift + bytes.length);
  view.set(bytes);
  const untouchedAround = () =>
    backing.subarray(0, shift).every((b) => b === 0) && backing.subarray(shift + bytes.length).every((b) => b === 0);
  return { view, untouchedAround };
}

const inPlacePaths: Array<[string, (data: Uint8Array, key: Uint8Array, keyAt: number, phase: number) => void]> = [
  ["32-bit words in JS", (data, key, keyAt, phase) => maskWords(data, 0, data.length, key, keyAt, phase)],
  ["Wasm SIMD", (data, key, keyAt, phase) => simdMaskInto(data, 0, data, 0, data.length, key, keyAt, phase)],
  ["maskRange, whichever it picks", (data, key, keyAt, phase) => maskRange(data, 0, data.length, key, keyAt, phase)],
];

describe("masking gives the §5.3 bytes on every path", () => {
  test("this engine has WebAssembly SIMD, so the fast path is the one under test", () => {
    expect(simdAvailable).toBe(true);
  });

  for (const [name, maskInPlace] of inPlacePaths) {
    test(`${name} in place equals byte-wise XOR for any length, alignment, key and key phase`, () => {
      fc.assert(
        fc.property(runs, ({ length, seed, shift, key, keyAt, phase }) => {
          const bytes = fill(length, seed);
          const { view, untouchedAround } = unaligned(bytes, shift);
          maskInPlace(view, key, keyAt, phase);
          expect(toHex(view)).toBe(toHex(reference(bytes, key, keyAt, phase)));
          expect(untouchedAround()).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  }

  test("Wasm SIMD and the fused copy write a masked copy and leave the source as it was", () => {
    fc.assert(
      fc.property(runs, ({ length, seed, shift, targetShift, key, keyAt, phase }) => {
        const bytes = fill(length, seed);
        const source = unaligned(bytes, shift).view;
        const expected = toHex(reference(bytes, key, keyAt, phase));
        for (const copy of [simdMaskInto, maskInto]) {
          const target = unaligned(new Uint8Array(length), targetShift);
          copy(source, 0, target.view, 0, length, key, keyAt, phase);
          expect(toHex(target.view)).toBe(expected);
          expect(target.untouchedAround()).toBe(true);
        }
        expect(toHex(source)).toBe(toHex(bytes));
      }),
      { numRuns: 300 },
    );
  });

  test("the JS and Wasm paths agree on a 1 MiB payload", () => {
    const bytes = fill(1 << 20, 7);
    const key = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]);
    const words = bytes.slice();
    maskWords(words, 0, words.length, key, 0, 1);
    const simd = bytes.slice();
    simdMaskInto(simd, 0, simd, 0, simd.length, key, 0, 1);
    expect(Buffer.compare(words, simd)).toBe(0);
    expect(Buffer.compare(words, reference(bytes, key, 0, 1))).toBe(0);
  });
});
