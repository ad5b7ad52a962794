import { describe, expect, test } from "vitest";
import { ConnectionLimits, networkOf } from "./connection-limits.ts";

describe("networkOf", () => {
  test("an IPv4 address counts in its /24, an IPv4-mapped IPv6 address too", () => {
    expect(networkOf("203.0.113.7")).toBe("203.0.113.0/24");
    expect(networkOf("::ffff:203.0.113.200")).toBe("203.0.113.0/24");
  });

  test("an IPv6 address counts in its /64, however it is written", () => {
    expect(networkOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(networkOf("2001:0db8:0000:0000:ffff::2")).toBe("2001:db8:0:0::/64");
    expect(networkOf("2001:db8:0:1::1")).toBe("2001:db8:0:1::/64");
    expect(networkOf("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(networkOf("::1")).toBe("0:0:0:0::/64");
  });

  test("anything else counts as itself", () => {
    expect(networkOf("unknown")).toBe("unknown");
    expect(networkOf("1:2:3")).toBe("1:2:3");
  });
});

describe("ConnectionLimits", () => {
  test("a network is limited as a whole, and a freed slot is counted back", () => {
    const limits = new ConnectionLimits(100, 10, 2);
    expect(limits.tryAdd("2001:db8::1")).toBeNull();
    expect(limits.tryAdd("2001:db8::2")).toBeNull();
    expect(limits.tryAdd("2001:db8::3")).toBe("per-prefix");
    expect(limits.tryAdd("2001:db8:0:1::3")).toBeNull();
    limits.remove("2001:db8::1");
    expect(limits.tryAdd("2001:db8::3")).toBeNull();
    expect(limits.total).toBe(3);
  });

  test("the per-address limit is checked before the network's", () => {
    const limits = new ConnectionLimits(100, 1, 5);
    expect(limits.tryAdd("198.51.100.1")).toBeNull();
    expect(limits.tryAdd("198.51.100.1")).toBe("per-address");
    expect(limits.tryAdd("198.51.100.2")).toBeNull();
  });
});
