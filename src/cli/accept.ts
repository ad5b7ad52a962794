import { keyProblem, acceptSteps } from "../protocol/index.ts";
import { Exit, parseOptions, UsageProblem } from "./command.ts";

export const summary = "print the Sec-WebSocket-Accept value for a Sec-WebSocket-Key";

const usage = `Usage: ws-lab accept [--steps] <key>

Prints the Sec-WebSocket-Accept a server answers for the client's Sec-WebSocket-Key
(RFC 6455 §1.3, §4.2.2): base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).

Options:
  --steps   also print the concatenated string and the SHA-1 in hex
  --help    show this help

Example:
  ws-lab accept dGhlIHNhbXBsZSBub25jZQ==    # prints s3pPLMBiTxaQ9kYGzzhZRbK+xOo=`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions("accept", args, {
    steps: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    console.log(usage);
    return Exit.Ok;
  }
  if (positionals.length !== 1) {
    throw new UsageProblem(`expected one key, got ${positionals.length}. Example: ws-lab accept dGhlIHNhbXBsZSBub25jZQ==`);
  }
  const key = positionals[0]!;
  const steps = await acceptSteps(key);
  const problem = keyProblem(key);
  // A server would refuse such a key; the value is still printed, as the hash is defined for any string.
  if (problem) console.error(`warning: ${problem}: a valid key is base64 of 16 random bytes (RFC 6455 §4.1)`);
  if (values.steps) {
    console.log(`key + GUID: ${steps.concatenated}`);
    console.log(`SHA-1:      ${steps.sha1Hex}`);
    console.log(`accept:     ${steps.accept}`);
  } else {
    console.log(steps.accept);
  }
  return Exit.Ok;
}
