/**
 * Received data is shown, never obeyed: a payload with `\x1b[2J` must print those characters, not
 * clear the reader's screen. Everything a terminal could act on becomes a visible escape.
 */

const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\" };

// C0 controls, DEL, C1 controls (a lone 0x9b is CSI on some terminals), and the Unicode
// formatting characters that reorder or hide text (bidi overrides and isolates, line separators).
const hazard = /[\x00-\x1f\\\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escape(char: string): string {
  const name = named[char];
  if (name) return name;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** What `visible` keeps and how it says the rest was cut. */
export interface VisibleOptions {
  /** Most UTF-8 bytes of the input to show; the rest is replaced by `cut(count)`. */
  maxBytes?: number;
  /** The note for the bytes left out (from the i18n area, so it is in the reader's language). */
  cut?: (bytesLeftOut: number) => string;
}

const encoder = new TextEncoder();

/** The longest prefix of `text` that fits in `maxBytes` UTF-8 bytes, never splitting a character. */
function prefixWithin(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = encoder.encode(char).length;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * Makes received text safe to print: control characters, DEL, C1 controls and bidi/format
 * characters become escapes such as `\x1b`, `\r`, `\u202e`, a backslash becomes `\\` (so an
 * escape in the output always means a byte that was there), and text over `maxBytes` is cut.
 */
export function visible(text: string, options: VisibleOptions = {}): string {
  const { maxBytes = Infinity, cut = (n: number) => `… (+${n} bytes)` } = options;
  let shown = text;
  let leftOut = 0;
  if (maxBytes !== Infinity && text.length > maxBytes / 3) {
    const total = encoder.encode(text).length;
    if (total > maxBytes) {
      shown = prefixWithin(text, maxBytes);
      leftOut = total - encoder.encode(shown).length;
    }
  }
  const escaped = shown.replace(hazard, escape);
  return leftOut > 0 ? `${escaped}${cut(leftOut)}` : escaped;
}
