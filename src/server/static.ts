import type { IncomingMessage, ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import sirv from "sirv";
import { locales } from "../i18n/index.ts";
import { contentSecurityPolicy } from "./csp.ts";
import { precompress } from "./precompress.ts";

/** Responds to one plain HTTP request. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Headers sent with every HTTP response, pages and errors alike. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
}

function readPage(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The page for a missing path: under `/en/` or `/ru/` that language's `404.html`, so the reader
 * stays in the site's chrome and language; anywhere else the root `404.html`, which speaks both.
 */
function notFoundPages(root: string): (url: string) => Buffer {
  const fallback = readPage(join(root, "404.html")) ?? Buffer.from("<!DOCTYPE html><title>404</title><h1>404 Not Found</h1>\n");
  const byLang = new Map<string, Buffer>(locales.map((lang) => [lang, readPage(join(root, lang, "404.html")) ?? fallback]));
  return (url) => byLang.get(/^\/([^/?#]+)\//.exec(url)?.[1] ?? "") ?? fallback;
}

/** The site handler, the headers it sends, and when the compressed variants are being served. */
export interface SiteHandler {
  handle: RequestHandler;
  headers: Record<string, string>;
  /** Resolves once `.br`/`.gz` files exist and are served; until then responses are uncompressed. */
  precompressed: Promise<void>;
}

/**
 * Serves the built site from `root` with sirv: precompressed brotli/gzip variants, ETags, a year of
 * immutable caching for Astro's content-hashed `/_astro/` assets and revalidation for everything
 * else, a 404 page (see `notFoundPages`) with status 404, and only GET and HEAD. sirv looks files up in a list made when
 * it is created, so no request path can reach outside `root`.
 */
export async function createSiteHandler(rootDir: string): Promise<SiteHandler> {
  const root = resolve(rootDir);
  const headers = securityHeaders(await contentSecurityPolicy(root));
  const notFoundFor = notFoundPages(root);

  const createServe = () =>
    sirv(root, {
      etag: true,
      brotli: true,
      gzip: true,
      dotfiles: false,
      setHeaders(res, pathname) {
        res.setHeader("Cache-Control", pathname.startsWith("/_astro/") ? "public, max-age=31536000, immutable" : "no-cache");
      },
      onNoMatch(req, res) {
        const notFound = notFoundFor(req.url ?? "/");
        res.writeHead(404, { "Content-Type": "text/html; charset=utf-8", "Content-Length": notFound.length, "Cache-Control": "no-cache" });
        res.end(req.method === "HEAD" ? undefined : notFound);
      },
    });
  let serve = createServe();
  // Compressing takes seconds on a fresh build: serve plain files meanwhile, then a new file list.
  const precompressed = precompress(root).then(
    (written) => {
      if (written > 0) serve = createServe();
    },
    (error: unknown) => {
      process.stderr.write(`ws-lab: precompressing ${root} failed, serving it uncompressed: ${String(error)}\n`);
    },
  );

  const handle: RequestHandler = (req, res) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" });
      res.end("405 Method Not Allowed\n");
      return;
    }
    serve(req, res);
  };
  return { handle, headers, precompressed };
}
