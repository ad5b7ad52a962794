/** Close status codes from RFC 6455 §7.4.1 and the IANA registry, by name. */
export const CloseCode = {
  NormalClosure: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  UnsupportedData: 1003,
  Reserved: 1004,
  NoStatusReceived: 1005,
  AbnormalClosure: 1006,
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  MandatoryExtension: 1010,
  InternalError: 1011,
  ServiceRestart: 1012,
  TryAgainLater: 1013,
  BadGateway: 1014,
  TlsHandshake: 1015,
} as const;

/** Stable codes of the ways a peer breaks the framing rules, with the close code each leads to. */
export const frameErrorCodes = {
  "unmasked-client-frame": 1002,
  "masked-server-frame": 1002,
  "reserved-bits": 1002,
  "reserved-opcode": 1002,
  "fragmented-control": 1002,
  "control-too-long": 1002,
  "unexpected-continuation": 1002,
  "expected-continuation": 1002,
  "length-msb-set": 1002,
  "non-minimal-length": 1002,
  "close-payload-one-byte": 1002,
  "invalid-close-code": 1002,
  "compressed-control": 1002,
  "compressed-continuation": 1002,
  "invalid-utf8": 1007,
  "invalid-close-reason": 1007,
  "invalid-compressed-data": 1007,
  "message-too-big": 1009,
  "frame-too-big": 1009,
  "too-many-fragments": 1009,
  "rate-limit-exceeded": 1008,
} as const;
export type FrameErrorCode = keyof typeof frameErrorCodes;

/** Stable codes of opening-handshake failures (server side checks a request, client side a response). */
export const handshakeErrorCodes = [
  "malformed-head",
  "method-not-get",
  "http-version",
  "host-missing",
  "host-invalid",
  "host-mismatch",
  "upgrade-not-websocket",
  "connection-not-upgrade",
  "key-missing",
  "key-not-base64",
  "key-wrong-length",
  "version-missing",
  "version-unsupported",
  "protocols-invalid",
  "extensions-invalid",
  "origin-forbidden",
  "response-malformed",
  "response-head-too-large",
  "response-status",
  "response-upgrade",
  "response-connection",
  "accept-missing",
  "accept-mismatch",
  "protocol-unrequested",
  "extension-unrequested",
  "extension-params-invalid",
] as const;
export type HandshakeErrorCode = (typeof handshakeErrorCodes)[number];

/** Stable codes of API misuse by the caller (never caused by the peer). */
export const usageErrorCodes = [
  "invalid-state",
  "invalid-opcode",
  "invalid-masking-key",
  "close-code-not-sendable",
  "close-reason-without-code",
  "close-reason-too-long",
  "control-payload-too-long",
  "invalid-hex",
] as const;
export type UsageErrorCode = (typeof usageErrorCodes)[number];

export type ErrorCode = FrameErrorCode | HandshakeErrorCode | UsageErrorCode;

/** Every stable error code, so that a test can check each has a UI message. */
export const errorCodes: readonly ErrorCode[] = [
  ...(Object.keys(frameErrorCodes) as FrameErrorCode[]),
  ...handshakeErrorCodes,
  ...usageErrorCodes,
];

/**
 * Where the rule behind each error code is written, one place per code: an RFC 6455 section
 * ("5.1"), another RFC's section ("RFC 9112 §3.2"), or null for a limit or an input format of our
 * own. The UI strings `error.<code>` cite exactly this reference, once (tests/unit/error-references.test.ts).
 */
export const errorSections: Record<ErrorCode, string | null> = {
  "unmasked-client-frame": "5.1",
  "masked-server-frame": "5.1",
  "reserved-bits": "5.2",
  "reserved-opcode": "5.2",
  "fragmented-control": "5.5",
  "control-too-long": "5.5",
  "unexpected-continuation": "5.4",
  "expected-continuation": "5.4",
  "length-msb-set": "5.2",
  "non-minimal-length": "5.2",
  "close-payload-one-byte": "5.5.1",
  "invalid-close-code": "7.4",
  "compressed-control": "5.2",
  "compressed-continuation": "5.2",
  "invalid-utf8": "8.1",
  "invalid-close-reason": "5.5.1",
  "invalid-compressed-data": "9",
  "message-too-big": "10.4",
  "frame-too-big": "10.4",
  "too-many-fragments": "10.4",
  // 1008, the code this limit closes with, is defined in 7.4.1.
  "rate-limit-exceeded": "7.4.1",
  "malformed-head": "4.2.1",
  "method-not-get": "4.2.1",
  "http-version": "4.2.1",
  "host-missing": "4.2.1",
  "host-invalid": "RFC 9112 §3.2",
  "host-mismatch": "RFC 9112 §3.2.2",
  "upgrade-not-websocket": "4.2.1",
  "connection-not-upgrade": "4.2.1",
  "key-missing": "4.2.1",
  // The server's rule (4.2.1, item 5), which these codes report; 4.1 is how a client makes the key.
  "key-not-base64": "4.2.1",
  "key-wrong-length": "4.2.1",
  "version-missing": "4.2.1",
  // 4.4: a version the server does not speak is answered with 426 and the versions it does.
  "version-unsupported": "4.4",
  "protocols-invalid": "4.1",
  "extensions-invalid": "9.1",
  "origin-forbidden": "10.2",
  "response-malformed": "4.1",
  "response-head-too-large": null,
  "response-status": "4.1",
  "response-upgrade": "4.1",
  "response-connection": "4.1",
  "accept-missing": "4.1",
  "accept-mismatch": "4.1",
  "protocol-unrequested": "4.1",
  "extension-params-invalid": "RFC 7692 §7.1",
  "extension-unrequested": "4.1",
  "invalid-state": "5.5.1",
  "invalid-opcode": null,
  "invalid-masking-key": null,
  "close-code-not-sendable": "7.4",
  "close-reason-without-code": "5.5.1",
  // 5.5: a control frame's payload is at most 125 bytes, 2 of which the code takes.
  "close-reason-too-long": "5.5",
  "control-payload-too-long": "5.5",
  "invalid-hex": null,
};

/** A peer broke RFC 6455 after the handshake: the connection fails with `closeCode`. */
export class WebSocketError extends Error {
  readonly code: FrameErrorCode;
  readonly closeCode: number;
  readonly section: string;

  constructor(code: FrameErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.closeCode = frameErrorCodes[code];
    // Every frame-level rule is in RFC 6455.
    this.section = errorSections[code]!;
  }
}

/** A framing rule was broken (close code 1002). */
export class ProtocolError extends WebSocketError {}

/** A text message or close reason is not valid UTF-8 (close code 1007). */
export class InvalidPayloadError extends WebSocketError {}

/** A peer broke the endpoint's policy (close code 1008): more frames than the allowance its server set. */
export class PolicyViolationError extends WebSocketError {}

/** A frame or message is larger than the endpoint accepts (close code 1009). */
export class MessageTooBigError extends WebSocketError {}

/** HTTP status a failed opening handshake is answered with; null when the client side fails it. */
export type HandshakeStatus = 400 | 403 | 405 | 426 | null;

/** The opening handshake failed: a server answers with `status`, a client fails the connection. */
export class HandshakeError extends Error {
  readonly code: HandshakeErrorCode;
  readonly status: HandshakeStatus;
  /** `errorSections[code]`: an RFC 6455 section, or another RFC's cited in full. */
  readonly section: string | null;

  constructor(code: HandshakeErrorCode, status: HandshakeStatus, message: string) {
    super(message);
    this.name = "HandshakeError";
    this.code = code;
    this.status = status;
    this.section = errorSections[code];
  }
}

/** The caller misused the API (bad argument), as opposed to the peer breaking the protocol. */
export class UsageError extends Error {
  readonly code: UsageErrorCode;

  constructor(code: UsageErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The caller tried to send after our Close frame (RFC 6455 §5.5.1). */
export class InvalidStateError extends UsageError {
  constructor(message: string) {
    super("invalid-state", message);
  }
}

/** A hex string could not be read; `position` is the index of the first bad character. */
export class HexError extends UsageError {
  readonly position: number;

  constructor(position: number, message: string) {
    super("invalid-hex", message);
    this.position = position;
  }
}
