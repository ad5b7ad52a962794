import { fill, pluralForm, type Plural } from "../../i18n/plural.ts";
import { excerptRuns } from "../search-excerpt.ts";
import { matchPage, queryTerms, searchableQuery, type PagefindFragment, type PageMatch } from "../search-results.ts";

/** The parts of Pagefind's browser API (pagefind.js, 1.x) that the header search uses. */
interface PagefindApi {
  init(): Promise<void>;
  debouncedSearch(term: string, options?: object, debounceMs?: number): Promise<{ results: PagefindResult[] } | null>;
}
interface PagefindResult {
  data(): Promise<PagefindFragment>;
}

interface Strings {
  /** The plural forms of "N lessons found", picked here by count. */
  results: Plural;
  noResults: string;
  tooShort: string;
  loading: string;
  failed: string;
}

// Pagefind writes this file after `astro build`; a variable keeps the bundler from resolving it.
const pagefindUrl = "/pagefind/pagefind.js";
let pagefind: Promise<PagefindApi> | null = null;

/**
 * Pagefind's script, its WebAssembly and the index of this page's language (it reads `<html lang>`),
 * fetched on the first touch of the search field rather than on every page view.
 */
function loadPagefind(): Promise<PagefindApi> {
  pagefind ??= import(/* @vite-ignore */ pagefindUrl).then(async (api: PagefindApi) => {
    await api.init();
    return api;
  });
  // A failed load (offline for a moment) is retried on the next keystroke.
  pagefind.catch(() => (pagefind = null));
  return pagefind;
}

/** One search box: an APG combobox whose listbox options are links to the matching lessons. */
function initSearchBox(box: HTMLElement): void {
  const input = box.querySelector<HTMLInputElement>("input[role=combobox]")!;
  const dropdown = box.querySelector<HTMLElement>("[data-search-dropdown]")!;
  const listbox = box.querySelector<HTMLElement>("[role=listbox]")!;
  const message = box.querySelector<HTMLElement>("[data-search-message]")!;
  const status = box.querySelector<HTMLElement>("[data-search-status]")!;
  const strings = JSON.parse(box.dataset.strings!) as Strings;
  let options: HTMLAnchorElement[] = [];
  let active = -1;
  let searchId = 0;

  const setOpen = (open: boolean) => {
    dropdown.hidden = !open;
    input.setAttribute("aria-expanded", String(open && options.length > 0));
    if (!open) setActive(-1);
  };
  const setActive = (index: number) => {
    options[active]?.setAttribute("aria-selected", "false");
    active = index;
    const option = options[active];
    if (option) {
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };
  const say = (text: string, { visible }: { visible: boolean }) => {
    message.textContent = visible ? text : "";
    message.hidden = !visible;
    status.textContent = text;
  };

  /** One option of the listbox: a link named by all of its text, title then excerpt, as it reads. */
  const renderOption = (href: string, titleText: string, content: string, locations: readonly number[], kind: "page" | "section") => {
    const option = document.createElement("a");
    option.href = href;
    option.id = `${listbox.id}-${options.length}`;
    option.className = `search-result search-result-${kind}`;
    option.tabIndex = -1;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    const title = document.createElement("span");
    title.className = "search-result-title";
    title.textContent = titleText;
    const excerpt = document.createElement("span");
    excerpt.className = "search-result-excerpt";
    for (const run of excerptRuns(content, locations)) {
      if (!run.marked) {
        excerpt.append(run.text);
        continue;
      }
      const mark = document.createElement("mark");
      mark.textContent = run.text;
      excerpt.append(mark);
    }
    option.append(title, excerpt);
    options.push(option);
    return option;
  };

  /** A lesson and its best sections, grouped under the lesson's title. */
  const renderPage = (match: PageMatch, content: string) => {
    const group = document.createElement("div");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", match.title);
    group.className = "search-group";
    group.append(renderOption(match.href, match.title, content, match.locations, "page"));
    for (const section of match.sections) {
      group.append(renderOption(section.href, section.title, content, section.locations, "section"));
    }
    return group;
  };

  const search = async () => {
    const id = ++searchId;
    const query = input.value.trim();
    if (query === "") {
      options = [];
      listbox.replaceChildren();
      say("", { visible: false });
      setOpen(false);
      return;
    }
    const searchable = searchableQuery(query);
    if (searchable === "") {
      setActive(-1);
      options = [];
      listbox.replaceChildren();
      say(strings.tooShort, { visible: true });
      setOpen(document.activeElement === input);
      return;
    }
    try {
      const api = await loadPagefind();
      const found = await api.debouncedSearch(searchable, {}, 120);
      if (!found || id !== searchId) return; // a newer keystroke owns the list now
      // Every page is shown: the status counts exactly what the list holds.
      const data = await Promise.all(found.results.map((result) => result.data()));
      if (id !== searchId) return;
      const terms = queryTerms(searchable);
      setActive(-1);
      options = [];
      const groups = data.flatMap((fragment) => {
        const match = matchPage(fragment, terms);
        return match ? [renderPage(match, fragment.content)] : [];
      });
      listbox.replaceChildren(...groups);
      const count = groups.length;
      if (count > 0) say(fill(pluralForm(document.documentElement.lang, strings.results, count), { count }), { visible: false });
      else say(fill(strings.noResults, { query }), { visible: true });
    } catch {
      if (id !== searchId) return;
      options = [];
      listbox.replaceChildren();
      say(strings.failed, { visible: true });
    }
    setOpen(document.activeElement === input);
  };

  const open = (index: number) => {
    const option = options[index];
    if (option) location.assign(option.href);
  };
  const wrap = (index: number) => (index + options.length) % options.length;

  input.addEventListener("focus", () => {
    void loadPagefind().catch(() => {});
    if (input.value.trim() !== "" && (options.length > 0 || !message.hidden)) setOpen(true);
  });
  box.addEventListener("pointerdown", () => void loadPagefind().catch(() => {}), { once: true });
  input.addEventListener("input", () => {
    if (input.value.trim() !== "" && options.length === 0 && message.hidden) {
      say(strings.loading, { visible: true });
      setOpen(true);
    }
    void search();
  });
  input.addEventListener("keydown", (event) => {
    const expanded = !dropdown.hidden && options.length > 0;
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp": {
        if (options.length === 0) return;
        event.preventDefault();
        if (!expanded) setOpen(true);
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive(active === -1 ? (step === 1 ? 0 : options.length - 1) : wrap(active + step));
        break;
      }
      case "Enter":
        // Enter without a chosen option opens the best match, as a site search box is expected to.
        if (options.length === 0) return;
        event.preventDefault();
        open(active === -1 ? 0 : active);
        break;
      case "Escape":
        if (dropdown.hidden) return; // the browser then clears the field
        event.preventDefault();
        event.stopPropagation();
        setOpen(false);
        break;
    }
  });
  // Keep focus in the field while an option is clicked, so the list is still there for the click.
  dropdown.addEventListener("pointerdown", (event) => event.preventDefault());
  box.addEventListener("focusout", (event) => {
    if (!box.contains(event.relatedTarget as Node | null)) setOpen(false);
  });
  // Coming back with the Back button restores the page as it was left, list and all.
  addEventListener("pageshow", () => setOpen(false));
  document.addEventListener("keydown", (event) => {
    // Ctrl+K means something else inside a text field or the terminal (kill line), so leave it there.
    const typing = (event.target as Element).closest("input, textarea, select, [contenteditable]");
    if (typing && typing !== input) return;
    if (event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
}

/** Wires up every header search box on the page. */
export function initSearch(): void {
  for (const box of document.querySelectorAll<HTMLElement>("[data-search]")) initSearchBox(box);
}
