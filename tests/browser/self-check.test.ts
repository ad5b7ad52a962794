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

/** Picks one option per question; `pick` gets the right option's index as the lesson wrote it. */
async function answerAll(page: Page, pick: (answer: number, optionCount: number) => number): Promise<void> {
  const questions = page.locator("[data-self-check] fieldset[data-answer]");
  for (let i = 0; i < (await questions.count()); i++) {
    const question = questions.nth(i);
    const answer = Number(await question.getAttribute("data-answer"));
    const count = await question.locator('input[type="radio"]').count();
    // The radio's value is the option's index in the lesson, wherever the shuffle put it.
    await question.locator(`input[type="radio"][value="${pick(answer, count)}"]`).check();
  }
}

/** Per question, the option texts in the order the reader sees them. */
function shownOrder(page: Page): Promise<string[][]> {
  return page
    .locator("[data-self-check] fieldset[data-answer]")
    .evaluateAll((fieldsets) => fieldsets.map((fieldset) => [...fieldset.querySelectorAll("label.option")].map((label) => label.textContent!.trim())));
}

/** Per question, the option texts in the order the lesson wrote them: the page as served, before any script. */
async function writtenOrder(path: string): Promise<string[][]> {
  const { page } = await browser.newPage({ javaScriptEnabled: false });
  await page.goto(base + path);
  return shownOrder(page);
}

/** A reader whose shuffle seed is fixed, as if they had visited before. */
async function readerWithSeed(seed: number) {
  const opened = await browser.newPage();
  await opened.context.addInitScript((value) => localStorage.setItem("ws-lab:quiz-seed", value), String(seed));
  return opened;
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

  test("the radio groups work from the keyboard in the order shown and changing an answer after checking re-grades it at once", async () => {
    const { page } = await browser.newPage();
    await lessonWithSelfCheck(page, "en");
    const question = page.locator("[data-self-check] fieldset[data-answer]").first();
    const answer = await question.getAttribute("data-answer");
    const options = question.locator('input[type="radio"]');
    // Arrow keys walk the options as they are shown: count the steps to the right one on screen.
    const shownAt = (await options.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).indexOf(answer!);
    await options.first().focus();
    await page.keyboard.press("Space");
    for (let i = 0; i < shownAt; i++) await page.keyboard.press("ArrowDown");
    expect(await options.nth(shownAt).isChecked()).toBe(true);
    expect(await options.nth(shownAt).getAttribute("value")).toBe(answer);
    await page.locator("[data-self-check] button[type=submit]").first().focus();
    await page.keyboard.press("Enter");
    const feedback = question.locator("[data-feedback]");
    await expect(feedback.textContent()).resolves.toMatch(/^Correct\./);
    await options.nth(shownAt).focus();
    await page.keyboard.press(shownAt === 0 ? "ArrowDown" : "ArrowUp");
    await expect(feedback.textContent()).resolves.toMatch(/^Not quite\./);
  });

  test("each reader gets the options in an order of their own, the same on every visit", async () => {
    const first = await readerWithSeed(1);
    const path = await lessonWithSelfCheck(first.page, "en");
    const written = await writtenOrder(path);
    const firstOrder = await shownOrder(first.page);
    await first.page.reload();
    expect(await shownOrder(first.page)).toEqual(firstOrder);

    const second = await readerWithSeed(2);
    await second.page.goto(base + path);
    const secondOrder = await shownOrder(second.page);
    expect(secondOrder).not.toEqual(firstOrder);
    expect(firstOrder).not.toEqual(written);
    // Only the order changes: each question keeps all of its options.
    for (const order of [firstOrder, secondOrder]) {
      expect(order.map((options) => [...options].sort())).toEqual(written.map((options) => [...options].sort()));
    }
  });

  test("a first-time reader gets a seed that is kept, and the shown right answer is graded right with its explanation", async () => {
    const { page } = await browser.newPage();
    const path = await lessonWithSelfCheck(page, "en");
    const seed = await page.evaluate(() => localStorage.getItem("ws-lab:quiz-seed"));
    expect(seed).toMatch(/^\d+$/);
    const order = await shownOrder(page);
    await page.goto(base + path);
    expect(await page.evaluate(() => localStorage.getItem("ws-lab:quiz-seed"))).toBe(seed);
    expect(await shownOrder(page)).toEqual(order);

    // Click the label that reads as the lesson's right answer, wherever it is shown.
    const written = await writtenOrder(path);
    const questions = page.locator("[data-self-check] fieldset[data-answer]");
    for (let i = 0; i < (await questions.count()); i++) {
      const answer = Number(await questions.nth(i).getAttribute("data-answer"));
      await questions.nth(i).locator("label.option").filter({ has: page.getByText(written[i]![answer]!, { exact: true }) }).click();
    }
    await page.locator("[data-self-check] button[type=submit]").first().click();
    const feedbacks = await questions.locator("[data-feedback]").allTextContents();
    const explanations = await questions.evaluateAll((fieldsets) => fieldsets.map((f) => (f as HTMLElement).dataset.explanation!));
    feedbacks.forEach((feedback, i) => expect(feedback).toBe(`Correct. ${explanations[i]}`));
  });
});
