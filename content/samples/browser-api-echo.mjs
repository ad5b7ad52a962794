// Open a WebSocket to the sandbox echo endpoint, send one message of each
// kind the API accepts, print the echoes, then close with a code and reason.
const socket = new WebSocket("ws://127.0.0.1:4321/echo", ["echo.v1"]);
socket.binaryType = "arraybuffer"; // binary messages arrive as ArrayBuffer, not Blob

const names = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];
const state = () => `${socket.readyState} (${names[socket.readyState]})`;
const hex = (buffer) =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join(" ");

console.log(`after new WebSocket: readyState ${state()}`);

const outgoing = [
  "Hello, echo",                                   // string -> text frame (UTF-8)
  new Uint8Array([0xde, 0xad, 0xbe, 0xef]).buffer, // ArrayBuffer -> binary frame
  new Uint8Array([1, 2, 3, 4, 5]).subarray(1, 3),  // a view: only bytes 02 03 are sent
  new Blob([new Uint8Array([0xca, 0xfe])]),        // Blob -> binary frame
];
let echoes = 0;

socket.addEventListener("open", () => {
  console.log(`open: readyState ${state()}, protocol "${socket.protocol}"`);
  for (const data of outgoing) socket.send(data);
});

socket.addEventListener("message", (event) => {
  if (typeof event.data === "string") {
    console.log(`echo (text): ${event.data}`);
  } else {
    console.log(`echo (${event.data.constructor.name}, ${event.data.byteLength} bytes): ${hex(event.data)}`);
  }
  if (++echoes === outgoing.length) {
    socket.close(1000, "lesson done");
    console.log(`after close(): readyState ${state()}`);
  }
});

socket.addEventListener("error", () => console.log("error (the event carries no details)"));

socket.addEventListener("close", (event) => {
  console.log(`close: code ${event.code}, reason "${event.reason}", wasClean ${event.wasClean}`);
  console.log(`readyState ${state()}`);
});
