import { connect as connectTcp, isIP, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { createInterface, type Interface } from "node:readline";
import { completeLine } from "../terminal/commands.ts";
import { toAnsi } from "../terminal/ansi.ts";
import { TerminalSession } from "../terminal/session.ts";
import { CoreClient, type ClientTarget } from "../terminal/transports/coreClient.ts";
import type { Emit, TransportEvent } from "../terminal/transports/transport.ts";
import { openVirtual } from "../terminal/transports/virtual.ts";
import { Exit, parseOptions, wholeNumber } from "./command.ts";

export const summary = "talk to a WebSocket server with the echo terminal's commands, showing every frame";

const usage = `Usage: ws-lab connect [<url>] [--protocol p,...] [--max-payload N] [--max-frame-size N] [--handshake-timeout MS]

Opens a WebSocket connection over TCP (TLS for wss://) and reads the echo terminal's commands:
send <text>, send --hex <bytes>, send --fragments N <text>, ping, close [code] [reason],
frames on|off, raw <hex>, status, help. Every byte of the handshake and of each frame is shown.
With no URL it starts the virtual echo server in this process.

Commands come from standard input when it is not a terminal, one per line; at the end of the
input the connection is closed with 1000.

Options:
  --protocol p,...          offer these subprotocols (Sec-WebSocket-Protocol)
  --max-payload N           largest message accepted from the server, in bytes (default 16777216; 1009 above it)
  --max-frame-size N        largest frame accepted, refused from its header (default 16777216; 1009 above it)
  --handshake-timeout MS    give up when no 101 has arrived after this long (default 10000)
  --help                    show this help

A response head longer than 16 KiB is refused too. Exit status: 0 after a connection, 1 when
none could be opened (refused, unreachable, or no answer in time), 2 for bad options.

Example:
  printf 'send hello\\nclose\\n' | ws-lab connect ws://127.0.0.1:4321/echo`;

/** What the server may make the client hold. */
type Limits = Pick<ClientTarget, "maxPayload" | "maxFrameSize">;

/** A TCP (or TLS) socket under the core's client. */
function openTcp(url: URL, protocols: readonly string[], limits: Limits, emit: Emit): { client: CoreClient; socket: Socket } {
  const secure = url.protocol === "wss:";
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = Number(url.port) || (secure ? 443 : 80);
  const client = new CoreClient("tcp", url.href, { host: url.host, path: `${url.pathname}${url.search}`, protocols, ...limits }, emit);
  const socket = secure ? connectTls({ host, port, servername: isIP(host) ? undefined : host }) : connectTcp({ host, port });
  let connected = false;
  socket.once(secure ? "secureConnect" : "connect", () => {
    connected = true;
    client.attach({ write: (bytes) => void socket.write(bytes), end: () => void socket.end() });
  });
  socket.on("data", (chunk: Buffer) => client.receive(chunk));
  socket.on("error", (error) => {
    if (connected) return;
    client.abort();
    emit({ type: "unreachable", detail: error.message });
  });
  socket.on("close", () => connected && client.receiveEnd());
  return { client, socket };
}

/** Resolves once `settled` says so for an event, or after `ms` without any event. */
class EventWatch {
  private last = Date.now();
  private waiters: Array<{ test: (event: TransportEvent) => boolean; resolve: () => void }> = [];

  seen(event: TransportEvent): void {
    this.last = Date.now();
    this.waiters = this.waiters.filter((waiter) => (waiter.test(event) ? (waiter.resolve(), false) : true));
  }

  until(test: (event: TransportEvent) => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** Waits until nothing has happened for `ms` (answers to the last command have arrived). */
  async quiet(ms: number, maxMs: number): Promise<void> {
    const deadline = Date.now() + maxMs;
    this.last = Date.now();
    while (Date.now() - this.last < ms && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }
}

const ends = (event: TransportEvent) => ["closed", "unreachable", "handshake-failed"].includes(event.type);

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions("connect", args, {
    protocol: { type: "string", multiple: true },
    "max-payload": { type: "string" },
    "max-frame-size": { type: "string" },
    "handshake-timeout": { type: "string", default: "10000" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(usage);
    return Exit.Ok;
  }
  const limits: Limits = {
    maxPayload: values["max-payload"] === undefined ? undefined : wholeNumber("max-payload", values["max-payload"], 1),
    maxFrameSize: values["max-frame-size"] === undefined ? undefined : wholeNumber("max-frame-size", values["max-frame-size"], 1),
  };
  const handshakeTimeout = wholeNumber("handshake-timeout", values["handshake-timeout"], 1);
  let socket: Socket | null = null;
  const protocols = (values.protocol ?? []).flatMap((value) => value.split(",")).map((p) => p.trim()).filter(Boolean);
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const colour = interactive && !process.env.NO_COLOR;
  let rl: Interface | null = null;
  let prompting = false;
  let opened = false;
  const watch = new EventWatch();

  const write = (text: string) => {
    // Output that arrives while the reader types goes above the prompt line.
    if (rl && prompting) {
      process.stdout.write(`\r\x1b[2K${text}\n`);
      rl.setPrompt(session.prompt());
      rl.prompt(true);
    } else {
      process.stdout.write(`${text}\n`);
    }
  };
  const session: TerminalSession = new TerminalSession({
    lang: "en",
    output: { line: (line) => write(toAnsi(line, colour)), clear: () => interactive && process.stdout.write("\x1b[H\x1b[2J\x1b[3J") },
    open: (target, offered, emit) => {
      if (target.kind === "virtual") return openVirtual(target.path, offered, emit);
      const tcp = openTcp(target.url, offered, limits, emit);
      socket = tcp.socket;
      return tcp.client;
    },
    onEvent: (event) => {
      if (event.type === "open") opened = true;
      watch.seen(event);
    },
  });

  session.connect(positionals[0] ?? null, protocols);
  if (!session.transport) return Exit.Usage;
  let ended = false;
  await watch.until((event) => event.type === "open" || (ended = ends(event)), handshakeTimeout);
  if (!opened) {
    // A silent server, or one that trickles its answer forever: without a 101 in time the socket
    // is destroyed (not half-closed, which such a server would ignore), so the process can end.
    if (!ended) console.error(`ws-lab connect: no answer to the opening handshake within ${handshakeTimeout} ms; giving up`);
    session.transport.abort();
    (socket as Socket | null)?.destroy();
    return Exit.ProtocolError;
  }

  if (!interactive) {
    const lines = createInterface({ input: process.stdin, terminal: false });
    for await (const line of lines) {
      session.run(line);
      await watch.quiet(100, 2_000);
    }
    if (session.transport.state === "open") {
      session.run("close 1000");
      await watch.until(ends, 2_000);
    } else if (session.transport.state !== "closed") {
      await watch.until(ends, 2_000);
    }
    session.transport.abort();
    (socket as Socket | null)?.destroy();
    return Exit.Ok;
  }

  rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    historySize: 200,
    completer: (line: string) => {
      const { line: completed, candidates } = completeLine(line);
      return candidates.length > 0 ? [candidates, line.split(/\s+/).pop() ?? ""] : [[completed], line];
    },
  });
  const reader = rl;
  reader.on("SIGINT", () => {
    process.stdout.write("^C\n");
    reader.write(null, { ctrl: true, name: "u" });
    reader.prompt();
  });
  session.welcome(false);
  reader.setPrompt(session.prompt());
  reader.prompt();
  prompting = true;
  for await (const line of reader) {
    prompting = false;
    session.run(line);
    prompting = true;
    reader.setPrompt(session.prompt());
    reader.prompt();
  }
  if (session.transport.state === "open") {
    session.run("close 1000");
    await watch.until(ends, 2_000);
  }
  session.transport.abort();
  (socket as Socket | null)?.destroy();
  return Exit.Ok;
}
