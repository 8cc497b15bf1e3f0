/**
 * Helpers for the workflow tests (CLI wrapper, bootstrap, state lock):
 * the project root, temp dirs and fake executables. Finding real terraform
 * and the provider mirror is in ./terraform.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The project root (tests run from dist/__tests__). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const WRAPPER = path.join(PROJECT_ROOT, "scripts", "cdktf.js");
/** The user's CI/CD workflow (its tests: ci-workflow.test.ts, ci-variables.test.ts). */
export const WORKFLOW_FILE = path.join(PROJECT_ROOT, ".github", "workflows", "platform.yml");

/** What the workflow tests read of a GitHub Actions workflow, its jobs and their steps. */
export interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown>; "fail-fast"?: boolean };
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  env?: Record<string, string>;
  steps: Step[];
}
export interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export function writeExecutable(file: string, content: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode: 0o755 });
  return file;
}
