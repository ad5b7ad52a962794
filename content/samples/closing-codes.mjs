// Close a connection with a private-use code (4000-4999) and a reason, then
// print what the close event reports. The echo server answers our Close
// frame with a Close frame carrying the same code (RFC 6455 section 5.5.1).
const socket = new WebSocket("ws://127.0.0.1:4321/echo");

socket.addEventListener("open", () => {
  // The API refuses codes a script may not send; nothing goes on the wire.
  for (const code of [1001, 1005, 2999, 5000]) {
    try {
      socket.close(code);
    } catch (error) {
      console.log(`close(${code}) throws ${error.name}`);
    }
  }
  const tooLong = "я".repeat(62); // 62 characters, but 124 bytes in UTF-8
  try {
    socket.close(4000, tooLong);
  } catch (error) {
    console.log(`close(4000, 62 x "я") throws ${error.name}`);
  }
  const reason = "lesson over";
  const reasonBytes = new TextEncoder().encode(reason).length;
  console.log(`close(4000, "${reason}"): reason is ${reasonBytes} bytes of at most 123`);
  socket.close(4000, reason);
  console.log(`readyState: ${socket.readyState} (CLOSING)`);
});

socket.addEventListener("close", (event) => {
  console.log(`code: ${event.code}`);
  console.log(`reason: "${event.reason}"`);
  console.log(`wasClean: ${event.wasClean}`);
});
