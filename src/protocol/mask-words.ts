import { wordsOf } from "./pool.ts";

// Below this length a word view costs more than it saves (views of pooled slabs are free).
const WORDWISE_MIN = 24;
const keyBytes = new Uint8Array(4);
const keyWord = new Int32Array(keyBytes.buffer);

/**
 * XORs `data[start, end)` in place with the masking key at `key[keyAt..keyAt+3]` (RFC 6455 §5.3),
 * the key's index starting at `phase`, in plain JS: 32-bit words over the aligned middle, single
 * bytes at the edges. The path for short runs and for engines without WebAssembly SIMD.
 */
export function maskWords(data: Uint8Array, start: number, end: number, key: Uint8Array, keyAt: number, phase: number): void {
  const k0 = key[keyAt]!;
  const k1 = key[keyAt + 1]!;
  const k2 = key[keyAt + 2]!;
  const k3 = key[keyAt + 3]!;
  keyBytes[0] = k0;
  keyBytes[1] = k1;
  keyBytes[2] = k2;
  keyBytes[3] = k3;
  let i = start;
  let j = phase & 3;
  if (end - start >= WORDWISE_MIN) {
    for (; ((data.byteOffset + i) & 3) !== 0; i++, j = (j + 1) & 3) data[i] ^= keyBytes[j]!;
    // The key word is assembled in memory order, so it lines up with the data on any endianness.
    keyBytes[0] = key[keyAt + j]!;
    keyBytes[1] = key[keyAt + ((j + 1) & 3)]!;
    keyBytes[2] = key[keyAt + ((j + 2) & 3)]!;
    keyBytes[3] = key[keyAt + ((j + 3) & 3)]!;
    const k = keyWord[0]!;
    const words = wordsOf(data);
    const first = (data.byteOffset + i) >>> 2;
    const last = first + ((end - i) >>> 2);
    let w = first;
    for (const unrolled = last - 3; w < unrolled; w += 4) {
      words[w] ^= k;
      words[w + 1] ^= k;
      words[w + 2] ^= k;
      words[w + 3] ^= k;
    }
    for (; w < last; w++) words[w] ^= k;
    i += (last - first) << 2;
    keyBytes[0] = k0;
    keyBytes[1] = k1;
    keyBytes[2] = k2;
    keyBytes[3] = k3;
  }
  for (; i < end; i++, j = (j + 1) & 3) data[i] ^= keyBytes[j]!;
}
