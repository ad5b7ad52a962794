import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll, onTestFinished } from "vitest";
import { chromiumPath } from "../helpers/chromium.ts";

export interface TestBrowser {
  /** A fresh context and page; the running test fails if the page talks to any other origin. */
  newPage(options?: BrowserContextOptions): Promise<RecordedPage>;
  close(): Promise<void>;
}

export interface RecordedPage {
  page: Page;
  context: BrowserContext;
  /** Every URL the page requested (HTTP and WebSocket), in order. */
  requests: string[];
}

/** Only the site's own server may be contacted: the course promises to load nothing from elsewhere. */
function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  return hostname === "127.0.0.1";
}

export async function launchBrowser(): Promise<TestBrowser> {
  // playwright gives every launch a fresh temporary user-data-dir and deletes it on close.
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });

  return {
    async newPage(options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
      // Fail fast: every page here is local and static, so 10 s means something is broken.
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      const requests: string[] = [];
      const foreign: string[] = [];
      const pageErrors: string[] = [];
      await context.route("**/*", (route) => {
        const url = route.request().url();
        requests.push(url);
        if (isLocal(url)) return route.continue();
        foreign.push(url);
        return route.abort("blockedbyclient");
      });
      // Observed, not routed: a routed WebSocket would be Playwright's own client, and /inspect must
      // see the frames (and masking keys) that Chromium itself puts on the wire.
      page.on("websocket", (ws) => {
        requests.push(ws.url());
        if (!isLocal(ws.url())) foreign.push(ws.url());
      });
      page.on("pageerror", (error) => pageErrors.push(String(error)));
      onTestFinished(async () => {
        await context.close();
        if (foreign.length > 0) throw new Error(`the page requested other origins:\n${foreign.join("\n")}`);
        if (pageErrors.length > 0) throw new Error(`the page threw:\n${pageErrors.join("\n")}`);
      });
      return { page, context, requests };
    },
    async close() {
      await browser.close();
    },
  };
}

/**
 * One browser for the calling test file: launched before its first test and closed after its last,
 * so each file pays for one Chromium start. Call at the top level of a test file.
 */
export function browserForFile(): Pick<TestBrowser, "newPage"> {
  let browser: TestBrowser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    newPage(options) {
      if (!browser) throw new Error("newPage() is for tests: the browser is launched in beforeAll");
      return browser.newPage(options);
    },
  };
}
