import "./widgets.css";
import { useId } from "react";
import type { Lang, UiKey } from "../i18n/index.ts";
import { translator } from "../i18n/index.ts";
import {
  CloseCode,
  HexError,
  decodeStream,
  frameSegments,
  opcodeName,
  parseHex,
  toHex,
  type DecodeResult,
  type DecodedFrame,
  type DecodedMessage,
} from "../protocol/index.ts";
import { ByteGroups } from "./shared/ByteGroups.tsx";
import { CopyLink } from "./shared/CopyLink.tsx";
import { ErrorText } from "./shared/ErrorText.tsx";
import { displayText, hexByte, hexPreview, lengthEncoding, repeatToLength } from "./shared/format.ts";
import { useHashState } from "./shared/useHashState.ts";

const HASH_NAME = "frame-decoder";
const PAYLOAD_PREVIEW_BYTES = 256;
type Receiver = "server" | "client";

/** RFC 6455 §5.7: a masked "Hello" from a client, read by the server. */
const defaults = { hex: "81 85 37 fa 21 3d 7f 9f 4d 51 58", receiver: "server" };

const presets: Record<string, { hex: string; receiver: Receiver }> = {
  maskedHello: defaults as { hex: string; receiver: Receiver },
  unmaskedHello: { hex: "81 05 48 65 6c 6c 6f", receiver: "client" },
  fragmented: { hex: "01 03 48 65 6c\n80 02 6c 6f", receiver: "client" },
  ping: { hex: "89 05 48 65 6c 6c 6f", receiver: "client" },
  maskedPong: { hex: "8a 85 37 fa 21 3d 7f 9f 4d 51 58", receiver: "server" },
  binary256: { hex: `82 7e 01 00\n${toHex(repeatToLength(new Uint8Array([0]), 256), " ")}`, receiver: "client" },
  unmaskedToServer: { hex: "81 05 48 65 6c 6c 6f", receiver: "server" },
  truncated: { hex: "81 85 37 fa", receiver: "server" },
};

type Parsed = { ok: true; bytes: Uint8Array; result: DecodeResult } | { ok: false; error: HexError };

function decodeInput(hex: string, receiver: Receiver): Parsed {
  try {
    const bytes = parseHex(hex);
    return { ok: true, bytes, result: decodeStream(bytes, { role: receiver }) };
  } catch (error) {
    if (error instanceof HexError) return { ok: false, error };
    throw error;
  }
}

/** Reads pasted frames as a server or a client would, field by field, and names the first violation. */
export default function FrameDecoder({ lang }: { lang: Lang }) {
  const t = translator(lang);
  const id = useId();
  const [state, update] = useHashState(HASH_NAME, defaults);
  const receiver: Receiver = state.receiver === "client" ? "client" : "server";
  const parsed = decodeInput(state.hex, receiver);

  return (
    <div className="widget" role="group" aria-label={t("frameDecoder.name")} data-widget="frame-decoder">
      <div className="widget-buttons" role="group" aria-label={t("frameDecoder.presets")}>
        <span className="widget-label">{t("frameDecoder.presets")}</span>
        {Object.entries(presets).map(([name, preset]) => (
          <button key={name} type="button" onClick={() => update(preset)}>
            {t(`frameDecoder.preset.${name}` as UiKey)}
          </button>
        ))}
      </div>
      <div className="widget-field">
        <label htmlFor={`${id}-hex`}>{t("frameDecoder.input")}</label>
        <textarea
          id={`${id}-hex`}
          rows={3}
          value={state.hex}
          spellCheck={false}
          onChange={(event) => update({ hex: event.target.value })}
          aria-describedby={`${id}-hint`}
          data-testid="frame-decoder-input"
        />
        <p className="widget-hint" id={`${id}-hint`}>
          {t("frameDecoder.inputHint")}
        </p>
      </div>
      <fieldset>
        <legend>{t("frameDecoder.receiver")}</legend>
        <div className="widget-buttons">
          {(["server", "client"] as const).map((role) => (
            <label key={role} className="widget-check">
              <input
                type="radio"
                name={`${id}-receiver`}
                value={role}
                checked={receiver === role}
                onChange={() => update({ receiver: role })}
                data-testid={`frame-decoder-receiver-${role}`}
              />
              {t(`frameDecoder.receiver.${role}`)}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="widget-panel" data-testid="frame-decoder-output">
        {parsed.ok ? (
          <DecodeReport lang={lang} bytes={parsed.bytes} result={parsed.result} receiver={receiver} />
        ) : (
          <p className="widget-error" role="status" data-testid="frame-decoder-hex-error">
            <ErrorText lang={lang} code={parsed.error.code} />{" "}
            {t("frameDecoder.hexPosition", { position: parsed.error.position + 1 })}
          </p>
        )}
      </div>
      <CopyLink lang={lang} name={HASH_NAME} state={state} />
    </div>
  );
}

export function DecodeReport({
  lang,
  bytes,
  result,
  receiver,
}: {
  lang: Lang;
  bytes: Uint8Array;
  result: DecodeResult;
  receiver: Receiver;
}) {
  const t = translator(lang);
  const { frames, messages, error, errorFrame, waitingFor } = result;
  const used = frames.reduce((sum, frame) => sum + (frame.bytes?.length ?? 0), 0);
  const rest = bytes.subarray(used);
  // The frame whose header broke a rule, or that is cut short, is not listed: its bytes are shown as far as they go.
  const headerBroke = error !== null && errorFrame === frames.length;
  const controls = messages.filter((message) => message.type !== "text" && message.type !== "binary").length;

  const summary = error
    ? t("frameDecoder.summaryError", { frames: frames.length, closeCode: error.closeCode })
    : waitingFor
      ? t("frameDecoder.summaryWaiting", { frames: frames.length, field: t(`field.${waitingFor}`) })
      : bytes.length === 0
        ? t("frameDecoder.empty")
        : t("frameDecoder.summaryOk", { frames: frames.length, messages: messages.length - controls, controls });

  return (
    <>
      <p className="widget-summary" role="status">
        {summary}
      </p>
      {frames.map((frame, index) => (
        <FrameTable key={frame.offset} lang={lang} frame={frame} number={index + 1} />
      ))}
      {error && (
        <div className="widget-error" data-testid="frame-decoder-error" data-close-code={error.closeCode}>
          <p>
            <strong>{t("frameDecoder.violation", { n: (errorFrame ?? frames.length) + 1 })}</strong>{" "}
            <ErrorText lang={lang} code={error.code} />
          </p>
          <p>{t(`frameDecoder.mustClose.${receiver}`, { closeCode: error.closeCode })}</p>
        </div>
      )}
      {waitingFor && (
        <p className="widget-note" data-testid="frame-decoder-waiting">
          {t("frameDecoder.waitingFor", { n: frames.length + 1, field: t(`field.${waitingFor}`) })}
        </p>
      )}
      {rest.length > 0 &&
        (headerBroke || waitingFor ? (
          <ByteGroups lang={lang} bytes={rest} segments={frameSegments(rest)} />
        ) : (
          <p className="widget-note" data-testid="frame-decoder-unread">
            {t("frameDecoder.unread", { count: rest.length })}
          </p>
        ))}
      {messages.length > 0 && (
        <div>
          <p className="widget-label">{t("frameDecoder.messages")}</p>
          <ol>
            {messages.map((message, index) => (
              <li key={index}>
                <MessageLine lang={lang} message={message} />
              </li>
            ))}
          </ol>
        </div>
      )}
    </>
  );
}

function MessageLine({ lang, message }: { lang: Lang; message: DecodedMessage }) {
  const t = translator(lang);
  switch (message.type) {
    case "text":
      return (
        <>
          {t("frameDecoder.message.text")} <q className="mono">{message.data}</q>
        </>
      );
    case "binary":
      return (
        <>
          {t("frameDecoder.message.binary", { count: message.data.length })}{" "}
          <code>{hexPreview(message.data, PAYLOAD_PREVIEW_BYTES).text}</code>
        </>
      );
    case "ping":
    case "pong":
      return (
        <>
          {t(`frameDecoder.message.${message.type}`, { count: message.payload.length })}{" "}
          <code>{toHex(message.payload, " ")}</code>
        </>
      );
    case "close":
      // 7.4.1: 1005 is never sent; it is what the application is told when the Close carried no code.
      if (message.code === CloseCode.NoStatusReceived) return <>{t("frameDecoder.message.closeNoCode")}</>;
      return (
        <>
          {message.reason === ""
            ? t("frameDecoder.message.closeNoReason", { code: message.code })
            : t("frameDecoder.message.close", { code: message.code, reason: message.reason })}
        </>
      );
  }
}

function FrameTable({ lang, frame, number }: { lang: Lang; frame: DecodedFrame; number: number }) {
  const t = translator(lang);
  const raw = frame.bytes ?? new Uint8Array(0);
  const segments = frameSegments(raw);
  const lengthBits = lengthEncoding(segments);
  const payload = hexPreview(frame.payload, PAYLOAD_PREVIEW_BYTES);
  const flag = (value: boolean) => (value ? "1" : "0");
  const rows: [string, string, string][] = [
    ["FIN", flag(frame.fin), t(frame.fin ? "frameDecoder.fin.final" : "frameDecoder.fin.more")],
    ["RSV1 RSV2 RSV3", `${flag(frame.rsv1)} ${flag(frame.rsv2)} ${flag(frame.rsv3)}`, t("frameDecoder.rsv")],
    ["opcode", hexByte(frame.opcode), opcodeName(frame.opcode)],
    ["MASK", flag(frame.masked), t(frame.masked ? "frameDecoder.mask.on" : "frameDecoder.mask.off")],
    [t("field.payloadLength"), String(frame.payloadLength), t(`frameDecoder.lengthBits.${lengthBits}`)],
  ];
  if (frame.maskingKey) rows.push([t("field.maskingKey"), toHex(frame.maskingKey, " "), ""]);
  rows.push([
    t("frameDecoder.payloadHex"),
    payload.text + (payload.hidden > 0 ? ` … ${t("field.moreBytes", { count: payload.hidden })}` : ""),
    frame.masked ? t("frameDecoder.unmaskedNote") : "",
  ]);
  if (frame.text !== undefined) rows.push([t("frameDecoder.payloadText"), frame.text, ""]);
  else if (frame.payload.length > 0 && frame.closeCode === undefined) {
    const why = frame.textProblem === "invalid" ? "textInvalid" : frame.textProblem === "cut" ? "textCut" : "notText";
    rows.push([t("frameDecoder.payloadText"), displayText(frame.payload.subarray(0, PAYLOAD_PREVIEW_BYTES)), t(`frameDecoder.${why}`)]);
  }
  if (frame.closeCode !== undefined) {
    rows.push([t("field.closeCode"), frame.closeCode === null ? "—" : String(frame.closeCode), ""]);
    rows.push([t("frameDecoder.closeReason"), frame.closeReason ?? "", ""]);
  }

  return (
    <div className="widget-scroll">
      <table>
        <caption className="widget-label">
          {t("frameDecoder.frameCaption", { n: number, offset: frame.offset, count: raw.length })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("frameDecoder.col.field")}</th>
            <th scope="col">{t("frameDecoder.col.value")}</th>
            <th scope="col">{t("frameDecoder.col.meaning")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([field, value, meaning]) => (
            <tr key={field}>
              <th scope="row">{field}</th>
              <td className="mono">{value}</td>
              <td>{meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ByteGroups lang={lang} bytes={raw} segments={segments} />
    </div>
  );
}
