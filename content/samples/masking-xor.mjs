// Mask and unmask a text payload the way RFC 6455 section 5.3 describes.
// The key is fixed here so the output is reproducible; a real client must
// draw a fresh one for every frame from crypto.getRandomValues().
const maskingKey = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d); // the key from RFC 6455 section 5.7

function applyMask(data, key) {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    out[i] = data[i] ^ key[i % 4]; // octet i uses key octet i MOD 4
  }
  return out;
}

const hex = (bytes) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");

for (const text of ["Hello", "Привет"]) {
  const original = new TextEncoder().encode(text);
  const masked = applyMask(original, maskingKey);
  const unmasked = applyMask(masked, maskingKey); // the same XOR undoes itself
  console.log(`text:     ${text}`);
  console.log(`original: ${hex(original)}`);
  console.log(`key:      ${hex(maskingKey)}`);
  console.log(`masked:   ${hex(masked)}`);
  console.log(`unmasked: ${new TextDecoder("utf-8", { fatal: true }).decode(unmasked)}`);
  console.log("");
}

// A whole client frame: FIN + text opcode, MASK bit + length, key, masked payload.
const payload = applyMask(new TextEncoder().encode("Hello"), maskingKey);
const frame = Uint8Array.of(0x81, 0x80 | payload.length, ...maskingKey, ...payload);
console.log(`frame:    ${hex(frame)}`);
