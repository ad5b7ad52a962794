import { describe, expect, test } from "vitest";
import { completeLine } from "./commands.ts";
import { LineEditor, tokenize } from "./lineEditor.ts";

function editor(columns = 80) {
  const submitted: string[] = [];
  let written = "";
  let clears = 0;
  const ed = new LineEditor({
    write: (data) => (written += data),
    prompt: () => "> ",
    columns: () => columns,
    complete: completeLine,
    submit: (line) => submitted.push(line),
    clearScreen: () => clears++,
  });
  ed.start();
  return { ed, submitted, written: () => written, reset: () => (written = ""), clears: () => clears };
}

const LEFT = "\x1b[D";
const RIGHT = "\x1b[C";
const UP = "\x1b[A";
const DOWN = "\x1b[B";
const HOME = "\x1b[H";
const END = "\x1b[F";
const DELETE = "\x1b[3~";
const BACKSPACE = "\x7f";

describe("LineEditor", () => {
  test("arrows, Home/End, Backspace and Delete edit in the middle of the line", () => {
    const { ed, submitted } = editor();
    ed.feed("sedn hi");
    ed.feed(HOME + RIGHT + RIGHT + DELETE); // "sen hi"
    ed.feed(END + LEFT + LEFT + LEFT + BACKSPACE + "nd");
    expect(ed.line).toBe("send hi");
    ed.feed("\r");
    expect(submitted).toEqual(["send hi"]);
    ed.feed("xx yy zz" + LEFT + LEFT + LEFT + "\x15"); // Ctrl+U kills to the start
    expect(ed.line).toBe(" zz");
    ed.feed(RIGHT + "\x0b"); // Ctrl+K kills to the end
    expect(ed.line).toBe(" ");
  });

  test("up and down walk the history and come back to the draft", () => {
    const { ed, submitted } = editor();
    ed.feed("send one\rsend two\rdraf");
    ed.feed(UP);
    expect(ed.line).toBe("send two");
    ed.feed(UP + UP);
    expect(ed.line).toBe("send one");
    ed.feed(DOWN + DOWN);
    expect(ed.line).toBe("draf");
    ed.feed(UP + "!\r");
    expect(submitted).toEqual(["send one", "send two", "send two!"]);
  });

  test("Tab completes the command; an ambiguous prefix prints the candidates above the line", () => {
    const { ed, written, reset } = editor();
    ed.feed("con\t");
    expect(ed.line).toBe("connect ");
    ed.feed("\x15cl");
    reset();
    ed.feed("\t");
    expect(ed.line).toBe("cl");
    expect(written()).toContain("close  clear\r\n> cl");
  });

  test("Ctrl+C cancels the line without running it", () => {
    const { ed, submitted, written } = editor();
    ed.feed("raw 81\x03");
    expect(submitted).toEqual([]);
    expect(ed.line).toBe("");
    expect(written()).toContain("^C\r\n> ");
  });

  test("a pasted block runs one command per line, CRLF counting once", () => {
    const { ed, submitted } = editor();
    ed.feed("send a\r\nsend b\rsend c");
    expect(submitted).toEqual(["send a", "send b"]);
    expect(ed.line).toBe("send c");
  });

  test("typed control keys and escape sequences that edit nothing are ignored", () => {
    const { ed } = editor();
    ed.feed("a\x00b\x1b[2Jc\x1b[15~");
    expect(ed.line).toBe("abc");
  });

  test("a bracketed paste keeps ESC sequences, C0 and C1 controls, and shows them as visible escapes", () => {
    const { ed, written, reset, submitted } = editor();
    reset();
    ed.feed("\x1b[200~send \u001b[31mRED\t\u009b2J\u202eX\x1b[201~");
    expect(ed.line).toBe("send \u001b[31mRED\t\u009b2J\u202eX");
    // Nothing the terminal could act on is written: the line is drawn as escapes.
    expect(written()).toContain("> send \\x1b[31mRED\\t\\x9b2J\\u202eX");
    expect(written()).not.toMatch(/[\x80-\x9f\u202e]|\x1b\[31m/);
    ed.feed("\r");
    expect(submitted).toEqual(["send \u001b[31mRED\t\u009b2J\u202eX"]);
  });

  test("a bracketed paste split over several reads, with line breaks, submits each line", () => {
    const { ed, submitted } = editor();
    ed.feed("\x1b[200~send a\rsend \x1b");
    ed.feed("[1mb\x1b[201~");
    expect(submitted).toEqual(["send a"]);
    expect(ed.line).toBe("send \x1b[1mb");
    // After the paste, keys are keys again.
    ed.feed("\x1b[D\x7f");
    expect(ed.line).toBe("send \x1b[1b");
  });

  test("C1 controls and bidi overrides typed without a paste are shown escaped, and the cursor counts their width", () => {
    const { ed, written, reset } = editor();
    ed.feed("a\u0085b\u2066c");
    expect(ed.line).toBe("a\u0085b\u2066c");
    expect(written()).toContain("> a\\x85b\\u2066c");
    reset();
    ed.feed(LEFT);
    // "> a\x85b\u2066" is 2 + 1 + 4 + 1 + 6 = 14 columns before the "c".
    expect(written()).toBe("\r\x1b[14C");
  });

  test("output printed while typing goes above the prompt, and the line is redrawn", () => {
    const { ed, written, reset } = editor();
    ed.feed("send hi" + LEFT + LEFT);
    reset();
    ed.printAbove("← text\r\n");
    // Back to the prompt's column 0, erase below, the output, the prompt and line, cursor 2 left of the end.
    expect(written()).toBe("\r\x1b[J← text\r\n> send hi\r\x1b[7C");
  });

  test("on a narrow terminal the cursor moves across wrapped rows", () => {
    const { ed, written, reset } = editor(10);
    ed.feed("send 0123456789");
    reset();
    ed.feed(HOME);
    expect(written()).toBe("\x1b[1A\r\x1b[2C");
  });

  test("Ctrl+L clears the screen and redraws the line", () => {
    const { ed, clears } = editor();
    ed.feed("abc\x0c");
    expect(clears()).toBe(1);
    expect(ed.line).toBe("abc");
  });

  test("tokenize keeps escape sequences whole", () => {
    expect(tokenize("ab\x1b[3~\x1bOA\x1b\r")).toEqual(["ab", "\x1b[3~", "\x1bOA", "\x1b", "\r"]);
  });
});
