#!/usr/bin/env node
/**
 * The thinnest wrapper around the cdktf CLI that understands
 * `--provider <cloud>` and `--env <environment>` (also `--environment`).
 *
 *   node scripts/cdktf.js deploy --provider aws --env staging --auto-approve
 *   -> PLATFORM_CLOUD=aws PLATFORM_ENVIRONMENT=staging cdktf deploy aws-staging --auto-approve
 *
 * It removes its own flags, validates them, narrows the app through
 * PLATFORM_CLOUD / PLATFORM_ENVIRONMENT (read by stacks/app.ts), puts the
 * stack name right after the command (so array flags such as `--var` cannot
 * swallow it) and runs node_modules/.bin/cdktf with every other argument
 * untouched: stdio inherited, exit code and signals propagated.
 * `--bootstrap` selects the `state-bootstrap` stack instead.
 *
 * Plain JavaScript on purpose: it runs before any build. Environment:
 *   PLATFORM_CDKTF_BIN     cdktf executable to run (default: node_modules/.bin/cdktf)
 *   TERRAFORM_BINARY_NAME  terraform executable (cdktf's own variable; default: terraform)
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { spawn } = require("child_process");

/** Must match CLOUDS in constructs/core.ts and the built-in profiles of constructs/config.ts (a test checks it). */
const CLOUDS = ["aws", "gcp", "azure"];
const DEFAULT_ENVIRONMENTS = ["staging", "production"];
const BOOTSTRAP_STACK = "state-bootstrap";

/** cdktf commands that act on stacks: they need exactly one cloud and one environment (or --bootstrap). */
const STACK_COMMANDS = ["plan", "diff", "deploy", "apply", "destroy", "output", "outputs", "watch"];
/** Stack commands that run terraform, checked before anything starts. */
const TERRAFORM_COMMANDS = ["plan", "diff", "deploy", "apply", "destroy", "output", "outputs", "watch"];

const PROJECT_ROOT = path.resolve(__dirname, "..");

class UsageError extends Error {}

const USAGE = [
  "Usage: <command> --provider <cloud> --env <environment> [cdktf flags...]",
  "       <command> --bootstrap [cdktf flags...]",
  `  command:     plan | deploy | destroy | output | synth (synth without --provider builds every stack)`,
  `  --provider:  ${CLOUDS.join(" | ")}`,
  "  --env:       an environment of the configuration (alias --environment; never defaulted)",
  "  --bootstrap: the state bucket and lock table stack (run once, before any cloud)",
  "  examples:    npm run plan -- --provider aws --env staging",
  "               ./cdktf deploy --provider gcp --env production --auto-approve",
].join("\n");

/**
 * Splits the arguments into the wrapper's options and cdktf's arguments.
 * Pure: no environment, file or process access.
 * @param {string[]} argv arguments after the script name
 */
function parseArgs(argv, environments = DEFAULT_ENVIRONMENTS) {
  const own = { provider: undefined, environment: undefined, bootstrap: false };
  const rest = [];
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
    } else {
      rest.push(arg);
    }
  }
  const command = rest.length > 0 && !rest[0].startsWith("-") ? rest[0] : undefined;
  return { ...own, command, rest };
}

/**
 * Decides what to run: the cdktf arguments and the environment additions.
 * Throws a UsageError listing the accepted values when the input is wrong.
 * @param {ReturnType<typeof parseArgs>} parsed
 */
function decide(parsed, environments = DEFAULT_ENVIRONMENTS) {
  const { provider, environment, bootstrap, command, rest } = parsed;
  const problems = [];
  if (provider !== undefined && !CLOUDS.includes(provider)) {
    problems.push(`--provider: '${provider}' is not valid; accepted: ${CLOUDS.join(", ")}`);
  }
  if (environment !== undefined && !environments.includes(environment)) {
    problems.push(`--env: '${environment}' is not valid; accepted: ${environments.join(", ")}`);
  }
  if (bootstrap && (provider !== undefined || environment !== undefined)) {
    problems.push("--bootstrap: cannot be combined with --provider or --env; accepted: --bootstrap alone");
  }
  const isStackCommand = command !== undefined && STACK_COMMANDS.includes(command);
  if (isStackCommand && !bootstrap) {
    if (provider === undefined) problems.push(`--provider: missing; accepted: ${CLOUDS.join(", ")}`);
    if (environment === undefined) problems.push(`--env: missing (production is never chosen by default); accepted: ${environments.join(", ")}`);
  }
  if (command === undefined && (provider !== undefined || environment !== undefined || bootstrap)) {
    problems.push("command: missing before the flags; accepted: plan, deploy, destroy, output, synth");
  }
  if (problems.length > 0) throw new UsageError(problems.map((p) => `  - ${p}`).join("\n"));

  const env = {};
  let args = rest;
  if (bootstrap) {
    env.PLATFORM_BOOTSTRAP = "true";
  } else {
    if (provider !== undefined) env.PLATFORM_CLOUD = provider;
    if (environment !== undefined) env.PLATFORM_ENVIRONMENT = environment;
  }
  if (isStackCommand) {
    const stack = bootstrap ? BOOTSTRAP_STACK : `${provider}-${environment}`;
    args = [command, stack, ...rest.slice(1)];
  }
  const needsTerraform = command !== undefined && TERRAFORM_COMMANDS.includes(command);
  return { args, env, needsTerraform };
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
  const swallowed = ["provider", "env", "environment", "bootstrap"].filter((k) => env[`npm_config_${k}`] !== undefined);
  if (env.npm_lifecycle_event === undefined || swallowed.length === 0) return "";
  if (parsed.provider !== undefined || parsed.environment !== undefined || parsed.bootstrap) return "";
  return `\nnpm took --${swallowed.join(", --")} as its own option: put \`--\` before the flags, e.g. \`npm run ${env.npm_lifecycle_event} -- --provider aws --env staging\`.`;
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function main() {
  const argv = process.argv.slice(2);
  let parsed;
  let decided;
  try {
    const environments = configuredEnvironments(process.env);
    parsed = parseArgs(argv, environments);
    decided = decide(parsed, environments);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const hint = parsed ? npmHint(process.env, parsed) : "";
    return fail(`Invalid arguments:\n${e.message}${hint}\n\n${USAGE}`);
  }

  const env = { ...process.env, ...decided.env };
  // Run from the project root (cdktf reads cdktf.json there); keep a relative PLATFORM_CONFIG meaning what the user meant.
  if (env.PLATFORM_CONFIG) env.PLATFORM_CONFIG = path.resolve(env.PLATFORM_CONFIG);

  if (decided.needsTerraform) {
    const tf = env.TERRAFORM_BINARY_NAME || "terraform";
    if (findExecutable(tf, env.PATH) === undefined) {
      return fail(
        `'${tf}' was not found on PATH: cdktf needs the Terraform CLI (>= 1.11) for this command.\n` +
          "Install it (https://developer.hashicorp.com/terraform/install) or set TERRAFORM_BINARY_NAME to its path, then retry.",
      );
    }
  }

  const cdktf = env.PLATFORM_CDKTF_BIN || path.join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");
  if (findExecutable(cdktf, env.PATH) === undefined) {
    return fail(`The cdktf CLI was not found at '${cdktf}': run \`npm ci\` in ${PROJECT_ROOT} first.`);
  }

  const child = spawn(cdktf, decided.args, { stdio: "inherit", env, cwd: PROJECT_ROOT });
  // Forward termination signals. An interactive Ctrl-C already reaches the child through the
  // terminal's process group: forwarding it again would make Terraform exit without cleanup.
  const forward = (signal) => {
    if (signal === "SIGINT" && process.stdin.isTTY) return;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
  signals.forEach((s) => process.on(s, forward));
  child.on("error", (e) => fail(`Could not start '${cdktf}': ${e.message}`));
  child.on("exit", (code, signal) => {
    signals.forEach((s) => process.removeListener(s, forward));
    if (signal) {
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}

module.exports = { CLOUDS, DEFAULT_ENVIRONMENTS, BOOTSTRAP_STACK, configuredEnvironments, STACK_COMMANDS, parseArgs, decide, findExecutable, main, UsageError };

if (require.main === module) main();
