// Redis going away mid-traffic, and coming back. This suite starts, kills, freezes and restarts a
// redis-server of its own (never the shared TEST_REDIS_URL one).
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldLimits } from "../../src/platform/rate-limit/index.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { type OwnRedis, redisServerSkipReason, startOwnRedis } from "../helpers/redis.js";

const title = redisServerSkipReason
  ? `Redis outage (skipped: ${redisServerSkipReason})`
  : "Redis outage: reads go on, sign-in fails closed, limits recover";

const read = "{ products(first: 5) { edges { node { name category { name } } } } }";
const login =
  'mutation { login(input: { email: "alice@example.com", password: "correct-horse-battery" }) { accessToken } }';
const codes = (response: { errors?: { extensions: Record<string, unknown> }[] }) =>
  (response.errors ?? []).map((error) => error.extensions.code);

describe.skipIf(redisServerSkipReason !== undefined)(title, () => {
  let redis: OwnRedis;
  let gw: TestGateway;
  let probe: Redis;
  const keyPrefix = "outage:";

  beforeAll(async () => {
    redis = await startOwnRedis();
    probe = new Redis(redis.url, { lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: 1 });
    probe.on("error", () => {}); // it reconnects across the outage like the gateway does
    gw = await startTestGateway("pglite", {
      seedScale: 0.02,
      env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: keyPrefix, REDIS_COMMAND_TIMEOUT_MS: "200" },
      serverDeps: {
        fieldLimits: {
          ...fieldLimits,
          // A limit that is not security-critical: falls back to this process while Redis is away.
          "Query.product": { why: "test", failClosed: false, rules: [{ per: "ip", max: 3, windowSeconds: 60 }] },
        },
      },
    });
  });
  afterAll(async () => {
    await gw?.close();
    probe?.disconnect();
    await redis?.kill();
  });

  const ready = async () => (await gw.gateway.app.inject({ url: "/ready" })).json();
  const timed = async <T>(call: () => Promise<T>) => {
    const started = performance.now();
    const result = await call();
    return { result, ms: performance.now() - started };
  };
  const waitFor = async (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const product = (remoteAddress: string) => gw.graphql('{ product(slug: "none") { name } }', { remoteAddress });

  it("works normally with Redis up, counting in Redis", async () => {
    expect(await ready()).toEqual({ status: "ready", checks: { database: "up", redis: "up" } });
    expect(codes(await gw.graphql(read))).toEqual([]);
    expect(codes(await gw.graphql(login, { remoteAddress: "192.0.2.1" }))).toEqual([]);
    await probe.connect();
    expect(await probe.keys(`${keyPrefix}*`)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("bucket:"),
        expect.stringContaining("window:field:Mutation.login"),
      ]),
    );
  });

  it("keeps serving reads when Redis dies, fails sign-in closed, and says so in /ready", async () => {
    await redis.kill();
    await waitFor(() => !gw.gateway.redis?.isReady());

    const reads = await timed(() => gw.graphql(read));
    expect(reads.result.status).toBe(200);
    expect(codes(reads.result)).toEqual([]);
    expect(reads.result.extensions?.cost).toBeDefined(); // the budget now counts in this process
    expect(reads.ms).toBeLessThan(1_000);

    const signIn = await timed(() => gw.graphql(login, { remoteAddress: "192.0.2.2" }));
    expect(codes(signIn.result)).toEqual(["SERVICE_UNAVAILABLE"]);
    expect(signIn.result.status).toBe(503);
    expect(signIn.result.headers["retry-after"]).toBe("5");
    expect(signIn.ms).toBeLessThan(1_000);

    // Limits that are not security-critical still hold, counted in this process.
    for (let i = 0; i < 3; i++) expect(codes(await product("192.0.2.3"))).toEqual([]);
    expect(codes(await product("192.0.2.3"))).toEqual(["RATE_LIMITED"]);

    const readiness = await gw.gateway.app.inject({ url: "/ready" });
    expect(readiness.statusCode).toBe(200);
    expect(readiness.json()).toEqual({ status: "ready", checks: { database: "up", redis: "down" } });
  });

  it("recovers on its own when Redis comes back", async () => {
    await redis.start();
    await waitFor(() => gw.gateway.redis?.isReady() === true);
    expect((await ready()).checks.redis).toBe("up");
    expect(codes(await gw.graphql(login, { remoteAddress: "192.0.2.4" }))).toEqual([]);
    // Counting is back in Redis (the restarted server started empty).
    expect(codes(await product("192.0.2.5"))).toEqual([]);
    expect(await probe.keys(`${keyPrefix}window:field:Query.product*`)).toHaveLength(1);
  });

  it("bounds every Redis call by the command timeout when Redis hangs", async () => {
    redis.freeze();
    try {
      const reads = await timed(() => gw.graphql(read));
      expect(codes(reads.result)).toEqual([]);
      expect(reads.ms).toBeLessThan(1_500);
      const signIn = await timed(() => gw.graphql(login, { remoteAddress: "192.0.2.6" }));
      expect(codes(signIn.result)).toEqual(["SERVICE_UNAVAILABLE"]);
      expect(signIn.ms).toBeLessThan(1_500);
    } finally {
      redis.thaw();
    }
    await waitFor(async () => codes(await gw.graphql(login, { remoteAddress: "192.0.2.7" })).length === 0);
  });
});
