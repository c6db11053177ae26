import { describe, expect, it } from "vitest";
import { addressKey, identifyCaller, MemoryLimitStore } from "../../src/platform/rate-limit/index.js";

const clock = () => {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe("in-process token bucket", () => {
  const settings = { capacity: 100, restorePerSecond: 10 };

  it("takes while points last, refuses without taking, and refills at the restore rate", async () => {
    const time = clock();
    const store = new MemoryLimitStore(1_000, time.now);
    expect(await store.takeTokens("a", 60, settings)).toEqual({ allowed: true, available: 40, retryAfterMs: 0 });
    const refused = await store.takeTokens("a", 60, settings);
    expect(refused).toEqual({ allowed: false, available: 40, retryAfterMs: 2_000 }); // 20 missing at 10/s
    time.advance(2_000);
    expect((await store.takeTokens("a", 60, settings)).allowed).toBe(true);
    time.advance(60_000);
    expect((await store.takeTokens("a", 0, settings)).available).toBe(100); // never above capacity
    expect((await store.takeTokens("b", 0, settings)).available).toBe(100); // per key
  });

  it("forgets full buckets, so memory stays bounded however many callers come and go", async () => {
    const time = clock();
    const store = new MemoryLimitStore(10, time.now);
    for (let i = 0; i < 50; i++) await store.takeTokens(`caller-${i}`, 1, settings);
    expect(store.size).toBeLessThanOrEqual(10);
  });
});

describe("in-process sliding window", () => {
  it("admits max calls per window, does not count refusals, and reopens as calls age out", async () => {
    const time = clock();
    const store = new MemoryLimitStore(1_000, time.now);
    for (let i = 0; i < 3; i++) {
      expect((await store.hitWindow("k", 3, 10_000)).admitted).toBe(true);
      time.advance(1_000);
    }
    const refused = await store.hitWindow("k", 3, 10_000);
    expect(refused.admitted).toBe(false);
    expect(refused.timestamps).toHaveLength(3);
    expect(refused.retryAfterMs).toBe(7_000); // the first call (3 s ago) leaves the window in 7 s
    time.advance(7_001);
    expect((await store.hitWindow("k", 3, 10_000)).admitted).toBe(true);
  });
});

describe("caller identity", () => {
  it("charges a signed-in user by id, anyone else by address", () => {
    expect(identifyCaller({ id: "u1", role: "USER", sessionId: null }, "10.0.0.1")).toEqual({
      key: "user:u1",
      ipKey: "ip:10.0.0.1",
    });
    expect(identifyCaller(null, "10.0.0.1").key).toBe("ip:10.0.0.1");
  });

  it("groups an IPv6 client by its /64 and unwraps IPv4-mapped addresses", () => {
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0DB8:0001:0002::")).toBe("2001:db8:1:2::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(addressKey("192.0.2.7")).toBe("192.0.2.7");
  });
});
