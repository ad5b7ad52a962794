// A socket.io server and two socket.io clients in one process:
// events with acknowledgements, broadcast, a room, and client counts.
import { createServer } from "node:http";
import { once } from "node:events";
import { Server } from "socket.io";
import { io as connect } from "socket.io-client";

const httpServer = createServer();
const io = new Server(httpServer);

function counts(room) {
  return {
    engine: io.engine.clientsCount, // low-level Engine.IO connections
    main: io.of("/").sockets.size, // sockets in the main namespace
    room: io.of("/").adapter.rooms.get(room)?.size ?? 0, // this server only
  };
}

io.on("connection", (socket) => {
  const name = socket.handshake.auth.name;

  socket.on("chat", (text, ack) => {
    socket.broadcast.emit("chat", { from: name, text }); // everyone but the sender
    ack({ ok: true, length: text.length });
  });

  socket.on("join", async (room, ack) => {
    socket.join(room);
    const members = await io.in(room).fetchSockets(); // works across servers with an adapter
    ack(members.length);
  });

  socket.on("to-room", ({ room, text }) => {
    socket.to(room).emit("chat", { from: name, text, room });
  });

  socket.on("counts", (room, ack) => ack(counts(room)));

  socket.on("disconnect", () => io.emit("left", name));
});

httpServer.listen(0, "127.0.0.1");
await once(httpServer, "listening");
const url = `http://127.0.0.1:${httpServer.address().port}`;

async function join(name) {
  const client = connect(url, { auth: { name } });
  await once(client, "connect");
  console.log(`${name} connected`);
  return client;
}

const alice = await join("alice");
const bob = await join("bob");

console.log("counts:", JSON.stringify(await alice.emitWithAck("counts", "ops")));

const bobHears = once(bob, "chat");
const ack = await alice.emitWithAck("chat", "hi everyone");
console.log("alice's ack:", JSON.stringify(ack));
const [broadcast] = await bobHears;
console.log(`bob got: ${broadcast.from}: ${broadcast.text}`);

console.log("bob joins ops, members:", await bob.emitWithAck("join", "ops"));
console.log("alice joins ops, members:", await alice.emitWithAck("join", "ops"));

const bobHearsRoom = once(bob, "chat");
alice.emit("to-room", { room: "ops", text: "deploy at five" });
const [roomMessage] = await bobHearsRoom;
console.log(`bob got in ${roomMessage.room}: ${roomMessage.from}: ${roomMessage.text}`);

const bobSeesLeave = once(bob, "left");
alice.disconnect();
console.log("bob saw leave:", (await bobSeesLeave)[0]);
// The engine count may still include alice until her transport has closed.
const after = await bob.emitWithAck("counts", "ops");
console.log("after leave: main", after.main, "room", after.room);

bob.disconnect();
await io.close(); // also closes the HTTP server
console.log("server closed");
