/** Counts open WebSocket connections in total and per client address, against their limits. */
export class ConnectionLimits {
  private readonly maxTotal: number;
  private readonly maxPerAddress: number;
  private readonly perAddress = new Map<string, number>();
  private open = 0;

  constructor(maxTotal: number, maxPerAddress: number) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  /** Connections counted now. */
  get total(): number {
    return this.open;
  }

  /** Counts a new connection from `address`, or returns which limit it would cross. */
  tryAdd(address: string): "total" | "per-address" | null {
    if (this.open >= this.maxTotal) return "total";
    const count = this.perAddress.get(address) ?? 0;
    if (count >= this.maxPerAddress) return "per-address";
    this.perAddress.set(address, count + 1);
    this.open++;
    return null;
  }

  /** Forgets a connection counted by `tryAdd`. */
  remove(address: string): void {
    const count = this.perAddress.get(address) ?? 0;
    if (count <= 1) this.perAddress.delete(address);
    else this.perAddress.set(address, count - 1);
    this.open--;
  }
}
