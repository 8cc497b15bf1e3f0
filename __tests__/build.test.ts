/**
 * The app build (scripts/build.js, tsconfig.app.json) is separate from the tests: a test's type error never
 * blocks synth, while `npm test` still type-checks everything. The build skips the compiler when no input
 * changed, and builds again when one did.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "./workflow-helpers";

const build = require(path.join(PROJECT_ROOT, "scripts", "build.js")) as {
  inputs(): string[];
  upToDate(current: string[]): boolean;
  STAMP: string;
};

test("the app's program holds no test file, and the test program holds every app file", () => {
  const tsc = path.join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc");
  const list = (project: string) =>
    spawnSync(process.execPath, [tsc, "-p", path.join(PROJECT_ROOT, project), "--listFilesOnly"], { cwd: PROJECT_ROOT, encoding: "utf8" })
      .stdout.split("\n")
      .filter((f) => f.startsWith(PROJECT_ROOT) && !f.includes("node_modules"))
      .map((f) => path.relative(PROJECT_ROOT, f));
  const app = list("tsconfig.app.json");
  const all = list("tsconfig.json");
  expect(app).toContain("main.ts");
  expect(app.some((f) => f.startsWith("stacks/"))).toBe(true);
  expect(app.filter((f) => f.startsWith("__tests__/") || f.startsWith("bench/") || f.startsWith("examples/"))).toEqual([]);
  for (const f of app) expect(all).toContain(f);
  expect(all.some((f) => f.startsWith("__tests__/"))).toBe(true);
});

test("the build's inputs are the app's sources and configuration, not the tests", () => {
  const inputs = build.inputs().map((i) => i.split(":")[0]);
  expect(inputs).toEqual(expect.arrayContaining(["main.ts", "tsconfig.app.json", "tsconfig.json", "package-lock.json", "stacks/platform-stack.ts"]));
  expect(inputs.filter((f) => f.startsWith("__tests__"))).toEqual([]);
});

test("the build is up to date after `npm test` built it, and not once an input changes", () => {
  const current = build.inputs();
  expect(build.upToDate(current)).toBe(true);
  const touched = current.map((i) => (i.startsWith("stacks/platform-stack.ts:") ? `${i}-changed` : i));
  expect(build.upToDate(touched)).toBe(false);
  expect(fs.existsSync(build.STAMP)).toBe(true);
});
