/**
 * Checks that the two languages of the course stay twins: same files, same frontmatter shape,
 * same widgets and components, a self-check each, no links across languages, and no Russian
 * lesson left behind by a later change to its English source.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const langs = ["en", "ru"] as const;
export type LessonLang = (typeof langs)[number];

export interface Frontmatter {
  keys: string[];
  /** Scalar values as written, lists as arrays of strings. */
  values: Record<string, string | string[]>;
}

function unquote(text: string): string {
  const trimmed = text.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

/** The top-level keys of a lesson's YAML frontmatter, with scalar and list values (flow or block). */
export function parseFrontmatter(source: string): Frontmatter {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(source);
  if (!match) return { keys: [], values: {} };
  const keys: string[] = [];
  const values: Record<string, string | string[]> = {};
  let listKey: string | null = null;
  for (const line of match[1]!.split(/\r?\n/)) {
    const item = /^\s+-\s*(.*)$/.exec(line);
    if (item && listKey) {
      (values[listKey] as string[]).push(unquote(item[1]!));
      continue;
    }
    const field = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(line);
    if (!field) continue;
    const [, key, rest] = field as unknown as [string, string, string];
    keys.push(key);
    listKey = null;
    if (rest === "") {
      values[key] = [];
      listKey = key;
    } else if (rest.startsWith("[")) {
      const inner = rest.replace(/^\[/, "").replace(/\]\s*$/, "").trim();
      values[key] = inner === "" ? [] : inner.split(",").map(unquote);
    } else {
      values[key] = unquote(rest);
    }
  }
  return { keys, values };
}

export interface Import {
  names: string[];
  from: string;
}

/** The ES imports at the top level of an MDX file. */
export function parseImports(source: string): Import[] {
  const body = source.replace(/^---[\s\S]*?\n---/, "").replace(/```[\s\S]*?```/g, "");
  const imports: Import[] = [];
  for (const match of body.matchAll(/^import\s+([\s\S]+?)\s+from\s+["']([^"']+)["'];?\s*$/gm)) {
    const clause = match[1]!;
    const names = clause
      .replace(/[{}]/g, ",")
      .split(",")
      .map((part) => part.trim().split(/\s+as\s+/).pop()!.trim())
      .filter((name) => name !== "" && name !== "type");
    imports.push({ names, from: match[2]! });
  }
  return imports;
}

/** The props given to each `<SelfCheck …>` as literal strings (lang, lesson). */
export function selfCheckUses(source: string): { lang?: string; lesson?: string }[] {
  return [...source.matchAll(/<SelfCheck\b([\s\S]*?)\/?>/g)].map((match) => {
    const attrs = match[1]!;
    const read = (name: string) => new RegExp(`\\b${name}=["']([^"']*)["']`).exec(attrs)?.[1];
    return { lang: read("lang"), lesson: read("lesson") };
  });
}

/** The text of the markdown heading right before each `<SelfCheck`, or null where there is none. */
export function headingsBeforeSelfCheck(source: string): (string | null)[] {
  return [...source.matchAll(/(?:^#{2,6} +(.+?)\s*\n\s*)?^<SelfCheck\b/gm)].map((match) => match[1] ?? null);
}

/** Header rows of markdown tables that have an empty cell (screen readers announce such a column as nothing). */
export function tableHeadersWithEmptyCells(source: string): string[] {
  const lines = source.split("\n");
  return lines.filter(
    (line, i) =>
      /^\s*\|.*\|\s*$/.test(line) &&
      /^\s*\|(?:\s*:?-{3,}:?\s*\|)+\s*$/.test(lines[i + 1] ?? "") &&
      line.trim().slice(1, -1).split("|").some((cell) => cell.trim() === ""),
  );
}

/** Links (markdown or href) in a lesson that lead into the other language's pages. */
export function crossLanguageLinks(source: string, lang: LessonLang): string[] {
  const other = lang === "en" ? "ru" : "en";
  const pattern = new RegExp(`(?:\\]\\(|href=\\{?["'\`])((?:https?://[^/\\s"')]+)?/${other}/[^\\s"')\`]*)`, "g");
  return [...source.matchAll(pattern)].map((match) => match[1]!);
}

/** `05-masking.mdx` -> `masking`, the slug the site and the progress key use. */
export function slugOf(fileName: string): string {
  return fileName.replace(/\.mdx?$/, "").replace(/^\d+-/, "");
}

export function lessonFiles(lessonsDir: string, lang: LessonLang): string[] {
  return readdirSync(join(lessonsDir, lang))
    .filter((name) => /\.mdx?$/.test(name))
    .sort();
}

export function readLesson(lessonsDir: string, lang: LessonLang, fileName: string): string {
  return readFileSync(join(lessonsDir, lang, fileName), "utf8");
}

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
}

export function isGitCheckout(dir: string): boolean {
  try {
    return git(dir, ["rev-parse", "--is-inside-work-tree"]) === "true";
  } catch {
    return false;
  }
}

/** Commit time (seconds) of the last commit that touched `path`, or null for a file not yet committed. */
export function lastCommitTime(dir: string, path: string): number | null {
  const out = git(dir, ["log", "-1", "--format=%ct", "--", path]);
  return out === "" ? null : Number(out);
}

export interface StaleTranslation {
  fileName: string;
  enTime: number;
  ruTime: number;
}

/** Russian lessons whose English twin was committed later than the Russian file was. */
export function staleTranslations(lessonsDir: string, fileNames: readonly string[]): StaleTranslation[] {
  const stale: StaleTranslation[] = [];
  for (const fileName of fileNames) {
    const enTime = lastCommitTime(lessonsDir, join("en", fileName));
    const ruTime = lastCommitTime(lessonsDir, join("ru", fileName));
    if (enTime !== null && ruTime !== null && enTime > ruTime) stale.push({ fileName, enTime, ruTime });
  }
  return stale;
}
