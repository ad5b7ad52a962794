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

  test("a nonsense word finds nothing, though Pagefind answers it with lessons that use the letter x", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${base}/en/`);
    const message = page.locator('[data-testid="search"] [data-search-message]');
    await searchInput(page).fill("xyzzyq");
    await expect.poll(() => message.textContent(), { timeout: 20_000 }).toContain("xyzzyq");
    expect(await page.locator('[data-testid="search"] [role="option"]').count()).toBe(0);
    // A single letter is not searched for at all.
    await searchInput(page).fill("x");
    await expect.poll(() => message.textContent()).toMatch(/two letters/);
    expect(await page.locator('[data-testid="search"] [role="option"]').count()).toBe(0);
  });

  test("every lesson found is listed, and the status counts exactly the lessons listed", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${base}/en/`);
    await searchInput(page).fill("frame");
    await searchResults(page);
    const status = await page.locator('[data-testid="search"] [data-search-status]').textContent();
    const lessons = await page.locator('[data-testid="search"] [role="group"]').count();
    expect(Number(/\d+/.exec(status ?? "")?.[0])).toBe(lessons);
    // More than the eight the list used to stop at.
    expect(lessons).toBeGreaterThan(8);
    expect(await page.locator('[data-testid="search"] .search-result-page').count()).toBe(lessons);
  });

  test("each lesson comes with its best sections, which open at their heading with the words highlighted", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${base}/en/`);
    await searchInput(page).fill("polling");
    await searchResults(page);
    const sections = page.locator('[data-testid="search"] .search-result-section');
    expect(await sections.count()).toBeGreaterThan(0);
    const target = new URL((await sections.first().getAttribute("href"))!, base);
    const heading = decodeURIComponent(target.hash.slice(1));
    expect(heading).not.toBe("");
    expect(target.searchParams.get("highlight")).toMatch(/poll/);
    await sections.first().click();
    await page.waitForURL((url) => url.hash === target.hash);
    const anchor = page.locator(`[id="${heading}"]`);
    expect(await anchor.evaluate((el) => el.tagName)).toMatch(/^H[2-6]$/);
    // The browser scrolls to the heading (smoothly, where motion is welcome) once the page has loaded.
    await expect.poll(() => anchor.evaluate((el) => Math.round(el.getBoundingClientRect().top))).toBeLessThan(300);
    expect(await anchor.evaluate((el) => el.getBoundingClientRect().top)).toBeGreaterThanOrEqual(0);
    const marks = await page.locator("[data-pagefind-body] mark.search-highlight").allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.every((text) => /^poll/i.test(text))).toBe(true);
  });

  test("a lesson opened from a result highlights its words and scrolls to the first; a crafted link adds no markup", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${base}/ru/`);
    await searchInput(page).fill("соединениями");
    await searchResults(page);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.searchParams.has("highlight"));
    const marks = page.locator("[data-pagefind-body] mark.search-highlight");
    expect((await marks.allTextContents()).every((text) => /^соединени/i.test(text))).toBe(true);
    await expect.poll(async () => (await marks.first().boundingBox())?.y).toBeLessThan(900);
    expect((await marks.first().boundingBox())!.y).toBeGreaterThanOrEqual(0);

    const article = page.locator("[data-pagefind-body]");
    await page.goto(`${base}/en/masking/`);
    const images = await article.locator("img").count();
    await page.goto(`${base}/en/masking/?highlight=${encodeURIComponent("<img src=x onerror=alert(1)> mask <b>key</b>")}`);
    expect(await article.locator("img").count()).toBe(images);
    expect(await article.locator("b").count()).toBe(0);
    expect(new Set((await article.locator("mark.search-highlight").allTextContents()).map((text) => text.toLowerCase()))).toEqual(new Set(["mask"]));
  });
});
