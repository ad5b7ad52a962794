import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { optionOrder, selfCheckId } from "./self-check.ts";

describe("the order a reader sees a question's options in", () => {
  test("is always a permutation of every option", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.string(), (count, seed, key) => {
        expect([...optionOrder(count, seed, key)].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
      }),
    );
  });

  test("is the same for the same reader and question, on every visit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.string(), (count, seed, key) => {
        expect(optionOrder(count, seed, key)).toEqual(optionOrder(count, seed, key));
      }),
    );
  });

  test("puts the right answer in every position about equally often across readers", () => {
    // 4 options, answer 1 (the position lessons favoured); 8,000 readers with consecutive seeds.
    const readers = 8000;
    const positions = [0, 0, 0, 0];
    for (let seed = 0; seed < readers; seed++) positions[optionOrder(4, seed, "self-check-masking-1x2y3z-q0").indexOf(1)]!++;
    for (const times of positions) expect(Math.abs(times / readers - 0.25)).toBeLessThan(0.03);
  });

  test("differs between the questions of one reader, so one seed does not move every answer alike", () => {
    const orders = new Set(Array.from({ length: 20 }, (_, q) => optionOrder(4, 12345, `self-check-framing-abc-q${q}`).join()));
    expect(orders.size).toBeGreaterThan(5);
  });
});

test("a self-check's id changes when its questions change, so old radio names never meet new questions", () => {
  const q = { question: "Who masks?", options: ["client", "server"], answer: 0, explanation: "§5.3" };
  expect(selfCheckId("masking", [q])).toBe(selfCheckId("masking", [{ ...q }]));
  expect(selfCheckId("masking", [q])).not.toBe(selfCheckId("masking", [{ ...q, answer: 1 }]));
  expect(selfCheckId("masking", [q])).toMatch(/^self-check-masking-[0-9a-z]+$/);
});
