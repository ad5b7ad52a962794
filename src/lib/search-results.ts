/**
 * What the header search makes of Pagefind's answers: which matches count, which sections of a
 * page are worth listing under it, and the words its links carry for highlighting. Pure functions
 * over Pagefind's result data (pagefind.js 1.x), so unit tests cover the rules without a browser.
 *
 * Pagefind answers a word it does not know with words that share its first letters, down to one
 * letter: "xyzzyq" finds the variable `x`. A match counts here only when the page's word and a
 * word of the query share a real beginning (see `sharesStem`), and a page is listed only when
 * every word of the query matched on it.
 */

/** A query word shorter than this is not searched for: one letter matches nearly every page. */
export const MIN_TERM_LENGTH = 2;
/** Sections listed under a page: the ones with the most matches. */
export const MAX_SECTIONS = 3;
/** Words a result link carries to the lesson page for highlighting. */
export const MAX_HIGHLIGHT_WORDS = 8;
/** The longest word that is highlighted; a longer one in a link is ignored. */
export const MAX_HIGHLIGHT_WORD_LENGTH = 64;
/** The query parameter that carries the words to highlight. */
export const HIGHLIGHT_PARAM = "highlight";

/** The part of Pagefind's `result.data()` that the search uses. */
export interface PagefindFragment {
  url: string;
  content: string;
  locations: number[];
  meta: { title?: string };
  sub_results?: { title: string; url: string; locations: number[]; anchor?: { id: string } }[];
}

export interface SectionMatch {
  title: string;
  /** The section's address (page URL and heading anchor), with the words to highlight. */
  href: string;
  locations: number[];
}

export interface PageMatch {
  title: string;
  href: string;
  /** Where the counted matches are, as word indexes into `content` (Pagefind's own numbering). */
  locations: number[];
  sections: SectionMatch[];
}

// Pagefind's word boundary: its `locations` index into the page text split this way.
const wordSeparators = /[^\S\uFEFF]+/;
const notWordCharacters = /[^\p{L}\p{N}]+/u;

/** Lower case without accents, so "Ё" meets "е" and "É" meets "e" as Pagefind's index has them. */
function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** The letter-and-digit runs of a word: "Sec-WebSocket-Key:" has "sec", "websocket" and "key". */
function parts(word: string): string[] {
  return word.split(notWordCharacters).filter((part) => part !== "");
}

/** The query's words, folded, without the ones too short to search for. */
export function queryTerms(query: string): string[] {
  return [...new Set(parts(fold(query)).filter((term) => term.length >= MIN_TERM_LENGTH))];
}

/**
 * The query as Pagefind gets it: its words that hold at least one term, so "x polling" searches
 * for "polling" alone. Empty when nothing is left to search for.
 */
export function searchableQuery(query: string): string {
  return query
    .trim()
    .split(/\s+/)
    .filter((word) => queryTerms(word).length > 0)
    .join(" ");
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Whether a word of the page answers a term of the query: they share at least half of the term's
 * letters from the start (three at least, all of a shorter term). That keeps what stemming and
 * typing ahead find ("poll" -> "polling", "соединениями" -> "соединение", "closed" -> "close")
 * and drops Pagefind's last resort of matching the first letter or two alone.
 */
export function sharesStem(pagePart: string, term: string): boolean {
  const needed = Math.min(term.length, Math.max(3, Math.ceil(term.length / 2)));
  return commonPrefixLength(pagePart, term) >= needed;
}

/** The terms that one word of the page answers. */
function termsMatchedBy(word: string, terms: readonly string[]): string[] {
  const pageParts = parts(fold(word));
  return terms.filter((term) => pageParts.some((part) => sharesStem(part, term)));
}

/**
 * The words a link should highlight on its page: the parts of the matched words that answered
 * the query, as the page writes them (lower case), at most `MAX_HIGHLIGHT_WORDS`.
 */
function highlightWords(words: readonly string[], locations: readonly number[], terms: readonly string[]): string[] {
  const found = new Set<string>();
  for (const location of locations) {
    for (const part of parts((words[location] ?? "").toLowerCase())) {
      if (part.length <= MAX_HIGHLIGHT_WORD_LENGTH && terms.some((term) => sharesStem(fold(part), term))) found.add(part);
    }
    if (found.size >= MAX_HIGHLIGHT_WORDS) break;
  }
  return [...found].slice(0, MAX_HIGHLIGHT_WORDS);
}

/** `url` with the words to highlight as a query parameter, before any `#anchor`. */
export function withHighlight(url: string, words: readonly string[]): string {
  if (words.length === 0) return url;
  const hash = url.indexOf("#");
  const [path, anchor] = hash < 0 ? [url, ""] : [url.slice(0, hash), url.slice(hash)];
  const query = new URLSearchParams({ [HIGHLIGHT_PARAM]: words.join(" ") }).toString();
  return `${path}${path.includes("?") ? "&" : "?"}${query}${anchor}`;
}

/**
 * One page of Pagefind's answer as the search lists it, or null when some term of the query has
 * no real match on it. Sections are the page's headed parts with matches (Pagefind's sub-results),
 * the most matches first, at most `MAX_SECTIONS`; the part before the first heading is the page
 * itself and is not repeated as a section.
 */
export function matchPage(fragment: PagefindFragment, terms: readonly string[]): PageMatch | null {
  if (terms.length === 0) return null;
  const words = fragment.content.split(wordSeparators);
  const answered = new Set<string>();
  const counts = (location: number) => {
    const matched = termsMatchedBy(words[location] ?? "", terms);
    for (const term of matched) answered.add(term);
    return matched.length > 0;
  };
  const locations = fragment.locations.filter(counts);
  if (answered.size < terms.length) return null;
  const kept = new Set(locations);

  const sections = (fragment.sub_results ?? [])
    .filter((sub) => sub.anchor !== undefined)
    .map((sub) => ({ sub, locations: sub.locations.filter((location) => kept.has(location)) }))
    .filter(({ locations: found }) => found.length > 0)
    .sort((a, b) => b.locations.length - a.locations.length)
    .slice(0, MAX_SECTIONS)
    .map(({ sub, locations: found }) => ({
      title: sub.title,
      href: withHighlight(sub.url, highlightWords(words, found, terms)),
      locations: found,
    }));

  return {
    title: fragment.meta.title ?? fragment.url,
    href: withHighlight(fragment.url, highlightWords(words, locations, terms)),
    locations,
    sections,
  };
}

/**
 * The words a lesson page should highlight, read from its own address. The address can come from
 * anyone, so only words of letters and digits count, each 2 to `MAX_HIGHLIGHT_WORD_LENGTH` long,
 * at most `MAX_HIGHLIGHT_WORDS`; anything else in the parameter is ignored.
 */
export function wordsToHighlight(search: string): string[] {
  const value = new URLSearchParams(search).get(HIGHLIGHT_PARAM) ?? "";
  const valid = new RegExp(`^[\\p{L}\\p{N}]{${MIN_TERM_LENGTH},${MAX_HIGHLIGHT_WORD_LENGTH}}$`, "u");
  const words = value
    .slice(0, MAX_HIGHLIGHT_WORDS * (MAX_HIGHLIGHT_WORD_LENGTH + 1))
    .split(/\s+/)
    .filter((word) => valid.test(word));
  return [...new Set(words.map((word) => word.toLowerCase()))].slice(0, MAX_HIGHLIGHT_WORDS);
}

/**
 * A pattern that finds the words as whole words (not inside a longer word), in any case.
 * The words come from `wordsToHighlight`: letters and digits only, so nothing needs escaping.
 */
export function highlightPattern(words: readonly string[]): RegExp | null {
  if (words.length === 0) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join("|")})(?![\\p{L}\\p{N}])`, "giu");
}
