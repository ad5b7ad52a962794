import { encodeClosePayload, encodeFrame, HexError, Opcode, parseHex, toHex, UsageError } from "../protocol/index.ts";
import { byteCount, Exit, parseOptions, UsageProblem } from "./command.ts";

export const summary = "build one WebSocket frame and print its bytes as hex";

const usage = `Usage: ws-lab encode [options] [<payload>...]

Builds one frame (RFC 6455 §5.2) and prints it as hex. The payload is text unless --hex is given;
several words are joined with spaces.

Options:
  --opcode NAME|N        text (default), binary, close, ping, pong, continuation, or 0-15
  --no-fin               clear FIN (a fragment that more frames continue)
  --rsv1, --rsv2, --rsv3 set a reserved bit
  --mask HEX|random      mask with this 4-byte key (8 hex digits) or a random one
  --close-code N         for close frames: the status code; the payload becomes the reason
  --hex                  the payload is hex bytes, not text
  --help                 show this help

Examples:
  ws-lab encode --mask 37fa213d Hello      # 81 85 37 fa 21 3d 7f 9f 4d 51 58
  ws-lab encode --close-code 1000 bye`;

const opcodeNames: Record<string, number> = {
  continuation: Opcode.Continuation,
  text: Opcode.Text,
  binary: Opcode.Binary,
  close: Opcode.Close,
  ping: Opcode.Ping,
  pong: Opcode.Pong,
};

function readOpcode(value: string): number {
  const opcode = opcodeNames[value.toLowerCase()] ?? (/^\d+$/.test(value) ? Number(value) : NaN);
  if (!(opcode >= 0 && opcode <= 15)) {
    throw new UsageProblem(`--opcode '${value}' is not an opcode: use ${Object.keys(opcodeNames).join(", ")} or a number 0-15`);
  }
  return opcode;
}

function readHex(what: string, text: string): Uint8Array {
  try {
    return parseHex(text);
  } catch (error) {
    if (error instanceof HexError) throw new UsageProblem(`${what}: ${error.message}`);
    throw error;
  }
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions("encode", args, {
    opcode: { type: "string" },
    "no-fin": { type: "boolean" },
    rsv1: { type: "boolean" },
    rsv2: { type: "boolean" },
    rsv3: { type: "boolean" },
    mask: { type: "string" },
    "close-code": { type: "string" },
    hex: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(usage);
    return Exit.Ok;
  }
  const closeCode = values["close-code"];
  const opcode = readOpcode(values.opcode ?? (closeCode === undefined ? "text" : "close"));
  const text = positionals.join(" ");
  let payload = values.hex ? readHex("payload", text) : new TextEncoder().encode(text);
  if (closeCode !== undefined) {
    if (opcode !== Opcode.Close) throw new UsageProblem("--close-code only goes with --opcode close");
    if (!/^\d+$/.test(closeCode)) throw new UsageProblem(`--close-code must be a number such as 1000, not '${closeCode}'`);
    try {
      payload = encodeClosePayload(Number(closeCode), new TextDecoder().decode(payload));
    } catch (error) {
      if (error instanceof UsageError) throw new UsageProblem(`${error.message} (see RFC 6455 §7.4)`);
      throw error;
    }
  }
  let mask: Uint8Array | boolean = false;
  if (values.mask === "random") mask = true;
  else if (values.mask !== undefined) {
    mask = readHex("--mask", values.mask);
    if (mask.length !== 4) throw new UsageProblem(`--mask needs 4 bytes (8 hex digits) or 'random', got ${byteCount(mask.length)}`);
  }
  const frame = encodeFrame({
    opcode,
    payload,
    fin: !values["no-fin"],
    rsv1: values.rsv1,
    rsv2: values.rsv2,
    rsv3: values.rsv3,
    mask,
  });
  console.log(toHex(frame, " "));
  return Exit.Ok;
}
