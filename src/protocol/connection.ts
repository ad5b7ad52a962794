import { CloseCode, InvalidStateError, UsageError, WebSocketError } from "./errors.ts";
import { encodeFrame, Opcode, type FrameField, type FrameInit } from "./frame.ts";
import { FrameParser, type ParsedFrame } from "./parser.ts";
import { MessageReader, type MessageEvent, type ReceiveOptions, type Role } from "./message.ts";
import { encodeClosePayload } from "./close.ts";
import { defaultRandomBytes, type RandomBytes } from "./random.ts";

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
}

/** `open` until a Close is sent or received, `closing` while the other one is awaited or our reply is owed, then `closed`. */
export type ConnectionState = "open" | "closing" | "closed";

/** A whole text message: decoded by default, its validated UTF-8 bytes with `textAsBytes: true`. */
export type TextEvent<TextAsBytes extends boolean = false> = TextAsBytes extends true
  ? { type: "text"; utf8: Uint8Array }
  : { type: "text"; data: string };

/** What `eventsReceived` reports: every frame as it arrived, then what it meant. */
export type ConnectionEvent<TextAsBytes extends boolean = false> =
  | { type: "frame"; frame: ParsedFrame; bytes: Uint8Array }
  | TextEvent<TextAsBytes>
  | Exclude<MessageEvent, { type: "text" | "close" }>
  | { type: "close"; code: number; reason: string }
  | { type: "error"; error: WebSocketError }
  | { type: "closed"; code: number; reason: string; wasClean: boolean };

const CONTROL_PAYLOAD_MAX = 125;

const decoder = new TextDecoder();

/**
 * One end of a WebSocket connection without I/O: bytes and intents in, events and bytes out.
 * Peer mistakes never throw: they become an `error` event, a queued Close and the `closed` state.
 *
 * The answer to a peer's Close is owed, not queued at once: 5.5.1 says "An endpoint MAY delay
 * sending a Close frame until its current message is sent" and "SHOULD do so as soon as
 * practical", so while the events of that input are handled the application can still answer
 * the messages that came before the Close, and the next `dataToSend()` ends with the reply.
 * `closed` is reported right after `close` (the handshake is settled: nothing more is read, the
 * reply is due), so a loop that handles events, then writes `dataToSend()`, then closes the
 * transport on `closed` needs no second look; `state` stays `closing` until the reply has left.
 */
export class Connection<TextAsBytes extends boolean = false> {
  readonly role: Role;
  private readonly reader: MessageReader;
  private readonly parser: FrameParser;
  private readonly randomBytes: RandomBytes;
  private readonly autoPong: boolean;
  private readonly textAsBytes: boolean;
  private events: ConnectionEvent<TextAsBytes>[] = [];
  private outgoing: Uint8Array[] = [];
  private closeSent = false;
  private closeReceived = false;
  /** The payload of the Close we owe the peer (5.5.1), until `dataToSend` sends it. */
  private closeReply: Uint8Array | null = null;
  /** `closed` is reported: nothing more is read, and nothing sent once `closeReply` is out. */
  private finished = false;
  private peerClose = { code: CloseCode.NoStatusReceived as number, reason: "" };

  constructor(role: Role, options: ConnectionOptions<TextAsBytes> = {}) {
    this.role = role;
    this.reader = new MessageReader(role, options);
    this.parser = new FrameParser({
      checkStart: (start) => this.reader.checkStart(start),
      checkLength: (header) => this.reader.checkLength(header),
      maxFrameSize: options.maxFrameSize,
      retainBytes: true,
    });
    this.randomBytes = options.randomBytes ?? defaultRandomBytes;
    this.autoPong = options.autoPong ?? true;
    this.textAsBytes = options.textAsBytes ?? false;
  }

  /** Where the closing handshake stands. */
  get state(): ConnectionState {
    if (this.finished && this.closeReply === null) return "closed";
    return this.closeSent || this.closeReceived ? "closing" : "open";
  }

  /** Whether `send*`, `ping`, `pong` and `close` may be called: until our Close is queued or the connection closed. */
  get canSend(): boolean {
    return !this.closeSent && this.state !== "closed";
  }

  /** The field an incomplete incoming frame is waiting for, or null between frames. */
  get waitingFor(): FrameField | null {
    return this.parser.waitingFor;
  }

  /**
   * Feeds bytes from the peer; what they mean comes out of `eventsReceived`. A Close from the peer
   * ends the input: `close` and `closed` are the last events, and our reply is owed (see `dataToSend`).
   */
  receiveData(chunk: Uint8Array): void {
    // 1.4: after the peer's Close nothing more is read; after a failure we stopped listening.
    if (this.closeReceived || this.finished) return;
    const frames = this.parser.push(chunk);
    for (const frame of frames) {
      this.events.push({ type: "frame", frame, bytes: frame.bytes! });
      let message: MessageEvent | null;
      try {
        message = this.reader.readFrame(frame);
      } catch (error) {
        if (!(error instanceof WebSocketError)) throw error;
        this.fail(error);
        return;
      }
      if (message) this.handle(message);
      if (this.closeReceived) return;
    }
    if (this.parser.error) this.fail(this.parser.error);
  }

  /** Tells the connection the transport ended; without a closing handshake that is a 1006 closure. */
  receiveEof(): void {
    if (this.finished) return;
    this.finished = true;
    // 7.1.5: no Close frame received means the close code is 1006 (abnormal closure).
    this.events.push({ type: "closed", code: CloseCode.AbnormalClosure, reason: "", wasClean: false });
  }

  /** Returns and forgets the events since the last call. */
  eventsReceived(): ConnectionEvent<TextAsBytes>[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  /**
   * Returns and forgets the bytes to write to the transport since the last call. A Close reply
   * owed to the peer comes last, after whatever the application sent while handling the events
   * that led up to it; from then on every send throws `InvalidStateError`.
   */
  dataToSend(): Uint8Array[] {
    // 5.5.1: "An endpoint MAY delay sending a Close frame until its current message is sent";
    // the reply is delayed no further than this, "as soon as practical".
    if (this.closeReply !== null) this.sendFrame({ opcode: Opcode.Close, payload: this.closeReply });
    const data = this.outgoing;
    this.outgoing = [];
    return data;
  }

  /**
   * Sends a text message in one frame.
   * @throws InvalidStateError after our Close.
   */
  sendText(text: string): void {
    this.sendFrame({ opcode: Opcode.Text, payload: text });
  }

  /**
   * Sends a binary message in one frame.
   * @throws InvalidStateError after our Close.
   */
  sendBinary(data: Uint8Array): void {
    this.sendFrame({ opcode: Opcode.Binary, payload: data });
  }

  /**
   * Sends one frame as given (fragments, reserved bits, any opcode); a client masks it unless `mask` is set.
   * @throws InvalidStateError after our Close; UsageError for a bad opcode or masking key.
   */
  sendFrame(init: FrameInit): void {
    this.assertCanSend();
    const mask = init.mask ?? this.role === "client";
    this.outgoing.push(encodeFrame({ randomBytes: this.randomBytes, ...init, mask }));
    if (init.opcode === Opcode.Close) this.closeWasSent();
  }

  /**
   * Puts bytes on the wire unchanged, to show what a peer does with a broken stream.
   * @throws InvalidStateError after our Close.
   */
  sendRaw(bytes: Uint8Array): void {
    this.assertCanSend();
    this.outgoing.push(bytes);
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

  private handle(message: MessageEvent): void {
    if (message.type === "close") {
      this.closeReceived = true;
      // 7.1.5: the close code is the one in the first Close received, 1005 if it had none.
      this.peerClose = { code: message.code ?? CloseCode.NoStatusReceived, reason: message.reason };
      this.events.push({ type: "close", ...this.peerClose });
      if (!this.closeSent) {
        // 5.5.1: "If an endpoint receives a Close frame and did not previously send a Close frame, the
        // endpoint MUST send a Close frame in response." We echo the code (1000 if there was none);
        // dataToSend sends it, after any answer to the messages that came before this Close.
        this.closeReply = encodeClosePayload(message.code ?? CloseCode.NormalClosure);
      }
      this.finishClosing();
      return;
    }
    if (message.type === "text") {
      const event = this.textAsBytes ? { type: "text", utf8: message.utf8 } : { type: "text", data: decoder.decode(message.utf8) };
      this.events.push(event as TextEvent<TextAsBytes>);
    } else {
      this.events.push(message);
    }
    // 5.5.2: a Pong in response "MUST have identical Application data"; none once our Close is out.
    if (message.type === "ping" && this.autoPong && !this.closeSent) {
      this.sendFrame({ opcode: Opcode.Pong, payload: message.payload });
    }
  }

  private closeWasSent(): void {
    this.closeSent = true;
    // An application that closes while our reply is owed answers with its own code instead.
    this.closeReply = null;
    this.finishClosing();
  }

  /**
   * Reports `closed` once the peer's Close is in and ours is queued or owed: nothing more is read,
   * and a transport that writes `dataToSend()` and then closes completes the handshake (7.1.1).
   */
  private finishClosing(): void {
    if (this.finished || !this.closeReceived) return;
    this.finished = true;
    this.events.push({ type: "closed", ...this.peerClose, wasClean: true });
  }

  private fail(error: WebSocketError): void {
    this.events.push({ type: "error", error });
    // 7.1.7: to _Fail the WebSocket Connection_ an endpoint may send a Close first; we do, with the
    // stable code as the reason so the peer (and the reader) can see what went wrong.
    if (!this.closeSent) this.sendFrame({ opcode: Opcode.Close, payload: encodeClosePayload(error.closeCode, error.code) });
    this.finished = true;
    this.events.push({ type: "closed", code: CloseCode.AbnormalClosure, reason: "", wasClean: false });
  }
}
