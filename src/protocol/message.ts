import { InvalidPayloadError, MessageTooBigError, PolicyViolationError, ProtocolError } from "./errors.ts";
import { isControlOpcode, isKnownOpcode, Opcode, type Frame } from "./frame.ts";
import type { FrameHeader, FrameStart, HeaderRules } from "./parser.ts";
import { parseClosePayload } from "./close.ts";
import { GrowingBytes } from "./growing.ts";
import { Utf8Validator, type Utf8Check } from "./utf8.ts";
import type { PerMessageDeflate } from "./deflate-context.ts";

/** Which side of the connection we are: it decides who masks (§5.1). */
export type Role = "client" | "server";

/** What arrives once frames are put together: whole messages (text as its validated UTF-8) and control frames. */
export type MessageEvent =
  | { type: "text"; utf8: Uint8Array; compressed?: true }
  | { type: "binary"; data: Uint8Array; compressed?: true }
  | { type: "ping"; payload: Uint8Array }
  | { type: "pong"; payload: Uint8Array }
  | { type: "close"; code: number | null; reason: string };

/**
 * What a message in many frames is charged beyond its payload, per frame after the first, against
 * `maxPayload`: a frame costs work and bookkeeping whatever its length, so a message of empty or
 * one-byte fragments reaches the limit as a large one does (an endless run of empty continuation
 * frames would otherwise never end). A message in one frame is charged its payload only.
 */
export const FRAME_OVERHEAD = 64;

/**
 * Most frames one message may have, by default. Autobahn|Testsuite's 9.3.1 and 9.4.1 send 4 MiB in
 * 64-byte fragments, 65,536 frames, the most any of its cases or any browser or library we know sends;
 * with the default 4 MiB limit the overhead charge ends such a message first anyway (65,536 x 64 B).
 */
export const MAX_FRAGMENTS = 65_536;

/** Limits and negotiated features for the receiving side. */
export interface ReceiveOptions {
  /**
   * Largest message, summed over its fragments plus `FRAME_OVERHEAD` for each fragment after the
   * first; more fails with `message-too-big` (1009).
   */
  maxPayload?: number;
  /** Most frames in one message (`MAX_FRAGMENTS` by default); more fails with `too-many-fragments` (1009). */
  maxFragments?: number;
  /** Let RSV1 through without a meaning (to show such frames); with permessage-deflate it means "compressed". */
  allowRsv1?: boolean;
  /** A faster whole-buffer UTF-8 check for text (the server passes node:buffer's `isUtf8`). */
  isUtf8?: Utf8Check;
}

/**
 * The receiving side's rules (§5.1-5.5, §8.1) and the reassembly of fragmented messages.
 * `checkStart`/`checkLength` run as headers arrive (it is the parser's `HeaderRules`), `readFrame`
 * once a frame is complete, before the next header is read. The fragments of a message are
 * unmasked by the parser straight into one growing buffer (`payloadTarget`), so a message in
 * fragments holds its bytes once, in one array, and no list of pieces.
 *
 * With permessage-deflate (RFC 7692), RSV1 on a message's first frame marks it compressed: its
 * fragments are gathered compressed and inflated once the last one is in, up to `maxPayload`.
 * Text in an uncompressed frame cut between chunks is checked as its bytes arrive
 * (`payloadArrived`), so invalid UTF-8 fails the connection before the frame is complete.
 */
export class MessageReader implements HeaderRules {
  private readonly role: Role;
  private readonly maxPayload: number;
  private readonly maxFragments: number;
  private readonly allowRsv1: boolean;
  // The message being fragmented: its opcode, its frames so far and its size as charged.
  private fragmentedOpcode: number | null = null;
  private frames = 0;
  private charged = 0;
  private readonly assembly: GrowingBytes;
  private text = false;
  private compressed = false;
  // Bytes of the frame in progress already checked as UTF-8 while they arrived.
  private checked = 0;
  private readonly utf8: Utf8Validator;
  private readonly deflate: PerMessageDeflate | null;
  /** Frames that may still be read before the connection fails with `rate-limit-exceeded`. */
  frameAllowance = Number.POSITIVE_INFINITY;
  /** Frames whose header was read, control frames and fragments included. */
  framesRead = 0;

  constructor(role: Role, options: ReceiveOptions = {}, deflate: PerMessageDeflate | null = null) {
    this.role = role;
    this.deflate = deflate;
    this.maxPayload = options.maxPayload ?? Number.MAX_SAFE_INTEGER;
    this.maxFragments = options.maxFragments ?? MAX_FRAGMENTS;
    this.allowRsv1 = options.allowRsv1 ?? false;
    this.assembly = new GrowingBytes(this.maxPayload);
    this.utf8 = new Utf8Validator(options.isUtf8 ?? null);
  }

  /** Bytes held for a message in fragments: the capacity of its buffer. */
  get bytesHeld(): number {
    return this.assembly.bytesHeld;
  }

  /** Forgets a message in progress (and the inflation window), once nothing more will be read. */
  discard(): void {
    this.assembly.take();
    this.deflate?.stopReceiving();
  }

  /**
   * Checks what the first two bytes of a frame say.
   * @throws ProtocolError for masking against the role, reserved bits or opcodes, bad control frames or fragments;
   * MessageTooBigError `too-many-fragments`; PolicyViolationError `rate-limit-exceeded` past `frameAllowance`.
   */
  checkStart(start: FrameStart): void {
    this.framesRead++;
    if (--this.frameAllowance < 0) {
      throw new PolicyViolationError("rate-limit-exceeded", "more frames than the rate limit allows");
    }
    if (this.role === "server" && !start.masked) {
      // 5.1: "The server MUST close the connection upon receiving a frame that is not masked."
      throw new ProtocolError("unmasked-client-frame", "client frame is not masked");
    }
    if (this.role === "client" && start.masked) {
      // 5.1: "A client MUST close a connection if it detects a masked frame."
      throw new ProtocolError("masked-server-frame", "server frame is masked");
    }
    // 5.2: RSV1-3 "MUST be 0 unless an extension is negotiated that defines meanings"
    if (start.rsv2 || start.rsv3 || (start.rsv1 && !this.allowRsv1 && this.deflate === null)) {
      throw new ProtocolError("reserved-bits", "reserved bit set without a negotiated extension");
    }
    // 5.2: "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket Connection_."
    if (!isKnownOpcode(start.opcode)) throw new ProtocolError("reserved-opcode", `opcode ${start.opcode} is reserved`);
    if (start.rsv1 && this.deflate !== null) {
      // RFC 7692 §6.1: the "Per-Message Compressed" bit is set on a data message's first frame only.
      if (isControlOpcode(start.opcode)) throw new ProtocolError("compressed-control", "rsv1 set on a control frame");
      if (start.opcode === Opcode.Continuation) throw new ProtocolError("compressed-continuation", "rsv1 set on a continuation frame");
    }
    if (isControlOpcode(start.opcode)) {
      // 5.5: "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be fragmented."
      if (!start.fin) throw new ProtocolError("fragmented-control", "control frame must have FIN set");
      if (start.payloadLength === null) throw new ProtocolError("control-too-long", "control frame payload over 125 bytes");
      return;
    }
    if (start.opcode === Opcode.Continuation) {
      if (this.fragmentedOpcode === null) {
        throw new ProtocolError("unexpected-continuation", "continuation frame without a message to continue");
      }
      // 10.4: a limit on the work a message may cost, however small its fragments.
      if (++this.frames > this.maxFragments) {
        throw new MessageTooBigError("too-many-fragments", `message in more than ${this.maxFragments} frames`);
      }
      this.charged += FRAME_OVERHEAD;
    } else {
      // 5.4: fragments of one message are not interleaved with another data message
      if (this.fragmentedOpcode !== null) {
        throw new ProtocolError("expected-continuation", "new data frame while a fragmented message is unfinished");
      }
      this.frames = 1;
      this.charged = 0;
      this.fragmentedOpcode = start.opcode;
      this.text = start.opcode === Opcode.Text;
      this.compressed = start.rsv1 && this.deflate !== null;
      this.utf8.reset();
    }
    if (start.fin) this.fragmentedOpcode = null;
  }

  /**
   * Checks the message size as soon as a data frame's length is known.
   * @throws MessageTooBigError `message-too-big` when the message would exceed `maxPayload`.
   */
  checkLength(header: FrameHeader): void {
    if (isControlOpcode(header.opcode)) return;
    this.charged += header.payloadLength;
    if (this.charged > this.maxPayload) {
      const overhead = this.frames > 1 ? ` (payload plus ${FRAME_OVERHEAD} per frame after the first)` : "";
      throw new MessageTooBigError("message-too-big", `message of ${this.charged}+ bytes${overhead} is above ${this.maxPayload}`);
    }
  }

  /** A fragment of a message goes into the message's buffer; a whole message in one frame and control frames do not. */
  payloadTarget(header: FrameHeader): GrowingBytes | null {
    return header.opcode === Opcode.Continuation || (!header.fin && !isControlOpcode(header.opcode)) ? this.assembly : null;
  }

  /**
   * Checks the UTF-8 of a text frame's bytes as they arrive, when the frame is cut between
   * chunks: invalid text fails at the bytes that show it, not when the frame ends (§8.1).
   * @throws InvalidPayloadError `invalid-utf8`.
   */
  payloadArrived(header: FrameHeader, bytes: Uint8Array, from: number, length: number): void {
    if (!this.text || this.compressed || isControlOpcode(header.opcode)) return;
    if (this.utf8.push(bytes.subarray(from, from + length)) !== -1) {
      throw new InvalidPayloadError("invalid-utf8", "text message is not valid utf-8");
    }
    this.checked += length;
  }

  /**
   * Takes a complete frame (already checked by `checkStart`) and returns a message once one is whole.
   * @throws InvalidPayloadError `invalid-utf8`, and the Close payload errors of `parseClosePayload`.
   */
  readFrame(frame: Frame): MessageEvent | null {
    switch (frame.opcode) {
      case Opcode.Ping:
        return { type: "ping", payload: frame.payload };
      case Opcode.Pong:
        return { type: "pong", payload: frame.payload };
      case Opcode.Close:
        return { type: "close", ...parseClosePayload(frame.payload) };
    }
    const checked = this.checked;
    this.checked = 0;
    if (this.text && !this.compressed) {
      const rest = checked === 0 ? frame.payload : frame.payload.subarray(checked);
      if (this.utf8.push(rest) !== -1) throw new InvalidPayloadError("invalid-utf8", "text message is not valid utf-8");
    }
    if (!frame.fin) return null;
    // The fragments are already in place, one after another; a single frame is its own message.
    const data = frame.opcode === Opcode.Continuation ? this.assembly.take() : frame.payload;
    if (this.compressed) return this.inflated(data);
    if (!this.text) return { type: "binary", data };
    // 8.1: a sequence cut at a fragment boundary is only an error if the message ends inside it
    if (!this.utf8.isComplete()) throw new InvalidPayloadError("invalid-utf8", "text message ends inside a character");
    return { type: "text", utf8: data };
  }

  /** A compressed message, whole: inflated up to `maxPayload`, then checked as any other. */
  private inflated(compressed: Uint8Array): MessageEvent {
    const data = this.deflate!.inflate(compressed, this.maxPayload);
    if (!this.text) return { type: "binary", data, compressed: true };
    if (this.utf8.push(data) !== -1 || !this.utf8.isComplete()) {
      throw new InvalidPayloadError("invalid-utf8", "text message is not valid utf-8");
    }
    return { type: "text", utf8: data, compressed: true };
  }
}
