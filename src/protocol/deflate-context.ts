import { InvalidPayloadError, MessageTooBigError } from "./errors.ts";
import { pakoCodec, type DeflateCodec } from "./deflate-codec.ts";
import type { DeflateParams } from "./deflate-negotiation.ts";
import type { Role } from "./message.ts";

const EMPTY = new Uint8Array(0);

/**
 * The last `size` bytes of a direction's compressed messages (the LZ77 window that context
 * takeover carries from one message to the next, RFC 7692 §7.1.1), kept contiguous for the
 * codec's dictionary. It grows as messages come, to twice the window at most, and then moves the
 * last window to the front when full, so each byte is copied about twice.
 */
export class SlidingWindow {
  private bytes: Uint8Array = EMPTY;
  private length = 0;
  readonly size: number;

  constructor(size: number) {
    this.size = size;
  }

  /** The capacity of its array (at most twice the window). */
  get bytesHeld(): number {
    return this.bytes.byteLength;
  }

  /** The window's bytes (a view, valid until the next push), or null before any message. */
  get contents(): Uint8Array | null {
    if (this.length === 0) return null;
    return this.bytes.subarray(Math.max(0, this.length - this.size), this.length);
  }

  /** Slides the window over the next message's bytes. */
  push(data: Uint8Array): void {
    const size = this.size;
    if (data.length >= size) {
      if (this.bytes.length < size) this.bytes = new Uint8Array(2 * size);
      this.bytes.set(data.subarray(data.length - size));
      this.length = size;
      return;
    }
    const needed = this.length + data.length;
    if (needed > this.bytes.length) {
      if (this.bytes.length < 2 * size) {
        const grown = new Uint8Array(Math.min(2 * size, Math.max(1024, 2 * needed)));
        grown.set(this.bytes.subarray(0, this.length));
        this.bytes = grown;
      }
      if (needed > this.bytes.length) {
        // Keep only what the window still needs before the new bytes arrive.
        const keep = size - data.length;
        this.bytes.copyWithin(0, this.length - keep, this.length);
        this.length = keep;
      }
    }
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** Forgets everything (the connection is done with this direction). */
  clear(): void {
    this.bytes = EMPTY;
    this.length = 0;
  }
}

/**
 * permessage-deflate for one connection (RFC 7692 §7): what this side sends is compressed with its
 * own window bits and takeover, what it receives is inflated with the peer's. The only state is the
 * two windows (none for a direction without context takeover), created on the first compressed
 * message; they are what `bytesHeld` reports, so a server's memory budget counts them.
 */
export class PerMessageDeflate {
  readonly params: DeflateParams;
  private readonly codec: DeflateCodec;
  private readonly sendBits: number;
  private readonly receiveBits: number;
  private sendWindow: SlidingWindow | null = null;
  private receiveWindow: SlidingWindow | null = null;
  private readonly sendTakeover: boolean;
  private readonly receiveTakeover: boolean;

  constructor(role: Role, params: DeflateParams, codec: DeflateCodec = pakoCodec) {
    this.params = params;
    this.codec = codec;
    const server = role === "server";
    this.sendBits = server ? params.serverMaxWindowBits : params.clientMaxWindowBits;
    this.receiveBits = server ? params.clientMaxWindowBits : params.serverMaxWindowBits;
    this.sendTakeover = !(server ? params.serverNoContextTakeover : params.clientNoContextTakeover);
    this.receiveTakeover = !(server ? params.clientNoContextTakeover : params.serverNoContextTakeover);
  }

  /** The windows kept for context takeover. */
  get bytesHeld(): number {
    return (this.sendWindow?.bytesHeld ?? 0) + (this.receiveWindow?.bytesHeld ?? 0);
  }

  /** A message's payload as sent with RSV1 set: DEFLATE ending in a sync flush, its `00 00 ff ff` tail removed (§7.2.1). */
  compress(data: Uint8Array): Uint8Array {
    const window = this.sendTakeover ? (this.sendWindow ??= new SlidingWindow(1 << this.sendBits)) : null;
    const compressed = this.codec.deflate(data, window?.contents ?? null, this.sendBits);
    window?.push(data);
    return endsWithTail(compressed) ? compressed.subarray(0, compressed.length - 4) : compressed;
  }

  /**
   * A received compressed message's payload inflated (§7.2.2: the tail put back), at most `maxLength` bytes.
   * @throws MessageTooBigError `message-too-big` as soon as inflation passes `maxLength` (1009);
   * InvalidPayloadError `invalid-compressed-data` for bytes that are not DEFLATE (1007).
   */
  inflate(data: Uint8Array, maxLength: number): Uint8Array {
    const window = this.receiveTakeover ? (this.receiveWindow ??= new SlidingWindow(1 << this.receiveBits)) : null;
    let inflated: Uint8Array | null;
    try {
      inflated = this.codec.inflate(data, window?.contents ?? null, this.receiveBits, maxLength);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InvalidPayloadError("invalid-compressed-data", `compressed message does not inflate: ${reason}`);
    }
    if (inflated === null) throw new MessageTooBigError("message-too-big", `message inflates to more than ${maxLength} bytes`);
    window?.push(inflated);
    return inflated;
  }

  /** Lets the receive window go (nothing more will be read). */
  stopReceiving(): void {
    this.receiveWindow?.clear();
    this.receiveWindow = null;
  }

  /** Lets the send window go (nothing more will be sent). */
  stopSending(): void {
    this.sendWindow?.clear();
    this.sendWindow = null;
  }
}

function endsWithTail(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return n >= 4 && bytes[n - 4] === 0 && bytes[n - 3] === 0 && bytes[n - 2] === 0xff && bytes[n - 1] === 0xff;
}
