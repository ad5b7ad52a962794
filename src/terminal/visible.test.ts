import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { visible } from "./visible.ts";

describe("visible", () => {
  test("an escape sequence from the wire is printed as text, not obeyed", () => {
    expect(visible("\x1b[2Jgone")).toBe("\\x1b[2Jgone");
  });

  test("line breaks, tabs, NUL and DEL are named", () => {
    expect(visible("a\r\nb\tc\x00d\x7f")).toBe("a\\r\\nb\\tc\\x00d\\x7f");
  });

  test("C1 controls (U+0080-U+009F, e.g. the 8-bit CSI U+009B) are escaped", () => {
    expect(visible("\u009b2J\u0085")).toBe("\\x9b2J\\x85");
  });

  test("bidi overrides that would reorder the line are escaped", () => {
    expect(visible("abc\u202edef\u2066")).toBe("abc\\u202edef\\u2066");
  });

  test("a backslash is doubled, so every escape in the output stands for a real byte", () => {
    expect(visible("\\x1b")).toBe("\\\\x1b");
  });

  test("Cyrillic and emoji pass through unchanged", () => {
    expect(visible("привет 👋")).toBe("привет 👋");
  });

  test("a long payload is cut at a character boundary with the count of bytes left out", () => {
    expect(visible("я".repeat(10), { maxBytes: 5, cut: (n) => `[+${n}]` })).toBe("яя[+16]");
    expect(visible("a".repeat(600), { maxBytes: 512 })).toBe(`${"a".repeat(512)}… (+88 bytes)`);
    expect(visible("short", { maxBytes: 512 })).toBe("short");
  });

  test("property: the output never holds a control character, whatever comes in", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => !/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(visible(text))),
    );
  });
});
