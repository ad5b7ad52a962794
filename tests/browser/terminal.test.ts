import type { AddressInfo } from "node:net";
import type { Page, Response } from "playwright-core";
import { describe, expect, inject, test } from "vitest";
import { WebSocketServer } from "ws";
import { browserForFile } from "./browser.ts";
import { t, type Lang } from "../../src/i18n/index.ts";
import { visible } from "../../src/terminal/visible.ts";

const base = inject("BASE_URL");

const browser = browserForFile();

/** The terminal's screen as text, one line per row (xterm draws spaces as no-break spaces). */
async function screen(page: Page): Promise<string> {
  return (await page.locator(".xterm-rows").innerText()).replace(/\u00a0/g, " ");
}

async function waitForScreen(page: Page, expected: string | RegExp): Promise<string> {
  await expect
    .poll(() => screen(page), { timeout: 10_000 })
    .toMatch(typeof expected === "string" ? new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : expected);
  return screen(page);
}

/** Waits until `expected` is on screen, however it was wrapped: rows joined, spaces ignored on both sides. */
async function waitForText(page: Page, expected: string): Promise<string> {
  const squeeze = (text: string) => text.replace(/\s+/g, "");
  await expect.poll(async () => squeeze(await screen(page)), { timeout: 10_000 }).toContain(squeeze(expected));
  return screen(page);
}

async function typeLine(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

/** Opens a page, scrolls to the terminal, waits for hydration and opens it. */
async function openTerminal(page: Page, url: string, lang: Lang): Promise<void> {
  await page.goto(url);
  const root = page.locator('[data-widget="echo-terminal"]');
  await root.scrollIntoViewIfNeeded();
  await page.locator("astro-island:not([ssr])", { has: root }).waitFor();
  await root.getByRole("button", { name: t(lang, "terminal.island.open") }).click();
  await page.locator(".xterm-rows").waitFor();
  await waitForScreen(page, "ws-lab> ");
}

for (const lang of ["en", "ru"] as const) {
  describe(`the ${lang} echo terminal`, () => {
    test("connect and send hello on the virtual server: the masked frame out, the echo and its hex back", async () => {
      const { page } = await browser.newPage();
      await openTerminal(page, `${base}/${lang}/playground/`, lang);
      await typeLine(page, "connect");
      await waitForScreen(page, "virtual:/echo> ");
      const handshake = await screen(page);
      expect(handshake).toContain("→ GET /echo HTTP/1.1");
      expect(handshake).toContain("← HTTP/1.1 101 Switching Protocols");
      await typeLine(page, "send hello");
      const rows = await waitForScreen(page, `← ${t(lang, "terminal.message.text", { count: 5 })}: hello`);
      expect(rows).toMatch(/→ FIN=1 RSV=000 opcode=0x1 \(text\) MASK=1 \S+=5 \D+( [0-9a-f]{2}){4}\n/);
      expect(rows).toMatch(/ {2}81 85( [0-9a-f]{2}){9}/);
      expect(rows).toContain("81 05 68 65 6c 6c 6f");
      // Text typed without key events (playwright inserts non-Latin text as an input event).
      await typeLine(page, "send привет");
      await waitForScreen(page, `← ${t(lang, "terminal.message.text", { count: 12 })}: привет`);
    });

    test("a received \\x1b[2J is shown as text and does not clear the screen", async () => {
      const { page } = await browser.newPage();
      await openTerminal(page, `${base}/${lang}/playground/`, lang);
      await typeLine(page, "connect");
      await waitForScreen(page, "virtual:/echo> ");
      await typeLine(page, "frames off");
      // A masked (all-zero key) text frame whose payload is ESC [ 2 J: the server echoes it as text.
      await typeLine(page, "raw 81 84 00 00 00 00 1b 5b 32 4a");
      const rows = await waitForScreen(page, `← ${t(lang, "terminal.message.text", { count: 4 })}: \\x1b[2J`);
      expect(rows).toContain("← HTTP/1.1 101 Switching Protocols");
      expect(rows).toContain(t(lang, "terminal.frames.off"));
    });

    test("connect /inspect reaches the live server, which reports the 4-byte masking key it received", async () => {
      const { page } = await browser.newPage();
      await openTerminal(page, `${base}/${lang}/playground/`, lang);
      await typeLine(page, "connect /inspect");
      const wsBase = base.replace(/^http/, "ws");
      await waitForScreen(page, `${wsBase}/inspect> `);
      await waitForScreen(page, "→ GET /inspect HTTP/1.1");
      // A page's WebSocket cannot ping or send raw bytes, so the hint offers neither.
      const hint = await waitForScreen(page, "· send --hex 01 02 ff ·");
      expect(hint).not.toContain("· ping ·");
      expect(hint).not.toContain("raw 81");
      await typeLine(page, "send hello");
      const rows = await waitForScreen(page, `← ${t(lang, "terminal.message.text", { count: 5 })}: hello`);
      expect(rows).toMatch(
        new RegExp(`→ ${t(lang, "terminal.inspect.frame")} FIN=1 RSV=000 opcode=0x1 \\(text\\) MASK=1 \\S+=5 .*( [0-9a-f]{2}){4}`),
      );
      expect(rows).toContain("68 65 6c 6c 6f");
      await typeLine(page, "ping");
      await waitForScreen(page, t(lang, "terminal.limit.ping").slice(0, 30));
    });
  });
}

describe("the echo terminal against hostile or missing servers", () => {
  test("connect /nope, answered 404, says that a server answered and with what", async () => {
    const { page } = await browser.newPage();
    await openTerminal(page, `${base}/en/playground/`, "en");
    await typeLine(page, "connect /nope");
    const rows = await waitForScreen(page, t("en", "terminal.probeAnswered", { status: 404, statusText: "Not Found" }).slice(0, 60));
    expect(rows).toMatch(/answered 404 Not Found/);
    expect(rows).not.toContain("no WebSocket server answered");
  });

  test("a hostile /inspect server: malformed reports raise no error and no string from it reaches xterm raw", async () => {
    // Each is a message a server at any URL ending in /inspect could send.
    const frame = { type: "frame", fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, opcodeName: "text", masked: true, maskingKey: "a1b2c3d4", payloadLength: 1, payloadHex: "41" };
    const hostile = [
      { ...frame, opcodeName: "\u001b[2J\u001b]8;;http://evil.example/\u001b\\LINK" },
      { ...frame, opcode: undefined },
      { type: "handshake", requestLine: "GET / HTTP/1.1", headers: null, origin: null, key: "k", protocols: [], extensions: [], accept: "a", protocol: null },
      { ...frame, maskingKey: 12345678 },
      { type: "handshake", requestLine: "GET /\u001b[31m HTTP/1.1", headers: [["X-\u009b", "\u202eRED\u001b]8;;http://evil.example/\u001b\\"]], origin: null, key: "k", protocols: [], extensions: [], accept: "\u001b[2J", protocol: null },
    ].map((message) => JSON.stringify(message));
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/inspect" });
    await new Promise((resolve) => server.once("listening", resolve));
    server.on("connection", (socket) => {
      for (const message of hostile) socket.send(message);
    });
    try {
      const { page } = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await openTerminal(page, `${base}/en/playground/`, "en");
      await typeLine(page, `connect ws://127.0.0.1:${(server.address() as AddressInfo).port}/inspect`);
      // The malformed reports are not reports: each is shown as the text message it is.
      for (const message of hostile.slice(0, 4)) await waitForText(page, visible(message));
      await waitForText(page, "X-\\x9b: \\u202eRED\\x1b]8;;http://evil.example/\\x1b\\\\");
      await waitForText(page, t("en", "terminal.inspect.accept", { accept: "\\x1b[2J" }));
      // Not cleared (the handshake is still on screen), no link planted, no uncaught error.
      expect(await screen(page)).toContain("ws-lab> connect ws://127.0.0.1:");
      expect(await page.locator(".xterm a, .xterm [href]").count()).toBe(0);
      await page.mouse.move(0, 0);
      expect(errors).toEqual([]);
    } finally {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("the echo terminal on a lesson page", () => {
  test("xterm loads only when the terminal is opened (bytes before and after are reported)", async () => {
    const { page } = await browser.newPage();
    const responses: Response[] = [];
    page.on("response", (response) => responses.push(response));
    await page.goto(`${base}/en/try-it-live/`);
    const root = page.locator('[data-widget="echo-terminal"]');
    await root.scrollIntoViewIfNeeded();
    await page.locator("astro-island:not([ssr])", { has: root }).waitFor();
    await page.waitForLoadState("networkidle");
    const transferred = async (list: Response[]) => {
      let bytes = 0;
      for (const response of list) bytes += (await response.request().sizes()).responseBodySize;
      return bytes;
    };
    const scripts = async (list: Response[]) => {
      const bodies: string[] = [];
      for (const r of list) if (r.request().resourceType() === "script") bodies.push((await r.body()).toString());
      return bodies;
    };
    const before = responses.length;
    const bytesBefore = await transferred(responses);
    expect((await scripts(responses)).some((body) => body.includes("xterm-helper-textarea"))).toBe(false);
    expect(await page.locator(".xterm").count()).toBe(0);

    await root.getByRole("button", { name: t("en", "terminal.island.open") }).click();
    await page.locator(".xterm-rows").waitFor();
    await page.waitForLoadState("networkidle");
    const opened = responses.slice(before);
    const bytesAfter = await transferred(opened);
    expect((await scripts(opened)).some((body) => body.includes("xterm-helper-textarea"))).toBe(true);
    expect(opened.some((r) => r.request().resourceType() === "stylesheet" || r.url().endsWith(".css"))).toBe(true);
    console.log(
      `lesson page before opening the terminal: ${bytesBefore} bytes in ${before} responses; ` +
        `opening it adds ${bytesAfter} bytes: ${opened.map((r) => new URL(r.url()).pathname).join(", ")}`,
    );
  });

  test("the terminal is labelled, says how to leave it, and Esc then Tab moves focus out", async () => {
    const { page } = await browser.newPage();
    await openTerminal(page, `${base}/en/playground/`, "en");
    const textarea = page.locator(".xterm-helper-textarea");
    await expect.poll(() => textarea.getAttribute("aria-label")).toBe(t("en", "terminal.island.label"));
    const hintId = await textarea.getAttribute("aria-describedby");
    expect(await page.locator(`[id="${hintId}"]`).innerText()).toBe(t("en", "terminal.island.leaveHint"));
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains("xterm-helper-textarea"))).toBe(true);
    // Tab alone completes a command and keeps focus.
    await page.keyboard.type("sta");
    await page.keyboard.press("Tab");
    await waitForScreen(page, "ws-lab> status ");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("xterm-helper-textarea"))).toBe(true);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("xterm-helper-textarea"))).toBe(false);
  });

  test("history, line editing and Ctrl+C work from the keyboard", async () => {
    const { page } = await browser.newPage();
    await openTerminal(page, `${base}/en/playground/`, "en");
    await typeLine(page, "frames off");
    await page.keyboard.type("stauts");
    await page.keyboard.press("Control+c");
    await waitForScreen(page, "ws-lab> stauts^C");
    await page.keyboard.type("sttus");
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.type("a");
    await page.keyboard.press("Enter");
    await waitForScreen(page, t("en", "terminal.status.none"));
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await waitForScreen(page, /ws-lab> frames off\s*$/);
  });

  test("paste inserts text into the line; a selection is copied with Ctrl+Shift+C", async () => {
    const { page } = await browser.newPage({ permissions: ["clipboard-read", "clipboard-write"] });
    await openTerminal(page, `${base}/en/playground/`, "en");
    await page.evaluate(() => navigator.clipboard.writeText("help raw"));
    await page.keyboard.press("Control+V");
    await waitForScreen(page, "ws-lab> help raw");
    await page.keyboard.press("Enter");
    await waitForScreen(page, "raw <hex>");
    const row = page.locator(".xterm-rows > div", { hasText: "raw <hex>" }).first();
    const box = (await row.boundingBox())!;
    await page.mouse.click(box.x + 20, box.y + box.height / 2, { clickCount: 3 });
    await page.keyboard.press("Control+Shift+C");
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/^raw <hex>\s*$/);
  });

  test("pasted C1 controls, bidi overrides and ESC sequences are shown as escapes and sent as pasted", async () => {
    const { page } = await browser.newPage({ permissions: ["clipboard-read", "clipboard-write"] });
    await openTerminal(page, `${base}/en/playground/`, "en");
    await typeLine(page, "connect");
    await waitForScreen(page, "virtual:/echo> ");
    await typeLine(page, "frames off");
    await page.evaluate(() => navigator.clipboard.writeText("send \u009b41m\u009b2J\u001b[31mRED\u202eX"));
    await page.keyboard.press("Control+V");
    await waitForScreen(page, "virtual:/echo> send \\x9b41m\\x9b2J\\x1b[31mRED\\u202eX");
    await page.keyboard.press("Enter");
    const rows = await waitForScreen(page, `← ${t("en", "terminal.message.text", { count: 21 })}: \\x9b41m\\x9b2J\\x1b[31mRED\\u202eX`);
    // Nothing was cleared or painted: the lines before are still there and no cell is drawn red.
    expect(rows).toContain(t("en", "terminal.frames.off"));
    const red = await page.locator(".xterm-rows span").evaluateAll((spans) =>
      spans.filter((span) => [...span.classList].some((c) => /^xterm-(bg|fg)-1$/.test(c))).length,
    );
    expect(red).toBe(0);
  });
});
