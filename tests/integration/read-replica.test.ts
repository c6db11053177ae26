// Root reads from a streaming read replica (README, "Running against a PostgreSQL server"): a primary and a
// hot standby of the test's own, the standby replaying each commit 2 s late (a lagging replica). Queries
// read the replica; mutations write the primary; a caller's reads right after their own write go to the
// primary, also on another instance sharing Redis.
import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { buildServer, type Gateway } from "../../src/server.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import {
  type OwnPostgres,
  postgresServerSkipReason,
  startOwnPostgres,
  startOwnReplica,
} from "../helpers/postgres-server.js";
import { deleteKeys, redisSkipReason, redisUrl, uniqueKeyPrefix } from "../helpers/redis.js";

const title = postgresServerSkipReason
  ? `read replica (skipped: ${postgresServerSkipReason})`
  : "read replica: queries read a lagging replica, a caller's own writes stay visible";
const page = "query Page($id: ID!) { product(id: $id) { priceCents } }";
const update = `mutation($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) { product { priceCents } userErrors { code } }
}`;
type Page = { product: { priceCents: number } | null };

describe.skipIf(postgresServerSkipReason !== undefined)(title, () => {
  let primary: OwnPostgres;
  let replica: OwnPostgres;
  let gw: TestGateway;
  let other: Gateway | null = null;
  const keyPrefix = uniqueKeyPrefix();
  const env = {
    JWT_PRIVATE_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix } : {}),
  };

  beforeAll(async () => {
    primary = await startOwnPostgres();
    replica = await startOwnReplica(primary.url, { applyDelayMs: 2_000 });
    gw = await startTestGateway("postgres", {
      seedScale: 0.01,
      serverUrl: primary.url,
      replicaServerUrl: replica.url,
      env,
    });
    // The replica has the new database and its seed once it has replayed them (2 s behind).
    await vi.waitFor(async () => expect(await gw.db.replica?.product.count()).toBeGreaterThan(0), {
      timeout: 30_000,
      interval: 250,
    });
    if (redisUrl) {
      other = await buildServer(loadConfig({ NODE_ENV: "test", RATE_LIMIT_BUDGET: "1000000000", ...env }), {
        db: { ...gw.db, close: async () => {} }, // the first instance owns the database
        logger: pino({ level: "silent" }),
        fieldLimits: {},
      });
    }
  }, 120_000);

  afterAll(async () => {
    await other?.close();
    await gw?.close();
    await replica?.destroy();
    await primary?.destroy();
    if (redisUrl) await deleteKeys(redisUrl, keyPrefix);
  });

  async function read(gateway: Gateway, id: string, token: string) {
    const response = await gateway.app.inject({
      method: "POST",
      url: "/graphql",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      payload: JSON.stringify({ query: page, variables: { id } }),
    });
    return (response.json() as { data: Page }).data.product?.priceCents;
  }

  async function changePrice() {
    const product = await gw.db.prisma.product.findFirstOrThrow({ where: { status: "ACTIVE", deletedAt: null } });
    const price = product.priceCents + 7;
    const response = await gw.graphql<{ updateProduct: { product: { priceCents: number } } }>(update, {
      as: gw.users.admin,
      variables: { id: product.id, input: { priceCents: price } },
    });
    expect(response.data?.updateProduct.product.priceCents).toBe(price);
    return { id: product.id, before: product.priceCents, after: price };
  }

  it("reads queries from the replica, and the writer's next reads from the primary", async () => {
    const admin = await gw.tokenFor(gw.users.admin);
    const bob = await gw.tokenFor(gw.users.bob);
    const product = await changePrice();
    // The writer sees their write at once; anyone else reads the replica, still 2 s behind.
    expect(await read(gw.gateway, product.id, admin)).toBe(product.after);
    expect(await read(gw.gateway, product.id, bob)).toBe(product.before);
    // Then the replica catches up.
    await vi.waitFor(async () => expect(await read(gw.gateway, product.id, bob)).toBe(product.after), {
      timeout: 15_000,
      interval: 250,
    });
  });

  it.skipIf(redisSkipReason !== undefined)(
    `keeps the writer on the primary on another instance too (through Redis)${redisSkipReason ? `: skipped, ${redisSkipReason}` : ""}`,
    async () => {
      const instance = other as Gateway;
      const admin = await gw.tokenFor(gw.users.admin);
      const bob = await gw.tokenFor(gw.users.bob);
      const product = await changePrice();
      expect(await read(instance, product.id, admin)).toBe(product.after);
      expect(await read(instance, product.id, bob)).toBe(product.before);
    },
  );
});
