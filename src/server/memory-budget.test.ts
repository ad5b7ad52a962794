import { describe, expect, test } from "vitest";
import { MemoryBudget, type Holder } from "./memory-budget.ts";

/** Holders that report to `budget` as a session does, and free everything when evicted. */
function holders(budget: MemoryBudget, sizes: number[]) {
  const all: Array<Holder & { evicted: boolean; grow(bytes: number): void }> = [];
  for (const size of sizes) {
    const holder = {
      held: 0,
      evicted: false,
      grow(bytes: number) {
        holder.held += bytes;
        budget.change(bytes, all);
      },
      evict() {
        holder.evicted = true;
        const freed = holder.held;
        holder.held = 0;
        budget.change(-freed, all);
      },
    };
    all.push(holder);
    holder.grow(size);
  }
  return all;
}

describe("MemoryBudget", () => {
  test("under the limit nobody is evicted; at 90% new connections are refused", () => {
    const budget = new MemoryBudget(1000);
    holders(budget, [400, 400]);
    expect(budget.total).toBe(800);
    expect(budget.nearlyFull).toBe(false);
    holders(budget, [150]);
    expect(budget.nearlyFull).toBe(true);
  });

  test("past the limit the largest holders are evicted until the total is under 90%", () => {
    const budget = new MemoryBudget(1000);
    const all = holders(budget, [100, 300, 200, 250]);
    all[0]!.grow(250);
    expect(all.map((holder) => holder.evicted)).toEqual([true, false, false, false]);
    expect(budget.total).toBe(750);
    all[2]!.grow(400);
    expect(all.map((holder) => holder.evicted)).toEqual([true, false, true, false]);
    expect(budget.total).toBe(550);
  });
});
