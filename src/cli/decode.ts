import { decodeStream, HexError, opcodeName, parseHex, toHex, type DecodedFrame } from "../protocol/index.ts";
import { byteCount, Exit, parseOptions, readStdin, UsageProblem, wholeNumber } from "./command.ts";

export const summary = "decode WebSocket frames from hex and check them as the receiving side";

const usage = `Usage: ws-lab decode [--json] [--role server|client] [--max-payload N] [<hex>...]

Reads hex bytes (from the arguments, or from standard input if there are none), decodes every
frame and applies the receiving side's rules of RFC 6455. Spaces, 0x prefixes and colons are fine.

Options:
  --role server|client  who receives the bytes (default server: client frames must be masked)
  --max-payload N       largest message in bytes before failing with 1009
  --json                print one JSON object: {"frames":[...],"error":...,"waitingFor":...}, also
                        for unusable input (then "error" is {"code":"usage"|"invalid-hex","message":...})
  --help                show this help

Exit status: 0 valid, 1 protocol error, 2 unusable input (not hex, bad options).

Example:
  ws-lab decode 81 85 37 fa 21 3d 7f 9f 4d 51 58`;

/** The JSON view of one frame; `text` only for text payloads that are valid UTF-8 on their own. */
function frameJson(frame: DecodedFrame) {
  return {
    fin: frame.fin,
    rsv1: frame.rsv1,
    rsv2: frame.rsv2,
    rsv3: frame.rsv3,
    opcode: frame.opcode,
    masked: frame.masked,
    maskingKey: frame.maskingKey && toHex(frame.maskingKey),
    payloadLength: frame.payloadLength,
    payloadHex: toHex(frame.payload),
    ...(frame.text !== undefined && { text: frame.text }),
    ...(frame.closeCode !== undefined && { closeCode: frame.closeCode, closeReason: frame.closeReason }),
  };
}

function describe(frame: DecodedFrame, index: number): string {
  const flags = [frame.fin ? "FIN" : "no FIN", ...(["rsv1", "rsv2", "rsv3"] as const).filter((bit) => frame[bit]).map((bit) => bit.toUpperCase())];
  const lines = [
    `frame ${index + 1} at byte ${frame.offset}: ${opcodeName(frame.opcode)} (opcode 0x${frame.opcode.toString(16)}), ${flags.join(", ")}`,
    `  ${frame.masked ? `masked with key ${toHex(frame.maskingKey!, " ")}` : "not masked"}, payload ${byteCount(frame.payloadLength)}, header ${byteCount(frame.headerLength)}`,
  ];
  if (frame.payloadLength > 0) {
    const shown = frame.payload.subarray(0, 64);
    lines.push(`  payload: ${toHex(shown, " ")}${frame.payloadLength > shown.length ? " …" : ""}`);
  }
  if (frame.text !== undefined) lines.push(`  text: ${JSON.stringify(frame.text)}`);
  if (frame.closeCode !== undefined) {
    lines.push(`  close code: ${frame.closeCode ?? "none (reported as 1005)"}, reason: ${JSON.stringify(frame.closeReason)}`);
  }
  return lines.join("\n");
}

export async function run(args: string[]): Promise<number> {
  try {
    return await decode(args);
  } catch (error) {
    // With --json, a script reads stdout: the problem goes there as well as to stderr (by main).
    if (error instanceof UsageProblem && args.includes("--json")) {
      console.log(JSON.stringify({ frames: [], error: { code: error.code, closeCode: null, message: error.message }, waitingFor: null }));
    }
    throw error;
  }
}

async function decode(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions("decode", args, {
    json: { type: "boolean" },
    role: { type: "string", default: "server" },
    "max-payload": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(usage);
    return Exit.Ok;
  }
  const role = values.role;
  if (role !== "server" && role !== "client") throw new UsageProblem(`--role must be 'server' or 'client', not '${role}'`);
  const maxPayload = values["max-payload"] === undefined ? undefined : wholeNumber("max-payload", values["max-payload"]);
  if (positionals.length === 0 && process.stdin.isTTY) {
    throw new UsageProblem("no input: pass hex bytes as arguments or pipe them in. Example: ws-lab decode 81 05 48 65 6c 6c 6f");
  }
  const text = positionals.length > 0 ? positionals.join(" ") : await readStdin();
  let bytes: Uint8Array;
  try {
    bytes = parseHex(text);
  } catch (error) {
    if (!(error instanceof HexError)) throw error;
    throw new UsageProblem(`${error.message}; write bytes as hex pairs such as '81 05 48 65' (spaces, 0x and colons are allowed)`, "invalid-hex");
  }
  const result = decodeStream(bytes, { role, maxPayload });
  const error = result.error && { code: result.error.code, closeCode: result.error.closeCode, message: result.error.message };
  if (values.json) {
    console.log(JSON.stringify({ frames: result.frames.map(frameJson), error, waitingFor: result.waitingFor }));
  } else {
    if (result.frames.length === 0 && !result.error && !result.waitingFor) console.log("no frames");
    result.frames.forEach((frame, index) => console.log(describe(frame, index)));
    if (result.error) {
      console.log(`error: ${result.error.code} (close ${result.error.closeCode}, RFC 6455 §${result.error.section}): ${result.error.message}`);
    }
    if (result.waitingFor) console.log(`incomplete: the last frame is waiting for its ${result.waitingFor}`);
  }
  return result.error ? Exit.ProtocolError : Exit.Ok;
}
