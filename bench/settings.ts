// The bench's environment, read once (as the app's config/ does for the server).

const number = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}: expected a non-negative number, got "${raw}"`);
  return value;
};

export const settings = Object.freeze({
  /** A PostgreSQL server; the harness keeps its seeded databases (gw_bench_s<scale>_<hash>) there. */
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
  seedScale: number("BENCH_SEED_SCALE", 5),
  reseed: process.env.BENCH_RESEED === "1",
  rounds: Math.max(1, Math.round(number("BENCH_ROUNDS", 3))),
  /** Per server, per scenario, per round (split in two interleaved halves). */
  seconds: number("BENCH_SECONDS", 10),
  warmupSeconds: number("BENCH_WARMUP_SECONDS", 3),
  /** 0: no memory soak. */
  soakSeconds: number("BENCH_SOAK_SECONDS", 0),
  /** Also measure the gateway built without its protection stack. */
  unprotected: process.env.BENCH_UNPROTECTED === "1",
  /** Also measure the gateway with the query planner off. */
  loaders: process.env.BENCH_LOADERS === "1",
  /** Also measure the gateway with compiled execution off. */
  graphqlJs: process.env.BENCH_GRAPHQL_JS === "1",
  /** Also measure the gateway from the production build (dist/). */
  dist: process.env.BENCH_DIST === "1",
  /** Budgets in this Redis instead of in the gateway process. */
  redisUrl: process.env.BENCH_REDIS_URL || undefined,
});
