import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { launchBrowser, type TestBrowser } from "./browser.ts";
import { searchInput, searchResults } from "./search.ts";

const base = inject("BASE_URL");
let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("Pagefind search over the built lessons", () => {
  test("an English word finds the English lesson, and only English pages", async () => {
    const { page, requests } = await browser.newPage();
    await page.goto(`${base}/en/`);
    await searchInput(page).fill("polling");
    const { hrefs } = await searchResults(page);
    expect(hrefs).toContain("/en/what-is-websocket/");
    expect(hrefs.every((href) => href.startsWith("/en/"))).toBe(true);
    // The index and the UI come from the site itself.
    expect(requests.some((url) => url.startsWith(`${base}/pagefind/`))).toBe(true);
  });

  test("a Russian word in another grammatical form finds the Russian lesson through stemming", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${base}/ru/`);
    // The lesson says "соединение", "соединений", "соединению", but never this instrumental plural.
    await searchInput(page).fill("соединениями");
    const { hrefs, marked } = await searchResults(page);
    expect(hrefs).toContain("/ru/what-is-websocket/");
    expect(hrefs.every((href) => href.startsWith("/ru/"))).toBe(true);
    expect(marked.some((word) => word.startsWith("соединени") && word !== "соединениями")).toBe(true);
  });

  test("the index holds lesson text only, not home pages or site chrome", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${base}/en/`);
    // "WebSocket" is in the home page's title and intro too; only lessons may answer.
    await searchInput(page).fill("WebSocket");
    const { hrefs } = await searchResults(page);
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.every((href) => /^\/en\/[^/]+\/$/.test(href) && href !== "/en/playground/")).toBe(true);
  });
});
