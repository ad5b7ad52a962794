// An echo server on the `ws` package that accepts only listed origins,
// plus a client that tries one allowed and one forbidden origin.
import { createServer } from "node:http";
import { once } from "node:events";
import { WebSocketServer, WebSocket } from "ws";

const allowedOrigins = new Set(["https://lab.example"]);

const http = createServer((req, res) => {
  res.writeHead(426, { "Content-Type": "text/plain" });
  res.end("This endpoint speaks WebSocket only\n");
});
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

// Check the Origin before `ws` writes 101: a refused browser never gets a socket.
http.on("upgrade", (req, socket, head) => {
  const origin = req.headers.origin;
  if (!allowedOrigins.has(origin)) {
    console.log(`server: refused origin ${origin ?? "(none)"}`);
    socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
});

wss.on("connection", (ws, req) => {
  console.log(`server: accepted origin ${req.headers.origin}`);
  ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
});

http.listen(0, "127.0.0.1");
await once(http, "listening");
const url = `ws://127.0.0.1:${http.address().port}/echo`;

// 1. A page from the allowed origin: opens, echoes, closes.
const good = new WebSocket(url, { origin: "https://lab.example" });
await once(good, "open");
good.send("hello");
const [reply] = await once(good, "message");
console.log(`client: echo "${reply}"`);
good.close(1000, "done");
const [code] = await once(good, "close");
console.log(`client: closed with ${code}`);

// 2. A page from another site: the handshake ends with 403, no socket.
const evil = new WebSocket(url, { origin: "https://evil.example" });
const [, response] = await once(evil, "unexpected-response");
console.log(`client: handshake refused with HTTP ${response.statusCode}`);
response.destroy();

wss.close();
http.close();
