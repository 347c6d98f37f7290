/**
 * Jest reporter: names every skipped test at the end of the run. Jest's own reporters print nothing
 * at all for a file whose tests are all skipped, so the reason a block was skipped (carried in its
 * title, e.g. by `describeWithPostgres`) would otherwise appear nowhere.
 */
class SkippedTestsReporter {
  constructor(globalConfig) {
    // With `-t`, every test that does not match counts as skipped; listing those says nothing.
    this.quiet = Boolean(globalConfig.testNamePattern);
    this.skipped = [];
  }

  onTestResult(_test, result) {
    for (const test of result.testResults) {
      if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') this.skipped.push([...test.ancestorTitles, test.title].join(' › '));
    }
  }

  onRunComplete() {
    if (this.quiet || this.skipped.length === 0) return;
    process.stderr.write(`\nSkipped (${this.skipped.length}):\n${this.skipped.map((name) => `  ○ ${name}\n`).join('')}\n`);
  }
}

module.exports = SkippedTestsReporter;
