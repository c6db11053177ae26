// Two gateway processes on one Redis share each caller's budget exactly: 100 parallel requests against a
// budget of 5 get 5 answers between them, never more.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-processes.js";
import { deleteKeys, redisSkipReason, redisUrl, uniqueKeyPrefix } from "../helpers/redis.js";

const title = redisSkipReason
  ? `budgets across gateway processes (skipped: ${redisSkipReason})`
  : "budgets across gateway processes";
describe.skipIf(redisSkipReason !== undefined)(title, () => {
  const keyPrefix = uniqueKeyPrefix();
  const gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    const env = {
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      REDIS_URL: redisUrl as string,
      REDIS_KEY_PREFIX: keyPrefix,
      RATE_LIMIT_BUDGET: "5",
      RATE_LIMIT_RESTORE_RATE: "0.001",
      QUERY_MAX_COST: "5",
      PERSISTED_OPERATIONS: "off",
    };
    gateways.push(...(await Promise.all([startGatewayProcess(env), startGatewayProcess(env)])));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await deleteKeys(redisUrl as string, keyPrefix);
  });

  it("admits at most the budget when 100 requests race across two processes", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`${gateways[i % 2]?.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ __typename }" }),
        }).then((response) => response.status),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(95);
  });
});
