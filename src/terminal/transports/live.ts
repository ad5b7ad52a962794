import { parseInspectMessage } from "../../sandbox/index.ts";
import type { Payload } from "../commands.ts";
import type { Emit, HttpProbe, Limitation, Transport, TransportState } from "./transport.ts";

const stateNames: Record<number, TransportState> = { 0: "connecting", 1: "open", 2: "closing", 3: "closed" };

/** Close codes a page may pass to `WebSocket.close()` (WHATWG WebSockets: 1000 or 3000-4999). */
export function browserMayClose(code: number | null): boolean {
  return code === null || code === 1000 || (code >= 3000 && code <= 4999);
}

/**
 * A browser hides why a WebSocket failed before opening (a refused upgrade and no server look
 * the same to the page). A GET of the same URL on this page's origin tells whether a server is
 * there and what it answers a request without the upgrade; another origin is not asked (CSP and
 * CORS would hide its answer anyway).
 */
async function probe(wsUrl: string): Promise<HttpProbe | null> {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === "wss:" ? "https:" : "http:";
  if (typeof location === "undefined" || url.origin !== location.origin) return null;
  try {
    const response = await fetch(url, { cache: "no-store", redirect: "manual", credentials: "same-origin" });
    void response.body?.cancel();
    // A redirect answered with redirect: "manual" is opaque (status 0): nothing to report.
    return response.status > 0 ? { status: response.status, statusText: response.statusText } : null;
  } catch {
    return null;
  }
}

/**
 * Tells `/inspect` reports from echoes. The server describes each frame before acting on it, and
 * echoes a message after the description of its final frame, so a message is a report unless an
 * echo is due; a reader who sends JSON that looks like a report still gets it back as an echo.
 */
export class InspectStream {
  private echoesDue = 0;

  /** Classifies one received text message. */
  read(text: string): ReturnType<typeof parseInspectMessage> {
    if (this.echoesDue > 0) {
      this.echoesDue--;
      return null;
    }
    const report = parseInspectMessage(text);
    if (report?.type === "frame" && report.fin && ["text", "binary", "continuation"].includes(report.opcodeName)) {
      this.echoesDue++;
    }
    return report;
  }

  /** A binary message is always an echo. */
  readBinary(): void {
    if (this.echoesDue > 0) this.echoesDue--;
  }
}

/**
 * The browser's own WebSocket to a real server. The page cannot see the bytes (the browser frames
 * and masks them); `/inspect` reports what arrived, the masking key included.
 */
export class LiveTransport implements Transport {
  readonly kind = "live" as const;
  readonly url: string;
  private readonly socket: WebSocket;
  private readonly emit: Emit;
  private readonly inspect: InspectStream | null;
  private opened = false;

  constructor(url: string, protocols: readonly string[], emit: Emit) {
    this.url = url;
    this.emit = emit;
    this.inspect = new URL(url).pathname.endsWith("/inspect") ? new InspectStream() : null;
    this.socket = new WebSocket(url, [...protocols]);
    this.socket.binaryType = "arraybuffer";
    this.socket.addEventListener("open", () => {
      this.opened = true;
      emit({ type: "open", protocol: this.socket.protocol || null });
    });
    this.socket.addEventListener("message", (event: MessageEvent<string | ArrayBuffer>) => this.receive(event.data));
    this.socket.addEventListener("close", (event) => {
      if (!this.opened) void probe(url).then((answer) => emit({ type: "unreachable", detail: null, probe: answer }));
      else emit({ type: "closed", code: event.code, reason: event.reason, wasClean: event.wasClean });
    });
  }

  get state(): TransportState {
    return stateNames[this.socket.readyState] ?? "closed";
  }

  get protocol(): string | null {
    return this.socket.protocol || null;
  }

  limitation(command: "fragments" | "ping" | "raw" | { close: number | null }): Limitation | null {
    if (typeof command === "object") return browserMayClose(command.close) ? null : "closeCode";
    return command;
  }

  send(payload: Payload): void {
    this.socket.send(payload.kind === "text" ? payload.text : payload.bytes.slice());
  }

  // A page has no API for these; limitation() refuses them before they get here.
  ping(): void {}

  raw(): void {}

  close(code: number | null, reason: string): void {
    if (code === null) this.socket.close();
    else this.socket.close(code, reason);
  }

  abort(): void {
    this.socket.close();
  }

  private receive(data: string | ArrayBuffer): void {
    if (typeof data !== "string") {
      this.inspect?.readBinary();
      this.emit({ type: "message", payload: { kind: "binary", bytes: new Uint8Array(data) } });
      return;
    }
    const report = this.inspect?.read(data) ?? null;
    if (report) this.emit({ type: "inspect", message: report });
    else this.emit({ type: "message", payload: { kind: "text", text: data } });
  }
}
