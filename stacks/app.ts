/**
 * Builds the cdktf App: the stacks of every configured cloud x environment,
 * optionally narrowed to one cloud and/or environment (PLATFORM_CLOUD,
 * PLATFORM_ENVIRONMENT, set by `scripts/cdktf.js --provider ...`), plus the
 * state bootstrap.
 *
 * Every stack is constructed here; cdktf's `app.synth()` then checks all of
 * them together (constructs/stack.ts) before it writes anything.
 */
import { App, AppConfig, TerraformStack } from "cdktf";
import { CLOUDS, Cloud, Validator } from "../constructs/core";
import { PlatformConfig } from "../constructs/config";
import { StateBootstrapStack } from "../constructs/bootstrap-stack";
import { CloudStack, setCheckLog } from "../constructs/stack";
import { disableTokenStackTraces } from "../constructs/token-traces";
import { PlatformStack } from "./platform-stack";
import { WorkerStack } from "./worker-stack";
import { environmentForCdktfSelection, selectionFromCdktfAncestor } from "./cli-args";

export interface StackSelection {
  readonly cloud?: Cloud;
  readonly environment?: string;
  /** Only the `state-bootstrap` stack (PLATFORM_BOOTSTRAP=true, set by `scripts/cdktf.js --bootstrap`). */
  readonly bootstrap?: boolean;
  /**
   * The stacks to write, by name (PLATFORM_STACKS, comma-separated). The other stacks of the
   * same cloud and environment are still built and checked, so the written JSON is exactly what
   * a full synth writes (cross-stack outputs included), but they are not written.
   * @default - every stack of the selection
   */
  readonly stacks?: readonly string[];
}

/**
 * Reads the selection from the environment, validating it like any other input. When the cdktf CLI
 * runs the app (CDKTF_OUTDIR is set) and no PLATFORM_* selection is given, the `--provider`/`--env`
 * flags of the cdktf command line are used (stacks/cli-args.ts), so `npx cdktf deploy --provider aws
 * --env staging` selects like ./cdktf does.
 */
export function selectionFromEnv(env: NodeJS.ProcessEnv = process.env, cdktfAncestor = selectionFromCdktfAncestor): StackSelection {
  const own = ["PLATFORM_CLOUD", "PLATFORM_ENVIRONMENT", "PLATFORM_STACKS", "PLATFORM_BOOTSTRAP"].some((k) => env[k]);
  if (!own && env.CDKTF_OUTDIR !== undefined) {
    const fromCli = cdktfAncestor();
    if (fromCli) env = { ...env, ...environmentForCdktfSelection(fromCli) };
  }
  const v = new Validator("Stack selection");
  const cloud = env.PLATFORM_CLOUD || undefined;
  const environment = env.PLATFORM_ENVIRONMENT || undefined;
  if (cloud !== undefined) v.oneOf("PLATFORM_CLOUD", cloud, CLOUDS);
  const stacks = env.PLATFORM_STACKS ? env.PLATFORM_STACKS.split(",").map((x) => x.trim()).filter((x) => x !== "") : undefined;
  const bootstrap = env.PLATFORM_BOOTSTRAP || undefined;
  if (bootstrap !== undefined) v.oneOf("PLATFORM_BOOTSTRAP", bootstrap, ["true", "false"]);
  if (bootstrap === "true" && (cloud !== undefined || environment !== undefined)) {
    v.add("PLATFORM_BOOTSTRAP", bootstrap, "unset when PLATFORM_CLOUD or PLATFORM_ENVIRONMENT is set");
  }
  v.throwIfAny();
  return { cloud: cloud as Cloud | undefined, environment, bootstrap: bootstrap === "true", ...(stacks ? { stacks } : {}) };
}

export interface BuildAppOptions {
  readonly config: PlatformConfig;
  readonly selection?: StackSelection;
  /** @default - cdktf's default (`cdktf.out`, or CDKTF_OUTDIR when run by the CLI) */
  readonly outdir?: string;
  /**
   * Where the check (constructs/stack.ts, run by `app.synth()` before anything is written)
   * prints its summary.
   * @default - stderr
   */
  readonly checkLog?: (line: string) => void;
}

/**
 * An App that writes only the selected stacks: every stack is prepared (and so checked, all
 * together) first; the ones not selected are then taken out of the tree before cdktf writes.
 */
class SelectiveApp extends App {
  constructor(
    config: AppConfig,
    private readonly written: readonly string[],
  ) {
    super(config);
  }

  public synth(): void {
    const stacks = this.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c));
    stacks.forEach((s) => s.prepareStack());
    for (const s of stacks) if (!this.written.includes(s.node.id)) this.node.tryRemoveChild(s.node.id);
    super.synth();
  }
}

export function buildApp(options: BuildAppOptions): { app: App; stacks: CloudStack[]; bootstrap?: StateBootstrapStack } {
  disableTokenStackTraces();
  const { config, selection = {} } = options;
  const v = new Validator("Stack selection");
  if (selection.cloud && !config.clouds.includes(selection.cloud)) {
    v.add("cloud", selection.cloud, `a cloud enabled in the configuration (${config.clouds.join(", ")})`);
  }
  const environments = Object.keys(config.environments);
  if (selection.environment && !environments.includes(selection.environment)) {
    v.add("environment", selection.environment, `an environment of the configuration (${environments.join(", ")})`);
  }
  v.throwIfAny();

  // No stack traces in the metadata cdktf writes (annotations): they name this machine's paths and cost time.
  const appConfig: AppConfig = { outdir: options.outdir, skipValidation: false, stackTraces: false };
  const app = selection.stacks ? new SelectiveApp(appConfig, selection.stacks) : new App(appConfig);
  if (options.checkLog) setCheckLog(app, options.checkLog);
  const stacks: CloudStack[] = [];
  // The state bucket and lock table: with everything (no selection), or alone.
  const bootstrap =
    selection.bootstrap || (!selection.cloud && !selection.environment) ? new StateBootstrapStack(app, { config }) : undefined;
  if (selection.bootstrap) return { app, stacks, bootstrap };
  for (const cloud of config.clouds) {
    if (selection.cloud && cloud !== selection.cloud) continue;
    for (const environment of environments) {
      if (selection.environment && environment !== selection.environment) continue;
      const platform = new PlatformStack(app, { cloud, environment, config });
      stacks.push(platform, new WorkerStack(app, { config, platform }));
    }
  }
  if (selection.stacks) {
    const known = [...stacks.map((s) => s.node.id), ...(bootstrap ? [bootstrap.node.id] : [])];
    const unknown = selection.stacks.filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      const sv = new Validator("Stack selection");
      unknown.forEach((name) => sv.add("stack", name, `a stack of the selection (${known.join(", ")})`));
      sv.throwIfAny();
    }
  }
  return { app, stacks, bootstrap };
}
