/**
 * A whole-buffer UTF-8 check the platform may have, faster than a loop in JS: Node's
 * `buffer.isUtf8` (simdutf) is, by about 60 times. The server passes it in; the browser does without.
 */
export type Utf8Check = (bytes: Uint8Array) => boolean;

// Below this the JS loop is as quick as a call out and the views it needs.
const FAST_MIN = 64;

/**
 * Streaming UTF-8 validation (RFC 3629 §4, as RFC 6455 §8.1 requires for text) that stops at the
 * first byte no valid sequence can contain, so a bad message fails before it is complete. With a
 * `Utf8Check`, the bulk of each piece is checked by it and only a character cut at either end of
 * the piece, or the search for the first bad byte once it says no, runs in JS.
 */
export class Utf8Validator {
  // Continuation bytes still expected, and the range the next one must fall in: the ranges after
  // E0, ED, F0 and F4 rule out overlong forms, surrogates and code points above U+10FFFF.
  private needed = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private failed = false;
  private readonly check: Utf8Check | null;

  constructor(check: Utf8Check | null = null) {
    this.check = check;
  }

  /** Feeds the next bytes; returns the index in `bytes` of the first invalid byte, or -1 if none. */
  push(bytes: Uint8Array): number {
    if (this.failed) return 0;
    const length = bytes.length;
    const check = this.check;
    if (check === null || length < FAST_MIN) return this.scan(bytes, 0, length);
    // A character cut at the previous piece's end is finished first (at most 3 bytes).
    const start = Math.min(this.needed, length);
    if (start > 0) {
      const bad = this.scan(bytes, 0, start);
      if (bad !== -1 || start === length) return bad;
    }
    const end = completeCharactersEnd(bytes, start);
    if (!check(new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start))) return this.scan(bytes, start, end);
    return this.scan(bytes, end, length);
  }

  /** Whether everything pushed so far ends on a character boundary (a complete message). */
  isComplete(): boolean {
    return !this.failed && this.needed === 0;
  }

  /** Forgets all input, for the next message. */
  reset(): void {
    this.needed = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
    this.failed = false;
  }

  /** The byte-at-a-time check of `bytes[from, to)`, carrying a cut character over from the last call. */
  private scan(bytes: Uint8Array, from: number, to: number): number {
    let { needed, lower, upper } = this;
    let i = from;
    for (; i < to; i++) {
      const byte = bytes[i]!;
      if (needed === 0) {
        if (byte < 0x80) continue;
        if (byte < 0xc2 || byte > 0xf4) break;
        if (byte < 0xe0) {
          needed = 1;
        } else if (byte < 0xf0) {
          needed = 2;
          if (byte === 0xe0) lower = 0xa0;
          else if (byte === 0xed) upper = 0x9f;
        } else {
          needed = 3;
          if (byte === 0xf0) lower = 0x90;
          else if (byte === 0xf4) upper = 0x8f;
        }
      } else {
        if (byte < lower || byte > upper) break;
        lower = 0x80;
        upper = 0xbf;
        needed--;
      }
    }
    this.needed = needed;
    this.lower = lower;
    this.upper = upper;
    if (i < to) {
      this.failed = true;
      return i;
    }
    return -1;
  }
}

/**
 * Where the last character that is whole in `bytes` ends, searching back from the end past at
 * most three continuation bytes: the start of a lead byte whose sequence is cut off, or the end.
 */
function completeCharactersEnd(bytes: Uint8Array, from: number): number {
  const length = bytes.length;
  let lead = length - 1;
  while (lead >= from && lead > length - 4 && (bytes[lead]! & 0xc0) === 0x80) lead--;
  if (lead < from) return length;
  const byte = bytes[lead]!;
  const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return length - lead < size ? lead : length;
}

/** Whether `bytes` on their own are complete, valid UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  const validator = new Utf8Validator();
  return validator.push(bytes) === -1 && validator.isComplete();
}
