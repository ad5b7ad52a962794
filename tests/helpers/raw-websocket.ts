// Raw sockets speaking WebSocket by hand, for bytes no well-behaved client would send: shared by
// the server tests and `npm run soak` (so nothing here depends on the test runner).
import { connect, type Socket } from "node:net";
import { buildClientRequest, Connection, encodeFrame, findHeadEnd, type ConnectionEvent } from "../../src/protocol/index.ts";

export const RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

export interface RawConnection {
  socket: Socket;
  /** Every byte received so far. */
  received(): Buffer;
  /** Resolves once the server closed the TCP connection, with everything it sent. */
  closed: Promise<Buffer>;
  send(bytes: Uint8Array | string): void;
  /** Resolves once `predicate` holds for the bytes received (checked on each chunk). */
  until(predicate: (bytes: Buffer) => boolean, timeoutMs?: number): Promise<Buffer>;
}

/** A plain TCP connection to the server, for sending bytes no well-behaved client would. */
export function rawConnect(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const waiters = new Set<() => void>();
    let whenClosed: (bytes: Buffer) => void;
    const closed = new Promise<Buffer>((r) => (whenClosed = r));
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      for (const wake of waiters) wake();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      whenClosed(Buffer.concat(chunks));
      for (const wake of waiters) wake();
    });
    socket.once("connect", () =>
      resolve({
        socket,
        received: () => Buffer.concat(chunks),
        closed,
        send: (bytes) => socket.write(bytes),
        until(predicate, timeoutMs = 5000) {
          return new Promise((done, fail) => {
            const check = () => {
              const bytes = Buffer.concat(chunks);
              if (predicate(bytes)) {
                waiters.delete(check);
                clearTimeout(timer);
                done(bytes);
              } else if (socket.destroyed) {
                waiters.delete(check);
                clearTimeout(timer);
                fail(new Error(`connection closed first; received ${JSON.stringify(bytes.toString("latin1").slice(0, 300))}`));
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`timed out; received ${JSON.stringify(Buffer.concat(chunks).toString("latin1").slice(0, 300))}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
      }),
    );
    socket.once("error", reject);
  });
}

/** An upgrade request for `path` with the RFC's sample key, plus any extra headers. */
export function upgradeRequest(host: string, path = "/echo", headers: Record<string, string> = {}): string {
  return buildClientRequest({ host, path, key: RFC_KEY, headers });
}

const hasHeadEnd = (bytes: Buffer) => findHeadEnd(bytes) !== -1;

/** Opens a WebSocket by hand over a raw connection; returns it with a client-side protocol reader. */
export async function rawWebSocket(port: number, path = "/echo") {
  const raw = await rawConnect(port);
  raw.send(upgradeRequest(`127.0.0.1:${port}`, path));
  const head = await raw.until(hasHeadEnd);
  const headEnd = findHeadEnd(head);
  if (!head.subarray(0, headEnd).toString("latin1").startsWith("HTTP/1.1 101")) {
    throw new Error(`no 101: ${head.toString("latin1")}`);
  }
  const client = new Connection("client");
  let consumed = headEnd;
  const events: ConnectionEvent[] = [];
  const pump = () => {
    const bytes = raw.received();
    if (bytes.length > consumed) {
      client.receiveData(bytes.subarray(consumed));
      consumed = bytes.length;
      events.push(...client.eventsReceived().filter((e) => e.type !== "frame"));
    }
    return events;
  };
  return {
    raw,
    /** Sends one masked frame. */
    sendFrame: (opcode: number, payload: Uint8Array | string, fin = true) =>
      raw.send(encodeFrame({ opcode, payload, fin, mask: true })),
    /** Waits until the events read so far satisfy `predicate`. */
    async waitFor(predicate: (events: ConnectionEvent[]) => boolean, timeoutMs = 5000) {
      await raw.until(() => predicate(pump()), timeoutMs).catch((error: Error) => {
        if (!predicate(pump())) throw error;
      });
      return pump();
    },
    events: pump,
  };
}


/**
 * Writes `frame` `count` times as fast as the socket takes it (in batches of about 64 KiB),
 * stopping early if the server closes the connection; returns how many were written.
 */
export async function flood(raw: RawConnection, frame: Uint8Array, count: number): Promise<number> {
  const perBatch = Math.max(1, Math.floor(65536 / frame.length));
  const batch = Buffer.alloc(perBatch * frame.length);
  for (let i = 0; i < perBatch; i++) batch.set(frame, i * frame.length);
  let sent = 0;
  let closed = false;
  void raw.closed.then(() => (closed = true));
  while (sent < count && !closed) {
    const n = Math.min(perBatch, count - sent);
    const ok = raw.socket.write(n === perBatch ? batch : batch.subarray(0, n * frame.length));
    sent += n;
    if (!ok) await new Promise((resolve) => raw.socket.once("drain", resolve).once("close", resolve));
  }
  return sent;
}
