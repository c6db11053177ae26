// Access tokens die with their session: logout, logoutAll, changePassword, resetPassword and deleteMe
// refuse the tokens they end at once on the instance that ran them, and within a second on every other
// instance sharing the Redis (pub/sub), including one started afterwards or one that lost Redis meanwhile.
import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { buildServer, type Gateway } from "../../src/server.js";
import { backends } from "../helpers/database.js";
import { type GraphQLResponse, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import {
  deleteKeys,
  redisServerSkipReason,
  redisSkipReason,
  redisUrl,
  startOwnRedis,
  uniqueKeyPrefix,
} from "../helpers/redis.js";

const PASSWORD = "tangerine-kayak-4417";
const signingKey = () => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();

type Auth = { accessToken: string | null; refreshToken: string | null; userErrors: { code: string }[] };
const authFields = "accessToken refreshToken userErrors { code }";

/** Any instance of the gateway, driven through HTTP inject. */
type Instance = { app: Gateway["app"] };

async function call<Data = Record<string, unknown>>(
  instance: Instance,
  query: string,
  token: string | null,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<Data>> {
  const response = await instance.app.inject({
    method: "POST",
    url: "/graphql",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: JSON.stringify({ query, variables }),
  });
  return { status: response.statusCode, headers: response.headers, ...response.json() };
}

/** `ok` when the token is accepted, else the status and code it was refused with. */
async function meWith(instance: Instance, token: string): Promise<string> {
  const response = await call<{ me: { id: string } | null }>(instance, "{ me { id } }", token);
  if (response.data?.me) return "ok";
  return `${response.status} ${String(response.errors?.[0]?.extensions.code)}`;
}

let accounts = 0;
async function register(instance: Instance): Promise<{ email: string; accessToken: string; refreshToken: string }> {
  accounts++;
  const email = `revoked${accounts}.${process.pid}@example.com`;
  const response = await call<{ register: Auth }>(
    instance,
    `mutation($input: RegisterInput!) { register(input: $input) { ${authFields} } }`,
    null,
    { input: { email, username: `revoked_${process.pid}_${accounts}`, name: "Rev", password: PASSWORD } },
  );
  const result = response.data?.register;
  expect(result?.userErrors, JSON.stringify(response.errors)).toEqual([]);
  return { email, accessToken: result?.accessToken as string, refreshToken: result?.refreshToken as string };
}

async function login(instance: Instance, email: string, password = PASSWORD): Promise<string> {
  const response = await call<{ login: Auth }>(
    instance,
    `mutation($input: LoginInput!) { login(input: $input) { ${authFields} } }`,
    null,
    { input: { email, password } },
  );
  expect(response.data?.login.userErrors).toEqual([]);
  return response.data?.login.accessToken as string;
}

async function mutateOk(instance: Instance, document: string, token: string | null, input?: unknown) {
  const response = await call(instance, document, token, input === undefined ? undefined : { input });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const [payload] = Object.values(response.data ?? {}) as { userErrors: unknown[] }[];
  expect(payload?.userErrors).toEqual([]);
  return payload as Record<string, unknown>;
}

for (const backend of backends) {
  describe.skipIf(backend.skip)(`session revocation on one instance (${backend.name})`, () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway(backend.kind, { seedScale: 0.02 });
    });
    afterAll(() => gw?.close());

    it("logout refuses that session's access token at once, with 401, and only that session's", async () => {
      const account = await register(gw.gateway);
      const other = await login(gw.gateway, account.email);
      expect(await meWith(gw.gateway, account.accessToken)).toBe("ok");
      await mutateOk(gw.gateway, "mutation { logout { revokedSessions userErrors { code } } }", account.accessToken);
      expect(await meWith(gw.gateway, account.accessToken)).toBe("401 UNAUTHENTICATED");
      expect(await meWith(gw.gateway, other)).toBe("ok");
      expect(gw.logs.some((line) => line.reason === "session revoked")).toBe(true);
    });

    it("logoutAll refuses every session's token", async () => {
      const account = await register(gw.gateway);
      const phone = await login(gw.gateway, account.email);
      await mutateOk(gw.gateway, "mutation { logoutAll { revokedSessions userErrors { code } } }", phone);
      expect(await meWith(gw.gateway, account.accessToken)).toBe("401 UNAUTHENTICATED");
      expect(await meWith(gw.gateway, phone)).toBe("401 UNAUTHENTICATED");
    });

    it("changePassword refuses the other devices' tokens and keeps this one", async () => {
      const account = await register(gw.gateway);
      const phone = await login(gw.gateway, account.email);
      await mutateOk(
        gw.gateway,
        "mutation($input: ChangePasswordInput!) { changePassword(input: $input) { success userErrors { code } } }",
        phone,
        { currentPassword: PASSWORD, newPassword: "marmalade-glacier-2291" },
      );
      expect(await meWith(gw.gateway, account.accessToken)).toBe("401 UNAUTHENTICATED");
      expect(await meWith(gw.gateway, phone)).toBe("ok");
    });

    it("resetPassword refuses every token of the account", async () => {
      const account = await register(gw.gateway);
      // Reset links go only to verified addresses (tests/integration/identity.test.ts verifies through the API).
      await gw.db.prisma.user.update({ where: { email: account.email }, data: { emailVerified: true } });
      await mutateOk(
        gw.gateway,
        "mutation($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { success userErrors { code } } }",
        null,
        { email: account.email },
      );
      let resetToken: string | undefined;
      await vi.waitFor(
        async () => {
          const mail = await gw.db.prisma.emailOutbox.findFirst({
            where: { to: account.email, kind: "password-reset" },
          });
          resetToken = mail?.body.match(/token=([A-Za-z0-9_-]+)/)?.[1];
          expect(resetToken).toBeTruthy();
        },
        { timeout: 5_000, interval: 20 },
      );
      await mutateOk(
        gw.gateway,
        "mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { success userErrors { code } } }",
        null,
        { token: resetToken, newPassword: "marmalade-glacier-2291" },
      );
      expect(await meWith(gw.gateway, account.accessToken)).toBe("401 UNAUTHENTICATED");
    });

    it("a deleted account's token is refused on every operation at once, and leaves no new content", async () => {
      const account = await register(gw.gateway);
      const token = account.accessToken;
      const address = await mutateOk(
        gw.gateway,
        "mutation($input: CreateAddressInput!) { createAddress(input: $input) { address { id } userErrors { code } } }",
        token,
        { recipient: "Rev", line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
      );
      const addressId = (address.address as { id: string }).id;
      const product = await gw.db.prisma.product.findFirstOrThrow({
        where: { status: "ACTIVE", deletedAt: null, stock: { gt: 5 } },
      });
      await mutateOk(
        gw.gateway,
        "mutation($input: DeleteMeInput!) { deleteMe(input: $input) { success userErrors { code } } }",
        token,
        { password: PASSWORD },
      );

      const attempts: [string, string, unknown][] = [
        [
          "createAddress",
          "mutation($input: CreateAddressInput!) { createAddress(input: $input) { address { id } } }",
          { recipient: "Rev", line1: "2 Main St", city: "Springfield", postalCode: "12345", country: "US" },
        ],
        [
          "createPost",
          "mutation($input: CreatePostInput!) { createPost(input: $input) { post { id } } }",
          { title: "Still here", slug: `still-here-${accounts}`, body: "Posted after deletion." },
        ],
        [
          "createReview",
          "mutation($input: CreateReviewInput!) { createReview(input: $input) { review { id } } }",
          { productId: product.id, rating: 1, body: "Reviewed after deletion." },
        ],
        [
          "placeOrder",
          "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } } }",
          { items: [{ productId: product.id, quantity: 1 }], addressId, idempotencyKey: `after-delete-${accounts}` },
        ],
        ["updateMe", "mutation($input: UpdateMeInput!) { updateMe(input: $input) { user { id } } }", { name: "Ghost" }],
        ["me", "{ me { id } }", undefined],
      ];
      const outcomes: Record<string, string> = {};
      for (const [name, document, input] of attempts) {
        const response = await call(gw.gateway, document, token, input === undefined ? undefined : { input });
        outcomes[name] = `${response.status} ${String(response.errors?.[0]?.extensions.code)}`;
      }
      expect(outcomes).toEqual(Object.fromEntries(attempts.map(([name]) => [name, "401 UNAUTHENTICATED"])));

      const user = await gw.db.prisma.user.findUniqueOrThrow({ where: { email: account.email } });
      expect(user.deletedAt).not.toBeNull();
      expect(user.name).toBe("Rev");
      const rows = await Promise.all([
        gw.db.prisma.address.count({ where: { userId: user.id } }),
        gw.db.prisma.post.count({ where: { authorId: user.id } }),
        gw.db.prisma.review.count({ where: { authorId: user.id } }),
        gw.db.prisma.order.count({ where: { userId: user.id } }),
      ]);
      expect(rows).toEqual([1, 0, 0, 0]);
    });
  });
}

// Shared Redis: two (then three) instances over one database, as a deployment runs them.
for (const backend of backends) {
  describe.skipIf(backend.skip || redisSkipReason !== undefined)(
    `session revocation across instances (${backend.name}${redisSkipReason ? `, skipped: ${redisSkipReason}` : ""})`,
    () => {
      const prefix = uniqueKeyPrefix();
      const key = signingKey();
      const env = { REDIS_URL: redisUrl ?? "", REDIS_KEY_PREFIX: prefix, JWT_PRIVATE_KEY: key };
      let a: TestGateway;
      const others: Gateway[] = [];
      /** Another instance over A's database and the same Redis and signing key. */
      const anotherInstance = async () => {
        const config = loadConfig({ NODE_ENV: "test", RATE_LIMIT_BUDGET: "1000000000", ...env });
        const gateway = await buildServer(config, {
          db: { ...a.db, close: async () => {} }, // A owns the database
          logger: pino({ level: "silent" }),
          fieldLimits: {},
        });
        others.push(gateway);
        return gateway;
      };
      beforeAll(async () => {
        a = await startTestGateway(backend.kind, { seedScale: 0.02, env });
      });
      afterAll(async () => {
        for (const gateway of others) await gateway.close();
        await a?.close();
        if (redisUrl) await deleteKeys(redisUrl, prefix);
      });

      it("a logout on one instance refuses the token on another within a second", async () => {
        const b = await anotherInstance();
        const account = await register(a.gateway);
        expect(await meWith(b, account.accessToken)).toBe("ok");

        await mutateOk(a.gateway, "mutation { logout { revokedSessions userErrors { code } } }", account.accessToken);
        expect(await meWith(a.gateway, account.accessToken)).toBe("401 UNAUTHENTICATED");
        await vi.waitFor(async () => expect(await meWith(b, account.accessToken)).toBe("401 UNAUTHENTICATED"), {
          timeout: 1_000,
          interval: 10,
        });
      });

      it("an account deleted on one instance is refused by the other within a second", async () => {
        const b = await anotherInstance();
        const account = await register(b);
        const second = await login(b, account.email);
        await mutateOk(
          a.gateway,
          "mutation($input: DeleteMeInput!) { deleteMe(input: $input) { success userErrors { code } } }",
          account.accessToken,
          { password: PASSWORD },
        );
        await vi.waitFor(
          async () =>
            expect([await meWith(b, account.accessToken), await meWith(b, second)]).toEqual([
              "401 UNAUTHENTICATED",
              "401 UNAUTHENTICATED",
            ]),
          { timeout: 1_000, interval: 10 },
        );
      });

      it("an instance started after the logout loads the revoked set before serving", async () => {
        const account = await register(a.gateway);
        await mutateOk(a.gateway, "mutation { logout { revokedSessions userErrors { code } } }", account.accessToken);
        const c = await anotherInstance();
        expect(c.revocations.size).toBeGreaterThan(0);
        expect(await meWith(c, account.accessToken)).toBe("401 UNAUTHENTICATED");
      });
    },
  );
}

describe.skipIf(redisServerSkipReason !== undefined)(
  `session revocation while Redis is away${redisServerSkipReason ? ` (skipped: ${redisServerSkipReason})` : ""}`,
  () => {
    it("a logout during the outage reaches the other instance once Redis is back (documented fail-open)", async () => {
      const redis = await startOwnRedis();
      const env = { REDIS_URL: redis.url, JWT_PRIVATE_KEY: signingKey(), REDIS_CONNECT_TIMEOUT_MS: "500" };
      const a = await startTestGateway("pglite", { seedScale: 0.02, env });
      const config = loadConfig({ NODE_ENV: "test", RATE_LIMIT_BUDGET: "1000000000", ...env });
      const b = await buildServer(config, {
        db: { ...a.db, close: async () => {} },
        logger: pino({ level: "silent" }),
        fieldLimits: {},
      });
      try {
        const account = await register(a.gateway);
        await redis.kill();
        await vi.waitFor(() => expect(a.gateway.redis?.isReady()).toBe(false), { timeout: 5_000 });

        await mutateOk(a.gateway, "mutation { logout { revokedSessions userErrors { code } } }", account.accessToken);
        expect(await meWith(a.gateway, account.accessToken)).toBe("401 UNAUTHENTICATED");
        // B cannot hear of it while Redis is down: the check fails open (README, "When Redis is away").
        expect(await meWith(b, account.accessToken)).toBe("ok");

        // An empty Redis comes back (nothing was saved): A writes back what it could not send, B re-syncs.
        await redis.start();
        await vi.waitFor(async () => expect(await meWith(b, account.accessToken)).toBe("401 UNAUTHENTICATED"), {
          timeout: 10_000,
          interval: 50,
        });
      } finally {
        await b.close();
        await a.close();
        await redis.kill();
      }
    }, 30_000);
  },
);
