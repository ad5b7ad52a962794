import type { Page } from "playwright-core";
import { describe, expect, inject, test } from "vitest";
import { browserForFile } from "./browser.ts";
import { searchResults } from "./search.ts";

const base = inject("BASE_URL");
const browser = browserForFile();
let lessonPath: string;

/** A short name for whatever has focus, so a failing run shows where Tab went. */
function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return "body";
    if (el.classList.contains("skip-link")) return "skip-link";
    if (el.closest('[data-testid="search"]') && el.tagName === "INPUT") return "search";
    if (el.matches('[data-testid="lang-switch"]')) return "lang-switch";
    if (el.matches("[data-theme-toggle]")) return "theme-toggle";
    if (el.matches("[data-menu-button]")) return "menu-button";
    if (el.closest("[data-sidebar]") && el.tagName === "A") return `sidebar:${new URL((el as HTMLAnchorElement).href).pathname}`;
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}`;
  });
}

/** Presses Tab until `wanted` has focus; returns everything focused on the way. */
async function tabTo(page: Page, wanted: (name: string) => boolean, limit = 40): Promise<string[]> {
  const visited: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const name = await describeFocus(page);
    visited.push(name);
    if (wanted(name)) return visited;
  }
  throw new Error(`Tab never reached the target; focus went: ${visited.join(" -> ")}`);
}

async function openLesson(page: Page): Promise<void> {
  if (!lessonPath) {
    await page.goto(`${base}/en/`);
    lessonPath = new URL(await page.locator(".lesson-cards a").first().evaluate((a) => (a as HTMLAnchorElement).href)).pathname;
  }
  await page.goto(base + lessonPath);
}

describe("keyboard use of the site chrome", () => {
  test("Tab reaches the skip link, search, language switch, theme toggle and the lesson list, in that order", async () => {
    const { page } = await browser.newPage();
    await openLesson(page);
    const visited = await tabTo(page, (name) => name.startsWith("sidebar:"));
    const order = ["skip-link", "search", "lang-switch", "theme-toggle"].map((name) => visited.indexOf(name));
    expect(order.every((index) => index >= 0), visited.join(" -> ")).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(visited[0]).toBe("skip-link");
  });

  test("the skip link moves focus to the main content", async () => {
    const { page } = await browser.newPage();
    await openLesson(page);
    await tabTo(page, (name) => name === "skip-link");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("content");
  });

  test("Enter and Space on the theme toggle switch the theme and remember it", async () => {
    const { page } = await browser.newPage({ colorScheme: "light" });
    await openLesson(page);
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    expect(await theme()).toBe("light");
    await tabTo(page, (name) => name === "theme-toggle");
    await page.keyboard.press("Enter");
    expect(await theme()).toBe("dark");
    expect(await page.getAttribute("[data-theme-toggle]", "aria-pressed")).toBe("true");
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).not.toBe("rgb(255, 255, 255)");
    await page.keyboard.press("Space");
    expect(await theme()).toBe("light");
    await page.keyboard.press("Space");
    await page.reload();
    expect(await theme()).toBe("dark");
  });

  test("the system preference decides the first theme", async () => {
    const { page } = await browser.newPage({ colorScheme: "dark" });
    await openLesson(page);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
  });

  test("Enter on the language switch opens the same lesson in Russian", async () => {
    const { page } = await browser.newPage();
    await openLesson(page);
    await tabTo(page, (name) => name === "lang-switch");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === lessonPath.replace("/en/", "/ru/"));
    expect(await page.locator("html").getAttribute("lang")).toBe("ru");
  });

  test("typing in the search field shows results that the arrow keys and Enter open", async () => {
    const { page } = await browser.newPage();
    await openLesson(page);
    await tabTo(page, (name) => name === "search");
    await page.keyboard.type("polling");
    const { hrefs } = await searchResults(page);
    expect(hrefs.length).toBeGreaterThan(0);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => hrefs.includes(url.pathname));
  });

  test("Enter on a lesson in the list opens it", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${base}/en/`);
    const visited = await tabTo(page, (name) => name.startsWith("sidebar:/en/") && name !== "sidebar:/en/");
    const target = visited.at(-1)!.slice("sidebar:".length);
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === target);
    expect(await page.locator(`[data-sidebar] a[aria-current="page"]`).getAttribute("href")).toBe(target);
  });

  test("the Copy button of a code block copies exactly its code", async () => {
    const { page } = await browser.newPage({ permissions: ["clipboard-read", "clipboard-write"] });
    await openLesson(page);
    const block = page.locator(".code-block").first();
    const button = block.locator(".copy-button");
    await button.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => button.textContent()).toBe("Copied");
    const code = await block.locator("pre code").innerText();
    expect(code.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
  });

  test("on a phone the menu button opens and closes the lesson list and says so with aria-expanded", async () => {
    const { page } = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await openLesson(page);
    const sidebar = page.locator("[data-sidebar]");
    const button = page.locator("[data-menu-button]");
    expect(await sidebar.isVisible()).toBe(false);
    expect(await button.evaluate((el) => el.tagName)).toBe("BUTTON");
    await tabTo(page, (name) => name === "menu-button");
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    await page.keyboard.press("Enter");
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    expect(await sidebar.isVisible()).toBe(true);
    expect(await describeFocus(page)).toMatch(/^sidebar:/);
    await page.keyboard.press("Escape");
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    expect(await sidebar.isVisible()).toBe(false);
    expect(await describeFocus(page)).toBe("menu-button");
  });
});
