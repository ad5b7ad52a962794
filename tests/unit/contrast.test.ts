import { describe, expect, test } from "vitest";
import { contrastRatio, parseColor } from "../helpers/contrast.ts";

describe("WCAG contrast of two colours", () => {
  test("the pairs reported in issue 12 come out at the ratios axe printed (it cuts to two decimals)", () => {
    const cut = (ratio: number) => Math.floor(ratio * 100) / 100;
    expect(cut(contrastRatio("#e36209", "#ffffff"))).toBe(3.48);
    expect(cut(contrastRatio("#6a737d", "#24292e"))).toBe(3.04);
  });

  test("black on white is 21:1 and a colour on itself 1:1, in either order", () => {
    expect(contrastRatio("rgb(0, 0, 0)", "rgb(255, 255, 255)")).toBeCloseTo(21, 5);
    expect(contrastRatio("rgb(255, 255, 255)", "rgb(0, 0, 0)")).toBeCloseTo(21, 5);
    expect(contrastRatio("#24292e", "#24292e")).toBe(1);
  });

  test("a translucent foreground is blended over the background before it is measured", () => {
    expect(contrastRatio("rgba(0, 0, 0, 0)", "#ffffff")).toBe(1);
    expect(contrastRatio("#00000080", "#ffffff")).toBeCloseTo(contrastRatio("#7f7f7f", "#ffffff"), 1);
    expect(parseColor("rgb(1 2 3 / 50%)")).toEqual({ r: 1, g: 2, b: 3, a: 0.5 });
  });

  test("a translucent background cannot be judged alone and is refused", () => {
    expect(() => contrastRatio("#000000", "rgba(255, 255, 255, 0.5)")).toThrow(/opaque/);
  });
});
