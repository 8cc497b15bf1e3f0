// Jest runs the compiled tests in dist/ (`npm test` type-checks and compiles first with tsc),
// so no TypeScript transformer runs inside jest. Snapshots live next to the sources.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/dist/__tests__"],
  testMatch: ["**/*.test.js"],
  reporters: ["default", "<rootDir>/jest.summary-reporter.js"],
  snapshotResolver: "<rootDir>/jest.snapshot-resolver.js",
  moduleFileExtensions: ["js", "json"],
  testTimeout: 120000,
  maxWorkers: 2,
  // One AWS provider process shared by the real-Terraform suites (__tests__/global-setup.ts).
  globalSetup: "<rootDir>/dist/__tests__/global-setup.js",
  globalTeardown: "<rootDir>/dist/__tests__/global-teardown.js",
  // Only cdktf and the provider bindings are transformed: their inline source maps are dropped
  // (scripts/jest-lean-transform.js). Everything else runs as compiled (no babel-jest).
  transform: { "/node_modules/(cdktf/lib|@cdktf/provider-[a-z]+/lib)/.+\\.js$": "<rootDir>/scripts/jest-lean-transform.js" },
  transformIgnorePatterns: ["/node_modules/(?!(cdktf/lib|@cdktf/provider-[a-z]+/lib)/)"],
};
