import { ConfigError, loadConfig, settingsHelp } from "./config.ts";
import { startServer } from "./server.ts";

/** `ws-lab serve` usage text. */
export function serveUsage(): string {
  return `usage: ws-lab serve [options]

Serves the built site (dist/) and the WebSocket endpoints /echo and /inspect on one port.
SIGTERM or SIGINT closes every WebSocket with 1001 and exits 0.

options:
${settingsHelp()}
  --help                     this text`;
}

/**
 * Runs the server until SIGTERM or SIGINT, then shuts it down gracefully. Resolves with the
 * process exit code: 0 after a shutdown, 2 for a bad option, 1 when the port cannot be bound.
 */
export async function runServer(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${serveUsage()}\n`);
    return 0;
  }
  let config;
  try {
    config = loadConfig(args, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`ws-lab serve: ${error.message}\n`);
    return 2;
  }
  let running;
  try {
    running = await startServer(config);
  } catch (error) {
    process.stderr.write(`ws-lab serve: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event: "listening", url: running.url, root: config.root })}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event: "shutdown", signal, connections: running.connections })}\n`);
  await running.shutdown();
  return 0;
}
