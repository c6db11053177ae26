// RoundTripBatcher (platform/redis/round-trips.ts): concurrent calls share round trips, and no answer comes
// from a round trip that left before its call was made.
import { describe, expect, it } from "vitest";
import { RoundTripBatcher } from "../../src/platform/redis/index.js";

/** A fake round trip (the batcher's own logic is under test here; Redis is in the integration tests). */
function recorder() {
  const sent: number[][] = [];
  const pending: (() => void)[] = [];
  const send = (calls: readonly number[]) => {
    sent.push([...calls]);
    const tripNumber = sent.length;
    return new Promise<number[]>((resolve) => pending.push(() => resolve(calls.map(() => tripNumber))));
  };
  const returnNext = async () => {
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { sent, send, returnNext };
}

describe("RoundTripBatcher", () => {
  it("sends a lone call at once, and the calls made during a round trip together in the next one", async () => {
    const { sent, send, returnNext } = recorder();
    const batcher = new RoundTripBatcher(send);
    const first = batcher.run(1);
    expect(sent).toEqual([[1]]);
    const later = [batcher.run(2), batcher.run(3), batcher.run(4)];
    expect(sent).toHaveLength(1); // they wait for the first round trip
    await returnNext();
    expect(sent).toEqual([[1], [2, 3, 4]]);
    await returnNext();
    // Each answer comes from a round trip sent after its call.
    expect(await first).toBe(1);
    expect(await Promise.all(later)).toEqual([2, 2, 2]);
  });

  it("fails the calls of a failed round trip only, and tells when it is idle", async () => {
    let idle = 0;
    let fail = true;
    const batcher = new RoundTripBatcher<number, number>(
      async (calls) => {
        if (fail) throw new Error("connection lost");
        return calls.map((call) => call * 10);
      },
      () => idle++,
    );
    const failed = batcher.run(1);
    fail = false;
    const next = batcher.run(2);
    await expect(failed).rejects.toThrow("connection lost");
    expect(await next).toBe(20);
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(1);
    expect(await batcher.run(3)).toBe(30);
  });
});
