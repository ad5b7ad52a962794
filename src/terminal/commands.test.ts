import { describe, expect, test } from "vitest";
import { completeLine, parseCommand, suggestCommand } from "./commands.ts";

const command = (line: string) => {
  const result = parseCommand(line);
  if (!result.ok) throw new Error(`expected a command, got ${result.problem.key}`);
  return result.command;
};
const problem = (line: string) => {
  const result = parseCommand(line);
  if (result.ok) throw new Error(`expected a problem for ${line}`);
  return result.problem;
};

describe("parseCommand", () => {
  test("an empty or blank line is no command", () => {
    expect(parseCommand("")).toEqual({ ok: true, command: null });
    expect(parseCommand("   ")).toEqual({ ok: true, command: null });
  });

  test("send keeps the message exactly as typed after the first space", () => {
    expect(command("send hello  world ")).toEqual({ name: "send", payload: { kind: "text", text: "hello  world " }, fragments: 1 });
    expect(command("SEND привет")).toMatchObject({ payload: { kind: "text", text: "привет" } });
    expect(command("send -- --hex")).toMatchObject({ payload: { kind: "text", text: "--hex" } });
  });

  test("send --hex gives a binary payload; bad hex names the character", () => {
    expect(command("send --hex 0x01:ff 1b")).toEqual({ name: "send", payload: { kind: "binary", bytes: new Uint8Array([1, 0xff, 0x1b]) }, fragments: 1 });
    expect(problem("send --hex 01 zz")).toEqual({ key: "terminal.problem.hexChar", params: { command: "send", char: "z", position: 4 } });
    expect(problem("send --hex 123")).toEqual({ key: "terminal.problem.hexOdd", params: { command: "send" } });
  });

  test("send --fragments N needs a count from 1 to the message's size in bytes", () => {
    expect(command("send --fragments 3 hello")).toMatchObject({ fragments: 3, payload: { text: "hello" } });
    expect(problem("send --fragments 0 hi").key).toBe("terminal.problem.fragmentsCount");
    expect(problem("send --fragments x hi").key).toBe("terminal.problem.fragmentsCount");
    expect(problem("send --fragments 3 hi")).toEqual({ key: "terminal.problem.fragmentsTooMany", params: { fragments: 3, count: 2 } });
    expect(problem("send").key).toBe("terminal.problem.sendEmpty");
    expect(problem("send --loud hi")).toEqual({ key: "terminal.problem.unknownOption", params: { command: "send", option: "--loud" } });
  });

  test("connect takes an optional URL and subprotocol tokens", () => {
    expect(command("connect")).toEqual({ name: "connect", url: null, protocols: [] });
    expect(command("connect /inspect --protocol echo.v1,inspect.v1")).toEqual({ name: "connect", url: "/inspect", protocols: ["echo.v1", "inspect.v1"] });
    expect(command("connect --protocol=chat ws://h/x")).toEqual({ name: "connect", url: "ws://h/x", protocols: ["chat"] });
    expect(problem("connect --protocol").key).toBe("terminal.problem.protocolValue");
    expect(problem("connect --protocol a(b)").key).toBe("terminal.problem.protocolToken");
    expect(problem("connect a b").key).toBe("terminal.problem.extra");
  });

  test("§7.4: close takes a code a peer may send and a reason of at most 123 bytes", () => {
    expect(command("close")).toEqual({ name: "close", code: null, reason: "" });
    expect(command("close 1000 all done")).toEqual({ name: "close", code: 1000, reason: "all done" });
    expect(command("close 4001")).toEqual({ name: "close", code: 4001, reason: "" });
    expect(problem("close 1005")).toEqual({ key: "terminal.problem.closeCodeRange", params: { code: 1005 } });
    expect(problem("close 999").key).toBe("terminal.problem.closeCodeRange");
    expect(problem("close bye").key).toBe("terminal.problem.closeCodeNumber");
    expect(problem(`close 1000 ${"ж".repeat(62)}`)).toEqual({ key: "terminal.problem.closeReasonLong", params: { max: 123, count: 124 } });
  });

  test("§5.5: ping carries at most 125 bytes", () => {
    expect(command("ping")).toEqual({ name: "ping", payload: "" });
    expect(command(`ping ${"a".repeat(125)}`)).toMatchObject({ name: "ping" });
    expect(problem(`ping ${"a".repeat(126)}`)).toEqual({ key: "terminal.problem.pingLong", params: { count: 126, max: 125 } });
  });

  test("raw needs hex bytes", () => {
    expect(command("raw 81 05 48 65 6c 6c 6f")).toEqual({ name: "raw", bytes: new Uint8Array([0x81, 5, 0x48, 0x65, 0x6c, 0x6c, 0x6f]) });
    expect(problem("raw").key).toBe("terminal.problem.rawEmpty");
    expect(problem("raw 8").key).toBe("terminal.problem.hexOdd");
  });

  test("frames, status, clear and help take what they document", () => {
    expect(command("frames OFF")).toEqual({ name: "frames", on: false });
    expect(problem("frames maybe").key).toBe("terminal.problem.framesValue");
    expect(command("status")).toEqual({ name: "status" });
    expect(problem("clear now").key).toBe("terminal.problem.extra");
    expect(command("help raw")).toEqual({ name: "help", topic: "raw" });
    expect(problem("help nope").key).toBe("terminal.problem.helpTopic");
  });

  test("an unknown command suggests the nearest one, or help", () => {
    expect(problem("sned hi")).toEqual({ key: "terminal.problem.unknownSuggest", params: { command: "sned", suggestion: "send" } });
    expect(problem("conn")).toEqual({ key: "terminal.problem.unknownSuggest", params: { command: "conn", suggestion: "connect" } });
    expect(problem("xyzzy")).toEqual({ key: "terminal.problem.unknown", params: { command: "xyzzy" } });
    expect(suggestCommand("clsoe")).toBe("close");
  });
});

describe("completeLine", () => {
  test("a unique prefix completes to the command and a space", () => {
    expect(completeLine("con")).toEqual({ line: "connect ", candidates: [] });
    expect(completeLine("frames o")).toEqual({ line: "frames o", candidates: ["on", "off"] });
    expect(completeLine("frames of")).toEqual({ line: "frames off ", candidates: [] });
  });

  test("an ambiguous prefix lists the candidates", () => {
    expect(completeLine("c")).toEqual({ line: "c", candidates: ["connect", "close", "clear"] });
    expect(completeLine("cl")).toEqual({ line: "cl", candidates: ["close", "clear"] });
  });

  test("nothing to complete leaves the line alone", () => {
    expect(completeLine("send hel")).toEqual({ line: "send hel", candidates: [] });
    expect(completeLine("zz")).toEqual({ line: "zz", candidates: [] });
  });
});
