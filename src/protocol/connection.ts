import { CloseCode, InvalidStateError, UsageError, WebSocketError } from "./errors.ts";
import { encodeFrame, encodeHeader, Opcode, type FrameField, type FrameInit } from "./frame.ts";
import { FrameParser, type ParsedFrame } from "./parser.ts";
import { MessageReader, type MessageEvent, type ReceiveOptions, type Role } from "./message.ts";
import { encodeClosePayload } from "./close.ts";
import { defaultRandomBytes, type RandomBytes } from "./random.ts";
import { PerMessageDeflate } from "./deflate-context.ts";
import type { DeflateCodec } from "./deflate-codec.ts";
import type { DeflateParams } from "./deflate-negotiation.ts";

/** Limits, negotiated features and the source of masking keys for one connection. */
export interface ConnectionOptions<TextAsBytes extends boolean = false> extends ReceiveOptions {
  /** Largest payload of a single frame; more fails with `frame-too-big` (1009). */
  maxFrameSize?: number;
  /** Where client masking keys come from; defaults to `crypto.getRandomValues`. */
  randomBytes?: RandomBytes;
  /** Answer every Ping with a Pong carrying the same payload (§5.5.2); on by default. */
  autoPong?: boolean;
  /**
   * Deliver text messages as their UTF-8 bytes (`{ type: "text", utf8 }`) rather than a decoded
   * string, for a relay or an echo that passes them on unchanged. They are validated all the same
   * (§8.1: invalid UTF-8 fails the connection with 1007, as soon as a fragment shows it).
   */
  textAsBytes?: TextAsBytes;
  /**
   * Which `frame` events to report: `"parsed"` (the default) each frame as parsed, `"withBytes"` also
   * its bytes as they arrived, mask included (a copy when a frame spans chunks), `"none"` no frame
   * events, for an application that only wants messages.
   */
  frameEvents?: FrameEvents;
  /**
   * permessage-deflate as the handshake agreed it (RFC 7692), or unset for none: RSV1 then marks a
   * compressed message, and `sendText`/`sendBinary` compress unless told not to. `codec` does the
   * DEFLATE work (pako by default; the Node server passes node:zlib's).
   */
  deflate?: { params: DeflateParams; codec?: DeflateCodec } | null;
}

/** How one message is sent: `compress: false` sends it plain on a connection with permessage-deflate. */
export interface SendOptions {
  compress?: boolean;
}

/** How much of each incoming frame `eventsReceived` reports; see `ConnectionOptions.frameEvents`. */
export type FrameEvents = "none" | "parsed" | "withBytes";

/** `open` until a Close is sent, received or owed, `closing` while the other one is awaited or ours is owed, then `closed`. */
export type ConnectionState = "open" | "closing" | "closed";

/** A whole text message: decoded by default, its validated UTF-8 bytes with `textAsBytes: true`. */
export type TextEvent<TextAsBytes extends boolean = false> = TextAsBytes extends true
  ? { type: "text"; utf8: Uint8Array; compressed?: true }
  : { type: "text"; data: string; compressed?: true };

/** What `eventsReceived` reports: every frame as it arrived (unless `frameEvents: "none"`), then what it meant. */
export type ConnectionEvent<TextAsBytes extends boolean = false> =
  | { type: "frame"; frame: ParsedFrame; bytes: Uint8Array | null }
  | TextEvent<TextAsBytes>
  | Exclude<MessageEvent, { type: "text" | "close" }>
  | { type: "close"; code: number; reason: string }
  /**
   * The peer broke a rule. `frameRead`: the frame that broke it was read whole and reported by the
   * `frame` event just before (its payload, or the message it ends, broke the rule); false when a
   * header broke it, so that frame is never reported.
   */
  | { type: "error"; error: WebSocketError; frameRead: boolean }
  | { type: "closed"; code: number; reason: string; wasClean: boolean };

/**
 * A part of a connection that keeps bytes between calls (the frame in progress, a message in
 * fragments, and any extension's state such as a compression window), reporting how many, so the
 * whole connection can say what it holds (`Connection.bytesHeld`) and a server can budget memory.
 */
export interface HoldsBytes {
  readonly bytesHeld: number;
}

const CONTROL_PAYLOAD_MAX = 125;

// From this size an unmasked payload is handed to `dataToSend` as given, after its own header.
const SEPARATE_PAYLOAD_MIN = 16 * 1024;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

// What eventsReceived and dataToSend return when there is nothing: an idle connection holds no
// arrays of its own. Frozen, because every connection hands out the same one.
const NOTHING: readonly never[] = Object.freeze([]);

/**
 * One end of a WebSocket connection without I/O: bytes and intents in, events and bytes out.
 * Peer mistakes never throw: they become an `error` event, an owed Close and the `closed` state.
 *
 * The Close we owe, whether it answers the peer's Close or fails the connection because the peer
 * broke the protocol, is not queued at once: 5.5.1 says "An endpoint MAY delay sending a Close
 * frame until its current message is sent" and "SHOULD do so as soon as practical", so while the
 * events of that input are handled the application can still answer the messages that came before
 * it, and the next `dataToSend()` ends with the Close. Nothing after the peer's Close or the
 * violation is read (7.1.7 forbids processing data after it, not answering data before it), so the
 * outcome does not depend on where the chunks were cut. `closed` is reported right after `close` or
 * `error` (nothing more is read, the Close is due), so a loop that handles events, then writes
 * `dataToSend()`, then closes the transport on `closed` needs no second look; `state` stays
 * `closing` until the Close has left.
 */
export class Connection<TextAsBytes extends boolean = false> {
  readonly role: Role;
  private readonly reader: MessageReader;
  private readonly parser: FrameParser;
  private readonly randomBytes: RandomBytes;
  private readonly autoPong: boolean;
  private readonly textAsBytes: boolean;
  private readonly frameEvents: FrameEvents;
  private readonly deflate: PerMessageDeflate | null;
  // Created on the first event or frame after the previous hand-out (see NOTHING).
  private events: ConnectionEvent<TextAsBytes>[] | null = null;
  private outgoing: Uint8Array[] | null = null;
  private outgoingBytes = 0;
  /** Everything on the receiving path that keeps bytes; an extension adds its own state here. */
  private readonly holders: HoldsBytes[];
  private closeSent = false;
  private closeReceived = false;
  /** The payload of the Close we owe (a reply, 5.5.1, or a failure, 7.1.7), until `dataToSend` sends it. */
  private owedClose: Uint8Array | null = null;
  /** `closed` is reported: nothing more is read, and nothing sent once `owedClose` is out. */
  private finished = false;
  // 7.1.5: the code of the first Close received, 1005 if it had none.
  private peerCloseCode: number = CloseCode.NoStatusReceived;
  private peerCloseReason = "";

  constructor(role: Role, options: ConnectionOptions<TextAsBytes> = {}) {
    this.role = role;
    const deflate = options.deflate;
    this.deflate = deflate ? new PerMessageDeflate(role, deflate.params, deflate.codec) : null;
    this.reader = new MessageReader(role, options, this.deflate);
    this.frameEvents = options.frameEvents ?? "parsed";
    this.parser = new FrameParser({
      rules: this.reader,
      maxFrameSize: options.maxFrameSize,
      retainBytes: this.frameEvents === "withBytes",
    });
    this.holders = this.deflate === null ? [this.parser, this.reader] : [this.parser, this.reader, this.deflate];
    this.randomBytes = options.randomBytes ?? defaultRandomBytes;
    this.autoPong = options.autoPong ?? true;
    this.textAsBytes = options.textAsBytes ?? false;
  }

  /** The permessage-deflate parameters in use, or null when the extension was not negotiated. */
  get deflateParams(): DeflateParams | null {
    return this.deflate?.params ?? null;
  }

  /** Where the closing handshake stands. */
  get state(): ConnectionState {
    if (this.finished) return this.owedClose === null ? "closed" : "closing";
    return this.closeSent || this.closeReceived ? "closing" : "open";
  }

  /** Whether `send*`, `ping`, `pong` and `close` may be called: until our Close is queued or the connection closed. */
  get canSend(): boolean {
    return !this.closeSent && this.state !== "closed";
  }

  /** The field an incomplete incoming frame is waiting for, or null between frames and once nothing more is read. */
  get waitingFor(): FrameField | null {
    return this.finished ? null : this.parser.waitingFor;
  }

  /**
   * Bytes this connection keeps between calls: a frame in progress, a message in fragments (the
   * capacity of its buffer), whatever an extension keeps, and bytes queued but not yet taken by
   * `dataToSend`. It is bounded by `maxPayload` plus what the application queues.
   */
  get bytesHeld(): number {
    let held = this.outgoingBytes;
    for (const holder of this.holders) held += holder.bytesHeld;
    return held;
  }

  /** Frames whose header was read so far, control frames and fragments included (for a rate limit). */
  get framesReceived(): number {
    return this.reader.framesRead;
  }

  /**
   * How many more frames may be read: the header of one more fails the connection with
   * `rate-limit-exceeded` (1008), before its payload is read. Unlimited by default; a server sets it
   * from its clock before each chunk, so the limit holds per frame however the bytes were cut.
   */
  get frameAllowance(): number {
    return this.reader.frameAllowance;
  }

  set frameAllowance(frames: number) {
    this.reader.frameAllowance = frames;
  }

  /**
   * Feeds bytes from the peer; what they mean comes out of `eventsReceived`. A Close from the peer
   * or a violation ends the input: `close` or `error`, then `closed`, are the last events, and our
   * Close is owed (see `dataToSend`).
   */
  receiveData(chunk: Uint8Array): void {
    // 1.4: after the peer's Close nothing more is read; after a failure we stopped listening.
    if (this.closeReceived || this.finished) return;
    const parser = this.parser;
    const reportFrames = this.frameEvents !== "none";
    parser.feed(chunk);
    // One frame at a time: each is handled (its fragment checked, a message completed) before the
    // next header is read, so a limit stops the input at the very frame that crosses it.
    for (let frame = parser.next(); frame !== null; frame = parser.next()) {
      if (reportFrames) this.emit({ type: "frame", frame, bytes: frame.bytes });
      let message: MessageEvent | null;
      try {
        message = this.reader.readFrame(frame);
      } catch (error) {
        if (!(error instanceof WebSocketError)) throw error;
        this.fail(error, true);
        return;
      }
      if (message) this.handle(message);
      if (this.closeReceived) return;
    }
    if (parser.error) this.fail(parser.error, false);
  }

  /** Tells the connection the transport ended; without a closing handshake that is a 1006 closure. */
  receiveEof(): void {
    if (this.finished) return;
    this.stopReading();
    // 7.1.5: no Close frame received means the close code is 1006 (abnormal closure).
    this.emit({ type: "closed", code: CloseCode.AbnormalClosure, reason: "", wasClean: false });
  }

  /** Returns and forgets the events since the last call. */
  eventsReceived(): readonly ConnectionEvent<TextAsBytes>[] {
    const events = this.events ?? NOTHING;
    this.events = null;
    return events;
  }

  /**
   * Returns and forgets the bytes to write to the transport since the last call, in order: a frame
   * is one array, or its header and then, for an unmasked payload of 16 KiB or more, the payload
   * array as it was given to `send*` (not copied: leave it unchanged until written). A Close we owe
   * (the reply to the peer's, or the one failing the connection) comes last, after whatever the
   * application sent while handling the events that led up to it; from then on every send throws
   * `InvalidStateError`.
   */
  dataToSend(): readonly Uint8Array[] {
    // 5.5.1: "An endpoint MAY delay sending a Close frame until its current message is sent";
    // the Close is delayed no further than this, "as soon as practical".
    if (this.owedClose !== null) this.sendFrame({ opcode: Opcode.Close, payload: this.owedClose });
    const data = this.outgoing ?? NOTHING;
    this.outgoing = null;
    this.outgoingBytes = 0;
    return data;
  }

  /**
   * Sends a text message in one frame, compressed when permessage-deflate is on (unless `compress: false`).
   * @throws InvalidStateError after our Close.
   */
  sendText(text: string, options?: SendOptions): void {
    this.sendMessage(Opcode.Text, text, options);
  }

  /**
   * Sends a binary message in one frame, compressed when permessage-deflate is on (unless `compress: false`).
   * @throws InvalidStateError after our Close.
   */
  sendBinary(data: Uint8Array, options?: SendOptions): void {
    this.sendMessage(Opcode.Binary, data, options);
  }

  /**
   * Sends a text (given as a string or its UTF-8) or binary message in one frame, compressed as `sendText` says.
   * @throws InvalidStateError after our Close.
   */
  sendMessage(opcode: typeof Opcode.Text | typeof Opcode.Binary, payload: Uint8Array | string, options?: SendOptions): void {
    const deflate = this.deflate;
    if (deflate === null || options?.compress === false) {
      this.sendFrame({ opcode, payload });
      return;
    }
    this.assertCanSend();
    const bytes = typeof payload === "string" ? encoder.encode(payload) : payload;
    // RFC 7692 §6: RSV1 on the (only) frame says the payload is compressed.
    this.sendFrame({ opcode, payload: deflate.compress(bytes), rsv1: true });
  }

  /**
   * Sends one frame as given (fragments, reserved bits, any opcode); a client masks it unless `mask` is set.
   * @throws InvalidStateError after our Close; UsageError for a bad opcode or masking key.
   */
  sendFrame(init: FrameInit): void {
    this.assertCanSend();
    // 5.1: a client masks every frame, with a fresh key from our source unless the caller gives one;
    // anything else (a server's frames) is encoded as given, without copying `init`.
    const randomKey = (init.mask ?? this.role === "client") === true;
    const payload = init.payload;
    const unmasked = !randomKey && !(init.mask instanceof Uint8Array);
    if (unmasked && payload instanceof Uint8Array && payload.length >= SEPARATE_PAYLOAD_MIN) {
      // A large unmasked payload goes out after its header as it is: copying it into one frame
      // would cost a pass over the payload for one write call less.
      this.queue(encodeHeader(init, payload.length));
      this.queue(payload);
    } else {
      this.queue(encodeFrame(randomKey ? { ...init, mask: true, randomBytes: init.randomBytes ?? this.randomBytes } : init));
    }
    if (init.opcode === Opcode.Close) this.closeWasSent();
  }

  /**
   * Puts bytes on the wire unchanged, to show what a peer does with a broken stream.
   * @throws InvalidStateError after our Close.
   */
  sendRaw(bytes: Uint8Array): void {
    this.assertCanSend();
    this.queue(bytes);
  }

  /**
   * Sends a Ping (§5.5.2).
   * @throws InvalidStateError after our Close; UsageError `control-payload-too-long` over 125 bytes.
   */
  ping(payload: Uint8Array | string = new Uint8Array(0)): void {
    this.sendControl(Opcode.Ping, payload);
  }

  /**
   * Sends an unsolicited Pong (§5.5.3).
   * @throws InvalidStateError after our Close; UsageError `control-payload-too-long` over 125 bytes.
   */
  pong(payload: Uint8Array | string = new Uint8Array(0)): void {
    this.sendControl(Opcode.Pong, payload);
  }

  /**
   * Starts (or completes) the closing handshake with an optional code and reason (§5.5.1, §7.4).
   * @throws InvalidStateError after our Close; UsageError for a code that may not be sent or a reason over 123 bytes.
   */
  close(code?: number, reason = ""): void {
    this.assertCanSend();
    this.sendFrame({ opcode: Opcode.Close, payload: encodeClosePayload(code, reason) });
  }

  /**
   * Fails the connection from this side for a reason of the application's own (7.1.7), such as a
   * server out of memory: a Close with `code` and `reason` is owed as after a peer's violation,
   * nothing more is read, and a message in progress is let go at once. Does nothing once closed.
   * @throws UsageError for a code that may not be sent or a reason over 123 bytes.
   */
  abort(code: number, reason = ""): void {
    const payload = encodeClosePayload(code, reason);
    if (!this.finished) this.failWith(payload);
  }

  private sendControl(opcode: number, payload: Uint8Array | string): void {
    const bytes = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
    if (bytes.length > CONTROL_PAYLOAD_MAX) {
      throw new UsageError("control-payload-too-long", `control payload is ${bytes.length} bytes, at most 125`);
    }
    this.sendFrame({ opcode, payload: bytes });
  }

  private assertCanSend(): void {
    // 5.5.1: "The application MUST NOT send any more data frames after sending a Close frame."
    if (this.closeSent) throw new InvalidStateError("cannot send after our close frame");
    if (this.state === "closed") throw new InvalidStateError("cannot send on a closed connection");
  }

  private emit(event: ConnectionEvent<TextAsBytes>): void {
    (this.events ??= []).push(event);
  }

  private queue(bytes: Uint8Array): void {
    (this.outgoing ??= []).push(bytes);
    this.outgoingBytes += bytes.length;
  }

  /** Nothing more is read: the frame in progress and a message in fragments are let go. */
  private stopReading(): void {
    this.finished = true;
    this.parser.stop();
    this.reader.discard();
  }

  private handle(message: MessageEvent): void {
    if (message.type === "close") {
      this.closeReceived = true;
      this.peerCloseCode = message.code ?? CloseCode.NoStatusReceived;
      this.peerCloseReason = message.reason;
      this.emit({ type: "close", code: this.peerCloseCode, reason: this.peerCloseReason });
      if (!this.closeSent) {
        // 5.5.1: "If an endpoint receives a Close frame and did not previously send a Close frame, the
        // endpoint MUST send a Close frame in response." We echo the code (1000 if there was none);
        // dataToSend sends it, after any answer to the messages that came before this Close.
        this.owedClose = encodeClosePayload(message.code ?? CloseCode.NormalClosure);
      }
      this.finishClosing();
      return;
    }
    if (message.type === "text" && !this.textAsBytes) {
      const data = decoder.decode(message.utf8);
      this.emit((message.compressed ? { type: "text", data, compressed: true } : { type: "text", data }) as TextEvent<TextAsBytes>);
    } else {
      // The reader's own event is the one to report (text as its UTF-8 bytes with textAsBytes).
      this.emit(message as ConnectionEvent<TextAsBytes>);
    }
    // 5.5.2: a Pong in response "MUST have identical Application data"; none once our Close is out.
    if (message.type === "ping" && this.autoPong && !this.closeSent) {
      this.sendFrame({ opcode: Opcode.Pong, payload: message.payload });
    }
  }

  private closeWasSent(): void {
    this.closeSent = true;
    this.deflate?.stopSending();
    // An application that closes while a Close is owed sends its own code instead.
    this.owedClose = null;
    this.finishClosing();
  }

  /**
   * Reports `closed` once the peer's Close is in and ours is queued or owed: nothing more is read,
   * and a transport that writes `dataToSend()` and then closes completes the handshake (7.1.1).
   */
  private finishClosing(): void {
    if (this.finished || !this.closeReceived) return;
    this.stopReading();
    this.emit({ type: "closed", code: this.peerCloseCode, reason: this.peerCloseReason, wasClean: true });
  }

  private fail(error: WebSocketError, frameRead: boolean): void {
    this.emit({ type: "error", error, frameRead });
    // 7.1.7: to _Fail the WebSocket Connection_ an endpoint may send a Close first; we do, with the
    // stable code as the reason so the peer (and the reader) can see what went wrong. It is owed like
    // a reply (see dataToSend), so messages that arrived before the violation can still be answered.
    this.failWith(encodeClosePayload(error.closeCode, error.code));
  }

  private failWith(closePayload: Uint8Array): void {
    if (!this.closeSent) this.owedClose = closePayload;
    this.stopReading();
    this.emit({ type: "closed", code: CloseCode.AbnormalClosure, reason: "", wasClean: false });
  }
}
