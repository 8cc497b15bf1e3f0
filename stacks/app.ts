/**
 * Builds the cdktf App: one PlatformStack per configured cloud x environment,
 * optionally narrowed to one cloud and/or environment (PLATFORM_CLOUD,
 * PLATFORM_ENVIRONMENT, set by `scripts/cdktf.js --provider ...`).
 *
 * Every stack is constructed and validated before anything is written:
 * a bad input throws here and `cdktf.out/` is left untouched.
 */
import { App } from "cdktf";
import { CLOUDS, Cloud, ENVIRONMENTS, Environment, Validator } from "../constructs/core";
import { enforcePolicy } from "../constructs/policy";
import { PlatformConfig } from "./config";
import { PlatformStack } from "./platform-stack";
import { StateBootstrapStack } from "./bootstrap-stack";

export interface StackSelection {
  readonly cloud?: Cloud;
  readonly environment?: Environment;
  /** Only the `state-bootstrap` stack (PLATFORM_BOOTSTRAP=true, set by `scripts/cdktf.js --bootstrap`). */
  readonly bootstrap?: boolean;
}

/** Reads the selection from the environment, validating it like any other input. */
export function selectionFromEnv(env: NodeJS.ProcessEnv = process.env): StackSelection {
  const v = new Validator("Stack selection");
  const cloud = env.PLATFORM_CLOUD || undefined;
  const environment = env.PLATFORM_ENVIRONMENT || undefined;
  if (cloud !== undefined) v.oneOf("PLATFORM_CLOUD", cloud, CLOUDS);
  if (environment !== undefined) v.oneOf("PLATFORM_ENVIRONMENT", environment, ENVIRONMENTS);
  const bootstrap = env.PLATFORM_BOOTSTRAP || undefined;
  if (bootstrap !== undefined) v.oneOf("PLATFORM_BOOTSTRAP", bootstrap, ["true", "false"]);
  if (bootstrap === "true" && (cloud !== undefined || environment !== undefined)) {
    v.add("PLATFORM_BOOTSTRAP", bootstrap, "unset when PLATFORM_CLOUD or PLATFORM_ENVIRONMENT is set");
  }
  v.throwIfAny();
  return { cloud: cloud as Cloud | undefined, environment: environment as Environment | undefined, bootstrap: bootstrap === "true" };
}

export interface BuildAppOptions {
  readonly config: PlatformConfig;
  readonly selection?: StackSelection;
  /** @default - cdktf's default (`cdktf.out`, or CDKTF_OUTDIR when run by the CLI) */
  readonly outdir?: string;
  /**
   * Where the policy check (constructs/policy, run on every stack before anything is written)
   * prints its one line per exemption in force and per stale exemption.
   * @default - stderr
   */
  readonly policyLog?: (line: string) => void;
}

export function buildApp(options: BuildAppOptions): { app: App; stacks: PlatformStack[]; bootstrap?: StateBootstrapStack } {
  const { config, selection = {} } = options;
  const v = new Validator("Stack selection");
  if (selection.cloud && !config.clouds.includes(selection.cloud)) {
    v.add("cloud", selection.cloud, `a cloud enabled in the configuration (${config.clouds.join(", ")})`);
  }
  if (selection.environment && !config.environments.includes(selection.environment)) {
    v.add("environment", selection.environment, `an environment enabled in the configuration (${config.environments.join(", ")})`);
  }
  v.throwIfAny();

  const app = new App({ outdir: options.outdir, skipValidation: false });
  const stacks: PlatformStack[] = [];
  // The state bucket and lock table: with everything (no selection), or alone.
  const bootstrap =
    selection.bootstrap || (!selection.cloud && !selection.environment) ? new StateBootstrapStack(app, { config }) : undefined;
  if (selection.bootstrap) return checked(options, { app, stacks, bootstrap });
  for (const cloud of config.clouds) {
    if (selection.cloud && cloud !== selection.cloud) continue;
    for (const environment of config.environments) {
      if (selection.environment && environment !== selection.environment) continue;
      stacks.push(new PlatformStack(app, { cloud, environment, config }));
    }
  }
  return checked(options, { app, stacks, bootstrap });
}

/** Runs the policy check on every stack in memory (throws a PolicyError on violations), before `app.synth()` writes anything. */
function checked<T extends { stacks: PlatformStack[]; bootstrap?: StateBootstrapStack }>(options: BuildAppOptions, built: T): T {
  enforcePolicy(
    [
      ...built.stacks.map((stack) => ({ stack, environment: stack.platform.context.environment, cloud: stack.platform.cloud })),
      ...(built.bootstrap ? [{ stack: built.bootstrap, cloud: "aws" as const }] : []),
    ],
    options.policyLog ?? ((line) => process.stderr.write(`${line}\n`)),
  );
  return built;
}
