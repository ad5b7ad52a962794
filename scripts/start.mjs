#!/usr/bin/env node
// `npm start`: build the site if needed, then serve it with the WebSocket endpoints.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildIfNeeded } from "./build-if-needed.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));

/**
 * Runs the ws-lab server (src/server/main.ts) in this process: dist/ and the WebSocket endpoints
 * on HOST:PORT (127.0.0.1:4321 unless overridden; `npm start -- --port 8080` works too).
 */
async function serve() {
  if (process.features.typescript) {
    await import("../src/server/main.ts");
    return;
  }
  // Node 22.12-22.17 strips types only behind a flag: run the server in a child that has it.
  const child = spawn(
    process.execPath,
    ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", join(root, "src/server/main.ts"), ...process.argv.slice(2)],
    { cwd: root, stdio: "inherit" },
  );
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

buildIfNeeded();
await serve();
