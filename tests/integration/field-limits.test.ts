// Per-field limits (src/platform/rate-limit/field-limits.ts) through the whole server, with the real
// limit table, on the in-process store and, with TEST_REDIS_URL, on Redis. PGlite only: the database
// does not matter here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldLimits } from "../../src/platform/rate-limit/index.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { deleteKeys, redisSkipReason, redisUrl, uniqueKeyPrefix } from "../helpers/redis.js";

const keyPrefix = uniqueKeyPrefix();
const stores: { name: string; env: Record<string, string>; skip: boolean }[] = [
  { name: "in-process store", env: {}, skip: false },
  {
    name: redisSkipReason ? `Redis store (skipped: ${redisSkipReason})` : "Redis store",
    env: { REDIS_URL: redisUrl ?? "", REDIS_KEY_PREFIX: keyPrefix },
    skip: redisSkipReason !== undefined,
  },
];

const loginField = (alias: string, email: string) =>
  `${alias}: login(input: { email: ${JSON.stringify(email)}, password: "not-the-password" }) { accessToken userErrors { code } }`;
const aliasedLogins = (count: number, email: string, from = 1) =>
  `mutation { ${Array.from({ length: count }, (_, i) => loginField(`a${from + i}`, email)).join("\n")} }`;

const codes = (response: { errors?: { extensions: Record<string, unknown> }[] }) =>
  (response.errors ?? []).map((error) => error.extensions.code);

for (const store of stores) {
  describe.skipIf(store.skip)(`per-field limits (${store.name})`, () => {
    let gw: TestGateway;
    let clients = 0;
    const newClient = () => `192.0.2.${++clients}`;

    beforeAll(async () => {
      gw = await startTestGateway("pglite", {
        seedScale: 0.02,
        env: { ...store.env, QUERY_MAX_ALIASES: "40" },
        serverDeps: {
          fieldLimits: {
            ...fieldLimits,
            // A read field with a tight limit, to race on without argon2 in the way.
            "Query.categories": { why: "test", failClosed: false, rules: [{ per: "ip", max: 5, windowSeconds: 60 }] },
          },
        },
      });
    });
    afterAll(async () => {
      await gw?.close();
      if (store.env.REDIS_URL) await deleteKeys(store.env.REDIS_URL, keyPrefix);
    });

    it("wires every limit whose field exists", () => {
      const { applied, missing } = gw.gateway.fieldLimits;
      expect(applied).toEqual(
        expect.arrayContaining([
          "Mutation.login",
          "Mutation.requestPasswordReset",
          "Mutation.resetPassword",
          "Mutation.register",
          "Mutation.refreshSession",
          "Mutation.changePassword",
          "Mutation.deleteMe",
          "Mutation.verifyEmail",
          "Mutation.updateMe",
          "Mutation.revokeSession",
        ]),
      );
      expect([...applied, ...missing].sort()).toEqual([...Object.keys(fieldLimits), "Query.categories"].sort());
    });

    it("counts each aliased login in one document: 15 aliases are 15 attempts", async () => {
      const client = newClient();
      const logins = (from: number) =>
        `mutation { ${Array.from({ length: 15 }, (_, i) => loginField(`a${from + i}`, `user${from + i}@example.com`)).join("\n")} }`;
      // Per address: 30 attempts in 10 minutes. Two documents of 15 aliases use them all up...
      const first = await gw.graphql<Record<string, unknown>>(logins(1), { remoteAddress: client });
      expect(codes(first)).toEqual([]);
      expect(Object.keys(first.data ?? {})).toHaveLength(15);
      expect(codes(await gw.graphql(logins(16), { remoteAddress: client }))).toEqual([]);
      // ...so the 31st attempt, in a third document, is refused.
      const next = await gw.graphql(aliasedLogins(1, "user31@example.com"), { remoteAddress: client });
      expect(codes(next)).toEqual(["RATE_LIMITED"]);
    });

    it("refuses the 11th aliased attempt on one account, with 429 and Retry-After", async () => {
      // Per e-mail: 10 attempts in 15 minutes. Mutation fields run one after another and login's payload
      // is non-null, so the refused 11th ends the operation: a12 to a15 never run (nor count).
      const response = await gw.graphql(aliasedLogins(15, "victim@example.com"), { remoteAddress: newClient() });
      expect(codes(response)).toEqual(["RATE_LIMITED"]);
      const refused = response.errors?.[0];
      expect(refused?.path).toEqual(["a11"]);
      expect(refused?.extensions.retryAfter).toBeGreaterThan(800);
      expect(refused?.extensions.retryAfter).toBeLessThanOrEqual(900);
      // Nothing answered (data is null), so the request as a whole was refused: 429.
      expect(response.data).toBeNull();
      expect(response.status).toBe(429);
      expect(response.headers["retry-after"]).toBe(String(refused?.extensions.retryAfter));
    });

    it("limits attempts on one account from many addresses, whatever the e-mail's case or spacing", async () => {
      const spellings = ["target@example.com", " Target@Example.com", "TARGET@EXAMPLE.COM "];
      for (let i = 0; i < 10; i++) {
        const response = await gw.graphql(aliasedLogins(1, spellings[i % 3] as string), { remoteAddress: newClient() });
        expect(codes(response)).toEqual([]);
      }
      const eleventh = await gw.graphql(aliasedLogins(1, "target@example.com"), { remoteAddress: newClient() });
      expect(codes(eleventh)).toEqual(["RATE_LIMITED"]);
    });

    it("lets a real sign-in through below the limits", async () => {
      const response = await gw.graphql<{ a1: { accessToken: string | null } }>(
        'mutation { a1: login(input: { email: "alice@example.com", password: "correct-horse-battery" }) { accessToken } }',
        { remoteAddress: newClient() },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.a1.accessToken).toEqual(expect.any(String));
    });

    it("limits password-reset mails per address and per mailbox", async () => {
      const reset = (email: string, remoteAddress: string) =>
        gw.graphql(`mutation { requestPasswordReset(input: { email: ${JSON.stringify(email)} }) { success } }`, {
          remoteAddress,
        });
      for (let i = 0; i < 3; i++) expect(codes(await reset("mailbox@example.com", newClient()))).toEqual([]);
      const fourth = await reset("mailbox@example.com", newClient());
      expect(codes(fourth)).toEqual(["RATE_LIMITED"]);
      expect(fourth.status).toBe(429);
    });

    it("limits sign-ups per address", async () => {
      const client = newClient();
      const register = (n: number) =>
        gw.graphql(
          `mutation { register(input: { email: "new${n}-${clients}@example.com", username: "new${n}_${clients}", name: "New", password: "a long enough password 123" }) { userErrors { code } } }`,
          { remoteAddress: client },
        );
      for (let n = 1; n <= 10; n++) expect(codes(await register(n))).toEqual([]);
      expect(codes(await register(11))).toEqual(["RATE_LIMITED"]);
    });

    it("admits exactly the limit when 100 calls race", async () => {
      const client = newClient();
      const responses = await Promise.all(
        Array.from({ length: 100 }, () => gw.graphql("{ categories { name } }", { remoteAddress: client })),
      );
      expect(responses.filter((response) => response.data?.categories)).toHaveLength(5);
      expect(responses.filter((response) => codes(response)[0] === "RATE_LIMITED")).toHaveLength(95);
    });

    for (const [field, call] of [
      [
        "Mutation.createReview",
        'mutation { createReview(input: { productId: "not-a-product", rating: 5, body: "Great" }) { userErrors { code } } }',
      ],
      [
        "Mutation.placeOrder",
        'mutation { placeOrder(input: { addressId: "not-an-address", idempotencyKey: "key-12345678", items: [] }) { userErrors { code } } }',
      ],
    ] as const) {
      it(`limits ${field} per signed-in customer (10 calls)`, async (context) => {
        if (!gw.gateway.fieldLimits.applied.includes(field)) {
          context.skip(`${field} is not in the schema yet`);
          return;
        }
        // Whatever each call answers (these inputs are refused), every call counts.
        const as = gw.users.bob;
        for (let i = 0; i < 10; i++) {
          expect(codes(await gw.graphql(call, { as, remoteAddress: newClient() }))).not.toContain("RATE_LIMITED");
        }
        expect(codes(await gw.graphql(call, { as, remoteAddress: newClient() }))).toContain("RATE_LIMITED");
        // Another customer is not affected.
        expect(codes(await gw.graphql(call, { as: gw.users.alice }))).not.toContain("RATE_LIMITED");
      });
    }
  });
}
