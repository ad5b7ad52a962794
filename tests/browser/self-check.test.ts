import type { Page } from "playwright-core";
import { describe, expect, inject, test } from "vitest";
import { browserForFile } from "./browser.ts";

const base = inject("BASE_URL");
const browser = browserForFile();

/** The first lesson (in course order) that ends with a self-check. */
async function lessonWithSelfCheck(page: Page, lang: "en" | "ru"): Promise<string> {
  await page.goto(`${base}/${lang}/`);
  const lessons = await page.locator(".lesson-cards a").evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  for (const path of lessons) {
    await page.goto(base + path);
    if ((await page.locator("[data-self-check]").count()) > 0) return path;
  }
  throw new Error(`no ${lang} lesson has a self-check`);
}

async function answerAll(page: Page, pick: (answer: number, optionCount: number) => number): Promise<void> {
  const questions = page.locator("[data-self-check] fieldset[data-answer]");
  for (let i = 0; i < (await questions.count()); i++) {
    const question = questions.nth(i);
    const answer = Number(await question.getAttribute("data-answer"));
    const options = question.locator('input[type="radio"]');
    await options.nth(pick(answer, await options.count())).check();
  }
}

describe("the self-check at the end of a lesson", () => {
  test("a wrong answer is called out with its explanation and the lesson is not marked done", async () => {
    const { page } = await browser.newPage();
    const path = await lessonWithSelfCheck(page, "en");
    const lesson = await page.locator("[data-self-check]").first().getAttribute("data-lesson");
    await answerAll(page, (answer, count) => (answer + 1) % count);
    await page.locator("[data-self-check] button[type=submit]").first().click();
    const feedback = page.locator("[data-self-check] fieldset").first().locator("[data-feedback]");
    await expect(feedback.textContent()).resolves.toMatch(/^Not quite\. \S/);
    expect(await feedback.getAttribute("aria-live")).toBe("polite");
    expect(await page.evaluate((key) => localStorage.getItem(key), `ws-lab:done:${lesson}`)).toBeNull();
    expect(await page.locator(`[data-sidebar] a[href="${path}"] [data-done-mark]`).isVisible()).toBe(false);
  });

  test("all answers right marks the lesson done in storage and in the lesson list of both languages", async () => {
    const { page } = await browser.newPage();
    const path = await lessonWithSelfCheck(page, "ru");
    const lesson = await page.locator("[data-self-check]").first().getAttribute("data-lesson");
    await answerAll(page, (answer) => answer);
    await page.locator("[data-self-check] button[type=submit]").first().click();
    await expect(page.locator("[data-self-check] [data-summary]").first().textContent()).resolves.toMatch(/Всё верно/);
    expect(await page.evaluate((key) => localStorage.getItem(key), `ws-lab:done:${lesson}`)).toBe("1");
    expect(await page.locator(`[data-sidebar] a[href="${path}"] [data-done-mark]`).isVisible()).toBe(true);
    // The slug names the lesson in both languages, so the English list shows it as done as well.
    await page.goto(base + path.replace("/ru/", "/en/"));
    expect(await page.locator(`[data-sidebar] a[data-lesson-link="${lesson}"] [data-done-mark]`).isVisible()).toBe(true);
  });

  test("the radio groups work from the keyboard and changing an answer after checking re-grades it at once", async () => {
    const { page } = await browser.newPage();
    await lessonWithSelfCheck(page, "en");
    const question = page.locator("[data-self-check] fieldset[data-answer]").first();
    const answer = Number(await question.getAttribute("data-answer"));
    const options = question.locator('input[type="radio"]');
    await options.first().focus();
    await page.keyboard.press("Space");
    for (let i = 0; i < answer; i++) await page.keyboard.press("ArrowDown");
    expect(await options.nth(answer).isChecked()).toBe(true);
    await page.locator("[data-self-check] button[type=submit]").first().focus();
    await page.keyboard.press("Enter");
    const feedback = question.locator("[data-feedback]");
    await expect(feedback.textContent()).resolves.toMatch(/^Correct\./);
    await options.nth(answer).focus();
    await page.keyboard.press(answer === 0 ? "ArrowDown" : "ArrowUp");
    await expect(feedback.textContent()).resolves.toMatch(/^Not quite\./);
  });
});
