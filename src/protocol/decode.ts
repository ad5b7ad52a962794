import type { WebSocketError } from "./errors.ts";
import { Opcode, type FrameField } from "./frame.ts";
import type { ParsedFrame } from "./parser.ts";
import type { Role } from "./message.ts";
import { Connection, type ConnectionEvent } from "./connection.ts";
import { parseClosePayload } from "./close.ts";
import { isValidUtf8 } from "./utf8.ts";

/** A frame as the decoder shows it: text when the payload alone is valid UTF-8, close fields for Close. */
export interface DecodedFrame extends ParsedFrame {
  text?: string;
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
  waitingFor: FrameField | null;
}

/** Which side reads the bytes (server: frames must be masked) and its message size limit. */
export interface DecodeOptions {
  role?: Role;
  maxPayload?: number;
  allowRsv1?: boolean;
}

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
  const result: DecodeResult = { frames: [], messages: [], error: null, waitingFor: null };
  let inText = false;
  for (const event of connection.eventsReceived()) {
    switch (event.type) {
      case "frame": {
        const { frame } = event;
        if (frame.opcode === Opcode.Text || frame.opcode === Opcode.Binary) inText = frame.opcode === Opcode.Text;
        result.frames.push(describe(frame, inText));
        break;
      }
      case "error":
        result.error = event.error;
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

function describe(frame: ParsedFrame, inText: boolean): DecodedFrame {
  const decoded: DecodedFrame = { ...frame };
  const { opcode, payload } = frame;
  // A fragment is shown as text only if it is whole characters on its own.
  if ((opcode === Opcode.Text || (opcode === Opcode.Continuation && inText)) && isValidUtf8(payload)) {
    decoded.text = decoder.decode(payload);
  }
  if (opcode === Opcode.Close) {
    try {
      const { code, reason } = parseClosePayload(payload);
      decoded.closeCode = code;
      decoded.closeReason = reason;
    } catch {
      // The error itself is reported once, by the receiving rules.
    }
  }
  return decoded;
}
