import { describe, expect, test } from "vitest";
import { t, type Lang } from "../i18n/index.ts";
import { toAnsi } from "./ansi.ts";
import { TerminalSession } from "./session.ts";
import { CoreClient } from "./transports/coreClient.ts";
import { openVirtual } from "./transports/virtual.ts";
import type { Emit, Transport, TransportState } from "./transports/transport.ts";
import { browserMayClose } from "./transports/live.ts";

const fixedMask = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]);
const randomBytes = (n: number) => (n === 4 ? fixedMask.slice() : new Uint8Array(n).fill(7));

/** A stand-in for the browser's WebSocket: it refuses what a page cannot do and reports what a test feeds it. */
class FakeLive implements Transport {
  readonly kind = "live" as const;
  readonly url: string;
  readonly protocol = null;
  state: TransportState = "open";
  sent: unknown[] = [];
  readonly emit: Emit;
  constructor(url: string, emit: Emit) {
    this.url = url;
    this.emit = emit;
  }
  limitation(command: "fragments" | "ping" | "raw" | { close: number | null }) {
    if (typeof command === "object") return browserMayClose(command.close) ? null : ("closeCode" as const);
    return command;
  }
  send(payload: unknown) {
    this.sent.push(payload);
  }
  ping() {}
  raw() {}
  close() {}
  abort() {
    this.state = "closed";
  }
}

function console(lang: Lang = "en") {
  const lines: string[] = [];
  const errors: string[] = [];
  let live: FakeLive | null = null;
  const session = new TerminalSession({
    lang,
    base: "http://127.0.0.1:4321/en/playground/",
    output: {
      line: (line) => {
        lines.push(toAnsi(line, false));
        if (line.some((span) => span.tone === "error")) errors.push(toAnsi(line, false));
      },
      clear: () => lines.splice(0),
    },
    open: (target, protocols, emit) => {
      if (target.kind === "virtual") return openVirtual(target.path, protocols, emit, { randomBytes });
      live = new FakeLive(target.url.href, emit);
      return live;
    },
  });
  const settle = async (done: () => boolean) => {
    for (let i = 0; i < 300 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(done()).toBe(true);
  };
  return { session, lines, errors, settle, live: () => live! };
}

describe("a scripted session on the virtual server", () => {
  test("connect, send hello, close: the prompt, the masked frame, the echo and the close are printed", async () => {
    const { session, lines, settle } = console();
    expect(session.prompt()).toBe("ws-lab> ");
    session.run("connect");
    await settle(() => session.transport?.state === "open");
    expect(session.prompt()).toBe("virtual:/echo> ");
    session.run("send Hello");
    await settle(() => lines.includes("← text, 5 bytes: Hello"));
    expect(lines).toContain("→ FIN=1 RSV=000 opcode=0x1 (text) MASK=1 length=5 masking key 37 fa 21 3d");
    expect(lines).toContain("  81 85 37 fa 21 3d 7f 9f 4d 51 58");
    expect(lines).toContain("  81 05 48 65 6c 6c 6f");
    session.run("close 1000 bye");
    await settle(() => session.transport?.state === "closed");
    expect(lines).toContain("← close from the server: 1000");
    expect(lines.at(-1)).toBe("Connection closed cleanly, code 1000.");
    expect(session.prompt()).toBe("ws-lab> ");
  });

  test("frames off leaves only the messages", async () => {
    const { session, lines, settle } = console();
    session.run("connect");
    await settle(() => session.transport?.state === "open");
    const before = lines.length;
    session.run("frames off");
    session.run("send hi");
    await settle(() => lines.includes("← text, 2 bytes: hi"));
    expect(lines.slice(before)).toEqual([t("en", "terminal.frames.off"), "→ text, 2 bytes: hi", "← text, 2 bytes: hi"]);
  });

  test("an echoed escape sequence is printed as visible text", async () => {
    const { session, lines, settle } = console();
    session.run("connect");
    await settle(() => session.transport?.state === "open");
    session.run("send \x1b[2Jboom\x07");
    await settle(() => lines.some((line) => line.startsWith("← text")));
    expect(lines.find((line) => line.startsWith("← text"))).toBe("← text, 9 bytes: \\x1b[2Jboom\\x07");
    expect(lines.join("\n")).not.toContain("\x1b");
  });

  test("raw with an unmasked frame shows the server's 1002 and what it means, in Russian too", async () => {
    const { session, lines, settle } = console("ru");
    session.run("connect");
    await settle(() => session.transport?.state === "open");
    session.run("raw 81 05 48 65 6c 6c 6f");
    await settle(() => session.transport?.state === "closed");
    expect(lines).toContain("← close от сервера: 1002 unmasked-client-frame");
    expect(lines).toContain(`  ${t("ru", "error.unmasked-client-frame")}`);
  });

  test("a pasted ESC sequence is sent as pasted and shown as escapes, in the echo and in problems that quote the line", async () => {
    const { session, lines, settle } = console();
    session.run("connect");
    await settle(() => session.transport?.state === "open");
    session.run("frames off");
    lines.splice(0);
    session.run("send \u001b[31mRED\u009b2J");
    await settle(() => lines.length >= 2);
    expect(lines).toEqual([
      "→ text, 12 bytes: \\x1b[31mRED\\x9b2J",
      "← text, 12 bytes: \\x1b[31mRED\\x9b2J",
    ]);
    session.run("\u001b[2Jsend hi");
    session.run("connect \u001b]8;;http://evil.example/\u001b\\x");
    session.run("raw 81 \u009b");
    expect(lines.slice(2).filter((line) => /[\x00-\x1f\x7f-\x9f]/.test(line))).toEqual([]);
    expect(lines[2]).toContain("\\x1b[2Jsend");
    expect(lines[4]).toContain("\\x9b");
  });

  test("commands that need a connection say so", () => {
    const { session, lines } = console();
    session.run("send hi");
    expect(lines).toEqual([t("en", "terminal.notConnected")]);
  });

  for (const lang of ["en", "ru"] as const) {
    test(`a path the sandbox lacks is refused with 404, and the server's not-found reason is printed (${lang})`, async () => {
      const { session, lines, errors, settle } = console(lang);
      session.run("connect virtual:/nope");
      await settle(() => session.transport?.state === "closed");
      expect(lines).toContain("← HTTP/1.1 404 Not Found");
      expect(errors).toEqual([
        t(lang, "terminal.handshakeFailed", { reason: t(lang, "error.response-status") }),
        t(lang, "terminal.handshakeStatus", { status: 404 }),
        t(lang, "terminal.handshakeReason", { reason: t(lang, "error.not-found") }),
      ]);
    });
  }
});

/** The command lines a "Try: a · b · c" hint suggests. */
const suggestions = (hint: string) => hint.slice(hint.indexOf(": ") + 2).split(" · ");

describe("the hint printed once a connection is open", () => {
  for (const lang of ["en", "ru"] as const) {
    test(`on the virtual server (${lang}) it offers ping and raw, and each suggested command runs`, async () => {
      const { session, lines, errors, settle } = console(lang);
      session.run("connect");
      await settle(() => session.transport?.state === "open");
      expect(lines.at(-1)).toBe(t(lang, "terminal.openHint.anyFrame"));
      expect(suggestions(lines.at(-1)!)).toEqual(expect.arrayContaining(["ping", "raw 81 05 48 65 6c 6c 6f"]));
      // raw's example breaks the protocol on purpose: the server's 1002 would be (rightly) an error line.
      for (const line of suggestions(lines.at(-1)!).filter((line) => !line.startsWith("raw"))) session.run(line);
      expect(errors).toEqual([]);
    });

    test(`on a live server (${lang}) it offers only what a page's WebSocket can send, and each of those runs`, () => {
      const { session, lines, errors, live } = console(lang);
      session.run("connect /echo");
      live().emit({ type: "open", protocol: null });
      const hint = lines.at(-1)!;
      expect(hint).toBe(t(lang, "terminal.openHint.browser"));
      for (const line of suggestions(hint)) session.run(line);
      expect(errors).toEqual([]);
      expect(live().sent).toHaveLength(suggestions(hint).filter((line) => line.startsWith("send")).length);
    });
  }
});

describe("a session on a live server", () => {
  test("connect /inspect resolves against the page and the prompt shows the URL", () => {
    const { session } = console();
    session.run("connect /inspect");
    expect(session.prompt()).toBe("ws://127.0.0.1:4321/inspect> ");
  });

  test("fragments, ping, raw and browser-forbidden close codes are explained, not sent", () => {
    const { session, lines, live } = console();
    session.run("connect /echo");
    lines.splice(0);
    session.run("send --fragments 2 hi");
    session.run("ping");
    session.run("raw 81 00");
    session.run("close 1001");
    expect(lines).toEqual([
      t("en", "terminal.limit.fragments"),
      t("en", "terminal.limit.ping"),
      t("en", "terminal.limit.raw"),
      t("en", "terminal.limit.closeCode", { code: 1001 }),
    ]);
    expect(live().sent).toEqual([]);
  });

  test("/inspect reports are shown as the frame the server saw, with its masking key", () => {
    const { session, lines, live } = console();
    session.run("connect /inspect");
    live().emit({
      type: "inspect",
      message: {
        type: "frame", fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, opcodeName: "text",
        masked: true, maskingKey: "a1b2c3d4", payloadLength: 5, payloadHex: "68656c6c6f",
      },
    });
    expect(lines.slice(-2)).toEqual([
      "→ server saw FIN=1 RSV=000 opcode=0x1 (text) MASK=1 length=5 masking key a1 b2 c3 d4",
      "  payload (unmasked): 68 65 6c 6c 6f",
    ]);
  });

  test("a live WebSocket that failed before opening says what a plain request to the same URL was answered", () => {
    const { session, lines, live } = console();
    session.run("connect /nope");
    live().emit({ type: "unreachable", detail: null, probe: { status: 404, statusText: "Not Found\x1b[2J" } });
    expect(lines.slice(-3)).toEqual([
      t("en", "terminal.failedBeforeOpen", { url: "ws://127.0.0.1:4321/nope" }),
      t("en", "terminal.probeAnswered", { status: 404, statusText: "Not Found\\x1b[2J" }),
      t("en", "terminal.offerVirtual"),
    ]);
    session.run("connect ws://other.example/x");
    live().emit({ type: "unreachable", detail: null, probe: null });
    expect(lines.slice(-2)).toEqual([t("en", "terminal.probeUnknown"), t("en", "terminal.offerVirtual")]);
    expect(lines.join(" ")).not.toContain(t("en", "terminal.unreachable", { url: "ws://127.0.0.1:4321/nope" }));
  });

  test("/inspect reports with hostile strings print escapes only, and a hostile handshake report prints as data", () => {
    const { session, lines, live } = console();
    session.run("connect /inspect");
    lines.splice(0);
    live().emit({
      type: "inspect",
      message: {
        type: "handshake", requestLine: "GET /\x1b[2J HTTP/1.1", headers: [["X-\u009b31m", "\u202eevil\x1b]8;;http://evil.example/\x1b\\"]],
        origin: null, key: "k", protocols: [], extensions: [], accept: "\x1b[31m", protocol: null,
      },
    });
    expect(lines.filter((line) => /[\x00-\x1f\x7f-\x9f\u202a-\u202e]/.test(line))).toEqual([]);
    expect(lines.join("\n")).toContain("X-\\x9b31m: \\u202eevil\\x1b]8;;http://evil.example/\\x1b\\\\");
  });

  test("an unreachable server offers the virtual one", () => {
    const { session, lines, live } = console();
    session.run("connect ws://127.0.0.1:9/echo");
    live().emit({ type: "unreachable", detail: null });
    expect(lines.slice(-2)).toEqual([
      t("en", "terminal.unreachable", { url: "ws://127.0.0.1:9/echo" }),
      t("en", "terminal.offerVirtual"),
    ]);
  });
});

describe("a refusal from a server that is not ours", () => {
  /** A session whose every connection is answered by `response`, written by a server that then closes. */
  function refusedBy(response: string) {
    const lines: string[] = [];
    const session = new TerminalSession({
      lang: "en",
      output: { line: (line) => lines.push(toAnsi(line, false)), clear: () => {} },
      open: (_target, protocols, emit) => {
        const client = new CoreClient("tcp", "ws://example.test/chat", { host: "example.test", path: "/chat", protocols }, emit);
        client.attach({ write: () => void queueMicrotask(() => (client.receive(new TextEncoder().encode(response)), client.receiveEnd())), end: () => {} });
        return client;
      },
    });
    return { session, lines };
  }

  test("a body line without a code we know is printed as data, its escapes made visible", async () => {
    const { session, lines } = refusedBy("HTTP/1.1 403 Forbidden\r\nContent-Length: 24\r\n\r\nno entry\x1b[2J for you\tok\n");
    session.run("connect ws://example.test/chat");
    for (let i = 0; i < 100 && session.transport?.state !== "closed"; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(lines).toContain(t("en", "terminal.handshakeStatus", { status: 403 }));
    expect(lines).toContain(t("en", "terminal.handshakeReason", { reason: "no entry\\x1b[2J for you\\tok" }));
    expect(lines.join("\n")).not.toContain("\x1b");
  });

  test("a refusal with an empty body prints the status and no reason", async () => {
    const { session, lines } = refusedBy("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
    session.run("connect ws://example.test/chat");
    for (let i = 0; i < 100 && session.transport?.state !== "closed"; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(lines.at(-1)).toBe(t("en", "terminal.handshakeStatus", { status: 502 }));
  });
});
