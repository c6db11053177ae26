// npm run bench — the project's performance yardstick: the gateway against a hand-written reference
// server (reference-server.ts: node:http + pg, 4 prepared statements, no GraphQL library) on the same
// seeded PostgreSQL database, in one run (the machine's speed drifts between runs, so only figures from
// the same run compare). Each server is its own Node process (started here, reporting over IPC), so its
// CPU time and memory are read from /proc; load comes from this process (autocannon).
//
// Scenarios, each after a warm-up, in BENCH_ROUNDS rounds; within a round every server gets
// BENCH_SECONDS per scenario, split in two halves run in mirrored order (gateway, reference, reference,
// gateway) so a drift in the machine's speed hits all alike:
//   nested      the nested products query (20 products → category, 5 reviews each → author), 10 connections
//   __typename  `{ __typename }`: the fixed cost of a request, 10 connections
//   login       successful logins at 4 connections (gateway without field limits), next to the "ideal"
//               rate: cores × 1000 / (median argon2id verify ms, timed in this process while the servers
//               idle, with the project's parameters); the target is a ratio ≥ 0.8
//   memory      with BENCH_SOAK_SECONDS: the gateway's RSS each second at 10 connections, then at 32; with
//               BENCH_DIST=1 the production build's as well (its modules from dist/, in a process that
//               still loads tsx for this harness)
//
// Columns, per scenario, server and round (summary: medians over the rounds):
//   req/s            responses per second
//   p50 ms, p99 ms   response time percentiles over every response of the round (both halves)
//   Node CPU ms/req  user + system CPU time of the server's process (/proc/<pid>/stat) ÷ responses
//   PG CPU ms/req    CPU time of the PostgreSQL backends serving the bench database (found by their
//                    process titles in /proc) ÷ responses. Valid only with the server on this machine;
//                    other databases' clients do not count, server-wide work (WAL writer, checkpointer,
//                    autovacuum) is left out; "-": no local backend found (a remote server, or
//                    update_process_title off). 0 for __typename: it sends no SQL
//   SQL/req          statements one request costs, counted on a request sent alone before the load
//                    (the gateway counts through openDatabase's onQuery; the reference counts its own)
//   RSS MiB          the server's resident memory after its segments
//   failed           connection errors, timeouts, non-2xx and bodies that differ from the probe's answer
//                    (a failed request can count twice); any makes the exit code 1
// then each server ÷ the reference per round (req/s, p99, Node CPU/req: the gateway's overhead).
//
//   BENCH_DATABASE_URL    a PostgreSQL server (required: without it only the ideal login rate is printed);
//                         the seeded database gw_bench_s<scale>_<hash of migrations and seed> is kept there
//                         and reused while complete
//   BENCH_SEED_SCALE      seed size (default 5: ~15 000 products, ~150 000 reviews; seeding takes minutes)
//   BENCH_RESEED=1        seed that database afresh
//   BENCH_ROUNDS          rounds (default 3)
//   BENCH_SECONDS         seconds per server, scenario and round (default 10)
//   BENCH_WARMUP_SECONDS  warm-up per server and scenario before the first round (default 3)
//   BENCH_SOAK_SECONDS    run the memory scenario this long (default 0: off)
//   BENCH_UNPROTECTED=1   also measure the gateway built without its protection stack
//   BENCH_LOADERS=1       also measure the gateway with QUERY_PLANNER=false (relations through the loaders)
//   BENCH_GRAPHQL_JS=1    also measure the gateway with COMPILED_EXECUTION=false (graphql-js's execute)
//   BENCH_DIST=1          also measure the gateway from the production build (runs `npm run build` first):
//                         the others run the sources through tsx, as `npm start` does
//   BENCH_REDIS_URL       gateways keep their budgets in this Redis instead of in their process
import { execFileSync } from "node:child_process";
import { deleteSessionsSince, seededDatabase } from "./database.js";
import type { GatewayMode } from "./gateway-process.js";
import { loadSegment, pool, type Request, type Segment } from "./load.js";
import { type IdealLoginRate, idealLoginRate, loginConnections, loginTimings, successfulLogin } from "./login.js";
import { postgresSnapshot, ticksPerSecond } from "./proc.js";
import {
  fixed,
  type Measurement,
  median,
  printIdeal,
  printLogins,
  printRatios,
  printRound,
  printSummary,
  ratios,
} from "./report.js";
import { nestedScenario, probe, type Scenario, statementsOf, typenameScenario } from "./scenarios.js";
import { type ServerProcess, startGateway, startReference } from "./servers.js";
import { settings } from "./settings.js";
import { soak } from "./soak.js";

const log = (line: string) => console.log(line);

if (!settings.databaseUrl) {
  log(
    "BENCH_DATABASE_URL is not set: the server scenarios need a PostgreSQL server (and read its CPU time),\n" +
      "so only the ideal login rate is measured. Run e.g.\n" +
      "  BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench\n",
  );
  printIdeal(await idealLoginRate());
  process.exit(0);
}

const started = new Date(Date.now() - 1_000);
const database = await seededDatabase(settings.databaseUrl, {
  scale: settings.seedScale,
  reseed: settings.reseed,
  log,
});
log(`database ${database.name} (${database.reused ? "reused" : "seeded now"})`);

if (settings.dist) {
  log("npm run build (BENCH_DIST=1)");
  execFileSync("npm", ["run", "build"], { stdio: "inherit" });
}

const servers: ServerProcess[] = [];
const start = async (starting: Promise<ServerProcess>) => {
  const server = await starting;
  servers.push(server);
  return server;
};
let exitCode = 0;
try {
  const gateway = await start(startGateway("gateway", database.url, "protected"));
  // The gateway's variants the settings ask for, each measured next to it.
  const variants: [boolean, string, GatewayMode][] = [
    [settings.unprotected, "gateway, no protection", "unprotected"],
    [settings.loaders, "gateway, planner off", "loaders"],
    [settings.graphqlJs, "gateway, graphql-js execute", "graphql-js"],
    [settings.dist, "gateway, production build", "dist"],
  ];
  const measured: ServerProcess[] = [];
  let productionBuild: ServerProcess | undefined;
  for (const [wanted, name, mode] of variants) {
    if (!wanted) continue;
    const server = await start(startGateway(name, database.url, mode));
    measured.push(server);
    if (mode === "dist") productionBuild = server;
  }
  const reference = await start(startReference(database.url));
  const loginGateway = await start(startGateway("gateway (login)", database.url, "login"));
  const compared = [gateway, ...measured, reference];

  const scenarios: { scenario: Scenario; probes: Awaited<ReturnType<typeof probe>> }[] = [];
  for (const scenario of [nestedScenario, typenameScenario]) {
    scenarios.push({ scenario, probes: await probe(scenario, compared) });
  }
  log("every server answers the nested and __typename queries alike");
  // The probes left the servers' pools connected: their backends must show up by their process titles.
  const pgDatabase = postgresSnapshot(database.name).size > 0 ? database.name : undefined;
  if (!pgDatabase) {
    log(
      `no local PostgreSQL backend serves ${database.name} (a remote server, or update_process_title off): no PG CPU`,
    );
  }
  const loginStatements = await statementsOf(loginGateway, successfulLogin);

  log(`warming up (${settings.warmupSeconds} s per server and scenario)`);
  for (const { scenario, probes } of scenarios) {
    for (const [server, { request }] of probes) {
      await loadSegment(server, request, {
        connections: scenario.connections,
        seconds: settings.warmupSeconds,
        database: pgDatabase,
      });
    }
  }
  await loadSegment(loginGateway, successfulLogin, {
    connections: loginConnections,
    seconds: settings.warmupSeconds,
    database: pgDatabase,
  });
  const timings = await loginTimings(loginGateway.graphqlUrl);

  log(
    `\n${settings.rounds} rounds, ${settings.seconds} s per server and scenario in each; seed scale ${settings.seedScale}; ` +
      `CLK_TCK ${ticksPerSecond}. PG CPU counts the local PostgreSQL backends serving ${database.name}.`,
  );
  const measurements: Measurement[] = [];
  const logins: { round: number; loginsPerSecond: number; ideal: IdealLoginRate; segment: Segment }[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    const ofRound: Measurement[] = [];
    for (const { scenario, probes } of scenarios) {
      const halves = new Map<ServerProcess, Segment[]>(compared.map((server) => [server, []]));
      for (const server of [...compared, ...[...compared].reverse()]) {
        const { request } = probes.get(server) as { request: Request };
        const segment = await loadSegment(server, request, {
          connections: scenario.connections,
          seconds: settings.seconds / 2,
          database: pgDatabase,
        });
        halves.get(server)?.push(segment);
      }
      for (const server of compared) {
        ofRound.push({
          scenario: scenario.name,
          server: server.name,
          round,
          segment: pool(halves.get(server) ?? []),
          statementsPerRequest: probes.get(server)?.statementsPerRequest ?? Number.NaN,
        });
      }
    }
    const ideal = await idealLoginRate();
    const segment = await loadSegment(loginGateway, successfulLogin, {
      connections: loginConnections,
      seconds: settings.seconds,
      database: pgDatabase,
    });
    ofRound.push({
      scenario: "login",
      server: loginGateway.name,
      round,
      segment,
      statementsPerRequest: loginStatements,
    });
    logins.push({ round, loginsPerSecond: segment.responses / segment.seconds, ideal, segment });

    log(`\nround ${round}`);
    printRound(ofRound);
    log("");
    printRatios(ratios(ofRound, reference.name), reference.name);
    log("");
    printLogins(logins.slice(-1));
    measurements.push(...ofRound);
  }

  log(`\nsummary: medians over ${settings.rounds} round(s)`);
  printSummary(measurements, ratios(measurements, reference.name), reference.name);
  log("");
  printLogins(logins);
  const loginRatios = logins.map((l) => l.loginsPerSecond / l.ideal.loginsPerSecond);
  log(
    `login: median ${fixed(median(loginRatios), 2)} of the ideal rate (target ≥ 0.80); single logins, median: failed ` +
      `with a known e-mail ${fixed(timings.knownMs, 1)} ms, unknown e-mail ${fixed(timings.unknownMs, 1)} ms ` +
      `(ratio ${fixed(timings.unknownMs / timings.knownMs, 2)}, 1.00 = indistinguishable), successful ${fixed(timings.successMs, 1)} ms`,
  );

  if (settings.soakSeconds > 0) {
    // The gateway as `npm start` runs it (sources through tsx) and, with BENCH_DIST=1, from dist/.
    for (const server of productionBuild ? [gateway, productionBuild] : [gateway]) {
      const nested = scenarios[0]?.probes.get(server);
      if (!nested) continue;
      log(
        `\nmemory: ${server.name} RSS, nested query, ${settings.soakSeconds} s at 10 connections then ${settings.seconds} s at 32`,
      );
      const result = await soak(server, nested.request, {
        seconds: settings.soakSeconds,
        peakSeconds: settings.seconds,
        database: pgDatabase,
      });
      log(
        `  10 connections: start ${fixed(result.startMiB, 0)} MiB, end ${fixed(result.endMiB, 0)} MiB, peak ` +
          `${fixed(result.peakMiB, 0)} MiB; 32 connections: peak ${fixed(result.peak32MiB, 0)} MiB; failed ${result.failures}`,
      );
      if (result.failures > 0) exitCode = 1;
    }
  }

  const failed = measurements.reduce((total, m) => total + m.segment.failures, 0);
  if (failed > 0) {
    console.error(`\n${failed} requests failed: the figures above are not trustworthy`);
    exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  const deleted = await deleteSessionsSince(database.url, started);
  if (deleted > 0) log(`(deleted the ${deleted} sessions the login scenario opened)`);
}
process.exitCode = exitCode;
