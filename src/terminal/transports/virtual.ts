import { SandboxEndpoint } from "../../sandbox/index.ts";
import type { RandomBytes } from "../../protocol/index.ts";
import { CoreClient } from "./coreClient.ts";
import type { Emit } from "./transport.ts";

/** The virtual server's limit on a message and on a frame: small, so `raw` can cross it (1009). */
export const VIRTUAL_MAX_PAYLOAD = 64 * 1024;

/** How the page names itself in the upgrade request, as a browser would. */
export interface VirtualOptions {
  host?: string;
  origin?: string;
  randomBytes?: RandomBytes;
}

/**
 * A client `Connection` and a `SandboxEndpoint` in the same page, joined by an in-memory byte
 * pipe: every byte of the handshake and of each frame is real and visible, no network involved.
 * Delivery is asynchronous and in order, like a socket.
 */
export function openVirtual(path: string, protocols: readonly string[], emit: Emit, options: VirtualOptions = {}): CoreClient {
  const server = new SandboxEndpoint({ maxPayload: VIRTUAL_MAX_PAYLOAD, maxFrameSize: VIRTUAL_MAX_PAYLOAD });
  const client = new CoreClient(
    "virtual",
    `virtual:${path}`,
    { host: options.host ?? "localhost", path, protocols, origin: options.origin, randomBytes: options.randomBytes },
    emit,
  );
  let wire: Promise<void> = Promise.resolve();
  let serverGone = false;
  const deliver = () => {
    for (const chunk of server.output()) client.receive(chunk);
    if (server.shouldCloseTransport && !serverGone) {
      serverGone = true;
      client.receiveEnd();
    }
  };
  client.attach({
    write(bytes) {
      const copy = bytes.slice();
      wire = wire.then(async () => {
        if (serverGone) return;
        await server.receive(copy);
        deliver();
      });
    },
    end() {
      wire = wire.then(() => {
        if (serverGone) return;
        server.receiveEof();
        deliver();
      });
    },
  });
  return client;
}
