import type { Lang, UiKey } from "../../i18n/index.ts";
import { translator } from "../../i18n/index.ts";
import { hexPreview } from "./format.ts";

/** A byte range and the field it belongs to: the core's frame segments plus the parts of a Close payload. */
export interface ByteSegment {
  field: "finRsvOpcode" | "maskLength" | "extendedLength16" | "extendedLength64" | "maskingKey" | "payload" | "closeCode" | "closeReason";
  start: number;
  end: number;
}

// Enough to see a pattern; the rest is counted, so a 64 KiB payload does not become 64 K elements.
const BYTES_PER_GROUP = 48;

/** The bytes of a frame grouped by field: each group is named in text and tinted by its field's colour. */
export function ByteGroups({ lang, bytes, segments }: { lang: Lang; bytes: Uint8Array; segments: ByteSegment[] }) {
  const t = translator(lang);
  return (
    <ol className="byte-groups">
      {segments.map((segment) => {
        const { text, hidden } = hexPreview(bytes.subarray(segment.start, segment.end), BYTES_PER_GROUP);
        return (
          <li key={`${segment.field}-${segment.start}`} className="byte-group" data-field={segment.field}>
            <span className="byte-group-name">
              {t(`field.${segment.field}` as UiKey)}
              {" "}
              {t("field.byteRange", { count: segment.end - segment.start })}
            </span>
            <span className="byte-group-bytes">{text}</span>
            {hidden > 0 && <span className="byte-group-more">{t("field.moreBytes", { count: hidden })}</span>}
          </li>
        );
      })}
    </ol>
  );
}
