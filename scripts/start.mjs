#!/usr/bin/env node
// `npm start`: build the site if needed, then serve it with the WebSocket endpoints, on the
// project's Node (scripts/runtime.mjs). package.json runs it with `exec`, so the signals npm
// forwards (docker stop, systemd, CI) reach this process and not only the shell before it.
import { fileURLToPath } from "node:url";
import { ensureRuntime } from "./runtime.mjs";

if (!ensureRuntime(fileURLToPath(import.meta.url), "ws-lab")) {
  const { buildIfNeeded } = await import("./build-if-needed.mjs");
  buildIfNeeded();
  // src/server/main.ts reads its options from process.argv (`npm start -- --port 8080`).
  await import("../src/server/main.ts");
}
