import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, inject, test } from "vitest";
import { browserForFile } from "./browser.ts";
import { searchInput, searchResults } from "./search.ts";

const base = inject("BASE_URL");
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const browser = browserForFile();

interface Violation {
  id: string;
  nodes: { target: unknown; failureSummary?: string }[];
}

async function violationsIn(page: Page, theme: "light" | "dark"): Promise<string[]> {
  await page.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: object): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations.flatMap((v) => v.nodes.map((node) => `${theme} ${v.id} ${JSON.stringify(node.target)}: ${node.failureSummary ?? ""}`));
}

/** The first lesson in course order, which has no widgets but ends with a self-check. */
async function firstLesson(page: Page, lang: string): Promise<string> {
  await page.goto(`${base}/${lang}/`);
  return new URL(await page.locator(".lesson-cards a").first().evaluate((a) => (a as HTMLAnchorElement).href)).pathname;
}

describe.each(["en", "ru"])("accessibility of the %s site chrome (axe, both themes)", (lang) => {
  test("the home page has no violations", async () => {
    const { page } = await browser.newPage({ bypassCSP: true });
    await page.goto(`${base}/${lang}/`);
    await page.addScriptTag({ path: axePath });
    expect([...(await violationsIn(page, "light")), ...(await violationsIn(page, "dark"))]).toEqual([]);
  });

  test("the search box with its results open and one chosen has no violations", async () => {
    const { page } = await browser.newPage({ bypassCSP: true });
    await page.goto(`${base}/${lang}/`);
    await searchInput(page).fill(lang === "en" ? "polling" : "соединение");
    await searchResults(page);
    await page.keyboard.press("ArrowDown");
    expect(await searchInput(page).getAttribute("aria-expanded")).toBe("true");
    await page.addScriptTag({ path: axePath });
    expect([...(await violationsIn(page, "light")), ...(await violationsIn(page, "dark"))]).toEqual([]);
  });

  test("a lesson with words highlighted by a search result has no violations, links and code included", async () => {
    const { page } = await browser.newPage({ bypassCSP: true });
    // Words of the prose, of links ("RFC 6455 §1.1", "the masking lesson") and of code blocks.
    await page.goto(`${base}/${lang}/what-is-websocket/?highlight=${lang === "en" ? "rfc+masking+websocket+http" : "rfc+маскировании+websocket+http"}`);
    expect(await page.locator("mark.search-highlight").count()).toBeGreaterThan(2);
    await page.addScriptTag({ path: axePath });
    expect([...(await violationsIn(page, "light")), ...(await violationsIn(page, "dark"))]).toEqual([]);
  });

  test("a lesson with its self-check feedback showing has no violations, on a desktop and on a phone", async () => {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      const { page } = await browser.newPage({ bypassCSP: true, viewport });
      await page.goto(base + (await firstLesson(page, lang)));
      const questions = page.locator("[data-self-check] fieldset[data-answer]");
      // One right and one wrong answer, so both feedback colours are checked for contrast.
      await questions.nth(0).locator(`input[value="${await questions.nth(0).getAttribute("data-answer")}"]`).check();
      await page.locator("[data-self-check] button[type=submit]").first().click();
      // On the phone, check the opened lesson menu too.
      if (viewport.width < 800) await page.locator("[data-menu-button]").click();
      await page.addScriptTag({ path: axePath });
      expect([...(await violationsIn(page, "light")), ...(await violationsIn(page, "dark"))]).toEqual([]);
    }
  });
});

test("the 404 pages, bilingual and Russian, have no violations", async () => {
  const { page } = await browser.newPage({ bypassCSP: true });
  for (const path of ["/nowhere/", "/ru/does-not-exist/"]) {
    await page.goto(`${base}${path}`);
    await page.addScriptTag({ path: axePath });
    expect([...(await violationsIn(page, "light")), ...(await violationsIn(page, "dark"))], path).toEqual([]);
  }
});
