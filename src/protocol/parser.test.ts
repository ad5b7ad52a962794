import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { encodeFrame, type FrameInit } from "./frame.ts";
import { FrameParser, type ParsedFrame } from "./parser.ts";
import { WebSocketError } from "./errors.ts";
import { toHex } from "./hex.ts";
import { hex, splitAt } from "./test-helpers.ts";

const frameInit = fc.record({
  opcode: fc.integer({ min: 0, max: 15 }),
  fin: fc.boolean(),
  rsv1: fc.boolean(),
  rsv2: fc.boolean(),
  rsv3: fc.boolean(),
  payload: fc.oneof(
    { arbitrary: fc.uint8Array({ maxLength: 140 }), weight: 9 },
    { arbitrary: fc.uint8Array({ minLength: 65530, maxLength: 65540 }), weight: 1 },
  ),
  mask: fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }), { nil: undefined }),
});

const summary = (frame: ParsedFrame) => ({
  fin: frame.fin,
  rsv: [frame.rsv1, frame.rsv2, frame.rsv3],
  opcode: frame.opcode,
  masked: frame.masked,
  maskingKey: frame.maskingKey && toHex(frame.maskingKey),
  payload: toHex(frame.payload),
  offset: frame.offset,
  bytes: frame.bytes && toHex(frame.bytes),
});

function parseChunks(chunks: Uint8Array[]) {
  const parser = new FrameParser({ retainBytes: true });
  const frames = chunks.flatMap((chunk) => parser.push(chunk));
  return { frames: frames.map(summary), error: parser.error?.code ?? null, waitingFor: parser.waitingFor };
}

describe("FrameParser", () => {
  test("decoding an encoded frame gives back the same frame and its raw bytes", () => {
    fc.assert(
      fc.property(frameInit, (init: FrameInit) => {
        const bytes = encodeFrame(init);
        const parser = new FrameParser({ retainBytes: true });
        const [frame] = parser.push(bytes);
        expect(parser.error).toBeNull();
        expect(frame).toMatchObject({ fin: init.fin, rsv1: init.rsv1, rsv2: init.rsv2, rsv3: init.rsv3, opcode: init.opcode });
        expect(frame!.masked).toBe(init.mask !== undefined);
        expect(toHex(frame!.payload)).toBe(toHex(init.payload as Uint8Array));
        expect(toHex(frame!.bytes!)).toBe(toHex(bytes));
      }),
      { numRuns: 150 },
    );
  });

  test("any chunking of a stream gives the same frames, error and waiting field", () => {
    const stream = fc.array(frameInit, { maxLength: 4 }).chain((inits) => {
      const bytes = new Uint8Array(inits.flatMap((init) => [...encodeFrame(init)]));
      return fc.tuple(
        fc.constant(bytes),
        fc.array(fc.nat(bytes.length), { maxLength: 12 }),
        fc.nat(bytes.length),
      );
    });
    fc.assert(
      fc.property(stream, ([bytes, cuts, truncate]) => {
        const whole = parseChunks([bytes.subarray(0, truncate)]);
        expect(parseChunks(splitAt(bytes.subarray(0, truncate), cuts))).toEqual(whole);
        if (truncate < 1000) {
          expect(parseChunks(splitAt(bytes.subarray(0, truncate), [...Array(truncate).keys()]))).toEqual(whole);
        }
      }),
      { numRuns: 100 },
    );
  });

  test("a masked payload cut into chunks unmasks to what was sent, with or without retained bytes", () => {
    const split = fc.tuple(frameInit, fc.array(fc.nat(), { maxLength: 12 })).map(([init, cuts]) => {
      const payload = init.payload instanceof Uint8Array ? init.payload : new Uint8Array(0);
      const bytes = encodeFrame({ opcode: 2, payload, mask: init.mask ?? hex("37 fa 21 3d") });
      return { payload: toHex(payload), chunks: splitAt(bytes, cuts.map((cut) => cut % (bytes.length + 1))) };
    });
    fc.assert(
      fc.property(split, ({ payload, chunks }) => {
        for (const parser of [new FrameParser(), new FrameParser({ retainBytes: true })]) {
          const frames = chunks.flatMap((chunk) => parser.push(chunk));
          expect(frames.map((frame) => toHex(frame.payload))).toEqual([payload]);
        }
      }),
      { numRuns: 100 },
    );
  });

  test("random and mutated byte strings either parse or fail with a WebSocketError", () => {
    const mutated = fc.tuple(frameInit, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 })).map(([init, edits]) => {
      const bytes = encodeFrame(init);
      for (const [at, value] of edits) if (bytes.length) bytes[at % bytes.length] = value;
      return bytes;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
        const parser = new FrameParser({ maxFrameSize: 1 << 20, retainBytes: true });
        for (const chunk of splitAt(bytes, cuts)) {
          try {
            parser.push(chunk);
          } catch (error) {
            throw new Error(`push threw ${String(error)}`);
          }
        }
        expect(parser.error === null || parser.error instanceof WebSocketError).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test("a partial frame names the field it is waiting for", () => {
    const masked16 = encodeFrame({ opcode: 2, payload: new Uint8Array(300), mask: hex("01020304") });
    const expectations: Array<[number, string | null]> = [
      [0, null],
      [1, "header"],
      [2, "extendedLength16"],
      [3, "extendedLength16"],
      [4, "maskingKey"],
      [7, "maskingKey"],
      [8, "payload"],
      [307, "payload"],
      [308, null],
    ];
    for (const [length, field] of expectations) {
      const parser = new FrameParser();
      parser.push(masked16.subarray(0, length));
      expect([length, parser.waitingFor]).toEqual([length, field]);
    }
    const parser = new FrameParser();
    parser.push(encodeFrame({ opcode: 2, payload: new Uint8Array(70000) }).subarray(0, 5));
    expect(parser.waitingFor).toBe("extendedLength64");
  });

  test("a 64-bit length with the most significant bit set fails with 1002 length-msb-set", () => {
    const parser = new FrameParser();
    parser.push(hex("82 7f 80 00 00 00 00 00 00 00"));
    expect(parser.error).toMatchObject({ code: "length-msb-set", closeCode: 1002, section: "5.2" });
  });

  test("a 64-bit length above 2^53 - 1 fails with 1009 message-too-big before any payload arrives", () => {
    const parser = new FrameParser();
    parser.push(hex("82 7f 00 20 00 00 00 00 00 00"));
    expect(parser.error).toMatchObject({ code: "message-too-big", closeCode: 1009 });
  });

  test("a length not in the minimal number of bytes fails with 1002 non-minimal-length", () => {
    for (const wire of ["82 7e 00 7d", "82 7f 00 00 00 00 00 00 ff ff"]) {
      const parser = new FrameParser();
      parser.push(hex(wire));
      expect(parser.error).toMatchObject({ code: "non-minimal-length", closeCode: 1002 });
    }
  });

  test("a frame above maxFrameSize fails with 1009 frame-too-big as soon as its length is read", () => {
    const parser = new FrameParser({ maxFrameSize: 1000 });
    parser.push(hex("82 7e 03 e9"));
    expect(parser.error).toMatchObject({ code: "frame-too-big", closeCode: 1009 });
  });

  test("frames before a violation are still returned", () => {
    const parser = new FrameParser();
    const frames = parser.push(hex("81 02 68 69 82 7f 80 00 00 00 00 00 00 00"));
    expect(frames.map((f) => toHex(f.payload))).toEqual(["6869"]);
    expect(parser.error?.code).toBe("length-msb-set");
    expect(parser.push(hex("81 00"))).toEqual([]);
  });
});
