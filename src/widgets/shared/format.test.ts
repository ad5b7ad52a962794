import { describe, expect, test } from "vitest";
import { encodeFrame, frameSegments } from "../../protocol/index.ts";
import { asHttpHead, asciiChar, bits, hexByte, hexPair, hexPreview, lengthEncoding, repeatToLength, toLf } from "./format.ts";

describe("display helpers", () => {
  test("a long payload is previewed with a count of the hidden bytes", () => {
    expect(hexPreview(new Uint8Array([0x81, 0x85, 0x37]), 2)).toEqual({ text: "81 85", hidden: 1 });
    expect(hexPreview(new Uint8Array([0x81]), 2)).toEqual({ text: "81", hidden: 0 });
  });

  test("bytes are drawn as 8 bits, most significant first, as in the §5.2 diagram", () => {
    expect(bits(0x81)).toBe("10000001");
    expect(bits(0x05)).toBe("00000101");
    expect(hexByte(0x0a)).toBe("0x0a");
    expect(hexPair(0x0a)).toBe("0a");
  });

  test("a payload repeated to a length is cut exactly there", () => {
    const hello = new TextEncoder().encode("Hello");
    expect(new TextDecoder().decode(repeatToLength(hello, 12))).toBe("HelloHelloHe");
    expect(repeatToLength(hello, 0)).toHaveLength(0);
    expect(repeatToLength(new Uint8Array(0), 3)).toEqual(new Uint8Array(3));
  });

  test("§5.2: 125 bytes fit in 7 bits, 126 and 65535 take 16 more, 65536 takes 64 more", () => {
    const encoding = (length: number) =>
      lengthEncoding(frameSegments(encodeFrame({ opcode: 2, payload: new Uint8Array(length) })));
    expect([125, 126, 65535, 65536].map(encoding)).toEqual(["7", "16", "16", "64"]);
  });

  test("non-printable bytes show as a dot, CRLF and CR become LF", () => {
    expect([0x48, 0x00, 0x7f].map(asciiChar).join("")).toBe("H··");
    expect(toLf("a\r\nb\rc\n")).toBe("a\nb\nc\n");
  });

  test("a pasted HTTP head gets exactly one terminating blank line", () => {
    expect(asHttpHead("GET / HTTP/1.1\nHost: a\n")).toBe("GET / HTTP/1.1\nHost: a\r\n\r\n");
    expect(asHttpHead("GET / HTTP/1.1\r\nHost: a\r\n\r\n\r\n")).toBe("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  });
});
