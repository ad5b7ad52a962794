import {
  buildHttpError,
  buildServerResponse,
  checkClientRequest,
  CloseCode,
  computeAccept,
  computeAcceptWith,
  Connection,
  HandshakeError,
  httpErrorFor,
  HeadBuffer,
  Opcode,
  type ClientRequestCheck,
  type ConnectionEvent,
  type HandshakeErrorCode,
  type RequestHead,
  type Sha1,
  type Utf8Check,
} from "../protocol/index.ts";
import { roomFromTarget } from "./chat-format.ts";
import type { ChatMember, ChatPeer, ChatRooms } from "./chat-rooms.ts";
import { describeFrame, type InspectHandshake } from "./inspect.ts";

/** The paths the sandbox answers (`/chat` only with the `chat` option); any other path gets a 404 instead of a 101. */
export const SANDBOX_ENDPOINTS = ["/echo", "/inspect", "/chat"] as const;
export type SandboxPath = (typeof SANDBOX_ENDPOINTS)[number];

/** Why the sandbox refuses an upgrade beyond the core's checks; each has a UI message `error.<code>`. */
export const sandboxErrorCodes = ["not-found", "head-too-large", "room-invalid"] as const;
export type SandboxErrorCode = (typeof sandboxErrorCodes)[number];

/** Subprotocols the sandbox accepts when a client offers them (on either path). */
export const SANDBOX_PROTOCOLS = ["echo.v1", "inspect.v1"] as const;

/** Largest upgrade request head, by default: browsers send well under 1 KiB. */
export const DEFAULT_MAX_HEAD_SIZE = 8 * 1024;

/** Decides whether a browser page from `origin` may connect; `host` is the request's Host header. */
export type OriginCheck = (origin: string, host: string | null) => boolean;

/** Limits and policies of one sandbox endpoint. */
export interface SandboxOptions {
  /** Origins allowed to connect (§10.2), as a list or a check; unset allows any. No Origin always passes. */
  allowedOrigins?: readonly string[] | OriginCheck;
  /** Largest message after reassembly (1009 above it). */
  maxPayload: number;
  /** Largest frame payload (1009 above it). */
  maxFrameSize: number;
  /** Subprotocols to choose from; SANDBOX_PROTOCOLS by default. */
  protocols?: readonly string[];
  /** Largest request head in bytes before the blank line (431 above it). */
  maxHeadSize?: number;
  /** The clock for event timestamps (ms). */
  now?: () => number;
  /**
   * A synchronous SHA-1 for the accept key (the Node server passes node:crypto's), so the opening
   * handshake is answered without a promise; unset, crypto.subtle computes it asynchronously.
   */
  sha1?: Sha1;
  /** A faster whole-buffer UTF-8 check for text messages (the Node server passes node:buffer's `isUtf8`). */
  isUtf8?: Utf8Check;
  /** The chat rooms `/chat?room=<id>` joins (see chat-rooms.ts); without them `/chat` is a 404. */
  chat?: ChatRooms;
}

/** Whoever moves an endpoint's output to its client (an object, so a connection costs no closure). */
export interface OutputListener {
  outputReady(): void;
}

/** `handshake` until the head is answered, then the connection's states; `closed` after a rejection too. */
export type SandboxState = "handshake" | "open" | "closing" | "closed";

/** What happened to the connection, for logs and the terminal. */
export type SandboxEvent =
  | { type: "opened"; at: number; path: SandboxPath; protocol: string | null }
  | { type: "rejected"; at: number; path: string | null; status: number; reason: HandshakeErrorCode | SandboxErrorCode }
  | { type: "closed"; at: number; code: number; reason: string; wasClean: boolean };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function pathOf(target: string): string {
  // An absolute-form target (RFC 7230 §5.3.2) names the path after the authority.
  const path = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "");
  const query = path.indexOf("?");
  return query === -1 ? path : path.slice(0, query);
}

function isSandboxPath(path: string, options: SandboxOptions): path is SandboxPath {
  if (path === "/chat") return options.chat !== undefined;
  return (SANDBOX_ENDPOINTS as readonly string[]).includes(path);
}

// What output() and events() return when there is nothing: an open connection holds no arrays of
// its own between chunks. Frozen, because every endpoint hands out the same one.
const NOTHING: readonly never[] = Object.freeze([]);

/**
 * The server side of one WebSocket byte stream, without I/O: the upgrade request and then frames
 * go in through `receive`, the HTTP response and frames come out of `output`. `/echo` sends every
 * message back; `/inspect` first describes the upgrade request, then each frame as it arrived
 * (see inspect.ts), then echoes. Only the opening handshake can be asynchronous: when the
 * options bring no synchronous `sha1`, the accept key waits for crypto.subtle.
 */
export class SandboxEndpoint {
  /** The path answered with a 101, or null. */
  endpoint: SandboxPath | null = null;
  /** The chosen subprotocol, or null. */
  protocol: string | null = null;
  /** The close code of the closing handshake: whichever side closed first, or 1006 if nobody did. */
  closeCode: number | null = null;
  closeReason: string | null = null;
  /** Messages and control frames received, for the log. */
  messagesReceived = 0;
  /** True once the transport should be closed: after an HTTP error or the end of the closing handshake. */
  shouldCloseTransport = false;

  private readonly options: SandboxOptions;
  private connection: Connection<true> | null = null;
  /** The accept key being computed (crypto.subtle), with the chunks that arrived meanwhile chained on. */
  private pending: Promise<void> | null = null;
  /** The request head so far, until its blank line arrives; released once it is answered. */
  private head: HeadBuffer | null = null;
  private rejected = false;
  /** The HTTP response (a 101 or an error) until `output` hands it out; frames come from the connection. */
  private response: Uint8Array | null = null;
  private log: SandboxEvent[] | null = null;
  private allowance = Number.POSITIVE_INFINITY;
  /** On `/chat`: this connection's place in its room. */
  private member: ChatMember | null = null;

  /**
   * Told when output appears outside `receive`: on `/chat`, what other members said. The transport
   * then writes `output()` as it does after a chunk of its own.
   */
  outputListener: OutputListener | null = null;

  constructor(options: SandboxOptions) {
    this.options = options;
  }

  /** Frames received so far, control frames and fragments included (see `Connection.framesReceived`). */
  get framesReceived(): number {
    return this.connection?.framesReceived ?? 0;
  }

  /** How many more frames may be read before the connection fails with 1008 (see `Connection.frameAllowance`). */
  set frameAllowance(frames: number) {
    this.allowance = frames;
    if (this.connection !== null) this.connection.frameAllowance = frames;
  }

  /** Bytes this endpoint keeps between calls: a partial request head, or what its connection holds. */
  get bytesHeld(): number {
    return (this.head?.bytesHeld ?? 0) + (this.response?.length ?? 0) + (this.connection?.bytesHeld ?? 0);
  }

  /** Where the endpoint stands. */
  get state(): SandboxState {
    if (this.rejected) return "closed";
    return this.connection?.state ?? "handshake";
  }

  /** Whether the opening handshake succeeded (a 101 was sent). */
  get opened(): boolean {
    return this.connection !== null;
  }

  /**
   * Feeds bytes from the client. While the accept key is computed asynchronously (no `sha1` option)
   * this returns a promise, and chunks are processed in order even if the caller does not wait;
   * otherwise it works synchronously and returns undefined.
   */
  receive(bytes: Uint8Array): Promise<void> | undefined {
    if (this.pending !== null) return this.track(this.pending.then(() => this.receiveFrames(bytes)));
    if (this.connection !== null || this.rejected) {
      this.receiveFrames(bytes);
      return undefined;
    }
    return this.receiveHead(bytes);
  }

  /**
   * Starts from a request head the transport has already parsed (Node's HTTP server does), followed
   * by the bytes that came after it; the same as `receive` of the head's bytes and then `rest`.
   */
  receiveRequest(request: RequestHead, rest: Uint8Array): Promise<void> | undefined {
    return this.answer(request, rest);
  }

  /** The client closed its side of the transport. */
  receiveEof(): void {
    this.shouldCloseTransport = true;
    if (this.connection === null || this.connection.state === "closed") return;
    this.connection.receiveEof();
    this.process(this.connection.eventsReceived());
  }

  /** Returns and forgets the bytes to write to the client; a Close the connection owes comes last. */
  output(): readonly Uint8Array[] {
    const frames = this.connection?.dataToSend() ?? NOTHING;
    const response = this.response;
    if (response === null) return frames;
    this.response = null;
    return [response, ...frames];
  }

  /** Returns and forgets what happened since the last call. */
  events(): readonly SandboxEvent[] {
    const log = this.log ?? NOTHING;
    this.log = null;
    return log;
  }

  /** Sends a Ping (a keepalive; the client's Pong shows up on `/inspect` as a frame). */
  ping(payload: Uint8Array = new Uint8Array(0)): void {
    if (this.state === "open") this.connection!.ping(payload);
  }

  /** Starts the closing handshake, e.g. 1008 for a policy the transport enforces. */
  close(code: number, reason = ""): void {
    if (this.state !== "open") return;
    this.closeCode ??= code;
    this.closeReason ??= reason;
    this.connection!.close(code, reason);
  }

  /**
   * Fails the connection from the server's side (see `Connection.abort`): a Close with `code`, and
   * nothing more is read or kept, e.g. 1013 when the server must free memory.
   */
  abort(code: number, reason = ""): void {
    if (this.state !== "open" && this.state !== "closing") return;
    this.closeCode ??= code;
    this.closeReason ??= reason;
    this.connection!.abort(code, reason);
    this.process(this.connection!.eventsReceived());
  }

  /**
   * Going away: every message already received has been answered (receive is synchronous once
   * open), so this only sends the Close; a connection still in its handshake is dropped.
   */
  shutdown(code: number = CloseCode.GoingAway): void {
    if (this.state === "handshake") {
      this.shouldCloseTransport = true;
      return;
    }
    this.close(code, "server shutting down");
  }

  /** Makes `step` the one later chunks wait for, and forgets it once nothing more is waiting. */
  private track(step: Promise<void>): Promise<void> {
    const tracked = step.then(() => {
      if (this.pending === tracked) this.pending = null;
    });
    this.pending = tracked;
    return tracked;
  }

  private receiveHead(bytes: Uint8Array): Promise<void> | undefined {
    const maxHeadSize = this.options.maxHeadSize ?? DEFAULT_MAX_HEAD_SIZE;
    const head = (this.head ??= new HeadBuffer(maxHeadSize));
    const split = head.push(bytes);
    if (head.tooLarge) this.reject(null, 431, "head-too-large", `request head is over ${maxHeadSize} bytes`);
    if (split === null) return undefined;
    this.head = null;
    // 4.2.2 / 5: bytes after the blank line are already frames (a client may send right away).
    return this.answer(split.head, split.rest);
  }

  /** Answers the request head, then reads `rest` as frames; a promise only while the accept key is computed. */
  private answer(head: Uint8Array | RequestHead, rest: Uint8Array): Promise<void> | undefined {
    const allowedOrigins = this.options.allowedOrigins;
    const result = checkClientRequest(head, {
      protocols: this.options.protocols ?? SANDBOX_PROTOCOLS,
      allowedOrigins: typeof allowedOrigins === "function" ? undefined : allowedOrigins,
    });
    const request = result.request;
    const path = request ? pathOf(request.target) : null;
    if (request === null || path === null) {
      const error = result.error!;
      this.reject(null, error.status ?? 400, error.code, error.message, httpErrorFor(error));
      return undefined;
    }
    if (!isSandboxPath(path, this.options)) {
      this.reject(path, 404, "not-found", `no WebSocket endpoint at ${path}; try /echo or /inspect`);
      return undefined;
    }
    if (path === "/chat" && roomFromTarget(request.target) === null) {
      this.reject(path, 400, "room-invalid", "/chat needs ?room= and 22 base64url characters (16 random bytes)");
      return undefined;
    }
    const error = result.error ?? this.originError(request);
    if (error !== null || result.key === null) {
      this.reject(path, error!.status ?? 400, error!.code, error!.message, httpErrorFor(error!));
      return undefined;
    }
    const sha1 = this.options.sha1;
    if (sha1 !== undefined) {
      this.open(path, request, result, computeAcceptWith(result.key, sha1), rest);
      return undefined;
    }
    return this.track(computeAccept(result.key).then((accept) => this.open(path, request, result, accept, rest)));
  }

  private open(path: SandboxPath, request: RequestHead, result: ClientRequestCheck, accept: string, rest: Uint8Array): void {
    const protocol = result.protocol;
    // 9.1: extensions are accepted only by naming them; the sandbox names none, so frames stay plain.
    this.response = encoder.encode(buildServerResponse({ accept, protocol }));
    const inspect = path === "/inspect";
    const chat = path === "/chat" ? this.options.chat! : null;
    // A chat message is a line of text: the chat's own cap applies when it is below the server's.
    const maxPayload = chat === null ? this.options.maxPayload : Math.min(this.options.maxPayload, chat.limits.maxMessageBytes);
    this.connection = new Connection("server", {
      maxPayload,
      maxFrameSize: Math.min(this.options.maxFrameSize, maxPayload),
      isUtf8: this.options.isUtf8,
      // The sandbox answers pings itself, after describing them on /inspect.
      autoPong: false,
      // Echoes send the bytes that came in: validated, never decoded.
      textAsBytes: true,
      // Only /inspect describes frames; /echo does no per-frame work beyond the message it completes.
      frameEvents: inspect ? "parsed" : "none",
    });
    this.connection.frameAllowance = this.allowance;
    this.endpoint = path;
    this.protocol = protocol;
    this.record({ type: "opened", at: this.now(), path, protocol });
    if (inspect) this.sendJson(describeHandshake(request, result, accept, protocol));
    if (chat !== null) this.member = chat.connect(roomFromTarget(request.target)!, this.chatPeer());
    this.receiveFrames(rest);
  }

  private originError(request: RequestHead): HandshakeError | null {
    const check = this.options.allowedOrigins;
    const origin = request.headers.get("origin");
    if (typeof check !== "function" || origin === undefined) return null;
    if (check(origin, request.headers.get("host") ?? null)) return null;
    // 10.2: a server that checks origins answers a disallowed one with an HTTP error, e.g. 403.
    return new HandshakeError("origin-forbidden", 403, `origin ${origin} is not allowed`);
  }

  private reject(path: string | null, status: number, code: HandshakeErrorCode | SandboxErrorCode, message: string, response?: string): void {
    this.rejected = true;
    this.shouldCloseTransport = true;
    this.head = null;
    this.response = encoder.encode(response ?? buildHttpError(status, `${code}: ${message}`));
    this.record({ type: "rejected", at: this.now(), path, status, reason: code });
  }

  private receiveFrames(bytes: Uint8Array): void {
    const connection = this.connection;
    if (connection === null || connection.state === "closed" || bytes.length === 0) return;
    connection.receiveData(bytes);
    // A Close the connection owes (a reply or a failure) goes out with the next output(), after
    // the echoes queued here of the messages that came before it (5.5.1 lets it wait for them).
    this.process(connection.eventsReceived());
  }

  private process(events: readonly ConnectionEvent<true>[]): void {
    const connection = this.connection!;
    for (const event of events) {
      switch (event.type) {
        case "frame":
          // Only /inspect asks for frame events.
          if (connection.canSend) this.sendJson(describeFrame(event.frame));
          break;
        case "text":
          this.messagesReceived++;
          if (this.member !== null) {
            // Validated UTF-8 already (1007 otherwise), so decoding cannot fail or replace anything.
            if (connection.canSend) this.member.receive(decoder.decode(event.utf8));
            break;
          }
          // 5.5.1: "The application MUST NOT send any more data frames after sending a Close frame."
          if (connection.canSend) connection.sendFrame({ opcode: Opcode.Text, payload: event.utf8 });
          break;
        case "binary":
          this.messagesReceived++;
          // The chat speaks JSON text only; 1003 is the RFC's answer to a type of data it cannot accept.
          if (this.member !== null) this.close(CloseCode.UnsupportedData, "text only");
          else if (connection.canSend) connection.sendBinary(event.data);
          break;
        case "ping":
          this.messagesReceived++;
          // 5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response [...]
          // The Pong frame MUST have identical Application data" (none once our Close is out).
          if (connection.canSend) connection.pong(event.payload);
          break;
        case "pong":
          this.messagesReceived++;
          break;
        case "close":
          this.messagesReceived++;
          this.closeCode ??= event.code;
          this.closeReason ??= event.reason;
          break;
        case "error":
          this.closeCode ??= event.error.closeCode;
          this.closeReason ??= event.error.code;
          break;
        case "closed":
          this.closeCode ??= event.code;
          this.closeReason ??= event.reason;
          this.shouldCloseTransport = true;
          this.member?.leave();
          this.record({ type: "closed", at: this.now(), code: this.closeCode, reason: this.closeReason, wasClean: event.wasClean });
          break;
      }
    }
  }

  /** How the chat room reaches this connection: queued frames, then a nudge to the transport. */
  private chatPeer(): ChatPeer {
    return {
      send: (json) => {
        const connection = this.connection!;
        // 5.5.1: no data frames after our Close; a member that is closing just misses the message.
        if (!connection.canSend) return;
        connection.sendFrame({ opcode: Opcode.Text, payload: json });
        this.outputListener?.outputReady();
      },
      close: (code, reason) => {
        this.close(code, reason);
        this.outputListener?.outputReady();
      },
    };
  }

  private sendJson(message: object): void {
    this.connection!.sendText(JSON.stringify(message));
  }

  private record(event: SandboxEvent): void {
    (this.log ??= []).push(event);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

function describeHandshake(request: RequestHead, result: ClientRequestCheck, accept: string, protocol: string | null): InspectHandshake {
  return {
    type: "handshake",
    requestLine: `${request.method} ${request.target} HTTP/${request.httpVersion}`,
    headers: request.rawHeaders.map(([name, value]) => [name, value]),
    origin: request.headers.get("origin") ?? null,
    key: result.key!,
    protocols: result.offeredProtocols,
    extensions: result.extensions,
    accept,
    protocol,
  };
}
