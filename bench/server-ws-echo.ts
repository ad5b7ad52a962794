// The baseline for `npm run bench:server`: a plain `ws` echo server, as a Node developer would write it.
import { WebSocketServer } from "ws";

// The limits are raised as for ws-lab, so that the 16 MiB shapes of `npm run bench:server` pass, and
// the 4 MiB message in 64-byte fragments (65,536 of them; ws allows 16,384 by default).
const wss = new WebSocketServer({
  host: "127.0.0.1",
  port: 0,
  perMessageDeflate: false,
  maxPayload: 32 * 1024 * 1024,
  maxFragments: 65_536,
});
wss.on("connection", (ws) => {
  ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on("error", () => {});
});
wss.on("listening", () => {
  const address = wss.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ event: "listening", url: `http://127.0.0.1:${port}/` })}\n`);
});
process.on("SIGTERM", () => process.exit(0));
