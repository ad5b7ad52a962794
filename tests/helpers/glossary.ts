/**
 * Reads the forms to avoid from docs/GLOSSARY.md and finds them in Russian text, so the glossary
 * is the only list and the test cannot drift from what writers read.
 */

export interface AvoidRule {
  /** The glossary's English term, to name the rule in a failure. */
  term: string;
  /** The Russian rendering to use instead. */
  use: string;
  pattern: RegExp;
}

export interface Hit {
  where: string;
  line: number;
  found: string;
  term: string;
  use: string;
}

const cells = (row: string) =>
  row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((cell) => cell.trim());

// JavaScript's \b knows only ASCII letters, even with the u flag.
const wordBoundary = "(?:(?<![\\p{L}\\p{N}])(?=[\\p{L}\\p{N}])|(?<=[\\p{L}\\p{N}])(?![\\p{L}\\p{N}]))";

/**
 * The rules of the glossary table: each `code` span of the "Avoid" column becomes a Unicode pattern,
 * in which `\b` is a word boundary for any script. A pattern in lower case also catches a capital
 * at the start of a sentence; one with capital letters (the RFC keywords) matches its case exactly.
 */
export function parseGlossary(markdown: string): AvoidRule[] {
  const lines = markdown.split("\n");
  const headerAt = lines.findIndex((line) => /^\|\s*English\s*\|/.test(line));
  if (headerAt < 0) throw new Error("GLOSSARY.md has no table headed | English | Russian | Avoid | Why |");
  const header = cells(lines[headerAt]!);
  const [termAt, useAt, avoidAt] = ["English", "Russian", "Avoid"].map((name) => header.indexOf(name));
  if (termAt! < 0 || useAt! < 0 || avoidAt! < 0) throw new Error(`unexpected glossary columns: ${header.join(", ")}`);
  const rules: AvoidRule[] = [];
  for (const row of lines.slice(headerAt + 2)) {
    if (!row.trim().startsWith("|")) break;
    const columns = cells(row);
    for (const [, source] of columns[avoidAt!]!.matchAll(/`([^`]+)`/g)) {
      const letters = source!.replace(/\\p\{[^}]*\}|\\./g, "");
      const flags = /\p{Lu}/u.test(letters) ? "gu" : "giu";
      const pattern = new RegExp(source!.replaceAll("\\b", wordBoundary), flags);
      rules.push({ term: columns[termAt!]!, use: columns[useAt!]!, pattern });
    }
  }
  return rules;
}

/** Every place in `text` where a rule matches, with its line number. */
export function findAvoided(rules: readonly AvoidRule[], where: string, text: string): Hit[] {
  const hits: Hit[] = [];
  text.split("\n").forEach((content, index) => {
    for (const { pattern, term, use } of rules) {
      for (const match of content.matchAll(pattern)) {
        const restOfWord = /^\p{L}*/u.exec(content.slice(match.index + match[0].length))![0];
        hits.push({ where, line: index + 1, found: match[0] + restOfWord, term, use });
      }
    }
  });
  return hits;
}
