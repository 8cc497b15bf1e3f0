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

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export function writeExecutable(file: string, content: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode: 0o755 });
  return file;
}
