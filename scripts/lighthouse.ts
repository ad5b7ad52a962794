// `npm run lighthouse`: Lighthouse (mobile, its default settings) with the project's Chromium over
// one page of each kind in both languages, served by the project's own server from dist/.
// Prints performance, accessibility, best practices and SEO per page, and every audit that kept
// one of the last three below 100. Not part of `npm test`: scores move with the machine's load.
//   npm run lighthouse                 all kinds, both languages
//   npm run lighthouse -- playground   only the kinds whose name contains "playground"
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import lighthouse from "lighthouse";
import { chromiumPath } from "../tests/helpers/chromium.ts";
import { pageKinds, pageKindPath } from "../tests/helpers/page-kinds.ts";
import { startSiteServer } from "../tests/helpers/site-server.ts";

const categories = ["performance", "accessibility", "best-practices", "seo"] as const;
const only = process.argv[2];
const kinds = pageKinds.filter(({ kind }) => !only || kind.includes(only));

/** Starts Chromium with a fresh profile and returns its DevTools port, read from what it prints. */
async function startChromium(profile: string): Promise<{ port: number; stop(): void }> {
  const child = spawn(
    chromiumPath(),
    [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let output = "";
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`Chromium exited (${code}) before it listened:\n${output}`)));
  });
  return { port, stop: () => child.kill("SIGTERM") };
}

/** The server compresses dist/ in the background after it starts; measure what a reader gets. */
async function waitForCompression(base: string): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    const response = await fetch(`${base}/en/`, { headers: { "accept-encoding": "br" } });
    await response.arrayBuffer();
    if (response.headers.get("content-encoding") === "br") return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the server never served compressed pages");
}

const server = await startSiteServer();
const profile = await mkdtemp(join(tmpdir(), "ws-lab-lighthouse-"));
const chromium = await startChromium(profile);
const rows: string[][] = [];
const problems: string[] = [];
try {
  await waitForCompression(server.url);
  for (const { kind, slug } of kinds) {
    for (const lang of ["en", "ru"] as const) {
      const path = pageKindPath(lang, slug);
      const result = await lighthouse(`${server.url}${path}`, {
        port: chromium.port,
        output: "json",
        logLevel: "error",
        onlyCategories: [...categories],
      });
      if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
      const { lhr } = result;
      const score = (id: string) => String(Math.round((lhr.categories[id]?.score ?? 0) * 100));
      const ms = (id: string) => String(Math.round(lhr.audits[id]?.numericValue ?? 0));
      rows.push([kind, lang, ...categories.map(score), ms("total-blocking-time"), ms("largest-contentful-paint")]);
      for (const id of categories.slice(1)) {
        for (const ref of lhr.categories[id]?.auditRefs ?? []) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) problems.push(`${path} ${id}: ${audit.id}: ${audit.title}`);
        }
      }
      process.stderr.write(`${path} done\n`);
    }
  }
} finally {
  chromium.stop();
  await server.stop();
  await rm(profile, { recursive: true, force: true });
}

const header = ["page", "lang", "perf", "a11y", "best", "seo", "TBT ms", "LCP ms"];
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  "));
if (problems.length > 0) console.log(`\nBelow 100 because of:\n${problems.join("\n")}`);
