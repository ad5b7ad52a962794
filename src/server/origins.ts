import type { OriginCheck } from "../sandbox/index.ts";

const loopbackHostnames = new Set(["localhost", "127.0.0.1", "[::1]"]);

function parseOrigin(origin: string): URL | null {
  try {
    return new URL(origin);
  } catch {
    return null;
  }
}

function isSameOrigin(url: URL, host: string | null): boolean {
  if (host === null) return false;
  // Normalize the Host header the same way as the origin (default port dropped, lower case).
  const hostUrl = parseOrigin(`${url.protocol}//${host}`);
  return hostUrl !== null && hostUrl.host === url.host;
}

/**
 * The server's origin check (RFC 6455 §10.2 leaves it to the server): same-origin pages (Origin's host equals the Host header), pages served
 * from localhost, and the `allowed` list ("*" allows any). Requests without Origin (non-browser
 * clients) never reach this check.
 */
export function originPolicy(allowed: string): OriginCheck {
  const list = allowed.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (list.includes("*")) return () => true;
  const extra = new Set(list.map((o) => parseOrigin(o)?.origin ?? o));
  return (origin, host) => {
    const url = parseOrigin(origin);
    if (url === null) return false;
    return extra.has(url.origin) || loopbackHostnames.has(url.hostname) || url.hostname.endsWith(".localhost") || isSameOrigin(url, host);
  };
}
