// Maps dist/__tests__/x.test.js <-> __tests__/__snapshots__/x.test.ts.snap, so snapshots are reviewed with the sources.
const path = require("path");
const root = __dirname;
module.exports = {
  resolveSnapshotPath: (testPath, ext) =>
    path.join(root, "__tests__", "__snapshots__", path.basename(testPath).replace(/\.js$/, ".ts") + ext),
  resolveTestPath: (snapshotPath, ext) =>
    path.join(root, "dist", "__tests__", path.basename(snapshotPath, ext).replace(/\.ts$/, ".js")),
  testPathForConsistencyCheck: path.join(root, "dist", "__tests__", "example.test.js"),
};
