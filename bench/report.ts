// Turns measurements into the printed tables: one row per scenario, server and round, the ratios of each
// server to the reference per round, and medians over the rounds.
import { passwordHashOptions } from "../src/platform/auth/passwords.js";
import { percentile, type Segment } from "./load.js";
import type { IdealLoginRate } from "./login.js";
import { ticksToMs } from "./proc.js";

export type Measurement = Readonly<{
  scenario: string;
  server: string;
  round: number;
  segment: Segment;
  /** Counted on one request sent alone before any load. */
  statementsPerRequest: number;
}>;

export type Figures = {
  reqPerSecond: number;
  p50: number;
  p99: number;
  nodeCpuMs: number;
  postgresCpuMs: number;
  statements: number;
  rssMiB: number;
  failed: number;
};

export function figures(m: Measurement): Figures {
  const { segment } = m;
  const perRequest = (ticks: number) => (segment.responses > 0 ? ticksToMs(ticks) / segment.responses : Number.NaN);
  return {
    reqPerSecond: segment.responses / segment.seconds,
    p50: percentile(segment.latenciesMs, 0.5),
    p99: percentile(segment.latenciesMs, 0.99),
    nodeCpuMs: perRequest(segment.serverTicks),
    postgresCpuMs: perRequest(segment.postgresTicks),
    statements: m.statementsPerRequest,
    rssMiB: segment.rssMiB,
    failed: segment.failures,
  };
}

export const median = (values: number[]) => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

export const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

function figureCells(f: Figures): Record<string, string> {
  return {
    "req/s": fixed(f.reqPerSecond, 0),
    "p50 ms": fixed(f.p50, 1),
    "p99 ms": fixed(f.p99, 1),
    "Node CPU ms/req": fixed(f.nodeCpuMs, 2),
    "PG CPU ms/req": fixed(f.postgresCpuMs, 2),
    "SQL/req": fixed(f.statements, 0),
    "RSS MiB": fixed(f.rssMiB, 0),
    failed: String(f.failed),
  };
}

/** A plain aligned table: numbers right, text left. */
export function printTable(rows: Record<string, string>[]): void {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((row) => (row[c] ?? "").length)));
  const numeric = columns.map((c) => rows.every((row) => /^[-\d.x]*$/.test(row[c] ?? "")));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  console.log(line(columns));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => row[c] ?? "")));
}

export function printRound(measurements: Measurement[]): void {
  printTable(
    measurements.map((m) => ({
      scenario: m.scenario,
      server: m.server,
      round: String(m.round),
      ...figureCells(figures(m)),
    })),
  );
}

export type Ratio = {
  scenario: string;
  server: string;
  round: number;
  reqPerSecond: number;
  p99: number;
  nodeCpuMs: number;
};

/** Each server against the reference, per scenario and round. */
export function ratios(measurements: Measurement[], reference: string): Ratio[] {
  const result: Ratio[] = [];
  for (const m of measurements) {
    if (m.server === reference) continue;
    const base = measurements.find((r) => r.server === reference && r.scenario === m.scenario && r.round === m.round);
    if (!base) continue;
    const [mine, theirs] = [figures(m), figures(base)];
    result.push({
      scenario: m.scenario,
      server: m.server,
      round: m.round,
      reqPerSecond: mine.reqPerSecond / theirs.reqPerSecond,
      p99: mine.p99 / theirs.p99,
      nodeCpuMs: mine.nodeCpuMs / theirs.nodeCpuMs,
    });
  }
  return result;
}

export function printRatios(rows: Ratio[], reference: string): void {
  printTable(
    rows.map((r) => ({
      scenario: r.scenario,
      [`server / ${reference}`]: r.server,
      round: String(r.round),
      "req/s": `${fixed(r.reqPerSecond, 2)}x`,
      p99: `${fixed(r.p99, 2)}x`,
      "Node CPU/req": `${fixed(r.nodeCpuMs, 2)}x`,
    })),
  );
}

const distinct = <T>(values: T[]) => [...new Set(values)];

/** Medians over rounds, per scenario and server, then of the ratios. */
export function printSummary(measurements: Measurement[], allRatios: Ratio[], reference: string): void {
  const rows: Record<string, string>[] = [];
  for (const scenario of distinct(measurements.map((m) => m.scenario))) {
    const ofScenario = measurements.filter((m) => m.scenario === scenario);
    for (const server of distinct(ofScenario.map((m) => m.server))) {
      const all = ofScenario.filter((m) => m.server === server).map(figures);
      const med = (pick: (f: Figures) => number) => median(all.map(pick));
      const cells = figureCells({
        reqPerSecond: med((f) => f.reqPerSecond),
        p50: med((f) => f.p50),
        p99: med((f) => f.p99),
        nodeCpuMs: med((f) => f.nodeCpuMs),
        postgresCpuMs: med((f) => f.postgresCpuMs),
        statements: med((f) => f.statements),
        rssMiB: med((f) => f.rssMiB),
        failed: all.reduce((total, f) => total + f.failed, 0),
      });
      rows.push({ scenario, server, rounds: String(all.length), ...cells });
    }
  }
  printTable(rows);
  const ratioRows: Record<string, string>[] = [];
  for (const scenario of distinct(allRatios.map((r) => r.scenario))) {
    for (const server of distinct(allRatios.filter((r) => r.scenario === scenario).map((r) => r.server))) {
      const mine = allRatios.filter((r) => r.scenario === scenario && r.server === server);
      ratioRows.push({
        scenario,
        [`server / ${reference}`]: server,
        "req/s": `${fixed(median(mine.map((r) => r.reqPerSecond)), 2)}x`,
        p99: `${fixed(median(mine.map((r) => r.p99)), 2)}x`,
        "Node CPU/req": `${fixed(median(mine.map((r) => r.nodeCpuMs)), 2)}x`,
      });
    }
  }
  if (ratioRows.length > 0) {
    console.log("");
    printTable(ratioRows);
  }
}

export function printIdeal(ideal: IdealLoginRate) {
  console.log(
    `argon2id verify (m=${passwordHashOptions.memoryCost} KiB, t=${passwordHashOptions.timeCost}, ` +
      `p=${passwordHashOptions.parallelism}): ${fixed(ideal.verifyMs, 1)} ms median; ideal login rate ` +
      `${ideal.cores} cores × 1000 / ${fixed(ideal.verifyMs, 1)} = ${fixed(ideal.loginsPerSecond, 0)} logins/s`,
  );
}

export function printLogins(rows: { round: number; loginsPerSecond: number; ideal: IdealLoginRate }[]) {
  printTable(
    rows.map((row) => ({
      login: `round ${row.round}`,
      "logins/s": fixed(row.loginsPerSecond, 1),
      "verify ms": fixed(row.ideal.verifyMs, 1),
      cores: String(row.ideal.cores),
      "ideal/s": fixed(row.ideal.loginsPerSecond, 1),
      "ratio (≥ 0.80)": fixed(row.loginsPerSecond / row.ideal.loginsPerSecond, 2),
    })),
  );
}
