import { describe, expect, test } from "vitest";
import { en } from "../../src/i18n/en.ts";
import { ru } from "../../src/i18n/ru.ts";
import { locales, t, type Lang, type UiKey } from "../../src/i18n/index.ts";

const dictionaries: Record<Lang, Record<string, string | Record<string, string>>> = { en, ru };
const counted = (lang: Lang) => Object.keys(dictionaries[lang]).filter((key) => typeof dictionaries[lang][key] !== "string");

describe("counted strings", () => {
  test("Russian has three forms for a whole number of bytes: 1 байт, 2 байта, 5 байт", () => {
    const bytes = (count: number) => t("ru", "frameEncoder.fillBytes", { count });
    expect([1, 2, 5, 11, 21, 22, 0].map(bytes)).toEqual(["1 байт", "2 байта", "5 байт", "11 байт", "21 байт", "22 байта", "0 байт"]);
    expect([3, 4, 12, 14, 101, 111, 1024].map(bytes)).toEqual(["3 байта", "4 байта", "12 байт", "14 байт", "101 байт", "111 байт", "1024 байта"]);
  });

  test("English has two: 1 byte, 2 bytes, 0 bytes", () => {
    const bytes = (count: number) => t("en", "frameEncoder.fillBytes", { count });
    expect([1, 2, 0, 21].map(bytes)).toEqual(["1 byte", "2 bytes", "0 bytes", "21 bytes"]);
  });

  test("the terminal reports a binary message in Russian words with the right form", () => {
    expect(t("ru", "terminal.message.binary", { count: 3 })).toBe("двоичные данные, 3 байта");
    expect(t("ru", "terminal.message.ping", { count: 2 })).toBe("ping, 2 байта");
    expect(t("ru", "terminal.message.fragments", { count: 21 })).toBe("в 21 фрейме");
    expect(t("ru", "terminal.message.fragments", { count: 3 })).toBe("в 3 фреймах");
    expect(t("en", "terminal.message.binary", { count: 1 })).toBe("binary, 1 byte");
  });

  test("a counted string keeps its other placeholders", () => {
    expect(t("ru", "closeBuilder.meterText", { used: 5, count: 123, characters: t("ru", "closeBuilder.characters", { count: 2 }) })).toBe(
      "Занято 5 из 123 байт (2 символа).",
    );
  });

  test("a counted string asked for without its count is a loud mistake, not a wrong word", () => {
    expect(() => t("en", ...(["frameEncoder.fillBytes", {}] as unknown as ["frameEncoder.fillBytes", { count: number }]))).toThrow(/count/);
  });

  for (const lang of locales) {
    test(`every counted ${lang} string has exactly the forms Intl.PluralRules("${lang}") can choose, each showing the number`, () => {
      const categories = [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
      for (const key of counted(lang)) {
        const forms = dictionaries[lang][key] as Record<string, string>;
        expect(Object.keys(forms).sort(), key).toEqual(categories);
        for (const form of Object.values(forms)) expect(form, key).toContain("{{count}}");
      }
    });
  }

  test("a string counted in English is counted in Russian too", () => {
    expect(counted("ru").sort()).toEqual(counted("en").sort());
    expect(counted("en").length).toBeGreaterThan(20);
  });

  test("no plain string puts a number placeholder right before a counted noun (that needs plural forms)", () => {
    const countedNoun: Record<Lang, RegExp> = {
      en: /\{\{\w+\}\}\s+(?:\S+\s+)?(?:bytes?|frames?|fragments?|messages?|characters?|checks?|lessons?|results?|questions?)\b/,
      ru: /\{\{\w+\}\}\s+(?:\S+\s+)?(?:байт|фрейм|фрагмент|сообщени|символ|провер|урок|результат|вопрос)/,
    };
    for (const lang of locales) {
      const plain = Object.entries(dictionaries[lang]).filter(([, entry]) => typeof entry === "string") as [UiKey, string][];
      expect(plain.filter(([, text]) => countedNoun[lang].test(text)).map(([key]) => key)).toEqual([]);
    }
  });

  test("Russian strings say 'двоичные' and 'байт', not 'binary' or 'bytes' (placeholders aside)", () => {
    const english = Object.entries(ru).filter(([, entry]) =>
      (typeof entry === "string" ? [entry] : Object.values(entry)).some((text) =>
        /\b(?:binary|bytes?)\b/i.test(text.replace(/\{\{\w+\}\}/g, "")),
      ),
    );
    expect(english.map(([key]) => key)).toEqual([]);
  });
});
