import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { findAvoided, parseGlossary, type Hit } from "../helpers/glossary.ts";
import { lessonFiles, readLesson } from "../helpers/lesson-parity.ts";
import { ru } from "../../src/i18n/ru.ts";

const glossary = readFileSync(fileURLToPath(new URL("../../docs/GLOSSARY.md", import.meta.url)), "utf8");
const rules = parseGlossary(glossary);
const lessonsDir = fileURLToPath(new URL("../../content/lessons/", import.meta.url));

const report = (hits: Hit[]) => hits.map((hit) => `${hit.where}:${hit.line}: «${hit.found}» (${hit.term}: write ${hit.use})`);

describe("Russian text follows docs/GLOSSARY.md", () => {
  test("the glossary lists forms to avoid", () => {
    expect(rules.length).toBeGreaterThan(20);
  });

  test.each(lessonFiles(lessonsDir, "ru"))("ru/%s uses no form the glossary tells us to avoid", (name) => {
    expect(report(findAvoided(rules, `content/lessons/ru/${name}`, readLesson(lessonsDir, "ru", name)))).toEqual([]);
  });

  test("no Russian UI string uses a form the glossary tells us to avoid", () => {
    const hits = Object.entries(ru).flatMap(([key, entry]) =>
      (typeof entry === "string" ? [entry] : Object.values(entry)).flatMap((text) => findAvoided(rules, key, text)),
    );
    expect(report(hits)).toEqual([]);
  });
});

describe("the glossary check catches what it promises", () => {
  const found = (text: string) => findAvoided(rules, "sample", text).map((hit) => hit.found);

  test("a stem catches every inflection, and \\b keeps a pattern to the start of a word", () => {
    expect(found("в кэше; закэшировать")).toEqual(["кэше", "кэшировать"]);
    expect(found("маскированный фрейм")).toEqual(["маскированный"]);
    expect(found("замаскированный и незамаскированный фрейм")).toEqual([]);
    expect(found("она проводит; расшифровка; байты на проводе")).toEqual(["на проводе"]);
    expect(found("На проводе: пакеты")).toEqual(["На проводе"]);
  });

  test("patterns span words and keep their case", () => {
    expect(found("маскирующим ключом; фреймом закрытия")).toEqual(["маскирующим ключом", "фреймом закрытия"]);
    expect(found("клиент ОБЯЗАН, а сервер НЕ ДОЛЖЕН")).toEqual(["ОБЯЗАН", "ДОЛЖЕН"]);
    expect(found("Клиент обязан (MUST), сервер не должен (MUST NOT)")).toEqual([]);
  });

  test("a hit names its line, the term and what to write instead", () => {
    const [hit] = findAvoided(rules, "ru/x.mdx", "первая строка\nбайты на проводе");
    expect(hit).toMatchObject({ where: "ru/x.mdx", line: 2, found: "на проводе", use: expect.stringContaining("в сети") });
  });

  test("a table without the Avoid column is refused rather than read as no rules", () => {
    expect(() => parseGlossary("| English | Russian |\n| --- | --- |\n| a | б |")).toThrow(/columns/);
  });
});
