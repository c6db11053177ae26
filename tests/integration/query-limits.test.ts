// Limits on what one request may ask for: depth, aliases, directives, tokens, body size, batching, and
// the execution deadline. All refusals happen before any SQL. PGlite only: the database does not matter.
import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import { seedDatabase } from "../../src/seed/index.js";
import { buildServer, type Gateway } from "../../src/server.js";
import { createTestDatabase, type TestDatabase } from "../helpers/database.js";
import { type GraphQLResponse, startTestGateway, type TestGateway } from "../helpers/gateway.js";

/** `{ categories { children { children … { name } } } }` nested `levels` deep. */
const deep = (levels: number) => `{ categories { ${"children { ".repeat(levels - 2)}name${" }".repeat(levels - 2)} } }`;
const aliases = (count: number) =>
  `{ ${Array.from({ length: count }, (_, i) => `c${i}: categories { name }`).join(" ")} }`;
const directives = (count: number) => `{ categories { ${"... @include(if: true) { name } ".repeat(count)}} }`;

const productionKey = () =>
  generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();

describe("query limits (development messages)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", { seedScale: 0.02 });
  });
  afterAll(() => gw?.close());

  const refused = async (query: string) => {
    gw.db.statements.reset();
    const response = await gw.graphql(query);
    expect(gw.db.statements.count).toBe(0);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions.code).toBe("QUERY_TOO_COMPLEX");
    return response.errors?.[0]?.message;
  };

  it("allows depth 10 and refuses 11, counting through fragments", async () => {
    expect((await gw.graphql(deep(10))).errors).toBeUndefined();
    expect(await refused(deep(11))).toBe("Query depth limit of 10 exceeded, found 11.");
    // The same depth hidden in fragments (each spread is inlined, not a level of its own).
    const viaFragments = `{ categories { ...A } }
      fragment A on Category { children { ...B } }
      fragment B on Category { children { children { children { ...C } } } }
      fragment C on Category { children { children { children { children { children { name } } } } } }`;
    expect(await refused(viaFragments)).toMatch(/depth limit of 10 exceeded/);
  });

  it("refuses more than 20 aliases and more than 20 directives", async () => {
    expect((await gw.graphql(aliases(20))).errors).toBeUndefined();
    expect(await refused(aliases(21))).toMatch(/Aliases limit of 20 exceeded/i);
    expect((await gw.graphql(directives(20))).errors).toBeUndefined();
    expect(await refused(directives(21))).toMatch(/Directives limit of 20 exceeded/i);
  });

  it("stops parsing a document of more than 2000 tokens", async () => {
    const long = `{ categories { ${"name ".repeat(2_000)} } }`;
    expect(await refused(long)).toMatch(/more that 2000 tokens/);
  });

  it("refuses a body over the size limit with 413 before parsing it", async () => {
    const response = await gw.gateway.app.inject({
      method: "POST",
      url: "/graphql",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ query: `{ categories { name } } # ${"x".repeat(110 * 1024)}` }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      errors: [
        {
          message: "The request body is larger than this server accepts.",
          extensions: { code: "PAYLOAD_TOO_LARGE", requestId: expect.any(String) },
        },
      ],
    });
  });

  it("refuses batched HTTP requests (one operation per request)", async () => {
    const response = await gw.gateway.app.inject({
      method: "POST",
      url: "/graphql",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify([{ query: "{ categories { name } }" }, { query: "{ categories { name } }" }]),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].extensions.code).toBe("BAD_REQUEST");
  });
});

describe("query limits in production (thresholds not revealed)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", {
      seedScale: 0.02,
      env: { NODE_ENV: "production", JWT_PRIVATE_KEY: productionKey(), DATABASE_URL: "postgresql://db.invalid/unused" },
    });
  });
  afterAll(() => gw?.close());

  it.each([
    ["depth", deep(11), "The query is nested too deeply. Flatten it or split it into several queries."],
    ["aliases", aliases(21), "The query uses too many aliases. Split it into several queries."],
    ["directives", directives(21), "The query uses too many directives."],
    [
      "tokens",
      `{ categories { ${"name ".repeat(2_000)} } }`,
      "The document is too large. Split it into several queries.",
    ],
  ])("refuses too many %s with a message that names no number", async (_kind, query, message) => {
    const response = await gw.graphql(query);
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      expect.objectContaining({ message, extensions: { code: "QUERY_TOO_COMPLEX", requestId: expect.any(String) } }),
    ]);
    expect(response.errors?.[0]?.message).not.toMatch(/\d/);
  });
});

describe("execution deadline", () => {
  let db: TestDatabase;
  let gateway: Gateway;
  beforeAll(async () => {
    db = await createTestDatabase("pglite");
    await seedDatabase(db.prisma, { scale: 0.02 });
    // Every statement takes 300 ms: the nested query's four levels need 1.2 s through the loaders (the
    // planner, off here, would read them in one statement: the guard is for the levels it leaves to them).
    const slow = db.prisma.$extends({
      query: {
        async $allOperations({ args, query }) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return query(args);
        },
      },
    }) as unknown as PrismaClient;
    const config = loadConfig({ NODE_ENV: "test", REQUEST_TIMEOUT_MS: "500", QUERY_PLANNER: "false" });
    gateway = await buildServer(config, { db: { ...db, prisma: slow }, logger: pino({ level: "silent" }) });
  });
  afterAll(async () => {
    await gateway?.close();
    await db?.close();
  });

  it("answers TIMEOUT (503) at the deadline and starts no further statements", async () => {
    const nested = `{ products(first: 5) {
      edges { node { name category { name } reviews(first: 2) { edges { node { rating author { name } } } } } }
    } }`;
    db.statements.reset();
    const started = performance.now();
    const response = await gateway.app.inject({
      method: "POST",
      url: "/graphql",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ query: nested }),
    });
    const elapsed = performance.now() - started;
    expect(response.statusCode).toBe(503);
    expect((response.json() as GraphQLResponse).errors?.[0]?.extensions).toEqual({
      code: "TIMEOUT",
      requestId: expect.any(String),
    });
    expect(elapsed).toBeLessThan(800);
    // Let the abandoned execution run out: past the deadline, the authors are never fetched.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(db.statements.statements.some((sql) => sql.includes('"users"'))).toBe(false);
    expect(db.statements.count).toBeLessThan(4);
  });
});
