import { describe, expect, test } from "vitest";
import { closeCodeKind, encodeClosePayload, isSendableCloseCode, parseClosePayload } from "./close.ts";
import { isValidUtf8, Utf8Validator } from "./utf8.ts";
import { toHex } from "./hex.ts";
import { hex, utf8 } from "./test-helpers.ts";

describe("close codes (§7.4)", () => {
  test.each([
    [999, "invalid"], [1000, "standard"], [1003, "standard"], [1004, "never-on-wire"], [1005, "never-on-wire"],
    [1006, "never-on-wire"], [1007, "standard"], [1014, "standard"], [1015, "never-on-wire"], [1016, "reserved"],
    [2999, "reserved"], [3000, "registered"], [3999, "registered"], [4000, "private"], [4999, "private"], [5000, "invalid"],
  ])("code %i is %s", (code, kind) => {
    expect(closeCodeKind(code)).toBe(kind);
    expect(isSendableCloseCode(code)).toBe(["standard", "registered", "private"].includes(kind));
  });
});

describe("close payloads", () => {
  test("a code and a reason round-trip", () => {
    const payload = encodeClosePayload(1001, "going away");
    expect(toHex(payload.subarray(0, 2))).toBe("03e9");
    expect(parseClosePayload(payload)).toEqual({ code: 1001, reason: "going away" });
    expect(parseClosePayload(new Uint8Array(0))).toEqual({ code: null, reason: "" });
  });

  test("§5.5.1: a reason without a code cannot be sent, because the body starts with the code", () => {
    expect(() => encodeClosePayload(undefined, "bye")).toThrow(expect.objectContaining({ code: "close-reason-without-code" }));
    expect(encodeClosePayload(undefined, "")).toHaveLength(0);
  });

  test("a reason of 123 bytes fits and 124 does not", () => {
    expect(encodeClosePayload(1000, "x".repeat(123))).toHaveLength(125);
    expect(() => encodeClosePayload(1000, "x".repeat(124))).toThrow(expect.objectContaining({ code: "close-reason-too-long" }));
  });

  test("received payloads with a bad length, code or reason fail with their codes", () => {
    expect(() => parseClosePayload(hex("03"))).toThrow(expect.objectContaining({ code: "close-payload-one-byte", closeCode: 1002 }));
    expect(() => parseClosePayload(hex("0b b8"))).not.toThrow();
    expect(() => parseClosePayload(hex("03 ee"))).toThrow(expect.objectContaining({ code: "invalid-close-code", closeCode: 1002 }));
    expect(() => parseClosePayload(hex("07 d0"))).toThrow(expect.objectContaining({ code: "invalid-close-code" }));
    expect(() => parseClosePayload(hex("03 e8 c0 80"))).toThrow(expect.objectContaining({ code: "invalid-close-reason", closeCode: 1007 }));
  });
});

describe("streaming UTF-8 validation", () => {
  test.each([
    ["an overlong 2-byte form", "c0 80", 1],
    ["an overlong 3-byte form", "e0 80 80", 2],
    ["a surrogate half", "ed a0 80", 2],
    ["a code point above U+10FFFF", "f4 90 80 80", 2],
    ["byte F5", "f5", 1],
    ["a lone continuation byte", "80", 1],
    ["a missing continuation", "e2 28 a1", 2],
  ])("rejects %s at its first bad byte", (_name, bytes, at) => {
    const validator = new Utf8Validator();
    expect(validator.push(hex(`41 ${bytes} 41 41`))).toBe(at);
    expect(validator.isComplete()).toBe(false);
  });

  test("agrees with TextDecoder on random bytes and on text cut at every point", () => {
    const strict = new TextDecoder("utf-8", { fatal: true });
    for (let run = 0; run < 2000; run++) {
      const bytes = new Uint8Array(1 + (run % 9)).map(() => Math.floor(Math.random() * 256));
      let expected = true;
      try {
        strict.decode(bytes);
      } catch {
        expected = false;
      }
      expect([toHex(bytes), isValidUtf8(bytes)]).toEqual([toHex(bytes), expected]);
    }
    const text = utf8("a€𝄞ж");
    for (let cut = 0; cut <= text.length; cut++) {
      const validator = new Utf8Validator();
      expect(validator.push(text.subarray(0, cut))).toBe(-1);
      expect(validator.push(text.subarray(cut))).toBe(-1);
      expect(validator.isComplete()).toBe(true);
    }
  });
});
