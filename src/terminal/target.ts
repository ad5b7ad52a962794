import type { Problem } from "./commands.ts";

/** Where `connect` goes: the sandbox in this page, or a server at a ws:// or wss:// URL. */
export type Target = { kind: "virtual"; path: string } | { kind: "remote"; url: URL };

/** The virtual server's default endpoint, and what `connect` with no URL opens. */
const DEFAULT_VIRTUAL_PATH = "/echo";

/**
 * Reads the argument of `connect`: nothing or `virtual[:/path]` is the in-page sandbox; a path
 * such as `/inspect` resolves against `base` (the page's address), with http(s) becoming ws(s);
 * anything else must be a ws:// or wss:// URL without a fragment (RFC 6455 §3).
 */
export function resolveTarget(input: string | null, base?: string): Target | Problem {
  if (input === null || input === "virtual" || input === "virtual:") return { kind: "virtual", path: DEFAULT_VIRTUAL_PATH };
  if (input.startsWith("virtual:")) {
    const path = input.slice("virtual:".length);
    return { kind: "virtual", path: path.startsWith("/") ? path : `/${path}` };
  }
  let url: URL;
  try {
    url = input.startsWith("/") && base ? new URL(input, base) : new URL(input);
  } catch {
    return input.startsWith("/")
      ? { key: "terminal.problem.urlRelative", params: { url: input } }
      : { key: "terminal.problem.url", params: { url: input } };
  }
  if (url.protocol === "http:") url.protocol = "ws:";
  else if (url.protocol === "https:") url.protocol = "wss:";
  if (url.protocol !== "ws:" && url.protocol !== "wss:") return { key: "terminal.problem.url", params: { url: input } };
  // 3: "Fragment identifiers are meaningless in the context of WebSocket URIs and MUST NOT be used".
  if (url.hash !== "" || input.includes("#")) return { key: "terminal.problem.urlFragment", params: { url: input } };
  return { kind: "remote", url };
}
