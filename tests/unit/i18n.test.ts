import { describe, expect, test } from "vitest";
import { en } from "../../src/i18n/en.ts";
import { ru } from "../../src/i18n/ru.ts";
import { hasKey, t, translator, type UiKey } from "../../src/i18n/index.ts";

/** Every text of an entry: the string itself, or each plural form of a counted one. */
const texts = (entry: string | Record<string, string>) => (typeof entry === "string" ? [entry] : Object.values(entry));
const placeholders = (entry: string | Record<string, string>) =>
  [...new Set(texts(entry).flatMap((text) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1])))].sort();

describe("UI strings", () => {
  test("t() fills every {{name}} placeholder from params and leaves unknown ones visible", () => {
    expect(t("en", "quiz.score", { correct: 2, total: 3 })).toBe("2 of 3 correct.");
    expect(t("ru", "quiz.score", { correct: 2, total: 3 })).toBe("Верных ответов: 2 из 3.");
    expect(t("en", "quiz.score", { correct: 1 })).toBe("1 of {{total}} correct.");
    expect(translator("ru")("nav.lessonNumber", { n: 5 })).toBe("Урок 5");
  });

  test("a placeholder value is inserted literally, never re-interpreted", () => {
    expect(t("en", "nav.lessonNumber", { n: "{{n}} $& $1" })).toBe("Lesson {{n}} $& $1");
  });

  test("English and Russian have exactly the same keys at run time", () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
  });

  test("no string is empty in either language", () => {
    for (const dictionary of [en, ru]) {
      const empty = Object.entries(dictionary).filter(([, entry]) => texts(entry).some((text) => text.trim() === ""));
      expect(empty).toEqual([]);
    }
  });

  test("each Russian string uses the same placeholders as its English source", () => {
    const mismatched = (Object.keys(en) as UiKey[]).filter(
      (key) => placeholders(en[key]).join() !== placeholders(ru[key]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  test("hasKey() accepts known keys and rejects made-up ones", () => {
    expect(hasKey("site.name")).toBe(true);
    expect(hasKey("site.noSuchKey")).toBe(false);
  });
});
