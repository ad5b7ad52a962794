import { highlightPattern, wordsToHighlight } from "../search-results.ts";

/** Where highlighting never reaches: islands that React hydrates (it expects its own markup), and non-text. */
const untouchable = "astro-island, script, style, noscript, textarea, svg, mark, [data-pagefind-ignore]";

/**
 * Marks the words a search result led here for (`?highlight=` from the header search) in the
 * lesson text, and brings the first one into view unless the link named a section. The words are
 * checked by `wordsToHighlight` and only ever become text of `<mark>` elements made here.
 */
export function highlightSearchWords(root: ParentNode = document): void {
  const pattern = highlightPattern(wordsToHighlight(location.search));
  const body = root.querySelector<HTMLElement>("[data-pagefind-body]");
  if (!pattern || !body) return;

  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest(untouchable) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const texts: Text[] = [];
  while (walker.nextNode()) texts.push(walker.currentNode as Text);

  const marks: HTMLElement[] = [];
  for (const text of texts) {
    const value = text.data;
    const pieces: (string | HTMLElement)[] = [];
    let last = 0;
    for (const match of value.matchAll(pattern)) {
      pieces.push(value.slice(last, match.index));
      const mark = document.createElement("mark");
      mark.className = "search-highlight";
      mark.textContent = match[0];
      pieces.push(mark);
      marks.push(mark);
      last = match.index + match[0].length;
    }
    if (last === 0) continue;
    pieces.push(value.slice(last));
    text.replaceWith(...pieces.filter((piece) => piece !== ""));
  }
  if (marks.length > 0 && location.hash === "") marks[0]!.scrollIntoView({ block: "center" });
}
