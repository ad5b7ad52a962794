const EMPTY = new Uint8Array(0);

// The first allocation: small enough that a connection holding a tiny fragment costs little,
// large enough that a message in small fragments is not copied on every one of them.
const FIRST_CAPACITY = 1024;

/**
 * Bytes that arrive in pieces (a payload cut between chunks, a message in fragments), written into
 * one array that grows when full: no list of pieces, each piece copied once plus amortised growth.
 * Capacity never exceeds `factor` times what was asked for (or `FIRST_CAPACITY`), so a peer cannot
 * make it hold much more than it sent; `bytesHeld` is that capacity.
 */
export class GrowingBytes {
  /** The bytes so far are `bytes[0, length)`; the rest is room to grow. */
  bytes: Uint8Array = EMPTY;
  length = 0;
  /** The most it may ever hold (a message size limit); growth stops there. */
  readonly limit: number;

  constructor(limit = Number.MAX_SAFE_INTEGER) {
    this.limit = limit;
  }

  /** What this holds in memory: the capacity, not only the bytes written. */
  get bytesHeld(): number {
    return this.bytes.byteLength;
  }

  /**
   * Makes room for `needed` bytes in all, growing to `factor` times that (2 by default) but at most
   * `atMost` (a known final size, or the limit that applies); `needed` must not exceed `atMost`.
   */
  reserve(needed: number, atMost: number, factor = 2): Uint8Array {
    const capacity = this.bytes.length;
    if (needed <= capacity) return this.bytes;
    const grown = new Uint8Array(Math.min(atMost, Math.max(needed * factor, capacity * 2, FIRST_CAPACITY)));
    if (this.length > 0) grown.set(new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.length));
    this.bytes = grown;
    return grown;
  }

  /** Returns the bytes written (a view of the array, which is no longer this object's) and starts over empty. */
  take(): Uint8Array {
    const { bytes, length } = this;
    this.bytes = EMPTY;
    this.length = 0;
    return length === bytes.length ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, length);
  }
}
