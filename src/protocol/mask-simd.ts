import type { MaskInto } from "./mask.ts";

// Masking with WebAssembly SIMD: 16 bytes per v128.xor, 4x as many as a JS loop over 32-bit words.
// Wasm code reaches only its own linear memory, so bytes pass through a scratch block there: copy
// in, XOR, copy out. The copies run at memcpy speed and the block stays in the L1 cache, which
// makes the three passes faster than one pass of JS from a few hundred bytes up (see mask.ts).

/**
 * The module, written by hand (WebAssembly binary format 1.0 plus the SIMD proposal). In WAT:
 *
 *   (module
 *     (memory (export "memory") 1)
 *     (func (export "mask") (param $end i32) (param $key i32) (local $p i32) (local $k v128)
 *       (local.set $k (i32x4.splat (local.get $key)))
 *       (block (loop
 *         (br_if 1 (i32.ge_u (local.get $p) (local.get $end)))
 *         (v128.store offset=0  (local.get $p) (v128.xor (v128.load offset=0  (local.get $p)) (local.get $k)))
 *         (v128.store offset=16 ...) (v128.store offset=32 ...) (v128.store offset=48 ...)
 *         (local.set $p (i32.add (local.get $p) (i32.const 64)))
 *         (br 0)))))
 *
 * `mask(end, key)` XORs memory [0, end) with the little-endian key word; `end` is a multiple of 64.
 */
// prettier-ignore
const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  // Type section (1), 6 bytes: one type, func (i32 i32) -> ()
  0x01, 0x06, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x00,
  // Function section (3), 2 bytes: one function, of type 0
  0x03, 0x02, 0x01, 0x00,
  // Memory section (5), 3 bytes: one memory, no maximum, 1 page (64 KiB)
  0x05, 0x03, 0x01, 0x00, 0x01,
  // Export section (7), 17 bytes: "memory" = memory 0, "mask" = function 0
  0x07, 0x11, 0x02,
  0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
  0x04, 0x6d, 0x61, 0x73, 0x6b, 0x00, 0x00,
  // Code section (10), 101 bytes: one body of 99 bytes
  0x0a, 0x65, 0x01, 0x63,
  0x02, 0x01, 0x7f, 0x01, 0x7b, //       locals: $p i32 (local 2), $k v128 (local 3)
  0x20, 0x01, 0xfd, 0x11, 0x21, 0x03, // $k = i32x4.splat($key)
  0x02, 0x40, 0x03, 0x40, //             block, loop (no results)
  0x20, 0x02, 0x20, 0x00, 0x4f, 0x0d, 0x01, // br_if 1 when $p >=u $end
  // Four times, at offsets 0, 16, 32, 48: store($p, xor(load($p), $k)); memarg = align 2^4, offset
  0x20, 0x02, 0x20, 0x02, 0xfd, 0x00, 0x04, 0x00, 0x20, 0x03, 0xfd, 0x51, 0xfd, 0x0b, 0x04, 0x00,
  0x20, 0x02, 0x20, 0x02, 0xfd, 0x00, 0x04, 0x10, 0x20, 0x03, 0xfd, 0x51, 0xfd, 0x0b, 0x04, 0x10,
  0x20, 0x02, 0x20, 0x02, 0xfd, 0x00, 0x04, 0x20, 0x20, 0x03, 0xfd, 0x51, 0xfd, 0x0b, 0x04, 0x20,
  0x20, 0x02, 0x20, 0x02, 0xfd, 0x00, 0x04, 0x30, 0x20, 0x03, 0xfd, 0x51, 0xfd, 0x0b, 0x04, 0x30,
  0x20, 0x02, 0x41, 0xc0, 0x00, 0x6a, 0x21, 0x02, // $p += 64
  0x0c, 0x00, 0x0b, 0x0b, 0x0b, //       br 0, end loop, end block, end function
]);

// Large enough that the per-block calls are noise, small enough that source and scratch stay in L1.
const BLOCK = 16 * 1024;

interface Masker {
  mask(end: number, key: number): void;
  scratch: Uint8Array;
}

function instantiate(): Masker | null {
  if (typeof WebAssembly !== "object") return null;
  try {
    // An engine without SIMD rejects the module here instead of failing later.
    if (!WebAssembly.validate(MODULE_BYTES)) return null;
    // Synchronous compilation is allowed on a browser's main thread for modules under 4 KB.
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(MODULE_BYTES));
    const memory = exports["memory"] as WebAssembly.Memory;
    return { mask: exports["mask"] as Masker["mask"], scratch: new Uint8Array(memory.buffer) };
  } catch {
    // A Content-Security-Policy without 'wasm-unsafe-eval' forbids compiling: fall back to JS.
    return null;
  }
}

const masker = instantiate();

/** Whether this engine runs the SIMD path; when false, callers use the JS word loop. */
export const simdAvailable = masker !== null;

/** Masking through the scratch block, 16 KiB at a time. Call only when `simdAvailable`. */
export const simdMaskInto: MaskInto = (source, sourceStart, target, targetStart, length, key, keyAt, phase) => {
  const { mask, scratch } = masker!;
  // Wasm memory is little-endian, so the byte meant for scratch[0] goes in the low bits.
  const keyWord =
    key[keyAt + (phase & 3)]! |
    (key[keyAt + ((phase + 1) & 3)]! << 8) |
    (key[keyAt + ((phase + 2) & 3)]! << 16) |
    (key[keyAt + ((phase + 3) & 3)]! << 24);
  const buffer = source.buffer;
  const offset = source.byteOffset + sourceStart;
  for (let done = 0; done < length; done += BLOCK) {
    const size = length - done < BLOCK ? length - done : BLOCK;
    scratch.set(new Uint8Array(buffer, offset + done, size));
    // Rounding up XORs a few stale scratch bytes that are never copied out. BLOCK is a multiple of
    // 4, so the key phase is the same at the start of every block.
    mask((size + 63) & ~63, keyWord);
    target.set(size === BLOCK ? scratchBlock! : new Uint8Array(scratch.buffer, 0, size), targetStart + done);
  }
};

const scratchBlock = masker && new Uint8Array(masker.scratch.buffer, 0, BLOCK);
