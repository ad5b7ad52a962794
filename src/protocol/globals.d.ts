// The core runs in browsers and Node alike, so it sees only ES2022 plus the few Web APIs below.

interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
declare class TextDecoder {
  constructor(label?: string, options?: TextDecoderOptions);
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}

interface SubtleCrypto {
  digest(algorithm: "SHA-1" | "SHA-256", data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}
interface Crypto {
  readonly subtle: SubtleCrypto;
  getRandomValues<T extends Uint8Array>(array: T): T;
}
declare var crypto: Crypto;

// WebAssembly, for the SIMD masking path (mask-simd.ts): only what it calls. A namespace because
// WebAssembly.Module is both a constructor and a type; it merges with the DOM lib's where that is loaded.
declare namespace WebAssembly {
  interface Module {}
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  interface Memory {
    readonly buffer: ArrayBuffer;
  }
  var Module: new (bytes: Uint8Array<ArrayBuffer>) => Module;
  var Instance: new (module: Module) => Instance;
  function validate(bytes: Uint8Array<ArrayBuffer>): boolean;
}
