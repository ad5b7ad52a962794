import "./widgets.css";
import { useId } from "react";
import type { Lang, UiKey } from "../i18n/index.ts";
import { translator } from "../i18n/index.ts";
import {
  buildServerResponse,
  checkClientRequest,
  checkServerResponse,
  computeAccept,
  httpErrorFor,
  type HandshakeCheck,
  type ServerResponseCheck,
} from "../protocol/index.ts";
import { CopyLink } from "./shared/CopyLink.tsx";
import { ErrorText } from "./shared/ErrorText.tsx";
import { rfcAcceptExample } from "./shared/acceptExample.ts";
import { asHttpHead, toLf } from "./shared/format.ts";
import { useHashState } from "./shared/useHashState.ts";
import { useLatest } from "./shared/useLatest.ts";

const HASH_NAME = "handshake";

/** The opening handshake of RFC 6455 §1.2/§1.3, with the extension offer browsers send today. */
const defaults = {
  request: [
    "GET /chat HTTP/1.1",
    "Host: server.example.com",
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${rfcAcceptExample.key}`,
    "Origin: http://example.com",
    "Sec-WebSocket-Protocol: chat, superchat",
    "Sec-WebSocket-Version: 13",
    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits",
  ].join("\n"),
  /** The offered subprotocol the reader's server supports; "" for none. */
  protocol: "chat",
  /** Offered extensions the reader's server accepts, comma-separated names. */
  extensions: "",
  response: [
    "HTTP/1.1 101 Switching Protocols",
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Accept: ${rfcAcceptExample.accept}`,
    "Sec-WebSocket-Protocol: chat",
  ].join("\n"),
};

function knownAccept(key: string): string | null {
  return key === rfcAcceptExample.key ? rfcAcceptExample.accept : null;
}

function listOf(names: string): string[] {
  return names.split(",").filter((name) => name !== "");
}

/** Checks a client's upgrade request as a server would, answers it, and checks a server's answer as a client would. */
export default function HandshakeInspector({ lang }: { lang: Lang }) {
  const t = translator(lang);
  const id = useId();
  const [state, update] = useHashState(HASH_NAME, defaults);

  const request = checkClientRequest(asHttpHead(state.request), { protocols: state.protocol === "" ? [] : [state.protocol] });
  const offeredExtensions = [...new Set(request.extensions.map((offer) => offer.name))];
  const acceptedExtensions = listOf(state.extensions).filter((name) => offeredExtensions.includes(name));
  const key = request.key ?? "";
  const accept = useLatest(key, computeAccept, knownAccept);
  const acceptReady = request.ok && accept !== null && accept.input === key;

  const responseText = !request.ok
    ? httpErrorFor(request.error!)
    : acceptReady
      ? buildServerResponse({
          accept: accept.value,
          protocol: request.protocol,
          extensions: acceptedExtensions.length > 0 ? acceptedExtensions.join(", ") : null,
        })
      : t("handshake.computing");

  const failed = request.checks.find((check) => !check.passed);
  const summary = failed
    ? t("handshake.summaryFailed", {
        check: t(`handshake.check.${failed.id}` as UiKey),
        status: failed.error?.status ?? 400,
      })
    : t("handshake.summaryOk", { count: request.checks.length });

  const setExtension = (name: string, accepted: boolean) => {
    const others = acceptedExtensions.filter((other) => other !== name);
    update({ extensions: (accepted ? [...others, name] : others).join(",") });
  };

  return (
    <div className="widget" role="group" aria-label={t("handshake.name")} data-widget="handshake">
      <div className="widget-field">
        <label htmlFor={`${id}-request`}>{t("handshake.request")}</label>
        <textarea
          id={`${id}-request`}
          rows={10}
          value={state.request}
          spellCheck={false}
          onChange={(event) => update({ request: event.target.value })}
          aria-describedby={`${id}-request-hint`}
          data-testid="handshake-input"
        />
        <p className="widget-hint" id={`${id}-request-hint`}>
          {t("handshake.requestHint")}
        </p>
      </div>

      <div className="widget-panel">
        <p className="widget-summary" role="status" data-testid="handshake-summary">
          {summary}
        </p>
        <CheckList lang={lang} checks={request.checks} area="check" />
      </div>

      {request.ok && (
        <div className="widget-two-columns">
          <fieldset>
            <legend>{t("handshake.protocolChoice")}</legend>
            {request.offeredProtocols.length === 0 ? (
              <p className="widget-hint">{t("handshake.noProtocolsOffered")}</p>
            ) : (
              <div className="widget-buttons">
                {[...request.offeredProtocols, ""].map((name) => (
                  <label key={name} className="widget-check">
                    <input
                      type="radio"
                      name={`${id}-protocol`}
                      checked={(request.protocol ?? "") === name}
                      onChange={() => update({ protocol: name })}
                    />
                    {name === "" ? t("handshake.protocolNone") : name}
                  </label>
                ))}
              </div>
            )}
            <p className="widget-hint">{t("handshake.protocolHint")}</p>
          </fieldset>
          <fieldset>
            <legend>{t("handshake.extensionChoice")}</legend>
            {offeredExtensions.length === 0 ? (
              <p className="widget-hint">{t("handshake.noExtensionsOffered")}</p>
            ) : (
              <div className="widget-buttons">
                {offeredExtensions.map((name) => (
                  <label key={name} className="widget-check">
                    <input
                      type="checkbox"
                      checked={acceptedExtensions.includes(name)}
                      onChange={(event) => setExtension(name, event.target.checked)}
                    />
                    {t("handshake.acceptExtension", { name })}
                  </label>
                ))}
              </div>
            )}
            <p className="widget-hint">{t("handshake.extensionHint")}</p>
          </fieldset>
        </div>
      )}

      <div className="widget-field">
        <span className="widget-label" id={`${id}-response-label`}>
          {t(request.ok ? "handshake.responseOk" : "handshake.responseError", { status: request.error?.status ?? 400 })}
        </span>
        <pre className="widget-panel widget-output" aria-labelledby={`${id}-response-label`} data-testid="handshake-response">
          {toLf(responseText).trimEnd()}
        </pre>
      </div>

      <ResponseCheck
        lang={lang}
        response={state.response}
        onResponse={(response) => update({ response })}
        generated={request.ok && acceptReady ? toLf(responseText) : null}
        expectation={request.ok ? { key, protocols: request.offeredProtocols, extensions: offeredExtensions } : null}
      />
      <CopyLink lang={lang} name={HASH_NAME} state={state} />
    </div>
  );
}

function CheckList<Id extends string>({
  lang,
  checks,
  area,
}: {
  lang: Lang;
  checks: Array<HandshakeCheck<Id>>;
  area: "check" | "responseCheck";
}) {
  const t = translator(lang);
  return (
    <ul className="checks">
      {checks.map((check) => (
        <li key={check.id} data-check={check.id} data-passed={check.passed}>
          <span className={check.passed ? "status-ok" : "status-bad"}>
            {check.passed ? `✓ ${t("handshake.passed")}` : `✗ ${t("handshake.failed")}`}
          </span>
          <span>
            <strong>{t(`handshake.${area}.${check.id}` as UiKey)}</strong>
            {check.value !== null && (
              <>
                {" "}
                <code>{check.value}</code>
              </>
            )}
            {check.error && (
              <>
                {" "}
                <ErrorText lang={lang} code={check.error.code} />
                {check.error.status !== null && ` ${t("handshake.status", { status: check.error.status })}`}
              </>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

interface Expectation {
  key: string;
  protocols: string[];
  extensions: string[];
}

function ResponseCheck({
  lang,
  response,
  onResponse,
  generated,
  expectation,
}: {
  lang: Lang;
  response: string;
  onResponse: (response: string) => void;
  generated: string | null;
  expectation: Expectation | null;
}) {
  const t = translator(lang);
  const id = useId();
  const input = JSON.stringify({ response, expectation });
  const settled = useLatest<string, ServerResponseCheck | null>(
    input,
    async () => (expectation ? checkServerResponse(asHttpHead(response), expectation) : null),
    () => null,
  );
  const result = settled?.input === input ? settled.value : null;

  return (
    <fieldset>
      <legend>{t("handshake.responseCheckTitle")}</legend>
      <div className="widget-field">
        <label htmlFor={`${id}-response`}>{t("handshake.serverResponse")}</label>
        <textarea
          id={`${id}-response`}
          rows={6}
          value={response}
          spellCheck={false}
          onChange={(event) => onResponse(event.target.value)}
          data-testid="handshake-server-response"
        />
      </div>
      <div className="widget-buttons">
        <button type="button" disabled={generated === null} onClick={() => generated !== null && onResponse(generated)}>
          {t("handshake.useGenerated")}
        </button>
      </div>
      {expectation === null ? (
        <p className="widget-hint">{t("handshake.fixRequestFirst")}</p>
      ) : result === null ? (
        <p className="widget-hint">{t("handshake.computing")}</p>
      ) : (
        <>
          <p className="widget-summary" role="status" data-testid="handshake-response-summary">
            {result.ok
              ? t("handshake.responseAccepted")
              : t("handshake.responseRejected", {
                  check: t(`handshake.responseCheck.${result.checks.find((check) => !check.passed)?.id ?? "status"}` as UiKey),
                })}
          </p>
          <CheckList lang={lang} checks={result.checks} area="responseCheck" />
        </>
      )}
    </fieldset>
  );
}
