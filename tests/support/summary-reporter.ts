import type { Reporter, TestModule } from 'vitest/node';

/**
 * Closes every run with one plain line, `Tests: N passed, N failed, N skipped`, and fails
 * the run when any test was skipped or left as todo, or when no test ran at all: a skipped
 * test proves nothing, and a run of zero tests is no evidence.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const skippedNames: string[] = [];
    for (const mod of testModules) {
      if (mod.state() === 'failed' && ![...mod.children.allTests()].length) failed += 1; // a file that could not load
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else {
          skipped += 1;
          skippedNames.push(`${mod.moduleId.replace(process.cwd() + '/', '')} > ${test.fullName}`);
        }
      }
    }
    if (skippedNames.length) {
      process.stdout.write(`\nSkipped or todo tests are not allowed:\n${skippedNames.map((n) => `  - ${n}`).join('\n')}\n`);
      process.exitCode = 1;
    }
    if (passed + failed === 0) {
      process.stdout.write('\nNo test ran.\n');
      process.exitCode = 1;
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
