import { expect, test } from "vitest";
import { createLogger } from "./log.ts";

test("a close reason with C1, bidi and line-separator characters is logged escaped, as valid JSON", () => {
  const lines: string[] = [];
  const log = createLogger(false, (line) => lines.push(line));
  const reason = "a\u009b2Jb\u202ecba\u2028c\u2029d\u0085e\u200ef\u2066g\ufeffh\u001bi";
  log({ event: "close", reason });
  const [line] = lines;
  expect(line!.endsWith("\n")).toBe(true);
  expect(line!.slice(0, -1)).toMatch(/^[\x20-\x7e]*$/);
  expect(line).toContain("a\\u009b2Jb\\u202ecba\\u2028c\\u2029d\\u0085e\\u200ef\\u2066g\\ufeffh\\u001bi");
  expect(JSON.parse(line!)).toMatchObject({ event: "close", reason });
});

test("printable text outside ASCII is left as it is", () => {
  const lines: string[] = [];
  createLogger(false, (line) => lines.push(line))({ event: "close", reason: "до свидания, 👋" });
  expect(lines[0]).toContain("до свидания, 👋");
});
