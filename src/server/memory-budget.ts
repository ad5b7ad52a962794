/** Something that holds memory for a client and can be made to let it go. */
export interface Holder {
  /** Bytes held now, as last reported. */
  readonly held: number;
  /** Closes the connection so that what it holds is freed. */
  evict(): void;
}

/** Share of the budget above which new connections are refused, and down to which evictions go. */
export const BUDGET_HIGH_WATER = 0.9;

/**
 * The process-wide memory budget: the bytes every connection holds (inbound, as its core reports,
 * plus what waits to be written), summed as each connection reports changes. Past the budget the
 * largest holders are evicted until the total is back under `BUDGET_HIGH_WATER` of it; from that
 * mark on, new connections are refused. One number a server can check on every chunk.
 */
export class MemoryBudget {
  readonly limit: number;
  private held = 0;
  private evicting = false;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes held by all connections. */
  get total(): number {
    return this.held;
  }

  /** Whether a new connection should be refused (503) because memory is nearly all taken. */
  get nearlyFull(): boolean {
    return this.held >= this.limit * BUDGET_HIGH_WATER;
  }

  /**
   * Takes a holder's change in bytes held; past the budget, evicts the largest of `holders` until
   * the total is under the high-water mark.
   */
  change(delta: number, holders: Iterable<Holder>): void {
    this.held += delta;
    if (this.held <= this.limit || this.evicting) return;
    // An eviction reports its own change back through here; the loop below already accounts for it.
    this.evicting = true;
    try {
      const largest = [...holders].filter((holder) => holder.held > 0).sort((a, b) => b.held - a.held);
      for (const holder of largest) {
        if (this.held < this.limit * BUDGET_HIGH_WATER) break;
        holder.evict();
      }
    } finally {
      this.evicting = false;
    }
  }
}
