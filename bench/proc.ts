// Per-process CPU time and memory from /proc (Linux only). CPU figures are in clock ticks.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second (`getconf CLK_TCK`; 100 on Linux almost everywhere). */
export const ticksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of one process (its threads included), in ticks. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which sits in parentheses and may itself contain spaces or ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
  return Number(fields[11]) + Number(fields[12]);
}

/** Resident set size in MiB (VmRSS). */
export function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** CPU ticks per PostgreSQL backend, by pid. */
export type PostgresSnapshot = Map<number, number>;

/**
 * CPU ticks of the PostgreSQL server's processes on this machine (those named `postgres`) that serve
 * `database`: a backend's process title (its /proc cmdline) is "postgres: <user> <database> <client> …",
 * so another database's clients on the same server do not count. Server-wide processes (WAL writer,
 * checkpointer, autovacuum) are left out. Only meaningful with the server on this machine.
 */
export function postgresSnapshot(database: string): PostgresSnapshot {
  const snapshot: PostgresSnapshot = new Map();
  const title = ` ${database} `;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "postgres") continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ").includes(title)) continue;
      snapshot.set(Number(entry), cpuTicks(Number(entry)));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return snapshot;
}

/**
 * Ticks spent between two snapshots: backends present in both, plus the whole of those that started
 * in between. A backend that exited in between takes its ticks with it (a pool closes connections
 * only after they idled, so not during a segment that uses them).
 */
export function postgresTicksBetween(before: PostgresSnapshot, after: PostgresSnapshot): number {
  let total = 0;
  for (const [pid, ticks] of after) total += ticks - (before.get(pid) ?? 0);
  return total;
}

export const ticksToMs = (ticks: number) => (ticks * 1000) / ticksPerSecond;
