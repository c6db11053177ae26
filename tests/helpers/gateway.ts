// A whole gateway over a real, migrated and seeded database, driven through HTTP with Fastify's inject
// (no port). One per test file and backend: seeding is the slow part.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { loadConfig } from "../../src/config/index.js";
import type { Role } from "../../src/generated/prisma/client.js";
import { loggerOptions } from "../../src/platform/logger/index.js";
import { seedDatabase } from "../../src/seed/index.js";
import { buildServer, type Gateway, type ServerDeps } from "../../src/server.js";
import { type BackendKind, createTestDatabase, type TestDatabase } from "./database.js";

export type GraphQLResponse<Data = Record<string, unknown>> = {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions: Record<string, unknown> }[];
  /** `cost` (the operation's price and the caller's budget) is always there. */
  extensions?: Record<string, unknown>;
};

export type RequestOptions = {
  variables?: Record<string, unknown>;
  /** Sent as a bearer token; minted with the gateway's own key. */
  as?: { id: string; role: Role };
  headers?: Record<string, string>;
  /** The client address the request comes from (default 127.0.0.1). */
  remoteAddress?: string;
};

export type TestGateway = {
  gateway: Gateway;
  db: TestDatabase;
  /** Every line the gateway logged, parsed. */
  logs: Record<string, unknown>[];
  graphql<Data = Record<string, unknown>>(query: string, options?: RequestOptions): Promise<GraphQLResponse<Data>>;
  tokenFor(user: { id: string; role: Role }): Promise<string>;
  /** Seeded accounts (see src/seed/index.ts). */
  users: Record<"admin" | "alice" | "bob", { id: string; role: Role }>;
  close(): Promise<void>;
};

export async function startTestGateway(
  kind: BackendKind,
  options: {
    seedScale?: number;
    env?: Record<string, string>;
    /** pg pool size on postgres (default 5): concurrency tests need one connection per transaction in flight. */
    poolSize?: number;
    /** postgres: see createTestDatabase. */
    poolTimeoutMs?: number;
    serverUrl?: string;
    /** postgres: a streaming replica of `serverUrl` (see createTestDatabase). */
    replicaServerUrl?: string;
    /** More for buildServer, e.g. `fieldLimits` (off by default here) for tests of the limits themselves. */
    serverDeps?: Partial<Omit<ServerDeps, "db" | "logger">>;
  } = {},
): Promise<TestGateway> {
  const db = await createTestDatabase(kind, {
    poolSize: options.poolSize,
    poolTimeoutMs: options.poolTimeoutMs,
    serverUrl: options.serverUrl,
    replicaServerUrl: options.replicaServerUrl,
  });
  await seedDatabase(db.prisma, { scale: options.seedScale ?? 0.05 });

  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino(loggerOptions("info"), sink);
  // Budgets and field limits would trip suites that make hundreds of calls from one address; the limit
  // suites (tests/integration/{cost,field-limits,…}.test.ts) set their own via `env` and `serverDeps`.
  // The response cache would answer the statement-counting suites' repeated queries with no SQL at all;
  // its own suite (tests/integration/response-cache.test.ts) turns it on.
  const config = loadConfig({
    NODE_ENV: "test",
    RATE_LIMIT_BUDGET: "1000000000",
    RATE_LIMIT_RESTORE_RATE: "1000000000",
    RESPONSE_CACHE: "false",
    ...options.env,
  });
  const gateway = await buildServer(config, { fieldLimits: {}, ...options.serverDeps, db, logger });

  const seeded = await db.prisma.user.findMany({
    where: { username: { in: ["admin", "alice", "bob"] } },
    select: { id: true, role: true, username: true },
  });
  const user = (username: string) => {
    const found = seeded.find((u) => u.username === username);
    if (!found) throw new Error(`seed has no user ${username}`);
    return { id: found.id, role: found.role };
  };

  return {
    gateway,
    db,
    logs,
    users: { admin: user("admin"), alice: user("alice"), bob: user("bob") },
    // Every access token names a session; these name one that exists only in the token (the revocation
    // check needs no session row), which is enough for tests that do not exercise sign-in itself.
    tokenFor: async (viewer) => (await gateway.tokens.sign({ ...viewer, sessionId: randomUUID() })).token,
    async graphql(query, { variables, as, headers = {}, remoteAddress } = {}) {
      const token = as ? (await gateway.tokens.sign({ ...as, sessionId: randomUUID() })).token : undefined;
      const authorization = token ? { authorization: `Bearer ${token}` } : {};
      const response = await gateway.app.inject({
        method: "POST",
        url: "/graphql",
        headers: { "content-type": "application/json", ...authorization, ...headers },
        payload: JSON.stringify({ query, variables }),
        ...(remoteAddress ? { remoteAddress } : {}),
      });
      return { status: response.statusCode, headers: response.headers, ...response.json() };
    },
    close: () => gateway.close(),
  };
}
