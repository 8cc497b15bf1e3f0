/**
 * Replacement safety of every AWS stack (platform, worker and state bootstrap;
 * staging and production, and a production platform that manages its DNS in
 * Route 53), held to the provider review in constructs/aws/provider-facts.ts:
 *
 * - every resource and data source type emitted has a reviewed row (a new type
 *   without a review fails here);
 * - every value AWS changes by itself is unset, in `ignore_changes`, suppressed
 *   by the provider under a condition the resource meets, or written in the
 *   form AWS reads it back;
 * - no replacement-forcing attribute follows a data source whose result changes
 *   between plans (an AMI lookup, the zone list) unless it is ignored after creation;
 * - every stateful resource, and every resource the outside world points at
 *   (the internet-facing load balancer), is protected from a destroy exactly
 *   where deletion protection is on;
 * - docs/aws-provider-review.md is the rendering of the same data.
 *
 * The checks are functions of the synthesized JSON, and each is also run on a
 * deliberately broken copy, so none of them can pass by construction.
 */
import * as fs from "fs";
import { AWS_MUST_SURVIVE_TYPES, AWS_PROVIDER_FACTS, ProviderFact, awsMustSurviveDestroy, providerFact } from "../constructs/aws/provider-facts";
import { AWS_STATEFUL_TYPES } from "../constructs/policy/rules-aws";
import { buildApp } from "../stacks/app";
import { AWS_PROVIDER_REVIEW_DOC, renderAwsProviderReview } from "../scripts/aws-provider-review";
import { TfJson, allItems, at, managedItems, rel, synthJson, testConfig, testOutdir } from "./helpers";

interface StackCase {
  readonly name: string;
  readonly tf: TfJson;
  /** Terraform must refuse to destroy its stateful resources. */
  readonly protected: boolean;
}

/** The DNS zone of the stack that manages its records in Route 53 (the default profiles manage none). */
const ZONE = "taskflow.example.com";

function awsStacks(): StackCase[] {
  const config = testConfig({ clouds: ["aws"] });
  const { stacks, bootstrap } = buildApp({ config, outdir: testOutdir(), checkLog: () => undefined });
  // Production with a Route 53 zone: the alias and validation records and the zone lookup are emitted too.
  const zoned = buildApp({
    config: testConfig({ clouds: ["aws"], environments: { production: { dnsZone: ZONE } } }),
    selection: { cloud: "aws", environment: "production", stacks: ["aws-production"] },
    outdir: testOutdir(),
    checkLog: () => undefined,
  }).stacks[0];
  return [
    ...stacks.map((s) => ({ name: s.node.id, tf: synthJson(s), protected: s.profile.deletionProtection })),
    { name: bootstrap!.node.id, tf: synthJson(bootstrap!), protected: true },
    { name: `${zoned.node.id} (Route 53 zone ${ZONE})`, tf: synthJson(zoned), protected: zoned.profile.deletionProtection },
  ];
}

const STACKS = awsStacks();
const clone = (tf: TfJson): TfJson => JSON.parse(JSON.stringify(tf));
const ignored = (body: Record<string, any>): readonly string[] | "all" => body.lifecycle?.ignore_changes ?? [];

/** Emitted types (resources and data sources) that have no reviewed row of their kind. */
function unreviewedTypes(tf: TfJson): string[] {
  return [...new Set(allItems(tf).map((i) => `${i.address.startsWith("data.") ? "data" : "resource"}:${i.type}`))]
    .filter((k) => {
      const [kind, type] = k.split(":");
      return providerFact(type)?.kind !== kind;
    })
    .sort();
}

/** Every drifting attribute that is neither unset, nor ignored, nor suppressed under a condition the resource meets. */
function driftFindings(tf: TfJson): string[] {
  const out: string[] = [];
  for (const r of managedItems(tf)) {
    for (const d of providerFact(r.type)?.drift ?? []) {
      const value = r.body[d.attribute];
      // provider-suppressed and read-back-form: unset, or set in a way the resource's condition accepts.
      const ok =
        d.guard === "not-set"
          ? value === undefined
          : d.guard === "ignore_changes"
            ? ignored(r.body) === "all" || ignored(r.body).includes(d.attribute)
            : value === undefined || d.when?.holds(r.body) === true;
      if (!ok) out.push(`${r.address}.${d.attribute} (${d.guard}): ${JSON.stringify(value)}`);
    }
  }
  return out.sort();
}

const SHIFTING_DATA = AWS_PROVIDER_FACTS.filter((f) => f.kind === "data" && f.changesBetweenPlans).map((f) => f.type);

/** Replacement-forcing attributes whose value follows a data source that can change between plans, without ignore_changes. */
function shiftingReplacementFindings(tf: TfJson): string[] {
  const out: string[] = [];
  for (const r of managedItems(tf)) {
    for (const attribute of providerFact(r.type)?.forcesReplacement ?? []) {
      const value = JSON.stringify(r.body[attribute] ?? null);
      const follows = SHIFTING_DATA.some((type) => value.includes(`data.${type}.`));
      if (follows && ignored(r.body) !== "all" && !ignored(r.body).includes(attribute)) out.push(`${r.address}.${attribute} follows ${value}`);
    }
  }
  return out.sort();
}

/** Stateful (and must-survive) resources whose `prevent_destroy` does not match the stack's deletion protection. */
function destroyFindings(tf: TfJson, protectedStack: boolean): string[] {
  return managedItems(tf)
    .filter((r) => awsMustSurviveDestroy(r.type, r.body))
    .filter((r) => (r.body.lifecycle?.prevent_destroy === true) !== protectedStack)
    .map((r) => `${r.address}: prevent_destroy ${r.body.lifecycle?.prevent_destroy === true}, deletion protection ${protectedStack}`)
    .sort();
}

test("the stacks under review: platform and worker for both environments, and the state bootstrap", () => {
  expect(STACKS.map((s) => [s.name, s.protected])).toEqual([
    ["aws-staging", false],
    ["worker-aws-staging", false],
    ["aws-production", true],
    ["worker-aws-production", true],
    ["state-bootstrap", true],
    [`aws-production (Route 53 zone ${ZONE})`, true],
  ]);
  const zoned = STACKS[STACKS.length - 1].tf;
  expect(allItems(zoned).filter((i) => i.type === "aws_route53_record" || i.type === "aws_route53_zone").map((i) => rel(i.path)).sort()).toEqual(
    ["entry/alias-record", "entry/certificate/validation-record", "entry/zone"].sort(),
  );
});

describe.each(STACKS.map((s) => [s.name, s] as const))("%s", (_name, s) => {
  test("every emitted resource and data source type has a reviewed row in provider-facts.ts", () => {
    expect(unreviewedTypes(s.tf)).toEqual([]);
  });

  test("every value AWS changes by itself is unset, ignored after creation, or suppressed by the provider under a condition the resource meets", () => {
    expect(driftFindings(s.tf)).toEqual([]);
  });

  test("no replacement-forcing attribute follows a data source that changes between plans (AMI, zones) unless it is ignored after creation", () => {
    expect(shiftingReplacementFindings(s.tf)).toEqual([]);
  });

  test(`every stateful resource (database, bucket, key, secret, log group, table) and internet-facing load balancer ${s.protected ? "refuses a destroy (prevent_destroy)" : "can be destroyed"}`, () => {
    expect(managedItems(s.tf).filter((r) => providerFact(r.type)?.stateful).length).toBeGreaterThan(0);
    expect(destroyFindings(s.tf, s.protected)).toEqual([]);
  });
});

describe("the checks catch what they are for (run on broken copies of the synthesized stacks)", () => {
  const staging = STACKS.find((s) => s.name === "aws-staging")!.tf;
  const production = STACKS.find((s) => s.name === "aws-production")!.tf;

  test("a type without a review row", () => {
    const tf = clone(staging);
    tf.resource!.aws_lambda_function = { fn: { "//": { metadata: { path: "aws-staging/fn" } } } };
    expect(unreviewedTypes(tf)).toEqual(["resource:aws_lambda_function"]);
  });

  const worker = STACKS.find((s) => s.name === "worker-aws-staging")!.tf;

  test("the worker VM following the newest AMI without ignore_changes (a new image would replace it)", () => {
    const tf = clone(worker);
    delete at(tf, "worker/Resource").body.lifecycle;
    const vm = at(tf, "worker/Resource").address;
    expect(driftFindings(tf)).toEqual([`${vm}.ami (ignore_changes): "\${${at(tf, "worker/ami").address}.id}"`]);
    expect(shiftingReplacementFindings(tf)).toEqual([`${vm}.ami follows "\${${at(tf, "worker/ami").address}.id}"`]);
  });

  test("the app tier's template following the newest AMI (every new image would roll the group at the next apply)", () => {
    const tf = clone(staging);
    delete at(tf, "app/template").body.lifecycle;
    expect(driftFindings(tf)).toEqual([`${at(tf, "app/template").address}.image_id (ignore_changes): "\${${at(tf, "app/ami").address}.id}"`]);
    // image_id does not force a new template: a new version, not a replacement.
    expect(shiftingReplacementFindings(tf)).toEqual([]);
  });

  test("the group's size and target groups taken back from the autoscaler and the attachment", () => {
    const tf = clone(production);
    const group = at(tf, "app/Resource");
    group.body.lifecycle.ignore_changes = ["target_group_arns"];
    expect(driftFindings(tf)).toEqual([`${group.address}.desired_capacity (ignore_changes): 2`]);
    group.body.lifecycle.ignore_changes = ["desired_capacity"];
    group.body.target_group_arns = [`\${${at(tf, "entry/target-group").address}.arn}`];
    expect(driftFindings(tf)).toEqual([`${group.address}.target_group_arns (ignore_changes): ["\${${at(tf, "entry/target-group").address}.arn}"]`]);
  });

  test("values written in another form than AWS reads back: a service-linked role suffix with \"_\", an upper-case redacted header", () => {
    const tf = clone(production);
    const role = at(tf, "app/service-role");
    role.body.custom_suffix = "taskflow_app";
    const logging = at(tf, "entry/waf/logging");
    logging.body.redacted_fields = [{ single_header: { name: "Authorization" } }];
    expect(driftFindings(tf)).toEqual(
      [`${role.address}.custom_suffix (read-back-form): "taskflow_app"`, `${logging.address}.redacted_fields (read-back-form): [{"single_header":{"name":"Authorization"}}]`].sort(),
    );
  });

  test("subnets placed by the zone list without ignore_changes (a shifted list would replace them)", () => {
    const tf = clone(staging);
    delete at(tf, "network/data-2").body.lifecycle;
    expect(shiftingReplacementFindings(tf)).toEqual([`${at(tf, "network/data-2").address}.availability_zone follows "\${data.aws_availability_zones.zones.names.1}"`]);
  });

  test("RDS storage autoscaling without a ceiling above the initial size (the next plan would shrink the grown disk)", () => {
    const tf = clone(staging);
    const db = at(tf, "database/Resource");
    db.body.max_allocated_storage = db.body.allocated_storage;
    expect(driftFindings(tf)).toEqual([`${db.address}.allocated_storage (provider-suppressed): 20`]);
  });

  test("a fully pinned engine version (the next plan after a minor upgrade would downgrade)", () => {
    const tf = clone(staging);
    const db = at(tf, "database/Resource");
    db.body.engine_version = "16.3";
    expect(driftFindings(tf)).toEqual([`${db.address}.engine_version (provider-suppressed): "16.3"`]);
  });

  test("a pinned database zone (a Multi-AZ failover moves it)", () => {
    const tf = clone(production);
    const db = at(tf, "database/Resource");
    db.body.availability_zone = "us-east-1a";
    expect(driftFindings(tf)).toEqual([`${db.address}.availability_zone (not-set): "us-east-1a"`]);
  });

  test("a production load balancer without prevent_destroy, a staging one with it; an internal one is not asked", () => {
    const prod = clone(production);
    delete at(prod, "entry/Resource").body.lifecycle;
    expect(destroyFindings(prod, true)).toEqual([`${at(prod, "entry/Resource").address}: prevent_destroy false, deletion protection true`]);
    at(prod, "entry/Resource").body.internal = true;
    expect(destroyFindings(prod, true)).toEqual([]);
    const stg = clone(staging);
    at(stg, "entry/Resource").body.lifecycle = { prevent_destroy: true };
    expect(destroyFindings(stg, false)).toEqual([`${at(stg, "entry/Resource").address}: prevent_destroy true, deletion protection false`]);
  });

  test("a production key without prevent_destroy, a staging bucket with it", () => {
    const prod = clone(production);
    delete at(prod, "kms/Resource").body.lifecycle;
    expect(destroyFindings(prod, true)).toEqual([`${at(prod, "kms/Resource").address}: prevent_destroy false, deletion protection true`]);
    const stg = clone(staging);
    at(stg, "uploads/Resource").body.lifecycle = { prevent_destroy: true };
    expect(destroyFindings(stg, false)).toEqual([`${at(stg, "uploads/Resource").address}: prevent_destroy true, deletion protection false`]);
  });
});

describe("the review itself", () => {
  test("one row per type, and the stateful types are the ones the policy rule AWS-STATEFUL-PREVENT-DESTROY protects", () => {
    const types = AWS_PROVIDER_FACTS.map((f) => f.type);
    expect(new Set(types).size).toBe(types.length);
    expect(AWS_PROVIDER_FACTS.filter((f) => f.stateful).map((f) => f.type).sort()).toEqual([...AWS_STATEFUL_TYPES].sort());
    // Holding no data but refused by destroy too: the internet-facing load balancer (policy AWS-LB-DELETION-PROTECTION).
    expect(AWS_MUST_SURVIVE_TYPES).toEqual(["aws_lb"]);
    expect(AWS_PROVIDER_FACTS.filter((f) => f.stateful && f.mustSurvive)).toEqual([]);
  });

  test("every row names its source, its APIs and how it stays stable; every suppressed drift states its condition", () => {
    const incomplete = (f: ProviderFact) =>
      f.source.length < 10 || f.apis.length === 0 || f.stability.length < 5 || f.drift.some((d) => (d.guard === "provider-suppressed" || d.guard === "read-back-form") && !d.when);
    expect(AWS_PROVIDER_FACTS.filter(incomplete).map((f) => f.type)).toEqual([]);
  });

  test("docs/aws-provider-review.md is generated from provider-facts.ts (node dist/scripts/aws-provider-review.js)", () => {
    expect(fs.readFileSync(AWS_PROVIDER_REVIEW_DOC, "utf8")).toBe(renderAwsProviderReview());
  });
});
