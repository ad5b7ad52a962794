import { describe, expect, test } from "vitest";
import { INSPECT_PAYLOAD_HEX_BYTES, MAX_INSPECT_MESSAGE_CHARS } from "../../sandbox/index.ts";
import { InspectStream } from "./live.ts";

const frame = {
  type: "frame", fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, opcodeName: "text",
  masked: true, maskingKey: "a1b2c3d4", payloadLength: 2, payloadHex: "6869",
};
const handshake = {
  type: "handshake", requestLine: "GET /inspect HTTP/1.1", headers: [["Host", "x"]], origin: null, key: "k",
  protocols: [], extensions: [{ name: "permessage-deflate", params: [{ name: "client_max_window_bits", value: null }] }],
  accept: "a", protocol: null,
};

/** What a fresh /inspect stream makes of one message. */
const read = (value: unknown) => new InspectStream().read(typeof value === "string" ? value : JSON.stringify(value));

describe("InspectStream: /inspect reports are checked against their schema before use", () => {
  test("the sandbox's own reports pass, and only their known fields are kept", () => {
    expect(read(frame)).toEqual(frame);
    expect(read(handshake)).toEqual(handshake);
    expect(read({ ...frame, extra: "\x1b[2J" })).toEqual(frame);
    const long = { ...frame, payloadLength: 1000, payloadHex: "00".repeat(INSPECT_PAYLOAD_HEX_BYTES), truncated: true };
    expect(read(long)).toEqual(long);
  });

  test.each([
    ["an opcode name that is not the opcode's", { ...frame, opcodeName: "\x1b[2J\x1b]8;;http://evil.example/\x1b\\LINK" }],
    ["no opcode", { ...frame, opcode: undefined }],
    ["an opcode out of range", { ...frame, opcode: 16, opcodeName: "reserved" }],
    ["a masking key that is a number", { ...frame, maskingKey: 12345678 }],
    ["a masking key on an unmasked frame", { ...frame, masked: false }],
    ["no masking key on a masked frame", { ...frame, maskingKey: null }],
    ["a masking key that is not 4 bytes of hex", { ...frame, maskingKey: "a1b2c3\x1b" }],
    ["a length that is not a safe integer", { ...frame, payloadLength: 2 ** 53 }],
    ["a negative length", { ...frame, payloadLength: -1 }],
    ["a length as a string", { ...frame, payloadLength: "2" }],
    ["hex with other characters", { ...frame, payloadHex: "6g69" }],
    ["hex that disagrees with the length", { ...frame, payloadLength: 3 }],
    ["more hex than a report carries", { ...frame, payloadLength: 65, payloadHex: "00".repeat(65) }],
    ["truncated when the hex is whole", { ...frame, truncated: true }],
    ["FIN as a string", { ...frame, fin: "1" }],
    ["headers: null", { ...handshake, headers: null }],
    ["a header that is not a pair of strings", { ...handshake, headers: [["Host", 1]] }],
    ["a request line that is not a string", { ...handshake, requestLine: ["GET"] }],
    ["extensions that are strings", { ...handshake, extensions: ["x"] }],
    ["an unknown type", { ...frame, type: "frames" }],
    ["an array", [frame]],
  ])("%s is not a report", (_, value) => {
    expect(read(value)).toBeNull();
  });

  test("JSON that is too long or not JSON is not a report", () => {
    expect(read("{")).toBeNull();
    expect(read("null")).toBeNull();
    expect(read(JSON.stringify({ ...handshake, key: "k".repeat(MAX_INSPECT_MESSAGE_CHARS) }))).toBeNull();
  });
});
