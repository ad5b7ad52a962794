import type { Line, Tone } from "./output.ts";

// ANSI colours by tone: the terminal theme (or the reader's own terminal) decides the exact shade.
const sgr: Record<Tone, string> = {
  plain: "",
  muted: "90",
  out: "34",
  in: "32",
  ok: "32",
  error: "31",
  prompt: "36",
  "field-finRsvOpcode": "35",
  "field-maskLength": "36",
  "field-extendedLength16": "96",
  "field-extendedLength64": "96",
  "field-maskingKey": "33",
  "field-payload": "",
};

/**
 * Writes a line for a terminal. Span text has been made visible already, so the only escape
 * sequences in the result are the colours added here; `colour: false` gives plain text.
 */
export function toAnsi(line: Line, colour: boolean): string {
  return line.map(({ text, tone }) => (colour && sgr[tone] ? `\x1b[${sgr[tone]}m${text}\x1b[0m` : text)).join("");
}
