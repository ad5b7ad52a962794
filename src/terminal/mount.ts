// Loaded only when the reader opens the terminal: xterm and its stylesheets stay out of every other page load.
import { Terminal, type ITheme } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
// As URLs, not imports: Astro inlines the CSS of a page's whole module graph (dynamic imports
// included) into the page, which would put xterm's stylesheet on every lesson.
import xtermStylesheet from "@xterm/xterm/css/xterm.css?url";
import terminalStylesheet from "./terminal.css?url";
import { translator, type Lang } from "../i18n/index.ts";
import { toAnsi } from "./ansi.ts";
import { completeLine } from "./commands.ts";
import { LineEditor, PASTE_MODE_ON } from "./lineEditor.ts";
import { TerminalSession } from "./session.ts";
import { LiveTransport } from "./transports/live.ts";
import { openVirtual } from "./transports/virtual.ts";

export interface MountOptions {
  lang: Lang;
  /** The id of the visible hint on leaving the terminal, announced with it. */
  hintId?: string;
}

export interface MountedTerminal {
  focus(): void;
  dispose(): void;
}

/** The xterm theme from the palette in terminal.css, so it follows the site's light or dark theme. */
function readTheme(element: HTMLElement): ITheme {
  const style = getComputedStyle(element);
  const get = (name: string) => style.getPropertyValue(`--term-${name}`).trim() || undefined;
  return {
    background: get("bg"),
    foreground: get("fg"),
    cursor: get("cursor"),
    cursorAccent: get("bg"),
    selectionBackground: get("selection"),
    black: get("black"),
    red: get("red"),
    green: get("green"),
    yellow: get("yellow"),
    blue: get("blue"),
    magenta: get("magenta"),
    cyan: get("cyan"),
    white: get("white"),
    brightBlack: get("bright-black"),
    brightCyan: get("bright-cyan"),
  };
}

async function copy(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Without clipboard permission the browser's own copy (context menu) still works on the selection.
  }
}

function loadStylesheet(href: string): Promise<void> {
  if (document.querySelector(`link[rel="stylesheet"][href="${href}"]`)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
    link.addEventListener("load", () => resolve());
    link.addEventListener("error", () => reject(new Error(`cannot load ${href}`)));
    document.head.append(link);
  });
}

/** Opens the echo terminal in `container` (which should be visible); styles load first, so it fits. */
export async function mountTerminal(container: HTMLElement, options: MountOptions): Promise<MountedTerminal> {
  await Promise.all([loadStylesheet(xtermStylesheet), loadStylesheet(terminalStylesheet)]);
  const t = translator(options.lang);
  const themed = container.closest<HTMLElement>(".echo-terminal") ?? container;
  const fontFamily = getComputedStyle(document.documentElement).getPropertyValue("--font-mono").trim() || "monospace";
  const term = new Terminal({
    screenReaderMode: true,
    theme: readTheme(themed),
    fontFamily,
    fontSize: 14,
    scrollback: 5000,
    // WCAG AA for every colour xterm draws, whatever the theme says.
    minimumContrastRatio: 4.5,
    cursorBlink: false,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(container);
  if (term.textarea) {
    term.textarea.setAttribute("aria-label", t("terminal.island.label"));
    if (options.hintId) term.textarea.setAttribute("aria-describedby", options.hintId);
  }
  fit.fit();

  let editor: LineEditor;
  const session = new TerminalSession({
    lang: options.lang,
    base: location.href,
    output: {
      line: (line) => editor.printAbove(toAnsi(line, true) + "\r\n"),
      clear: () => term.write("\x1b[H\x1b[2J\x1b[3J"),
    },
    open: (target, protocols, emit) =>
      target.kind === "virtual"
        ? openVirtual(target.path, protocols, emit, { host: location.host, origin: location.origin })
        : new LiveTransport(target.url.href, protocols, emit),
    onPromptChange: () => editor?.refresh(),
  });
  editor = new LineEditor({
    write: (data) => term.write(data),
    prompt: () => session.prompt(),
    styledPrompt: () => toAnsi([{ text: session.prompt(), tone: "prompt" }], true),
    columns: () => term.cols,
    complete: completeLine,
    submit: (line) => session.run(line),
    clearScreen: () => term.write("\x1b[H\x1b[2J\x1b[3J"),
  });

  // Esc, then Tab (or Shift+Tab) leaves the terminal, as the hint says; Tab alone completes.
  let escaped = false;
  let keyDown = false;
  term.attachCustomKeyEventHandler((event) => {
    if (event.type === "keyup") keyDown = false;
    if (event.type !== "keydown") return true;
    keyDown = event.key !== "Unidentified" && event.key !== "Process";
    if (event.key === "Tab" && escaped) return false;
    escaped = event.key === "Escape";
    const ctrl = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (ctrl && key === "c" && (event.shiftKey || term.hasSelection())) {
      if (term.hasSelection()) void copy(term.getSelection());
      event.preventDefault();
      return false;
    }
    // Let the browser paste (its paste event reaches xterm, which inserts the text).
    if (ctrl && key === "v") return false;
    return true;
  });
  const input = term.onData((data) => editor.feed(data));
  // In screen reader mode xterm ignores text that comes only as an input event, with no key
  // pressed (an emoji picker, an on-screen keyboard, dictation); the editor takes it here.
  const insertText = (event: Event) => {
    const { inputType, data, isComposing } = event as InputEvent;
    if (inputType === "insertText" && data && !isComposing && !keyDown) editor.feed(data);
  };
  term.textarea?.addEventListener("input", insertText);

  const resize = new ResizeObserver(() => {
    fit.fit();
  });
  resize.observe(container);
  const resized = term.onResize(() => editor.resized());
  const themeWatch = new MutationObserver(() => {
    term.options.theme = readTheme(themed);
  });
  themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });

  // Pastes arrive bracketed, so the editor takes their ESC sequences and controls as text.
  term.write(PASTE_MODE_ON);
  session.welcome(true);
  editor.start();

  return {
    focus: () => term.focus(),
    dispose() {
      session.transport?.abort();
      resize.disconnect();
      themeWatch.disconnect();
      resized.dispose();
      input.dispose();
      term.textarea?.removeEventListener("input", insertText);
      term.dispose();
    },
  };
}
