/** WCAG 2 contrast between CSS colours as getComputedStyle reports them (`rgb(…)`, `rgba(…)`) or `#rrggbb`. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Parses `rgb(1, 2, 3)`, `rgba(1, 2, 3, 0.5)`, `#rrggbb` or `#rrggbbaa`. */
export function parseColor(text: string): Rgba {
  const hex = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(text.trim());
  if (hex) {
    const n = parseInt(hex[1]!, 16);
    return { r: n >> 16, g: (n >> 8) & 0xff, b: n & 0xff, a: hex[2] ? parseInt(hex[2], 16) / 255 : 1 };
  }
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,/\s]+([\d.]+%?))?\s*\)$/.exec(text.trim());
  if (!rgb) throw new Error(`not a colour this helper reads: ${text}`);
  const alpha = rgb[4] === undefined ? 1 : rgb[4].endsWith("%") ? parseFloat(rgb[4]) / 100 : parseFloat(rgb[4]);
  return { r: Number(rgb[1]), g: Number(rgb[2]), b: Number(rgb[3]), a: alpha };
}

/** `top` painted over the opaque `bottom`. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const mix = (t: number, b: number) => t * top.a + b * (1 - top.a);
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

function luminance({ r, g, b }: Rgba): number {
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** The contrast ratio (1 to 21) of text in `foreground` on an opaque `background`; a translucent foreground is blended first. */
export function contrastRatio(foreground: string, background: string): number {
  const bg = parseColor(background);
  if (bg.a < 1) throw new Error(`the background must be opaque: ${background}`);
  const [light, dark] = [luminance(over(parseColor(foreground), bg)), luminance(bg)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}
