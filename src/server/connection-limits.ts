/** Which limit a new connection would cross. */
export type LimitCrossed = "total" | "per-address" | "per-prefix";

/**
 * The network an address belongs to for the per-prefix limit: its IPv4 /24, or its IPv6 /64 (one
 * host is usually given a whole /64, so counting exact IPv6 addresses limits nothing). An
 * IPv4-mapped IPv6 address counts as IPv4; anything unrecognised counts as itself.
 */
export function networkOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ipv4 = mapped ? mapped[1]! : address;
  const v4 = /^(\d+\.\d+\.\d+)\.\d+$/.exec(ipv4);
  if (v4) return `${v4[1]}.0/24`;
  const groups = expandIpv6(address);
  return groups === null ? address : `${groups.slice(0, 4).join(":")}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros, or null if it is not one. */
function expandIpv6(address: string): string[] | null {
  const bare = address.replace(/%.*$/, "").toLowerCase();
  if (!/^[0-9a-f:]+$/.test(bare) || !bare.includes(":")) return null;
  const halves = bare.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] === "" ? [] : halves[0]!.split(":");
  const tail = halves.length === 2 && halves[1] !== "" ? halves[1]!.split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array<string>(missing).fill("0"), ...tail];
  if (groups.some((group) => group.length === 0 || group.length > 4)) return null;
  return groups.map((group) => group.replace(/^0+(?=.)/, ""));
}

/** Counts open WebSocket connections in total, per client address and per network, against their limits. */
export class ConnectionLimits {
  private readonly maxTotal: number;
  private readonly maxPerAddress: number;
  private readonly maxPerPrefix: number;
  private readonly perAddress = new Map<string, number>();
  private readonly perPrefix = new Map<string, number>();
  private open = 0;

  constructor(maxTotal: number, maxPerAddress: number, maxPerPrefix: number) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
    this.maxPerPrefix = maxPerPrefix;
  }

  /** Connections counted now. */
  get total(): number {
    return this.open;
  }

  /** Counts a new connection from `address`, or returns which limit it would cross. */
  tryAdd(address: string): LimitCrossed | null {
    if (this.open >= this.maxTotal) return "total";
    const count = this.perAddress.get(address) ?? 0;
    if (count >= this.maxPerAddress) return "per-address";
    const network = networkOf(address);
    const inNetwork = this.perPrefix.get(network) ?? 0;
    if (inNetwork >= this.maxPerPrefix) return "per-prefix";
    this.perAddress.set(address, count + 1);
    this.perPrefix.set(network, inNetwork + 1);
    this.open++;
    return null;
  }

  /** Forgets a connection counted by `tryAdd`. */
  remove(address: string): void {
    decrement(this.perAddress, address);
    decrement(this.perPrefix, networkOf(address));
    this.open--;
  }
}

function decrement(counts: Map<string, number>, key: string): void {
  const count = counts.get(key) ?? 0;
  if (count <= 1) counts.delete(key);
  else counts.set(key, count - 1);
}
