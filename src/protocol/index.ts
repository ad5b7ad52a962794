export * from "./errors.ts";
export * from "./frame.ts";
export * from "./bytes.ts";
export * from "./growing.ts";
// mask.ts also holds maskInto, the parser's and encoder's fused copy-and-mask, which stays internal.
export { applyMask, maskedCopy, maskRange } from "./mask.ts";
export * from "./parser.ts";
export * from "./message.ts";
export * from "./utf8.ts";
export * from "./close.ts";
export * from "./connection.ts";
export * from "./decode.ts";
export * from "./handshake.ts";
export * from "./hex.ts";
export * from "./base64.ts";
export * from "./random.ts";
export * from "./deflate-negotiation.ts";
export * from "./deflate-codec.ts";
export * from "./deflate-context.ts";
