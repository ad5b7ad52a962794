import "./widgets.css";
import { useEffect, useId, useState } from "react";
import type { Lang } from "../i18n/index.ts";
import { translator } from "../i18n/index.ts";
import { HexError, maskedCopy, parseHex, toHex } from "../protocol/index.ts";
import { CopyLink } from "./shared/CopyLink.tsx";
import { ErrorText } from "./shared/ErrorText.tsx";
import { asciiChar, displayText, hexByte } from "./shared/format.ts";
import { useHashState } from "./shared/useHashState.ts";

const HASH_NAME = "masking";
// A table column per byte: beyond this the demo stops being readable, so the input is capped.
const MAX_PAYLOAD_BYTES = 64;
const STEP_MS = 700;

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
    const timer = setTimeout(() => update({ step: step + 1 }), STEP_MS);
    return () => clearTimeout(timer);
  }, [playing, step, payload.length, update]);

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
      : t("masking.stepStart");

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
        <div className="widget-field">
          <label htmlFor={`${id}-key`}>{t("masking.maskingKey")}</label>
          <div className="widget-buttons">
            <input
              id={`${id}-key`}
              type="text"
              className="mono"
              size={14}
              value={state.maskingKey}
              spellCheck={false}
              onChange={(event) => update({ maskingKey: event.target.value })}
              data-testid="masking-key"
            />
            <button
              type="button"
              onClick={() => update({ maskingKey: toHex(crypto.getRandomValues(new Uint8Array(4)), " ") })}
            >
              {t("masking.randomKey")}
            </button>
          </div>
        </div>
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
          <p className="widget-summary" aria-live="polite">
            {stepLine}
          </p>
          <div className="widget-scroll">
            <table className="mask-table">
              <caption className="widget-label">{t("masking.tableCaption")}</caption>
              <tbody>
                <tr>
                  <th scope="row">i</th>
                  {Array.from(payload, (_, i) => (
                    <th key={i} scope="col" className={i === current ? "current" : undefined}>
                      {i}
                    </th>
                  ))}
                </tr>
                <tr>
                  <th scope="row">{t("masking.rowPayload")}</th>
                  {Array.from(payload, (byte, i) => (
                    <td key={i} className={i === current ? "current" : undefined}>
                      {byte.toString(16).padStart(2, "0")}
                      <br />
                      <span aria-hidden="true">{asciiChar(byte)}</span>
                    </td>
                  ))}
                </tr>
                <tr>
                  <th scope="row">{t("masking.rowKey")}</th>
                  {Array.from(payload, (_, i) => (
                    <td key={i} className={i === current ? "current" : undefined}>
                      {key[i % 4]!.toString(16).padStart(2, "0")}
                      <br />
                      <small>[{i % 4}]</small>
                    </td>
                  ))}
                </tr>
                <tr>
                  <th scope="row">{t("masking.rowMasked")}</th>
                  {Array.from(masked, (byte, i) => (
                    <td key={i} className={i === current ? "current" : undefined}>
                      {i < step ? byte.toString(16).padStart(2, "0") : "··"}
                    </td>
                  ))}
                </tr>
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
