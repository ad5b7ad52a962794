import type { Page } from "playwright-core";
import { describe, expect, inject, test } from "vitest";
import { browserForFile } from "./browser.ts";
import { lessonPages } from "./pages.ts";
import { contrastRatio } from "../helpers/contrast.ts";

const base = inject("BASE_URL");
const browser = browserForFile();
const viewports = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } };

interface TokenColour {
  colour: string;
  background: string;
  sample: string;
}

/** Every colour a highlighted token is drawn in on this page, with the background of its block. */
function tokenColours(page: Page): Promise<TokenColour[]> {
  return page.evaluate(() => {
    const seen = new Map<string, { colour: string; background: string; sample: string }>();
    for (const pre of document.querySelectorAll<HTMLElement>("pre.astro-code")) {
      const background = getComputedStyle(pre).backgroundColor;
      for (const element of [pre, ...pre.querySelectorAll<HTMLElement>("span")]) {
        // Only text the element draws itself: a line's span holds tokens, not text of its own.
        const own = [...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent).join("");
        if (own.trim() === "") continue;
        const colour = getComputedStyle(element).color;
        seen.set(`${colour} ${background}`, { colour, background, sample: own.trim().slice(0, 30) });
      }
    }
    return [...seen.values()];
  });
}

describe("highlighted code in the lessons", () => {
  test("every token colour reaches 4.5:1 (WCAG AA) on its block's background, in the light and the dark theme", async () => {
    const { page } = await browser.newPage();
    const failures: string[] = [];
    let measured = 0;
    for (const path of lessonPages()) {
      await page.goto(base + path);
      for (const theme of ["light", "dark"]) {
        await page.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
        for (const { colour, background, sample } of await tokenColours(page)) {
          measured++;
          const ratio = contrastRatio(colour, background);
          if (ratio < 4.5) failures.push(`${path} ${theme}: ${colour} on ${background} is ${ratio.toFixed(2)}:1 (${JSON.stringify(sample)})`);
        }
      }
    }
    expect(measured).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  for (const [name, viewport] of Object.entries(viewports)) {
    test(`on a ${name}, the Copy button covers no code and code text is at least 14 px`, async () => {
      const { page } = await browser.newPage({ viewport });
      const covered: string[] = [];
      const small: string[] = [];
      let blocks = 0;
      for (const path of lessonPages()) {
        await page.goto(base + path);
        const found = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>(".code-block")].map((block, index) => {
            const button = block.querySelector(".copy-button")!.getBoundingClientRect();
            const pre = block.querySelector("pre")!;
            const view = pre.getBoundingClientRect();
            const hits = (rect: DOMRect) =>
              rect.width > 0 &&
              Math.max(rect.left, view.left, button.left) < Math.min(rect.right, view.right, button.right) &&
              Math.max(rect.top, view.top, button.top) < Math.min(rect.bottom, view.bottom, button.bottom);
            // The rectangles of the characters themselves, as they sit in the block (scrolled to its start).
            const range = document.createRange();
            const overlapping = [...pre.querySelectorAll(".line")].filter((line) => {
              range.selectNodeContents(line);
              return [...range.getClientRects()].some(hits);
            });
            const fontSize = parseFloat(getComputedStyle(pre.querySelector("code") ?? pre).fontSize);
            return { index, covered: overlapping.map((line) => line.textContent ?? ""), fontSize };
          }),
        );
        blocks += found.length;
        for (const block of found) {
          if (block.covered.length > 0) covered.push(`${path} block ${block.index + 1}: ${JSON.stringify(block.covered)}`);
          if (block.fontSize < 14) small.push(`${path} block ${block.index + 1}: ${block.fontSize}px`);
        }
      }
      expect(blocks).toBeGreaterThan(50);
      expect(covered).toEqual([]);
      expect(small).toEqual([]);
    });
  }
});
