// `npm run bench:server`: the ws-lab server against a plain `ws` echo server on the same machine,
// in the same run. Each server and the load generator run in separate processes.
// Targets: at least ws's messages/s, a p99 no worse, no more memory per idle connection.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const IDLE_CONNECTIONS = Number(process.env.BENCH_IDLE_CONNECTIONS ?? 5000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 500);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MESSAGE_BYTES = 32;

interface Contender {
  name: string;
  args: string[];
}

const contenders: Contender[] = [
  {
    name: "ws-lab",
    args: [
      here("../src/server/main.ts"), "--port", "0", "--quiet",
      // Lift the per-client limits that a load test crosses on purpose; everything else is as shipped.
      "--max-message-rate", "1000000000", "--max-connections", "100000", "--max-connections-per-ip", "100000",
      "--max-connections-per-prefix", "100000",
      // The shapes below send messages of up to 16 MiB, echoed whole: both servers take 32 MiB.
      "--max-message-size", "33554432", "--max-frame-size", "33554432", "--max-buffered-bytes", "134217728",
    ],
  },
  { name: "ws", args: [here("server-ws-echo.ts")] },
];

interface Running {
  child: ChildProcess;
  wsUrl: string;
}

function firstJsonLine(child: ChildProcess): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      lines.close();
      resolve(JSON.parse(line) as Record<string, unknown>);
    });
    child.once("exit", (code) => reject(new Error(`process exited with ${code}`)));
  });
}

async function start(contender: Contender): Promise<Running> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", here("server-memory-probe.ts"), ...contender.args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const listening = await firstJsonLine(child);
  return { child, wsUrl: String(listening.url).replace("http", "ws") };
}

async function stop(running: Running): Promise<void> {
  const exited = new Promise((resolve) => running.child.once("exit", resolve));
  running.child.kill("SIGTERM");
  await exited;
}

interface Memory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
}

/** Asks the server (through server-memory-probe.ts) to collect garbage and report its memory. */
function probeMemory(running: Running): Promise<Memory> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: running.child.stderr! });
    lines.on("line", (line) => {
      if (!line.startsWith('{"memory"')) return;
      lines.close();
      resolve((JSON.parse(line) as { memory: Memory }).memory);
    });
    running.child.kill("SIGUSR2");
  });
}

async function load(...args: Array<string | number>): Promise<Record<string, number>> {
  const child = spawn(process.execPath, [here("server-load.ts"), ...args.map(String)], { stdio: ["ignore", "pipe", "inherit"] });
  return (await firstJsonLine(child)) as Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function throughput(): Promise<string[]> {
  const servers = await Promise.all(contenders.map(start));
  const rows: string[] = [];
  for (const inFlight of [1, 16]) {
    for (const clients of [1, 10, 100]) {
      // Several short rounds, alternating who goes first, and the median round of each: on a shared
      // machine one round can land on a busy moment for either server.
      const rounds: Array<Array<Record<string, number>>> = [[], []];
      for (let round = 0; round < ROUNDS; round++) {
        for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
          rounds[i]!.push(await load("echo", `${servers[i]!.wsUrl}echo`, clients, inFlight, WARMUP_MS, MEASURE_MS, MESSAGE_BYTES));
        }
      }
      const results = rounds.map((list) => list.sort((a, b) => a.messagesPerSecond! - b.messagesPerSecond!)[list.length >> 1]!);
      const [ours, theirs] = results as [Record<string, number>, Record<string, number>];
      const mode = inFlight === 1 ? "ping-pong" : "16 in flight";
      const ratio = ours.messagesPerSecond! / theirs.messagesPerSecond!;
      rows.push(
        `| ${mode} | ${clients} | ${ours.messagesPerSecond} | ${theirs.messagesPerSecond} | ${ratio.toFixed(2)} | ` +
          `${ours.p50Ms!.toFixed(3)} / ${ours.p99Ms!.toFixed(3)} | ${theirs.p50Ms!.toFixed(3)} / ${theirs.p99Ms!.toFixed(3)} |`,
      );
      // Progress only, on stderr and not as a table row: stdout holds the table, printed once at the end.
      console.error(`measured ${mode}, ${clients} client${clients === 1 ? "" : "s"}: ratio ${ratio.toFixed(2)}`);
    }
  }
  await Promise.all(servers.map(stop));
  return rows;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** The Autobahn|Testsuite 9.* shapes: one message at a time, each echoed before the next is sent. */
const shapes: Array<{ name: string; kind: "text" | "binary"; bytes: number; fragment: number; messages: number }> = [
  ...[64 * KiB, MiB, 4 * MiB, 16 * MiB].flatMap((bytes) =>
    (["text", "binary"] as const).map((kind) => ({
      name: `${kind} ${bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`}`,
      kind,
      bytes,
      fragment: 0,
      messages: Math.max(2, Math.round((16 * MiB) / bytes / 4)),
    })),
  ),
  ...[64, 4 * KiB, 256 * KiB].map((fragment) => ({
    name: `text 4 MiB in ${fragment >= KiB ? `${fragment / KiB} KiB` : `${fragment} B`} fragments`,
    kind: "text" as const,
    bytes: 4 * MiB,
    fragment,
    messages: fragment === 64 ? 1 : 4,
  })),
  { name: "1,000 round trips of 16 B text", kind: "text", bytes: 16, fragment: 0, messages: 1000 },
  { name: "1,000 round trips of 64 KiB binary", kind: "binary", bytes: 64 * KiB, fragment: 0, messages: 1000 },
];

async function shapeRows(): Promise<string[]> {
  const servers = await Promise.all(contenders.map(start));
  const rows: string[] = [];
  for (const shape of shapes) {
    const rounds: number[][] = [[], []];
    for (let round = 0; round < ROUNDS; round++) {
      for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
        const result = await load("shape", `${servers[i]!.wsUrl}echo`, shape.kind, shape.bytes, shape.fragment, shape.messages);
        rounds[i]!.push(result.ms!);
      }
    }
    const [ours, theirs] = rounds.map((list) => list.sort((a, b) => a - b)[list.length >> 1]!) as [number, number];
    const mbps = (ms: number) => ((shape.bytes * shape.messages) / MiB / (ms / 1000)).toFixed(0);
    const ratio = theirs / ours;
    rows.push(`| ${shape.name} | ${shape.messages} | ${ours.toFixed(1)} ms (${mbps(ours)} MiB/s) | ${theirs.toFixed(1)} ms (${mbps(theirs)} MiB/s) | ${ratio.toFixed(2)} |`);
    console.error(`measured ${shape.name}: ratio ${ratio.toFixed(2)}`);
  }
  await Promise.all(servers.map(stop));
  return rows;
}

async function memory(contender: Contender): Promise<{ baseline: Memory; loaded: Memory; connections: number }> {
  const server = await start(contender);
  // One connection first, so that code paths loaded lazily on the first upgrade count in the baseline.
  await load("echo", `${server.wsUrl}echo`, 1, 1, 100, 100, MESSAGE_BYTES);
  await sleep(500);
  const baseline = await probeMemory(server);
  const loader = spawn(process.execPath, [here("server-load.ts"), "idle", `${server.wsUrl}echo`, String(IDLE_CONNECTIONS)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const opened = await Promise.race([
    firstJsonLine(loader),
    sleep(60_000).then(() => {
      throw new Error("opening idle connections took over 60 s (ulimit -n too low?)");
    }),
  ]);
  await sleep(1000);
  const loaded = await probeMemory(server);
  loader.stdin!.end();
  await new Promise((resolve) => loader.once("exit", resolve));
  await stop(server);
  return { baseline, loaded, connections: Number(opened.open) };
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

console.log(`# Server benchmark: ws-lab vs ws ${process.versions.node ? `(Node ${process.versions.node})` : ""}\n`);
console.log(
  `${MESSAGE_BYTES}-byte text messages; per row the median of ${ROUNDS} rounds of ${WARMUP_MS} ms warm-up + ${MEASURE_MS} ms ` +
    "measured; round-trip latency in ms.\n",
);
const only = process.env.BENCH_ONLY;
if (only === undefined || only === "throughput") {
  const rows = await throughput();
  console.log("| mode | clients | ws-lab msg/s | ws msg/s | ratio | ws-lab p50 / p99 | ws p50 / p99 |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of rows) console.log(row);
}

if (only === undefined || only === "shapes") {
  console.log(
    `\nMessage shapes of Autobahn|Testsuite 9.*, one message at a time, each echoed before the next; per row the ` +
      `median of ${ROUNDS} rounds; throughput counts the bytes sent one way; ratio = ws time / ws-lab time (above 1: ws-lab faster).\n`,
  );
  const rows = await shapeRows();
  console.log("| shape | messages | ws-lab | ws | ratio |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const row of rows) console.log(row);
}

if (only === undefined || only === "memory") {
  console.log(`\nMemory with ${IDLE_CONNECTIONS} idle connections, measured after a full GC in the server.\n`);
  console.log("| server | RSS before | RSS with connections | RSS per connection | JS heap used / committed per connection |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const contender of contenders) {
    const { baseline, loaded, connections } = await memory(contender);
    const per = (field: keyof Memory) => kib((loaded[field] - baseline[field]) / connections);
    console.log(`| ${contender.name} | ${kib(baseline.rss)} KiB | ${kib(loaded.rss)} KiB | ${per("rss")} KiB | ${per("heapUsed")} / ${per("heapTotal")} KiB |`);
  }
}
