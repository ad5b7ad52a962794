import type { WebSocketError } from "./errors.ts";
import { Opcode, type FrameField } from "./frame.ts";
import type { ParsedFrame } from "./parser.ts";
import type { Role } from "./message.ts";
import { Connection, type ConnectionEvent } from "./connection.ts";
import { parseClosePayload } from "./close.ts";
import { isValidUtf8, Utf8Validator } from "./utf8.ts";

/**
 * Why a frame of a text message has no `text`: its bytes are not UTF-8 ("invalid": the message
 * breaks §8.1 here), or a character runs on into the next fragment ("cut": fine, the message is
 * checked as a whole).
 */
export type TextProblem = "invalid" | "cut";

/** A frame as the decoder shows it: text when the payload alone is valid UTF-8, close fields for Close. */
export interface DecodedFrame extends ParsedFrame {
  /** The payload as text: a frame of a text message whose payload is whole characters on its own. */
  text?: string;
  /** Set for a frame of a text message without `text`. */
  textProblem?: TextProblem;
  /** The Close frame's code as sent (null: no payload); also when the code is one that may not be sent. */
  closeCode?: number | null;
  closeReason?: string;
}

/** A message or control frame the receiving side would deliver. */
export type DecodedMessage = Extract<ConnectionEvent, { type: "text" | "binary" | "ping" | "pong" | "close" }>;

/** Everything a receiver makes of a byte stream: the frames before any violation, and the violation. */
export interface DecodeResult {
  frames: DecodedFrame[];
  messages: DecodedMessage[];
  error: WebSocketError | null;
  /**
   * Index in `frames` of the frame that broke the rule: a frame read whole whose payload (or the
   * message it ends) broke it, or `frames.length` when a header broke it and the frame is not listed.
   * Null without an error.
   */
  errorFrame: number | null;
  waitingFor: FrameField | null;
}

/** Which side reads the bytes (server: frames must be masked) and its message size limit. */
export interface DecodeOptions {
  role?: Role;
  maxPayload?: number;
  allowRsv1?: boolean;
}

// Not fatal: text is decoded once it is checked, and a reason that broke a rule is still shown (U+FFFD).
const decoder = new TextDecoder();

/** Reads a byte stream as the receiving endpoint would, applying every receiving-side rule. */
export function decodeStream(bytes: Uint8Array, options: DecodeOptions = {}): DecodeResult {
  const connection = new Connection(options.role ?? "server", {
    maxPayload: options.maxPayload,
    allowRsv1: options.allowRsv1,
    autoPong: false,
    // The decoder shows which bytes are which field of each frame.
    frameEvents: "withBytes",
  });
  connection.receiveData(bytes);
  const result: DecodeResult = { frames: [], messages: [], error: null, errorFrame: null, waitingFor: null };
  const text = new TextFrames();
  for (const event of connection.eventsReceived()) {
    switch (event.type) {
      case "frame":
        result.frames.push(describe(event.frame, text));
        break;
      case "error":
        result.error = event.error;
        result.errorFrame = event.frameRead ? result.frames.length - 1 : result.frames.length;
        break;
      case "closed":
        break;
      default:
        result.messages.push(event);
    }
  }
  // Bytes after the peer's Close are never read, so they wait for nothing.
  const closed = result.messages.some((message) => message.type === "close");
  if (!result.error && !closed) result.waitingFor = connection.waitingFor;
  return result;
}

/** Follows the text message in progress, so each of its frames can say whether its bytes are UTF-8. */
class TextFrames {
  private inText = false;
  private readonly utf8 = new Utf8Validator();

  /** The frame's text, or why it has none; undefined for a frame outside a text message. */
  read(frame: ParsedFrame): Pick<DecodedFrame, "text" | "textProblem"> | undefined {
    const { opcode, payload } = frame;
    if (opcode === Opcode.Text || opcode === Opcode.Binary) {
      this.inText = opcode === Opcode.Text;
      this.utf8.reset();
    } else if (opcode !== Opcode.Continuation) {
      return undefined;
    }
    if (!this.inText) return undefined;
    const broken = this.utf8.push(payload) !== -1 || (frame.fin && !this.utf8.isComplete());
    if (broken) return { textProblem: "invalid" };
    // A fragment is shown as text only if it is whole characters on its own.
    return isValidUtf8(payload) ? { text: decoder.decode(payload) } : { textProblem: "cut" };
  }
}

function describe(frame: ParsedFrame, text: TextFrames): DecodedFrame {
  const decoded: DecodedFrame = { ...frame, ...text.read(frame) };
  if (frame.opcode === Opcode.Close) {
    const { payload } = frame;
    try {
      const { code, reason } = parseClosePayload(payload);
      decoded.closeCode = code;
      decoded.closeReason = reason;
    } catch {
      // The error itself is reported once, by the receiving rules; the fields are still shown as sent.
      if (payload.length >= 2) {
        decoded.closeCode = (payload[0]! << 8) | payload[1]!;
        decoded.closeReason = decoder.decode(payload.subarray(2));
      }
    }
  }
  return decoded;
}
