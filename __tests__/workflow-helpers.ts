/**
 * Helpers for the workflow tests (CLI wrapper, bootstrap, state lock):
 * temp dirs, fake executables, and discovery of the real terraform binary
 * and a local provider mirror, reported loudly when absent.
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

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The terraform binary on PATH (or TERRAFORM_BINARY_NAME), if any. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = env.TERRAFORM_BINARY_NAME || "terraform";
  if (name.includes("/")) return isExecutable(name) ? name : undefined;
  return (env.PATH ?? "")
    .split(path.delimiter)
    .map((dir) => path.join(dir, name))
    .find(isExecutable);
}

/**
 * A filesystem mirror holding hashicorp/aws (for `terraform init -plugin-dir`):
 * TF_PLUGIN_DIR first, then the conventional plugin locations.
 */
export function findPluginDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const home = os.homedir();
  const candidates = [
    env.TF_PLUGIN_DIR,
    "/opt/tf-plugins",
    path.join(home, ".terraform.d", "plugins"),
    path.join(home, ".local", "share", "terraform", "plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ].filter((d): d is string => typeof d === "string" && d.length > 0);
  return candidates.find((d) => fs.existsSync(path.join(d, "registry.terraform.io", "hashicorp", "aws")));
}

/** Environment for child terraform processes: no update check, no dangling CLI config file. */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", ...extra };
  if (env.TF_CLI_CONFIG_FILE && !fs.existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  return env;
}

/** Prints a banner that a skipped test cannot hide in the jest summary. */
export function warnSkipped(what: string, reason: string): void {
  console.warn(`\n${"=".repeat(72)}\nSKIPPED: ${what}\n  reason: ${reason}\n${"=".repeat(72)}\n`);
}
