import { describe, expect, test } from "vitest";
import { decodeStream, parseHex, toHex } from "../protocol/index.ts";
import { encodeFromState, encoderDefaults } from "./frameEncoderModel.ts";

function bytesOf(state: Parameters<typeof encodeFromState>[0]): string {
  const result = encodeFromState(state);
  if (!result.ok) throw new Error(`not encoded: ${result.code}`);
  return toHex(result.bytes, " ");
}

describe("the frame encoder's form", () => {
  test("§5.7: the initial state is the masked 'Hello' with key 37 fa 21 3d", () => {
    expect(bytesOf(encoderDefaults)).toBe("81 85 37 fa 21 3d 7f 9f 4d 51 58");
  });

  test("§5.7: unmasked 'Hello', its two fragments and an unmasked ping", () => {
    const unmasked = { ...encoderDefaults, mask: false };
    expect(bytesOf(unmasked)).toBe("81 05 48 65 6c 6c 6f");
    expect(bytesOf({ ...unmasked, fin: false, payload: "Hel" })).toBe("01 03 48 65 6c");
    expect(bytesOf({ ...unmasked, opcode: 0, payload: "lo" })).toBe("80 02 6c 6f");
    expect(bytesOf({ ...unmasked, opcode: 9 })).toBe("89 05 48 65 6c 6c 6f");
  });

  test("§5.7: a 256-byte and a 65536-byte binary frame get 16- and 64-bit lengths", () => {
    const binary = { ...encoderDefaults, mask: false, opcode: 2, format: "hex", payload: "00" };
    expect(bytesOf({ ...binary, fillTo: 256 }).slice(0, 11)).toBe("82 7e 01 00");
    expect(bytesOf({ ...binary, fillTo: 65536 }).slice(0, 29)).toBe("82 7f 00 00 00 00 00 01 00 00");
  });

  test("a hex payload is taken as bytes and a repeated payload decodes back whole", () => {
    const state = { ...encoderDefaults, format: "hex", payload: "0xde:0xad", fillTo: 126 };
    const result = encodeFromState(state);
    if (!result.ok) throw new Error(result.code);
    const decoded = decodeStream(result.bytes, { role: "server" });
    expect(decoded.error).toBeNull();
    expect(decoded.frames[0]!.payload).toHaveLength(126);
    expect(toHex(decoded.frames[0]!.payload.subarray(0, 4), " ")).toBe("de ad de ad");
  });

  test("a Close frame takes its payload from the code and reason", () => {
    expect(bytesOf({ ...encoderDefaults, mask: false, opcode: 8, closeCode: "1000", closeReason: "bye" })).toBe(
      toHex(parseHex("88 05 03 e8 62 79 65"), " "),
    );
    expect(bytesOf({ ...encoderDefaults, mask: false, opcode: 8, closeCode: "" })).toBe("88 00");
  });

  test("the input the core refuses is named: a 3-byte key, bad hex, an unsendable close code", () => {
    expect(encodeFromState({ ...encoderDefaults, maskingKey: "37 fa 21" })).toEqual({
      ok: false,
      code: "invalid-masking-key",
      input: "maskingKey",
    });
    expect(encodeFromState({ ...encoderDefaults, format: "hex", payload: "zz" })).toEqual({
      ok: false,
      code: "invalid-hex",
      input: "payload",
    });
    expect(encodeFromState({ ...encoderDefaults, opcode: 8, closeCode: "1005" })).toEqual({
      ok: false,
      code: "close-code-not-sendable",
      input: "close",
    });
  });
});
