import type { Completion } from "./commands.ts";
import { visible } from "./visible.ts";

/** What the editor needs from its host (xterm in the page). */
export interface LineEditorHost {
  /** Writes terminal output (text and the few cursor sequences the editor uses). */
  write(data: string): void;
  /** The prompt's text, as it should be measured. */
  prompt(): string;
  /** The prompt as it should be written (e.g. coloured); same width as `prompt()`. */
  styledPrompt?(): string;
  columns(): number;
  complete(line: string): Completion;
  /** A finished line. Output printed while it runs goes above the next prompt. */
  submit(line: string): void;
  /** Ctrl+L. */
  clearScreen(): void;
}

const HISTORY_SIZE = 200;

// Key sequences xterm sends (normal and application cursor mode), by what they mean.
const keys: Record<string, string> = {
  "\r": "enter",
  "\x7f": "backspace",
  "\b": "backspace",
  "\x1b[3~": "delete",
  "\x1b[D": "left",
  "\x1bOD": "left",
  "\x02": "left",
  "\x1b[C": "right",
  "\x1bOC": "right",
  "\x06": "right",
  "\x1b[A": "up",
  "\x1bOA": "up",
  "\x10": "up",
  "\x1b[B": "down",
  "\x1bOB": "down",
  "\x0e": "down",
  "\x1b[H": "home",
  "\x1bOH": "home",
  "\x1b[1~": "home",
  "\x01": "home",
  "\x1b[F": "end",
  "\x1bOF": "end",
  "\x1b[4~": "end",
  "\x05": "end",
  "\x03": "cancel",
  "\x0c": "clear",
  "\x15": "killBefore",
  "\x0b": "killAfter",
  "\t": "complete",
};

/** Bracketed paste (xterm wraps pasted text in these once the editor turns the mode on, see PASTE_MODE_ON). */
const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";
/** Written once by the host: from then on a paste arrives bracketed, so it can be told from keys. */
export const PASTE_MODE_ON = "\x1b[?2004h";

/** Splits terminal input into key sequences and runs of typed or pasted text. */
export function tokenize(data: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < data.length) {
    const char = data[i]!;
    if (char === "\x1b") {
      // CSI (ESC [ params final) or SS3 (ESC O x); a lone ESC is the Escape key.
      const csi = /^\x1b\[[0-9;?]*[@-~]/.exec(data.slice(i)) ?? /^\x1bO./.exec(data.slice(i));
      const token = csi ? csi[0] : char;
      tokens.push(token);
      i += token.length;
    } else if (char < " " || char === "\x7f") {
      // A pasted "\r\n" is one Enter.
      tokens.push(char);
      i += char === "\r" && data[i + 1] === "\n" ? 2 : 1;
    } else {
      const run = /^[^\x00-\x1f\x7f]+/.exec(data.slice(i))![0];
      tokens.push(run);
      i += run.length;
    }
  }
  return tokens;
}

/**
 * How a character of the line is drawn: through `visible`, like data received, so a pasted ESC,
 * C1 control or bidi override is seen and cannot act on the terminal. The cursor moves over
 * what is drawn, one character of the line at a time.
 */
function shown(char: string): string {
  return visible(char);
}

/**
 * A readline for xterm: editing with arrows, Home/End, Backspace/Delete, history, Tab completion,
 * Ctrl+C to cancel the line; pasted text is inserted as it is and shown visibly (a pasted newline
 * submits the line). It keeps track of where the input is on screen, so output can be printed
 * above it and the line redrawn.
 */
export class LineEditor {
  private readonly host: LineEditorHost;
  private chars: string[] = [];
  private cursor = 0;
  private history: string[] = [];
  private historyIndex = 0;
  private draft: string[] = [];
  /** Whether the prompt and line are on screen, and the row of the cursor relative to the prompt. */
  private shown = false;
  private cursorRow = 0;
  /** Inside a bracketed paste (which may span several `feed` calls). */
  private pasting = false;

  constructor(host: LineEditorHost) {
    this.host = host;
  }

  /** The line being edited. */
  get line(): string {
    return this.chars.join("");
  }

  /** Shows the prompt (and the line so far). */
  start(): void {
    this.host.write(this.render());
  }

  /** Prints text (whole lines, `\r\n`-terminated) above the input and redraws it below. */
  printAbove(text: string): void {
    this.host.write(this.shown ? this.erase() + text + this.render() : text);
  }

  /** Redraws the line, e.g. after the prompt changed. */
  refresh(): void {
    if (this.shown) this.host.write(this.erase() + this.render());
  }

  /** The terminal changed width and rewrapped the line: the cursor's row follows the new width. */
  resized(): void {
    if (this.shown) this.cursorRow = Math.floor(this.offset(this.cursor) / Math.max(1, this.host.columns()));
  }

  /**
   * Handles input from the terminal (keys, typed or pasted text). A bracketed paste is taken
   * literally: an ESC sequence, a tab or a C1 control in it becomes part of the line (shown as a
   * visible escape, sent as pasted); only its line breaks act, each submitting a line.
   */
  feed(data: string): void {
    for (const token of tokenize(data)) {
      if (token === PASTE_START || token === PASTE_END) {
        this.pasting = token === PASTE_START;
        continue;
      }
      if (this.pasting) {
        if (token === "\r" || token === "\n") this.enter();
        else this.insert(token);
        continue;
      }
      const key = keys[token];
      if (key === undefined) {
        if (token[0]! >= " " && token !== "\x7f") this.insert(token);
        continue; // other sequences (F-keys, a lone Escape) and unbound control keys do nothing here
      }
      this.press(key);
    }
  }

  private press(key: string): void {
    const before = this.cursor;
    switch (key) {
      case "enter":
        return this.enter();
      case "cancel":
        this.host.write(this.moveToEnd() + "^C\r\n");
        this.shown = false;
        this.chars = [];
        this.cursor = 0;
        this.historyIndex = this.history.length;
        return this.start();
      case "clear":
        this.host.write(this.erase());
        this.shown = false;
        this.host.clearScreen();
        return this.start();
      case "backspace":
        if (this.cursor === 0) return;
        this.chars.splice(--this.cursor, 1);
        break;
      case "delete":
        if (this.cursor === this.chars.length) return;
        this.chars.splice(this.cursor, 1);
        break;
      case "left":
        this.cursor = Math.max(0, this.cursor - 1);
        break;
      case "right":
        this.cursor = Math.min(this.chars.length, this.cursor + 1);
        break;
      case "home":
        this.cursor = 0;
        break;
      case "end":
        this.cursor = this.chars.length;
        break;
      case "killBefore":
        this.chars.splice(0, this.cursor);
        this.cursor = 0;
        break;
      case "killAfter":
        this.chars.splice(this.cursor);
        break;
      case "up":
      case "down":
        return this.recall(key === "up" ? -1 : 1);
      case "complete":
        return this.complete();
    }
    if (key === "left" || key === "right" || key === "home" || key === "end") {
      if (before !== this.cursor) this.host.write(this.moveCursor(this.offset(before), this.offset(this.cursor)));
      return;
    }
    this.refresh();
  }

  private insert(text: string): void {
    const chars = [...text];
    this.chars.splice(this.cursor, 0, ...chars);
    this.cursor += chars.length;
    this.refresh();
  }

  private enter(): void {
    const line = this.line;
    this.host.write(this.moveToEnd() + "\r\n");
    this.shown = false;
    if (line.trim() !== "" && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > HISTORY_SIZE) this.history.shift();
    }
    this.historyIndex = this.history.length;
    this.chars = [];
    this.cursor = 0;
    this.host.submit(line);
    this.start();
  }

  private recall(step: -1 | 1): void {
    const index = this.historyIndex + step;
    if (index < 0 || index > this.history.length) return;
    if (this.historyIndex === this.history.length) this.draft = this.chars;
    this.historyIndex = index;
    this.chars = index === this.history.length ? this.draft : [...this.history[index]!];
    this.cursor = this.chars.length;
    this.refresh();
  }

  private complete(): void {
    const before = this.chars.slice(0, this.cursor).join("");
    const { line, candidates } = this.host.complete(before);
    if (candidates.length > 0) {
      this.printAbove(candidates.join("  ") + "\r\n");
      return;
    }
    if (line === before) return;
    this.chars = [...line, ...this.chars.slice(this.cursor)];
    this.cursor = [...line].length;
    this.refresh();
  }

  /** Screen offset of a line position, counted from the prompt's first column. */
  private offset(position: number): number {
    let width = [...this.host.prompt()].length;
    for (let i = 0; i < position; i++) width += shown(this.chars[i]!).length;
    return width;
  }

  private moveCursor(from: number, to: number): string {
    const columns = Math.max(1, this.host.columns());
    const rowFrom = Math.floor(from / columns);
    const rowTo = Math.floor(to / columns);
    let out = rowTo < rowFrom ? `\x1b[${rowFrom - rowTo}A` : rowTo > rowFrom ? `\x1b[${rowTo - rowFrom}B` : "";
    out += "\r";
    if (to % columns > 0) out += `\x1b[${to % columns}C`;
    this.cursorRow = rowTo;
    return out;
  }

  private moveToEnd(): string {
    return this.shown ? this.moveCursor(this.offset(this.cursor), this.offset(this.chars.length)) : "";
  }

  /** Back to the prompt's first column and everything below it erased. */
  private erase(): string {
    if (!this.shown) return "";
    this.shown = false;
    return (this.cursorRow > 0 ? `\x1b[${this.cursorRow}A` : "") + "\r\x1b[J";
  }

  private render(): string {
    const columns = Math.max(1, this.host.columns());
    const end = this.offset(this.chars.length);
    let out = (this.host.styledPrompt?.() ?? this.host.prompt()) + this.chars.map(shown).join("");
    // At the right margin the cursor waits to wrap; move it to the next row so the sums hold.
    if (end > 0 && end % columns === 0) out += "\r\n";
    this.cursorRow = Math.floor(end / columns);
    this.shown = true;
    return out + this.moveCursor(end, this.offset(this.cursor));
  }
}
