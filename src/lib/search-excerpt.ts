/** A stretch of a search result's excerpt: plain text, or a word that matched the query. */
export interface ExcerptRun {
  text: string;
  marked: boolean;
}

// Pagefind's own word boundary: the `locations` it reports index into the page text split this way.
const wordSeparators = /[^\S\uFEFF]+/;

/** The match that begins the window of `length` words holding the most matches (the earliest on a tie). */
function densestStart(locations: readonly number[], length: number): number {
  const sorted = [...locations].sort((a, b) => a - b);
  let best = sorted[0] ?? 0;
  let bestCount = 0;
  for (let i = 0, end = 0; i < sorted.length; i++) {
    while (end < sorted.length && sorted[end]! < sorted[i]! + length) end++;
    if (end - i > bestCount) [best, bestCount] = [sorted[i]!, end - i];
  }
  return best;
}

/**
 * The excerpt of a search result as text runs, built from the page's plain text and the positions
 * of the matching words, so nothing from the index is ever parsed as HTML. The window of
 * `length` words holds the densest run of matches and starts a couple of words before it, so the
 * first match stays visible when the excerpt is cut to one line; "…" marks text cut on either side.
 */
export function excerptRuns(content: string, locations: readonly number[], length = 24): ExcerptRun[] {
  const words = content.split(wordSeparators);
  const matched = new Set(locations);
  const lead = 2;
  const start = Math.max(0, Math.min(densestStart(locations, length - lead) - lead, words.length - length));
  const end = Math.min(words.length, start + length);

  const runs: ExcerptRun[] = [];
  const addText = (text: string) => {
    const last = runs.at(-1);
    if (last && !last.marked) last.text += text;
    else runs.push({ text, marked: false });
  };
  if (start > 0) addText("… ");
  for (let i = start; i < end; i++) {
    if (i > start) addText(" ");
    if (matched.has(i)) runs.push({ text: words[i]!, marked: true });
    else addText(words[i]!);
  }
  if (end < words.length) addText(" …");
  return runs;
}
