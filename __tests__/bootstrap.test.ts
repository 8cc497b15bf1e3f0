/**
 * The state-bootstrap stack: every property of the state bucket and the lock
 * table, wiring to the `backend` configuration and selection in the app.
 * Real Terraform (validate, mocked apply, prevent_destroy at teardown) runs
 * on it in aws-terraform.test.ts.
 */
import * as path from "path";
import { Testing } from "cdktf";
import { ValidationError } from "../constructs/core";
import { buildApp, selectionFromEnv } from "../stacks/app";
import { BOOTSTRAP_STACK_NAME, StateBootstrapStack } from "../constructs/bootstrap-stack";
import { PlatformConfigInput, resolveConfig } from "../constructs/config";
import { TEST_CONFIG, TfJson, onlyResource, resourceTypes, synthJson } from "./helpers";
import { PROJECT_ROOT } from "./workflow-helpers";

function config(overrides: PlatformConfigInput = {}) {
  return resolveConfig({ ...TEST_CONFIG, clouds: ["aws"], ...overrides });
}

function bootstrapStack(overrides: PlatformConfigInput = {}, outdir = path.join(PROJECT_ROOT, "cdktf.out")): StateBootstrapStack {
  const { bootstrap, stacks } = buildApp({ config: config(overrides), selection: { bootstrap: true }, outdir, checkLog: () => undefined });
  expect(stacks).toHaveLength(0);
  if (!bootstrap) throw new Error("buildApp did not build the bootstrap stack");
  return bootstrap;
}

function synthBootstrap(overrides: PlatformConfigInput = {}): TfJson {
  const stack = bootstrapStack(overrides);
  synthJson(stack);
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

/** `${<type>.<name>.<attr>}` of the single resource of `type`. */
function ref(tf: TfJson, type: string, attr: string, kind: "resource" | "data" = "resource"): string {
  const names = Object.keys((kind === "resource" ? tf.resource : tf.data)?.[type] ?? {});
  if (names.length !== 1) throw new Error(`expected one ${type}, found ${names.length}`);
  return kind === "resource" ? `\${${type}.${names[0]}.${attr}}` : `\${data.${type}.${names[0]}.${attr}}`;
}

describe("state-bootstrap stack", () => {
  const tf = synthBootstrap();

  test("has exactly the state bucket, its settings and the lock table", () => {
    expect(resourceTypes(tf)).toEqual([
      "aws_dynamodb_table",
      "aws_s3_bucket",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_versioning",
    ]);
  });

  test("keeps its own state locally, at the project root, relative to the stack directory", () => {
    expect(tf.terraform.backend).toEqual({ local: { path: "../../../terraform.state-bootstrap.tfstate" } });
    expect(path.resolve(PROJECT_ROOT, "cdktf.out", "stacks", BOOTSTRAP_STACK_NAME, "../../../terraform.state-bootstrap.tfstate")).toBe(
      path.join(PROJECT_ROOT, "terraform.state-bootstrap.tfstate"),
    );
  });

  test("the bucket is named by the backend configuration and cannot be destroyed", () => {
    const bucket = onlyResource(tf, "aws_s3_bucket");
    expect(bucket.bucket).toBe("taskflow-terraform-state");
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(bucket.force_destroy).toBe(false);
  });

  test("the bucket is versioned", () => {
    const v = onlyResource(tf, "aws_s3_bucket_versioning");
    expect(v.bucket).toBe(ref(tf, "aws_s3_bucket", "id"));
    expect(v.versioning_configuration).toEqual({ status: "Enabled" });
  });

  test("the bucket encrypts by default (SSE-S3, as the backend's encrypt = true requests)", () => {
    const sse = onlyResource(tf, "aws_s3_bucket_server_side_encryption_configuration");
    expect(sse.bucket).toBe(ref(tf, "aws_s3_bucket", "id"));
    expect(sse.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
  });

  test("all four public access blocks are on", () => {
    const pab = onlyResource(tf, "aws_s3_bucket_public_access_block");
    expect(pab).toMatchObject({
      bucket: ref(tf, "aws_s3_bucket", "id"),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("ACLs are disabled (BucketOwnerEnforced)", () => {
    const own = onlyResource(tf, "aws_s3_bucket_ownership_controls");
    expect(own.bucket).toBe(ref(tf, "aws_s3_bucket", "id"));
    expect(own.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("the bucket policy denies every request without TLS", () => {
    const policy = onlyResource(tf, "aws_s3_bucket_policy");
    expect(policy.bucket).toBe(ref(tf, "aws_s3_bucket", "id"));
    expect(policy.policy).toBe(ref(tf, "aws_iam_policy_document", "json", "data"));
    expect(policy.depends_on).toEqual([ref(tf, "aws_s3_bucket_public_access_block", "id").replace(/^\$\{(.*)\.id\}$/, "$1")]);
    const doc = Object.values(tf.data?.aws_iam_policy_document ?? {});
    expect(doc).toHaveLength(1);
    const arn = ref(tf, "aws_s3_bucket", "arn");
    expect(doc[0].statement).toEqual([
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:*"],
        resources: [arn, `${arn}/*`],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ]);
  });

  test("the lock table has the key Terraform expects, on demand, recoverable, encrypted, protected", () => {
    const table = onlyResource(tf, "aws_dynamodb_table");
    expect(table.name).toBe("terraform-locks");
    expect(table.hash_key).toBe("LockID");
    expect(table.attribute).toEqual([{ name: "LockID", type: "S" }]);
    expect(table.billing_mode).toBe("PAY_PER_REQUEST");
    expect(table.point_in_time_recovery).toEqual({ enabled: true });
    expect(table.server_side_encryption).toEqual({ enabled: true });
    expect(table.deletion_protection_enabled).toBe(true);
    expect(table.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("the provider uses the backend region and the AWS endpoints", () => {
    const provider = tf.provider?.aws?.[0];
    expect(provider?.region).toBe("us-east-1");
    expect(provider?.endpoints).toBeUndefined();
    expect(provider?.default_tags).toEqual([{ tags: { Project: "taskflow", ManagedBy: "cdktf", Purpose: "terraform-state" } }]);
  });

  test("bucket, table and region follow the backend configuration", () => {
    const other = synthBootstrap({ backend: { bucket: "acme-tf-state", region: "eu-west-1", dynamodbTable: "acme-locks" } });
    expect(onlyResource(other, "aws_s3_bucket").bucket).toBe("acme-tf-state");
    expect(onlyResource(other, "aws_dynamodb_table").name).toBe("acme-locks");
    expect(other.provider?.aws?.[0].region).toBe("eu-west-1");
  });

  test("custom backend endpoints also point the provider at them", () => {
    const local = synthBootstrap({ backend: { endpoints: { s3: "http://127.0.0.1:4569", dynamodb: "http://127.0.0.1:4567" } } });
    const provider = local.provider?.aws?.[0];
    expect(provider?.endpoints).toEqual([{ s3: "http://127.0.0.1:4569", dynamodb: "http://127.0.0.1:4567" }]);
    expect(provider?.s3_use_path_style).toBe(true);
    expect(provider?.skip_credentials_validation).toBe(true);
    expect(provider?.skip_requesting_account_id).toBe(true);
  });

  test("an explicit statePath is used as given", () => {
    const { app } = buildApp({ config: config(), selection: { bootstrap: true }, outdir: "/nonexistent-test-outdir" });
    const stack = new StateBootstrapStack(Testing.app(), { config: config(), statePath: "state/bootstrap.tfstate" });
    expect(app.node.children.map((c) => c.node.id)).toEqual([BOOTSTRAP_STACK_NAME]);
    expect((JSON.parse(Testing.synth(stack)) as TfJson).terraform.backend).toEqual({ local: { path: "state/bootstrap.tfstate" } });
  });
});

describe("selection of the bootstrap stack", () => {
  test("PLATFORM_BOOTSTRAP=true selects it alone", () => {
    expect(selectionFromEnv({ PLATFORM_BOOTSTRAP: "true" })).toEqual({ cloud: undefined, environment: undefined, bootstrap: true });
    const { app, stacks, bootstrap } = buildApp({ config: config(), selection: selectionFromEnv({ PLATFORM_BOOTSTRAP: "true" }), outdir: "/nonexistent-test-outdir" });
    expect(stacks).toHaveLength(0);
    expect(bootstrap?.node.id).toBe(BOOTSTRAP_STACK_NAME);
    expect(app.node.children.map((c) => c.node.id)).toEqual([BOOTSTRAP_STACK_NAME]);
  });

  test("no selection (plain synth) builds it with every platform and worker stack", () => {
    const { app } = buildApp({ config: config(), outdir: "/nonexistent-test-outdir" });
    expect(app.node.children.map((c) => c.node.id).sort()).toEqual(["aws-production", "aws-staging", BOOTSTRAP_STACK_NAME, "worker-aws-production", "worker-aws-staging"]);
  });

  test("a cloud or environment selection leaves it out", () => {
    const { app, bootstrap } = buildApp({ config: config(), selection: { cloud: "aws", environment: "staging" }, outdir: "/nonexistent-test-outdir" });
    expect(bootstrap).toBeUndefined();
    expect(app.node.children.map((c) => c.node.id)).toEqual(["aws-staging", "worker-aws-staging"]);
  });

  test("fails when PLATFORM_BOOTSTRAP is not true or false", () => {
    expect(() => selectionFromEnv({ PLATFORM_BOOTSTRAP: "yes" })).toThrow(/PLATFORM_BOOTSTRAP: 'yes' is not valid; accepted: one of true, false/);
  });

  test("fails when PLATFORM_BOOTSTRAP is combined with a cloud", () => {
    expect(() => selectionFromEnv({ PLATFORM_BOOTSTRAP: "true", PLATFORM_CLOUD: "aws" })).toThrow(ValidationError);
  });
});
