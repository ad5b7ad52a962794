import type { Page } from "playwright-core";

/** The header search field: a combobox over Pagefind's JS API, loaded on first use. */
export function searchInput(page: Page) {
  return page.locator('[data-testid="search"] input');
}

/** Waits until the dropdown lists results and returns their link targets and marked words. */
export async function searchResults(page: Page): Promise<{ hrefs: string[]; marked: string[] }> {
  const results = page.locator('[data-testid="search"] [role="listbox"] a[href]');
  await results.first().waitFor({ state: "visible", timeout: 20_000 });
  const hrefs = await results.evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  const marked = await page
    .locator('[data-testid="search"] [role="listbox"] mark')
    .evaluateAll((marks) => marks.map((m) => (m.textContent ?? "").toLowerCase().replace(/[^\p{L}\p{N}-]/gu, "")));
  return { hrefs, marked };
}
