import { describe, expect, test } from "vitest";
import { ConfigError, defaultConfig, loadConfig } from "./config.ts";
import { originPolicy } from "./origins.ts";

describe("server settings", () => {
  test("every limit has a default", () => {
    expect(loadConfig([], {})).toEqual(defaultConfig());
    expect(defaultConfig()).toMatchObject({ port: 4321, host: "127.0.0.1", maxConnections: 1000, trustProxy: false });
  });

  test("an environment variable sets a limit and a flag overrides it", () => {
    const env = { PORT: "8080", WS_LAB_MAX_MESSAGE_SIZE: "65536", WS_LAB_TRUST_PROXY: "1" };
    expect(loadConfig([], env)).toMatchObject({ port: 8080, maxMessageSize: 65536, trustProxy: true });
    expect(loadConfig(["--port", "9000", "--max-message-size=1024", "--quiet"], env)).toMatchObject({
      port: 9000,
      maxMessageSize: 1024,
      quiet: true,
    });
  });

  test.each([
    [["--port", "eighty"], /--port: expected a whole number/],
    [["--max-frame-size", "12"], /--max-frame-size: must be at least 125/],
    [["--port"], /--port needs a value/],
    [["--no-such-thing"], /unknown option --no-such-thing/],
    [["--trust-proxy=maybe"], /expected true or false/],
  ])("%j is refused with a one-line reason", (args, message) => {
    expect(() => loadConfig(args, {})).toThrow(ConfigError);
    expect(() => loadConfig(args, {})).toThrow(message);
  });
});

describe("origin policy (§10.2)", () => {
  const policy = originPolicy("https://partner.example, https://docs.example:8443");

  test("a page from the host it connects to is same-origin, whatever the scheme's default port", () => {
    expect(policy("https://ws-lab.example", "ws-lab.example")).toBe(true);
    expect(policy("https://ws-lab.example", "ws-lab.example:443")).toBe(true);
    expect(policy("http://ws-lab.example:8080", "ws-lab.example:8080")).toBe(true);
    expect(policy("https://evil.example", "ws-lab.example")).toBe(false);
    expect(policy("https://ws-lab.example.evil.example", "ws-lab.example")).toBe(false);
  });

  test("pages served from localhost may connect", () => {
    for (const origin of ["http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:4321", "http://app.localhost"]) {
      expect(policy(origin, "ws-lab.example")).toBe(true);
    }
  });

  test("listed origins may connect, with their exact port", () => {
    expect(policy("https://partner.example", "ws-lab.example")).toBe(true);
    expect(policy("https://docs.example:8443", "ws-lab.example")).toBe(true);
    expect(policy("https://docs.example", "ws-lab.example")).toBe(false);
  });

  test("an Origin that is not a URL (such as the string null) is refused", () => {
    expect(policy("null", "ws-lab.example")).toBe(false);
  });

  test("* allows any origin", () => {
    expect(originPolicy("*")("https://anything.example", "ws-lab.example")).toBe(true);
  });
});
