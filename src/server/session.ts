import type { Socket } from "node:net";
import { CloseCode, type RequestHead } from "../protocol/index.ts";
import type { OutputListener, SandboxEndpoint } from "../sandbox/index.ts";
import type { ServerConfig } from "./config.ts";
import type { Logger } from "./log.ts";
import type { Holder } from "./memory-budget.ts";

/** What every session of one server shares (one object, so a connection costs no closures). */
export interface SessionContext {
  limits: Pick<ServerConfig, "idleTimeout" | "pongTimeout" | "maxMessageRate" | "maxBufferedBytes">;
  log: Logger;
  /** Called when the bytes the session holds change by `delta` (the memory budget). */
  heldChanged(delta: number): void;
  /** Called once the socket has closed. */
  closed(session: Session): void;
}

/** Unwritten bytes a session evicted for memory may keep while its Close goes out; past this it is dropped. */
const EVICTION_WRITE_SLACK = 64 * 1024;

const sessionKey = Symbol("ws-lab session");
type SessionSocket = Socket & { [sessionKey]: Session };

// Module-level listeners: `this` is the socket, so no closure is allocated per connection.
function onData(this: SessionSocket, chunk: Buffer): void {
  this[sessionKey].receive(chunk);
}
function onEnd(this: SessionSocket): void {
  const session = this[sessionKey];
  session.sandbox.receiveEof();
  session.flush();
}
function onError(): void {
  // A reset or a write after the peer went away; "close" follows and does the cleanup.
}
function onClose(this: SessionSocket): void {
  this[sessionKey].closed();
}
function onDrain(this: SessionSocket): void {
  this.resume();
}

/**
 * Unwritten bytes past which a session stops reading until they drain: a client that does not read
 * its echoes is not read either, so it costs neither CPU nor more memory (TCP flow control holds
 * it back) and cannot slow down the clients that do read.
 */
const PAUSE_READING_AT = 1024 * 1024;

// Up to this many bytes in all, the pieces of one flush are joined into one write.
const JOIN_WRITES_MAX = 16 * 1024;

/**
 * Writes what answers one chunk read. Small frames (usually a few dozen bytes each) are joined
 * into one write: each write costs a trip through the stream. Large payloads come as their own
 * pieces (the core does not copy them behind their header): they go out corked, as one writev.
 */
function writeAll(socket: Socket, pieces: readonly Uint8Array[]): void {
  if (pieces.length === 1) {
    socket.write(pieces[0]!);
    return;
  }
  let total = 0;
  for (const piece of pieces) total += piece.length;
  if (total <= JOIN_WRITES_MAX) {
    socket.write(Buffer.concat(pieces, total));
    return;
  }
  socket.cork();
  for (const piece of pieces) socket.write(piece);
  socket.uncork();
}

/** What the session waits for when its deadline passes. */
type Waiting = "handshake" | "idle" | "pong" | "close";

/**
 * Moves bytes between one upgraded socket and its SandboxEndpoint, and enforces the limits that
 * need a clock or a socket: idle pings with a pong deadline, the frame rate, the outbound buffer.
 * Time is checked by `tick`, which the server calls for every session from one shared timer.
 */
export class Session implements Holder, OutputListener {
  readonly socket: Socket;
  readonly sandbox: SandboxEndpoint;
  readonly address: string;
  private readonly context: SessionContext;
  private readonly startedAt = Date.now();
  private waiting: Waiting = "handshake";
  private deadline = Number.POSITIVE_INFINITY;
  private heardFromPeer = false;
  // The rate limit's window: when it started and how many frames had been read then.
  private rateWindowStart = 0;
  private framesBeforeWindow = 0;
  private dropReason: string | null = null;
  /** Chunks read from the socket, for shutdown to see when the client has stopped sending. */
  chunksReceived = 0;
  /** Bytes held as last reported to the budget: what the endpoint keeps plus the socket's unwritten bytes. */
  held = 0;
  private flushQueued = false;

  constructor(socket: Socket, sandbox: SandboxEndpoint, address: string, context: SessionContext) {
    this.socket = socket;
    this.sandbox = sandbox;
    this.address = address;
    this.context = context;
    (socket as SessionSocket)[sessionKey] = this;
    sandbox.outputListener = this;
    socket.setNoDelay(true);
    socket.on("data", onData);
    socket.on("end", onEnd);
    socket.on("error", onError);
    socket.on("close", onClose);
  }

  /**
   * Output that no chunk of ours brought (a chat room's message from another member): written once
   * the current task is done, so everything one chunk of a sender causes goes out in one write.
   */
  outputReady(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      if (!this.socket.destroyed) this.flush();
    });
  }

  /** Starts with the upgrade request Node parsed and the bytes that followed it. */
  receiveRequest(request: RequestHead, rest: Uint8Array): void {
    this.allowFrames();
    this.afterReceive(this.sandbox.receiveRequest(request, rest));
  }

  /** Bytes from the client. */
  receive(chunk: Uint8Array): void {
    this.heardFromPeer = true;
    this.chunksReceived++;
    this.allowFrames();
    this.afterReceive(this.sandbox.receive(chunk));
  }

  /** Starts the closing handshake with 1001, after echoing every message already received. */
  shutdown(): void {
    if (this.sandbox.state === "open") {
      this.sandbox.shutdown(CloseCode.GoingAway);
      this.flush();
    } else if (this.sandbox.state === "handshake") {
      this.drop("shutdown during handshake");
    }
  }

  /** Closes the TCP connection at once, without a closing handshake (close code 1006 in the log). */
  drop(reason: string): void {
    this.dropReason ??= reason;
    this.socket.destroy();
    this.reportHeld();
  }

  /**
   * Frees what this connection holds because the server's memory budget is spent: Close 1013 (Try
   * Again Later: the server is overloaded, the client did nothing wrong and may come back), and
   * nothing more is read or kept; a client that has not read what was already sent is dropped, as
   * it would not read the Close in time either.
   */
  evict(): void {
    this.sandbox.abort(CloseCode.TryAgainLater, "server-busy");
    this.flush();
    if (this.socket.writableLength > EVICTION_WRITE_SLACK || this.sandbox.state === "handshake") this.drop("server-busy");
  }

  /** Acts on a deadline that has passed: ping an idle peer, drop one that never answered. */
  tick(now: number): void {
    // Writes drain between chunks without telling anyone: the budget hears of it here.
    this.reportHeld();
    if (now < this.deadline) return;
    if (this.waiting === "idle" || this.waiting === "pong") {
      if (this.heardFromPeer) {
        this.heardFromPeer = false;
        this.wait("idle", now + this.context.limits.idleTimeout);
      } else if (this.waiting === "pong") {
        this.drop("pong timeout");
      } else {
        // 5.5.2: a Ping checks that the peer is still there; any bytes back (its Pong) keep it open.
        this.sandbox.ping();
        this.flush();
        this.wait("pong", now + this.context.limits.pongTimeout);
      }
    } else if (this.waiting === "close") {
      this.drop("closing handshake timeout");
    }
  }

  /** Writes what the sandbox has for the client and acts on its state. */
  flush(): void {
    const sandbox = this.sandbox;
    for (const event of sandbox.events()) {
      if (event.type === "opened") {
        this.context.log({ event: "open", remote: this.address, path: event.path, protocol: event.protocol });
        this.wait("idle", Date.now() + this.context.limits.idleTimeout);
      } else if (event.type === "rejected") {
        this.context.log({ event: "reject", remote: this.address, path: event.path, status: event.status, reason: event.reason });
      }
    }
    const output = sandbox.output();
    const socket = this.socket;
    if (output.length > 0 && !socket.destroyed) {
      writeAll(socket, output);
      const unwritten = socket.writableLength;
      if (unwritten > this.context.limits.maxBufferedBytes) {
        // The peer does not read: queueing more would let one client hold unbounded memory.
        this.drop("outbound buffer full");
        return;
      }
      if (unwritten > PAUSE_READING_AT && !socket.isPaused()) {
        socket.pause();
        socket.once("drain", onDrain);
      }
    }
    if (sandbox.shouldCloseTransport) {
      // 7.1.1: after the closing handshake "the server [...] SHOULD close the underlying TCP
      // connection" first; destroy it if the client then never closes its side.
      if (!socket.writableEnded) socket.end();
      this.waitForClose();
    } else if (sandbox.state === "closing") {
      this.waitForClose();
    }
    this.reportHeld();
  }

  /** Cleanup once the socket is gone: the log line, the connection count and the memory budget. */
  closed(): void {
    const sandbox = this.sandbox;
    if (sandbox.state !== "closed") sandbox.receiveEof();
    this.reportHeld();
    if (sandbox.endpoint !== null) {
      this.context.log({
        event: "close",
        remote: this.address,
        path: sandbox.endpoint,
        code: sandbox.closeCode ?? CloseCode.AbnormalClosure,
        reason: this.dropReason ?? sandbox.closeReason ?? "",
        durationMs: Date.now() - this.startedAt,
        messages: sandbox.messagesReceived,
      });
    }
    this.context.closed(this);
  }

  private reportHeld(): void {
    const socket = this.socket;
    const held = socket.destroyed ? 0 : this.sandbox.bytesHeld + socket.writableLength;
    if (held === this.held) return;
    const delta = held - this.held;
    this.held = held;
    this.context.heldChanged(delta);
  }

  private afterReceive(pending: Promise<void> | undefined): void {
    if (pending === undefined) {
      this.flush();
      return;
    }
    // Only an opening handshake whose accept key waits for crypto.subtle is asynchronous.
    this.socket.pause();
    pending.then(
      () => {
        this.flush();
        if (!this.socket.destroyed) this.socket.resume();
      },
      (error: unknown) => this.drop(`internal error: ${String(error)}`),
    );
  }

  /**
   * The rate limit, per frame as the core parses it (control frames and fragments count): the
   * frames left in this one-second window become the core's allowance for the chunk, so the frame
   * that crosses the limit fails the connection with 1008 before anything after it is read.
   */
  private allowFrames(): void {
    const now = Date.now();
    const sandbox = this.sandbox;
    if (now - this.rateWindowStart >= 1000) {
      this.rateWindowStart = now;
      this.framesBeforeWindow = sandbox.framesReceived;
    }
    sandbox.frameAllowance = this.context.limits.maxMessageRate - (sandbox.framesReceived - this.framesBeforeWindow);
  }

  private waitForClose(): void {
    if (this.waiting !== "close") this.wait("close", Date.now() + this.context.limits.pongTimeout);
  }

  private wait(what: Waiting, deadline: number): void {
    this.waiting = what;
    this.deadline = deadline;
  }
}
