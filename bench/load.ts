// One segment of load from this process with autocannon, with the server's CPU, PostgreSQL's CPU and
// every response time recorded, so segments of the same server can be pooled exactly.
import { setTimeout } from "node:timers/promises";
import autocannon from "autocannon";
import { cpuTicks, postgresSnapshot, postgresTicksBetween, rssMiB } from "./proc.js";
import type { ServerProcess } from "./servers.js";

const SETTLE_MS = 500;

export type Request = Readonly<{
  body: string;
  /** Whether a response body is what it should be (a GraphQL error comes with status 200). */
  verify: (body: string) => boolean;
}>;

export type Segment = {
  seconds: number;
  /** Completed responses, whatever their status. */
  responses: number;
  latenciesMs: number[];
  /** Connection errors and timeouts, non-2xx responses, and bodies that failed `verify`. */
  failures: number;
  serverTicks: number;
  postgresTicks: number;
  rssMiB: number;
};

export async function loadSegment(
  server: ServerProcess,
  request: Request,
  /** `database`: count the CPU of the PostgreSQL backends serving it (undefined: not measurable here). */
  options: { connections: number; seconds: number; database: string | undefined },
): Promise<Segment> {
  const latenciesMs: number[] = [];
  const serverBefore = cpuTicks(server.pid);
  const { database } = options;
  const postgresBefore = database ? postgresSnapshot(database) : undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: server.graphqlUrl,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: request.body,
        connections: options.connections,
        duration: options.seconds,
        verifyBody: (body) => request.verify(String(body)),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latenciesMs.push(responseTime));
  });
  const serverTicks = cpuTicks(server.pid) - serverBefore;
  const postgresTicks =
    database && postgresBefore ? postgresTicksBetween(postgresBefore, postgresSnapshot(database)) : Number.NaN;
  const rss = rssMiB(server.pid);
  // autocannon stops at the deadline with a request in flight on every connection; the servers finish
  // those after the readings above (so about half their work counts, against no response: keep
  // segments long), and must be done before the next segment or a shutdown starts.
  await setTimeout(SETTLE_MS);
  return {
    seconds: options.seconds,
    responses: latenciesMs.length,
    latenciesMs,
    failures: result.errors + result.timeouts + result.non2xx + result.mismatches,
    serverTicks,
    postgresTicks,
    rssMiB: rss,
  };
}

/** Several segments of one server as one measurement. */
export function pool(segments: Segment[]): Segment {
  return {
    seconds: sum(segments, (s) => s.seconds),
    responses: sum(segments, (s) => s.responses),
    latenciesMs: segments.flatMap((s) => s.latenciesMs),
    failures: sum(segments, (s) => s.failures),
    serverTicks: sum(segments, (s) => s.serverTicks),
    postgresTicks: sum(segments, (s) => s.postgresTicks),
    // After the last segment.
    rssMiB: segments.at(-1)?.rssMiB ?? Number.NaN,
  };
}

const sum = <T>(items: T[], pick: (item: T) => number) => items.reduce((total, item) => total + pick(item), 0);

/** The response time below which `fraction` of them fall (nearest rank). */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}
