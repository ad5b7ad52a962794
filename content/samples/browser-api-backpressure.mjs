// send() never blocks: it queues. Watch bufferedAmount and pause the
// producer while too much is waiting, instead of queueing without limit.
const socket = new WebSocket("ws://127.0.0.1:4321/echo");
socket.binaryType = "arraybuffer";

const CHUNK = 16 * 1024;
const CHUNKS = 16;
const HIGH_WATER = 32 * 1024; // resume sending once the queue is below this

// There is no "drain" event in the WebSocket API, so poll.
function belowHighWater() {
  return new Promise((resolve) => {
    const check = () =>
      socket.bufferedAmount <= HIGH_WATER ? resolve() : setTimeout(check, 5);
    check();
  });
}

let echoedBytes = 0;
let echoedMessages = 0;

socket.addEventListener("open", async () => {
  for (let i = 0; i < CHUNKS; i++) {
    await belowHighWater();
    socket.send(new Uint8Array(CHUNK).fill(i));
  }
  console.log(`queued ${CHUNKS} messages, ${CHUNKS * CHUNK} bytes`);
});

socket.addEventListener("message", (event) => {
  echoedBytes += event.data.byteLength;
  if (++echoedMessages === CHUNKS) {
    console.log(`echoed ${echoedMessages} messages, ${echoedBytes} bytes`);
    console.log(`bufferedAmount now ${socket.bufferedAmount}`);
    socket.close(1000);
  }
});

socket.addEventListener("close", (event) => {
  console.log(`close: code ${event.code}, wasClean ${event.wasClean}`);
});
