/**
 * Test helpers: synthesize one stack of the real app in memory and look into
 * its Terraform JSON. No file is written.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { Cloud, ValidationError } from "../constructs/core";
import { PlatformConfig, PlatformConfigInput, resolveConfig } from "../constructs/config";
import { PolicyError } from "../constructs/policy";
import { CheckedStack, CloudStack, setCheckLog } from "../constructs/stack";
import { buildApp } from "../stacks/app";
import { PlatformStack } from "../stacks/platform-stack";
import { WorkerStack } from "../stacks/worker-stack";

/** Synthesized Terraform JSON of one stack. */
export interface TfJson {
  terraform: { backend?: Record<string, Record<string, unknown>>; required_providers?: Record<string, unknown> };
  provider?: Record<string, Record<string, any>[]>;
  resource?: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  /** Ephemeral resources (`random_password` of the generated database passwords). */
  ephemeral?: Record<string, Record<string, Record<string, any>>>;
  output?: Record<string, { value: string; sensitive?: boolean; description?: string }>;
  variable?: Record<string, Record<string, any>>;
  locals?: Record<string, unknown>;
}

export const TEST_CONFIG: PlatformConfigInput = {
  project: "taskflow",
  budget: { alertEmails: ["platform-team@example.com"], currency: "USD" },
  gcp: { projectId: "taskflow-test-123", region: "us-central1", billingAccount: "012345-6789AB-CDEF01" },
  azure: { location: "swedencentral", subscriptionId: "00000000-0000-0000-0000-000000000000" },
};

/** The test configuration (plus overrides), resolved and validated. */
export function testConfig(overrides: PlatformConfigInput = {}): PlatformConfig {
  return resolveConfig({ ...TEST_CONFIG, ...overrides });
}

/** Builds the stack for one cloud x environment with the test config (plus overrides) and returns its JSON. */
export function synthStack(cloud: Cloud, environment: string, overrides: PlatformConfigInput = {}): TfJson {
  return synthJson(buildStack(cloud, environment, overrides));
}

export function buildStack(cloud: Cloud, environment: string, overrides: PlatformConfigInput = {}): PlatformStack {
  return appStacks({ cloud, environment }, overrides)[0] as PlatformStack;
}

/** The stacks the app builds for one cloud (one environment, or all) with the test config (plus overrides), that cloud only. */
export function appStacks(selection: { cloud: Cloud; environment?: string }, overrides: PlatformConfigInput = {}): CloudStack[] {
  const config = testConfig({ ...overrides, clouds: [selection.cloud] });
  // The check's summary is asserted in policy-engine.test.ts; here it would only be noise.
  return buildApp({ config, selection, outdir: testOutdir(), checkLog: () => undefined }).stacks;
}

/** An outdir for Apps built in memory (cdktf's App creates it at construction; nothing is written in it). */
export function testOutdir(): string {
  return path.join(os.tmpdir(), "cdktf-test-outdir");
}

/** The platform and worker stacks of one cloud x environment, built by one app as `cdktf synth` builds them (the worker reads the platform's outputs). */
export function buildStacks(cloud: Cloud, environment: string, overrides: PlatformConfigInput = {}): { platform: PlatformStack; worker: WorkerStack } {
  const stacks = appStacks({ cloud, environment }, overrides);
  return { platform: stacks.find((s): s is PlatformStack => s instanceof PlatformStack)!, worker: stacks.find((s): s is WorkerStack => s instanceof WorkerStack)! };
}

/**
 * What `app.synth()` checks and writes, in memory: prepares every stack of the
 * stack's App (the last checked one runs the app-wide check: policy, state keys,
 * names) and returns this stack's JSON without cdktf metadata.
 */
export function synthJson(stack: TerraformStack): TfJson {
  const app = App.of(stack);
  const all = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  if (all.some((s) => s instanceof CheckedStack && !s.sealed)) all.forEach((s) => s.prepareStack());
  if (stack instanceof CheckedStack) return JSON.parse(JSON.stringify(stack.toTerraform())) as TfJson;
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

/** One resource or data source of a stack's JSON, found by its construct path. */
export interface Found {
  readonly type: string;
  readonly name: string;
  /** `type.name` (resources) or `data.type.name`. */
  readonly address: string;
  readonly path: string;
  readonly body: any;
}

/** Every resource and data source, with its construct path (from cdktf's metadata). */
export function allItems(tf: TfJson): Found[] {
  const out: Found[] = [];
  for (const [kind, section] of [["resource", tf.resource], ["data", tf.data]] as const) {
    for (const [type, named] of Object.entries(section ?? {})) {
      for (const [name, body] of Object.entries(named)) {
        out.push({ type, name, address: kind === "data" ? `data.${type}.${name}` : `${type}.${name}`, path: body["//"]?.metadata?.path ?? "", body });
      }
    }
  }
  return out;
}

/** The construct path below the stack (`azure-staging/network/Resource` -> `network/Resource`). */
export const rel = (path: string): string => path.split("/").slice(1).join("/");

/**
 * The one resource (or data source) whose construct path, below the stack, is `path`
 * (`"database/Resource"`, `"network/application/subnet"`): tests find resources by
 * what they are in the stack, not by "the only one of its type".
 */
export function at(tf: TfJson, path: string): Found {
  const hits = allItems(tf).filter((i) => rel(i.path) === path);
  if (hits.length !== 1) throw new Error(`expected one resource at '${path}', found ${hits.length}: ${allItems(tf).map((i) => i.path).join(", ")}`);
  return hits[0];
}

/** Every resource of `type` whose construct path (below the stack) starts with `prefix`. */
export function under(tf: TfJson, prefix: string, type?: string): Found[] {
  return allItems(tf).filter((i) => (type === undefined || i.type === type) && `${rel(i.path)}/`.startsWith(`${prefix}/`));
}

/** `${address.attr}`: what a reference to the resource at `path` synthesizes to. */
export function refAt(tf: TfJson, path: string, attr = "id"): string {
  return `\${${at(tf, path).address}.${attr}}`;
}

/** The value at a Terraform attribute path (`settings[0].disk_size`); cdktf writes single blocks as objects, so `[0]` of an object is the object. */
export function valueAt(body: any, path: string): unknown {
  let v = body;
  for (const part of path.split(".")) {
    const m = /^([a-z0-9_]+)(?:\[(\d+)\])?$/.exec(part);
    if (!m || v === undefined || v === null) return undefined;
    v = v[m[1]];
    if (m[2] !== undefined && v !== undefined) v = Array.isArray(v) ? v[Number(m[2])] : v;
  }
  return v;
}

/** `${data.terraform_remote_state.<platform>.outputs.<name>}`: how the worker stack (`wtf`) reads the platform's (`tf`) `value`, a sensitive output. */
export function crossStackRef(tf: TfJson, wtf: TfJson, value: string): string {
  const outputs = Object.entries(tf.output ?? {}).filter(([name, o]) => name.startsWith("cross-stack-output-") && o.value === value);
  expect(outputs.map(([, o]) => o.sensitive)).toEqual([true]);
  const states = Object.keys(wtf.data?.terraform_remote_state ?? {});
  expect(states).toHaveLength(1);
  return `\${data.terraform_remote_state.${states[0]}.outputs.${outputs[0][0]}}`;
}

/** All resources of one type, by name. */
export function resourcesOf(tf: TfJson, type: string): Record<string, any> {
  return tf.resource?.[type] ?? {};
}

/** `${type.name.attr}` of the first resource of `type` matching `predicate`: what a reference to it synthesizes to. */
export function ref(tf: TfJson, type: string, predicate: (r: any) => boolean = () => true, attr = "id"): string {
  const entry = Object.entries(resourcesOf(tf, type)).find(([, r]) => predicate(r));
  if (!entry) throw new Error(`no ${type} matches`);
  return `\${${type}.${entry[0]}.${attr}}`;
}

/** Resource types present in the stack, sorted. */
export function resourceTypes(tf: TfJson): string[] {
  return Object.keys(tf.resource ?? {}).sort();
}

/** Every managed resource (the data sources left out), with its construct path. */
export function managedItems(tf: TfJson): Found[] {
  return allItems(tf).filter((i) => !i.address.startsWith("data."));
}

/**
 * A readable snapshot: the stack JSON without cdktf metadata (`//` keys with
 * construct paths and stack traces), keys sorted for stable diffs.
 */
export function sanitizeForSnapshot(tf: TfJson): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([k]) => k !== "//")
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, val]) => [k, strip(val)]),
      );
    }
    return v;
  };
  return strip(tf);
}

/** A bare CloudStack of one cloud (its kit, no constructs yet), for exercising constructs directly; its check prints nothing. */
export function platformStack(cloud: Cloud, environment = "staging", overrides: PlatformConfigInput = {}): { stack: CloudStack; kit: CloudStack["kit"] } {
  const app = new App({ outdir: testOutdir() });
  // As in appStacks: the check's summary is asserted in policy-engine.test.ts; here it would only be noise.
  setCheckLog(app, () => undefined);
  const stack = new CloudStack(app, { cloud, environment, config: testConfig(overrides) });
  return { stack, kit: stack.kit };
}

/** Runs `fn` and returns the `type` error it throws (fails the test when it throws nothing or something else). */
function errorOf<E extends Error>(type: new (...args: any[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (e) {
    if (e instanceof type) return e;
    throw new Error(`expected a ${type.name}, got: ${(e as Error).stack ?? String(e)}`);
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}

/** Runs `fn` and returns the ValidationError it throws (fails the test when it throws nothing or something else). */
export const validationErrorOf = (fn: () => unknown): ValidationError => errorOf(ValidationError, fn);

/** Runs `fn` (a synth) and returns the PolicyError it throws: the policy check's report (fails the test when it throws nothing or something else). */
export const policyErrorOf = (fn: () => unknown): PolicyError => errorOf(PolicyError, fn);

export interface AppRun {
  readonly status: number | null;
  readonly stderr: string;
  /** Stack directories written under cdktf.out/stacks, sorted; undefined when no cdktf.out exists at all. */
  readonly written?: string[];
}

/**
 * Runs the compiled app (`node dist/main.js`) in a fresh directory with `config`
 * as its PLATFORM_CONFIG, the way the cdktf CLI does, and reports what it wrote.
 */
export function runApp(config: object | undefined, env: NodeJS.ProcessEnv = {}): AppRun {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "app-"));
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  // Nothing of the test process may redirect the app's output or narrow its selection.
  for (const k of ["CDKTF_OUTDIR", "PLATFORM_CONFIG", "PLATFORM_CLOUD", "PLATFORM_ENVIRONMENT", "PLATFORM_BOOTSTRAP"]) delete childEnv[k];
  try {
    if (config) {
      fs.writeFileSync(path.join(cwd, "config.json"), JSON.stringify(config));
      childEnv.PLATFORM_CONFIG = path.join(cwd, "config.json");
    }
    const r = spawnSync(process.execPath, [path.resolve(__dirname, "..", "main.js")], { cwd, encoding: "utf8", env: { ...childEnv, ...env } });
    const out = path.join(cwd, "cdktf.out");
    const stacksDir = path.join(out, "stacks");
    const written = fs.existsSync(out) ? (fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort() : []) : undefined;
    return { status: r.status, stderr: r.stderr, written };
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}
