// A small chat server on the `ws` package: user list, public and private
// messages, mentions. It sends structured JSON, never HTML.
import { WebSocketServer } from "ws";
import { once } from "node:events";

const NAME = /^[A-Za-z0-9_]{1,32}$/;
const MAX_TEXT = 2000;
const users = new Map(); // name -> socket

function send(socket, message) {
  socket.send(JSON.stringify(message));
}

function broadcast(message) {
  for (const socket of users.values()) send(socket, message);
}

// "hi @bob" -> [{ text: "hi " }, { mention: "bob" }]; only known users become mentions.
function toParts(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(/@([A-Za-z0-9_]{1,32})/g)) {
    if (!users.has(match[1])) continue;
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ mention: match[1] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, maxPayload: 16 * 1024 });
let nextId = 1;

wss.on("connection", (socket) => {
  let name = null;

  socket.on("message", (data, isBinary) => {
    // 10.7: "Incoming data MUST always be validated by both clients and servers."
    if (isBinary) return socket.close(1003, "text only");
    let request;
    try {
      request = JSON.parse(data.toString());
    } catch {
      request = null;
    }
    if (typeof request?.type !== "string") return send(socket, { type: "error", reason: "bad-json" });

    if (name === null) {
      if (request.type !== "hello" || typeof request.name !== "string" || !NAME.test(request.name)) {
        return send(socket, { type: "error", reason: "bad-name" });
      }
      if (users.has(request.name)) return send(socket, { type: "error", reason: "name-taken" });
      name = request.name;
      users.set(name, socket);
      send(socket, { type: "welcome", you: name });
      broadcast({ type: "users", users: [...users.keys()].sort() });
      return;
    }

    const text = typeof request.text === "string" ? request.text.slice(0, MAX_TEXT) : "";
    if (text === "") return send(socket, { type: "error", reason: "empty" });
    const message = { type: "message", id: nextId++, from: name, parts: toParts(text) };

    if (request.type === "say") return broadcast(message);
    if (request.type === "whisper") {
      const target = users.get(request.to);
      if (!target) return send(socket, { type: "error", reason: "no-such-user" });
      const whisper = { ...message, to: request.to, private: true };
      send(target, whisper);
      if (target !== socket) send(socket, whisper); // the sender sees what was sent
      return;
    }
    send(socket, { type: "error", reason: "unknown-type" });
  });

  socket.on("close", () => {
    if (name === null || users.get(name) !== socket) return;
    users.delete(name);
    broadcast({ type: "users", users: [...users.keys()].sort() });
  });
});

await once(wss, "listening");
const url = `ws://127.0.0.1:${wss.address().port}`;

// --- clients: Node's global WebSocket, the same API a browser has ---

async function client(name) {
  const socket = new WebSocket(url);
  const inbox = [];
  let users = [];
  let wake = null;
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    // The user list is state, not a queue: keep only the latest.
    if (message.type === "users") users = message.users;
    else inbox.push(message);
    wake?.();
  });
  await new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }));
  socket.send(JSON.stringify({ type: "hello", name }));
  const changed = () => new Promise((resolve) => (wake = resolve));
  return {
    send: (message) => socket.send(JSON.stringify(message)),
    // Next message of this type; the others stay queued.
    async next(type) {
      for (;;) {
        const index = inbox.findIndex((message) => message.type === type);
        if (index >= 0) return inbox.splice(index, 1)[0];
        await changed();
      }
    },
    async usersWhen(test) {
      while (!test(users)) await changed();
      return users.join(", ");
    },
    close: () => new Promise((resolve) => {
      socket.addEventListener("close", resolve, { once: true });
      socket.close(1000);
    }),
  };
}

// What a browser would put into text nodes: plain strings, nothing parsed as HTML.
const plain = (parts) => parts.map((p) => ("mention" in p ? `[@${p.mention}]` : p.text)).join("");

const alice = await client("alice");
console.log("alice:", JSON.stringify(await alice.next("welcome")));
const bob = await client("bob");
await bob.next("welcome");
const carol = await client("carol");
await carol.next("welcome");
console.log("carol sees users:", await carol.usersWhen((list) => list.length === 3));

alice.send({ type: "say", text: "hi @bob, look: <img src=x onerror=alert(1)>" });
const atBob = await bob.next("message");
console.log("bob receives parts:", JSON.stringify(atBob.parts));
if (atBob.parts.some((p) => p.mention === "bob")) console.log("bob: you were mentioned by", atBob.from);
console.log("carol renders:", plain((await carol.next("message")).parts));
await alice.next("message"); // alice gets her own public message too

bob.send({ type: "whisper", to: "carol", text: "psst @carol, lunch?" });
const whisper = await carol.next("message");
console.log(`carol receives private from ${whisper.from}:`, plain(whisper.parts));
await bob.next("message"); // bob's copy of the whisper

alice.send({ type: "say", text: "@nobody is not a user" });
console.log("alice's next message:", plain((await alice.next("message")).parts), "(the whisper never reached her)");
await bob.next("message");
await carol.next("message");

alice.send({ type: "whisper", to: "dave", text: "hello?" });
console.log("alice gets error:", (await alice.next("error")).reason);

await carol.close();
console.log("alice sees users:", await alice.usersWhen((list) => !list.includes("carol")));
await Promise.all([alice.close(), bob.close()]);
wss.close();
console.log("server closed");
