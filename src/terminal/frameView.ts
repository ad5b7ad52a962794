import { frameSegments, opcodeName, toHex, type FrameSegment } from "../protocol/index.ts";
import type { Line, Span } from "./output.ts";

/** Which way bytes travelled: client to server (`out`) or server to client (`in`). */
export type Direction = "out" | "in";

/** Bytes of one frame shown in hex before the rest is cut. */
const FRAME_HEX_BYTES = 32;

/** The words the frame view needs, in the reader's language. */
export interface FrameViewText {
  /** Header fields, e.g. "FIN=1 RSV=000 opcode=0x1 (text) MASK=1 len=5". */
  summary(fields: { fin: number; rsv: string; opcode: string; name: string; mask: number; length: number }): string;
  maskingKey(hex: string): string;
  /** The note after hex that was cut: `count` bytes not shown. */
  cut(count: number): string;
  /** A frame that ends before the field it is in. */
  incomplete(field: string): string;
}

export const arrows: Record<Direction, string> = { out: "→", in: "←" };

interface Header {
  fin: boolean;
  rsv: string;
  opcode: number;
  masked: boolean;
  payloadLength: number;
}

function readHeader(bytes: Uint8Array, segments: FrameSegment[]): Header {
  const b0 = bytes[0]!;
  const b1 = bytes[1] ?? 0;
  const lengthSegment = segments.find((s) => s.field === "extendedLength16" || s.field === "extendedLength64");
  let payloadLength = b1 & 0x7f;
  if (lengthSegment) {
    payloadLength = 0;
    for (let i = lengthSegment.start; i < lengthSegment.end; i++) payloadLength = payloadLength * 256 + bytes[i]!;
  }
  return {
    fin: (b0 & 0x80) !== 0,
    rsv: `${(b0 >> 6) & 1}${(b0 >> 5) & 1}${(b0 >> 4) & 1}`,
    opcode: b0 & 0x0f,
    masked: (b1 & 0x80) !== 0,
    payloadLength,
  };
}

function hexSpans(bytes: Uint8Array, segments: FrameSegment[], text: FrameViewText): Span[] {
  const spans: Span[] = [{ text: "  ", tone: "plain" }];
  let shown = 0;
  for (const segment of segments) {
    const end = Math.min(segment.end, segment.start + FRAME_HEX_BYTES - shown);
    if (end <= segment.start) break;
    if (shown > 0) spans.push({ text: " ", tone: "plain" });
    spans.push({ text: toHex(bytes.subarray(segment.start, end), " "), tone: `field-${segment.field}` });
    shown += end - segment.start;
  }
  const total = segments[segments.length - 1]!.end - segments[0]!.start;
  if (shown < total) spans.push({ text: text.cut(total - shown), tone: "muted" });
  return spans;
}

/**
 * Annotated hex of the frames in `bytes`: a summary of each header (FIN, RSV, opcode, MASK,
 * length, masking key) and its bytes coloured by field. `raw` input may hold several frames or
 * end mid-frame; the last line then names the field the frame stops in.
 */
export function frameLines(bytes: Uint8Array, direction: Direction, text: FrameViewText): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const rest = bytes.subarray(offset);
    const segments = frameSegments(rest);
    const header = readHeader(rest, segments);
    const summary = text.summary({
      fin: header.fin ? 1 : 0,
      rsv: header.rsv,
      opcode: `0x${header.opcode.toString(16)}`,
      name: opcodeName(header.opcode),
      mask: header.masked ? 1 : 0,
      length: header.payloadLength,
    });
    const key = segments.find((s) => s.field === "maskingKey");
    const summarySpans: Span[] = [{ text: `${arrows[direction]} `, tone: direction }, { text: summary, tone: "muted" }];
    if (key && key.end - key.start === 4) {
      summarySpans.push({ text: " " + text.maskingKey(toHex(rest.subarray(key.start, key.end), " ")), tone: "field-maskingKey" });
    }
    lines.push(summarySpans, hexSpans(rest, segments, text));
    const layout = frameLayout(rest, header);
    if (layout.waitingFor !== null) {
      lines.push([{ text: "  " + text.incomplete(layout.waitingFor), tone: "error" }]);
      break;
    }
    offset += layout.end;
  }
  return lines;
}

/** Where the frame ends, or the field (§5.2 names) it is cut in when its bytes stop early. */
function frameLayout(bytes: Uint8Array, header: Header): { end: number; waitingFor: string | null } {
  if (bytes.length < 2) return { end: 2, waitingFor: "header" };
  const length7 = bytes[1]! & 0x7f;
  const lengthBytes = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
  if (bytes.length < 2 + lengthBytes) return { end: 2 + lengthBytes, waitingFor: lengthBytes === 2 ? "extendedLength16" : "extendedLength64" };
  const headerBytes = 2 + lengthBytes + (header.masked ? 4 : 0);
  if (bytes.length < headerBytes) return { end: headerBytes, waitingFor: "maskingKey" };
  const end = headerBytes + header.payloadLength;
  return { end, waitingFor: bytes.length < end ? "payload" : null };
}
