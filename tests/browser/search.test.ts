import { describe, expect, inject, test } from "vitest";
import { browserForFile } from "./browser.ts";
import { searchInput, searchResults } from "./search.ts";

const base = inject("BASE_URL");
const browser = browserForFile();

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

  test("a page fetches nothing of Pagefind until the reader touches the search field", async () => {
    const { page, requests } = await browser.newPage();
    await page.goto(`${base}/en/masking/`, { waitUntil: "networkidle" });
    expect(requests.filter((url) => url.includes("/pagefind/"))).toEqual([]);
    // Typing at once, before Pagefind has loaded, loses no keystroke.
    await searchInput(page).focus();
    await page.keyboard.type("polling");
    expect(await searchInput(page).inputValue()).toBe("polling");
    const { hrefs } = await searchResults(page);
    expect(hrefs).toContain("/en/what-is-websocket/");
    expect(requests.some((url) => url.endsWith("/pagefind/pagefind.js"))).toBe(true);
  });

  test("markup quoted in a lesson comes back in the results as text, never as elements", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${base}/en/`);
    // The chat lesson quotes an injection attempt: <img src=x onerror=alert(1)>.
    await searchInput(page).fill("onerror");
    const { hrefs } = await searchResults(page);
    expect(hrefs).toContain("/en/building-a-chat/");
    const listbox = page.locator('[data-testid="search"] [role="listbox"]');
    expect(await listbox.locator("img, b, script").count()).toBe(0);
    expect(await listbox.innerText()).toContain("<img");
    await page.keyboard.press("Escape");
    expect(await searchInput(page).getAttribute("aria-expanded")).toBe("false");
    expect(await listbox.isVisible()).toBe(false);
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
