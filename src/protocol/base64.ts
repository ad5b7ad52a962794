const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const values = new Map<string, number>([...alphabet].map((char, index) => [char, index]));

/** Encodes bytes as standard base64 with padding (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? alphabet[(n >> 6) & 63]! : "=";
    out += i + 2 < bytes.length ? alphabet[n & 63]! : "=";
  }
  return out;
}

/** Decodes canonical padded base64, or returns null if the text is not that. */
export function fromBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const char = text[i + j]!;
      const isPad = char === "=" && i + 4 === text.length && j >= 4 - padding;
      const value = isPad ? 0 : values.get(char);
      if (value === undefined) return null;
      n = (n << 6) | value;
    }
    for (let shift = 16; shift >= 0 && o < out.length; shift -= 8) out[o++] = (n >> shift) & 255;
  }
  // A canonical encoding leaves the padding bits zero; anything else is not what a peer sent us.
  return toBase64(out) === text ? out : null;
}
