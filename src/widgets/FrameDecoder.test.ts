import { describe, expect, test } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { DecodeReport } from "./FrameDecoder.tsx";
import { t } from "../i18n/index.ts";
import { decodeStream, parseHex } from "../protocol/index.ts";

/** The decoder's report as text, for the bytes as `receiver` reads them. */
function report(lang: "en" | "ru", hex: string, receiver: "server" | "client" = "server"): string {
  const bytes = parseHex(hex);
  const html = renderToStaticMarkup(createElement(DecodeReport, { lang, bytes, result: decodeStream(bytes, { role: receiver }), receiver }));
  return html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&").replace(/\s+/g, " ");
}

describe("the frame decoder's report", () => {
  for (const lang of ["en", "ru"] as const) {
    test(`${lang}: a masked text frame whose byte is not UTF-8 is frame 1, called a text frame that is not UTF-8`, () => {
      const text = report(lang, "81 81 00 00 00 00 ff");
      expect(text).toContain(t(lang, "frameDecoder.violation", { n: 1 }));
      expect(text).not.toContain(t(lang, "frameDecoder.violation", { n: 2 }));
      expect(text).toContain(t(lang, "frameDecoder.textInvalid"));
      expect(text).not.toContain(t(lang, "frameDecoder.notText"));
      expect(text).toContain(t(lang, "error.invalid-utf8"));
    });

    test(`${lang}: a header that breaks a rule after a first fragment is the next frame's`, () => {
      const text = report(lang, "01 03 48 65 6c 83 00", "client");
      expect(text).toContain(t(lang, "frameDecoder.violation", { n: 2 }));
      expect(text).toContain(t(lang, "error.reserved-opcode"));
    });

    test(`${lang}: the section is cited once`, () => {
      const text = report(lang, "81 05 48 65 6c 6c 6f");
      expect(text.match(/§/g)).toHaveLength(1);
    });

    test(`${lang}: a ping is a control frame, not a message; a Close without a code is not 'code 1005'`, () => {
      const text = report(lang, "89 00 88 00", "client");
      expect(text).toContain(t(lang, "frameDecoder.summaryOk", { frames: 2, messages: 0, controls: 2 }));
      expect(text).toContain(t(lang, "frameDecoder.message.closeNoCode"));
      expect(text).not.toContain(t(lang, "frameDecoder.message.close", { code: 1005, reason: "" }));
    });

    test(`${lang}: bytes after a violation in a payload, or after the Close, are said to be unread`, () => {
      expect(report(lang, "81 81 00 00 00 00 ff 81 80 00 00 00 00")).toContain(t(lang, "frameDecoder.unread", { count: 6 }));
      expect(report(lang, "88 00 81 00", "client")).toContain(t(lang, "frameDecoder.unread", { count: 2 }));
    });
  }
});
