import { HexError } from "./errors.ts";

/**
 * Reads hex bytes written with any spacing, `0x` prefixes, colons, commas or dashes between them.
 * @throws HexError (code `invalid-hex`) naming the position of the first character that is not hex.
 */
export function parseHex(text: string): Uint8Array {
  const digits: number[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/[\s:,\-]/.test(char)) {
      i++;
      continue;
    }
    if (char === "0" && (text[i + 1] === "x" || text[i + 1] === "X")) {
      i += 2;
      continue;
    }
    const value = parseInt(char, 16);
    if (Number.isNaN(value)) throw new HexError(i, `'${char}' at position ${i} is not a hex digit`);
    digits.push(value);
    i++;
  }
  if (digits.length % 2 !== 0) {
    throw new HexError(text.length, `odd number of hex digits (${digits.length}): every byte needs two`);
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let b = 0; b < bytes.length; b++) bytes[b] = (digits[2 * b]! << 4) | digits[2 * b + 1]!;
  return bytes;
}

/** Writes bytes as lower-case hex pairs joined by `separator`. */
export function toHex(bytes: Uint8Array, separator = ""): string {
  const pairs: string[] = [];
  for (const byte of bytes) pairs.push(byte.toString(16).padStart(2, "0"));
  return pairs.join(separator);
}
