/** One structured record about a connection, written as a single JSON line. */
export type LogRecord = { event: string } & Record<string, string | number | boolean | null>;

/** Writes records to `write` as JSON lines with a timestamp, or nothing when `quiet`. */
export type Logger = (record: LogRecord) => void;

// What JSON.stringify leaves raw but a terminal or log viewer may act on: DEL and the C1 controls
// (U+009B is a one-byte CSI), soft hyphen, the Arabic letter mark, zero-width and bidi marks and
// overrides (U+202E reverses the rest of a line), the line and paragraph separators (U+2028,
// U+2029 end a line in some viewers), invisible operators and isolates, the BOM, the
// interlinear annotation controls. They can only occur inside strings, where \u escapes keep the JSON valid.
const UNSAFE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

function escapeUnsafe(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** One record as a JSON line in which every character that could act on a terminal is escaped. */
function formatRecord(record: Record<string, unknown>): string {
  return `${JSON.stringify(record).replace(UNSAFE, escapeUnsafe)}\n`;
}

/** A logger for stdout (or any line sink, for tests). */
export function createLogger(quiet: boolean, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  if (quiet) return () => {};
  return (record) => write(formatRecord({ time: new Date().toISOString(), ...record }));
}
