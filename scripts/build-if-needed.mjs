// Builds the site when dist/ is missing or older than its sources (used by `npm start`).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const sources = ["src", "content", "public", "astro.config.mjs", "package.json", "package-lock.json"];
const builtMarker = join(root, "dist", "pagefind", "pagefind-entry.json");

/** Newest modification time under `path` (a file or a directory tree). */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Runs `npm run build` unless dist/ (with its search index, the last build step) is newer than every source. */
export function buildIfNeeded() {
  const builtAt = existsSync(builtMarker) ? statSync(builtMarker).mtimeMs : 0;
  const sourcesAt = Math.max(...sources.map((path) => newestMtime(join(root, path))));
  if (builtAt > sourcesAt) {
    console.log("dist/ is up to date");
    return;
  }
  console.log(builtAt === 0 ? "dist/ is missing: building the site" : "sources changed since the last build: rebuilding");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["run", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
