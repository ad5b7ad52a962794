// Property: permessage-deflate between two cores, both directions, any parameters, any content.
import { expect } from "vitest";
import fc from "fast-check";
import { Connection, toHex, type DeflateCodec } from "../../src/protocol/index.ts";
import { splitAt } from "../../src/protocol/test-helpers.ts";

const join = (parts: readonly Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** Both directions, every parameter combination, messages of any content, cut anywhere. */
export function deflateRoundTrip(codecs: { client: DeflateCodec; server: DeflateCodec }) {
  const params = fc.record({
    serverNoContextTakeover: fc.boolean(),
    clientNoContextTakeover: fc.boolean(),
    serverMaxWindowBits: fc.integer({ min: 8, max: 15 }),
    clientMaxWindowBits: fc.integer({ min: 8, max: 15 }),
  });
  const message = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 300 }).map((text) => ({ text })),
    fc.uint8Array({ maxLength: 3000 }).map((bytes) => ({ bytes })),
    // Repetitive text, where back-references reach far.
    fc.tuple(fc.string({ maxLength: 20 }), fc.nat(400)).map(([unit, times]) => ({ text: unit.repeat(times) })),
  );
  fc.assert(
    fc.property(params, fc.array(fc.tuple(message, fc.boolean()), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(4000), { maxLength: 4 }), (agreed, sent, cuts) => {
      const clientSide = new Connection("client", { deflate: { params: agreed, codec: codecs.client } });
      const serverSide = new Connection("server", { deflate: { params: agreed, codec: codecs.server } });
      for (const [item, compress] of sent) {
        if ("text" in item) clientSide.sendText(item.text, { compress });
        else clientSide.sendBinary(item.bytes, { compress });
      }
      for (const chunk of splitAt(join(clientSide.dataToSend()), cuts)) serverSide.receiveData(chunk);
      const received = serverSide.eventsReceived().filter((event) => event.type !== "frame");
      expect(received.map(show)).toEqual(sent.map(([item, compress]) => show({ type: "text" in item ? "text" : "binary", ...item, compressed: compress || undefined })));
      // ... and back: the server echoes each as it came.
      for (const event of received) {
        if (event.type === "text") serverSide.sendText(event.data, { compress: event.compressed === true });
        if (event.type === "binary") serverSide.sendBinary(event.data, { compress: event.compressed === true });
      }
      clientSide.receiveData(join(serverSide.dataToSend()));
      expect(clientSide.eventsReceived().filter((event) => event.type !== "frame").map(show)).toEqual(received.map(show));
    }),
    { numRuns: 150 },
  );
}

function show(event: { type: string; data?: unknown; text?: string; bytes?: Uint8Array; compressed?: boolean }): string {
  const content = event.type === "text" ? (event.text ?? event.data) : toHex((event.bytes ?? event.data) as Uint8Array);
  return `${event.type}:${event.compressed ? "z" : "-"}:${content}`;
}

