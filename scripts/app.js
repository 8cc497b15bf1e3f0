#!/usr/bin/env node
/**
 * The cdktf app command (cdktf.json "app"): builds the app if any input changed
 * (scripts/build.js), then runs it in this process. Exit code 1 on a build error.
 */
"use strict";
const path = require("path");
const { build } = require("./build");

const status = build();
if (status !== 0) {
  process.stderr.write("\nThe app does not compile: fix the errors above (npm run build shows them again).\n");
  process.exit(status);
}
// After the build: the loader's caches are keyed by the build that runs (its stamp), not the one before.
require("./lean-require");
process.exitCode = require(path.join(__dirname, "..", "dist", "main.js")).runApp();
