/**
 * The RFC 6455 §1.3 accept-key example, so widgets can render it before the asynchronous SHA-1
 * (crypto.subtle) has run: on the server, without JavaScript, and on first paint.
 * acceptExample.test.ts checks these values against the core's acceptSteps.
 */
export const rfcAcceptExample = {
  key: "dGhlIHNhbXBsZSBub25jZQ==",
  concatenated: "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
  sha1Hex: "b37a4f2cc0624f1690f64606cf385945b2bec4ea",
  accept: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
} as const;
