import "./widgets.css";
import { useId } from "react";
import type { Lang, UiKey } from "../i18n/index.ts";
import { translator } from "../i18n/index.ts";
import {
  MAX_CLOSE_REASON_BYTES,
  Opcode,
  UsageError,
  closeCodeKind,
  encodeClosePayload,
  encodeFrame,
  frameSegments,
  parseHex,
  toHex,
} from "../protocol/index.ts";
import { ByteGroups, type ByteSegment } from "./shared/ByteGroups.tsx";
import { CloseCodeField } from "./shared/CloseCodeField.tsx";
import { CopyLink } from "./shared/CopyLink.tsx";
import { ErrorText } from "./shared/ErrorText.tsx";
import { MaskingKeyField } from "./shared/MaskingKeyField.tsx";
import { useHashState } from "./shared/useHashState.ts";

const HASH_NAME = "close-builder";
/** Codes RFC 6455 §7.4.1 and the IANA registry name, each described in the list. */
const namedCodes = Array.from({ length: 16 }, (_, i) => 1000 + i);
const OTHER = "other";

const defaults = { code: "1000", reason: "bye", mask: false, maskingKey: "37 fa 21 3d" };

const encoder = new TextEncoder();

type Built = { ok: true; bytes: Uint8Array } | { ok: false; code: string };

function build(code: number | undefined, reason: string, maskingKey: string | null): Built {
  try {
    const payload = encodeClosePayload(code, reason);
    const mask = maskingKey === null ? false : parseHex(maskingKey);
    return { ok: true, bytes: encodeFrame({ opcode: Opcode.Close, payload, mask }) };
  } catch (error) {
    if (error instanceof UsageError) return { ok: false, code: error.code };
    throw error;
  }
}

/** The core's segments with the Close payload split into its 2-byte code and the reason (§5.5.1). */
function closeSegments(bytes: Uint8Array): ByteSegment[] {
  return frameSegments(bytes).flatMap((segment): ByteSegment[] => {
    if (segment.field !== "payload") return [segment];
    const split = segment.start + 2;
    return segment.end > split
      ? [
          { field: "closeCode", start: segment.start, end: split },
          { field: "closeReason", start: split, end: segment.end },
        ]
      : [{ field: "closeCode", start: segment.start, end: segment.end }];
  });
}

/** What a code means: its own description for 1000-1015, otherwise the description of its range. */
function describeCode(code: number): UiKey {
  if (namedCodes.includes(code)) return `closeBuilder.code.${code}` as UiKey;
  return `closeBuilder.kind.${closeCodeKind(code)}` as UiKey;
}

/** Builds a Close frame from a code and a reason, and shows why some codes can never be sent. */
export default function CloseFrameBuilder({ lang }: { lang: Lang }) {
  const t = translator(lang);
  const id = useId();
  const [state, update] = useHashState(HASH_NAME, defaults);
  const codeText = state.code.trim();
  const code = codeText === "" ? undefined : Number(codeText);
  const reasonBytes = encoder.encode(state.reason).length;
  const built = build(code, state.reason, state.mask ? state.maskingKey : null);
  const listValue = code !== undefined && namedCodes.includes(code) ? String(code) : OTHER;
  const over = reasonBytes - MAX_CLOSE_REASON_BYTES;

  return (
    <div className="widget" role="group" aria-label={t("closeBuilder.name")} data-widget="close-builder">
      <div className="widget-two-columns">
        <div className="widget-field">
          <label htmlFor={`${id}-list`}>{t("closeBuilder.pick")}</label>
          <select
            id={`${id}-list`}
            value={listValue}
            onChange={(event) => {
              if (event.target.value !== OTHER) update({ code: event.target.value });
              else if (listValue !== OTHER) update({ code: "4000" });
            }}
            data-testid="close-builder-select"
          >
            {namedCodes.map((named) => (
              <option key={named} value={named}>
                {named} {t(`closeBuilder.name.${named}` as UiKey)}
              </option>
            ))}
            <option value={OTHER}>{t("closeBuilder.other")}</option>
          </select>
        </div>
        <CloseCodeField
          id={`${id}-code`}
          label={t("closeBuilder.number")}
          value={state.code}
          onChange={(code) => update({ code })}
          testId="close-builder-code"
        />
      </div>
      <p className="widget-note" data-testid="close-builder-description">
        {code === undefined ? t("closeBuilder.noCode") : t(describeCode(code))}
      </p>
      <details>
        <summary>{t("closeBuilder.rangesSummary")}</summary>
        <ul>
          <li>{t("closeBuilder.range.0")}</li>
          <li>{t("closeBuilder.range.1000")}</li>
          <li>{t("closeBuilder.range.3000")}</li>
          <li>{t("closeBuilder.range.4000")}</li>
          <li>{t("closeBuilder.range.never")}</li>
        </ul>
      </details>

      <div className="widget-field">
        <label htmlFor={`${id}-reason`}>{t("closeBuilder.reason")}</label>
        <input
          id={`${id}-reason`}
          type="text"
          className="wide"
          value={state.reason}
          onChange={(event) => update({ reason: event.target.value })}
          aria-describedby={`${id}-meter-text`}
          data-testid="close-builder-reason"
        />
        <div className="widget-meter">
          <meter
            min={0}
            max={MAX_CLOSE_REASON_BYTES}
            low={100}
            high={MAX_CLOSE_REASON_BYTES}
            optimum={0}
            value={Math.min(reasonBytes, MAX_CLOSE_REASON_BYTES)}
            aria-label={t("closeBuilder.meterLabel")}
          />
          <span id={`${id}-meter-text`} className={over > 0 ? "status-bad" : undefined}>
            {t("closeBuilder.meterText", {
              used: reasonBytes,
              count: MAX_CLOSE_REASON_BYTES,
              characters: t("closeBuilder.characters", { count: [...state.reason].length }),
            })}
            {over > 0 && ` ${t("closeBuilder.overBy", { count: over })}`}
          </span>
        </div>
      </div>

      <div className="widget-controls">
        <label className="widget-check">
          <input type="checkbox" checked={state.mask} onChange={(event) => update({ mask: event.target.checked })} />
          {t("closeBuilder.mask")}
        </label>
        {state.mask && (
          <MaskingKeyField
            id={`${id}-key`}
            label={t("closeBuilder.maskingKey")}
            value={state.maskingKey}
            onChange={(maskingKey) => update({ maskingKey })}
          />
        )}
      </div>

      <div className="widget-panel">
        {built.ok ? (
          <>
            <p className="widget-summary" role="status">
              {t("closeBuilder.summary", { count: built.bytes.length })}
            </p>
            <p className="widget-output" data-testid="close-builder-output">
              {toHex(built.bytes, " ")}
            </p>
            <ByteGroups lang={lang} bytes={built.bytes} segments={closeSegments(built.bytes)} />
          </>
        ) : (
          <p className="widget-error" role="status" data-testid="close-builder-error">
            <strong>{t("closeBuilder.noBytes")}</strong> <ErrorText lang={lang} code={built.code} />
          </p>
        )}
      </div>
      <CopyLink lang={lang} name={HASH_NAME} state={state} />
    </div>
  );
}
