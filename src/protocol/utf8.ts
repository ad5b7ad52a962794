/**
 * Streaming UTF-8 validation (RFC 3629 §4, as RFC 6455 §8.1 requires for text) that stops at the
 * first byte no valid sequence can contain, so a bad message fails before it is complete.
 */
export class Utf8Validator {
  // Continuation bytes still expected, and the range the next one must fall in: the ranges after
  // E0, ED, F0 and F4 rule out overlong forms, surrogates and code points above U+10FFFF.
  private needed = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private failed = false;

  /** Feeds the next bytes; returns the index in `bytes` of the first invalid byte, or -1 if none. */
  push(bytes: Uint8Array): number {
    if (this.failed) return 0;
    let { needed, lower, upper } = this;
    const length = bytes.length;
    let i = 0;
    for (; i < length; i++) {
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
    if (i < length) {
      this.failed = true;
      return i;
    }
    return -1;
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
}

/** Whether `bytes` on their own are complete, valid UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  const validator = new Utf8Validator();
  return validator.push(bytes) === -1 && validator.isComplete();
}
