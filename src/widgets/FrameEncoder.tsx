import "./widgets.css";
import { useId } from "react";
import type { Lang } from "../i18n/index.ts";
import { translator } from "../i18n/index.ts";
import { decodeStream, isControlOpcode, isKnownOpcode, opcodeName } from "../protocol/index.ts";
import { CLOSE_OPCODE, encodeFromState, encoderDefaults, type EncoderState } from "./frameEncoderModel.ts";
import { BitTable } from "./shared/BitTable.tsx";
import { ByteGroups } from "./shared/ByteGroups.tsx";
import { CloseCodeField } from "./shared/CloseCodeField.tsx";
import { CopyLink } from "./shared/CopyLink.tsx";
import { ErrorText } from "./shared/ErrorText.tsx";
import { MaskingKeyField } from "./shared/MaskingKeyField.tsx";
import { hexPreview, lengthEncoding } from "./shared/format.ts";
import { useHashState } from "./shared/useHashState.ts";

const HASH_NAME = "frame-encoder";
const OUTPUT_PREVIEW_BYTES = 512;
const opcodes = Array.from({ length: 16 }, (_, opcode) => opcode);
/** Lengths on both sides of each boundary of the §5.2 length encoding. */
const fillLengths = [125, 126, 65535, 65536] as const;

/** RFC 6455 §5.7 examples, each a complete form state. */
const presets = {
  unmaskedHello: { ...encoderDefaults, mask: false },
  maskedHello: encoderDefaults,
  firstFragment: { ...encoderDefaults, mask: false, fin: false, payload: "Hel" },
  lastFragment: { ...encoderDefaults, mask: false, opcode: 0x0, payload: "lo" },
  ping: { ...encoderDefaults, mask: false, opcode: 0x9 },
  maskedPong: { ...encoderDefaults, opcode: 0xa },
  binary256: { ...encoderDefaults, mask: false, opcode: 0x2, format: "hex", payload: "00", fillTo: 256 },
  binary64k: { ...encoderDefaults, mask: false, opcode: 0x2, format: "hex", payload: "00", fillTo: 65536 },
} as const satisfies Record<string, EncoderState>;

/** Builds one frame from its fields and shows every byte, labelled by the field it belongs to. */
export default function FrameEncoder({ lang }: { lang: Lang }) {
  const t = translator(lang);
  const id = useId();
  const [state, update] = useHashState(HASH_NAME, encoderDefaults);
  const result = encodeFromState(state);
  const isClose = state.opcode === CLOSE_OPCODE;

  const opcodeLabel = (opcode: number) => {
    const name = isKnownOpcode(opcode)
      ? opcodeName(opcode)
      : t(isControlOpcode(opcode) ? "frameEncoder.reservedControl" : "frameEncoder.reservedData");
    return `0x${opcode.toString(16)} ${name}`;
  };

  return (
    <div className="widget" role="group" aria-label={t("frameEncoder.name")} data-widget="frame-encoder">
      <div className="widget-buttons" role="group" aria-label={t("frameEncoder.presets")}>
        <span className="widget-label">{t("frameEncoder.presets")}</span>
        {(Object.keys(presets) as (keyof typeof presets)[]).map((preset) => (
          <button key={preset} type="button" onClick={() => update(presets[preset])}>
            {t(`frameEncoder.preset.${preset}`)}
          </button>
        ))}
      </div>

      <div className="widget-two-columns">
        <fieldset>
          <legend>{t("frameEncoder.headerBits")}</legend>
          <div className="widget-controls">
            {(["fin", "rsv1", "rsv2", "rsv3"] as const).map((bit) => (
              <label key={bit} className="widget-check">
                <input type="checkbox" checked={state[bit]} onChange={(event) => update({ [bit]: event.target.checked })} />
                {bit.toUpperCase()}
              </label>
            ))}
          </div>
          <div className="widget-field">
            <label htmlFor={`${id}-opcode`}>opcode</label>
            <select
              id={`${id}-opcode`}
              value={state.opcode}
              onChange={(event) => update({ opcode: Number(event.target.value) })}
            >
              {opcodes.map((opcode) => (
                <option key={opcode} value={opcode}>
                  {opcodeLabel(opcode)}
                </option>
              ))}
            </select>
          </div>
          <p className="widget-hint">{t("frameEncoder.bitsHint")}</p>
        </fieldset>

        <fieldset>
          <legend>{t("frameEncoder.masking")}</legend>
          <label className="widget-check">
            <input type="checkbox" checked={state.mask} onChange={(event) => update({ mask: event.target.checked })} />
            MASK
          </label>
          <MaskingKeyField
            id={`${id}-key`}
            label={t("frameEncoder.maskingKey")}
            value={state.maskingKey}
            onChange={(maskingKey) => update({ maskingKey })}
            randomLabel={t("frameEncoder.randomKey")}
            disabled={!state.mask}
            testId="frame-encoder-key"
          />
          <p className="widget-hint">{t("frameEncoder.maskHint")}</p>
        </fieldset>
      </div>

      <fieldset>
        <legend>{t("frameEncoder.payload")}</legend>
        {isClose ? (
          <div className="widget-controls">
            <CloseCodeField
              id={`${id}-code`}
              label={t("frameEncoder.closeCode")}
              value={state.closeCode}
              onChange={(closeCode) => update({ closeCode })}
            />
            <div className="widget-field">
              <label htmlFor={`${id}-reason`}>{t("frameEncoder.closeReason")}</label>
              <input
                id={`${id}-reason`}
                type="text"
                value={state.closeReason}
                onChange={(event) => update({ closeReason: event.target.value })}
              />
            </div>
            <p className="widget-hint">{t("frameEncoder.closeHint")}</p>
          </div>
        ) : (
          <>
            <div className="widget-buttons" role="radiogroup" aria-label={t("frameEncoder.format")}>
              {(["text", "hex"] as const).map((format) => (
                <label key={format} className="widget-check">
                  <input
                    type="radio"
                    name={`${id}-format`}
                    checked={(state.format === "hex" ? "hex" : "text") === format}
                    onChange={() => update({ format })}
                  />
                  {t(`frameEncoder.format.${format}`)}
                </label>
              ))}
            </div>
            <div className="widget-field">
              <label htmlFor={`${id}-payload`}>{t("frameEncoder.payloadInput")}</label>
              <textarea
                id={`${id}-payload`}
                rows={2}
                value={state.payload}
                spellCheck={false}
                onChange={(event) => update({ payload: event.target.value })}
                data-testid="frame-encoder-payload"
              />
            </div>
            <div className="widget-buttons" role="group" aria-label={t("frameEncoder.fillTo")}>
              <span className="widget-label">{t("frameEncoder.fillTo")}</span>
              <button type="button" aria-pressed={state.fillTo === 0} onClick={() => update({ fillTo: 0 })}>
                {t("frameEncoder.fillAsTyped")}
              </button>
              {fillLengths.map((length) => (
                <button
                  key={length}
                  type="button"
                  aria-pressed={state.fillTo === length}
                  onClick={() => update({ fillTo: length })}
                >
                  {t("frameEncoder.fillBytes", { count: length })}
                </button>
              ))}
            </div>
          </>
        )}
      </fieldset>

      <EncoderOutput lang={lang} state={state} result={result} />
      <CopyLink lang={lang} name={HASH_NAME} state={state} />
    </div>
  );
}

function EncoderOutput({ lang, state, result }: { lang: Lang; state: EncoderState; result: ReturnType<typeof encodeFromState> }) {
  const t = translator(lang);
  if (!result.ok) {
    return (
      <div className="widget-panel">
        <p className="widget-error" role="status" data-testid="frame-encoder-error">
          <strong>{t(`frameEncoder.badInput.${result.input}`)}</strong> <ErrorText lang={lang} code={result.code} />
        </p>
      </div>
    );
  }
  const { bytes, segments, payloadLength } = result;
  const preview = hexPreview(bytes, OUTPUT_PREVIEW_BYTES);
  const headerBytes = bytes.length - payloadLength;
  // The receiver of a masked frame is a server, of an unmasked one a client (§5.1).
  const receiver = state.mask ? "server" : "client";
  const check = decodeStream(bytes, { role: receiver });
  return (
    <div className="widget-panel">
      <p className="widget-summary" role="status">
        {t("frameEncoder.summary", { count: bytes.length, header: headerBytes, payload: payloadLength })}
      </p>
      <p className="widget-output" data-testid="frame-encoder-output">
        {preview.text}
        {preview.hidden > 0 && ` … ${t("field.moreBytes", { count: preview.hidden })}`}
      </p>
      <ByteGroups lang={lang} bytes={bytes} segments={segments} />
      <BitTable lang={lang} first={bytes[0]!} second={bytes[1]!} />
      <p className="widget-note">{t(`frameEncoder.length.${lengthEncoding(segments)}`, { count: payloadLength })}</p>
      <p className={check.error ? "widget-note status-bad" : "widget-note"}>
        {check.error ? (
          <>
            {t(`frameEncoder.receiverRejects.${receiver}`, { closeCode: check.error.closeCode })}{" "}
            <ErrorText lang={lang} code={check.error.code} />
          </>
        ) : (
          t(`frameEncoder.receiverAccepts.${receiver}`)
        )}
      </p>
    </div>
  );
}
