#!/usr/bin/env node
// Launches the TypeScript CLI. Node 22.12-22.17 strips types only behind a flag, so rerun with it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

if (!process.features.typescript && !process.env.WS_LAB_STRIP_TYPES) {
  const result = spawnSync(
    process.execPath,
    ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: "inherit", env: { ...process.env, WS_LAB_STRIP_TYPES: "1" } },
  );
  process.exit(result.status ?? 1);
}
await import("../src/cli/main.ts");
