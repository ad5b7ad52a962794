import { describe, expect, test } from "vitest";
import { excerptRuns } from "./search-excerpt.ts";

const text = (runs: { text: string }[]) => runs.map((run) => run.text).join("");
const marked = (runs: { text: string; marked: boolean }[]) => runs.filter((run) => run.marked).map((run) => run.text);

describe("search result excerpts", () => {
  test("the words at the reported locations are marked and the rest stays plain text", () => {
    const runs = excerptRuns("short polling asks often; long polling waits", [1, 5]);
    expect(text(runs)).toBe("short polling asks often; long polling waits");
    expect(marked(runs)).toEqual(["polling", "polling"]);
    expect(runs.map((run) => run.marked)).toEqual([false, true, false, true, false]);
  });

  test("markup in the lesson text comes back as the same characters, never as elements", () => {
    const content = "Escaping (< to &lt; before adding the <b>) and <img src=x onerror=alert(1)> stays text";
    const runs = excerptRuns(content, [0]);
    expect(text(runs)).toBe(content);
  });

  test("a long page is cut to a window just before its densest run of matches, with an ellipsis on each cut side", () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    const runs = excerptRuns(words.join(" \n "), [10, 50, 52, 55], 8);
    expect(text(runs)).toBe("… w48 w49 w50 w51 w52 w53 w54 w55 …");
    expect(marked(runs)).toEqual(["w50", "w52", "w55"]);
  });

  test("a match near either end of the page keeps the window inside the page", () => {
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`).join(" ");
    expect(text(excerptRuns(words, [0], 4))).toBe("w0 w1 w2 w3 …");
    expect(text(excerptRuns(words, [19], 4))).toBe("… w16 w17 w18 w19");
  });
});
