// Load generator for `npm run bench:server`, run in its own process so it does not share the
// server's event loop. Prints one JSON line with its results.
//   echo:   node bench/server-load.ts echo <ws-url> <clients> <inFlight> <warmupMs> <measureMs> <messageBytes>
//   idle:   node bench/server-load.ts idle <ws-url> <connections>   (opens them, prints, waits for stdin to close)
//   shape:  node bench/server-load.ts shape <ws-url> <text|binary> <bytes> <fragmentBytes|0> <messages>
//           (sends one message at a time, in fragments if asked, and waits for its echo; prints the ms taken)
import WebSocket from "ws";

const [mode, url, ...rest] = process.argv.slice(2);

function open(target: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(target, { perMessageDeflate: false });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function echo(clients: number, inFlight: number, warmupMs: number, measureMs: number, messageBytes: number) {
  const sockets = await Promise.all(Array.from({ length: clients }, () => open(url!)));
  const message = "x".repeat(messageBytes);
  const latencies: number[] = [];
  let measuring = false;
  let stopped = false;
  let count = 0;
  for (const ws of sockets) {
    const sentAt: number[] = [];
    const send = () => {
      sentAt.push(performance.now());
      ws.send(message);
    };
    ws.on("message", () => {
      const started = sentAt.shift()!;
      if (measuring) {
        latencies.push(performance.now() - started);
        count++;
      }
      if (!stopped) send();
    });
    for (let i = 0; i < inFlight; i++) send();
  }
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  measuring = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, measureMs));
  measuring = false;
  stopped = true;
  const elapsed = performance.now() - started;
  const sorted = Float64Array.from(latencies).sort();
  for (const ws of sockets) ws.terminate();
  if (count === 0) throw new Error(`no echo from ${url} in ${measureMs} ms`);
  return { messagesPerSecond: Math.round((count / elapsed) * 1000), p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

async function idle(connections: number) {
  const sockets: WebSocket[] = [];
  // In batches, so the server's accept queue never overflows.
  for (let i = 0; i < connections; i += 200) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(200, connections - i) }, () => open(url!)))));
  }
  process.stdout.write(`${JSON.stringify({ open: sockets.length })}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once("end", resolve));
  for (const ws of sockets) ws.terminate();
}

/** Round trips of one message shape over one connection, one at a time; resolves with the ms they took. */
async function shape(kind: string, bytes: number, fragmentBytes: number, messages: number) {
  const ws = await open(url!);
  const payload = kind === "text" ? Buffer.alloc(bytes, "a") : Buffer.alloc(bytes, 0xa5);
  const binary = kind !== "text";
  const sendOne = () => {
    if (fragmentBytes === 0 || fragmentBytes >= bytes) {
      ws.send(payload, { binary });
      return;
    }
    for (let at = 0; at < bytes; at += fragmentBytes) {
      ws.send(payload.subarray(at, at + fragmentBytes), { binary, fin: at + fragmentBytes >= bytes });
    }
  };
  const started = performance.now();
  for (let i = 0; i < messages; i++) {
    const echoed = new Promise<Buffer>((resolve, reject) => {
      ws.once("message", resolve);
      ws.once("close", (code) => reject(new Error(`closed with ${code} before the echo`)));
    });
    sendOne();
    const echo = await echoed;
    ws.removeAllListeners("close");
    if (echo.length !== bytes) throw new Error(`echo of ${echo.length} bytes, expected ${bytes}`);
  }
  const ms = performance.now() - started;
  ws.terminate();
  return { ms };
}

if (mode === "echo") {
  const [clients, inFlight, warmupMs, measureMs, messageBytes] = rest.map(Number) as [number, number, number, number, number];
  process.stdout.write(`${JSON.stringify(await echo(clients, inFlight, warmupMs, measureMs, messageBytes))}\n`);
  process.exit(0);
} else if (mode === "shape") {
  const [kind, bytes, fragmentBytes, messages] = rest as [string, string, string, string];
  process.stdout.write(`${JSON.stringify(await shape(kind, Number(bytes), Number(fragmentBytes), Number(messages)))}\n`);
  process.exit(0);
} else if (mode === "idle") {
  await idle(Number(rest[0]));
  process.exit(0);
} else {
  process.stderr.write("usage: server-load.ts echo|idle|shape <url> ...\n");
  process.exit(2);
}
