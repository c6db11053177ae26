// The optional memory scenario: the gateway's RSS, sampled every second, under the nested query at 10
// connections for a while, then at 32 connections.
import { loadSegment, type Request, type Segment } from "./load.js";
import { rssMiB } from "./proc.js";
import type { ServerProcess } from "./servers.js";

export type SoakResult = { startMiB: number; endMiB: number; peakMiB: number; peak32MiB: number; failures: number };

async function sampled(
  server: ServerProcess,
  run: () => Promise<Segment>,
): Promise<{ samples: number[]; segment: Segment }> {
  const samples = [rssMiB(server.pid)];
  const timer = setInterval(() => samples.push(rssMiB(server.pid)), 1_000);
  try {
    const segment = await run();
    samples.push(rssMiB(server.pid));
    return { samples, segment };
  } finally {
    clearInterval(timer);
  }
}

export async function soak(
  server: ServerProcess,
  request: Request,
  options: { seconds: number; peakSeconds: number; database: string | undefined },
): Promise<SoakResult> {
  const long = await sampled(server, () =>
    loadSegment(server, request, { connections: 10, seconds: options.seconds, database: options.database }),
  );
  const wide = await sampled(server, () =>
    loadSegment(server, request, { connections: 32, seconds: options.peakSeconds, database: options.database }),
  );
  return {
    startMiB: long.samples[0] ?? Number.NaN,
    endMiB: long.samples.at(-1) ?? Number.NaN,
    peakMiB: Math.max(...long.samples),
    peak32MiB: Math.max(...wide.samples),
    failures: long.segment.failures + wide.segment.failures,
  };
}
