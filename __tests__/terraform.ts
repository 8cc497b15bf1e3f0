/**
 * Finding real Terraform and the local AWS provider mirror for the tests that
 * run it. Nothing here is product code: the mirror is configured through
 * TF_PLUGIN_DIR, or discovered in the conventional plugin locations.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface TerraformTools {
  readonly terraform: string;
  /** Root of a filesystem mirror (holds `registry.terraform.io/hashicorp/aws/...`). */
  readonly pluginDir: string;
}

function hasAwsProvider(root: string): boolean {
  const dir = path.join(root, "registry.terraform.io", "hashicorp", "aws");
  return fs.existsSync(dir) && fs.readdirSync(dir).some((v) => v.startsWith("5."));
}

/** TF_PLUGIN_DIR, else the documented implied mirror directories, else one level below /opt. */
export function findPluginDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TF_PLUGIN_DIR) return hasAwsProvider(env.TF_PLUGIN_DIR) ? env.TF_PLUGIN_DIR : undefined;
  const home = os.homedir();
  const candidates = [
    path.join(home, ".terraform.d", "plugins"),
    path.join(home, ".local", "share", "terraform", "plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ];
  if (fs.existsSync("/opt")) candidates.push(...fs.readdirSync("/opt").map((d) => path.join("/opt", d)));
  return candidates.find((c) => hasAwsProvider(c));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The terraform binary on PATH (or the one TERRAFORM_BINARY_NAME names, as cdktf reads it), if any. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = env.TERRAFORM_BINARY_NAME || "terraform";
  if (name.includes("/")) return isExecutable(name) ? name : undefined;
  return (env.PATH ?? "")
    .split(path.delimiter)
    .map((dir) => path.join(dir, name))
    .find(isExecutable);
}

/**
 * Reports a suite that cannot run here: a loud SKIPPED banner, or, when
 * REQUIRE_TERRAFORM=1 (as in .ci/run), a failure, so CI never passes by skipping.
 */
export function skipLoudly(what: string, reason: string): void {
  if (process.env.REQUIRE_TERRAFORM === "1") throw new Error(`REQUIRE_TERRAFORM=1 but ${what} cannot run: ${reason}`);
  console.warn(`\n${"=".repeat(72)}\nSKIPPED: ${what}\n  reason: ${reason}\n${"=".repeat(72)}\n`);
}

/** Both tools, or the reason they are missing. */
export function terraformTools(): TerraformTools | { missing: string } {
  const terraform = findTerraform();
  if (!terraform) return { missing: "terraform is not on PATH" };
  const pluginDir = findPluginDir();
  if (!pluginDir) return { missing: "no local mirror of the AWS provider 5.x (set TF_PLUGIN_DIR to the mirror root)" };
  return { terraform, pluginDir };
}

/** The environment for child terraform processes: no stray CLI config pointing at a missing file, no prompts. */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", ...extra };
  if (env.TF_CLI_CONFIG_FILE && !fs.existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  return env;
}

export function runTerraform(tools: TerraformTools, cwd: string, args: string[], timeoutMs = 180_000): { status: number | null; output: string } {
  const r = spawnSync(tools.terraform, [...args, "-no-color"], { cwd, env: terraformEnv(), encoding: "utf8", timeout: timeoutMs });
  return { status: r.status, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}
