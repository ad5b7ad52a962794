import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:https";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import type { InspectHandshake } from "../../src/sandbox/index.ts";
import { freePort } from "../helpers/site-server.ts";
import { closeEvent, nextMessage, startTestServer, type TestServer } from "./helpers.ts";

const nginxPath = process.env.NGINX_PATH ?? "/usr/sbin/nginx";
const template = fileURLToPath(new URL("../../deploy/nginx/ws-lab.conf", import.meta.url));
const haveNginx = existsSync(nginxPath);

if (!haveNginx) {
  const message = `nginx not found at ${nginxPath}: the wss:// end-to-end test cannot run (apt-get install nginx, or set NGINX_PATH)`;
  // In CI a missing nginx is a broken environment, not a reason to pass quietly.
  if (process.env.CI) throw new Error(message);
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
}

/** Replaces `from` in the template, failing if the template no longer has it (so the two stay in step). */
function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`deploy/nginx/ws-lab.conf no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** The shipped config, pointed at loopback ports, a throw-away certificate and the test's Node server. */
function configFromTemplate(options: { upstreamPort: number; httpPort: number; httpsPort: number; cert: string; key: string }): string {
  let text = readFileSync(template, "utf8");
  text = replaceOnce(text, "server 127.0.0.1:4321;", `server 127.0.0.1:${options.upstreamPort};`);
  text = replaceOnce(text, "listen 80;", `listen 127.0.0.1:${options.httpPort};`);
  text = replaceOnce(text, "listen [::]:80;\n", "");
  text = replaceOnce(text, "listen 443 ssl;", `listen 127.0.0.1:${options.httpsPort} ssl;`);
  text = replaceOnce(text, "listen [::]:443 ssl;\n", "");
  text = replaceOnce(text, "/etc/letsencrypt/live/ws-lab.example/fullchain.pem", options.cert);
  text = replaceOnce(text, "/etc/letsencrypt/live/ws-lab.example/privkey.pem", options.key);
  return text;
}

function waitForPort(port: number, timeoutMs: number, exited: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const failure = exited();
      if (failure) return reject(new Error(`nginx exited: ${failure}`));
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

describe.skipIf(!haveNginx)("wss:// through nginx terminating TLS (deploy/nginx/ws-lab.conf)", () => {
  let server: TestServer;
  let nginx: ChildProcess;
  let prefix: string;
  let ca: Buffer;
  let httpsPort: number;
  let httpPort: number;

  beforeAll(async () => {
    server = await startTestServer({ trustProxy: true });
    prefix = mkdtempSync(join(tmpdir(), "ws-lab-nginx-"));
    for (const dir of ["temp", "logs"]) mkdirSync(join(prefix, dir));
    const cert = join(prefix, "cert.pem");
    const key = join(prefix, "key.pem");
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
    ], { stdio: "ignore" });
    ca = readFileSync(cert);
    [httpPort, httpsPort] = [await freePort(), await freePort()];
    writeFileSync(join(prefix, "ws-lab.conf"), configFromTemplate({ upstreamPort: server.port, httpPort, httpsPort, cert, key }));
    const temp = join(prefix, "temp");
    writeFileSync(
      join(prefix, "nginx.conf"),
      [
        // Workers would otherwise switch to "nobody", who cannot read this private temp directory.
        process.getuid?.() === 0 ? "user root;" : "",
        "worker_processes 1;",
        "events { worker_connections 256; }",
        "http {",
        "  access_log off;",
        ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${temp}/${t};`),
        `  include ${join(prefix, "ws-lab.conf")};`,
        "}",
      ].join("\n"),
    );
    let exit: string | null = null;
    let stderr = "";
    nginx = spawn(
      nginxPath,
      ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "logs", "error.log"),
        "-g", `daemon off; pid ${join(prefix, "nginx.pid")}; error_log ${join(prefix, "logs", "error.log")};`],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    nginx.stderr!.on("data", (chunk) => (stderr += chunk));
    nginx.once("exit", (code) => (exit = `code ${code}: ${stderr}`));
    await waitForPort(httpsPort, 10_000, () => exit);
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once("exit", resolve));
      nginx.kill("SIGTERM");
      await exited;
    }
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  function openWss(path: string, protocols?: string[]): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`wss://127.0.0.1:${httpsPort}${path}`, protocols, { ca });
      ws.once("open", () => resolve(ws));
      ws.once("error", reject);
    });
  }

  test("text and binary messages make the round trip over wss://", async () => {
    const ws = await openWss("/echo", ["echo.v1"]);
    expect(ws.protocol).toBe("echo.v1");
    ws.send("через TLS");
    expect((await nextMessage(ws)).data.toString()).toBe("через TLS");
    const big = Buffer.alloc(256 * 1024, 0x5a);
    ws.send(big);
    const reply = await nextMessage(ws);
    expect(reply.isBinary).toBe(true);
    expect(reply.data.equals(big)).toBe(true);
    const closed = closeEvent(ws);
    ws.close(4000, "bye");
    expect((await closed).code).toBe(4000);
  });

  test("/inspect shows the request nginx forwarded: Host with port, X-Forwarded-Proto https, the client's address", async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${httpsPort}/inspect`, { ca });
    const first = await new Promise<Buffer>((resolve, reject) => {
      ws.once("message", resolve);
      ws.once("error", reject);
    });
    const handshake = JSON.parse(first.toString()) as InspectHandshake;
    const headers = Object.fromEntries(handshake.headers.map(([name, value]) => [name.toLowerCase(), value]));
    expect(headers.host).toBe(`127.0.0.1:${httpsPort}`);
    expect(headers["x-forwarded-proto"]).toBe("https");
    expect(headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(headers.upgrade).toBe("websocket");
    ws.close();
  });

  test("the site itself comes through https:// with its security headers", async () => {
    const response = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      get(`https://127.0.0.1:${httpsPort}/`, { ca }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      }).on("error", reject);
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain("<h1>ws-lab</h1>");
    expect(String(response.headers["content-security-policy"])).toContain("connect-src 'self' ws: wss:");
  });

  test("plain http:// is redirected to https://", async () => {
    const response = await fetch(`http://127.0.0.1:${httpPort}/en/`, { redirect: "manual" });
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe(`https://127.0.0.1/en/`);
  });
});
