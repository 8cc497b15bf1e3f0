// Prints one plain closing line after jest's own summary, e.g. "jest: 390 passed, 0 failed, 2 skipped",
// so CI logs can be read without knowing jest's format. Skipped suites (missing terraform) show up here too.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
