import type { FrameErrorCode, HttpRefusal } from "../../protocol/index.ts";
import type { InspectMessage } from "../../sandbox/index.ts";
import type { Payload } from "../commands.ts";
import type { Direction } from "../frameView.ts";

/** virtual: a sandbox in the page; live: the browser's WebSocket; tcp: a socket of the `ws-lab connect` CLI. */
export type TransportKind = "virtual" | "live" | "tcp";

export type TransportState = "connecting" | "open" | "closing" | "closed";

/** What a transport reports to the console, in the order it happened. */
export type TransportEvent =
  /** The HTTP upgrade request exactly as sent (virtual and tcp only: a browser hides its own). */
  | { type: "request"; text: string }
  /** The HTTP response head exactly as received. */
  | { type: "response"; text: string }
  | { type: "open"; protocol: string | null }
  /**
   * The server's answer failed a §4.1 check (`code` from the core), or was not a 101 (`status`);
   * then `refusal` holds what its body said (virtual and tcp only: a browser hides refusals).
   */
  | { type: "handshake-failed"; code: string; status: number | null; refusal: HttpRefusal | null }
  /**
   * Nothing answered (a refused connection, with the system's `detail`), or a browser WebSocket
   * failed before opening. A browser does not say why; `probe` is then what a plain HTTP GET of
   * the same URL was answered (same origin only), or null when that could not be learnt.
   */
  | { type: "unreachable"; detail: string | null; probe?: HttpProbe | null }
  /** Bytes of frames on the wire, in either direction. */
  | { type: "wire"; direction: Direction; bytes: Uint8Array }
  | { type: "message"; payload: Payload }
  | { type: "ping"; payload: Uint8Array }
  | { type: "pong"; payload: Uint8Array }
  /** The server's Close frame. */
  | { type: "close"; code: number; reason: string }
  /** The server broke a rule and this client failed the connection (§7.1.7). */
  | { type: "failed"; code: FrameErrorCode; closeCode: number }
  | { type: "closed"; code: number; reason: string; wasClean: boolean }
  /** A JSON report of `/inspect` about what the server saw on the wire (live only). */
  | { type: "inspect"; message: InspectMessage };

/** The status line a server answered a plain HTTP request with. */
export interface HttpProbe {
  status: number;
  statusText: string;
}

export type Emit = (event: TransportEvent) => void;

/** Why a transport cannot do a command; the console explains each in the reader's language. */
export type Limitation = "fragments" | "ping" | "raw" | "closeCode";

/** One connection behind the console. Commands the transport cannot carry out are refused, not faked. */
export interface Transport {
  readonly kind: TransportKind;
  /** Shown in the prompt: `virtual:/echo`, `ws://127.0.0.1:4321/inspect`. */
  readonly url: string;
  readonly state: TransportState;
  readonly protocol: string | null;
  /** What this transport cannot do with these arguments, checked before the command runs. */
  limitation(command: "fragments" | "ping" | "raw" | { close: number | null }): Limitation | null;
  send(payload: Payload, fragments: number): void;
  ping(payload: string): void;
  close(code: number | null, reason: string): void;
  raw(bytes: Uint8Array): void;
  /** Drops the connection without a closing handshake (the reader connected elsewhere). */
  abort(): void;
}
