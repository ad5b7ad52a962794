import {
  buildClientRequest,
  checkServerResponse,
  Connection,
  generateKey,
  HeadBuffer,
  InvalidStateError,
  Opcode,
  readRefusal,
  type ConnectionEvent,
  type RandomBytes,
  type HttpRefusal,
  type ResponseHead,
} from "../../protocol/index.ts";
import type { Payload } from "../commands.ts";
import type { Emit, Limitation, Transport, TransportKind, TransportState } from "./transport.ts";

/** The byte stream under a client: an in-page pipe to a sandbox, or a TCP/TLS socket. */
export interface ByteLink {
  write(bytes: Uint8Array): void;
  /** Closes our side of the stream. */
  end(): void;
}

/** Where and how to open the connection, and what a server may make us hold. */
export interface ClientTarget {
  host: string;
  path: string;
  protocols: readonly string[];
  origin?: string;
  randomBytes?: RandomBytes;
  /** Largest message from the server (1009 above it); `DEFAULT_CLIENT_LIMITS` by default. */
  maxPayload?: number;
  /** Largest frame from the server, refused from its header (1009 above it). */
  maxFrameSize?: number;
}

/** What a client holds at most unless told otherwise: a 16 KiB response head, 16 MiB messages and frames. */
export const DEFAULT_CLIENT_LIMITS = { maxHeadSize: 16 * 1024, maxPayload: 16 * 1024 * 1024, maxFrameSize: 16 * 1024 * 1024 } as const;

const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** Splits `bytes` into `count` runs of nearly equal length (any byte boundary, even inside a character). */
function splitBytes(bytes: Uint8Array, count: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(bytes.subarray(Math.floor((i * bytes.length) / count), Math.floor(((i + 1) * bytes.length) / count)));
  }
  return parts;
}

/**
 * A WebSocket client made of the core alone: it writes the upgrade request, checks the response
 * (§4.1) and then runs a client `Connection`, reporting every byte it sends and receives. The
 * virtual transport and `ws-lab connect` differ only in the `ByteLink` under it.
 */
export class CoreClient implements Transport {
  readonly kind: TransportKind;
  readonly url: string;
  protocol: string | null = null;

  private readonly target: ClientTarget;
  private readonly emit: Emit;
  private readonly key: string;
  private link: ByteLink | null = null;
  private connection: Connection | null = null;
  private readonly head = new HeadBuffer(DEFAULT_CLIENT_LIMITS.maxHeadSize);
  private handshake: Promise<void> | null = null;
  /** A non-101 answer whose body is still arriving: the reason is in its first line. */
  private refusal: { response: ResponseHead; code: string; body: Uint8Array } | null = null;
  /** Our side of the stream is closed. */
  private ended = false;
  private endReceived = false;
  private failed = false;

  constructor(kind: TransportKind, url: string, target: ClientTarget, emit: Emit) {
    this.kind = kind;
    this.url = url;
    this.target = target;
    this.emit = emit;
    this.key = generateKey(target.randomBytes);
  }

  get state(): TransportState {
    if (this.failed) return "closed";
    return this.connection?.state ?? "connecting";
  }

  /** Starts the opening handshake over `link`. */
  attach(link: ByteLink): void {
    this.link = link;
    const request = buildClientRequest({
      host: this.target.host,
      path: this.target.path,
      key: this.key,
      protocols: this.target.protocols,
      origin: this.target.origin,
    });
    this.emit({ type: "request", text: request });
    link.write(encoder.encode(request));
  }

  /** Bytes from the server. */
  receive(bytes: Uint8Array): void {
    if (this.connection) {
      this.connection.receiveData(bytes);
      this.flush();
      return;
    }
    if (this.failed) return;
    if (this.refusal) {
      this.refusal.body = concat(this.refusal.body, bytes);
      this.settleRefusal(false);
      return;
    }
    // Bytes that arrive while the response is checked (asynchronously) wait their turn.
    if (this.handshake) {
      this.handshake = this.handshake.then(() => this.receive(bytes));
      return;
    }
    const split = this.head.push(bytes);
    if (this.head.tooLarge) {
      this.fail("response-head-too-large", null, null);
      return;
    }
    if (split !== null) this.handshake = this.answer(split.head, split.rest);
  }

  /** The server closed the stream. */
  receiveEnd(): void {
    if (this.endReceived) return;
    this.endReceived = true;
    const finish = () => {
      if (this.connection) {
        this.connection.receiveEof();
        this.flush();
      } else if (this.refusal) {
        this.settleRefusal(true);
      } else if (!this.failed) {
        this.fail("response-malformed", null, null);
      }
    };
    if (this.handshake) this.handshake = this.handshake.then(finish);
    else finish();
  }

  private async answer(head: Uint8Array, rest: Uint8Array): Promise<void> {
    this.emit({ type: "response", text: latin1.decode(head) });
    const check = await checkServerResponse(head, { key: this.key, protocols: this.target.protocols });
    if (!check.ok) {
      this.handshake = null;
      const response = check.response;
      if (response && response.status !== 101) {
        // The server refused the upgrade: its body may say why (buildHttpError writes `code: message`).
        this.refusal = { response, code: check.error!.code, body: rest.slice() };
        this.settleRefusal(false);
        return;
      }
      this.fail(check.error!.code, response?.status ?? null, null);
      return;
    }
    this.protocol = check.protocol;
    // The terminal shows every frame's bytes as they arrived.
    this.connection = new Connection("client", {
      randomBytes: this.target.randomBytes,
      frameEvents: "withBytes",
      maxPayload: this.target.maxPayload ?? DEFAULT_CLIENT_LIMITS.maxPayload,
      maxFrameSize: this.target.maxFrameSize ?? DEFAULT_CLIENT_LIMITS.maxFrameSize,
    });
    this.handshake = null;
    this.emit({ type: "open", protocol: check.protocol });
    // 4.1: bytes after the response head are already frames from the server.
    if (rest.length > 0) this.receive(rest.slice());
  }

  /** Reports the refusal once its reason has arrived (or the stream ended without one). */
  private settleRefusal(ended: boolean): void {
    const { response, code, body } = this.refusal!;
    const refusal = readRefusal(response, body, ended);
    if (refusal === null) return;
    this.refusal = null;
    this.fail(code, response.status, refusal);
  }

  private fail(code: string, status: number | null, refusal: HttpRefusal | null): void {
    this.failed = true;
    this.emit({ type: "handshake-failed", code, status, refusal });
    this.link?.end();
  }

  limitation(): Limitation | null {
    return null;
  }

  send(payload: Payload, fragments: number): void {
    const connection = this.open();
    const bytes = payload.kind === "text" ? encoder.encode(payload.text) : payload.bytes;
    if (fragments <= 1) {
      if (payload.kind === "text") connection.sendText(payload.text);
      else connection.sendBinary(bytes);
    } else {
      // 5.4: the first fragment carries the opcode, the rest are continuations, the last has FIN.
      splitBytes(bytes, fragments).forEach((part, i) => {
        const opcode = i > 0 ? Opcode.Continuation : payload.kind === "text" ? Opcode.Text : Opcode.Binary;
        connection.sendFrame({ opcode, payload: part, fin: i === fragments - 1 });
      });
    }
    this.flush();
  }

  ping(payload: string): void {
    this.open().ping(payload);
    this.flush();
  }

  close(code: number | null, reason: string): void {
    this.open().close(code ?? undefined, reason);
    this.flush();
  }

  raw(bytes: Uint8Array): void {
    this.open().sendRaw(bytes);
    this.flush();
  }

  abort(): void {
    this.failed = true;
    this.refusal = null;
    this.ended = true;
    this.link?.end();
  }

  /** @throws InvalidStateError before the handshake has completed. */
  private open(): Connection {
    if (!this.connection) throw new InvalidStateError("the opening handshake has not completed");
    return this.connection;
  }

  private flush(): void {
    const connection = this.connection!;
    const events = connection.eventsReceived();
    // Frames in first, then what we answer (a Pong, our Close), then the end of the connection.
    for (const event of events) if (event.type !== "closed") this.report(event);
    for (const bytes of connection.dataToSend()) {
      this.emit({ type: "wire", direction: "out", bytes });
      this.link?.write(bytes);
    }
    for (const event of events) if (event.type === "closed") this.report(event);
    if (connection.state === "closed" && !this.ended) {
      // 7.1.1: the server should close TCP first; we only end our half once the closing handshake is done.
      this.ended = true;
      this.link?.end();
    }
  }

  private report(event: ConnectionEvent): void {
    switch (event.type) {
      case "frame":
        // Always there: the connection keeps them (frameEvents: "withBytes").
        this.emit({ type: "wire", direction: "in", bytes: event.bytes! });
        break;
      case "text":
        this.emit({ type: "message", payload: { kind: "text", text: event.data } });
        break;
      case "binary":
        this.emit({ type: "message", payload: { kind: "binary", bytes: event.data } });
        break;
      case "ping":
      case "pong":
        this.emit({ type: event.type, payload: event.payload });
        break;
      case "close":
        this.emit({ type: "close", code: event.code, reason: event.reason });
        break;
      case "error":
        this.emit({ type: "failed", code: event.error.code, closeCode: event.error.closeCode });
        break;
      case "closed":
        this.emit({ type: "closed", code: event.code, reason: event.reason, wasClean: event.wasClean });
        break;
    }
  }
}
