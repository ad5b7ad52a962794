import { createHash } from "node:crypto";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, test } from "vitest";
import { openWs, rawConnect, startTestServer, THEME_SCRIPT, type TestServer } from "./helpers.ts";

let server: TestServer;
let base: string;

beforeAll(async () => {
  server = await startTestServer();
  base = `http://${server.host}`;
});

async function rawGet(target: string): Promise<string> {
  const raw = await rawConnect(server.port);
  raw.send(`GET ${target} HTTP/1.1\r\nHost: ${server.host}\r\nConnection: close\r\n\r\n`);
  return (await raw.closed).toString("latin1");
}

describe("the built site", () => {
  test("a page is served as UTF-8 HTML that browsers revalidate", async () => {
    const response = await fetch(`${base}/en/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html;charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("etag")).toBeTruthy();
    expect(await response.text()).toContain("lesson text");
  });

  test("content-hashed assets under /_astro/ are cached for a year as immutable", async () => {
    const response = await fetch(`${base}/_astro/app.Ab12Cd34.js`);
    expect(response.headers.get("content-type")).toBe("text/javascript");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  test("text is sent brotli- or gzip-compressed to clients that accept it, and plain to others", async () => {
    const url = `${base}/_astro/app.Ab12Cd34.js`;
    const plain = await (await fetch(url, { headers: { "Accept-Encoding": "identity" } })).arrayBuffer();
    for (const [encoding, decompress] of [["br", brotliDecompressSync], ["gzip", gunzipSync]] as const) {
      const raw = await rawConnect(server.port);
      raw.send(`GET /_astro/app.Ab12Cd34.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: ${encoding}\r\nConnection: close\r\n\r\n`);
      const response = await raw.closed;
      const headEnd = response.indexOf("\r\n\r\n") + 4;
      const head = response.subarray(0, headEnd).toString("latin1");
      expect(head).toContain(`Content-Encoding: ${encoding}`);
      expect(head).toContain("Vary: Accept-Encoding");
      const body = response.subarray(headEnd);
      expect(body.length).toBeLessThan(plain.byteLength);
      expect(decompress(body).equals(Buffer.from(plain))).toBe(true);
    }
  });

  test("HEAD gets the headers of GET and no body", async () => {
    const response = await rawConnect(server.port);
    response.send(`HEAD /en/ HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n`);
    const text = (await response.closed).toString("latin1");
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toMatch(/Content-Length: [1-9]\d+\r\n/);
    expect(text.endsWith("\r\n\r\n")).toBe(true);
  });

  test("a missing page outside /en/ and /ru/ gets the bilingual 404 page with status 404", async () => {
    for (const path of ["/no-such-page/", "/enx/nope", "/de/nope/"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("This page is not here");
    }
  });

  for (const [lang, heading] of [["ru", "Русская 404"], ["en", "English 404"]] as const) {
    test(`a missing page under /${lang}/ gets /${lang}/404.html with status 404 and the page headers`, async () => {
      for (const path of [`/${lang}/nope`, `/${lang}/no-such-lesson/`, `/${lang}/a/b/c?x=1`]) {
        const response = await fetch(`${base}${path}`);
        expect(response.status).toBe(404);
        expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
        expect(response.headers.get("cache-control")).toBe("no-cache");
        expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
        const body = await response.text();
        expect(body).toContain(heading);
        expect(Number(response.headers.get("content-length"))).toBe(Buffer.byteLength(body));
      }
    });
  }

  test("a POST to the site is 405 with Allow: GET, HEAD", async () => {
    const response = await fetch(`${base}/en/`, { method: "POST", body: "x" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });

  for (const target of ["/../secret.txt", "/%2e%2e/secret.txt", "/_astro/..%2f..%2fsecret.txt", "/..\\secret.txt"]) {
    test(`the path ${target} cannot reach a file outside the site`, async () => {
      const response = await rawGet(target);
      expect(response).not.toContain("outside the site root");
      expect(response).toMatch(/^HTTP\/1\.1 (400|404) /);
    });
  }
});

describe("security headers", () => {
  test("every response carries a CSP that allows the page's inline script by its hash only", async () => {
    const hash = createHash("sha256").update(THEME_SCRIPT).digest("base64");
    for (const path of ["/", "/_astro/app.Ab12Cd34.js", "/missing", "/healthz"]) {
      const response = await fetch(`${base}${path}`);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp).toContain("connect-src 'self' ws: wss:");
      expect(csp).toContain("default-src 'self'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    }
  });
});

describe("/healthz", () => {
  test("reports the number of open WebSocket connections", async () => {
    const before = (await (await fetch(`${base}/healthz`)).json()) as { status: string; connections: number };
    expect(before).toEqual({ status: "ok", connections: 0, bytesHeld: 0 });
    const ws = await openWs(`ws://${server.host}/echo`);
    const during = (await (await fetch(`${base}/healthz`)).json()) as { connections: number };
    expect(during.connections).toBe(1);
    ws.close();
  });
});
