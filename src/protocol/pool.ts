// Small frames and payloads are cut from shared 64 KiB slabs, as Node does for small Buffers:
// creating an ArrayBuffer per frame costs more than encoding the frame, and a slab keeps one
// Int32Array view that masking reuses instead of building a view per call.
const SLAB_SIZE = 64 * 1024;
const POOLED_MAX = 4096;

let slab = new ArrayBuffer(SLAB_SIZE);
let slabWords = new Int32Array(slab);
let slabUsed = 0;

/**
 * Returns `length` zeroed-or-reused bytes whose index `alignAt` is 4-byte aligned in memory,
 * so a payload starting there can be masked a word at a time. Small sizes share a slab.
 */
export function allocate(length: number, alignAt = 0): Uint8Array {
  const pad = (4 - (alignAt & 3)) & 3;
  if (length > POOLED_MAX) return new Uint8Array(new ArrayBuffer(length + pad), pad, length);
  let start = slabUsed + ((4 - ((slabUsed + alignAt) & 3)) & 3);
  if (start + length > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabWords = new Int32Array(slab);
    start = pad;
  }
  slabUsed = start + length;
  // A view built directly is cheaper than subarray(), which looks up a species constructor.
  return new Uint8Array(slab, start, length);
}

/** A 32-bit view of the whole buffer behind `bytes`, reused when it is the current slab. */
export function wordsOf(bytes: Uint8Array): Int32Array {
  const buffer = bytes.buffer;
  return buffer === slab ? slabWords : new Int32Array(buffer, 0, buffer.byteLength >>> 2);
}
