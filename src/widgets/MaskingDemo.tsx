import "./widgets.css";
import { useEffect, useId, useState, type ReactNode } from "react";
import type { Lang } from "../i18n/index.ts";
import { translator } from "../i18n/index.ts";
import { HexError, maskedCopy, parseHex, toHex } from "../protocol/index.ts";
import { CopyLink } from "./shared/CopyLink.tsx";
import { ErrorText } from "./shared/ErrorText.tsx";
import { MaskingKeyField } from "./shared/MaskingKeyField.tsx";
import { asciiChar, displayText, hexByte, hexPair } from "./shared/format.ts";
import { useHashState } from "./shared/useHashState.ts";

const HASH_NAME = "masking";
// A table column per byte: beyond this the demo stops being readable, so the input is capped.
const MAX_PAYLOAD_BYTES = 64;
/** Milliseconds per byte at each speed: slow enough to follow one XOR, or all 64 bytes in about 5 s. */
const speeds = { slow: 700, medium: 250, fast: 80 } as const;
type Speed = keyof typeof speeds;

/** RFC 6455 §5.7: "Hello" masked with 37 fa 21 3d; `step` is how many bytes are done (all of them). */
const defaults = { payload: "Hello", maskingKey: "37 fa 21 3d", step: 5 };

const encoder = new TextEncoder();

function prefersReducedMotion(): boolean {
  return matchMedia("(prefers-reduced-motion: reduce)").matches;
}

/** XOR of each payload byte with key[i mod 4] (§5.3), one column at a time. */
export default function MaskingDemo({ lang }: { lang: Lang }) {
  const t = translator(lang);
  const id = useId();
  const [state, update] = useHashState(HASH_NAME, defaults);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<Speed>("medium");

  const payload = encoder.encode(state.payload).subarray(0, MAX_PAYLOAD_BYTES);
  let maskingKey: Uint8Array | null = null;
  let keyError: string | null = null;
  try {
    maskingKey = parseHex(state.maskingKey);
    if (maskingKey.length !== 4) keyError = "invalid-masking-key";
  } catch (error) {
    if (!(error instanceof HexError)) throw error;
    keyError = error.code;
  }
  const key = keyError === null ? maskingKey : null;
  const masked = key ? maskedCopy(payload, key) : null;
  // Unmasking is the same XOR again (§5.3): the receiver's view of the masked bytes.
  const unmasked = key && masked ? maskedCopy(masked, key) : null;
  const step = Math.min(Math.max(0, Math.trunc(state.step)), payload.length);
  const current = step - 1;

  useEffect(() => {
    if (!playing) return;
    if (step >= payload.length) {
      setPlaying(false);
      return;
    }
    const timer = setTimeout(() => update({ step: step + 1 }), speeds[speed]);
    return () => clearTimeout(timer);
  }, [playing, step, payload.length, update, speed]);

  function play() {
    if (prefersReducedMotion()) {
      // No animation for readers who asked for less motion: show the finished result at once.
      update({ step: payload.length });
      return;
    }
    if (step >= payload.length) update({ step: 0 });
    setPlaying(true);
  }

  const stepLine =
    masked && key && current >= 0
      ? t("masking.stepLine", {
          i: current,
          byte: hexByte(payload[current]!),
          j: current % 4,
          key: hexByte(key[current % 4]!),
          result: hexByte(masked[current]!),
        })
      : t(playing ? "masking.stepPlaying" : "masking.stepStart");

  return (
    <div className="widget" role="group" aria-label={t("masking.name")} data-widget="masking-demo">
      <div className="widget-two-columns">
        <div className="widget-field">
          <label htmlFor={`${id}-payload`}>{t("masking.payload")}</label>
          <input
            id={`${id}-payload`}
            type="text"
            className="wide"
            value={state.payload}
            onChange={(event) => update({ payload: event.target.value, step: encoder.encode(event.target.value).length })}
            data-testid="masking-payload"
          />
          <p className="widget-hint">{t("masking.payloadHint", { count: MAX_PAYLOAD_BYTES })}</p>
        </div>
        <MaskingKeyField
          id={`${id}-key`}
          label={t("masking.maskingKey")}
          value={state.maskingKey}
          onChange={(maskingKey) => update({ maskingKey })}
          randomLabel={t("masking.randomKey")}
          testId="masking-key"
        />
      </div>

      {keyError !== null || !masked || !key || !unmasked ? (
        <p className="widget-error" role="status">
          <ErrorText lang={lang} code={keyError ?? "invalid-masking-key"} />
        </p>
      ) : (
        <div className="widget-panel">
          <div className="widget-buttons" role="group" aria-label={t("masking.controls")}>
            <button type="button" onClick={() => update({ step: Math.max(0, step - 1) })} disabled={step === 0}>
              {t("masking.prev")}
            </button>
            <button
              type="button"
              onClick={() => update({ step: Math.min(payload.length, step + 1) })}
              disabled={step >= payload.length}
            >
              {t("masking.next")}
            </button>
            {playing ? (
              <button type="button" onClick={() => setPlaying(false)}>
                {t("masking.pause")}
              </button>
            ) : (
              <button type="button" onClick={play} disabled={payload.length === 0}>
                {t("masking.play")}
              </button>
            )}
            <span>{t("masking.progress", { step, count: payload.length })}</span>
          </div>
          <div className="widget-segmented" role="radiogroup" aria-label={t("masking.speed")}>
            <span className="widget-label" aria-hidden="true">
              {t("masking.speed")}
            </span>
            {(Object.keys(speeds) as Speed[]).map((name) => (
              <label key={name}>
                <input
                  type="radio"
                  name={`${id}-speed`}
                  checked={speed === name}
                  onChange={() => setSpeed(name)}
                  data-testid={`masking-speed-${name}`}
                />
                <span>{t(`masking.speed.${name}`)}</span>
              </label>
            ))}
          </div>
          <p className="widget-summary" aria-live="polite">
            {stepLine}
          </p>
          <div className="widget-scroll">
            <table className="mask-table">
              <caption className="widget-label">{t("masking.tableCaption")}</caption>
              <tbody>
                <MaskTableRow name="i" length={payload.length} current={current} columnHeaders cell={(i) => i} />
                <MaskTableRow
                  name={t("masking.rowPayload")}
                  length={payload.length}
                  current={current}
                  cell={(i) => (
                    <>
                      {hexPair(payload[i]!)}
                      <br />
                      <span aria-hidden="true">{asciiChar(payload[i]!)}</span>
                    </>
                  )}
                />
                <MaskTableRow
                  name={t("masking.rowKey")}
                  length={payload.length}
                  current={current}
                  cell={(i) => (
                    <>
                      {hexPair(key[i % 4]!)}
                      <br />
                      <small>[{i % 4}]</small>
                    </>
                  )}
                />
                <MaskTableRow
                  name={t("masking.rowMasked")}
                  length={payload.length}
                  current={current}
                  cell={(i) => (i < step ? hexPair(masked[i]!) : "··")}
                />
              </tbody>
            </table>
          </div>
          <dl>
            <dt>{t("masking.maskedBytes")}</dt>
            <dd data-testid="masking-output">{toHex(masked, " ")}</dd>
            <dt>{t("masking.unmasked")}</dt>
            <dd data-testid="masking-unmasked">{displayText(unmasked)}</dd>
          </dl>
        </div>
      )}
      <p className="widget-note">{t("masking.why")}</p>
      <CopyLink lang={lang} name={HASH_NAME} state={state} />
    </div>
  );
}

interface MaskTableRowProps {
  name: string;
  length: number;
  /** The column of the byte the current step masks; it is highlighted in every row. */
  current: number;
  /** The index row heads the columns, for screen readers moving down a column. */
  columnHeaders?: boolean;
  cell: (i: number) => ReactNode;
}

/** One row of the masking table: its name, then a cell per payload byte. */
function MaskTableRow({ name, length, current, columnHeaders = false, cell }: MaskTableRowProps) {
  const Cell = columnHeaders ? "th" : "td";
  return (
    <tr>
      <th scope="row">{name}</th>
      {Array.from({ length }, (_, i) => (
        <Cell key={i} scope={columnHeaders ? "col" : undefined} className={i === current ? "current" : undefined}>
          {cell(i)}
        </Cell>
      ))}
    </tr>
  );
}
