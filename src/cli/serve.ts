import { runServer } from "../server/run.ts";

export const summary = "serve the built site and the /echo and /inspect WebSocket endpoints";

/** `ws-lab serve [options]`: runs until SIGTERM or SIGINT; see `ws-lab serve --help`. */
export function run(args: string[]): Promise<number> {
  return runServer(args, process.env);
}
