import type { FrameSegment } from "../protocol/index.ts";

/** What a piece of console output is, which decides its colour (and nothing else: the words say it too). */
export type Tone =
  | "plain"
  | "muted"
  | "out"
  | "in"
  | "ok"
  | "error"
  | "prompt"
  | `field-${FrameSegment["field"]}`;

/** A run of text in one tone; text from the wire has already been through `visible`. */
export interface Span {
  text: string;
  tone: Tone;
}

/** One line of console output. */
export type Line = readonly Span[];

/** Where the console writes: xterm in the page, stdout on the command line. */
export interface Output {
  line(line: Line): void;
  clear(): void;
}

/** A line of one span. */
export function say(text: string, tone: Tone = "plain"): Line {
  return [{ text, tone }];
}
