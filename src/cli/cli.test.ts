import { describe, expect, test, vi } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// Each test starts one or two Node processes; on a loaded two-core machine that alone can pass
// vitest's 5 s default, so the limit follows the spawn timeout below instead.
vi.setConfig({ testTimeout: 45_000 });

const bin = fileURLToPath(new URL("../../bin/ws-lab.mjs", import.meta.url));
function wsLab(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", input, timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("ws-lab accept", () => {
  test("prints the §1.3 accept value for the sample key", () => {
    expect(wsLab(["accept", "dGhlIHNhbXBsZSBub25jZQ=="])).toMatchObject({ status: 0, stdout: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n" });
  });

  test("without a key it explains the usage and exits 2", () => {
    const result = wsLab(["accept"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("expected one key");
  });
});

describe("ws-lab decode", () => {
  test("--json prints exactly one object for the masked 'Hello' of §5.7", () => {
    const result = wsLab(["decode", "--json", "8185", "37fa213d", "7f9f4d5158"]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      frames: [{ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode: 1, masked: true, maskingKey: "37fa213d", payloadLength: 5, payloadHex: "48656c6c6f", text: "Hello" }],
      error: null,
      waitingFor: null,
    });
  });

  test("reads hex with 0x and colons from standard input", () => {
    const result = wsLab(["decode", "--json", "--role", "client"], "0x88:0x04:0x03:0xe8:0x6f:0x6b\n");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).frames[0]).toMatchObject({ opcode: 8, closeCode: 1000, closeReason: "ok", maskingKey: null });
  });

  test("an unmasked frame sent to a server is a protocol error, exit 1", () => {
    const result = wsLab(["decode", "--json", "81 05 48 65 6c 6c 6f"]);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      frames: [],
      error: { code: "unmasked-client-frame", closeCode: 1002, message: "client frame is not masked" },
      waitingFor: null,
    });
    expect(wsLab(["decode", "81 05 48 65 6c 6c 6f"]).stdout).toContain("error: unmasked-client-frame (close 1002");
  });

  test("a truncated frame names the field it stops in", () => {
    const result = wsLab(["decode", "--json", "81 85 37 fa"]);
    expect(JSON.parse(result.stdout)).toMatchObject({ frames: [], error: null, waitingFor: "maskingKey" });
    expect(wsLab(["decode", "81 85 37 fa"]).stdout).toContain("waiting for its maskingKey");
  });

  for (const raw of ["", "0x10", "1e1", " 5", "5.0"]) {
    test(`--max-payload ${JSON.stringify(raw)} is refused with exit 2, not read as a number`, () => {
      const result = wsLab(["decode", "--max-payload", raw, "81 80 00 00 00 00"]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("--max-payload must be a whole number");
    });
  }

  test("--json prints its error object on stdout for unusable input too, with exit 2", () => {
    const hex = wsLab(["decode", "--json", "81 zz"]);
    expect(hex.status).toBe(2);
    expect(JSON.parse(hex.stdout)).toMatchObject({ frames: [], error: { code: "invalid-hex", closeCode: null }, waitingFor: null });
    const option = wsLab(["decode", "--json", "--max-payload", "1e1", "81 80 00 00 00 00"]);
    expect(option.status).toBe(2);
    expect(JSON.parse(option.stdout).error).toMatchObject({ code: "usage", message: "--max-payload must be a whole number, not '1e1'" });
    expect(JSON.parse(wsLab(["decode", "--json", "--bogus"]).stdout).error.code).toBe("usage");
  });

  test("input that is not hex exits 2 and names the bad character", () => {
    const result = wsLab(["decode", "81 zz"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("'z' at position 3");
    expect(result.stdout).toBe("");
  });

  test("human-readable output lists each frame", () => {
    const result = wsLab(["decode", "--role", "client", "01 03 48 65 6c 80 02 6c 6f"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("frame 1 at byte 0: text (opcode 0x1), no FIN");
    expect(result.stdout).toContain("frame 2 at byte 5: continuation (opcode 0x0), FIN");
  });

  test("a one-byte payload is counted as 1 byte, an empty one as 0 bytes", () => {
    const result = wsLab(["decode", "--role", "client", "81 01 41 89 00"]);
    expect(result.stdout).toContain("not masked, payload 1 byte, header 2 bytes");
    expect(result.stdout).toContain("not masked, payload 0 bytes, header 2 bytes");
  });
});

describe("ws-lab encode", () => {
  test("builds the masked 'Hello' of §5.7 with a given key", () => {
    expect(wsLab(["encode", "--mask", "37fa213d", "Hello"])).toMatchObject({ status: 0, stdout: "81 85 37 fa 21 3d 7f 9f 4d 51 58\n" });
  });

  test("sets flags, reserved opcodes and hex payloads", () => {
    expect(wsLab(["encode", "--opcode", "11", "--no-fin", "--rsv1", "--rsv3", "--hex", "ff 00"]).stdout).toBe("5b 02 ff 00\n");
    expect(wsLab(["encode", "--opcode", "ping"]).stdout).toBe("89 00\n");
  });

  test("a close frame carries its code and reason, and decodes back", () => {
    const encoded = wsLab(["encode", "--close-code", "1001", "going", "away"]);
    expect(encoded.stdout).toBe("88 0c 03 e9 67 6f 69 6e 67 20 61 77 61 79\n");
    const decoded = JSON.parse(wsLab(["decode", "--json", "--role", "client"], encoded.stdout).stdout);
    expect(decoded.frames[0]).toMatchObject({ closeCode: 1001, closeReason: "going away" });
  });

  test("a random mask gives a masked frame that a server decodes", () => {
    const encoded = wsLab(["encode", "--mask", "random", "hi"]);
    expect(JSON.parse(wsLab(["decode", "--json"], encoded.stdout).stdout).frames[0]).toMatchObject({ masked: true, text: "hi" });
  });

  test.each([
    [["encode", "--opcode", "16"], "is not an opcode"],
    [["encode", "--mask", "0102"], "--mask needs 4 bytes (8 hex digits) or 'random', got 2 bytes"],
    [["encode", "--mask", "01"], "got 1 byte\n"],
    [["encode", "--close-code", "1005"], "may not be sent"],
    [["encode", "--bogus"], "Unknown option '--bogus'"],
    [["frobnicate"], "unknown command 'frobnicate'"],
  ])("%j is refused with exit 2 and a hint", (args, message) => {
    const result = wsLab(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });

  test("--help explains each command", () => {
    for (const command of ["accept", "decode", "encode"]) {
      const result = wsLab([command, "--help"]);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`Usage: ws-lab ${command}`);
    }
  });
});
