import { hasKey, translator, type Lang, type UiKey } from "../i18n/index.ts";
import { toHex, UsageError, type HttpRefusal } from "../protocol/index.ts";
import type { InspectFrame, InspectHandshake } from "../sandbox/index.ts";
import { commandNames, commandUsage, parseCommand, type Command, type Payload, type Problem } from "./commands.ts";
import { arrows, frameLines, type Direction, type FrameViewText } from "./frameView.ts";
import { say, type Line, type Output, type Span } from "./output.ts";
import { resolveTarget, type Target } from "./target.ts";
import type { Emit, Transport, TransportEvent } from "./transports/transport.ts";
import { visible } from "./visible.ts";

/** Bytes of a received payload printed before the rest is cut. */
const PAYLOAD_SHOWN_BYTES = 512;

/** Opens a transport for a target; the page offers virtual and live, the CLI virtual and TCP. */
export type OpenTransport = (target: Target, protocols: string[], emit: Emit) => Transport;

export interface SessionOptions {
  lang: Lang;
  output: Output;
  open: OpenTransport;
  /** The page's address, against which `connect /inspect` resolves; none on the command line. */
  base?: string;
  /** Called when the prompt may have changed (connected, closed). */
  onPromptChange?: () => void;
  /** Every event of the current transport, after it was printed. */
  onEvent?: (event: TransportEvent) => void;
}

const encoder = new TextEncoder();

/**
 * The console: runs one line of the command language at a time against the current transport
 * and prints what happens on the wire. The same class drives xterm in the page and `ws-lab connect`.
 */
export class TerminalSession {
  framesOn = true;
  transport: Transport | null = null;
  private readonly options: SessionOptions;
  private readonly t: ReturnType<typeof translator>;
  private readonly frameText: FrameViewText;
  private counts = { sent: 0, received: 0, bytesOut: 0, bytesIn: 0 };

  constructor(options: SessionOptions) {
    this.options = options;
    this.t = translator(options.lang);
    this.frameText = {
      summary: (fields) => this.t("terminal.frame.summary", fields),
      maskingKey: (hex) => this.t("terminal.frame.maskingKey", { key: hex }),
      cut: (count) => this.t("terminal.cut", { count }),
      incomplete: (field) => this.t("terminal.frame.incomplete", { field }),
    };
  }

  /** `virtual:/echo> `, `ws://127.0.0.1:4321/inspect> `, or `ws-lab> ` when not connected. */
  prompt(): string {
    const transport = this.transport;
    return transport && transport.state !== "closed" ? `${transport.url}> ` : "ws-lab> ";
  }

  /** Prints the greeting and the keys that edit a line. */
  welcome(keys: boolean): void {
    this.print(this.t("terminal.welcome"));
    if (keys) this.print(this.t("terminal.keysHint"), "muted");
  }

  /** Runs one line; problems are printed, never thrown. */
  run(line: string): void {
    const result = parseCommand(line);
    if (!result.ok) return this.problem(result.problem);
    if (result.command === null) return;
    try {
      this.execute(result.command);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      this.print(this.errorText(error.code), "error");
    }
  }

  private execute(command: Command): void {
    switch (command.name) {
      case "help":
        return this.help(command.topic);
      case "clear":
        return this.options.output.clear();
      case "frames":
        this.framesOn = command.on;
        this.print(this.t(command.on ? "terminal.frames.on" : "terminal.frames.off"), "muted");
        if (command.on && this.transport?.kind === "live") this.print(this.t("terminal.frames.live"), "muted");
        return;
      case "status":
        return this.status();
      case "connect":
        return this.connect(command.url, command.protocols);
    }
    const transport = this.transport;
    if (!transport || transport.state === "closed") return this.print(this.t("terminal.notConnected"), "error");
    if (transport.state !== "open") {
      return this.print(this.t("terminal.notOpen", { state: this.t(`terminal.state.${transport.state}`) }), "error");
    }
    switch (command.name) {
      case "send": {
        if (command.fragments > 1 && this.refused(transport, "fragments")) return;
        this.counts.sent++;
        this.line([this.arrow("out"), ...this.payloadSpans(command.payload, command.fragments)]);
        return transport.send(command.payload, command.fragments);
      }
      case "ping":
        if (this.refused(transport, "ping")) return;
        this.line([this.arrow("out"), { text: this.t("terminal.message.ping", { count: encoder.encode(command.payload).length }), tone: "out" }]);
        return transport.ping(command.payload);
      case "close":
        if (this.refused(transport, { close: command.code })) return;
        this.line([this.arrow("out"), { text: this.closeText(command.code, command.reason), tone: "out" }]);
        return transport.close(command.code, command.reason);
      case "raw":
        if (this.refused(transport, "raw")) return;
        this.line([this.arrow("out"), { text: this.t("terminal.message.raw", { count: command.bytes.length }), tone: "out" }]);
        return transport.raw(command.bytes);
    }
  }

  /** Runs `connect` (the command line starts with the URL it was given). */
  connect(url: string | null, protocols: string[]): void {
    const target = resolveTarget(url, this.options.base);
    if ("key" in target) return this.problem(target);
    if (this.transport && this.transport.state !== "closed") this.transport.abort();
    this.counts = { sent: 0, received: 0, bytesOut: 0, bytesIn: 0 };
    const shown = target.kind === "virtual" ? `virtual:${target.path}` : target.url.href;
    this.print(this.t(target.kind === "virtual" ? "terminal.connectingVirtual" : "terminal.connecting", { url: shown }), "muted");
    // Events reported while the transport is being built (the request it writes) wait for it.
    let transport: Transport | null = null;
    const early: TransportEvent[] = [];
    const emit: Emit = (event) => {
      if (transport === null) return void early.push(event);
      // A transport replaced by a newer `connect` may still report its end: not this session's news.
      if (transport !== this.transport) return;
      this.report(event, transport);
      this.options.onEvent?.(event);
    };
    transport = this.options.open(target, protocols, emit);
    this.transport = transport;
    for (const event of early) emit(event);
    this.options.onPromptChange?.();
  }

  private report(event: TransportEvent, transport: Transport): void {
    switch (event.type) {
      case "request":
      case "response": {
        const direction: Direction = event.type === "request" ? "out" : "in";
        this.print(this.t(event.type === "request" ? "terminal.request" : "terminal.response"), "muted");
        for (const text of event.text.replace(/\r\n$/, "").split("\r\n")) {
          this.line([this.arrow(direction), { text: visible(text), tone: direction }]);
        }
        return;
      }
      case "open":
        this.print(
          event.protocol
            ? this.t("terminal.openProtocol", { url: transport.url, protocol: visible(event.protocol) })
            : this.t("terminal.open", { url: transport.url }),
          "ok",
        );
        if (transport.kind === "live" && !transport.url.endsWith("/inspect")) this.print(this.t("terminal.liveHint"), "muted");
        // Suggest only what runs here: a browser's WebSocket cannot ping or put raw bytes on the wire.
        this.print(this.t(transport.limitation("raw") === null ? "terminal.openHint.anyFrame" : "terminal.openHint.browser"), "muted");
        this.options.onPromptChange?.();
        return;
      case "handshake-failed":
        this.print(this.t("terminal.handshakeFailed", { reason: this.errorText(event.code) }), "error");
        if (event.status !== null && event.status !== 101) this.print(this.t("terminal.handshakeStatus", { status: event.status }), "error");
        if (event.refusal?.line) this.print(this.t("terminal.handshakeReason", { reason: this.refusalText(event.refusal) }), "error");
        this.options.onPromptChange?.();
        return;
      case "unreachable":
        if (event.probe === undefined) {
          this.print(this.t("terminal.unreachable", { url: transport.url }) + (event.detail ? ` (${visible(event.detail)})` : ""), "error");
        } else {
          this.print(this.t("terminal.failedBeforeOpen", { url: transport.url }), "error");
          this.print(
            event.probe
              ? this.t("terminal.probeAnswered", { status: event.probe.status, statusText: visible(event.probe.statusText, { maxBytes: 80 }) })
              : this.t("terminal.probeUnknown"),
            "error",
          );
        }
        this.print(this.t("terminal.offerVirtual"), "muted");
        this.options.onPromptChange?.();
        return;
      case "wire":
        if (event.direction === "out") this.counts.bytesOut += event.bytes.length;
        else this.counts.bytesIn += event.bytes.length;
        if (this.framesOn) for (const line of frameLines(event.bytes, event.direction, this.frameText)) this.line(line);
        return;
      case "message":
        this.counts.received++;
        this.line([this.arrow("in"), ...this.payloadSpans(event.payload, 1, "in")]);
        return;
      case "ping":
      case "pong":
        this.line([
          this.arrow("in"),
          { text: this.t(`terminal.message.${event.type}`, { count: event.payload.length }), tone: "in" },
          ...(event.payload.length > 0 ? [{ text: ": ", tone: "in" } as Span, this.dataSpan(new TextDecoder().decode(event.payload))] : []),
        ]);
        return;
      case "close": {
        this.line([this.arrow("in"), { text: this.t("terminal.close.received", { code: event.code }), tone: "in" }, ...this.reasonSpans(event.reason)]);
        if (hasKey(`error.${event.reason}`)) this.print("  " + this.t(`error.${event.reason}` as UiKey), "error");
        return;
      }
      case "failed":
        this.print(this.t("terminal.failed", { code: event.closeCode, reason: this.errorText(event.code) }), "error");
        return;
      case "closed":
        this.print(
          this.t(event.wasClean ? "terminal.closed.clean" : "terminal.closed.unclean", { code: event.code }) +
            (event.reason ? ` ${visible(event.reason)}` : ""),
          event.wasClean ? "muted" : "error",
        );
        this.options.onPromptChange?.();
        return;
      case "inspect":
        if (event.message.type === "handshake") this.inspectHandshake(event.message);
        else this.inspectFrame(event.message);
        return;
    }
  }

  private inspectHandshake(report: InspectHandshake): void {
    this.print(this.t("terminal.inspect.request"), "muted");
    this.line([this.arrow("out"), this.dataSpan(report.requestLine, "out")]);
    for (const [name, value] of report.headers) this.line([this.arrow("out"), this.dataSpan(`${name}: ${value}`, "out")]);
    this.print(this.t("terminal.inspect.accept", { accept: visible(report.accept) }), "muted");
  }

  private inspectFrame(report: InspectFrame): void {
    const summary = this.frameText.summary({
      fin: report.fin ? 1 : 0,
      rsv: [report.rsv1, report.rsv2, report.rsv3].map(Number).join(""),
      opcode: `0x${report.opcode.toString(16)}`,
      name: visible(report.opcodeName),
      mask: report.masked ? 1 : 0,
      length: report.payloadLength,
    });
    const key = report.maskingKey ? visible(report.maskingKey.replace(/(..)(?!$)/g, "$1 ")) : null;
    this.line([
      this.arrow("out"),
      { text: this.t("terminal.inspect.frame") + " ", tone: "muted" },
      { text: summary, tone: "muted" },
      ...(key ? [{ text: " " + this.frameText.maskingKey(key), tone: "field-maskingKey" } as Span] : []),
    ]);
    if (report.payloadHex) {
      const hex = visible(report.payloadHex.replace(/(..)(?!$)/g, "$1 "));
      const cut = report.truncated ? this.t("terminal.cut", { count: report.payloadLength - report.payloadHex.length / 2 }) : "";
      this.line([{ text: "  " + this.t("terminal.inspect.payload") + " ", tone: "muted" }, { text: hex, tone: "field-payload" }, { text: cut, tone: "muted" }]);
    }
  }

  private help(topic: Command["name"] | null): void {
    if (topic) {
      for (const usage of commandUsage[topic]) this.print(usage, "prompt");
      this.print("  " + this.t(`terminal.help.${topic}`));
      this.print("  " + this.t(`terminal.helpNote.${topic}`), "muted");
      return;
    }
    this.print(this.t("terminal.help.title"));
    for (const name of commandNames) {
      this.line([{ text: `  ${commandUsage[name][0]!.padEnd(34)}`, tone: "prompt" }, { text: this.t(`terminal.help.${name}`), tone: "plain" }]);
    }
    this.print(this.t("terminal.help.more"), "muted");
    this.print(this.t("terminal.keysHint"), "muted");
  }

  private status(): void {
    const transport = this.transport;
    if (!transport) return this.print(this.t("terminal.status.none"));
    this.print(
      this.t("terminal.status.line", {
        kind: this.t(`terminal.kind.${transport.kind}`),
        url: transport.url,
        state: this.t(`terminal.state.${transport.state}`),
      }),
    );
    if (transport.protocol) this.print(this.t("terminal.status.protocol", { protocol: visible(transport.protocol) }));
    this.print(this.t("terminal.status.messages", { sent: this.counts.sent, received: this.counts.received }));
    if (transport.kind !== "live") this.print(this.t("terminal.status.bytes", { out: this.counts.bytesOut, in: this.counts.bytesIn }));
    this.print(this.t(this.framesOn ? "terminal.frames.on" : "terminal.frames.off"), "muted");
  }

  private refused(transport: Transport, command: Parameters<Transport["limitation"]>[0]): boolean {
    const limitation = transport.limitation(command);
    if (limitation === null) return false;
    const code = typeof command === "object" ? command.close ?? "" : "";
    this.print(this.t(`terminal.limit.${limitation}`, { code }), "error");
    return true;
  }

  private payloadSpans(payload: Payload, fragments: number, direction: Direction = "out"): Span[] {
    const fragmentsNote = fragments > 1 ? " " + this.t("terminal.message.fragments", { count: fragments }) : "";
    if (payload.kind === "text") {
      const size = encoder.encode(payload.text).length;
      return [{ text: this.t("terminal.message.text", { count: size }) + fragmentsNote + ": ", tone: direction }, this.dataSpan(payload.text)];
    }
    const shown = payload.bytes.subarray(0, PAYLOAD_SHOWN_BYTES / 4);
    const cut = payload.bytes.length - shown.length;
    return [
      { text: this.t("terminal.message.binary", { count: payload.bytes.length }) + fragmentsNote + ": ", tone: direction },
      { text: toHex(shown, " "), tone: "plain" },
      ...(cut > 0 ? [{ text: this.t("terminal.cut", { count: cut }), tone: "muted" } as Span] : []),
    ];
  }

  private reasonSpans(reason: string): Span[] {
    return reason ? [{ text: " ", tone: "in" }, this.dataSpan(reason)] : [];
  }

  private closeText(code: number | null, reason: string): string {
    return code === null ? this.t("terminal.message.closeNoCode") : this.t("terminal.message.close", { code }) + (reason ? ` ${visible(reason)}` : "");
  }

  /** Data from the wire or the reader: made visible and cut, in its own tone. */
  private dataSpan(text: string, tone: Span["tone"] = "plain"): Span {
    return { text: visible(text, { maxBytes: PAYLOAD_SHOWN_BYTES, cut: (count) => this.t("terminal.cut", { count }) }), tone };
  }

  private arrow(direction: Direction): Span {
    return { text: `${arrows[direction]} `, tone: direction };
  }

  /** Our own words for a code we know; otherwise the server's line, which is data from the wire. */
  private refusalText(refusal: HttpRefusal): string {
    const key = `error.${refusal.code}`;
    if (refusal.code !== null && hasKey(key)) return this.t(key);
    return visible(refusal.line, { maxBytes: PAYLOAD_SHOWN_BYTES, cut: (count) => this.t("terminal.cut", { count }) });
  }

  private errorText(code: string): string {
    const key = `error.${code}`;
    return hasKey(key) ? this.t(key) : code;
  }

  /** A problem's parameters quote the reader's line (a pasted ESC included): shown, never obeyed. */
  private problem(problem: Problem): void {
    const params = problem.params && Object.fromEntries(Object.entries(problem.params).map(([k, v]) => [k, typeof v === "string" ? visible(v) : v]));
    this.print(this.t(problem.key, params), "error");
  }

  private print(text: string, tone: Span["tone"] = "plain"): void {
    this.line(say(text, tone));
  }

  private line(line: Line): void {
    this.options.output.line(line);
  }
}
