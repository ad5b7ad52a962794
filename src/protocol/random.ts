/** A source of random bytes; the masking key and the handshake key come from one. */
export type RandomBytes = (n: number) => Uint8Array;

// One getRandomValues call per 4-byte masking key would cost more than masking a small frame.
const pool = new Uint8Array(4096);
let poolUsed = pool.length;

/** Random bytes from `crypto.getRandomValues`, drawn from a pool refilled 4 KiB at a time. */
export const defaultRandomBytes: RandomBytes = (n) => {
  if (n > pool.length) return crypto.getRandomValues(new Uint8Array(n));
  if (poolUsed + n > pool.length) {
    crypto.getRandomValues(pool);
    poolUsed = 0;
  }
  poolUsed += n;
  return pool.slice(poolUsed - n, poolUsed);
};

/** Writes `n` random bytes into `target` at `at`, from `source` or straight from the pool. */
export function randomInto(target: Uint8Array, at: number, n: number, source?: RandomBytes): void {
  if (source) {
    target.set(source(n).subarray(0, n), at);
    return;
  }
  if (poolUsed + n > pool.length) {
    crypto.getRandomValues(pool);
    poolUsed = 0;
  }
  for (let i = 0; i < n; i++) target[at + i] = pool[poolUsed++]!;
}
