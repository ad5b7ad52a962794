// A WebSocket echo server on node:http + node:crypto alone, then a raw TCP
// client that prints the bytes it gets back. Teaching code: it handles only
// unfragmented text frames of up to 65535 bytes (see the lesson for the rest).
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { connect } from "node:net";
import { once } from "node:events";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const allowedOrigins = new Set(["https://lab.example"]);
const Opcode = { text: 0x1, close: 0x8, ping: 0x9, pong: 0xa };

const server = createServer((req, res) => res.writeHead(426).end());

server.on("upgrade", (req, socket) => {
  const h = req.headers;
  const key = h["sec-websocket-key"] ?? "";
  const fail = (status, extra = "") =>
    socket.end(`HTTP/1.1 ${status}\r\n${extra}Content-Length: 0\r\nConnection: close\r\n\r\n`);
  // 4.2.1: GET, Upgrade: websocket, a 16-byte base64 key, version 13.
  if (req.method !== "GET" || h.upgrade?.toLowerCase() !== "websocket") return fail("400 Bad Request");
  if (Buffer.from(key, "base64").length !== 16) return fail("400 Bad Request");
  if (h["sec-websocket-version"] !== "13")
    return fail("426 Upgrade Required", "Sec-WebSocket-Version: 13\r\n");
  // 10.2: a server meant for certain sites answers other origins with 403.
  if (!allowedOrigins.has(h.origin)) return fail("403 Forbidden");

  const accept = createHash("sha1").update(key + GUID).digest("base64");
  socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" +
    `Connection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  readFrames(socket);
});

// A server frame: FIN set, never masked (5.1), 7- or 16-bit length.
function frame(opcode, payload) {
  const head = payload.length < 126
    ? Buffer.from([0x80 | opcode, payload.length])
    : Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, payload]);
}

function readFrames(socket) {
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let buffered = Buffer.alloc(0);
  // After our Close has gone out, whatever else the peer sends is read and dropped (7.1.1).
  const finish = (closeFrame) => {
    socket.removeListener("data", onData).resume();
    socket.end(closeFrame);
  };
  const closeWith = (code) => finish(frame(Opcode.close, Buffer.from([code >> 8, code & 0xff])));
  socket.on("error", () => socket.destroy());
  socket.on("data", onData);
  function onData(chunk) {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const fin = buffered[0] & 0x80, rsv = buffered[0] & 0x70, opcode = buffered[0] & 0x0f;
      const masked = buffered[1] & 0x80;
      let length = buffered[1] & 0x7f, offset = 2;
      if (rsv || !masked) return closeWith(1002); // 5.2, 5.1
      if (length === 127) return closeWith(1009); // 64-bit lengths: too big for us
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      }
      if (opcode >= 0x8 && (!fin || length > 125)) return closeWith(1002); // 5.5
      if (buffered.length < offset + 4 + length) return; // wait for the rest
      const maskingKey = buffered.subarray(offset, offset + 4);
      const payload = Buffer.from(buffered.subarray(offset + 4, offset + 4 + length));
      for (let i = 0; i < payload.length; i++) payload[i] ^= maskingKey[i % 4]; // 5.3
      buffered = buffered.subarray(offset + 4 + length);

      if (!fin || opcode === 0x0 || opcode === 0x2) return closeWith(1003);
      if (opcode === Opcode.ping) socket.write(frame(Opcode.pong, payload));
      else if (opcode === Opcode.close) {
        if (payload.length === 1) return closeWith(1002); // 5.5.1: a code takes two bytes
        return finish(frame(Opcode.close, payload.subarray(0, 2))); // echo the code, if any
      } else if (opcode === Opcode.text) {
        try { utf8.decode(payload); } catch { return closeWith(1007); }
        socket.write(frame(Opcode.text, payload));
      } else if (opcode !== Opcode.pong) return closeWith(1002);
    }
  }
}

// --- demo: a raw TCP client, so every byte is visible ---
server.listen(0, "127.0.0.1");
await once(server, "listening");
const { port } = server.address();
const hex = (bytes) => Buffer.from(bytes).toString("hex").replace(/(..)(?!$)/g, "$1 ");

async function handshake(origin) {
  const tcp = connect(port, "127.0.0.1");
  tcp.write(`GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
    `Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
    `Sec-WebSocket-Version: 13\r\nOrigin: ${origin}\r\n\r\n`);
  const [head] = await once(tcp, "data");
  const lines = head.toString("latin1").split("\r\n");
  console.log(`${origin} -> ${lines[0]}`);
  const accept = lines.find((l) => l.startsWith("Sec-WebSocket-Accept"));
  if (accept) console.log(`  ${accept}`);
  return tcp;
}

const tcp = await handshake("https://lab.example");
// The RFC's 5.7 example: "Hello", masked with the key 37 fa 21 3d.
tcp.write(Buffer.from("818537fa213d7f9f4d5158", "hex"));
console.log(`  echo:  ${hex((await once(tcp, "data"))[0])}`);
// Close 1000, masked with the same key: 03 e8 ^ 37 fa = 34 12.
tcp.write(Buffer.from("888237fa213d3412", "hex"));
console.log(`  close: ${hex((await once(tcp, "data"))[0])}`);
await once(tcp, "close");

const refused = await handshake("https://evil.example");
await once(refused, "close");
server.close();
