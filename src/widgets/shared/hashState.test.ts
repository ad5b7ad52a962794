import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { readHashState, shareLink, writeHashState } from "./hashState.ts";

const decoderDefaults = { hex: "81 85 37 fa 21 3d 7f 9f 4d 51 58", receiver: "server" };
const maskingDefaults = { payload: "Hello", maskingKey: "37 fa 21 3d", step: 5, animate: false };

describe("widget state in the URL hash", () => {
  test("a written state reads back unchanged", () => {
    const state = { hex: "81 05 48 65 6c 6c 6f", receiver: "client" };
    const hash = writeHashState("", "frame-decoder", state);
    expect(hash.startsWith("#frame-decoder=")).toBe(true);
    expect(readHashState(hash, "frame-decoder", decoderDefaults)).toEqual(state);
  });

  test("any state of strings, numbers and booleans survives the round trip", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer(), fc.boolean(), (payload, maskingKey, step, animate) => {
        const state = { payload, maskingKey, step, animate };
        expect(readHashState(writeHashState("", "masking", state), "masking", maskingDefaults)).toEqual(state);
      }),
    );
  });

  test("two widgets on one page keep their own params", () => {
    let hash = writeHashState("", "frame-decoder", { hex: "89 00", receiver: "client" });
    hash = writeHashState(hash, "masking", { ...maskingDefaults, payload: "Hi" });
    hash = writeHashState(hash, "frame-decoder", { hex: "8a 00", receiver: "client" });
    expect(readHashState(hash, "frame-decoder", decoderDefaults)).toEqual({ hex: "8a 00", receiver: "client" });
    expect(readHashState(hash, "masking", maskingDefaults)?.payload).toBe("Hi");
  });

  test("a hash without the widget's param gives null", () => {
    expect(readHashState("", "masking", maskingDefaults)).toBeNull();
    expect(readHashState("#content", "masking", maskingDefaults)).toBeNull();
    expect(readHashState(writeHashState("", "frame-decoder", decoderDefaults), "masking", maskingDefaults)).toBeNull();
  });

  test("hand-edited values of the wrong type fall back to the defaults, unknown keys are ignored", () => {
    const hash = `#masking=${encodeURIComponent(JSON.stringify({ payload: 42, step: "7", animate: true, extra: "x" }))}`;
    expect(readHashState(hash, "masking", maskingDefaults)).toEqual({ ...maskingDefaults, animate: true });
  });

  test("text that is not a JSON object is ignored", () => {
    for (const raw of ["not json", "[1,2]", "null", "3"]) {
      expect(readHashState(`#masking=${encodeURIComponent(raw)}`, "masking", maskingDefaults)).toBeNull();
    }
  });

  test("the skip link's bare #content fragment is dropped when state is written", () => {
    expect(writeHashState("#content", "masking", { step: 1 })).toBe(`#masking=${encodeURIComponent('{"step":1}')}`);
  });

  test("removing the last widget's state leaves an empty hash", () => {
    expect(writeHashState(writeHashState("", "masking", { step: 1 }), "masking", null)).toBe("");
  });

  test("a share link keeps the page address and carries only the shared widget's state", () => {
    const page = `http://127.0.0.1:4321/en/playground/${writeHashState("", "masking", maskingDefaults)}`;
    const link = new URL(shareLink(page, "frame-decoder", { hex: "81 05", receiver: "client" }));
    expect(link.pathname).toBe("/en/playground/");
    expect(readHashState(link.hash, "frame-decoder", decoderDefaults)).toEqual({ hex: "81 05", receiver: "client" });
    expect(readHashState(link.hash, "masking", maskingDefaults)).toBeNull();
  });
});
