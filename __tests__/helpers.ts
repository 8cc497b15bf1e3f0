/**
 * Test helpers: synthesize one stack of the real app in memory and look into
 * its Terraform JSON. No file is written.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TerraformStack, Testing } from "cdktf";
import { Cloud, Environment, ValidationError } from "../constructs/core";
import { CloudPlatform, createPlatform } from "../constructs/platform";
import { buildApp } from "../stacks/app";
import { PlatformConfigInput, regionOf, resolveConfig, validateConfig } from "../stacks/config";
import { PlatformStack } from "../stacks/platform-stack";

/** Synthesized Terraform JSON of one stack. */
export interface TfJson {
  terraform: { backend?: Record<string, Record<string, unknown>>; required_providers?: Record<string, unknown> };
  provider?: Record<string, Record<string, any>[]>;
  resource?: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  output?: Record<string, { value: string; sensitive?: boolean; description?: string }>;
  variable?: Record<string, Record<string, any>>;
  locals?: Record<string, unknown>;
}

export const TEST_CONFIG: PlatformConfigInput = {
  project: "taskflow",
  budget: { alertEmails: ["platform-team@example.com"], monthlyLimit: { staging: 200, production: 2000 }, currency: "USD" },
  gcp: { projectId: "taskflow-test-123", region: "us-central1", billingAccount: "012345-6789AB-CDEF01" },
  azure: { location: "westeurope", subscriptionId: "00000000-0000-0000-0000-000000000000" },
};

/** Builds the stack for one cloud x environment with the test config (plus overrides) and returns its JSON. */
export function synthStack(cloud: Cloud, environment: Environment, overrides: PlatformConfigInput = {}): TfJson {
  const stack = buildStack(cloud, environment, overrides);
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

export function buildStack(cloud: Cloud, environment: Environment, overrides: PlatformConfigInput = {}): PlatformStack {
  const config = validateConfig(resolveConfig({ ...TEST_CONFIG, ...overrides, clouds: [cloud], environments: [environment] }));
  // Exemption lines are asserted in policy-engine.test.ts; here they would only be noise.
  const { stacks } = buildApp({ config, outdir: "/nonexistent-test-outdir", policyLog: () => undefined });
  return stacks[0];
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

/** The single resource of a type; fails when there are none or several. */
export function onlyResource(tf: TfJson, type: string): any {
  const all = Object.values(resourcesOf(tf, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

export function dataOf(tf: TfJson, type: string): Record<string, any> {
  return tf.data?.[type] ?? {};
}

/** Resource types present in the stack, sorted. */
export function resourceTypes(tf: TfJson): string[] {
  return Object.keys(tf.resource ?? {}).sort();
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

/** A bare stack with one cloud's platform, for exercising constructs directly. */
export function platformStack(cloud: Cloud, environment: Environment = "staging"): { stack: TerraformStack; platform: CloudPlatform } {
  const app = Testing.app();
  const stack = new TerraformStack(app, `${cloud}-test`);
  const platform = createPlatform(cloud, stack, {
    project: "taskflow",
    environment,
    region: regionOf(resolveConfig(TEST_CONFIG), cloud),
    tags: { Project: "taskflow", Environment: environment, ManagedBy: "cdktf" },
    gcpProjectId: "taskflow-test-123",
    gcpBillingAccount: "012345-6789AB-CDEF01",
    azureSubscriptionId: "00000000-0000-0000-0000-000000000000",
  });
  return { stack, platform };
}

/** Runs `fn` and returns the ValidationError it throws (fails the test when it throws nothing or something else). */
export function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw new Error(`expected a ValidationError, got: ${(e as Error).stack ?? String(e)}`);
  }
  throw new Error("expected a ValidationError, but nothing was thrown");
}

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
