import { describe, expect, test } from "vitest";
import { en } from "../../src/i18n/en.ts";
import { ru } from "../../src/i18n/ru.ts";
import { errorCodes, errorSections } from "../../src/protocol/index.ts";

/** How a message cites the core's reference: "(§5.1)" for RFC 6455, "(RFC 9112, §3.2)" for another RFC. */
function citation(section: string): string {
  const other = /^RFC (\d+) §(.+)$/.exec(section);
  return other ? `(RFC ${other[1]}, §${other[2]})` : `(§${section})`;
}

describe("error messages cite one reference, the core's", () => {
  for (const [lang, dictionary] of [["en", en], ["ru", ru]] as const) {
    test(`${lang}: each core error's message cites exactly errorSections[code], once`, () => {
      const wrong = errorCodes.flatMap((code) => {
        const text = dictionary[`error.${code}`];
        const section = errorSections[code];
        const references = text.match(/§|RFC \d+/g) ?? [];
        const expected = section === null ? [] : /^RFC /.test(section) ? ["RFC", "§"] : ["§"];
        const ok =
          references.map((reference) => reference.replace(/ \d+$/, "")).join() === expected.join() &&
          (section === null || text.endsWith(citation(section)));
        return ok ? [] : [`${code}: "${text}" (expected ${section === null ? "no reference" : citation(section)})`];
      });
      expect(wrong).toEqual([]);
    });

    test(`${lang}: no other error message cites a section`, () => {
      const others = Object.entries(dictionary).filter(
        ([key, text]) => key.startsWith("error.") && !(errorCodes as readonly string[]).includes(key.slice(6)) && /§/.test(String(text)),
      );
      expect(others).toEqual([]);
    });
  }
});
