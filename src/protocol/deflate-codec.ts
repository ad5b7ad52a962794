import {
  ZStream,
  Z_BUF_ERROR,
  Z_DEFAULT_STRATEGY,
  Z_OK,
  Z_STREAM_END,
  Z_SYNC_FLUSH,
  zlibDeflate,
  zlibDeflateInit2,
  zlibDeflateReset,
  zlibDeflateSetDictionary,
  zlibInflate,
  zlibInflateInit2,
  zlibInflateReset,
  zlibInflateSetDictionary,
} from "pako";

/**
 * Raw DEFLATE (RFC 1951) one message at a time, synchronously. Context takeover is a dictionary:
 * the bytes of the earlier messages that the window still covers, which the caller keeps
 * (`SlidingWindow`), so a codec holds no state per connection and any codec can do any message.
 * The core brings `pakoCodec` (pure JS, for browsers); the Node server passes one over node:zlib,
 * four to five times faster from 16 KiB up (measured: docs/ARCHITECTURE.md, "permessage-deflate").
 */
export interface DeflateCodec {
  /**
   * Compresses `data` with the window preset to `dictionary`, ending in a sync flush: the output
   * ends with the empty stored block `00 00 ff ff` (RFC 7692 §7.2.1 strips it, not the codec).
   */
  deflate(data: Uint8Array, dictionary: Uint8Array | null, windowBits: number): Uint8Array;
  /**
   * Inflates `data` (the message's payload, tail already appended or not needed) with the window
   * preset to `dictionary`; stops and returns null as soon as more than `maxLength` bytes come
   * out (a decompression bomb ends there). Throws an Error for data that is not DEFLATE.
   */
  inflate(data: Uint8Array, dictionary: Uint8Array | null, windowBits: number, maxLength: number): Uint8Array | null;
}

/**
 * zlib cannot compress with a 256-byte window (windowBits 8): since 1.2.9 it refuses raw streams of
 * 8. A 9-bit zlib window reaches back at most 512 - 262 (MIN_LOOKAHEAD) = 250 bytes, so its output
 * is valid for a peer that allowed only 8 bits; Node's zlib makes the same substitution.
 */
export function compressorWindowBits(windowBits: number): number {
  return Math.max(9, windowBits);
}

const Z_DEFLATED = 8;
const MEM_LEVEL = 8;

// One stream per window size, shared by every connection in this realm: the core is synchronous,
// so a call never overlaps another, and each call resets the stream and sets its own dictionary.
const deflaters = new Map<number, ZStream>();
const inflaters = new Map<number, ZStream>();

function deflater(windowBits: number, level: number): ZStream {
  const key = windowBits * 16 + level;
  let stream = deflaters.get(key);
  if (stream === undefined) {
    stream = new ZStream();
    const status = zlibDeflateInit2(stream, level, Z_DEFLATED, -compressorWindowBits(windowBits), MEM_LEVEL, Z_DEFAULT_STRATEGY);
    if (status !== Z_OK) throw new Error(`deflate init failed: ${stream.msg}`);
    deflaters.set(key, stream);
  } else {
    zlibDeflateReset(stream);
  }
  return stream;
}

function inflater(windowBits: number): ZStream {
  let stream = inflaters.get(windowBits);
  if (stream === undefined) {
    stream = new ZStream();
    const status = zlibInflateInit2(stream, -windowBits);
    if (status !== Z_OK) throw new Error(`inflate init failed: ${stream.msg}`);
    inflaters.set(windowBits, stream);
  } else {
    zlibInflateReset(stream);
  }
  return stream;
}

/** The four bytes a sync flush ends with, stripped by the sender and put back by the receiver (RFC 7692 §7.2.2). */
const SYNC_FLUSH_TAIL = new Uint8Array([0x00, 0x00, 0xff, 0xff]);

/** pako (a line-by-line port of zlib) as a `DeflateCodec`; `level` 0-9, 6 by default as in zlib. */
export function createPakoCodec(level = 6): DeflateCodec {
  return {
    deflate(data, dictionary, windowBits) {
      const stream = deflater(windowBits, level);
      if (dictionary !== null && dictionary.length > 0) zlibDeflateSetDictionary(stream, dictionary);
      stream.input = data;
      stream.next_in = 0;
      stream.avail_in = data.length;
      // zlib's deflateBound for stored blocks, plus the flush: usually one pass.
      let output = new Uint8Array(data.length + (data.length >>> 12) + (data.length >>> 14) + 32);
      stream.output = output;
      stream.next_out = 0;
      stream.avail_out = output.length;
      for (;;) {
        const status = zlibDeflate(stream, Z_SYNC_FLUSH);
        if (status !== Z_OK && status !== Z_BUF_ERROR) throw new Error(`deflate failed: ${stream.msg}`);
        // zlib's rule: a flush is complete when it leaves output space unused.
        if (stream.avail_out !== 0) break;
        const grown = new Uint8Array(output.length * 2);
        grown.set(output);
        stream.avail_out = grown.length - output.length;
        stream.output = grown;
        output = grown;
      }
      const length = stream.next_out;
      stream.input = EMPTY;
      stream.output = EMPTY_OUT;
      return output.subarray(0, length);
    },

    inflate(data, dictionary, windowBits, maxLength) {
      const stream = inflater(windowBits);
      if (dictionary !== null && dictionary.length > 0) zlibInflateSetDictionary(stream, dictionary);
      // One byte past the limit is enough to know it was crossed.
      const cap = maxLength + 1;
      let output = new Uint8Array(Math.min(cap, Math.max(1024, data.length * 4)));
      stream.output = output;
      stream.next_out = 0;
      stream.avail_out = output.length;
      try {
        for (const input of [data, SYNC_FLUSH_TAIL]) {
          stream.input = input;
          stream.next_in = 0;
          stream.avail_in = input.length;
          while (stream.avail_in > 0) {
            const status = zlibInflate(stream, Z_SYNC_FLUSH);
            if (status === Z_STREAM_END) return output.subarray(0, stream.next_out);
            if (status !== Z_OK && status !== Z_BUF_ERROR) throw new Error(stream.msg || `inflate failed with ${status}`);
            if (stream.avail_out > 0) {
              // No output room missing and still no progress: the input is all taken in.
              if (status === Z_BUF_ERROR) break;
              continue;
            }
            if (output.length >= cap) return null;
            const grown = new Uint8Array(Math.min(cap, output.length * 2));
            grown.set(output);
            stream.avail_out = grown.length - output.length;
            stream.output = grown;
            output = grown;
          }
        }
        return stream.next_out > maxLength ? null : output.subarray(0, stream.next_out);
      } finally {
        stream.input = EMPTY;
        stream.output = EMPTY_OUT;
      }
    },
  };
}

const EMPTY = new Uint8Array(0);
const EMPTY_OUT = new Uint8Array(0);

/** The core's default codec: pako at zlib's default level. */
export const pakoCodec: DeflateCodec = createPakoCodec();
