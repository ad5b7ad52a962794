import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { createServer, ServerResponse, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { asksForWebSocket, buildHttpError, type RequestHead } from "../protocol/index.ts";
import { ChatRooms, SandboxEndpoint, type SandboxOptions } from "../sandbox/index.ts";
import type { ServerConfig } from "./config.ts";
import { ConnectionLimits, type LimitCrossed } from "./connection-limits.ts";
import { createLogger, type Logger } from "./log.ts";
import { MemoryBudget } from "./memory-budget.ts";
import { originPolicy } from "./origins.ts";
import { Session, type SessionContext } from "./session.ts";
import { createSiteHandler } from "./static.ts";

/** A listening server and the way to stop it. */
export interface RunningServer {
  readonly server: Server;
  /** http://host:port/ as actually bound (port 0 picks a free one). */
  readonly url: string;
  readonly port: number;
  /** Open WebSocket connections, handshakes in progress included. */
  readonly connections: number;
  /** Bytes all connections hold, as counted against the memory budget. */
  readonly bytesHeld: number;
  /** Resolves once the site's text files are served compressed (they are written in the background). */
  readonly precompressed: Promise<void>;
  /** Stops accepting, closes every WebSocket with 1001 within the grace period, then resolves. */
  shutdown(): Promise<void>;
}

// Browsers send a few hundred bytes; a head this large is a mistake or an attack (431 above it).
const MAX_HEAD_SIZE = 8 * 1024;

// Errors Node's HTTP parser reports before any handler sees the request.
const clientErrorStatus: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, "head-too-large: request head is over 8 KiB"],
};

function pathOf(url: string | undefined): string {
  const path = url ?? "/";
  const query = path.indexOf("?");
  return query === -1 ? path : path.slice(0, query);
}

function isWebSocketPath(path: string): boolean {
  return path === "/echo" || path === "/inspect" || path === "/chat";
}

/** The head Node's parser read, in the core's shape (repeated fields joined as RFC 9110 §5.3 allows). */
function requestHead(req: IncomingMessage): RequestHead {
  const raw = req.rawHeaders;
  const rawHeaders: Array<[string, string]> = [];
  const headers = new Map<string, string>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    rawHeaders.push([name, value]);
    const key = name.toLowerCase();
    const previous = headers.get(key);
    headers.set(key, previous === undefined ? value : `${previous}, ${value}`);
  }
  return { method: req.method!, target: req.url!, httpVersion: req.httpVersion, headers, rawHeaders };
}

/**
 * Answers a request that Node handed over as an upgrade like any other request (Node emits
 * `upgrade` for every Upgrade header), on a response of our own, then closes the connection.
 */
function serveAsHttp(req: IncomingMessage, socket: Socket, handle: (req: IncomingMessage, res: ServerResponse) => void): void {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket);
  res.once("finish", () => {
    res.detachSocket(socket);
    socket.end();
  });
  handle(req, res);
}

/** node:crypto's SHA-1, so the sandbox answers a handshake synchronously (crypto.subtle is async). */
function sha1(data: Uint8Array): Uint8Array {
  return createHash("sha1").update(data).digest();
}

// The 503 reason (a stable code the client translates) and the setting behind each connection limit.
const refusals = {
  total: ["too-many-connections", "maxConnections"],
  "per-address": ["too-many-connections-from-address", "maxConnectionsPerIp"],
  "per-prefix": ["too-many-connections-from-network", "maxConnectionsPerPrefix"],
} as const satisfies Record<LimitCrossed, readonly [string, keyof ServerConfig]>;

function unavailable(reason: string): string {
  return buildHttpError(503, reason, { "Retry-After": "5" });
}

// How long shutdown keeps reading before the 1001, at most, while clients are still sending.
const SHUTDOWN_READ_MS = 100;

/**
 * Lets every socket deliver what was already in its receive buffer when shutdown began, so those
 * messages are answered before the Close 1001 (after it, 5.5.1 forbids answering them). One turn of
 * the event loop reads every socket that is readable; turns go on while some session still receives
 * (a buffer larger than one turn reads), for at most SHUTDOWN_READ_MS.
 */
async function readWhatIsBuffered(sessions: Iterable<Session>): Promise<void> {
  const received = () => {
    let chunks = 0;
    for (const session of sessions) chunks += session.chunksReceived;
    return chunks;
  };
  const deadline = Date.now() + SHUTDOWN_READ_MS;
  let before = -1;
  // The poll phase, where sockets are read, comes between a timer and the check phase (setImmediate).
  while (received() !== before && Date.now() < deadline) {
    before = received();
    await new Promise((resolve) => setTimeout(() => setImmediate(resolve), 0));
  }
}

/** Starts the site and WebSocket server described by `config`. */
export async function startServer(config: ServerConfig, log: Logger = createLogger(config.quiet)): Promise<RunningServer> {
  const site = await createSiteHandler(config.root);
  const limits = new ConnectionLimits(config.maxConnections, config.maxConnectionsPerIp, config.maxConnectionsPerPrefix);
  const budget = new MemoryBudget(config.memoryBudget);
  const sessions = new Set<Session>();
  let shuttingDown = false;
  let allClosed: (() => void) | null = null;

  // One options object for every endpoint: a connection should cost as little memory as possible.
  const sandboxOptions: SandboxOptions = {
    allowedOrigins: originPolicy(config.allowedOrigins),
    maxPayload: config.maxMessageSize,
    maxFrameSize: config.maxFrameSize,
    sha1,
    // simdutf, some 60 times faster than the core's loop in JS on long text (bench:server).
    isUtf8,
    // Rooms live in this process only: behind several instances, the proxy routes by room (deploy/README.md).
    chat: new ChatRooms(),
  };
  const newEndpoint = () => new SandboxEndpoint(sandboxOptions);
  const sessionContext: SessionContext = {
    limits: config,
    log,
    heldChanged(delta) {
      budget.change(delta, sessions);
    },
    closed(session) {
      limits.remove(session.address);
      sessions.delete(session);
      if (sessions.size === 0) allClosed?.();
    },
  };
  // One timer for all connections instead of one each; deadlines are met within a quarter of the shortest.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const session of sessions) session.tick(now);
  }, Math.min(1000, Math.max(10, Math.floor(Math.min(config.idleTimeout, config.pongTimeout) / 4))));
  sweep.unref();

  const clientAddress = (req: IncomingMessage): string => {
    const forwarded = config.trustProxy ? req.headers["x-forwarded-for"] : undefined;
    // nginx appends the address it saw last; entries before it are whatever the client claimed.
    if (typeof forwarded === "string") return forwarded.slice(forwarded.lastIndexOf(",") + 1).trim();
    return req.socket.remoteAddress ?? "unknown";
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req.url);
    if (path === "/healthz") {
      for (const [name, value] of Object.entries(site.headers)) res.setHeader(name, value);
      const body = JSON.stringify({ status: shuttingDown ? "shutting-down" : "ok", connections: limits.total, bytesHeld: budget.total });
      res.writeHead(shuttingDown ? 503 : 200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(body);
    } else if (isWebSocketPath(path)) {
      // A plain request to a WebSocket endpoint gets the handshake's own answer (400, 405, 426...).
      const endpoint = newEndpoint();
      endpoint.receiveRequest(requestHead(req), new Uint8Array(0));
      req.socket.end(Buffer.concat(endpoint.output()));
    } else {
      site.handle(req, res);
    }
  };

  const onUpgrade = (req: IncomingMessage, duplex: Duplex, head: Buffer) => {
    const socket = duplex as Socket;
    if (!asksForWebSocket(req.headers.upgrade)) {
      // RFC 9110 §7.8: a server may ignore an Upgrade it does not speak (h2c, say) and answer in
      // HTTP/1.1: the page, /healthz, or a WebSocket path's 400, as without the header.
      serveAsHttp(req, socket, onRequest);
      return;
    }
    if (shuttingDown) {
      socket.end(unavailable("shutting-down: the server is restarting"));
      return;
    }
    const address = clientAddress(req);
    if (budget.nearlyFull) {
      log({ event: "reject", remote: address, path: pathOf(req.url), status: 503, reason: "server-busy" });
      socket.end(unavailable("server-busy: the server is short of memory for new connections"));
      return;
    }
    const over = limits.tryAdd(address);
    if (over !== null) {
      const [reason, limit] = refusals[over];
      log({ event: "reject", remote: address, path: pathOf(req.url), status: 503, reason });
      socket.end(unavailable(`${reason}: the server is at its limit of ${config[limit]}`));
      return;
    }
    const session = new Session(socket, newEndpoint(), address, sessionContext);
    sessions.add(session);
    session.receiveRequest(requestHead(req), head);
  };

  const server = createServer({
    maxHeaderSize: MAX_HEAD_SIZE,
    headersTimeout: config.handshakeTimeout,
    requestTimeout: Math.max(config.handshakeTimeout, 30_000),
    // How often Node looks for requests past headersTimeout: often enough to honour short limits.
    connectionsCheckingInterval: Math.min(1000, Math.max(25, Math.floor(config.handshakeTimeout / 4))),
  });
  server.on("request", onRequest);
  server.on("upgrade", onUpgrade);
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A head that is still incomplete when headersTimeout passes means a slow or silent client: drop it.
    if (!socket.writable || error.code === "ECONNRESET" || error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
      socket.destroy();
      return;
    }
    const code = error.code ?? "HPE_INVALID";
    const [status, reason] = clientErrorStatus[code] ?? [400, `malformed-head: ${code.toLowerCase().replace(/_/g, "-")}`];
    socket.end(buildHttpError(status, reason));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;

  let shutdownPromise: Promise<void> | null = null;
  const shutdown = (): Promise<void> => {
    shutdownPromise ??= (async () => {
      shuttingDown = true;
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const sessionsClosed = new Promise<void>((resolve) => {
        allClosed = resolve;
        if (sessions.size === 0) resolve();
      });
      await readWhatIsBuffered(sessions);
      for (const session of sessions) session.shutdown();
      const grace = setTimeout(() => {
        for (const session of sessions) session.drop("shutdown grace period over");
        server.closeAllConnections();
      }, config.shutdownGrace);
      await sessionsClosed;
      server.closeAllConnections();
      await serverClosed;
      clearTimeout(grace);
      clearInterval(sweep);
    })();
    return shutdownPromise;
  };

  return {
    server,
    url: `http://${host}:${port}/`,
    port,
    precompressed: site.precompressed,
    get connections() {
      return limits.total;
    },
    get bytesHeld() {
      return budget.total;
    },
    shutdown,
  };
}
