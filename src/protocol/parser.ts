import { MessageTooBigError, ProtocolError, WebSocketError } from "./errors.ts";
import { MAX_PAYLOAD_LENGTH, type Frame, type FrameField } from "./frame.ts";
import { joinBytes } from "./bytes.ts";
import { GrowingBytes } from "./growing.ts";
import { maskInto } from "./mask.ts";
import { allocate } from "./pool.ts";

/** The first two bytes of a frame; `payloadLength` is null until an extended length has been read. */
export interface FrameStart extends Pick<Frame, "fin" | "rsv1" | "rsv2" | "rsv3" | "opcode" | "masked"> {
  payloadLength: number | null;
  offset: number;
}

/** A frame header whose length is known (the masking key and payload may still be on their way). */
export interface FrameHeader extends FrameStart {
  payloadLength: number;
  headerLength: number;
}

/** A frame as it was read: `offset` in the stream, its header size and, if kept, its raw bytes. */
export interface ParsedFrame extends Frame, FrameHeader {
  bytes: Uint8Array | null;
}

// The frame being read: one object per frame, filled in as its fields arrive, then returned.
type FrameInProgress = Omit<ParsedFrame, "payloadLength"> & { payloadLength: number | null };

const EMPTY = new Uint8Array(0);

// How much more than has arrived a frame's own payload buffer may take (never past the frame's length).
const OWN_BUFFER_GROWTH = 8;

/**
 * Rules applied while a header is read, so a bad frame fails before its payload is buffered, and
 * the place where a fragmented message is put together (`MessageReader` has them). An object
 * rather than callbacks: a connection passes its reader as it is, instead of holding closures.
 * The rules see frames one at a time: a parser with rules is read with `next()`, and each frame
 * handled before the next is asked for.
 */
export interface HeaderRules {
  /** Called after the first two bytes (with the frame in progress: do not keep it); throws a WebSocketError to fail the frame. */
  checkStart(start: FrameStart): void;
  /** Called as soon as the payload length is known; throws a WebSocketError to fail the frame. */
  checkLength(header: FrameHeader): void;
  /**
   * Where the payload of the frame just checked goes, appended after the bytes already there (a
   * fragment joins its message as it arrives), or null for an array of the frame's own.
   */
  payloadTarget(header: FrameHeader): GrowingBytes | null;
  /**
   * Called with each piece of an incomplete frame's payload once it is written (unmasked) into its
   * buffer, `bytes[from, from + length)`, so a check can fail before the frame is whole; the piece
   * that completes a frame is not reported (the frame itself comes next). Throws a WebSocketError
   * to fail the frame.
   */
  payloadArrived(header: FrameHeader, bytes: Uint8Array, from: number, length: number): void;
}

/** What the parser checks while reading and what it keeps. */
export interface FrameParserOptions {
  rules?: HeaderRules;
  /** Largest payload of one frame; a longer one fails with `frame-too-big` (1009). */
  maxFrameSize?: number;
  /** Keep each frame's bytes as they arrived (masked) in `ParsedFrame.bytes`. */
  retainBytes?: boolean;
}

/**
 * Incremental frame reader (§5.2): feed chunks split anywhere and take complete frames with
 * `next()`, one at a time, or all of a chunk's frames with `push(chunk)`. Chunks must not be
 * changed after they are fed: unmasked payloads may share their memory.
 *
 * A payload that is whole in its chunk is unmasked into an array of its own (or, unmasked, is a
 * view of the chunk). One cut between chunks is unmasked piece by piece as it arrives into a
 * growing array, so what the parser holds is the bytes received (`bytesHeld`), never a list of
 * chunks; a fragment of a message goes straight into the message's buffer (`HeaderRules.payloadTarget`).
 */
export class FrameParser {
  /** The violation that stopped parsing, or null; frames before it were still returned. */
  error: WebSocketError | null = null;

  private readonly rules: HeaderRules | null;
  private readonly maxFrameSize: number;
  private readonly retainBytes: boolean;
  private state: FrameField = "header";
  // A header cut between chunks is gathered here; most headers arrive whole and never need it.
  private head: Uint8Array | null = null;
  private headFill = 0;
  private headNeeded = 2;
  private current: FrameInProgress = NO_FRAME;
  private payloadLength = 0;
  private headerLength = 2;
  // Where the payload of the frame in progress is written once it leaves the fast path: from
  // `targetStart`, `received` bytes so far, growing to at most `targetMax`.
  private target: GrowingBytes | null = null;
  private ownsTarget = false;
  private targetStart = 0;
  private targetMax = 0;
  private received = 0;
  // With retainBytes, the pieces of a frame cut between chunks, as they arrived.
  private rawParts: Uint8Array[] | null = null;
  private streamOffset = 0;
  // The chunk being read and how far.
  private chunk: Uint8Array = EMPTY;
  private pos = 0;

  constructor(options: FrameParserOptions = {}) {
    this.rules = options.rules ?? null;
    this.maxFrameSize = options.maxFrameSize ?? Number.POSITIVE_INFINITY;
    this.retainBytes = options.retainBytes ?? false;
  }

  /** The field an incomplete frame is waiting for, or null between frames and once parsing stopped. */
  get waitingFor(): FrameField | null {
    if (this.error !== null) return null;
    return this.state === "header" && this.headFill === 0 ? null : this.state;
  }

  /** Bytes of the stream consumed into complete frames or the frame in progress. */
  get offset(): number {
    return this.streamOffset;
  }

  /** Bytes kept for a frame in progress: its own payload buffer (a fragment's is its message's). */
  get bytesHeld(): number {
    let held = this.ownsTarget ? this.target!.bytesHeld : 0;
    if (this.rawParts !== null) for (const part of this.rawParts) held += part.length;
    return held;
  }

  /** Reads a chunk; returns the frames it completes and sets `error` on the first violation. */
  push(chunk: Uint8Array): ParsedFrame[] {
    const frames: ParsedFrame[] = [];
    this.feed(chunk);
    for (let frame = this.next(); frame !== null; frame = this.next()) frames.push(frame);
    return frames;
  }

  /** Gives the parser the next chunk; take its frames with `next()` before feeding another. */
  feed(chunk: Uint8Array): void {
    this.chunk = chunk;
    this.pos = 0;
  }

  /** The next complete frame of the chunk fed, or null once it is used up or a violation set `error`. */
  next(): ParsedFrame | null {
    if (this.error !== null) return null;
    try {
      const frame = this.read();
      if (frame === null) this.chunk = EMPTY;
      return frame;
    } catch (error) {
      if (!(error instanceof WebSocketError)) throw error;
      this.error = error;
      this.stop();
      return null;
    }
  }

  /** Reads nothing more: forgets the chunk and the frame in progress (after a violation, or the peer's Close). */
  stop(): void {
    this.chunk = EMPTY;
    this.target = null;
    this.ownsTarget = false;
    this.rawParts = null;
  }

  private read(): ParsedFrame | null {
    const chunk = this.chunk;
    const length = chunk.length;
    let pos = this.pos;
    while (pos < length) {
      if (this.state === "payload") {
        const take = Math.min(this.payloadLength - this.received, length - pos);
        const from = this.targetStart + this.received;
        this.append(chunk, pos, take);
        pos += take;
        this.pos = pos;
        if (this.received === this.payloadLength) return this.finishFromTarget();
        // The frame is still incomplete: what arrived can be checked now (text as it comes).
        this.rules?.payloadArrived(this.current as FrameHeader, this.target!.bytes, from, take);
        continue;
      }
      if (this.headFill === 0 && length - pos >= 2) {
        // Fast path: the whole header, and often the whole frame, is in this chunk.
        const fullHeader = headerSize(chunk[pos + 1]!);
        if (length - pos >= fullHeader) {
          this.readHeaderAt(chunk, pos);
          const payloadStart = pos + fullHeader;
          if (length - payloadStart >= this.payloadLength) {
            this.pos = payloadStart + this.payloadLength;
            if (this.target === null) return this.finishInChunk(chunk, pos, payloadStart);
            // A fragment whole in its chunk goes straight into its message's buffer.
            this.append(chunk, payloadStart, this.payloadLength);
            return this.finish(this.targetView(), this.retainBytes ? view(chunk, pos, this.pos) : null);
          }
          (this.head ??= new Uint8Array(14)).set(chunk.subarray(pos, payloadStart));
          this.headFill = fullHeader;
          this.beginPayload();
          pos = payloadStart;
          this.pos = pos;
          continue;
        }
      }
      // Slow path: gather the header one field at a time, so `waitingFor` names the field.
      (this.head ??= new Uint8Array(14))[this.headFill++] = chunk[pos++]!;
      this.pos = pos;
      if (this.headFill < this.headNeeded) continue;
      this.fieldComplete();
      // fieldComplete moves the state on; TypeScript still narrows it to the header fields.
      if ((this.state as FrameField) === "payload") {
        this.beginPayload();
        if (this.payloadLength === 0) return this.finishFromTarget();
      }
    }
    this.pos = pos;
    return null;
  }

  private readHeaderAt(bytes: Uint8Array, at: number): void {
    this.readStart(bytes, at);
    const length7 = bytes[at + 1]! & 0x7f;
    if (length7 === 126) this.readLength16(bytes, at + 2);
    else if (length7 === 127) this.readLength64(bytes, at + 2);
    else this.lengthKnown(length7, 2);
    if (this.current.masked) this.current.maskingKey = copyKey(bytes, at + this.headerLength - 4);
  }

  private fieldComplete(): void {
    const head = this.head!;
    switch (this.state) {
      case "header": {
        this.readStart(head, 0);
        const length7 = head[1]! & 0x7f;
        if (length7 === 126) {
          this.state = "extendedLength16";
          this.headNeeded = 4;
          return;
        }
        if (length7 === 127) {
          this.state = "extendedLength64";
          this.headNeeded = 10;
          return;
        }
        this.lengthKnown(length7, 2);
        break;
      }
      case "extendedLength16":
        this.readLength16(head, 2);
        break;
      case "extendedLength64":
        this.readLength64(head, 2);
        break;
      case "maskingKey":
        this.current.maskingKey = copyKey(head, this.headFill - 4);
        this.state = "payload";
        return;
    }
    if (this.current.masked) {
      this.state = "maskingKey";
      this.headNeeded += 4;
    } else {
      this.state = "payload";
    }
  }

  private readStart(bytes: Uint8Array, at: number): void {
    this.current = newFrame(bytes[at]!, bytes[at + 1]!, this.streamOffset);
    this.rules?.checkStart(this.current);
  }

  private readLength16(bytes: Uint8Array, at: number): void {
    const length = (bytes[at]! << 8) | bytes[at + 1]!;
    // 5.2: "the minimal number of bytes MUST be used to encode the length"
    if (length < 126) throw new ProtocolError("non-minimal-length", `length ${length} sent in 16 bits`);
    this.lengthKnown(length, 4);
  }

  private readLength64(bytes: Uint8Array, at: number): void {
    const high = ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
    const low = ((bytes[at + 4]! << 24) | (bytes[at + 5]! << 16) | (bytes[at + 6]! << 8) | bytes[at + 7]!) >>> 0;
    // 5.2: "the most significant bit MUST be 0"
    if (high >= 0x80000000) throw new ProtocolError("length-msb-set", "64-bit length has its most significant bit set");
    const length = high * 0x100000000 + low;
    if (length > MAX_PAYLOAD_LENGTH) {
      throw new MessageTooBigError("message-too-big", `length ${length} is above 2^53 - 1`);
    }
    if (length < 0x10000) throw new ProtocolError("non-minimal-length", `length ${length} sent in 64 bits`);
    this.lengthKnown(length, 10);
  }

  private lengthKnown(payloadLength: number, lengthEnd: number): void {
    this.payloadLength = payloadLength;
    this.headerLength = lengthEnd + (this.current.masked ? 4 : 0);
    this.current.payloadLength = payloadLength;
    this.current.headerLength = this.headerLength;
    if (payloadLength > this.maxFrameSize) {
      throw new MessageTooBigError("frame-too-big", `frame payload of ${payloadLength} bytes is above ${this.maxFrameSize}`);
    }
    const rules = this.rules;
    if (rules === null) return;
    rules.checkLength(this.current as FrameHeader);
    const target = rules.payloadTarget(this.current as FrameHeader);
    if (target !== null) this.useTarget(target, false);
  }

  private useTarget(target: GrowingBytes, owned: boolean): void {
    this.target = target;
    this.ownsTarget = owned;
    this.targetStart = target.length;
    // A frame's own buffer and the last fragment of a message know their final size; before the
    // last fragment, the message's buffer doubles up to its limit.
    this.targetMax = owned || this.current.fin ? target.length + this.payloadLength : target.limit;
    this.received = 0;
  }

  /** The payload is cut between chunks: unless it joins a message, it gets a buffer of its own. */
  private beginPayload(): void {
    this.state = "payload";
    if (this.target === null) this.useTarget(new GrowingBytes(), true);
    if (this.retainBytes) this.rawParts = [this.head!.slice(0, this.headerLength)];
  }

  private append(chunk: Uint8Array, at: number, length: number): void {
    const target = this.target!;
    const to = this.targetStart + this.received;
    // A frame's own buffer knows its final size: it grows faster, for fewer copies of what arrived.
    const bytes = target.reserve(to + length, this.targetMax, this.ownsTarget ? OWN_BUFFER_GROWTH : 2);
    const key = this.current.maskingKey;
    if (key !== null) maskInto(chunk, at, bytes, to, length, key, 0, this.received);
    else bytes.set(view(chunk, at, at + length), to);
    target.length = to + length;
    this.received += length;
    if (this.rawParts !== null) this.rawParts.push(view(chunk, at, at + length));
  }

  private targetView(): Uint8Array {
    const target = this.target!;
    return view(target.bytes, this.targetStart, this.targetStart + this.payloadLength);
  }

  private finishInChunk(chunk: Uint8Array, frameStart: number, payloadStart: number): ParsedFrame {
    const length = this.payloadLength;
    const end = payloadStart + length;
    const key = this.current.maskingKey;
    let payload: Uint8Array;
    if (key) {
      // The chunk stays as it arrived (it may be shown, or sent on): unmask into a copy.
      payload = allocate(length);
      maskInto(chunk, payloadStart, payload, 0, length, key, 0, 0);
    } else {
      payload = view(chunk, payloadStart, end);
    }
    return this.finish(payload, this.retainBytes ? view(chunk, frameStart, end) : null);
  }

  private finishFromTarget(): ParsedFrame {
    const payload = this.targetView();
    let raw: Uint8Array | null = null;
    if (this.rawParts !== null) {
      raw = joinBytes(this.rawParts);
      this.rawParts = null;
    }
    return this.finish(payload, raw);
  }

  private finish(payload: Uint8Array, bytes: Uint8Array | null): ParsedFrame {
    const frame = this.current as ParsedFrame;
    frame.payload = payload;
    frame.bytes = bytes;
    this.target = null;
    this.ownsTarget = false;
    this.received = 0;
    this.streamOffset += this.headerLength + this.payloadLength;
    this.state = "header";
    this.headFill = 0;
    this.headNeeded = 2;
    return frame;
  }
}

function headerSize(b1: number): number {
  const length7 = b1 & 0x7f;
  return 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0) + (b1 & 0x80 ? 4 : 0);
}

// The frame in progress before the first header: readStart replaces it before any field is set.
const NO_FRAME: FrameInProgress = Object.freeze(newFrame(0, 0, 0));

function newFrame(b0: number, b1: number, offset: number): FrameInProgress {
  return {
    fin: (b0 & 0x80) !== 0,
    rsv1: (b0 & 0x40) !== 0,
    rsv2: (b0 & 0x20) !== 0,
    rsv3: (b0 & 0x10) !== 0,
    opcode: b0 & 0x0f,
    masked: (b1 & 0x80) !== 0,
    payloadLength: (b1 & 0x7f) < 126 ? b1 & 0x7f : null,
    offset,
    headerLength: 2,
    maskingKey: null,
    payload: EMPTY,
    bytes: null,
  };
}

// Same as bytes.subarray(start, end), without the species lookup that makes subarray() slow per frame.
function view(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start);
}

function copyKey(bytes: Uint8Array, at: number): Uint8Array {
  const key = allocate(4);
  key[0] = bytes[at]!;
  key[1] = bytes[at + 1]!;
  key[2] = bytes[at + 2]!;
  key[3] = bytes[at + 3]!;
  return key;
}
