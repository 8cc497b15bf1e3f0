/**
 * Finding real Terraform and the local AWS provider mirror for the tests that
 * run it. Nothing here is product code: the mirror is configured through
 * TF_PLUGIN_DIR, or discovered in the conventional plugin locations.
 */
import { spawn, spawnSync } from "child_process";
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

/**
 * Go's garbage collector target for Terraform and the AWS provider in the tests (unless GOGC is set): collecting
 * at 400% heap growth instead of 100% takes a quarter to a third less CPU (a platform stack's `terraform test`
 * 13.8 -> 10.5 s, a configured plan's provider 6.3 -> 4.2 s) for about twice the heap (270 -> 530 MB).
 */
export const TEST_GOGC = "400";

/** The environment for child terraform processes: no stray CLI config pointing at a missing file, no prompts. */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // Only the commands that never configure the provider talk to the shared one (sharedProviderCommand).
  const { TF_REATTACH_PROVIDERS: _inherited, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = { GOGC: TEST_GOGC, ...inherited, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1", ...extra };
  if (env.TF_CLI_CONFIG_FILE && !fs.existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  return env;
}

/**
 * One AWS provider process for the whole test run, started by the jest global setup (__tests__/global-setup.ts)
 * and handed to terraform through TF_REATTACH_PROVIDERS, so that commands do not each start the 700 MB provider
 * and load its schema (about 1 s of CPU per command). Only commands that never call ConfigureProvider may use
 * it: `validate`, `test` with `mock_provider` (mocks are never configured), `providers schema`, `show`. A
 * configured provider keeps its configuration, so plans against the real provider start their own.
 */
export const SHARED_PROVIDER_ENV = "PLATFORM_TEST_AWS_PROVIDER_REATTACH";
const SHARED_PROVIDER_COMMANDS = ["validate", "test", "providers", "show"];

/** The environment for `args`: the shared provider when the command may use it and one is running. */
export function sharedProviderCommand(args: readonly string[], env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const reattach = env[SHARED_PROVIDER_ENV];
  return reattach && SHARED_PROVIDER_COMMANDS.includes(args[0]) ? terraformEnv({ TF_REATTACH_PROVIDERS: reattach }) : terraformEnv();
}

export function runTerraform(tools: TerraformTools, cwd: string, args: string[], timeoutMs = 180_000): { status: number | null; output: string } {
  return runIn(tools, cwd, args, sharedProviderCommand(args), timeoutMs);
}

/** terraform `args` (no color) in `cwd` with `env`: its exit status and its stdout then stderr. */
function runIn(tools: TerraformTools, cwd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): { status: number | null; output: string } {
  const r = spawnSync(tools.terraform, [...args, "-no-color"], { cwd, env, encoding: "utf8", timeout: timeoutMs });
  return { status: r.status, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

/** A temporary directory holding `files` (paths relative to it), `terraform init`ed from the provider mirror, without a backend. */
export function initWorkspace(tools: TerraformTools, prefix: string, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const init = runTerraform(tools, dir, ["init", "-backend=false", `-plugin-dir=${tools.pluginDir}`, "-input=false"]);
  if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
  return dir;
}

/**
 * Commands that configure the AWS provider (plans against the real provider), one after the other, attached to
 * one provider process of their own (a configured provider is never shared with another suite). `stop()` ends it.
 */
export function ownProvider(tools: TerraformTools): { run: (cwd: string, args: string[], timeoutMs?: number) => { status: number | null; output: string }; stop: () => void } {
  const binary = awsProviderBinary(tools.pluginDir);
  let provider: ReturnType<typeof startProvider> | undefined;
  return {
    run: (cwd, args, timeoutMs = 180_000) => {
      if (!binary) return runTerraform(tools, cwd, args, timeoutMs);
      provider ??= startProvider(binary);
      return runIn(tools, cwd, args, terraformEnv({ TF_REATTACH_PROVIDERS: provider.reattach }), timeoutMs);
    },
    stop: () => provider?.stop(),
  };
}

/** The AWS provider binary of the mirror (5.x). */
export function awsProviderBinary(pluginDir: string): string | undefined {
  const base = path.join(pluginDir, "registry.terraform.io", "hashicorp", "aws");
  const version = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => v.startsWith("5.")).sort().pop() : undefined;
  if (!version) return undefined;
  const platformDir = path.join(base, version, `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`);
  const file = fs.existsSync(platformDir) ? fs.readdirSync(platformDir).find((f) => f.startsWith("terraform-provider-aws")) : undefined;
  return file ? path.join(platformDir, file) : undefined;
}

/** Sleeps synchronously (the real-Terraform tests run terraform with spawnSync). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Starts a provider process of its own (debug mode, output to a file) and returns its TF_REATTACH_PROVIDERS
 * value and a stop function. Terraform otherwise starts the provider three times per plan (schema, validate
 * walk, plan walk), a second or two each for the AWS provider; a plan attached to this one starts it once.
 * For commands that configure the provider: one process per configured command (a configured provider keeps
 * its configuration).
 */
export function startProvider(binary: string): { reattach: string; stop: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-provider-"));
  const log = path.join(dir, "provider.log");
  const fd = fs.openSync(log, "w");
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, AWS_EC2_METADATA_DISABLED: "true", GOGC: process.env.GOGC ?? TEST_GOGC };
  const child = spawn(binary, ["-debug"], { env, stdio: ["ignore", fd, fd], detached: false });
  fs.closeSync(fd);
  const stop = () => {
    if (child.exitCode === null) child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(fs.readFileSync(log, "utf8"));
    if (m) return { reattach: m[1], stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new Error(`the AWS provider did not start in debug mode:\n${fs.readFileSync(log, "utf8")}`);
    }
    sleepSync(20);
  }
}
