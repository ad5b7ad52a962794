// permessage-deflate against an independent implementation, `ws` with perMessageDeflate, over real
// sockets in both directions, for every combination of parameters; and the node:zlib codec against
// the core's pako codec.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import {
  acceptDeflate,
  buildClientRequest,
  buildServerResponse,
  computeAcceptWith,
  Connection,
  createPakoCodec,
  deflateOfferHeader,
  findHeadEnd,
  generateKey,
  pakoCodec,
  parseExtensions,
  parseResponseHead,
  readDeflateResponse,
  type DeflatePolicy,
} from "../../src/protocol/index.ts";
import { createZlibCodec, zlibCodec } from "../../src/server/zlib-codec.ts";
import { deflateRoundTrip } from "../helpers/deflate-round-trip.ts";

const sha1 = (data: Uint8Array) => createHash("sha1").update(data).digest();

// What goes both ways: short, repetitive (back-references far into the window), larger than a
// 256-byte window, binary, empty, and non-ASCII text.
const repetitive = "the quick brown fox jumps over the lazy dog ".repeat(300);
// A block of 1,000 letters that only repeats as a whole: back-references 1,000 bytes long, which a
// compressor that ignored an 8-bit window would send and the peer's inflater would refuse.
let seed = 7;
const block = Array.from({ length: 1000 }, () => String.fromCharCode(97 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 26))).join("");
const payloads: Array<string | Uint8Array> = [
  "Hello",
  "Hello",
  repetitive,
  repetitive.slice(7),
  block.repeat(4),
  new Uint8Array(70_000).map((_, i) => (i * 7) % 251),
  "",
  "κόσμε ".repeat(500),
];
const same = (value: string | Uint8Array) => (typeof value === "string" ? `text:${value}` : `binary:${Buffer.from(value).toString("hex")}`);

/** ws's options and ours, from one choice of each parameter (undefined: not named). */
interface Combination {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number | undefined;
  clientMaxWindowBits: number | undefined;
}
const combinations: Combination[] = [];
for (const serverNoContextTakeover of [false, true]) {
  for (const clientNoContextTakeover of [false, true]) {
    for (const serverMaxWindowBits of [undefined, 8, 11, 15]) {
      for (const clientMaxWindowBits of [undefined, 8, 12, 15]) {
        combinations.push({ serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits });
      }
    }
  }
}
const label = (c: Combination) =>
  `server_no_context_takeover=${c.serverNoContextTakeover} client_no_context_takeover=${c.clientNoContextTakeover} server_max_window_bits=${c.serverMaxWindowBits ?? "-"} client_max_window_bits=${c.clientMaxWindowBits ?? "-"}`;
const wsOptions = (c: Combination) => ({
  threshold: 0,
  serverNoContextTakeover: c.serverNoContextTakeover,
  clientNoContextTakeover: c.clientNoContextTakeover,
  ...(c.serverMaxWindowBits !== undefined ? { serverMaxWindowBits: c.serverMaxWindowBits } : {}),
  ...(c.clientMaxWindowBits !== undefined ? { clientMaxWindowBits: c.clientMaxWindowBits } : {}),
});
const policy = (c: Combination): DeflatePolicy => ({
  serverNoContextTakeover: c.serverNoContextTakeover,
  clientNoContextTakeover: c.clientNoContextTakeover,
  serverMaxWindowBits: c.serverMaxWindowBits,
  clientMaxWindowBits: c.clientMaxWindowBits,
});

/** The core as a server over node:http's upgrade: accepts permessage-deflate with `serverPolicy`, echoes as received. */
function coreEchoServer(serverPolicy: () => DeflatePolicy): Server {
  const server = createServer();
  server.on("upgrade", (request, socket: Socket, head: Buffer) => {
    const decision = acceptDeflate(parseExtensions(request.headers["sec-websocket-extensions"]), serverPolicy());
    const accepted = decision.accepted;
    const accept = computeAcceptWith(request.headers["sec-websocket-key"]!, sha1);
    socket.write(buildServerResponse({ accept, extensions: accepted?.header ?? null }));
    const conn = new Connection("server", { deflate: accepted ? { params: accepted.params, codec: zlibCodec } : null });
    const pump = (chunk: Uint8Array) => {
      conn.receiveData(chunk);
      let closed = false;
      for (const event of conn.eventsReceived()) {
        if (event.type === "text") conn.sendText(event.data, { compress: event.compressed === true });
        if (event.type === "binary") conn.sendBinary(event.data, { compress: event.compressed === true });
        if (event.type === "error") throw event.error;
        if (event.type === "closed") closed = true;
      }
      for (const bytes of conn.dataToSend()) socket.write(bytes);
      if (closed) socket.end();
    };
    if (head.length > 0) pump(head);
    socket.on("data", pump);
    socket.on("error", () => {});
  });
  return server;
}

let coreServer: Server;
let corePort: number;
let currentPolicy: DeflatePolicy = {};
let wsServer: WebSocketServer;

beforeAll(async () => {
  coreServer = coreEchoServer(() => currentPolicy);
  await new Promise<void>((resolve) => coreServer.listen(0, "127.0.0.1", resolve));
  corePort = (coreServer.address() as AddressInfo).port;
});

afterAll(async () => {
  coreServer.closeAllConnections();
  await new Promise((resolve) => coreServer.close(resolve));
  if (wsServer) await new Promise((resolve) => wsServer.close(resolve));
});

describe("ws client (perMessageDeflate) -> core server, every parameter combination", () => {
  test.each(combinations.map((c) => [label(c), c] as const))("%s", async (_label, c) => {
    // The server honours what the client asks for and adds nothing of its own.
    currentPolicy = {};
    const client = new WebSocket(`ws://127.0.0.1:${corePort}/`, { perMessageDeflate: wsOptions(c) });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on("open", () => {
        expect(client.extensions).toContain("permessage-deflate");
        for (const payload of payloads) client.send(payload);
      });
      client.on("message", (data, isBinary) => {
        received.push(isBinary ? `binary:${(data as Buffer).toString("hex")}` : `text:${(data as Buffer).toString()}`);
        if (received.length === payloads.length) resolve();
      });
      client.on("error", reject);
    });
    client.close();
    expect(received).toEqual(payloads.map(same));
  });
});

describe("core client -> ws server (perMessageDeflate), every parameter combination", () => {
  test.each(combinations.map((c) => [label(c), c] as const))("%s", async (_label, c) => {
    if (wsServer) await new Promise((resolve) => wsServer.close(resolve));
    wsServer = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: { threshold: 0 } });
    wsServer.on("connection", (socket) => {
      socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary, compress: true }));
    });
    await new Promise((resolve) => wsServer.once("listening", resolve));
    const port = (wsServer.address() as AddressInfo).port;
    const offered = policy(c);
    const socket = connect(port, "127.0.0.1");
    const key = generateKey();
    socket.write(buildClientRequest({ host: `127.0.0.1:${port}`, key, extensions: deflateOfferHeader(offered) }));
    let buffer = Buffer.alloc(0);
    let conn: Connection | null = null;
    const received: string[] = [];
    let compressedEchoes = 0;
    await new Promise<void>((resolve, reject) => {
      socket.on("data", (chunk: Buffer) => {
        if (conn === null) {
          buffer = Buffer.concat([buffer, chunk]);
          const end = findHeadEnd(buffer);
          if (end === -1) return;
          const response = parseResponseHead(buffer.subarray(0, end));
          expect(response.status).toBe(101);
          const params = readDeflateResponse(parseExtensions(response.headers.get("sec-websocket-extensions")), offered);
          expect(params).not.toBeNull();
          conn = new Connection("client", { deflate: { params: params!, codec: pakoCodec } });
          for (const payload of payloads) {
            if (typeof payload === "string") conn.sendText(payload);
            else conn.sendBinary(payload);
          }
          for (const bytes of conn.dataToSend()) socket.write(bytes);
          chunk = buffer.subarray(end);
        }
        conn.receiveData(chunk);
        for (const event of conn.eventsReceived()) {
          if (event.type === "text") received.push(`text:${event.data}`);
          if (event.type === "binary") received.push(`binary:${Buffer.from(event.data).toString("hex")}`);
          if ((event.type === "text" || event.type === "binary") && event.compressed) compressedEchoes++;
          if (event.type === "error") reject(event.error);
        }
        if (received.length === payloads.length) resolve();
      });
      socket.on("error", reject);
    });
    socket.destroy();
    expect(received).toEqual(payloads.map(same));
    expect(compressedEchoes).toBe(payloads.length);
  });
});

describe("the node:zlib codec", () => {
  test("interoperates with pako in both directions, for every parameter combination", () => {
    deflateRoundTrip({ client: pakoCodec, server: zlibCodec });
    deflateRoundTrip({ client: createZlibCodec(1), server: createPakoCodec(9) });
  });

  test("gives the RFC's bytes for Hello, Hello with context takeover", () => {
    const conn = new Connection("server", {
      deflate: { params: { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 15 }, codec: zlibCodec },
    });
    conn.sendText("Hello");
    conn.sendText("Hello");
    expect(conn.dataToSend().map((bytes) => Buffer.from(bytes).toString("hex"))).toEqual(["c107f248cdc9c90700", "c105f200110000"]);
  });

  test("reads a BFINAL message and stops one byte past the limit", () => {
    expect(Buffer.from(zlibCodec.inflate(Buffer.from("f348cdc9c9070000", "hex"), null, 15, 100)!).toString()).toBe("Hello");
    const bomb = zlibCodec.deflate(new Uint8Array(1 << 20), null, 15);
    expect(zlibCodec.inflate(bomb, null, 15, 1000)).toBeNull();
    expect(zlibCodec.inflate(Buffer.from("f248cdc9c90700", "hex"), null, 15, 0)).toBeNull();
  });
});
