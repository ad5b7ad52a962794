import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { t } from "../../src/i18n/index.ts";
import { computeAcceptWith } from "../../src/protocol/index.ts";
import { startTestServer, type TestServer } from "./helpers.ts";

const bin = fileURLToPath(new URL("../../bin/ws-lab.mjs", import.meta.url));

/** Runs `ws-lab connect` with `input` piped to it (the server runs in this process, so no spawnSync). */
function connect(args: string[], input: string): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, "connect", ...args], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(input);
  });
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

describe("ws-lab connect", () => {
  test("a piped 'send hello' and 'close' show the masked frame out, the echo back and a clean close", async () => {
    const result = await connect([`ws://${server.host}/echo`], "send hello\nclose\n");
    expect(result.status).toBe(0);
    const out = result.stdout;
    expect(out).toContain("→ GET /echo HTTP/1.1");
    expect(out).toContain("← HTTP/1.1 101 Switching Protocols");
    // §5.3: the client's frame is masked (first two bytes 81 85, then a 4-byte key)...
    expect(out).toMatch(/→ FIN=1 RSV=000 opcode=0x1 \(text\) MASK=1 length=5 masking key [0-9a-f]{2}( [0-9a-f]{2}){3}\n  81 85 /);
    // ...and the server's echo is not (§5.1).
    expect(out).toContain("← FIN=1 RSV=000 opcode=0x1 (text) MASK=0 length=5\n  81 05 68 65 6c 6c 6f\n← text, 5 bytes: hello");
    expect(out).toMatch(/← close from the server: 1000\nConnection closed cleanly, code 1000\./);
    expect(out.indexOf("← text, 5 bytes: hello")).toBeLessThan(out.indexOf("→ close (no code)"));
  });

  test("/inspect reports the 4-byte masking key the client really used", async () => {
    const result = await connect([`ws://${server.host}/inspect`], "frames off\nsend hi\n");
    expect(result.status).toBe(0);
    const report = /"maskingKey":"([0-9a-f]{8})","payloadLength":2,"payloadHex":"6869"/.exec(result.stdout);
    expect(report).not.toBeNull();
  });

  test("raw bytes of an unmasked frame earn a Close 1002 from the real server", async () => {
    const result = await connect([`ws://${server.host}/echo`], "raw 81 05 48 65 6c 6c 6f\n");
    expect(result.stdout).toContain("→ FIN=1 RSV=000 opcode=0x1 (text) MASK=0 length=5\n  81 05 48 65 6c 6c 6f");
    expect(result.stdout).toContain("← close from the server: 1002 unmasked-client-frame");
    expect(result.stdout).toContain("A client frame arrived without a mask (§5.1)");
  });

  test("with no URL it talks to the virtual server in the same process", async () => {
    const result = await connect([], "send --fragments 2 ok\n");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Connected to virtual:/echo.");
    expect(result.stdout).toMatch(/→ FIN=0 RSV=000 opcode=0x1 \(text\) MASK=1 length=1/);
    expect(result.stdout).toMatch(/→ FIN=1 RSV=000 opcode=0x0 \(continuation\) MASK=1 length=1/);
    expect(result.stdout).toContain("← text, 2 bytes: ok");
  });

  test("a port nobody listens on is reported and exits 1", async () => {
    const result = await connect(["ws://127.0.0.1:1/echo"], "send hello\n");
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("Cannot reach ws://127.0.0.1:1/echo");
  });

  test("a path the server does not serve is refused with 404, and the body's not-found reason is printed", async () => {
    const result = await connect([`ws://${server.host}/nope`], "send hello\n");
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("← HTTP/1.1 404 Not Found");
    expect(result.stdout).toContain("The server answered 404 instead of 101 Switching Protocols.");
    expect(result.stdout).toContain(`The server gave this reason: ${t("en", "error.not-found")}`);
  });

  test("a line it cannot parse says what is wrong and the session goes on", async () => {
    const result = await connect([`ws://${server.host}/echo`], "sned hi\nraw 8z\nsend after\n");
    expect(result.stdout).toContain("Unknown command 'sned'. Did you mean send?");
    expect(result.stdout).toContain("raw: 'z' (character 2) is not a hex digit");
    expect(result.stdout).toContain("← text, 5 bytes: after");
  });
});

/** A hostile server on a free port: `behave` gets each socket; stopped after the test. */
async function hostile(behave: (socket: Socket, request: Promise<string>) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => {
    socket.on("error", () => {});
    const request = new Promise<string>((resolve) => {
      let head = "";
      socket.on("data", (chunk) => {
        head += chunk.toString("latin1");
        if (head.includes("\r\n\r\n")) resolve(head);
      });
    });
    behave(socket, request);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return { url: `ws://127.0.0.1:${address.port}/echo`, server };
}

/** The 101 a real server would send for the request's key. */
function switching(request: string): string {
  const key = /Sec-WebSocket-Key: (\S+)/i.exec(request)![1]!;
  const accept = computeAcceptWith(key, (data) => createHash("sha1").update(data).digest());
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
}

describe("ws-lab connect against a hostile server", () => {
  test("a server that accepts TCP and never answers: the handshake timeout ends the process with exit 1 and says why", async () => {
    const { url, server } = await hostile(() => {});
    const result = await connect([url, "--handshake-timeout", "500"], "send hello\n");
    server.close();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("no answer to the opening handshake within 500 ms");
    expect(result.ms).toBeLessThan(8000);
  });

  test("a tarpit that trickles its response a byte at a time is given up on at the same timeout", async () => {
    const timers: NodeJS.Timeout[] = [];
    const { url, server } = await hostile((socket) => {
      let i = 0;
      const text = "HTTP/1.1 101 Switching Protocols\r\nX-Slow: " + "a".repeat(1000);
      timers.push(setInterval(() => socket.writable && socket.write(text[i++ % text.length]!), 50));
    });
    const result = await connect([url, "--handshake-timeout", "500"], "send hello\n");
    for (const timer of timers) clearInterval(timer);
    server.close();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("no answer to the opening handshake within 500 ms");
  });

  test("an endless header line is refused once the head passes 16 KiB", async () => {
    const { url, server } = await hostile((socket) => {
      socket.write("HTTP/1.1 101 Switching Protocols\r\nX-Endless: ");
      const line = Buffer.alloc(64 * 1024, "a");
      const pump = () => {
        while (socket.writable && socket.write(line));
      };
      socket.on("drain", pump);
      pump();
    });
    const result = await connect([url], "send hello\n");
    server.close();
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(t("en", "error.response-head-too-large"));
  });

  test("a frame announcing 2^53 - 1 bytes fails the connection with 1009 from its header", async () => {
    const { url, server } = await hostile(async (socket, request) => {
      socket.write(switching(await request));
      socket.write(Buffer.from("827f001fffffffffffff", "hex"));
      const filler = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (socket.writable && socket.write(filler));
      };
      socket.on("drain", pump);
      pump();
    });
    const result = await connect([url, "--max-frame-size", "1048576"], "status\n");
    server.close();
    expect(result.stdout).toContain(t("en", "error.frame-too-big"));
  });

  for (const raw of ["0x10", "1e1", ""]) {
    test(`--max-payload ${JSON.stringify(raw)} is refused with exit 2`, async () => {
      const result = await connect(["ws://127.0.0.1:1/echo", "--max-payload", raw], "");
      expect(result.status).toBe(2);
    });
  }
});
