import { parseArgs, type ParseArgsConfig } from "node:util";

/** One `ws-lab` subcommand: a one-line summary for the command list, and its entry point (exit status). */
export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

/** Exit statuses shared by every subcommand. */
export const Exit = { Ok: 0, ProtocolError: 1, Usage: 2 } as const;

/**
 * Wrong invocation: the message says what was wrong and how to fix it; it exits with status 2.
 * `code` is stable, for a JSON error object: `usage` or, for input that is not hex, `invalid-hex`.
 */
export class UsageProblem extends Error {
  readonly code: "usage" | "invalid-hex";

  constructor(message: string, code: "usage" | "invalid-hex" = "usage") {
    super(message);
    this.code = code;
  }
}

/**
 * A count or size given on the command line: decimal digits only, so "", " 5", "0x10" and "1e1",
 * which Number() would take, are refused rather than read as something the user did not write.
 * @throws UsageProblem naming the option, for anything else or a value below `min`.
 */
export function wholeNumber(option: string, raw: string, min = 0): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageProblem(`--${option} must be a whole number${min > 0 ? ` of at least ${min}` : ""}, not '${raw}'`);
  }
  return value;
}

/**
 * Parses options with node:util, turning its errors into a UsageProblem that points at `--help`.
 * @throws UsageProblem for unknown options or missing option values.
 */
export function parseOptions<T extends NonNullable<ParseArgsConfig["options"]>>(name: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageProblem(`${(error as Error).message}\nRun 'ws-lab ${name} --help' to see the options.`);
  }
}

/** A count of bytes in English, singular for one: "1 byte", "0 bytes", "125 bytes". */
export function byteCount(count: number): string {
  return `${count} ${count === 1 ? "byte" : "bytes"}`;
}

/** Reads all of standard input as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
