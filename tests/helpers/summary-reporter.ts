import type { Reporter, TestModule } from "vitest/node";

/**
 * Adds one plain closing line, `tests: N passed, N failed, N skipped`, that CI tooling reads whatever
 * the runner (Vitest's own summary is formatted for people). Skipped tests say why in their suite name.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed++;
        else if (state === "failed") counts.failed++;
        else counts.skipped++;
      }
    }
    process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
