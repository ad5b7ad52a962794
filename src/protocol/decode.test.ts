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

  test("a text frame whose byte is not UTF-8 is that frame's fault, and called invalid, not 'not text'", () => {
    const result = decodeStream(hex("81 81 00 00 00 00 ff"));
    expect(result.error).toMatchObject({ code: "invalid-utf8", closeCode: 1007 });
    expect(result.frames).toHaveLength(1);
    expect(result.errorFrame).toBe(0);
    expect(result.frames[0]).toMatchObject({ opcode: 1, textProblem: "invalid" });
    expect(result.frames[0]!.text).toBeUndefined();
  });

  test("a header that breaks a rule belongs to the frame after those listed", () => {
    // A first fragment (no message yet), then a reserved opcode: the fragment is not to blame.
    const result = decodeStream(hex("01 03 48 65 6c 83 00"), { role: "client" });
    expect(result.frames).toHaveLength(1);
    expect(result.error).toMatchObject({ code: "reserved-opcode" });
    expect(result.errorFrame).toBe(1);
    expect(decodeStream(hex("81 05 48 65 6c 6c 6f")).errorFrame).toBe(0);
    expect(decodeStream(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")).errorFrame).toBeNull();
  });

  test("a fragment cut inside a character is 'cut'; a message that ends inside one is invalid at its last frame", () => {
    const euro = utf8("€");
    const cut = decodeStream(
      new Uint8Array([...encodeFrame({ opcode: 1, fin: false, payload: euro.subarray(0, 1) }), ...encodeFrame({ opcode: 0, payload: euro.subarray(1) })]),
      { role: "client" },
    );
    expect(cut.frames.map((frame) => frame.textProblem)).toEqual(["cut", "cut"]);
    const unfinished = decodeStream(
      new Uint8Array([...encodeFrame({ opcode: 1, fin: false, payload: utf8("ok") }), ...encodeFrame({ opcode: 0, payload: euro.subarray(0, 2) })]),
      { role: "client" },
    );
    expect(unfinished.frames.map((frame) => [frame.text, frame.textProblem])).toEqual([["ok", undefined], [undefined, "invalid"]]);
    expect(unfinished.errorFrame).toBe(1);
    expect(decodeStream(hex("82 01 ff"), { role: "client" }).frames[0]).not.toHaveProperty("textProblem");
  });

  test("a Close frame with a code that may not be sent still shows the code it carries", () => {
    const result = decodeStream(hex("88 04 03 ed 68 69"), { role: "client" });
    expect(result.error).toMatchObject({ code: "invalid-close-code" });
    expect(result.errorFrame).toBe(0);
    expect(result.frames[0]).toMatchObject({ closeCode: 1005, closeReason: "hi" });
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
