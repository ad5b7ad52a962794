import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";

const inlineScript = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;

async function* htmlFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* htmlFiles(path);
    else if (entry.isFile() && entry.name.endsWith(".html")) yield path;
  }
}

/** The 'sha256-…' source of every distinct inline script in the built pages. */
export async function inlineScriptHashes(root: string): Promise<string[]> {
  const hashes = new Set<string>();
  if (!existsSync(root)) return [];
  for await (const path of htmlFiles(root)) {
    const html = await readFile(path, "utf8");
    for (const match of html.matchAll(inlineScript)) {
      // The browser hashes the script's text exactly as it appears between the tags.
      hashes.add(`'sha256-${createHash("sha256").update(match[1]!, "utf8").digest("base64")}'`);
    }
  }
  return [...hashes].sort();
}

/**
 * A Content-Security-Policy for the built site: everything from our own origin; inline scripts only
 * by hash; inline styles allowed (syntax highlighting sets style attributes); WebAssembly for
 * Pagefind's search; WebSocket connections to any ws:/wss: URL the reader types in the terminal.
 */
export async function contentSecurityPolicy(root: string): Promise<string> {
  const scriptSources = ["'self'", ...(await inlineScriptHashes(root))];
  if (existsSync(join(root, "pagefind"))) scriptSources.push("'wasm-unsafe-eval'");
  return [
    "default-src 'self'",
    `script-src ${scriptSources.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join("; ");
}
