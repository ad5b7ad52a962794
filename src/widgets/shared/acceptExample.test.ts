import { expect, test } from "vitest";
import { acceptSteps, keyProblem } from "../../protocol/index.ts";
import { rfcAcceptExample } from "./acceptExample.ts";

test("§1.3: the precomputed accept-key example matches what the core computes", async () => {
  const { key, ...steps } = rfcAcceptExample;
  expect(await acceptSteps(key)).toEqual(steps);
  expect(keyProblem(key)).toBeNull();
});
