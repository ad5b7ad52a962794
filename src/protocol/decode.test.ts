import { describe, expect, test } from "vitest";
import { decodeStream } from "./decode.ts";
import { encodeFrame } from "./frame.ts";
import { parseHex, toHex } from "./hex.ts";
import { errorCodes, HexError } from "./errors.ts";
import { en } from "../i18n/en.ts";
import { sandboxErrorCodes } from "../sandbox/endpoint.ts";
import { hex, utf8 } from "./test-helpers.ts";

describe("decodeStream", () => {
  test("§5.7: a masked 'Hello' from a client decodes to text", () => {
    const result = decodeStream(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
    expect(result.error).toBeNull();
    expect(result.waitingFor).toBeNull();
    expect(result.frames).toHaveLength(1);
    expect(result.frames[0]).toMatchObject({ fin: true, opcode: 1, masked: true, payloadLength: 5, headerLength: 6, offset: 0, text: "Hello" });
    expect(result.messages).toEqual([{ type: "text", data: "Hello" }]);
  });

  test("fragments show their text only when it is whole characters on their own", () => {
    const euro = utf8("a€");
    const result = decodeStream(
      new Uint8Array([
        ...encodeFrame({ opcode: 1, fin: false, payload: euro.subarray(0, 2) }),
        ...encodeFrame({ opcode: 0, payload: euro.subarray(2) }),
      ]),
      { role: "client" },
    );
    expect(result.frames.map((frame) => frame.text)).toEqual([undefined, undefined]);
    expect(result.frames[1]!.offset).toBe(4);
    expect(result.messages).toEqual([{ type: "text", data: "a€" }]);
  });

  test("a close frame shows its code and reason", () => {
    const result = decodeStream(encodeFrame({ opcode: 8, payload: hex("03 e8 6f 6b") }), { role: "client" });
    expect(result.frames[0]).toMatchObject({ closeCode: 1000, closeReason: "ok" });
    expect(result.messages).toEqual([{ type: "close", code: 1000, reason: "ok" }]);
  });

  test("frames before the first violation are listed with the error", () => {
    const result = decodeStream(hex("81 80 00 00 00 00 81 02 68 69"));
    expect(result.frames).toHaveLength(1);
    expect(result.error).toMatchObject({ code: "unmasked-client-frame", closeCode: 1002 });
    expect(result.waitingFor).toBeNull();
  });

  test("a truncated stream says which field it stops in", () => {
    expect(decodeStream(hex("81")).waitingFor).toBe("header");
    expect(decodeStream(hex("81 fe 00")).waitingFor).toBe("extendedLength16");
    expect(decodeStream(hex("81 85 37 fa")).waitingFor).toBe("maskingKey");
    expect(decodeStream(hex("81 85 37 fa 21 3d 7f")).waitingFor).toBe("payload");
  });

  test("maxPayload limits the message size", () => {
    expect(decodeStream(encodeFrame({ opcode: 2, payload: new Uint8Array(10) }), { role: "client", maxPayload: 9 }).error).toMatchObject({
      code: "message-too-big",
      closeCode: 1009,
    });
  });
});

describe("hex", () => {
  test("reads any spacing, 0x prefixes and colons", () => {
    expect(toHex(parseHex("0x81 0x05:48-65\n6c,6C 6f"))).toBe("810548656c6c6f");
    expect(toHex(parseHex("81:05", ), " ")).toBe("81 05");
  });

  test("names the position of the first bad character", () => {
    expect(() => parseHex("81 0g")).toThrow(HexError);
    try {
      parseHex("81 0g");
    } catch (error) {
      expect(error).toMatchObject({ code: "invalid-hex", position: 4 });
    }
    expect(() => parseHex("818")).toThrow(expect.objectContaining({ code: "invalid-hex" }));
  });
});

test("every stable error code, the core's and the sandbox's, has an English message", () => {
  expect(errorCodes.length).toBeGreaterThan(40);
  const missing = [...errorCodes, ...sandboxErrorCodes].filter((code) => !(`error.${code}` in en));
  expect(missing).toEqual([]);
});
