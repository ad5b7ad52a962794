#!/usr/bin/env node
// Launches the TypeScript CLI on the project's Node (scripts/runtime.mjs): `npx ws-lab` already
// runs on it; `./bin/ws-lab.mjs` under an older node re-executes itself there.
import { fileURLToPath } from "node:url";
import { ensureRuntime } from "../scripts/runtime.mjs";

if (!ensureRuntime(fileURLToPath(import.meta.url), "ws-lab")) await import("../src/cli/main.ts");
