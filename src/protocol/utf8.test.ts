import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { Utf8Validator, type Utf8Check } from "./utf8.ts";
import { splitAt } from "./test-helpers.ts";

// A whole-buffer check as a platform would give it (here TextDecoder's, the reference for §8.1).
const strict = new TextDecoder("utf-8", { fatal: true });
const wholeCheck: Utf8Check = (bytes) => {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** Text of every UTF-8 length, long enough to take the fast path, with a few bytes maybe overwritten. */
const pieces = fc
  .tuple(
    fc.string({ unit: "binary", minLength: 0, maxLength: 300 }),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 2 }),
    fc.array(fc.nat(1200), { maxLength: 6 }),
  )
  .map(([text, corruptions, cuts]) => {
    const bytes = new TextEncoder().encode(text);
    for (const [at, byte] of corruptions) if (bytes.length > 0) bytes[at % bytes.length] = byte;
    return splitAt(bytes, cuts);
  });

function run(validator: Utf8Validator, chunks: Uint8Array[]) {
  return { results: chunks.map((chunk) => validator.push(chunk)), complete: validator.isComplete() };
}

describe("Utf8Validator with a whole-buffer check", () => {
  test("gives the same answer, at the same byte, as the loop alone, however the text is cut", () => {
    fc.assert(
      fc.property(pieces, (chunks) => {
        expect(run(new Utf8Validator(wholeCheck), chunks)).toEqual(run(new Utf8Validator(), chunks));
      }),
      { numRuns: 1000 },
    );
  });

  test("a character cut between pieces passes, and a bad byte in the middle of a long piece is found", () => {
    const euro = new TextEncoder().encode(`${"a".repeat(100)}€${"b".repeat(100)}`);
    const validator = new Utf8Validator(wholeCheck);
    expect(validator.push(euro.subarray(0, 101))).toBe(-1);
    expect(validator.push(euro.subarray(101))).toBe(-1);
    expect(validator.isComplete()).toBe(true);
    const bad = new TextEncoder().encode("c".repeat(200));
    bad[150] = 0xff;
    expect(new Utf8Validator(wholeCheck).push(bad)).toBe(150);
  });
});
