import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

export interface SiteServer {
  url: string;
  stop(): Promise<void>;
}

/** Asks the kernel for a port nobody listens on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, exited: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exit = exited();
    if (exit) throw new Error(`site server exited before it answered: ${exit}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`site server did not answer ${url} within ${timeoutMs} ms`);
}

/**
 * Serves the built site (dist/) and the WebSocket endpoints on 127.0.0.1 and a free port, the way
 * `npm start` does.
 * @throws Error when dist/ is missing (run `npm run build`) or the server does not come up.
 */
export async function startSiteServer(): Promise<SiteServer> {
  if (!existsSync(`${root}dist/index.html`)) {
    throw new Error("dist/ has no built site: run `npm run build` before the browser tests");
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The real server (src/server), so the pages and the /echo and /inspect WebSockets share an origin.
  const stripTypes = process.features.typescript ? [] : ["--experimental-strip-types", "--disable-warning=ExperimentalWarning"];
  const child = spawn(
    process.execPath,
    [...stripTypes, `${root}src/server/main.ts`, "--host", "127.0.0.1", "--port", String(port), "--root", `${root}dist`, "--quiet"],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  let exit: string | null = null;
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = `code ${code}, signal ${signal}\n${output}`;
      resolve();
    });
  });
  try {
    await waitForHttp(`${url}/en/`, 30_000, () => exit);
  } catch (error) {
    if (!exit) child.kill("SIGKILL");
    throw error;
  }
  return {
    url,
    async stop() {
      if (exit) return;
      process.kill(child.pid!, "SIGTERM");
      const timer = setTimeout(() => !exit && process.kill(child.pid!, "SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
