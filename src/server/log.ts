/** One structured record about a connection, written as a single JSON line. */
export type LogRecord = { event: string } & Record<string, string | number | boolean | null>;

/** Writes records to `write` as JSON lines with a timestamp, or nothing when `quiet`. */
export type Logger = (record: LogRecord) => void;

/** A logger for stdout (or any line sink, for tests). */
export function createLogger(quiet: boolean, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  if (quiet) return () => {};
  return (record) => write(`${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
}
