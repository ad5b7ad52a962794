import { InvalidPayloadError, MessageTooBigError, ProtocolError } from "./errors.ts";
import { isControlOpcode, isKnownOpcode, Opcode, type Frame } from "./frame.ts";
import type { FrameHeader, FrameStart, HeaderRules } from "./parser.ts";
import { parseClosePayload } from "./close.ts";
import { Utf8Validator } from "./utf8.ts";

/** Which side of the connection we are: it decides who masks (§5.1). */
export type Role = "client" | "server";

/** What arrives once frames are put together: whole messages (text as its validated UTF-8) and control frames. */
export type MessageEvent =
  | { type: "text"; utf8: Uint8Array }
  | { type: "binary"; data: Uint8Array }
  | { type: "ping"; payload: Uint8Array }
  | { type: "pong"; payload: Uint8Array }
  | { type: "close"; code: number | null; reason: string };

/** Limits and negotiated features for the receiving side. */
export interface ReceiveOptions {
  /** Largest message, summed over its fragments; more fails with `message-too-big` (1009). */
  maxPayload?: number;
  /** Let RSV1 through, as when permessage-deflate was negotiated (§5.2, RFC 7692). */
  allowRsv1?: boolean;
}

/**
 * The receiving side's rules (§5.1-5.5, §8.1) and the reassembly of fragmented messages.
 * `checkStart`/`checkLength` run as headers arrive (it is the parser's `HeaderRules`), `readFrame`
 * once a frame is complete.
 */
export class MessageReader implements HeaderRules {
  private readonly role: Role;
  private readonly maxPayload: number;
  private readonly allowRsv1: boolean;
  // Header-side view: the opcode of the message being fragmented and its size so far.
  private fragmentedOpcode: number | null = null;
  private messageLength = 0;
  // Payload-side view: fragments waiting for the final one (none for most messages), and the running UTF-8 check.
  private fragments: Uint8Array[] | null = null;
  private fragmentsText = false;
  private readonly utf8 = new Utf8Validator();

  constructor(role: Role, options: ReceiveOptions = {}) {
    this.role = role;
    this.maxPayload = options.maxPayload ?? Number.MAX_SAFE_INTEGER;
    this.allowRsv1 = options.allowRsv1 ?? false;
  }

  /**
   * Checks what the first two bytes of a frame say.
   * @throws ProtocolError for masking against the role, reserved bits or opcodes, bad control frames or fragments.
   */
  checkStart(start: FrameStart): void {
    if (this.role === "server" && !start.masked) {
      // 5.1: "The server MUST close the connection upon receiving a frame that is not masked."
      throw new ProtocolError("unmasked-client-frame", "client frame is not masked");
    }
    if (this.role === "client" && start.masked) {
      // 5.1: "A client MUST close a connection if it detects a masked frame."
      throw new ProtocolError("masked-server-frame", "server frame is masked");
    }
    // 5.2: RSV1-3 "MUST be 0 unless an extension is negotiated that defines meanings"
    if (start.rsv2 || start.rsv3 || (start.rsv1 && !this.allowRsv1)) {
      throw new ProtocolError("reserved-bits", "reserved bit set without a negotiated extension");
    }
    // 5.2: "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket Connection_."
    if (!isKnownOpcode(start.opcode)) throw new ProtocolError("reserved-opcode", `opcode ${start.opcode} is reserved`);
    if (isControlOpcode(start.opcode)) {
      // 5.5: "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be fragmented."
      if (!start.fin) throw new ProtocolError("fragmented-control", "control frame must have FIN set");
      if (start.payloadLength === null) throw new ProtocolError("control-too-long", "control frame payload over 125 bytes");
      return;
    }
    if (start.opcode === Opcode.Continuation) {
      if (this.fragmentedOpcode === null) {
        throw new ProtocolError("unexpected-continuation", "continuation frame without a message to continue");
      }
    } else {
      // 5.4: fragments of one message are not interleaved with another data message
      if (this.fragmentedOpcode !== null) {
        throw new ProtocolError("expected-continuation", "new data frame while a fragmented message is unfinished");
      }
      this.messageLength = 0;
      this.fragmentedOpcode = start.opcode;
    }
    if (start.fin) this.fragmentedOpcode = null;
  }

  /**
   * Checks the message size as soon as a data frame's length is known.
   * @throws MessageTooBigError `message-too-big` when the message would exceed `maxPayload`.
   */
  checkLength(header: FrameHeader): void {
    if (isControlOpcode(header.opcode)) return;
    this.messageLength += header.payloadLength;
    if (this.messageLength > this.maxPayload) {
      throw new MessageTooBigError("message-too-big", `message of ${this.messageLength}+ bytes is above ${this.maxPayload}`);
    }
  }

  /**
   * Takes a complete frame (already checked by `checkStart`) and returns a message once one is whole.
   * @throws InvalidPayloadError `invalid-utf8`, and the Close payload errors of `parseClosePayload`.
   */
  readFrame(frame: Frame): MessageEvent | null {
    switch (frame.opcode) {
      case Opcode.Ping:
        return { type: "ping", payload: frame.payload };
      case Opcode.Pong:
        return { type: "pong", payload: frame.payload };
      case Opcode.Close:
        return { type: "close", ...parseClosePayload(frame.payload) };
      case Opcode.Text:
      case Opcode.Binary:
        this.fragmentsText = frame.opcode === Opcode.Text;
        this.utf8.reset();
        break;
    }
    if (this.fragmentsText && this.utf8.push(frame.payload) !== -1) {
      throw new InvalidPayloadError("invalid-utf8", "text message is not valid utf-8");
    }
    if (!frame.fin) {
      (this.fragments ??= []).push(frame.payload);
      return null;
    }
    let data = frame.payload;
    if (this.fragments !== null) {
      this.fragments.push(frame.payload);
      data = joinBytes(this.fragments);
      this.fragments = null;
    }
    if (!this.fragmentsText) return { type: "binary", data };
    // 8.1: a sequence cut at a fragment boundary is only an error if the message ends inside it
    if (!this.utf8.isComplete()) throw new InvalidPayloadError("invalid-utf8", "text message ends inside a character");
    return { type: "text", utf8: data };
  }
}

/** The bytes of `parts`, one after another, in a new array. */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}
