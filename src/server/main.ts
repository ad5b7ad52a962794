// Entry point for `node src/server/main.ts [options]` (what `ws-lab serve` and `npm start` run).
import { runServer } from "./run.ts";

process.exitCode = await runServer(process.argv.slice(2), process.env);
