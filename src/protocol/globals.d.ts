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
