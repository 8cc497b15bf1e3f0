#!/usr/bin/env node
/**
 * The project's cdktf: `./cdktf <command> --provider <cloud> --env <environment> [stacks...] [cdktf flags]`
 * (also `npm run <command> -- ...`). What it adds to the cdktf CLI:
 *
 * - selection: `--provider` and `--env` pick a cloud and environment of the configuration; without stack names
 *   a stack command acts on the `<cloud>-<environment>` stack; names pick others (`worker` or
 *   `worker-aws-staging`), `--all` picks every stack of that cloud and environment; a full stack name alone
 *   (`./cdktf plan worker-aws-staging`) implies its cloud and environment; `--bootstrap` picks the state stack;
 * - synth runs the app directly (the same output as `cdktf synth`, without the CLI's start-up), and a narrowed
 *   synth leaves the other stacks in cdktf.out/ as they were (their manifest entries included);
 * - plan and deploy refuse placeholders of the configuration (billing account, e-mails, domains, Azure
 *   subscription) naming the field, and check the cloud's prerequisites (constructs/prerequisites.ts) with the
 *   cloud's CLI when it is installed and signed in (`--skip-prerequisite-checks` skips them); `prerequisites`
 *   prints them all with their state and fixes;
 * - `deploy --bootstrap` untaints what a failed earlier run left tainted, when every tainted resource is of a
 *   type that converges on update (constructs/aws/bootstrap-recovery.ts), so a retry converges;
 * - the stack commands of cdktf then run on the synthesized output (`--skip-synth`), one stack at a time for
 *   the commands that take one (plan, diff, output); every other flag passes through untouched.
 *
 * Exit codes: cdktf's, or 2 for a usage error / a refusal. Plain JavaScript: it runs before the build.
 * Environment: PLATFORM_CDKTF_BIN (cdktf executable), TERRAFORM_BINARY_NAME (terraform, as cdktf reads it),
 * PLATFORM_SKIP_PREREQUISITES=1 (as --skip-prerequisite-checks), PLATFORM_BOOTSTRAP_STATE (the bootstrap's local
 * state file; default terraform.state-bootstrap.tfstate at the project root).
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { spawn, spawnSync } = require("child_process");

/** Must match CLOUDS in constructs/core.ts and the built-in profiles of constructs/config.ts (a test checks it). */
const CLOUDS = ["aws", "gcp", "azure"];
const DEFAULT_ENVIRONMENTS = ["staging", "production"];
const BOOTSTRAP_STACK = "state-bootstrap";

/** cdktf commands that act on stacks. */
const STACK_COMMANDS = ["plan", "diff", "deploy", "apply", "destroy", "output", "outputs"];
/** Of those, the ones cdktf runs on a single stack: the wrapper runs them once per selected stack. */
const SINGLE_STACK_COMMANDS = ["plan", "diff", "output", "outputs"];
/** Commands the wrapper answers itself, without the cdktf CLI. */
const OWN_COMMANDS = ["synth", "list", "prerequisites"];
/** Commands that may change or read cloud resources with real credentials: placeholders and prerequisites are checked first. */
const CHECKED_COMMANDS = ["plan", "diff", "deploy", "apply"];
/** cdktf options that take a value, so the value is never taken for a stack name (the same list as stacks/cli-args.ts: a test checks it). */
const VALUE_OPTIONS = ["--var", "--var-file", "--parallelism", "--terraform-parallelism", "--outputs-file", "--log-level", "--log-file-directory", "--experimental-provider-schema-cache-path", "--app", "-a", "--output", "-o"];

const PROJECT_ROOT = path.resolve(__dirname, "..");

class UsageError extends Error {}

const USAGE = [
  "Usage: <command> --provider <cloud> --env <environment> [stack ...] [--all] [cdktf flags...]",
  "       <command> <component>-<cloud>-<environment> [cdktf flags...]",
  "       <command> --bootstrap [cdktf flags...]",
  "  command:     synth | plan | deploy | destroy | output | list | prerequisites (synth without --provider builds every stack)",
  `  --provider:  ${CLOUDS.join(" | ")}`,
  "  --env:       an environment of the configuration (alias --environment; never defaulted)",
  "  stack:       a component (worker) or a stack name (worker-aws-staging); default: the <cloud>-<env> stack",
  "  --all:       every stack of the cloud and environment (deploy and destroy order them by dependency)",
  "  --bootstrap: the state bucket and lock table stack (run once, before any cloud)",
  "  --skip-prerequisite-checks: plan/deploy without checking what Terraform cannot create (see `prerequisites`)",
  "  examples:    npm run plan -- --provider aws --env staging",
  "               ./cdktf deploy --provider gcp --env production --all --auto-approve",
].join("\n");

/**
 * Splits the arguments into the wrapper's options, stack selectors and cdktf's arguments. Pure.
 * @param {string[]} argv arguments after the script name
 * @param {string[]} environments the configured environment names (for messages)
 */
function parseArgs(argv, environments = DEFAULT_ENVIRONMENTS) {
  const own = { provider: undefined, environment: undefined, bootstrap: false, all: false, skipPrerequisites: false };
  const stacks = [];
  const rest = [];
  let command;
  const seen = new Set();
  const take = (name, flag, value) => {
    if (value === undefined || value === "" || value.startsWith("-")) {
      throw new UsageError(`${flag} needs a value; accepted: ${name === "provider" ? CLOUDS.join(", ") : environments.join(", ")}`);
    }
    if (seen.has(name)) throw new UsageError(`${flag} is given twice; accepted: once`);
    seen.add(name);
    own[name] = value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    const m = /^--(provider|env|environment)(?:=(.*))?$/.exec(arg);
    if (m) {
      const name = m[1] === "provider" ? "provider" : "environment";
      if (m[2] !== undefined) take(name, `--${m[1]}`, m[2]);
      else take(name, `--${m[1]}`, argv[++i]);
    } else if (arg === "--bootstrap") {
      own.bootstrap = true;
    } else if (arg === "--all") {
      own.all = true;
    } else if (arg === "--skip-prerequisite-checks") {
      own.skipPrerequisites = true;
    } else if (arg.startsWith("-")) {
      rest.push(arg);
      if (VALUE_OPTIONS.includes(arg) && i + 1 < argv.length) rest.push(argv[++i]);
    } else if (command === undefined) {
      command = arg;
    } else {
      stacks.push(arg);
    }
  }
  return { ...own, command, stacks, rest };
}

/**
 * Decides what to run. Throws a UsageError listing the accepted values when the input is wrong.
 * @param {ReturnType<typeof parseArgs>} parsed
 * @param {string[]} environments the configured environment names
 * @returns {{ command: string | undefined, env: Record<string,string>, stacks: string[] | undefined, all: boolean, cloud?: string, environment?: string, rest: string[] }}
 *   `stacks`: the stacks cdktf acts on (undefined for synth without names); `env`: the app's PLATFORM_* selection.
 */
function decide(parsed, environments = DEFAULT_ENVIRONMENTS) {
  let { provider, environment } = parsed;
  const { bootstrap, all, command, rest, skipPrerequisites } = parsed;
  const problems = [];
  const isStackCommand = command !== undefined && STACK_COMMANDS.includes(command);
  if (command === undefined && (provider !== undefined || environment !== undefined || bootstrap || parsed.stacks.length > 0)) {
    problems.push("command: missing before the flags; accepted: synth, plan, deploy, destroy, output, list, prerequisites");
  }
  // A full stack name alone implies its cloud and environment.
  if (!bootstrap && provider === undefined && environment === undefined && parsed.stacks.length > 0) {
    const implied = parsed.stacks.map((s) => impliedSelection(s, environments));
    if (implied.every((x) => x) && implied.every((x) => x.cloud === implied[0].cloud && x.environment === implied[0].environment)) {
      provider = implied[0].cloud;
      environment = implied[0].environment;
    }
  }
  if (provider !== undefined && !CLOUDS.includes(provider)) problems.push(`--provider: '${provider}' is not valid; accepted: ${CLOUDS.join(", ")}`);
  if (environment !== undefined && !environments.includes(environment)) problems.push(`--env: '${environment}' is not valid; accepted: ${environments.join(", ")}`);
  if (bootstrap && (provider !== undefined || environment !== undefined || parsed.stacks.length > 0 || all)) {
    problems.push("--bootstrap: cannot be combined with --provider, --env, --all or stack names; accepted: --bootstrap alone");
  }
  if (command === "prerequisites" && (bootstrap || parsed.stacks.length > 0 || all)) {
    problems.push("prerequisites: takes --provider and --env only (they apply to every stack of a cloud and environment)");
  }
  if ((isStackCommand || command === "list" || command === "prerequisites") && !bootstrap) {
    if (provider === undefined) problems.push(`--provider: missing; accepted: ${CLOUDS.join(", ")}`);
    if (environment === undefined) problems.push(`--env: missing (production is never chosen by default); accepted: ${environments.join(", ")}`);
  }
  if (all && parsed.stacks.length > 0) problems.push("--all: cannot be combined with stack names; accepted: one of the two");
  if (problems.length > 0) throw new UsageError(problems.map((p) => `  - ${p}`).join("\n"));

  const env = {};
  if (bootstrap) env.PLATFORM_BOOTSTRAP = "true";
  if (provider !== undefined) env.PLATFORM_CLOUD = provider;
  if (environment !== undefined) env.PLATFORM_ENVIRONMENT = environment;
  const suffix = `${provider}-${environment}`;
  const named = parsed.stacks.map((s) => (isStackOf(s, suffix) ? s : `${s}-${suffix}`));
  let stacks;
  if (bootstrap) stacks = [BOOTSTRAP_STACK];
  else if (named.length > 0) stacks = named;
  else if (isStackCommand && !all) stacks = [suffix];
  // synth with names writes only those (the rest of the selection is still built and checked).
  if (command === "synth" && named.length > 0) env.PLATFORM_STACKS = named.join(",");
  if (command === "prerequisites") stacks = undefined;
  return { command, env, stacks, all, cloud: provider, environment, rest, skipPrerequisites: skipPrerequisites === true };
}

/** True when `name` is a stack of `suffix` (`<cloud>-<environment>`): that stack or `<component>-<suffix>`. */
function isStackOf(name, suffix) {
  return name === suffix || name.endsWith(`-${suffix}`);
}

/** `worker-aws-staging` -> { cloud: "aws", environment: "staging" }, when the name ends in a known cloud and environment. */
function impliedSelection(name, environments) {
  for (const cloud of CLOUDS) {
    for (const environment of environments) {
      if (isStackOf(name, `${cloud}-${environment}`)) return { cloud, environment };
    }
  }
  return undefined;
}

/**
 * The environment names of the configuration (PLATFORM_CONFIG, else platform.config.json of the
 * project): the keys of its `environments` map, or its list. The app validates the rest.
 */
function configuredEnvironments(env, cwd = process.cwd()) {
  const file = env.PLATFORM_CONFIG ? path.resolve(cwd, env.PLATFORM_CONFIG) : path.join(PROJECT_ROOT, "platform.config.json");
  try {
    const environments = JSON.parse(fs.readFileSync(file, "utf8")).environments;
    if (Array.isArray(environments)) return environments.filter((e) => typeof e === "string");
    if (environments && typeof environments === "object") return Object.keys(environments);
  } catch {
    // No file or not JSON: the defaults apply, and the app reports a broken file itself.
  }
  return DEFAULT_ENVIRONMENTS;
}

/** Finds an executable the way a shell would: a path as given, else each PATH entry. */
function findExecutable(name, envPath) {
  const isExec = (p) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes("/")) return isExec(name) ? path.resolve(name) : undefined;
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (dir && isExec(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** npm eats `--provider aws` when the `--` separator is missing; say so instead of a confusing error. */
function npmHint(env, parsed) {
  const swallowed = ["provider", "env", "environment", "bootstrap", "all"].filter((k) => env[`npm_config_${k}`] !== undefined);
  if (env.npm_lifecycle_event === undefined || swallowed.length === 0) return "";
  if (parsed.provider !== undefined || parsed.environment !== undefined || parsed.bootstrap) return "";
  return `\nnpm took --${swallowed.join(", --")} as its own option: put \`--\` before the flags, e.g. \`npm run ${env.npm_lifecycle_event} -- --provider aws --env staging\`.`;
}

/**
 * After a narrowed synth: the manifest lists only the stacks just written. Put back the entries of the
 * other stacks whose output is still there, so cdktf.out/ keeps describing everything that was synthesized.
 */
function mergeManifest(outdir, previous) {
  const file = path.join(outdir, "manifest.json");
  if (!previous || !fs.existsSync(file)) return;
  const current = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const [name, entry] of Object.entries(previous.stacks ?? {})) {
    if (current.stacks[name] === undefined && fs.existsSync(path.join(outdir, entry.synthesizedStackPath))) current.stacks[name] = entry;
  }
  fs.writeFileSync(file, JSON.stringify(current, null, 2));
}

/** The stack names of the manifest in `outdir` (after synth). */
function manifestStacks(outdir) {
  try {
    return Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks);
  } catch {
    return [];
  }
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Runs a child to completion, forwarding termination signals; resolves with its exit code. */
function run(cmd, args, options) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", ...options });
    // An interactive Ctrl-C already reaches the child through the terminal's process group: forwarding it
    // again would make Terraform exit without cleanup.
    const forward = (signal) => {
      if (signal === "SIGINT" && process.stdin.isTTY) return;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
    signals.forEach((s) => process.on(s, forward));
    child.on("error", (e) => {
      signals.forEach((s) => process.removeListener(s, forward));
      process.stderr.write(`Could not start '${cmd}': ${e.message}\n`);
      resolve(2);
    });
    child.on("exit", (code, signal) => {
      signals.forEach((s) => process.removeListener(s, forward));
      if (signal) process.kill(process.pid, signal);
      resolve(code ?? 1);
    });
  });
}

/** Loads a compiled module of the app (after the build). */
function appModule(rel) {
  return require(path.join(PROJECT_ROOT, "dist", rel));
}

async function main() {
  const argv = process.argv.slice(2);
  let parsed;
  let d;
  const environments = configuredEnvironments(process.env);
  try {
    parsed = parseArgs(argv, environments);
    d = decide(parsed, environments);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const hint = parsed ? npmHint(process.env, parsed) : "";
    return fail(`Invalid arguments:\n${e.message}${hint}\n\n${USAGE}`);
  }
  if (d.command === undefined) return fail(USAGE);

  const env = { ...process.env, ...d.env };
  // Run from the project root (cdktf reads cdktf.json there); keep a relative PLATFORM_CONFIG meaning what the user meant.
  if (env.PLATFORM_CONFIG) env.PLATFORM_CONFIG = path.resolve(env.PLATFORM_CONFIG);
  if (env.PLATFORM_BOOTSTRAP_STATE) env.PLATFORM_BOOTSTRAP_STATE = path.resolve(env.PLATFORM_BOOTSTRAP_STATE);
  // No lines that look like errors when nothing is wrong: no update check, no warning about a CLI config that does not exist.
  env.CHECKPOINT_DISABLE ??= "1";
  if (env.TF_CLI_CONFIG_FILE && !fs.existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;

  const isStackCommand = STACK_COMMANDS.includes(d.command);
  if (isStackCommand) {
    const tf = env.TERRAFORM_BINARY_NAME || "terraform";
    if (findExecutable(tf, env.PATH) === undefined) {
      return fail(
        `'${tf}' was not found on PATH: cdktf needs the Terraform CLI (>= 1.11) for this command.\n` +
          "Install it (https://developer.hashicorp.com/terraform/install) or set TERRAFORM_BINARY_NAME to its path, then retry.",
      );
    }
  }
  const cdktf = env.PLATFORM_CDKTF_BIN || path.join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");
  const own = OWN_COMMANDS.includes(d.command);
  if (!own && findExecutable(cdktf, env.PATH) === undefined) {
    return fail(`The cdktf CLI was not found at '${cdktf}': run \`npm ci\` in ${PROJECT_ROOT} first.`);
  }
  if (!own && !isStackCommand) {
    // Any other cdktf command (get, init, ...) runs as it is.
    return process.exit(await run(cdktf, [d.command, ...(d.stacks ?? []), ...d.rest], { env, cwd: PROJECT_ROOT }));
  }

  // Build the app (skipped when nothing changed), then check the configuration for what this command needs.
  const built = require("./build").build();
  if (built !== 0) return fail("\nThe app does not compile: fix the errors above.");
  // Before the first module of the app (the checks below load the configuration, and with it cdktf).
  require("./lean-require");
  if (d.command === "prerequisites") return process.exit(printPrerequisites(d, env));
  if (CHECKED_COMMANDS.includes(d.command) && d.cloud !== undefined) {
    const refusal = refusalFor(d, env);
    if (refusal) return fail(refusal);
    if (!d.skipPrerequisites && env.PLATFORM_SKIP_PREREQUISITES !== "1") {
      const missing = prerequisiteRefusal(d, env);
      if (missing) return fail(missing);
    }
  }

  // Synthesize the selection straight into cdktf.out (what `cdktf synth` would write), keeping other stacks' output.
  const outdir = path.resolve(PROJECT_ROOT, env.CDKTF_OUTDIR || "cdktf.out");
  const manifestFile = path.join(outdir, "manifest.json");
  const narrowed = d.env.PLATFORM_CLOUD !== undefined || d.env.PLATFORM_ENVIRONMENT !== undefined || d.env.PLATFORM_STACKS !== undefined || d.env.PLATFORM_BOOTSTRAP !== undefined;
  const previous = narrowed && fs.existsSync(manifestFile) ? JSON.parse(fs.readFileSync(manifestFile, "utf8")) : undefined;
  const synthEnv = { ...env, CDKTF_OUTDIR: outdir, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true" };
  const status = synthesizeInProcess(synthEnv);
  if (status !== 0) return process.exit(status);
  if (narrowed) mergeManifest(outdir, previous);
  else removeOrphans(outdir);

  const synthesized = manifestStacks(outdir);
  const selectionStacks = synthesized.filter((s) => !narrowed || selects(d, s));
  if (d.command === "synth" || d.command === "list") {
    if (d.command === "synth") {
      const written = d.env.PLATFORM_STACKS ? d.env.PLATFORM_STACKS.split(",") : selectionStacks;
      process.stdout.write(`Generated Terraform code for the stacks: ${written.sort().join(", ")}${narrowed ? " (other stacks in cdktf.out/ were left as they were)" : ""}\n`);
      const notes = placeholderNote(env);
      if (notes) process.stdout.write(`${notes}\n`);
    } else {
      process.stdout.write(`${selectionStacks.sort().join("\n")}\n`);
    }
    return process.exit(0);
  }

  const stacks = d.stacks ?? selectionStacks;
  const unknown = stacks.filter((s) => !synthesized.includes(s));
  if (unknown.length > 0) {
    return fail(`Invalid arguments:\n  - stack: '${unknown.join("', '")}' is not a stack of the selection; accepted: ${selectionStacks.join(", ")}`);
  }
  const cdktfEnv = { ...env };
  delete cdktfEnv.CDKTF_OUTDIR;
  if (d.env.PLATFORM_BOOTSTRAP && ["deploy", "apply"].includes(d.command)) {
    const blocked = untaintBootstrap(outdir, env);
    if (blocked) return fail(blocked);
  }
  if (SINGLE_STACK_COMMANDS.includes(d.command)) {
    for (const stack of stacks) {
      const code = await run(cdktf, [d.command, stack, "--skip-synth", ...d.rest], { env: cdktfEnv, cwd: PROJECT_ROOT });
      if (code !== 0) return process.exit(code);
    }
    return process.exit(0);
  }
  process.exit(await run(cdktf, [d.command, ...stacks, "--skip-synth", ...d.rest], { env: cdktfEnv, cwd: PROJECT_ROOT }));
}

/**
 * Runs the app here, as `node dist/main.js` would in a child (same environment, from the project root): one
 * process start and one load of cdktf less. The app reads only its environment and the working directory.
 */
function synthesizeInProcess(synthEnv) {
  process.chdir(PROJECT_ROOT);
  for (const [k, v] of Object.entries(synthEnv)) if (v !== undefined) process.env[k] = v;
  return appModule("main.js").runApp(process.env);
}

/** True when `stack` belongs to the decided cloud and environment (or is the bootstrap stack when selected). */
function selects(d, stack) {
  if (d.env.PLATFORM_BOOTSTRAP) return stack === BOOTSTRAP_STACK;
  if (d.cloud !== undefined && d.environment !== undefined) return isStackOf(stack, `${d.cloud}-${d.environment}`);
  if (d.cloud !== undefined) return stack.includes(`${d.cloud}-`);
  return stack !== BOOTSTRAP_STACK;
}

/** Why plan or deploy must not run for this selection (placeholders of the configuration), or undefined. */
function refusalFor(d, env) {
  const { loadConfig, placeholderIssues } = appModule("constructs/config.js");
  let config;
  try {
    config = loadConfig(env);
  } catch {
    return undefined; // the app reports an invalid configuration itself, with every field
  }
  const issues = placeholderIssues(config, d.cloud, d.environment, env);
  if (issues.length === 0) return undefined;
  return (
    `Refusing to ${d.command} ${d.cloud}-${d.environment}: the configuration still holds placeholders (synth accepts them, the clouds do not)\n` +
    issues.map((i) => `  - ${i.field}: ${JSON.stringify(i.value ?? "(missing)")} is not valid; accepted: ${i.accepted}`).join("\n")
  );
}

/** One line for synth: placeholders that plan and deploy will refuse. */
function placeholderNote(env) {
  try {
    const { loadConfig, placeholderIssues } = appModule("constructs/config.js");
    const config = loadConfig(env);
    const fields = new Set();
    for (const cloud of config.clouds) for (const e of Object.keys(config.environments)) placeholderIssues(config, cloud, e, env).forEach((i) => fields.add(i.field));
    return fields.size > 0 ? `Note: placeholders that plan and deploy refuse until replaced: ${[...fields].join(", ")}` : undefined;
  } catch {
    return undefined;
  }
}

/** After a full synth: drop stack directories the manifest no longer lists (as `cdktf synth` does). */
function removeOrphans(outdir) {
  const stacksDir = path.join(outdir, "stacks");
  if (!fs.existsSync(stacksDir)) return;
  const keep = new Set(manifestStacks(outdir));
  for (const e of fs.readdirSync(stacksDir, { withFileTypes: true })) {
    if (e.isDirectory() && !keep.has(e.name)) fs.rmSync(path.join(stacksDir, e.name), { recursive: true });
  }
}

/**
 * Runs the checks of `list` (constructs/prerequisites.ts) with the clouds' CLIs. A CLI that is missing or not
 * signed in, or a check the identity may not run, leaves the item unchecked (said, never a refusal).
 * `exec(command)` returns { status, stdout, stderr }.
 */
function evaluatePrerequisites(list, tools, envPath, exec) {
  const toolState = new Map();
  const stateOf = (name) => {
    if (!toolState.has(name)) {
      if (findExecutable(name, envPath) === undefined) toolState.set(name, `${name} is not installed`);
      else toolState.set(name, exec(tools[name].probe).status === 0 ? undefined : tools[name].unauthenticated);
    }
    return toolState.get(name);
  };
  return list.map((p) => {
    if (p.check === undefined) return { p, state: "unchecked", reason: p.manual };
    const unavailable = p.tool ? stateOf(p.tool) : undefined;
    if (unavailable) return { p, state: "unchecked", reason: unavailable };
    const result = exec(p.check);
    // Not allowed to look is not the same as missing: the deploying identity may still be allowed to use it.
    if (result.status !== 0 && PERMISSION_DENIED.test(result.stderr ?? "")) {
      return { p, state: "unchecked", reason: `the check was not permitted (${firstLine(result.stderr)})` };
    }
    return { p, state: p.holds(result) ? "holds" : "missing" };
  });
}

/** What the clouds' CLIs print when the caller may not read something (AWS, gcloud, az). */
const PERMISSION_DENIED = /AccessDenied|UnauthorizedOperation|not authorized|PERMISSION_DENIED|AuthorizationFailed|does not have (the )?permission|Forbidden/i;

function firstLine(text) {
  return (text ?? "").trim().split(/\r?\n/)[0].slice(0, 200);
}

function shellExec(env) {
  return (command) => {
    const r = spawnSync("sh", ["-c", command], { env, encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] });
    return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  };
}

/** The prerequisites of the decided cloud and environment, evaluated; undefined when the configuration is invalid. */
function prerequisiteResults(d, env) {
  const { loadConfig } = appModule("constructs/config.js");
  const { prerequisitesFor, PREREQUISITE_TOOLS } = appModule("constructs/prerequisites.js");
  let config;
  try {
    config = loadConfig(env);
  } catch {
    return undefined; // the app reports an invalid configuration itself
  }
  return evaluatePrerequisites(prerequisitesFor(config, d.cloud, d.environment), PREREQUISITE_TOOLS, env.PATH, shellExec(env));
}

function describeResult(r) {
  const mark = { holds: "ok     ", missing: r.p.blocking ? "MISSING" : "missing", unchecked: "?      " }[r.state];
  const lines = [`  ${mark} ${r.p.id}: ${r.p.what}${r.state === "missing" && !r.p.blocking ? " (recommended)" : ""}`];
  if (r.state === "missing") lines.push(`            why: ${r.p.why}`, `            fix: ${r.p.fix}`);
  if (r.state === "unchecked") lines.push(`            not checked: ${r.reason}; check: ${r.p.check ?? "by hand"}; fix: ${r.p.fix}`);
  return lines.join("\n");
}

/** Plan/deploy: refuses when a blocking prerequisite is missing; warns about the rest. */
function prerequisiteRefusal(d, env) {
  const results = prerequisiteResults(d, env);
  if (!results) return undefined;
  const missing = results.filter((r) => r.state === "missing");
  const blocking = missing.filter((r) => r.p.blocking);
  const unchecked = results.filter((r) => r.state === "unchecked");
  if (blocking.length > 0) {
    return (
      `Refusing to ${d.command} ${d.cloud}-${d.environment}: what Terraform cannot create is missing (the first plan or apply would fail)\n` +
      missing.map(describeResult).join("\n") +
      "\nFix these (`npm run prerequisites -- --provider " + d.cloud + " --env " + d.environment + "` shows every item), or pass --skip-prerequisite-checks."
    );
  }
  for (const r of missing) process.stderr.write(`Warning: ${describeResult(r).trim()}\n`);
  if (unchecked.length > 0) {
    process.stderr.write(`Note: ${unchecked.length} prerequisite(s) of ${d.cloud}-${d.environment} not checked (\`npm run prerequisites -- --provider ${d.cloud} --env ${d.environment}\` lists them).\n`);
  }
  return undefined;
}

/** `prerequisites`: every item with its state; exit 1 when a blocking one is missing. */
function printPrerequisites(d, env) {
  const results = prerequisiteResults(d, env);
  if (!results) {
    process.stderr.write("The configuration is invalid: run `npm run synth` to see every field to fix.\n");
    return 2;
  }
  process.stdout.write(`Prerequisites of ${d.cloud}-${d.environment} (what Terraform cannot create; constructs/prerequisites.ts):\n`);
  process.stdout.write(`${results.map(describeResult).join("\n")}\n`);
  const blocking = results.filter((r) => r.state === "missing" && r.p.blocking).length;
  if (blocking > 0) process.stdout.write(`${blocking} blocking prerequisite(s) missing: plan and deploy refuse until fixed.\n`);
  return blocking > 0 ? 1 : 0;
}

/**
 * Before deploying the state bootstrap again: what a failed run left tainted would be replaced, and the
 * replacement stops at prevent_destroy. Untaints it when every tainted resource converges on update;
 * otherwise returns why it stops. Reads the bootstrap's local state file (no Terraform call needed to decide).
 */
function untaintBootstrap(outdir, env) {
  const { bootstrapUntaintPlan, bootstrapStatePath, shownFromState } = appModule("constructs/aws/bootstrap-recovery.js");
  const stateFile = bootstrapStatePath(env, PROJECT_ROOT);
  if (!fs.existsSync(stateFile)) return undefined;
  let state;
  try {
    state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
  } catch (e) {
    return `${stateFile} is not readable JSON (${e.message}): restore it from its backup (${stateFile}.backup) before retrying.`;
  }
  const plan = bootstrapUntaintPlan(shownFromState(state));
  if (plan.refuse.length > 0) {
    return (
      `Refusing to retry the bootstrap: a failed run left resources tainted whose update does not redo a failed create:\n` +
      plan.refuse.map((a) => `  - ${a}`).join("\n") +
      "\nSee docs/workflow.md, 'When the bootstrap fails halfway'."
    );
  }
  if (plan.untaint.length === 0) return undefined;
  const tf = env.TERRAFORM_BINARY_NAME || "terraform";
  const dir = path.join(outdir, "stacks", BOOTSTRAP_STACK);
  process.stdout.write(`A failed run left ${plan.untaint.length} resource(s) tainted; untainting them so this run updates them in place:\n`);
  if (!fs.existsSync(path.join(dir, ".terraform"))) {
    const init = spawnSync(tf, [`-chdir=${dir}`, "init", "-input=false"], { env, stdio: "inherit" });
    if (init.status !== 0) return `terraform init in ${dir} failed (exit ${init.status}): it is needed to untaint.`;
  }
  for (const address of plan.untaint) {
    process.stdout.write(`  terraform untaint ${address}\n`);
    const r = spawnSync(tf, [`-chdir=${dir}`, "untaint", "-allow-missing", address], { env, stdio: "inherit" });
    if (r.status !== 0) return `terraform untaint ${address} failed (exit ${r.status}); see docs/workflow.md, 'When the bootstrap fails halfway'.`;
  }
  return undefined;
}

module.exports = {
  CLOUDS,
  DEFAULT_ENVIRONMENTS,
  BOOTSTRAP_STACK,
  STACK_COMMANDS,
  VALUE_OPTIONS,
  configuredEnvironments,
  parseArgs,
  decide,
  findExecutable,
  evaluatePrerequisites,
  mergeManifest,
  main,
  UsageError,
};

if (require.main === module) main();
