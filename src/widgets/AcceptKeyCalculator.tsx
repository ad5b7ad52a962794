import "./widgets.css";
import { useId } from "react";
import type { Lang } from "../i18n/index.ts";
import { translator } from "../i18n/index.ts";
import { WEBSOCKET_GUID, acceptSteps, generateKey, keyProblem, type AcceptSteps } from "../protocol/index.ts";
import { CopyLink } from "./shared/CopyLink.tsx";
import { ErrorText } from "./shared/ErrorText.tsx";
import { rfcAcceptExample } from "./shared/acceptExample.ts";
import { useHashState } from "./shared/useHashState.ts";
import { useLatest } from "./shared/useLatest.ts";

const HASH_NAME = "accept-key";
const defaults: { key: string } = { key: rfcAcceptExample.key };

function knownSteps(key: string): AcceptSteps | null {
  return key === rfcAcceptExample.key ? rfcAcceptExample : null;
}

/** Sec-WebSocket-Key to Sec-WebSocket-Accept, one step at a time (RFC 6455 §1.3, §4.2.2). */
export default function AcceptKeyCalculator({ lang }: { lang: Lang }) {
  const t = translator(lang);
  const id = useId();
  const [state, update] = useHashState(HASH_NAME, defaults);
  // Header values reach the server without surrounding whitespace (RFC 7230 §3.2.4).
  const key = state.key.trim();
  const settled = useLatest(key, acceptSteps, knownSteps);
  const steps = settled?.value ?? null;
  const computedKey = settled?.input ?? "";
  const problem = keyProblem(key);

  return (
    <div className="widget" role="group" aria-label={t("acceptKey.name")} data-widget="accept-key">
      <div className="widget-field">
        <label htmlFor={`${id}-key`}>Sec-WebSocket-Key</label>
        <div className="widget-buttons">
          <input
            id={`${id}-key`}
            type="text"
            className="mono wide"
            value={state.key}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => update({ key: event.target.value })}
            aria-describedby={`${id}-key-status`}
            data-testid="accept-key-input"
          />
        </div>
        <div className="widget-buttons">
          <button type="button" onClick={() => update({ key: generateKey() })}>
            {t("acceptKey.generate")}
          </button>
          <button type="button" onClick={() => update({ key: rfcAcceptExample.key })}>
            {t("acceptKey.rfcExample")}
          </button>
        </div>
        <p id={`${id}-key-status`} className={problem ? "widget-error" : "widget-hint"} data-testid="accept-key-problem">
          {problem ? (
            <>
              <strong>{t("acceptKey.keyBad")}</strong> <ErrorText lang={lang} code={problem} /> {t("acceptKey.keyRule")}
            </>
          ) : (
            t("acceptKey.keyGood")
          )}
        </p>
      </div>

      <ol className="widget-panel accept-steps" aria-busy={computedKey !== key}>
        <li>
          <span className="widget-label">{t("acceptKey.step.concatenate")}</span>
          <p className="widget-output">
            {steps ? (
              <>
                <span>{computedKey}</span>
                <span className="accept-guid">{WEBSOCKET_GUID}</span>
              </>
            ) : (
              t("acceptKey.computing")
            )}
          </p>
          <p className="widget-hint">{t("acceptKey.guidNote", { guid: WEBSOCKET_GUID })}</p>
        </li>
        <li>
          <span className="widget-label">{t("acceptKey.step.sha1")}</span>
          <p className="widget-output" data-testid="accept-key-sha1">
            {steps ? steps.sha1Hex : t("acceptKey.computing")}
          </p>
        </li>
        <li>
          <span className="widget-label">{t("acceptKey.step.base64")}</span>
          <p className="widget-output widget-summary" aria-live="polite" data-testid="accept-key-output">
            {steps ? `Sec-WebSocket-Accept: ${steps.accept}` : t("acceptKey.computing")}
          </p>
        </li>
      </ol>
      <CopyLink lang={lang} name={HASH_NAME} state={state} />
    </div>
  );
}
