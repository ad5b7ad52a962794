import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import {
  crossLanguageLinks,
  headingsBeforeSelfCheck,
  isGitCheckout,
  langs,
  lessonFiles,
  parseFrontmatter,
  parseImports,
  readLesson,
  selfCheckUses,
  slugOf,
  staleTranslations,
  tableHeadersWithEmptyCells,
} from "../helpers/lesson-parity.ts";
import { t } from "../../src/i18n/index.ts";

const lessonsDir = fileURLToPath(new URL("../../content/lessons/", import.meta.url));
const files = { en: lessonFiles(lessonsDir, "en"), ru: lessonFiles(lessonsDir, "ru") };
const both = files.en.filter((name) => files.ru.includes(name));
const source = (lang: "en" | "ru", name: string) => readLesson(lessonsDir, lang, name);
const componentImports = (text: string) =>
  parseImports(text)
    .map(({ names, from }) => `${names.join(",")} from ${from}`)
    .sort();

describe("the English and Russian lessons are twins", () => {
  test("there are lessons, and every file name exists in both languages", () => {
    expect(files.en.length).toBeGreaterThan(0);
    expect(files.ru.filter((name) => !files.en.includes(name)), "only in ru/").toEqual([]);
    expect(files.en.filter((name) => !files.ru.includes(name)), "only in en/").toEqual([]);
  });

  test("file names are NN-slug.mdx, with unique numbers", () => {
    for (const lang of langs) {
      expect(files[lang].filter((name) => !/^\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.mdx$/.test(name))).toEqual([]);
      const numbers = files[lang].map((name) => name.slice(0, 2));
      expect(new Set(numbers).size).toBe(numbers.length);
    }
  });

  test("each lesson's order is the number in its file name, and the numbers run 1, 2, 3… without gaps", () => {
    // The sidebar and the "Lesson N" kicker show `order`; the file name sorts the folder the same way.
    for (const lang of langs) {
      const orders = files[lang].map((name) => Number(parseFrontmatter(source(lang, name)).values.order));
      expect(orders, lang).toEqual(files[lang].map((name) => Number(name.slice(0, 2))));
      expect(orders, lang).toEqual(orders.map((_, i) => i + 1));
    }
  });

  test.each(both)("%s: same frontmatter keys, order, RFC sections and widgets in both languages", (name) => {
    const en = parseFrontmatter(source("en", name));
    const ru = parseFrontmatter(source("ru", name));
    expect(en.keys.length).toBeGreaterThan(0);
    expect([...ru.keys].sort()).toEqual([...en.keys].sort());
    for (const key of ["order", "rfc", "widgets"]) expect(ru.values[key], key).toEqual(en.values[key]);
  });

  test.each(both)("%s: both languages import the same components", (name) => {
    expect(componentImports(source("ru", name))).toEqual(componentImports(source("en", name)));
  });

  test.each(both)("%s: the widgets listed in the frontmatter are the widgets the lesson imports", (name) => {
    for (const lang of langs) {
      const text = source(lang, name);
      const listed = parseFrontmatter(text).values.widgets ?? [];
      const imported = parseImports(text)
        .filter(({ from }) => from.includes("/src/widgets/"))
        .flatMap(({ names }) => names);
      expect([...imported].sort(), `${lang}/${name}`).toEqual([...(listed as string[])].sort());
    }
  });

  test.each(both)("%s: each language ends with a SelfCheck for its own language and this lesson", (name) => {
    for (const lang of langs) {
      const text = source(lang, name);
      expect(parseImports(text).some(({ names }) => names.includes("SelfCheck")), `${lang}/${name} imports SelfCheck`).toBe(true);
      const uses = selfCheckUses(text);
      expect(uses.length, `${lang}/${name} renders <SelfCheck>`).toBeGreaterThan(0);
      for (const use of uses) expect(use).toEqual({ lang, lesson: slugOf(name) });
    }
  });

  test.each(both)("%s: the self-check sits under a heading named like the self-check region itself", (name) => {
    // SelfCheck renders no heading of its own; the lesson's heading names it and feeds the table of contents.
    for (const lang of langs) {
      expect(headingsBeforeSelfCheck(source(lang, name)), `${lang}/${name}`).toEqual([t(lang, "quiz.title")]);
    }
  });

  test.each(both)("%s: code samples use CodeBlock, which follows the light and dark themes", (name) => {
    // astro:components' <Code> has one fixed (dark) theme.
    for (const lang of langs) {
      expect(parseImports(source(lang, name)).filter(({ from }) => from === "astro:components"), `${lang}/${name}`).toEqual([]);
    }
  });

  test.each(both)("%s: every table column has a header", (name) => {
    for (const lang of langs) expect(tableHeadersWithEmptyCells(source(lang, name)), `${lang}/${name}`).toEqual([]);
  });

  test.each(both)("%s: no lesson links into the other language", (name) => {
    for (const lang of langs) expect(crossLanguageLinks(source(lang, name), lang), `${lang}/${name}`).toEqual([]);
  });

  const inGit = isGitCheckout(lessonsDir);
  test.skipIf(!inGit)("no Russian lesson is older than a later commit to its English twin (skipped outside a git checkout)", () => {
    const stale = staleTranslations(lessonsDir, both).map(
      ({ fileName, enTime, ruTime }) =>
        `ru/${fileName} was last committed ${new Date(ruTime * 1000).toISOString()}, en/${fileName} changed later at ${new Date(enTime * 1000).toISOString()}`,
    );
    expect(stale).toEqual([]);
  });
});

describe("the parity checks catch what they promise to catch", () => {
  test("frontmatter parsing reads flow and block lists and scalars", () => {
    const parsed = parseFrontmatter('---\ntitle: "A: b"\norder: 3\nrfc: ["5.2", "5.3"]\nwidgets:\n  - FrameEncoder\n  - "FrameDecoder"\n---\n# x');
    expect(parsed.keys).toEqual(["title", "order", "rfc", "widgets"]);
    expect(parsed.values).toEqual({ title: "A: b", order: "3", rfc: ["5.2", "5.3"], widgets: ["FrameEncoder", "FrameDecoder"] });
  });

  test("imports, SelfCheck props and cross-language links are found", () => {
    const text = [
      'import SelfCheck from "../../../src/components/SelfCheck.astro";',
      'import { FrameEncoder, Other as Alias } from "../../../src/widgets/index.ts";',
      "See [masking](/en/masking/) and <a href=\"/en/\">home</a>, but not /ru/framing/.",
      '<SelfCheck lang="ru" lesson="framing" questions={[]} />',
    ].join("\n");
    expect(parseImports(text).map((i) => i.names)).toEqual([["SelfCheck"], ["FrameEncoder", "Alias"]]);
    expect(selfCheckUses(text)).toEqual([{ lang: "ru", lesson: "framing" }]);
    expect(crossLanguageLinks(text, "ru")).toEqual(["/en/masking/", "/en/"]);
    expect(crossLanguageLinks(text, "en")).toEqual([]);
  });

  test("a self-check without a heading and a table with an empty corner cell are found", () => {
    const text = [
      "## Self-check",
      "",
      '<SelfCheck lang="en" lesson="a" questions={[]} />',
      "Some text.",
      '<SelfCheck lang="en" lesson="b" questions={[]} />',
      "",
      "| | `ws://` | `wss://` |",
      "| --- | :---: | --- |",
      "| port | 80 | 443 |",
      "",
      "| Property | a |",
      "| --- | --- |",
    ].join("\n");
    expect(headingsBeforeSelfCheck(text)).toEqual(["Self-check", null]);
    expect(tableHeadersWithEmptyCells(text)).toEqual(["| | `ws://` | `wss://` |"]);
  });

  test("a Russian lesson whose English twin changed in a later commit is flagged", () => {
    const repo = mkdtempSync(join(tmpdir(), "ws-lab-parity-"));
    const git = (args: string[], date: string) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: repo,
        env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
        stdio: "ignore",
      });
    try {
      mkdirSync(join(repo, "en"));
      mkdirSync(join(repo, "ru"));
      git(["init", "-q"], "2024-01-01T00:00:00Z");
      writeFileSync(join(repo, "en/01-a.mdx"), "one");
      writeFileSync(join(repo, "ru/01-a.mdx"), "один");
      git(["add", "."], "2024-01-01T00:00:00Z");
      git(["commit", "-q", "-m", "both"], "2024-01-01T00:00:00Z");
      expect(staleTranslations(repo, ["01-a.mdx"])).toEqual([]);

      writeFileSync(join(repo, "en/01-a.mdx"), "one, revised");
      git(["commit", "-q", "-am", "en only"], "2024-02-01T00:00:00Z");
      expect(staleTranslations(repo, ["01-a.mdx"]).map((s) => s.fileName)).toEqual(["01-a.mdx"]);

      writeFileSync(join(repo, "ru/01-a.mdx"), "один, исправлено");
      git(["commit", "-q", "-am", "ru caught up"], "2024-03-01T00:00:00Z");
      expect(staleTranslations(repo, ["01-a.mdx"])).toEqual([]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
