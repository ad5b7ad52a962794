// Speak the opening handshake by hand over a plain TCP socket, check the
// server's Sec-WebSocket-Accept ourselves, then close the connection cleanly.
import { connect } from "node:net";
import { createHash, randomBytes } from "node:crypto";

const ADDRESS = "127.0.0.1:4321";
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"; // RFC 6455, section 1.3
const [host, port] = ADDRESS.split(":");

const key = randomBytes(16).toString("base64"); // 16 random bytes -> 24 base64 chars
const expectedAccept = createHash("sha1").update(key + GUID).digest("base64");

const request =
  "GET /echo HTTP/1.1\r\n" +
  `Host: ${ADDRESS}\r\n` +
  "Upgrade: websocket\r\n" +
  "Connection: Upgrade\r\n" +
  `Sec-WebSocket-Key: ${key}\r\n` +
  "Sec-WebSocket-Version: 13\r\n" +
  "\r\n";

const socket = connect(Number(port), host, () => socket.write(request));

let received = Buffer.alloc(0);
let handshakeDone = false;

socket.on("data", (chunk) => {
  received = Buffer.concat([received, chunk]);
  if (!handshakeDone) {
    const end = received.indexOf("\r\n\r\n");
    if (end === -1) return; // the head may arrive in several pieces
    handshakeDone = true;
    checkResponse(received.subarray(0, end).toString("latin1"));
    received = received.subarray(end + 4);
    sendClose();
  }
  // The server answers our Close with its own: 0x88, length, code.
  if (received.length >= 2 && received.length >= 2 + (received[1] & 0x7f)) {
    const frame = received.subarray(0, 2 + (received[1] & 0x7f));
    console.log(`server's Close frame: ${frame.toString("hex").match(/../g).join(" ")}`);
    console.log(`close code: ${frame.readUInt16BE(2)}`);
    received = Buffer.alloc(0);
  }
});

socket.on("end", () => {
  console.log("server closed the TCP connection");
  socket.end();
});

function checkResponse(head) {
  const [statusLine, ...lines] = head.split("\r\n");
  const headers = new Map(
    lines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  console.log(`status line: ${statusLine}`);
  console.log(`Upgrade is websocket: ${headers.get("upgrade")?.toLowerCase() === "websocket"}`);
  console.log(`Connection has Upgrade: ${/(^|,)\s*upgrade\s*(,|$)/i.test(headers.get("connection") ?? "")}`);
  console.log(`Sec-WebSocket-Accept matches our SHA-1: ${headers.get("sec-websocket-accept") === expectedAccept}`);
}

// A client MUST mask every frame it sends (section 5.3), Close included.
function sendClose() {
  const payload = Buffer.from([0x03, 0xe8]); // status code 1000
  const maskingKey = randomBytes(4);
  const masked = payload.map((byte, i) => byte ^ maskingKey[i % 4]);
  socket.write(Buffer.concat([Buffer.from([0x88, 0x80 | payload.length]), maskingKey, masked]));
  console.log("sent a masked Close frame with code 1000");
}
