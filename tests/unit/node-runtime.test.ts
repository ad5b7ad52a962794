// The project brings its own Node (the `node` devDependency, scripts/runtime.mjs): with a node
// older than 22.18 first on PATH, the bin and npm's scripts must run on Node 24 and say so.
import { execFileSync, spawnSync } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ=="; // RFC 6455 §1.3

function nodeVersion(path: string): string | undefined {
  try {
    return execFileSync(path, ["-p", "process.versions.node"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** A node on this machine that is too old for the project (Debian's is 20.x), if there is one. */
function findOldNode(): { path: string; version: string } | undefined {
  const onPath = (process.env.PATH ?? "").split(":").map((dir) => `${dir}/node`);
  for (const path of ["/usr/bin/node", "/usr/local/bin/node", ...onPath]) {
    if (path.includes("node_modules")) continue;
    const version = nodeVersion(path);
    const [major = 0, minor = 0] = (version ?? "").split(".").map(Number);
    if (version && (major < 22 || (major === 22 && minor < 18))) return { path, version };
  }
  return undefined;
}

const oldNode = findOldNode();
if (!oldNode) console.warn("skipped: no node older than 22.18 on this machine, so the runtime swap cannot be shown");
const projectVersion = nodeVersion(`${root}node_modules/node/bin/node`);
// Only what a fresh shell has: the old node's directory first, no npm_* variables from a parent npm.
const env = { PATH: `${oldNode ? dirname(oldNode.path) : "/usr/bin"}:/usr/bin:/bin`, HOME: process.env.HOME ?? "/tmp" };
const announcement = (version: string) =>
  new RegExp(`^ws-lab: node ${version.replace(/\./g, "\\.")} is too old for Astro and the TypeScript sources \\(needs >= 22\\.18\\); using Node ${projectVersion?.replace(/\./g, "\\.")} from node_modules/node\n`);

describe.skipIf(!oldNode)("with an old node first on PATH", () => {
  test("the project's own Node is installed and recent", () => {
    expect(projectVersion).toMatch(/^24\./);
  });

  test("./bin/ws-lab.mjs run by it re-executes on the project's Node, says so once, and works", () => {
    const result = spawnSync(oldNode!.path, [`${root}bin/ws-lab.mjs`, "accept", SAMPLE_KEY], { cwd: "/", env, encoding: "utf8" });
    expect(result.stderr).toMatch(announcement(oldNode!.version));
    expect(result.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    expect(result.stdout).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n");
    expect(result.status).toBe(0);
  });

  test("the exit status of the re-executed program comes back", () => {
    const result = spawnSync(oldNode!.path, [`${root}bin/ws-lab.mjs`, "no-such-command"], { cwd: "/", env, encoding: "utf8" });
    expect(result.status).toBe(2);
  });

  test("npm's scripts and bins run on the project's Node and say that it replaced the old one", () => {
    const script = "process.stdout.write(process.versions.node)";
    const result = spawnSync("npm", ["exec", "--offline", "--", "node", "scripts/runtime.mjs"], { cwd: root, env, encoding: "utf8" });
    expect(result.stderr).toMatch(new RegExp(announcement(oldNode!.version).source.slice(1), "m"));
    const version = spawnSync("npm", ["exec", "--offline", "--", "node", "-e", script], { cwd: root, env, encoding: "utf8" });
    expect(version.stdout).toBe(projectVersion);
  });
});
