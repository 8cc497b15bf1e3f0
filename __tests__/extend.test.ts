/**
 * Your own stacks and environments: a `dev` environment that exists only in the
 * configuration, the worker stack and the README's own example stack
 * (examples/extend.ts) are built for every cloud with no change outside the
 * stack files and the configuration: their own state keys and names, the policy
 * check on every one of them, and a synth error when two stacks would collide.
 */
import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { CLOUDS, Cloud } from "../constructs/core";
import { PlatformConfig } from "../constructs/config";
import { CloudStack, StackConflictError, decisionsAt } from "../constructs/stack";
import { PolicyError } from "../constructs/policy";
import { PlatformStack } from "../stacks/platform-stack";
import { WorkerStack } from "../stacks/worker-stack";
import { AnalyticsStack } from "../examples/extend";
import { TfJson, allItems, at, synthJson, testConfig, testOutdir, validationErrorOf } from "./helpers";
import { PROJECT_ROOT } from "./workflow-helpers";

/** The configuration a team writes to add `dev`: cheaper than staging, and nothing else. */
const DEV = { environments: { dev: { extends: "staging", monthlyBudget: 50, scaling: { min: 1, desired: 1, max: 1 } }, staging: {}, production: {} } };

function buildDev(cloud: Cloud, config: PlatformConfig = testConfig(DEV)) {
  const app = new App({ outdir: testOutdir() });
  const platform = new PlatformStack(app, { cloud, environment: "dev", config });
  const worker = new WorkerStack(app, { config, platform });
  const analytics = new AnalyticsStack(app, { config, platform });
  return { app, platform, worker, analytics };
}

describe.each(CLOUDS)("%s: a dev environment from the configuration, with three stacks", (cloud) => {
  const built = buildDev(cloud);
  const tf: Record<string, TfJson> = {
    platform: synthJson(built.platform),
    worker: synthJson(built.worker),
    analytics: synthJson(built.analytics),
  };

  test("each stack has its own state key naming its component", () => {
    expect([built.platform, built.worker, built.analytics].map((s) => s.stateKey)).toEqual([
      `taskflow/dev/${cloud}/terraform.tfstate`,
      `taskflow/dev/${cloud}/worker/terraform.tfstate`,
      `taskflow/dev/${cloud}/analytics/terraform.tfstate`,
    ]);
    expect((tf.analytics.terraform.backend as { s3: { key: string } }).s3.key).toBe(`taskflow/dev/${cloud}/analytics/terraform.tfstate`);
  });

  test("the dev profile drives the stacks: staging's trade-offs, its own budget", () => {
    expect(built.platform.profile).toMatchObject({ highAvailability: false, deletionProtection: false, monthlyBudget: 50, costOverResilience: true, shortName: "dev" });
    expect(built.platform.namePrefix).toBe("taskflow-dev");
    expect(built.analytics.namePrefix).toBe("taskflow-analytics-dev");
  });

  test("the policy check ran on every stack, and the trade-offs are accepted because the profile says so", () => {
    const db = built.platform.database.resource;
    expect([...decisionsAt(built.app, db.node.path)].sort()).toEqual(["no-deletion-protection", "single-zone-database"]);
    // synthJson ran the app-wide check (a violation would have thrown): every stack is sealed.
    expect([built.platform, built.worker, built.analytics].map((s) => s.sealed)).toEqual([true, true, true]);
  });

  test("the analytics stack's relationships with the platform live in the analytics stack", () => {
    const items = allItems(tf.analytics);
    const expectedDbRule = { aws: /analyzer\/identity\/ingress-at-database/, gcp: /analyzer\/identity\/ingress-at-database/, azure: /analyzer\/identity\/network-data-database-from|analyzer\/identity\/database-from/ }[cloud];
    expect(items.some((i) => expectedDbRule.test(i.path))).toBe(true);
    expect(allItems(tf.platform).some((i) => i.path.includes("analyzer"))).toBe(false);
  });

  test("the escape hatch reached the reports bucket", () => {
    expect(at(tf.analytics, "reports/Resource").body).toMatchObject({ aws: { object_lock_enabled: false }, gcp: { default_event_based_hold: false }, azure: { large_file_share_enabled: false } }[cloud]);
  });
});

describe("stacks that would collide fail the synth", () => {
  test("fails when two stacks would share a state key and names: both named, with the fix", () => {
    const config = testConfig();
    const app = new App({ outdir: testOutdir() });
    const platform = new PlatformStack(app, { cloud: "aws", environment: "staging", config });
    new AnalyticsStack(app, { config, platform });
    new AnalyticsStack(app, { config, platform, stackId: "analytics-copy" });
    const err = validationErrorOf(() => synthJson(platform));
    expect(err).toBeInstanceOf(StackConflictError);
    expect(err.message).toContain("state key of stack 'analytics-copy': 'taskflow/staging/aws/analytics/terraform.tfstate' is not valid; accepted: a key no other stack uses ('analytics-aws-staging' uses it)");
    expect(err.message).toContain("IAM role name at analytics-copy/analyzer/identity: 'taskflow-analytics-staging-analyzer' is not valid; accepted: a name not already taken by analytics-aws-staging/analyzer/identity");
  });

  test("fails when a construct is built in a plain TerraformStack (which would skip the policy check)", () => {
    const app = new App({ outdir: testOutdir() });
    const plain = new TerraformStack(app, "plain");
    const { kit } = new (class extends CloudStack {})(new App({ outdir: testOutdir() }), { cloud: "gcp", environment: "staging", config: testConfig() });
    expect(validationErrorOf(() => new kit.Network(plain, "net", {})).message).toContain("a scope inside a CloudStack (extend CloudStack for your stack");
  });

  test("a violating stack of your own fails the synth like the platform's", () => {
    const config = testConfig();
    const app = new App({ outdir: testOutdir() });
    const platform = new PlatformStack(app, { cloud: "aws", environment: "production", config });
    const analytics = new AnalyticsStack(app, { config, platform });
    const bucket = analytics.node.findChild("reports").node.defaultChild as unknown as { addOverride(p: string, v: unknown): void };
    bucket.addOverride("force_destroy", true);
    const versioning = analytics.node.findChild("reports").node.findChild("versioning") as unknown as { addOverride(p: string, v: unknown): void };
    versioning.addOverride("versioning_configuration.status", "Suspended");
    expect(() => synthJson(platform)).toThrow(PolicyError);
  });
});

test("the README's 'extend it' section is examples/extend.ts, which this file compiles and builds", () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
  const block = /<!-- example:extend:start -->\n```ts\n([\s\S]*?)```\n<!-- example:extend:end -->/.exec(readme);
  expect(block).not.toBeNull();
  expect(block![1]).toBe(fs.readFileSync(path.join(PROJECT_ROOT, "examples", "extend.ts"), "utf8"));
});
