import { HandshakeError, type HandshakeErrorCode, type HandshakeStatus } from "./errors.ts";
import { GrowingBytes } from "./growing.ts";
import { fromBase64, toBase64 } from "./base64.ts";
import { toHex } from "./hex.ts";
import { defaultRandomBytes, type RandomBytes } from "./random.ts";

/** 1.3: the GUID appended to the client's key before hashing. */
export const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** The only protocol version RFC 6455 defines (§4.1, §4.4). */
export const WEBSOCKET_VERSION = "13";

const encoder = new TextEncoder();

/** The three steps from a client key to `Sec-WebSocket-Accept`, for showing each one. */
export interface AcceptSteps {
  concatenated: string;
  sha1Hex: string;
  accept: string;
}

/** Computes the accept value step by step: key + GUID, its SHA-1, then base64 (§1.3, §4.2.2). */
export async function acceptSteps(key: string): Promise<AcceptSteps> {
  const concatenated = key + WEBSOCKET_GUID;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", encoder.encode(concatenated)));
  return { concatenated, sha1Hex: toHex(digest), accept: toBase64(digest) };
}

/** The `Sec-WebSocket-Accept` value for a client's `Sec-WebSocket-Key` (§4.2.2 step 5). */
export async function computeAccept(key: string): Promise<string> {
  return (await acceptSteps(key)).accept;
}

/** A synchronous SHA-1 digest, such as one built on node:crypto's `createHash("sha1")`. */
export type Sha1 = (data: Uint8Array) => Uint8Array;

/**
 * `computeAccept` with a SHA-1 the caller brings, without waiting: a server that has a synchronous
 * hash answers the handshake in the same turn as the request (crypto.subtle only has a promise).
 */
export function computeAcceptWith(key: string, sha1: Sha1): string {
  return toBase64(sha1(encoder.encode(key + WEBSOCKET_GUID)));
}

/** What is wrong with a `Sec-WebSocket-Key` value, or null if it is base64 of exactly 16 bytes (§4.1). */
export function keyProblem(key: string | null | undefined): "key-missing" | "key-not-base64" | "key-wrong-length" | null {
  if (key === null || key === undefined || key.trim() === "") return "key-missing";
  const bytes = fromBase64(key.trim());
  if (!bytes) return "key-not-base64";
  return bytes.length === 16 ? null : "key-wrong-length";
}

/** A fresh `Sec-WebSocket-Key`: 16 random bytes in base64 (§4.1). */
export function generateKey(randomBytes: RandomBytes = defaultRandomBytes): string {
  return toBase64(randomBytes(16));
}

/** Header fields of an HTTP head: `headers` has lower-case names with repeated fields joined by ", ". */
export interface HttpHeaders {
  headers: Map<string, string>;
  rawHeaders: Array<[string, string]>;
}

/** A parsed request line and header fields. */
export interface RequestHead extends HttpHeaders {
  method: string;
  target: string;
  httpVersion: string;
}

/** A parsed status line and header fields. */
export interface ResponseHead extends HttpHeaders {
  httpVersion: string;
  status: number;
  reason: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Index just after the `\r\n\r\n` that ends an HTTP head, or -1 if it has not arrived yet. */
export function findHeadEnd(bytes: Uint8Array, from = 0): number {
  for (let i = Math.max(from, 3); i < bytes.length; i++) {
    if (bytes[i] === 10 && bytes[i - 1] === 13 && bytes[i - 2] === 10 && bytes[i - 3] === 13) return i + 1;
  }
  return -1;
}

/** A complete HTTP head and the bytes that came after it in the same chunks (already frames). */
export interface HeadSplit {
  head: Uint8Array;
  rest: Uint8Array;
}

/**
 * An HTTP head arriving in chunks cut anywhere: gathered in one growing array, each byte scanned
 * once for the blank line (a peer that sends an endless header line costs linear time), and
 * refused once it is longer than `maxSize` without ending.
 */
export class HeadBuffer {
  /** The head went past `maxSize` without its blank line; nothing more is kept. */
  tooLarge = false;
  private readonly maxSize: number;
  private readonly buffer = new GrowingBytes();

  constructor(maxSize: number) {
    this.maxSize = maxSize;
  }

  /** Bytes kept while the head is incomplete. */
  get bytesHeld(): number {
    return this.buffer.bytesHeld;
  }

  /** Adds a chunk; returns the head and what follows it once the blank line is in, else null. */
  push(chunk: Uint8Array): HeadSplit | null {
    if (this.tooLarge) return null;
    const buffer = this.buffer;
    const before = buffer.length;
    let bytes = chunk;
    if (before > 0) {
      buffer.reserve(before + chunk.length, Number.MAX_SAFE_INTEGER).set(chunk, before);
      buffer.length = before + chunk.length;
      bytes = buffer.bytes.subarray(0, buffer.length);
    }
    // The blank line may straddle the chunks: look again from just before the new bytes.
    const end = findHeadEnd(bytes, Math.max(0, before - 3));
    if (end !== -1 && end <= this.maxSize) {
      buffer.take();
      return { head: bytes.subarray(0, end), rest: bytes.subarray(end) };
    }
    if (bytes.length > this.maxSize) {
      this.tooLarge = true;
      buffer.take();
    } else if (before === 0) {
      buffer.reserve(chunk.length, Number.MAX_SAFE_INTEGER).set(chunk);
      buffer.length = chunk.length;
    }
    return null;
  }
}

function headLines(input: string | Uint8Array): string[] {
  // Header bytes are ASCII (RFC 7230 §3.2.4); any other byte keeps its Latin-1 value and fails the checks.
  const text = typeof input === "string" ? input : String.fromCharCode(...input.subarray(0, 65536));
  const end = text.search(/\r?\n\r?\n/);
  return (end === -1 ? text : text.slice(0, end)).split(/\r?\n/);
}

function parseHeaderLines(lines: string[], fail: (message: string) => HandshakeError): HttpHeaders {
  const headers = new Map<string, string>();
  const rawHeaders: Array<[string, string]> = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    // RFC 7230 §3.2.4: no whitespace before the colon, and no obsolete line folding.
    if (colon <= 0 || !TOKEN.test(name)) throw fail(`malformed header line: ${JSON.stringify(line)}`);
    const value = line.slice(colon + 1).trim();
    rawHeaders.push([name, value]);
    const key = name.toLowerCase();
    const previous = headers.get(key);
    headers.set(key, previous === undefined ? value : `${previous}, ${value}`);
  }
  return { headers, rawHeaders };
}

/**
 * Parses an HTTP request head (text or bytes, up to the blank line).
 * @throws HandshakeError `malformed-head` (400).
 */
export function parseRequestHead(input: string | Uint8Array): RequestHead {
  const fail = (message: string) => new HandshakeError("malformed-head", 400, message);
  const [requestLine = "", ...lines] = headLines(input);
  const match = /^(\S+) (\S+) HTTP\/(\d+\.\d+)$/.exec(requestLine);
  if (!match) throw fail(`malformed request line: ${JSON.stringify(requestLine)}`);
  return { method: match[1]!, target: match[2]!, httpVersion: match[3]!, ...parseHeaderLines(lines, fail) };
}

/**
 * Parses an HTTP response head (text or bytes, up to the blank line).
 * @throws HandshakeError `response-malformed` (client side, status null).
 */
export function parseResponseHead(input: string | Uint8Array): ResponseHead {
  const fail = (message: string) => new HandshakeError("response-malformed", null, message);
  const [statusLine = "", ...lines] = headLines(input);
  const match = /^HTTP\/(\d+\.\d+) (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!match) throw fail(`malformed status line: ${JSON.stringify(statusLine)}`);
  return {
    httpVersion: match[1]!,
    status: Number(match[2]),
    reason: match[3] ?? "",
    ...parseHeaderLines(lines, fail),
  };
}

function tokenList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== "");
}

/** Whether an `Upgrade` header value names the websocket protocol (a case-insensitive token, §4.2.1). */
export function asksForWebSocket(upgrade: string | undefined): boolean {
  return tokenList(upgrade).includes("websocket");
}

/**
 * Reads a `Sec-WebSocket-Protocol` value into its subprotocol names, in the client's order of preference.
 * @throws HandshakeError `protocols-invalid` (400) for a name that is not a token or is repeated (§4.1).
 */
export function parseProtocols(value: string | undefined): string[] {
  const names = (value ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  for (const [index, name] of names.entries()) {
    if (!TOKEN.test(name) || names.indexOf(name) !== index) {
      throw new HandshakeError("protocols-invalid", 400, `bad subprotocol name ${JSON.stringify(name)}`);
    }
  }
  return names;
}

/** The subprotocol to answer with: the client's most preferred one that the server supports, or null (§4.2.2). */
export function chooseSubprotocol(offered: readonly string[], supported: readonly string[]): string | null {
  return offered.find((name) => supported.includes(name)) ?? null;
}

/** One extension in a `Sec-WebSocket-Extensions` list with its parameters; a bare parameter has value null. */
export interface ExtensionOffer {
  name: string;
  params: Array<{ name: string; value: string | null }>;
}

/**
 * Parses a `Sec-WebSocket-Extensions` value (§9.1), with quoted parameter values.
 * @throws HandshakeError `extensions-invalid` (400) naming the position of the problem.
 */
export function parseExtensions(value: string | undefined): ExtensionOffer[] {
  const text = value ?? "";
  let i = 0;
  const fail = (what: string) =>
    new HandshakeError("extensions-invalid", 400, `${what} at position ${i} of ${JSON.stringify(text)}`);
  const skipSpace = () => {
    while (text[i] === " " || text[i] === "\t") i++;
  };
  const token = (what: string) => {
    const match = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/.exec(text.slice(i));
    if (!match) throw fail(`expected ${what}`);
    i += match[0].length;
    return match[0];
  };
  const quoted = () => {
    let out = "";
    for (i++; i < text.length && text[i] !== '"'; i++) out += text[i] === "\\" ? text[++i] ?? "" : text[i];
    if (text[i] !== '"') throw fail("unterminated quoted string");
    i++;
    // 9.1: a quoted value "MUST conform to the 'token' ABNF" once unquoted.
    if (!TOKEN.test(out)) throw fail("quoted value is not a token");
    return out;
  };
  const offers: ExtensionOffer[] = [];
  while (i < text.length) {
    skipSpace();
    // RFC 7230 §7: empty list elements are allowed and ignored.
    if (text[i] === "," || i === text.length) {
      i++;
      continue;
    }
    const offer: ExtensionOffer = { name: token("an extension name"), params: [] };
    skipSpace();
    while (text[i] === ";") {
      i++;
      skipSpace();
      const name = token("a parameter name");
      skipSpace();
      let paramValue: string | null = null;
      if (text[i] === "=") {
        i++;
        skipSpace();
        paramValue = text[i] === '"' ? quoted() : token("a parameter value");
        skipSpace();
      }
      offer.params.push({ name, value: paramValue });
    }
    if (i < text.length && text[i] !== ",") throw fail("expected ',' or ';'");
    offers.push(offer);
    i++;
  }
  return offers;
}

/** Stable ids of the checks a server makes on an upgrade request, in RFC order (§4.2.1). */
export type RequestCheckId =
  | "head"
  | "method"
  | "http-version"
  | "host"
  | "upgrade"
  | "connection"
  | "key"
  | "version"
  | "origin"
  | "protocols"
  | "extensions";

/** Stable ids of the checks a client makes on the server's response (§4.1). */
export type ResponseCheckId = "status" | "upgrade" | "connection" | "accept" | "protocol" | "extensions";

/** One named check: the header value it looked at, and the error if it failed. */
export interface HandshakeCheck<Id extends string> {
  id: Id;
  passed: boolean;
  value: string | null;
  error: HandshakeError | null;
}

/** What a server supports and allows when it checks a request. */
export interface ServerHandshakeOptions {
  /** Subprotocols the server speaks; the client's first one among them is chosen. */
  protocols?: readonly string[];
  /** Origins allowed to connect (§10.2); a request without Origin (not a browser) passes. Unset: any. */
  allowedOrigins?: readonly string[];
}

/** The outcome of checking a client's upgrade request. */
export interface ClientRequestCheck {
  ok: boolean;
  checks: Array<HandshakeCheck<RequestCheckId>>;
  /** The first failed check's error: its status is the HTTP answer. */
  error: HandshakeError | null;
  request: RequestHead | null;
  key: string | null;
  offeredProtocols: string[];
  protocol: string | null;
  extensions: ExtensionOffer[];
}

function check<Id extends string>(
  id: Id,
  value: string | null,
  failure: [HandshakeErrorCode, HandshakeStatus, string] | null,
): HandshakeCheck<Id> {
  const error = failure ? new HandshakeError(...failure) : null;
  return { id, passed: error === null, value, error };
}

function attempt<T>(parse: () => T, fallback: T): [T, HandshakeError | null] {
  try {
    return [parse(), null];
  } catch (error) {
    if (error instanceof HandshakeError) return [fallback, error];
    throw error;
  }
}

/** Checks a client's upgrade request against every rule of §4.2.1, reporting each check by name. */
export function checkClientRequest(
  input: RequestHead | string | Uint8Array,
  options: ServerHandshakeOptions = {},
): ClientRequestCheck {
  const [request, headError] =
    typeof input === "string" || input instanceof Uint8Array
      ? attempt<RequestHead | null>(() => parseRequestHead(input), null)
      : [input, null];
  if (!request) {
    const checks = [{ id: "head" as const, passed: false, value: null, error: headError }];
    return { ok: false, checks, error: headError, request: null, key: null, offeredProtocols: [], protocol: null, extensions: [] };
  }
  const get = (name: string) => request.headers.get(name) ?? null;
  const checks: Array<HandshakeCheck<RequestCheckId>> = [];
  checks.push(
    check("method", request.method, request.method === "GET" ? null : ["method-not-get", 405, `method ${request.method} is not GET`]),
  );
  const [major = 0, minor = 0] = request.httpVersion.split(".").map(Number);
  // 4.2.1 asks for "HTTP/1.1 or higher", but a request line is HTTP/1.x (RFC 9112 §2.3): HTTP/2
  // has none, and carries WebSockets by other means (RFC 8441).
  checks.push(
    check("http-version", `HTTP/${request.httpVersion}`, major === 1 && minor >= 1 ? null : [
      "http-version", 400, `HTTP/${request.httpVersion} is not HTTP/1.1`,
    ]),
  );
  checks.push(hostCheck(request));
  const upgrade = get("upgrade");
  checks.push(
    check("upgrade", upgrade, asksForWebSocket(upgrade ?? undefined) ? null : [
      "upgrade-not-websocket", 400, "upgrade header does not name websocket",
    ]),
  );
  const connection = get("connection");
  checks.push(
    check("connection", connection, tokenList(connection ?? undefined).includes("upgrade") ? null : [
      "connection-not-upgrade", 400, "connection header has no upgrade token",
    ]),
  );
  const key = get("sec-websocket-key");
  const problem = keyProblem(key);
  checks.push(check("key", key, problem ? [problem, 400, keyMessages[problem]] : null));
  const version = get("sec-websocket-version");
  checks.push(
    check("version", version, version === null ? ["version-missing", 426, "no sec-websocket-version header"]
      : version.trim() === WEBSOCKET_VERSION ? null
      : ["version-unsupported", 426, `version ${version} is not 13`]),
  );
  if (options.allowedOrigins) {
    const origin = get("origin");
    const allowed = origin === null || options.allowedOrigins.includes(origin);
    checks.push(check("origin", origin, allowed ? null : ["origin-forbidden", 403, `origin ${origin} is not allowed`]));
  }
  const protocolHeader = get("sec-websocket-protocol");
  const [offeredProtocols, protocolError] = attempt(() => parseProtocols(protocolHeader ?? undefined), []);
  checks.push({ id: "protocols", passed: !protocolError, value: protocolHeader, error: protocolError });
  const extensionHeader = get("sec-websocket-extensions");
  const [extensions, extensionError] = attempt(() => parseExtensions(extensionHeader ?? undefined), []);
  checks.push({ id: "extensions", passed: !extensionError, value: extensionHeader, error: extensionError });
  const error = checks.find((c) => c.error)?.error ?? null;
  return {
    ok: error === null,
    checks,
    error,
    request,
    key: problem ? null : key!.trim(),
    offeredProtocols,
    protocol: chooseSubprotocol(offeredProtocols, options.protocols ?? []),
    extensions,
  };
}

// RFC 3986 §3.2.2-3.2.3: an IP literal in brackets, or a reg-name / IPv4 address, then an optional port.
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9\-._~!$&'()*+;=%]+)(?::\d*)?$/i;

/**
 * RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
 * request message that lacks a Host header field and to any request message that contains more
 * than one Host header field line or a Host header field with an invalid field value." An
 * absolute-form target names the host itself (§3.2.2); one naming another host than `Host` asks
 * this server to act as a proxy for it, which it is not.
 */
function hostCheck(request: RequestHead): HandshakeCheck<"host"> {
  const lines = request.rawHeaders.filter(([name]) => name.toLowerCase() === "host");
  const host = lines.length === 1 ? lines[0]![1] : (request.headers.get("host") ?? null);
  if (lines.length === 0) return check("host", null, ["host-missing", 400, "no host header"]);
  if (lines.length > 1) return check("host", host, ["host-invalid", 400, "more than one host header"]);
  if (!HOST.test(host!)) return check("host", host, ["host-invalid", 400, `host ${JSON.stringify(host)} is not a host[:port]`]);
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(request.target)?.[1];
  if (authority !== undefined && authority.toLowerCase() !== host!.toLowerCase()) {
    return check("host", host, ["host-mismatch", 400, `the target names ${authority}, the host header ${host}`]);
  }
  return check("host", host, null);
}

const keyMessages = {
  "key-missing": "no sec-websocket-key header",
  "key-not-base64": "sec-websocket-key is not base64",
  "key-wrong-length": "sec-websocket-key does not decode to 16 bytes",
} as const;

/** The server's answer to an upgrade request: a 101 with accept key, or an HTTP error. */
export interface ClientRequestAnswer {
  ok: boolean;
  response: string;
  check: ClientRequestCheck;
}

/** Checks a request and builds the whole answer: the 101 (§4.2.2) or the error response for the first failure. */
export async function answerClientRequest(
  input: RequestHead | string | Uint8Array,
  options: ServerHandshakeOptions = {},
): Promise<ClientRequestAnswer> {
  const result = checkClientRequest(input, options);
  if (result.error || !result.key) {
    return { ok: false, response: httpErrorFor(result.error!), check: result };
  }
  const response = buildServerResponse({ accept: await computeAccept(result.key), protocol: result.protocol });
  return { ok: true, response, check: result };
}

/** What goes into a 101 response; `accept` comes from `computeAccept`. */
export interface ServerResponseInit {
  accept: string;
  protocol?: string | null;
  extensions?: string | null;
  headers?: Record<string, string>;
}

function head(startLine: string, headers: Array<[string, string | null | undefined]>): string {
  const lines = [startLine];
  for (const [name, value] of headers) if (value !== null && value !== undefined) lines.push(`${name}: ${value}`);
  return lines.join("\r\n") + "\r\n\r\n";
}

/** Builds the 101 Switching Protocols head; no subprotocol means no `Sec-WebSocket-Protocol` (§4.2.2). */
export function buildServerResponse(init: ServerResponseInit): string {
  return head("HTTP/1.1 101 Switching Protocols", [
    ["Upgrade", "websocket"],
    ["Connection", "Upgrade"],
    ["Sec-WebSocket-Accept", init.accept],
    ["Sec-WebSocket-Protocol", init.protocol],
    ["Sec-WebSocket-Extensions", init.extensions],
    ...Object.entries(init.headers ?? {}),
  ]);
}

/** What goes into a client's upgrade request. */
export interface ClientRequestInit {
  host: string;
  path?: string;
  key: string;
  protocols?: readonly string[];
  extensions?: string;
  origin?: string;
  headers?: Record<string, string>;
}

/** Builds a client's upgrade request head (§4.1). */
export function buildClientRequest(init: ClientRequestInit): string {
  return head(`GET ${init.path ?? "/"} HTTP/1.1`, [
    ["Host", init.host],
    ["Upgrade", "websocket"],
    ["Connection", "Upgrade"],
    ["Sec-WebSocket-Key", init.key],
    ["Sec-WebSocket-Version", WEBSOCKET_VERSION],
    ["Sec-WebSocket-Protocol", init.protocols?.length ? init.protocols.join(", ") : null],
    ["Sec-WebSocket-Extensions", init.extensions],
    ["Origin", init.origin],
    ...Object.entries(init.headers ?? {}),
  ]);
}

const reasonPhrases: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  426: "Upgrade Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  503: "Service Unavailable",
};

/**
 * Builds a plain-text HTTP error response that closes the connection. A 405 names `Allow: GET`,
 * a 426 names `Sec-WebSocket-Version: 13` (§4.2.2, §4.4).
 */
export function buildHttpError(status: number, body: string, extraHeaders: Record<string, string> = {}): string {
  const text = body.endsWith("\n") ? body : `${body}\n`;
  return (
    head(`HTTP/1.1 ${status} ${reasonPhrases[status] ?? "Error"}`, [
      ["Content-Type", "text/plain; charset=utf-8"],
      ["Content-Length", String(encoder.encode(text).length)],
      ["Connection", "close"],
      ["Allow", status === 405 ? "GET" : null],
      ["Sec-WebSocket-Version", status === 426 ? WEBSOCKET_VERSION : null],
      ...Object.entries(extraHeaders),
    ]) + text
  );
}

/** The HTTP response for a failed handshake check: its status, with the stable code and message as body. */
export function httpErrorFor(error: HandshakeError): string {
  return buildHttpError(error.status ?? 400, `${error.code}: ${error.message}`);
}

/** Most bytes of a refusal's body a client reads to find its reason. */
export const MAX_REFUSAL_BODY = 1024;

/** Why a server refused the upgrade, as far as its body says: `buildHttpError` bodies start with a stable code. */
export interface HttpRefusal {
  /** The kebab-case code before the first `:` (`not-found`), or null when the body does not start with one. */
  code: string | null;
  /** The body's first line as received (empty without a body); untrusted text. */
  line: string;
}

const REFUSAL_CODE = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*):(?: |$)/;
const lenientUtf8 = new TextDecoder("utf-8");

/** Body bytes worth waiting for: Content-Length capped at MAX_REFUSAL_BODY, none when there is no plain body. */
function refusalBodyLength(response: ResponseHead): number {
  // RFC 9110 §6.4.1: 1xx, 204 and 304 responses never have a body, so there is nothing to wait for.
  if (response.status < 200 || response.status === 204 || response.status === 304) return 0;
  const encoding = response.headers.get("content-encoding");
  // A chunked or compressed body would need decoding first; the status alone still explains the refusal.
  if (response.headers.has("transfer-encoding") || (encoding !== undefined && encoding.toLowerCase() !== "identity")) return 0;
  const length = response.headers.get("content-length");
  return length !== undefined && /^\d+$/.test(length) ? Math.min(Number(length), MAX_REFUSAL_BODY) : MAX_REFUSAL_BODY;
}

/**
 * Reads the reason from the body that follows a non-101 response head: null while more bytes are
 * worth waiting for (no line end yet, fewer than Content-Length or MAX_REFUSAL_BODY, not `ended`).
 */
export function readRefusal(response: ResponseHead, body: Uint8Array, ended: boolean): HttpRefusal | null {
  const wanted = refusalBodyLength(response);
  const shown = body.subarray(0, wanted);
  const lineEnd = shown.indexOf(10);
  if (lineEnd === -1 && shown.length < wanted && !ended) return null;
  const line = lenientUtf8.decode(lineEnd === -1 ? shown : shown.subarray(0, lineEnd)).replace(/\r$/, "");
  return { code: REFUSAL_CODE.exec(line)?.[1] ?? null, line };
}

/** What the client asked for, to hold the server's response against. */
export interface ClientHandshakeExpectation {
  key: string;
  protocols?: readonly string[];
  extensions?: readonly string[];
}

/** The outcome of checking a server's response on the client side. */
export interface ServerResponseCheck {
  ok: boolean;
  checks: Array<HandshakeCheck<ResponseCheckId>>;
  error: HandshakeError | null;
  response: ResponseHead | null;
  protocol: string | null;
  extensions: ExtensionOffer[];
}

/** Checks a server's handshake response as a client must (§4.1, the numbered list after the request). */
export async function checkServerResponse(
  input: ResponseHead | string | Uint8Array,
  expected: ClientHandshakeExpectation,
): Promise<ServerResponseCheck> {
  const [response, headError] =
    typeof input === "string" || input instanceof Uint8Array
      ? attempt<ResponseHead | null>(() => parseResponseHead(input), null)
      : [input, null];
  if (!response) {
    const checks = [{ id: "status" as const, passed: false, value: null, error: headError }];
    return { ok: false, checks, error: headError, response: null, protocol: null, extensions: [] };
  }
  const get = (name: string) => response.headers.get(name) ?? null;
  const checks: Array<HandshakeCheck<ResponseCheckId>> = [];
  checks.push(
    check("status", String(response.status), response.status === 101 ? null : [
      "response-status", null, `status ${response.status} is not 101`,
    ]),
  );
  const upgrade = get("upgrade");
  checks.push(
    check("upgrade", upgrade, upgrade?.trim().toLowerCase() === "websocket" ? null : [
      "response-upgrade", null, "upgrade header is not websocket",
    ]),
  );
  const connection = get("connection");
  checks.push(
    check("connection", connection, tokenList(connection ?? undefined).includes("upgrade") ? null : [
      "response-connection", null, "connection header has no upgrade token",
    ]),
  );
  const accept = get("sec-websocket-accept");
  const expectedAccept = await computeAccept(expected.key);
  checks.push(
    check("accept", accept, accept === null ? ["accept-missing", null, "no sec-websocket-accept header"]
      : accept.trim() === expectedAccept ? null
      : ["accept-mismatch", null, `sec-websocket-accept ${accept} is not ${expectedAccept}`]),
  );
  const protocol = get("sec-websocket-protocol");
  checks.push(
    check("protocol", protocol, protocol === null || (expected.protocols ?? []).includes(protocol.trim()) ? null : [
      "protocol-unrequested", null, `server chose subprotocol ${protocol} that was not offered`,
    ]),
  );
  const extensionHeader = get("sec-websocket-extensions");
  const [extensions, extensionError] = attempt(() => parseExtensions(extensionHeader ?? undefined), []);
  const unrequested = extensions.find((offer) => !(expected.extensions ?? []).includes(offer.name));
  checks.push({
    id: "extensions",
    passed: !extensionError && !unrequested,
    value: extensionHeader,
    error: unrequested
      ? new HandshakeError("extension-unrequested", null, `server chose extension ${unrequested.name} that was not offered`)
      : extensionError && new HandshakeError("extensions-invalid", null, extensionError.message),
  });
  const error = checks.find((c) => c.error)?.error ?? null;
  return { ok: error === null, checks, error, response, protocol: protocol?.trim() ?? null, extensions };
}
