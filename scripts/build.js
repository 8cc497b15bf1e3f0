#!/usr/bin/env node
/**
 * Builds the app (main.ts, stacks/, constructs/, scripts/*.ts) into dist/ with
 * tsconfig.app.json, and skips the compiler when no input changed since the
 * last build (a stamp of every input's size and mtime in dist/). Tests are not
 * part of the app build: a type error in a test never blocks synth (`npm test`
 * type-checks everything with tsconfig.json).
 *
 *   node scripts/build.js          build if needed
 *   node scripts/build.js --force  always run the compiler
 *
 * Plain JavaScript: it runs before anything is compiled.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const ROOT = path.resolve(__dirname, "..");
const STAMP = path.join(ROOT, "dist", ".app-build-stamp.json");
const INPUT_DIRS = ["stacks", "constructs", "scripts"];
const INPUT_FILES = ["main.ts", "tsconfig.json", "tsconfig.app.json", "package-lock.json"];

/** Every input of the app build with its size and mtime, sorted: what the stamp compares. */
function inputs() {
  const out = [];
  const add = (file) => {
    const s = fs.statSync(file, { throwIfNoEntry: false });
    if (s && s.isFile()) out.push(`${path.relative(ROOT, file)}:${s.size}:${s.mtimeMs}`);
  };
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) add(p);
    }
  };
  INPUT_FILES.forEach((f) => add(path.join(ROOT, f)));
  INPUT_DIRS.forEach((d) => fs.existsSync(path.join(ROOT, d)) && walk(path.join(ROOT, d)));
  return out.sort();
}

/** True when dist/ already holds a build of exactly these inputs. */
function upToDate(current) {
  try {
    const stamp = JSON.parse(fs.readFileSync(STAMP, "utf8"));
    return fs.existsSync(path.join(ROOT, "dist", "main.js")) && JSON.stringify(stamp.inputs) === JSON.stringify(current);
  } catch {
    return false;
  }
}

/** Builds when needed; returns the compiler's exit code (0 when skipped). */
function build({ force = false } = {}) {
  const current = inputs();
  if (!force && upToDate(current)) return 0;
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.app.json")], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) return r.status ?? 1;
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  fs.writeFileSync(STAMP, JSON.stringify({ inputs: current }));
  return 0;
}

module.exports = { build, inputs, upToDate, STAMP };

if (require.main === module) process.exit(build({ force: process.argv.includes("--force") }));
