import { describe, expect, test } from "vitest";
import {
  highlightPattern,
  matchPage,
  MAX_HIGHLIGHT_WORDS,
  MAX_SECTIONS,
  queryTerms,
  searchableQuery,
  sharesStem,
  withHighlight,
  wordsToHighlight,
  type PagefindFragment,
} from "./search-results.ts";

/** A page as Pagefind describes it: locations index into `content` split on whitespace. */
function fragment(content: string, matched: (word: string) => boolean, subResults: PagefindFragment["sub_results"] = []): PagefindFragment {
  const words = content.split(/\s+/);
  return {
    url: "/en/lesson/",
    content,
    locations: words.flatMap((word, i) => (matched(word) ? [i] : [])),
    meta: { title: "Lesson" },
    sub_results: subResults,
  };
}

describe("which query words are searched for", () => {
  test("single letters are not: a query of them searches for nothing", () => {
    expect(queryTerms("x")).toEqual([]);
    expect(searchableQuery("x")).toBe("");
    expect(searchableQuery("  x  y ")).toBe("");
    expect(searchableQuery("x polling")).toBe("polling");
    expect(queryTerms("Sec-WebSocket-Key")).toEqual(["sec", "websocket", "key"]);
    expect(queryTerms("Ёлка")).toEqual(["елка"]);
  });
});

describe("which of Pagefind's matches count", () => {
  test("Pagefind's match of 'xyzzyq' on the variable x does not", () => {
    expect(sharesStem("x", "xyzzyq")).toBe(false);
    expect(sharesStem("xy", "xyzzyq")).toBe(false);
    const page = fragment("XOR has a property: (x XOR k) XOR k = x.", (word) => /^\W*x\W*$/.test(word));
    expect(page.locations.length).toBe(2);
    expect(matchPage(page, queryTerms("xyzzyq"))).toBeNull();
  });

  test("typing ahead and stemmed forms do, in both languages", () => {
    expect(sharesStem("polling", "poll")).toBe(true);
    expect(sharesStem("poll", "polling")).toBe(true);
    expect(sharesStem("соединение", "соединениями")).toBe(true);
    expect(sharesStem("close", "closed")).toBe(true);
    expect(sharesStem("ws", "ws")).toBe(true);
    expect(sharesStem("wss", "ws")).toBe(true);
    expect(sharesStem("w", "ws")).toBe(false);
  });

  test("a word of the page counts by any of its parts, so a header name answers 'websocket'", () => {
    const page = fragment("send Sec-WebSocket-Key: dGhl", (word) => word.startsWith("Sec"));
    expect(matchPage(page, queryTerms("websocket"))?.locations).toEqual([1]);
  });

  test("a page is listed only when every word of the query really matched on it", () => {
    const page = fragment("long polling waits; (x) is a variable", (word) => /polling|x/.test(word));
    expect(matchPage(page, queryTerms("polling xyzzyq"))).toBeNull();
    expect(matchPage(page, queryTerms("polling"))?.locations).toEqual([1]);
  });
});

describe("the sections listed under a page", () => {
  const content = "Intro polling here. Short polling asks. Long polling waits polling again. Other words x";
  const words = content.split(/\s+/);
  const at = (...wanted: string[]) => words.flatMap((word, i) => (wanted.some((w) => word.startsWith(w)) ? [i] : []));
  const inRange = (from: number, to: number) => at("polling", "x").filter((i) => i >= from && i < to);
  const subs = [
    { title: "Lesson", url: "/en/lesson/", locations: inRange(0, 3) },
    { title: "Short polling", url: "/en/lesson/#short", locations: inRange(3, 6), anchor: { id: "short" } },
    { title: "Long polling", url: "/en/lesson/#long", locations: inRange(6, 11), anchor: { id: "long" } },
    { title: "Other", url: "/en/lesson/#other", locations: inRange(11, 14), anchor: { id: "other" } },
  ];
  const page = { ...fragment(content, (word) => /polling|^x$/.test(word)), sub_results: subs };

  test("are the headed parts with real matches, the most matches first, linking to their anchor", () => {
    const match = matchPage(page, queryTerms("polling"))!;
    expect(match.sections.map((section) => section.title)).toEqual(["Long polling", "Short polling"]);
    expect(match.sections[0]!.href).toBe("/en/lesson/?highlight=polling#long");
    expect(match.href).toBe("/en/lesson/?highlight=polling");
  });

  test(`are at most ${MAX_SECTIONS}`, () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ title: `S${i}`, url: `/en/lesson/#s${i}`, locations: [i], anchor: { id: `s${i}` } }));
    const match = matchPage({ ...fragment("poll poll poll poll poll poll", () => true), sub_results: many }, ["poll"])!;
    expect(match.sections.length).toBe(MAX_SECTIONS);
  });
});

describe("highlighting on the lesson page", () => {
  test("result links carry the page's own matched words, stemmed forms included", () => {
    const page = fragment("Каждое соединение и ещё соединений.", (word) => word.startsWith("соединени"));
    expect(matchPage(page, queryTerms("соединениями"))!.href).toBe(
      `/en/lesson/?highlight=${encodeURIComponent("соединение").replaceAll("%20", "+")}+${encodeURIComponent("соединений")}`,
    );
    expect(withHighlight("/en/a/#b", ["x1", "y2"])).toBe("/en/a/?highlight=x1+y2#b");
    expect(withHighlight("/en/a/", [])).toBe("/en/a/");
  });

  test("a hostile parameter yields letters-and-digits words only, bounded in number and length", () => {
    expect(wordsToHighlight("?highlight=<img+src%3Dx+onerror%3Dalert(1)>+polling")).toEqual(["polling"]);
    expect(wordsToHighlight("?highlight=a+ok+(.*)%2B+" + "z".repeat(65))).toEqual(["ok"]);
    const many = Array.from({ length: 50 }, (_, i) => `w${i}`).join("+");
    expect(wordsToHighlight(`?highlight=${many}`)).toHaveLength(MAX_HIGHLIGHT_WORDS);
    expect(wordsToHighlight("?other=1")).toEqual([]);
    expect(wordsToHighlight(`?highlight=${"a".repeat(100_000)}`)).toEqual([]);
  });

  test("the pattern finds whole words in any case and not inside longer words", () => {
    const pattern = highlightPattern(["poll", "соединение"])!;
    expect("Poll, polling; СОЕДИНЕНИЕ соединения".match(pattern)).toEqual(["Poll", "СОЕДИНЕНИЕ"]);
    expect(highlightPattern([])).toBeNull();
  });
});
