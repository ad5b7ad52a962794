import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { encodeFrame, frameSegments, headerLength, Opcode } from "./frame.ts";
import { FrameParser } from "./parser.ts";
import { applyMask, maskedCopy } from "./mask.ts";
import { toHex } from "./hex.ts";
import { hex, utf8 } from "./test-helpers.ts";

const mask = hex("37 fa 21 3d");
const parseOne = (bytes: Uint8Array) => {
  const parser = new FrameParser();
  const frames = parser.push(bytes);
  expect(parser.error).toBeNull();
  expect(frames).toHaveLength(1);
  return frames[0]!;
};

describe("RFC 6455 §5.7 examples", () => {
  const bytes256 = new Uint8Array(256).map((_, i) => i);
  const bytes64k = new Uint8Array(65536).map((_, i) => i * 7);
  const examples = [
    { name: "a single-frame unmasked text message", wire: hex("81 05 48 65 6c 6c 6f"), init: { opcode: 1, payload: utf8("Hello") } },
    { name: "a single-frame masked text message", wire: hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), init: { opcode: 1, payload: utf8("Hello"), mask } },
    { name: "the first fragment of an unmasked text message", wire: hex("01 03 48 65 6c"), init: { opcode: 1, fin: false, payload: utf8("Hel") } },
    { name: "the last fragment of an unmasked text message", wire: hex("80 02 6c 6f"), init: { opcode: 0, payload: utf8("lo") } },
    { name: "an unmasked ping", wire: hex("89 05 48 65 6c 6c 6f"), init: { opcode: 9, payload: utf8("Hello") } },
    { name: "a masked pong answering it", wire: hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"), init: { opcode: 10, payload: utf8("Hello"), mask } },
    { name: "256 bytes of binary data with a 16-bit length", wire: new Uint8Array([0x82, 0x7e, 0x01, 0x00, ...bytes256]), init: { opcode: 2, payload: bytes256 } },
    { name: "64 KiB of binary data with a 64-bit length", wire: new Uint8Array([0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0, ...bytes64k]), init: { opcode: 2, payload: bytes64k } },
  ];
  for (const { name, wire, init } of examples) {
    test(`encoding ${name} reproduces the RFC bytes`, () => {
      expect(toHex(encodeFrame(init))).toBe(toHex(wire));
    });
    test(`decoding ${name} gives back its fields`, () => {
      const frame = parseOne(wire);
      expect(frame.fin).toBe(init.fin ?? true);
      expect(frame.opcode).toBe(init.opcode);
      expect(frame.masked).toBe("mask" in init);
      expect(frame.maskingKey && toHex(frame.maskingKey)).toBe("mask" in init ? "37fa213d" : null);
      expect(toHex(frame.payload)).toBe(toHex(init.payload));
      expect(frame.headerLength + frame.payloadLength).toBe(wire.length);
    });
  }
});

describe("encodeFrame", () => {
  test("sets RSV1-3 and any opcode 0-15, reserved ones included", () => {
    const bytes = encodeFrame({ opcode: 0xb, fin: false, rsv1: true, rsv2: true, rsv3: true });
    expect(toHex(bytes)).toBe("7b00");
  });

  test("always uses the minimal length encoding at the 125/126 and 65535/65536 boundaries", () => {
    expect(headerLength(125, false)).toBe(2);
    expect(encodeFrame({ opcode: 2, payload: new Uint8Array(125) })[1]).toBe(125);
    expect(toHex(encodeFrame({ opcode: 2, payload: new Uint8Array(126) }).subarray(1, 4))).toBe("7e007e");
    expect(toHex(encodeFrame({ opcode: 2, payload: new Uint8Array(65535) }).subarray(1, 4))).toBe("7effff");
    expect(toHex(encodeFrame({ opcode: 2, payload: new Uint8Array(65536) }).subarray(1, 10))).toBe("7f0000000000010000");
  });

  test("mask: true draws the masking key from the given random source", () => {
    const bytes = encodeFrame({ opcode: 1, payload: "Hello", mask: true, randomBytes: () => hex("37fa213d") });
    expect(toHex(bytes)).toBe("818537fa213d7f9f4d5158");
  });

  test("refuses opcodes outside 0-15 and masking keys that are not 4 bytes", () => {
    expect(() => encodeFrame({ opcode: 16 })).toThrow(expect.objectContaining({ code: "invalid-opcode" }));
    expect(() => encodeFrame({ opcode: 1, mask: hex("0102") })).toThrow(expect.objectContaining({ code: "invalid-masking-key" }));
  });
});

describe("frameSegments", () => {
  test("names every byte range of a masked frame with a 16-bit length", () => {
    const bytes = encodeFrame({ opcode: 2, payload: new Uint8Array(300), mask });
    expect(frameSegments(bytes)).toEqual([
      { field: "finRsvOpcode", start: 0, end: 1 },
      { field: "maskLength", start: 1, end: 2 },
      { field: "extendedLength16", start: 2, end: 4 },
      { field: "maskingKey", start: 4, end: 8 },
      { field: "payload", start: 8, end: 308 },
    ]);
  });

  test("names the 64-bit length and stops at the end of a truncated frame", () => {
    const bytes = encodeFrame({ opcode: 2, payload: new Uint8Array(70000) }).subarray(0, 12);
    expect(frameSegments(bytes)).toEqual([
      { field: "finRsvOpcode", start: 0, end: 1 },
      { field: "maskLength", start: 1, end: 2 },
      { field: "extendedLength64", start: 2, end: 10 },
      { field: "payload", start: 10, end: 12 },
    ]);
    expect(frameSegments(hex("81 fe 00"))).toEqual([
      { field: "finRsvOpcode", start: 0, end: 1 },
      { field: "maskLength", start: 1, end: 2 },
      { field: "extendedLength16", start: 2, end: 3 },
    ]);
  });
});

describe("masking", () => {
  const byteWise = (data: Uint8Array, key: Uint8Array, keyOffset: number) =>
    data.map((byte, i) => byte ^ key[(i + keyOffset) & 3]!);

  test("word-wise masking equals byte-wise XOR at any alignment, length and key offset", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(7),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.nat(3),
        (bytes, shift, key, keyOffset) => {
          const backing = new Uint8Array(bytes.length + 8);
          const data = backing.subarray(shift, shift + bytes.length);
          data.set(bytes);
          applyMask(data, key, keyOffset);
          expect(toHex(data)).toBe(toHex(byteWise(bytes, key, keyOffset)));
          // Bytes around the view are untouched.
          expect(backing.subarray(0, shift).every((b) => b === 0)).toBe(true);
          expect(backing.subarray(shift + bytes.length).every((b) => b === 0)).toBe(true);
        },
      ),
    );
  });

  test("masking twice gives back the original payload", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(5), fc.uint8Array({ minLength: 4, maxLength: 4 }), (bytes, shift, key) => {
        const backing = new Uint8Array(bytes.length + shift);
        const data = backing.subarray(shift);
        data.set(bytes);
        applyMask(applyMask(data, key), key);
        expect(toHex(data)).toBe(toHex(bytes));
      }),
    );
  });

  test("maskedCopy leaves its input unchanged", () => {
    const data = utf8("Hello");
    expect(toHex(maskedCopy(data, mask))).toBe("7f9f4d5158");
    expect(toHex(data)).toBe("48656c6c6f");
  });
});

test("Opcode names the six opcodes RFC 6455 defines", () => {
  expect(Opcode).toEqual({ Continuation: 0, Text: 1, Binary: 2, Close: 8, Ping: 9, Pong: 10 });
});
