import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Closes the run with the suites that were skipped (their titles carry the reason, e.g. "postgres
 * (skipped: TEST_DATABASE_URL is not set …)") and one plain line, `tests: N passed, N failed, N skipped`,
 * that CI tooling reads whatever the runner (Vitest's own summary is formatted for people).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const skippedSuites = new Map<string, number>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed++;
        else if (state === "failed") counts.failed++;
        else {
          counts.skipped++;
          const suite = test.parent.type === "suite" ? test.parent.fullName : "(whole file)";
          const key = `${relative(process.cwd(), module.moduleId)} › ${suite}`;
          skippedSuites.set(key, (skippedSuites.get(key) ?? 0) + 1);
        }
      }
    }
    const lines = [...skippedSuites].map(([suite, count]) => `  skipped ${count}: ${suite}`);
    if (lines.length > 0) process.stdout.write(`\nSkipped suites (the title says why):\n${lines.join("\n")}\n`);
    process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
