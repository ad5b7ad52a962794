// Talk to a socket.io server with a plain WebSocket client and print
// the Engine.IO / Socket.IO packets that travel inside the text frames.
import { createServer } from "node:http";
import { once } from "node:events";
import { Server } from "socket.io";
import WebSocket from "ws";

const httpServer = createServer();
const io = new Server(httpServer, { pingInterval: 200 });
io.on("connection", (socket) => {
  socket.on("chat", (message) => socket.emit("chat", { echo: message.text }));
  socket.on("ask", (n, ack) => ack(n + 1));
});
httpServer.listen(0, "127.0.0.1");
await once(httpServer, "listening");
const { port } = httpServer.address();

// The sid is random: hide it so the output stays the same on every run.
const hideSid = (packet) => packet.replace(/"sid":"[^"]+"/, '"sid":"…"');

const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
const incoming = [];
let wake = null;
ws.on("message", (data) => {
  incoming.push(data.toString());
  wake?.();
});
// Wait for the next packet that starts with `prefix`; taking them by type keeps
// the printed order fixed even if the server's ping timer fires early.
async function next(prefix) {
  for (;;) {
    const index = incoming.findIndex((packet) => packet.startsWith(prefix));
    if (index >= 0) {
      const [packet] = incoming.splice(index, 1);
      console.log("<-", hideSid(packet));
      return packet;
    }
    await new Promise((resolve) => (wake = resolve));
  }
}
function send(packet) {
  console.log("->", packet);
  ws.send(packet);
}

await next("0"); // Engine.IO OPEN
send("40"); // Socket.IO CONNECT to the main namespace
await next("40"); // CONNECT reply with the socket id
send('42["chat",{"text":"hi"}]'); // EVENT
await next("42");
send('421["ask",41]'); // EVENT with acknowledgement id 1
await next("431"); // ACK with id 1
await next("2"); // Engine.IO PING from the server
send("3"); // pong, or the server drops us after pingTimeout

send("hello"); // not an Engine.IO packet at all
const [code] = await once(ws, "close");
console.log("closed by the server, code", code);
await io.close();
