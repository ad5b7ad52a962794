import { MessageTooBigError, ProtocolError, WebSocketError } from "./errors.ts";
import { MAX_PAYLOAD_LENGTH, type Frame, type FrameField } from "./frame.ts";
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

/**
 * Rules applied while a header is read, so a bad frame fails before its payload is buffered
 * (`MessageReader` has them). An object rather than two callbacks: a connection passes its reader
 * as it is, instead of holding two closures.
 */
export interface HeaderRules {
  /** Called after the first two bytes (with the frame in progress: do not keep it); throws a WebSocketError to fail the frame. */
  checkStart(start: FrameStart): void;
  /** Called as soon as the payload length is known; throws a WebSocketError to fail the frame. */
  checkLength(header: FrameHeader): void;
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
 * Incremental frame reader: push chunks split anywhere, get complete frames back (§5.2).
 * Chunks must not be changed after they are pushed: unmasked payloads may share their memory.
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
  // The pieces of a payload cut between chunks.
  private parts: Uint8Array[] | null = null;
  private partsLength = 0;
  private streamOffset = 0;

  constructor(options: FrameParserOptions = {}) {
    this.rules = options.rules ?? null;
    this.maxFrameSize = options.maxFrameSize ?? Number.POSITIVE_INFINITY;
    this.retainBytes = options.retainBytes ?? false;
  }

  /** The field an incomplete frame is waiting for, or null between frames. */
  get waitingFor(): FrameField | null {
    return this.state === "header" && this.headFill === 0 ? null : this.state;
  }

  /** Bytes of the stream consumed into complete frames or the frame in progress. */
  get offset(): number {
    return this.streamOffset;
  }

  /** Reads a chunk; returns the frames it completes and sets `error` on the first violation. */
  push(chunk: Uint8Array): ParsedFrame[] {
    const frames: ParsedFrame[] = [];
    if (this.error) return frames;
    try {
      this.read(chunk, frames);
    } catch (error) {
      if (!(error instanceof WebSocketError)) throw error;
      this.error = error;
    }
    return frames;
  }

  private read(chunk: Uint8Array, frames: ParsedFrame[]): void {
    const length = chunk.length;
    let pos = 0;
    while (pos < length) {
      if (this.state === "payload") {
        const take = Math.min(this.payloadLength - this.partsLength, length - pos);
        (this.parts ??= []).push(chunk.subarray(pos, pos + take));
        this.partsLength += take;
        pos += take;
        if (this.partsLength === this.payloadLength) frames.push(this.finishFromParts());
        continue;
      }
      if (this.headFill === 0 && length - pos >= 2) {
        // Fast path: the whole header, and often the whole frame, is in this chunk.
        const fullHeader = headerSize(chunk[pos + 1]!);
        if (length - pos >= fullHeader) {
          this.readHeaderAt(chunk, pos);
          const payloadStart = pos + fullHeader;
          if (length - payloadStart >= this.payloadLength) {
            frames.push(this.finishInChunk(chunk, pos, payloadStart));
            pos = payloadStart + this.payloadLength;
          } else {
            (this.head ??= new Uint8Array(14)).set(chunk.subarray(pos, payloadStart));
            this.headFill = fullHeader;
            this.state = "payload";
            pos = payloadStart;
          }
          continue;
        }
      }
      // Slow path: gather the header one field at a time, so `waitingFor` names the field.
      (this.head ??= new Uint8Array(14))[this.headFill++] = chunk[pos++]!;
      if (this.headFill < this.headNeeded) continue;
      this.fieldComplete();
      // fieldComplete moves the state on; TypeScript still narrows it to the header fields.
      if ((this.state as FrameField) === "payload" && this.payloadLength === 0) frames.push(this.finishFromParts());
    }
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
    this.rules?.checkLength(this.current as FrameHeader);
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

  private finishFromParts(): ParsedFrame {
    const key = this.current.maskingKey;
    const parts = this.parts ?? [];
    let raw: Uint8Array | null = null;
    let payload: Uint8Array;
    if (this.retainBytes) {
      raw = new Uint8Array(this.headerLength + this.partsLength);
      raw.set(this.head!.subarray(0, this.headerLength));
      joinInto(parts, raw, this.headerLength);
      if (key) {
        payload = allocate(this.partsLength);
        maskInto(raw, this.headerLength, payload, 0, this.partsLength, key, 0, 0);
      } else {
        payload = raw.subarray(this.headerLength);
      }
    } else if (key) {
      // Assembling the payload from its parts is fused with unmasking, instead of join, then unmask.
      payload = allocate(this.partsLength);
      let at = 0;
      for (const part of parts) {
        maskInto(part, 0, payload, at, part.length, key, 0, at);
        at += part.length;
      }
    } else {
      payload = new Uint8Array(this.partsLength);
      joinInto(parts, payload, 0);
    }
    this.parts = null;
    this.partsLength = 0;
    return this.finish(payload, raw);
  }

  private finish(payload: Uint8Array, bytes: Uint8Array | null): ParsedFrame {
    const frame = this.current as ParsedFrame;
    frame.payload = payload;
    frame.bytes = bytes;
    this.streamOffset += this.headerLength + this.payloadLength;
    this.state = "header";
    this.headFill = 0;
    this.headNeeded = 2;
    return frame;
  }
}

function joinInto(parts: Uint8Array[], target: Uint8Array, at: number): void {
  for (const part of parts) {
    target.set(part, at);
    at += part.length;
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
