import { describe, expect, inject, test } from "vitest";
import { browserForFile } from "./browser.ts";
import { builtPages } from "./pages.ts";

const base = inject("BASE_URL");

function langOfPath(path: string): "en" | "ru" | null {
  const first = path.split("/")[1];
  return first === "en" || first === "ru" ? first : null;
}

const browser = browserForFile();

describe("the built site", () => {
  test("every page reachable from /en/ and /ru/ has the right lang, a working language switch and no dead links", async () => {
    const { page } = await browser.newPage();
    const queue = ["/en/", "/ru/", ...builtPages().filter((path) => path !== "/404.html")];
    const seen = new Set<string>();
    const linkStatus = new Map<string, number>();
    const problems: string[] = [];

    while (queue.length > 0) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await page.goto(base + path);
      if (response?.status() !== 200) {
        problems.push(`${path}: HTTP ${response?.status()}`);
        continue;
      }
      if (new URL(page.url()).pathname !== path) continue; // the root page redirects by language
      const lang = langOfPath(path);
      const htmlLang = await page.locator("html").getAttribute("lang");
      if (lang && htmlLang !== lang) problems.push(`${path}: <html lang="${htmlLang}">, expected "${lang}"`);
      if (lang && (await page.locator("main#content").count()) !== 1) problems.push(`${path}: no <main id="content">`);
      if (lang && (await page.locator('a.skip-link[href="#content"]').count()) !== 1) problems.push(`${path}: no skip link`);

      const hrefs = await page.$$eval("a[href]", (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
      for (const href of hrefs) {
        const url = new URL(href);
        if (url.origin !== base) continue;
        const target = url.pathname;
        if (!linkStatus.has(target)) {
          const check = await page.request.get(base + target, { maxRedirects: 0 });
          linkStatus.set(target, check.status());
          if (check.status() === 200 && check.headers()["content-type"]?.includes("text/html")) queue.push(target);
        }
        if (linkStatus.get(target) !== 200) problems.push(`${path} links to ${target}: HTTP ${linkStatus.get(target)}`);
      }

      if (lang) {
        const twin = await page.getAttribute('[data-testid="lang-switch"]', "href");
        const other = lang === "en" ? "ru" : "en";
        // A not-found page has no twin: its switch goes to the other language's home.
        const expected = path === `/${lang}/404.html` ? `/${other}/` : path.replace(/^\/(en|ru)\//, `/${other}/`);
        if (twin !== expected) problems.push(`${path}: language switch goes to ${twin}, expected ${expected}`);
      }
    }

    expect(problems).toEqual([]);
    // Both languages were crawled, with more than the two home pages each.
    expect([...seen].filter((path) => path.startsWith("/en/")).length).toBeGreaterThan(1);
    expect([...seen].filter((path) => path.startsWith("/ru/")).length).toBeGreaterThan(1);
  });

  test("the language switch leads to the twin page, which speaks the other language and links back", async () => {
    const { page } = await browser.newPage();
    const lessons = builtPages().filter((path) => /^\/en\/[^/]+\/$/.test(path));
    expect(lessons.length).toBeGreaterThan(0);
    for (const path of ["/en/", ...lessons]) {
      await page.goto(base + path);
      const [response] = await Promise.all([page.waitForEvent("response", (r) => r.request().isNavigationRequest()), page.click('[data-testid="lang-switch"]')]);
      await page.waitForLoadState();
      expect(new URL(page.url()).pathname).toBe(path.replace(/^\/en\//, "/ru/"));
      expect(response.status(), `the Russian twin of ${path}`).toBe(200);
      expect(await page.locator("html").getAttribute("lang")).toBe("ru");
      expect(await page.locator('[data-testid="lang-switch"]').getAttribute("href")).toBe(path);
    }
  });

  test("an unknown address outside /en/ and /ru/ answers 404 with the not-found page in both languages", async () => {
    const { page } = await browser.newPage();
    const response = await page.goto(base + "/no-such-page/");
    expect(response?.status()).toBe(404);
    await expect(page.locator('[data-not-found] [lang="en"] h1').textContent()).resolves.toMatch(/not found/i);
    await expect(page.locator('[data-not-found] [lang="ru"] h1').textContent()).resolves.toMatch(/не найдена/i);
  });

  for (const [lang, other, heading] of [
    ["ru", "en", /страница не найдена/i],
    ["en", "ru", /page not found/i],
  ] as const) {
    test(`an unknown address under /${lang}/ answers 404 with that language's not-found page inside the site header and sidebar`, async () => {
      const { page } = await browser.newPage();
      const response = await page.goto(`${base}/${lang}/does-not-exist/`);
      expect(response?.status()).toBe(404);
      expect(await page.locator("html").getAttribute("lang")).toBe(lang);
      await expect(page.locator("main#content h1").textContent()).resolves.toMatch(heading);
      // The chrome of every other page: header with search, language switch and theme toggle, the lesson list.
      expect(await page.locator('.site-header [data-testid="search"] input').count()).toBe(1);
      expect(await page.locator(".site-header [data-theme-toggle]").count()).toBe(1);
      expect(await page.locator('.site-header [data-testid="lang-switch"]').getAttribute("href")).toBe(`/${other}/`);
      expect(await page.locator("#sidebar [data-lesson-link]").count()).toBeGreaterThan(0);
      expect(await page.locator(`main#content a[href="/${lang}/"]`).count()).toBe(1);
      expect(await page.locator(`main#content a[href="/${lang}/playground/"]`).count()).toBe(1);
      expect(await page.locator('meta[name="robots"]').getAttribute("content")).toBe("noindex");
      expect(await page.locator("[data-pagefind-body]").count()).toBe(0);
    });
  }

  test("the root page sends a Russian browser to /ru/ and any other to /en/", async () => {
    for (const [locale, expected] of [
      ["ru-RU", "/ru/"],
      ["en-US", "/en/"],
      ["de-DE", "/en/"],
    ] as const) {
      const { page } = await browser.newPage({ locale });
      await page.goto(base + "/");
      await page.waitForURL((url) => url.pathname === expected);
      expect(await page.locator("html").getAttribute("lang")).toBe(expected.slice(1, 3));
    }
  });

  test("without JavaScript the root page still offers both languages", async () => {
    const { page } = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(base + "/");
    expect(await page.locator('a[href="/en/"]').count()).toBe(1);
    expect(await page.locator('a[href="/ru/"]').count()).toBe(1);
  });
});
