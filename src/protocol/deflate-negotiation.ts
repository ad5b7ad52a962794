import { HandshakeError } from "./errors.ts";
import type { ExtensionOffer } from "./handshake.ts";

/** The extension's registered name (RFC 7692 §7). */
export const PERMESSAGE_DEFLATE = "permessage-deflate";

/** What both sides use once permessage-deflate is agreed (RFC 7692 §7.1): every field concrete. */
export interface DeflateParams {
  /** The server starts every message it compresses with an empty window (§7.1.1.1). */
  serverNoContextTakeover: boolean;
  /** The client starts every message it compresses with an empty window (§7.1.1.2). */
  clientNoContextTakeover: boolean;
  /** The largest LZ77 window the server compresses with, as a power of two, 8-15 (§7.1.2.1). */
  serverMaxWindowBits: number;
  /** The largest LZ77 window the client compresses with, 8-15 (§7.1.2.2). */
  clientMaxWindowBits: number;
}

/** One offer of permessage-deflate as a client wrote it; null window bits were not named, `true` named without a value. */
export interface DeflateOffer {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number | null;
  clientMaxWindowBits: number | true | null;
}

/**
 * What one side wants: a server answers offers with it, a client builds its offer from it. Unset
 * fields leave the choice to the peer (context takeover on, 15-bit windows).
 */
export interface DeflatePolicy {
  /** Server: always answer `server_no_context_takeover` (§7.1.1.1 lets it); client: ask for it. */
  serverNoContextTakeover?: boolean;
  /** Server: answer `client_no_context_takeover`; client: offer it. */
  clientNoContextTakeover?: boolean;
  /** Server: compress with at most this window; client: ask the server for it. */
  serverMaxWindowBits?: number;
  /** Server: ask the client for this window when it offered `client_max_window_bits`; client: offer this value. */
  clientMaxWindowBits?: number;
}

/** The default window, 32 KiB, when nobody names a smaller one. */
export const MAX_WINDOW_BITS = 15;
export const MIN_WINDOW_BITS = 8;

// §7.1.2.1: window bits are 1*DIGIT without a leading zero, from 8 to 15.
const WINDOW_BITS = /^(?:[89]|1[0-5])$/;

/** Why a permessage-deflate offer or response cannot be used. */
type Problem = string;

function windowBits(value: string | null): number | Problem {
  if (value === null || !WINDOW_BITS.test(value)) return `window bits ${JSON.stringify(value)} is not 8 to 15`;
  return Number(value);
}

/**
 * Reads one offer's parameters (§7: a server declines an offer with an unknown parameter, a
 * duplicate, or an invalid value); returns the reason as a string when it must be declined.
 */
export function parseDeflateOffer(offer: ExtensionOffer): DeflateOffer | Problem {
  const result: DeflateOffer = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: null, clientMaxWindowBits: null };
  const seen = new Set<string>();
  for (const { name, value } of offer.params) {
    const key = name.toLowerCase();
    if (seen.has(key)) return `parameter ${name} appears twice`;
    seen.add(key);
    switch (key) {
      case "server_no_context_takeover":
      case "client_no_context_takeover":
        if (value !== null) return `parameter ${name} takes no value`;
        if (key === "server_no_context_takeover") result.serverNoContextTakeover = true;
        else result.clientNoContextTakeover = true;
        break;
      case "server_max_window_bits": {
        const bits = windowBits(value);
        if (typeof bits === "string") return bits;
        result.serverMaxWindowBits = bits;
        break;
      }
      case "client_max_window_bits": {
        // §7.1.2.2: in an offer it may have no value ("I can limit my window if you ask").
        if (value === null) {
          result.clientMaxWindowBits = true;
          break;
        }
        const bits = windowBits(value);
        if (typeof bits === "string") return bits;
        result.clientMaxWindowBits = bits;
        break;
      }
      default:
        return `unknown parameter ${name}`;
    }
  }
  return result;
}

/** The server's decision on a request's extension offers. */
export interface DeflateAcceptance {
  params: DeflateParams;
  /** The `Sec-WebSocket-Extensions` value of the 101 response. */
  header: string;
  /** Which element of the offers list was accepted (0-based). */
  offerIndex: number;
}

/** What the server made of each permessage-deflate offer, for /inspect and the lesson. */
export interface DeflateDecision {
  accepted: DeflateAcceptance | null;
  /** Offers declined, by index in the list, with the reason. */
  declined: Array<{ offerIndex: number; reason: string }>;
}

/**
 * A server's choice (§5, §7.1): the first permessage-deflate offer it can accept wins; an offer
 * with an unknown or repeated parameter or a bad value is declined, and the next one is tried.
 */
export function acceptDeflate(offers: readonly ExtensionOffer[], policy: DeflatePolicy = {}): DeflateDecision {
  const declined: DeflateDecision["declined"] = [];
  for (let offerIndex = 0; offerIndex < offers.length; offerIndex++) {
    const offer = offers[offerIndex]!;
    if (offer.name.toLowerCase() !== PERMESSAGE_DEFLATE) continue;
    const parsed = parseDeflateOffer(offer);
    if (typeof parsed === "string") {
      declined.push({ offerIndex, reason: parsed });
      continue;
    }
    const params = answer(parsed, policy);
    return { accepted: { params, header: responseHeader(params, parsed, policy), offerIndex }, declined };
  }
  return { accepted: null, declined };
}

function answer(offer: DeflateOffer, policy: DeflatePolicy): DeflateParams {
  const ownBits = policy.serverMaxWindowBits ?? MAX_WINDOW_BITS;
  const wantedClientBits = policy.clientMaxWindowBits ?? MAX_WINDOW_BITS;
  const offeredClientBits = offer.clientMaxWindowBits;
  return {
    serverNoContextTakeover: offer.serverNoContextTakeover || (policy.serverNoContextTakeover ?? false),
    // An offer of client_no_context_takeover is the client saying it will not keep its window:
    // accepting it spares the server the inflation window.
    clientNoContextTakeover: offer.clientNoContextTakeover || (policy.clientNoContextTakeover ?? false),
    serverMaxWindowBits: Math.min(ownBits, offer.serverMaxWindowBits ?? MAX_WINDOW_BITS),
    // §7.1.2.2: the client's window can only be limited if it offered client_max_window_bits.
    clientMaxWindowBits:
      offeredClientBits === null ? MAX_WINDOW_BITS : Math.min(wantedClientBits, offeredClientBits === true ? MAX_WINDOW_BITS : offeredClientBits),
  };
}

function responseHeader(params: DeflateParams, offer: DeflateOffer, policy: DeflatePolicy): string {
  const parts: string[] = [PERMESSAGE_DEFLATE];
  if (params.serverNoContextTakeover) parts.push("server_no_context_takeover");
  if (params.clientNoContextTakeover) parts.push("client_no_context_takeover");
  // §7.1.2.1: an offered server_max_window_bits is answered with the same or a smaller value.
  if (offer.serverMaxWindowBits !== null || params.serverMaxWindowBits < MAX_WINDOW_BITS) {
    parts.push(`server_max_window_bits=${params.serverMaxWindowBits}`);
  }
  if (offer.clientMaxWindowBits !== null && (typeof offer.clientMaxWindowBits === "number" || policy.clientMaxWindowBits !== undefined)) {
    parts.push(`client_max_window_bits=${params.clientMaxWindowBits}`);
  }
  return parts.join("; ");
}

/** A client's `Sec-WebSocket-Extensions` offer; with no policy it is what browsers send. */
export function deflateOfferHeader(policy: DeflatePolicy = {}): string {
  const parts: string[] = [PERMESSAGE_DEFLATE];
  if (policy.serverNoContextTakeover) parts.push("server_no_context_takeover");
  if (policy.clientNoContextTakeover) parts.push("client_no_context_takeover");
  if (policy.serverMaxWindowBits !== undefined) parts.push(`server_max_window_bits=${policy.serverMaxWindowBits}`);
  parts.push(policy.clientMaxWindowBits !== undefined ? `client_max_window_bits=${policy.clientMaxWindowBits}` : "client_max_window_bits");
  return parts.join("; ");
}

/**
 * A client's check of the server's answer to its offer (§7.1): parameters it may not send, values
 * out of range, a window the client did not allow, or more than one permessage-deflate element
 * fail the connection. Returns the agreed parameters, or null when the server declined.
 * @throws HandshakeError `extension-params-invalid`.
 */
export function readDeflateResponse(extensions: readonly ExtensionOffer[], offered: DeflatePolicy = {}): DeflateParams | null {
  const fail = (why: string) => new HandshakeError("extension-params-invalid", null, `permessage-deflate response: ${why}`);
  const responses = extensions.filter((extension) => extension.name.toLowerCase() === PERMESSAGE_DEFLATE);
  if (responses.length === 0) return null;
  if (responses.length > 1) throw fail("accepted more than once");
  const parsed = parseDeflateOffer(responses[0]!);
  if (typeof parsed === "string") throw fail(parsed);
  if (parsed.clientMaxWindowBits === true) throw fail("client_max_window_bits needs a value in a response");
  if (offered.serverNoContextTakeover && !parsed.serverNoContextTakeover) throw fail("server_no_context_takeover was asked for and not confirmed");
  if (offered.serverMaxWindowBits !== undefined) {
    if (parsed.serverMaxWindowBits === null) throw fail("server_max_window_bits was asked for and not confirmed");
    if (parsed.serverMaxWindowBits > offered.serverMaxWindowBits) throw fail("server_max_window_bits is larger than asked");
  }
  // An offer always carries client_max_window_bits (deflateOfferHeader), so the server may limit it,
  // but not above the value offered.
  const clientBits = parsed.clientMaxWindowBits ?? offered.clientMaxWindowBits ?? MAX_WINDOW_BITS;
  if (clientBits > (offered.clientMaxWindowBits ?? MAX_WINDOW_BITS)) throw fail("client_max_window_bits is larger than offered");
  return {
    serverNoContextTakeover: parsed.serverNoContextTakeover,
    clientNoContextTakeover: parsed.clientNoContextTakeover || (offered.clientNoContextTakeover ?? false),
    serverMaxWindowBits: parsed.serverMaxWindowBits ?? MAX_WINDOW_BITS,
    clientMaxWindowBits: clientBits,
  };
}

/** The parameters as a response header would state them, for reports (`permessage-deflate; ...`). */
export function describeDeflateParams(params: DeflateParams): string {
  const parts: string[] = [PERMESSAGE_DEFLATE];
  if (params.serverNoContextTakeover) parts.push("server_no_context_takeover");
  if (params.clientNoContextTakeover) parts.push("client_no_context_takeover");
  if (params.serverMaxWindowBits < MAX_WINDOW_BITS) parts.push(`server_max_window_bits=${params.serverMaxWindowBits}`);
  if (params.clientMaxWindowBits < MAX_WINDOW_BITS) parts.push(`client_max_window_bits=${params.clientMaxWindowBits}`);
  return parts.join("; ");
}
