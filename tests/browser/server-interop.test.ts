import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { InspectFrame, InspectHandshake } from "../../src/sandbox/index.ts";
import { launchBrowser, type TestBrowser } from "./browser.ts";
import { chromiumPath } from "../helpers/chromium.ts";

const base = inject("BASE_URL");

// Chromium's own WebSocket, not a routed one: the test browser helper routes every WebSocket through
// Playwright, which would put Playwright's frames on the wire instead of Chromium's.
let direct: Browser;
let page: Page;
let browser: TestBrowser;

beforeAll(async () => {
  direct = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  page = await direct.newPage();
  await page.goto(`${base}/en/`);
  browser = await launchBrowser();
});

afterAll(async () => {
  await direct?.close();
  await browser?.close();
});

describe("Chromium's WebSocket against the server", () => {
  test("text, unicode, binary up to 1 MiB and an empty message come back as sent", async () => {
    const result = await page.evaluate(async () => {
      const ws = new WebSocket(`${location.origin.replace("http", "ws")}/echo`, ["echo.v1"]);
      ws.binaryType = "arraybuffer";
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      const replies: Array<string | number[]> = [];
      const queue: Array<(value: unknown) => void> = [];
      ws.onmessage = (event) => {
        const data = event.data as string | ArrayBuffer;
        replies.push(typeof data === "string" ? data : [data.byteLength, new Uint8Array(data).reduce((a, b) => (a + b) % 65521, 0)]);
        queue.shift()?.(undefined);
      };
      const roundTrip = (data: string | Uint8Array<ArrayBuffer>) =>
        new Promise((resolve) => {
          queue.push(resolve);
          ws.send(data);
        });
      await roundTrip("Hello");
      await roundTrip("Привет, 👋");
      await roundTrip("");
      for (const size of [125, 126, 65535, 65536, 1024 * 1024]) {
        const bytes = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 0xff);
        await roundTrip(bytes);
      }
      const closed = new Promise<{ code: number; reason: string; wasClean: boolean }>((resolve) => {
        ws.onclose = (event) => resolve({ code: event.code, reason: event.reason, wasClean: event.wasClean });
      });
      const { protocol, extensions } = ws;
      ws.close(4000, "lesson over");
      return { protocol, extensions, replies, close: await closed };
    });
    const checksum = (size: number) => {
      let sum = 0;
      for (let i = 0; i < size; i++) sum = (sum + ((i * 31 + 7) & 0xff)) % 65521;
      return sum;
    };
    expect(result.protocol).toBe("echo.v1");
    expect(result.extensions).toBe("");
    expect(result.replies).toEqual([
      "Hello",
      "Привет, 👋",
      "",
      ...[125, 126, 65535, 65536, 1024 * 1024].map((size) => [size, checksum(size)]),
    ]);
    expect(result.close).toEqual({ code: 4000, reason: "", wasClean: true });
  });

  test("/inspect shows what Chromium put on the wire: its Origin, its deflate offer, a masking key per frame", async () => {
    const messages = await page.evaluate(async () => {
      const ws = new WebSocket(`${location.origin.replace("http", "ws")}/inspect`);
      const received: string[] = [];
      const enough = new Promise<void>((resolve) => {
        ws.onmessage = (event) => {
          received.push(event.data as string);
          if (received.length === 5) resolve();
        };
      });
      ws.onopen = () => {
        ws.send("Hello");
        ws.send("Hello");
      };
      await enough;
      ws.close();
      return received;
    });
    const handshake = JSON.parse(messages[0]!) as InspectHandshake;
    expect(handshake.requestLine).toBe("GET /inspect HTTP/1.1");
    expect(handshake.origin).toBe(base);
    expect(handshake.extensions.map((e) => e.name)).toContain("permessage-deflate");
    expect(handshake.protocol).toBeNull();
    const frames = [messages[1], messages[3]].map((m) => JSON.parse(m!) as InspectFrame);
    for (const frame of frames) {
      expect(frame).toMatchObject({ fin: true, rsv1: false, opcodeName: "text", masked: true, payloadLength: 5, payloadHex: "48656c6c6f" });
      expect(frame.maskingKey).toMatch(/^[0-9a-f]{8}$/);
    }
    // 5.3: a fresh key per frame, drawn from a strong source of entropy.
    expect(frames[0]!.maskingKey).not.toBe(frames[1]!.maskingKey);
    expect([messages[2], messages[4]]).toEqual(["Hello", "Hello"]);
  });

  test("a page from another origin is refused with 403, which Chromium reports as a failed connection", async () => {
    const other = await direct.newPage();
    await other.route("http://other.example/", (route) => route.fulfill({ contentType: "text/html", body: "<p>other site</p>" }));
    await other.goto("http://other.example/");
    const outcome = await other.evaluate(async (url) => {
      const ws = new WebSocket(url);
      return new Promise((resolve) => {
        ws.onopen = () => resolve("open");
        ws.onclose = (event) => resolve(`close ${event.code}`);
      });
    }, `${base.replace("http", "ws")}/echo`);
    expect(outcome).toBe("close 1006");
    await other.close();
  });
});

describe("the site under its Content-Security-Policy", () => {
  for (const path of ["/", "/en/", "/ru/", "/en/try-it-live/", "/en/opening-handshake/", "/en/framing/", "/en/playground/"]) {
    test(`${path} runs without a single CSP violation`, async () => {
      const { page: sitePage } = await browser.newPage();
      const violations: string[] = [];
      sitePage.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await sitePage.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) => {
          console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      await sitePage.goto(`${base}${path}`, { waitUntil: "networkidle" });
      // Scroll through the page so that every client:visible island hydrates.
      await sitePage.evaluate(async () => {
        for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
          scrollTo(0, y);
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
      });
      await sitePage.waitForLoadState("networkidle");
      expect(violations).toEqual([]);
    });
  }
});
