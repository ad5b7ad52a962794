// The project's Node.js: the `node` devDependency (node_modules/node/bin/node, Node 24, version
// pinned by package-lock.json). npm puts node_modules/.bin first on PATH for `npm run` and `npx`,
// so scripts, Astro's bins and `npx ws-lab` run on it whatever node the machine has; entry points
// started another way (`node scripts/start.mjs`, `./bin/ws-lab.mjs`) call `ensureRuntime()` to
// re-execute themselves on it. Plain JavaScript that parses on Node 18: it runs before the swap.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Astro's floor; below 22.18 Node also strips TypeScript types only behind a flag. */
const FLOOR = [22, 18];
const root = fileURLToPath(new URL("../", import.meta.url));
const projectNode = `${root}node_modules/node/bin/node`;

function versionOk(version) {
  const [major, minor] = version.split(".").map(Number);
  return major > FLOOR[0] || (major === FLOOR[0] && minor >= FLOOR[1]);
}

function realpath(path) {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

// Set by `ensureRuntime` for the child it starts: the version of the node it replaced.
const REPLACED = "WS_LAB_REPLACED_NODE";
const replaced = process.env[REPLACED];
delete process.env[REPLACED];
let outerNode;

/**
 * The node this process runs in place of: the one `ensureRuntime` re-executed us from, or the one
 * running npm when npm started us on another (npm sets npm_node_execpath).
 */
function npmNode() {
  if (outerNode === undefined) outerNode = (replaced ? { version: replaced } : findNpmNode()) ?? null;
  return outerNode ?? undefined;
}

function findNpmNode() {
  const path = process.env.npm_node_execpath;
  if (!path || realpath(path) === realpath(process.execPath)) return undefined;
  try {
    return { path, version: execFileSync(path, ["-p", "process.versions.node"], { encoding: "utf8" }).trim() };
  } catch {
    return undefined;
  }
}

const tooOld = (version) => `node ${version} is too old for Astro and the TypeScript sources (needs >= ${FLOOR.join(".")})`;

/** The line saying that the project's Node runs in place of a node too old, or undefined if it does not. */
function swapLine(name) {
  const outer = npmNode();
  if (!outer || versionOk(outer.version) || realpath(process.execPath) !== realpath(projectNode)) return undefined;
  return `${name}: ${tooOld(outer.version)}; using Node ${process.versions.node} from node_modules/node`;
}

/**
 * Makes sure this process runs on a Node that can run the project. On the project's Node (or any
 * >= 22.18) it returns false, after saying on stderr, in one line, that npm ran it in place of
 * the machine's node if that one is too old. On an older node it re-executes the same script and arguments
 * on the project's Node, forwards signals, and returns true: the caller must then do nothing else
 * (this process exits as the child does). Without the project's Node it says how to get it and
 * exits 1.
 * @param {string} script absolute path of the entry point to re-execute
 * @param {string} name the program name that prefixes the line
 */
export function ensureRuntime(script, name) {
  const current = process.versions.node;
  if (versionOk(current)) {
    const line = swapLine(name);
    if (line) process.stderr.write(`${line}\n`);
    return false;
  }
  if (!existsSync(projectNode)) {
    process.stderr.write(
      `${name}: ${tooOld(current)}, and the project's Node is not installed: run \`npm install\` in ${root} ` +
        "with install scripts allowed (the `node` package's preinstall fetches it)\n",
    );
    process.exit(1);
  }
  // The child says what happened (swapLine), once, however it was started.
  const child = spawn(projectNode, [script, ...process.argv.slice(2)], { stdio: "inherit", env: { ...process.env, [REPLACED]: current } });
  const forward = (signal) => child.kill(signal);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, forward);
  child.on("exit", (code, signal) => {
    if (code !== null) process.exit(code);
    // Die of the same signal, so whoever started us sees what happened to the program.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
  return true;
}

if (process.argv[1] && realpath(process.argv[1]) === realpath(fileURLToPath(import.meta.url))) {
  // `node scripts/runtime.mjs` (first in `npm test`): one line saying which Node runs the project.
  if (!ensureRuntime(fileURLToPath(import.meta.url), "ws-lab")) {
    if (!swapLine("ws-lab")) process.stderr.write(`ws-lab: Node ${process.versions.node} from ${process.execPath}\n`);
  }
}
