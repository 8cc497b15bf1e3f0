/**
 * The state-bootstrap stack: every property of the state bucket, its KMS key,
 * its access-log bucket and the lock table, wiring to the `backend`
 * configuration, the retry after a partial failure (which tainted resources
 * the wrapper untaints) and the selection in the app. Real Terraform
 * (validate, mocked apply, prevent_destroy at teardown) runs on it in
 * aws-terraform.test.ts.
 */
import * as path from "path";
import { Testing } from "cdktf";
import { stateKeyAlias } from "../constructs/backend";
import { ValidationError } from "../constructs/core";
import { buildApp, selectionFromEnv } from "../stacks/app";
import { BOOTSTRAP_STACK_NAME, StateBootstrapStack, stateAccessLogBucketName } from "../constructs/bootstrap-stack";
import { BOOTSTRAP_UNTAINT_TYPES, bootstrapUntaintPlan } from "../constructs/aws/bootstrap-recovery";
import { ACCESS_LOG_RETENTION_DAYS } from "../constructs/aws/bucket";
import { PlatformConfigInput, resolveConfig } from "../constructs/config";
import { decisionsAt } from "../constructs/stack";
import { TEST_CONFIG, TfJson, allItems, at, managedItems, refAt, rel, resourceTypes, synthJson } from "./helpers";
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

const policyOf = (json: string) => JSON.parse(json) as { Statement: Record<string, any>[] };

describe("state-bootstrap stack", () => {
  const stack = bootstrapStack();
  const tf = synthJson(stack);
  const bucketArn = refAt(tf, "state-bucket", "arn");
  const keyArn = refAt(tf, "state-key", "arn");

  test("has exactly the state bucket and its settings, its key, its access-log bucket and the lock table", () => {
    expect(resourceTypes(tf)).toEqual([
      "aws_dynamodb_table",
      "aws_kms_alias",
      "aws_kms_key",
      "aws_s3_bucket",
      "aws_s3_bucket_lifecycle_configuration",
      "aws_s3_bucket_logging",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_versioning",
    ]);
    expect(allItems(tf).filter((i) => i.type === "aws_s3_bucket").map((i) => rel(i.path)).sort()).toEqual(["state-access-logs/Resource", "state-bucket"]);
  });

  test("keeps its own state locally, at the project root, relative to the stack directory", () => {
    expect(tf.terraform.backend).toEqual({ local: { path: "../../../terraform.state-bootstrap.tfstate" } });
    expect(path.resolve(PROJECT_ROOT, "cdktf.out", "stacks", BOOTSTRAP_STACK_NAME, "../../../terraform.state-bootstrap.tfstate")).toBe(
      path.join(PROJECT_ROOT, "terraform.state-bootstrap.tfstate"),
    );
  });

  test("the bucket is named by the backend configuration and cannot be destroyed; it stays in one region, a recorded decision", () => {
    const bucket = at(tf, "state-bucket").body;
    expect(bucket.bucket).toBe("taskflow-terraform-state");
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(bucket.force_destroy).toBe(false);
    expect([...decisionsAt(stack, stack.bucket.node.path)]).toEqual(["state-bucket-single-region"]);
  });

  test("the bucket is versioned", () => {
    expect(at(tf, "state-bucket-versioning").body).toMatchObject({ bucket: refAt(tf, "state-bucket"), versioning_configuration: { status: "Enabled" } });
  });

  test("the bucket encrypts with the state key (SSE-KMS, bucket keys), not SSE-S3", () => {
    const sse = at(tf, "state-bucket-encryption").body;
    expect(sse.bucket).toBe(refAt(tf, "state-bucket"));
    expect(sse.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn }, bucket_key_enabled: true }]);
  });

  test("the state key rotates, is deleted only after 30 days, cannot be destroyed by Terraform and nobody may schedule its deletion", () => {
    const key = at(tf, "state-key").body;
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(key.policy).toBe(refAt(tf, "state-key-policy", "json"));
    const statements = at(tf, "state-key-policy").body.statement;
    expect(statements).toEqual([
      {
        sid: "AccountAdministersKeyThroughIam",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [`arn:${refAt(tf, "partition", "partition")}:iam::${refAt(tf, "caller", "account_id")}:root`] }],
        actions: ["kms:*"],
        resources: ["*"],
      },
      { sid: "NobodySchedulesTheStateKeysDeletion", effect: "Deny", principals: [{ type: "AWS", identifiers: ["*"] }], actions: ["kms:ScheduleKeyDeletion"], resources: ["*"] },
    ]);
  });

  test("the key's alias is the one every backend names (kms_key_id), derived from the bucket", () => {
    expect(at(tf, "state-key-alias").body).toMatchObject({ name: "alias/taskflow-terraform-state", target_key_id: refAt(tf, "state-key", "key_id") });
    expect(stateKeyAlias(config().backend)).toBe("alias/taskflow-terraform-state");
    expect(tf.output?.state_key.value).toBe("alias/taskflow-terraform-state");
  });

  test("all four public access blocks are on", () => {
    expect(at(tf, "state-bucket-public-access").body).toMatchObject({
      bucket: refAt(tf, "state-bucket"),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("ACLs are disabled (BucketOwnerEnforced)", () => {
    expect(at(tf, "state-bucket-ownership").body).toMatchObject({ bucket: refAt(tf, "state-bucket"), rule: { object_ownership: "BucketOwnerEnforced" } });
  });

  test("the bucket policy denies every request without TLS, and deleting the bucket to everyone", () => {
    const policy = at(tf, "state-bucket-policy").body;
    expect(policy.bucket).toBe(refAt(tf, "state-bucket"));
    expect(policy.policy).toBe(refAt(tf, "state-bucket-tls-only", "json"));
    expect(policy.depends_on).toEqual([at(tf, "state-bucket-public-access").address]);
    expect(at(tf, "state-bucket-tls-only").body.statement).toEqual([
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:*"],
        resources: [bucketArn, `${bucketArn}/*`],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
      { sid: "NobodyDeletesTheStateBucket", effect: "Deny", principals: [{ type: "*", identifiers: ["*"] }], actions: ["s3:DeleteBucket"], resources: [bucketArn] },
    ]);
  });

  describe("who reads the state is recorded: S3 server access logs", () => {
    const logs = at(tf, "state-access-logs/Resource");
    const logsArn = refAt(tf, "state-access-logs/Resource", "arn");

    test("the state bucket logs to its own log bucket, under its name, partitioned by event time", () => {
      expect(at(tf, "state-bucket-logging").body).toMatchObject({
        bucket: refAt(tf, "state-bucket"),
        target_bucket: refAt(tf, "state-access-logs/Resource"),
        target_prefix: "taskflow-terraform-state/",
        target_object_key_format: { partitioned_prefix: { partition_date_source: "EventTime" } },
        depends_on: [at(tf, "state-access-logs/policy").address],
      });
      expect(logs.body).toMatchObject({ bucket: "taskflow-terraform-state-access-logs", force_destroy: false, lifecycle: { prevent_destroy: true } });
      expect(tf.output?.state_access_logs.value).toBe("taskflow-terraform-state-access-logs");
    });

    test("the log bucket is SSE-S3 (all S3 log delivery accepts), versioned, private, TLS-only, and keeps logs a year", () => {
      expect(at(tf, "state-access-logs/encryption").body.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
      expect(at(tf, "state-access-logs/versioning").body.versioning_configuration).toEqual({ status: "Enabled" });
      expect(at(tf, "state-access-logs/public-access").body).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
      expect(at(tf, "state-access-logs/ownership").body.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
      const rules = at(tf, "state-access-logs/lifecycle").body.rule;
      expect(rules.find((r: any) => r.id === "expire-objects").expiration).toEqual([{ days: ACCESS_LOG_RETENTION_DAYS }]);
      expect([...decisionsAt(stack, stack.accessLogs.bucket.bucket.node.path)]).toEqual(["access-log-destination"]);
    });

    test("only S3 log delivery may write, only under the state bucket's prefix, only for the state bucket", () => {
      const statements = policyOf(at(tf, "state-access-logs/policy").body.policy).Statement;
      expect(statements.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "S3ServerAccessLogDelivery"]);
      expect(statements[1]).toEqual({
        Sid: "S3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: [`${logsArn}/taskflow-terraform-state/*`],
        Condition: { ArnLike: { "aws:SourceArn": [bucketArn] } },
      });
    });
  });

  test("the lock table has the key Terraform expects, on demand, recoverable, encrypted with the state key, protected", () => {
    const table = at(tf, "lock-table").body;
    expect(table.name).toBe("terraform-locks");
    expect(table.hash_key).toBe("LockID");
    expect(table.attribute).toEqual([{ name: "LockID", type: "S" }]);
    expect(table.billing_mode).toBe("PAY_PER_REQUEST");
    expect(table.point_in_time_recovery).toEqual({ enabled: true });
    expect(table.server_side_encryption).toEqual({ enabled: true, kms_key_arn: keyArn });
    expect(table.deletion_protection_enabled).toBe(true);
    expect(table.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("every stateful resource is protected from a destroy: bucket, log bucket, key and table", () => {
    const protectedPaths = allItems(tf)
      .filter((i) => i.body.lifecycle?.prevent_destroy === true)
      .map((i) => rel(i.path))
      .sort();
    expect(protectedPaths).toEqual(["lock-table", "state-access-logs/Resource", "state-bucket", "state-key"]);
  });

  test("the provider uses the backend region and the AWS endpoints", () => {
    const provider = tf.provider?.aws?.[0];
    expect(provider?.region).toBe("us-east-1");
    expect(provider?.endpoints).toBeUndefined();
    expect(provider?.default_tags).toEqual([{ tags: { Project: "taskflow", ManagedBy: "cdktf", Purpose: "terraform-state" } }]);
  });

  test("bucket, log bucket, key alias, table and region follow the backend configuration", () => {
    const other = synthJson(bootstrapStack({ backend: { bucket: "acme.tf-state", region: "eu-west-1", dynamodbTable: "acme-locks" } }));
    expect(at(other, "state-bucket").body.bucket).toBe("acme.tf-state");
    expect(at(other, "state-access-logs/Resource").body.bucket).toBe("acme.tf-state-access-logs");
    expect(at(other, "state-key-alias").body.name).toBe("alias/acme-tf-state");
    expect(at(other, "lock-table").body.name).toBe("acme-locks");
    expect(other.provider?.aws?.[0].region).toBe("eu-west-1");
  });

  test("a state bucket name near S3's 63 characters still gets a valid, distinct log bucket name", () => {
    const long = `${"a".repeat(30)}.${"b".repeat(32)}`;
    expect(long).toHaveLength(63);
    const name = stateAccessLogBucketName(long);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
    expect(name).not.toMatch(/[.-][.-]/);
    expect(name).not.toBe(long);
    expect(stateAccessLogBucketName(long)).toBe(name);
  });

  test("custom backend endpoints also point the provider at them", () => {
    const local = synthJson(bootstrapStack({ backend: { endpoints: { s3: "http://127.0.0.1:4569", dynamodb: "http://127.0.0.1:4567" } } }));
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

describe("retrying the bootstrap after a partial failure", () => {
  const tf = synthJson(bootstrapStack());
  const shown = (tainted: string[]) => ({
    values: {
      root_module: {
        resources: managedItems(tf).map((i) => ({ address: i.address, mode: "managed", type: i.type, name: i.name, ...(tainted.includes(i.address) ? { tainted: true } : {}) })),
      },
    },
  });

  test("every resource type of the bootstrap converges once untainted (its update reapplies every setting)", () => {
    expect(resourceTypes(tf).filter((t) => !BOOTSTRAP_UNTAINT_TYPES.includes(t))).toEqual([]);
  });

  test("untaints exactly the tainted resources (a key whose rotation failed, a table whose PITR failed), nothing else", () => {
    const key = at(tf, "state-key").address;
    const table = at(tf, "lock-table").address;
    expect(bootstrapUntaintPlan(shown([key, table]))).toEqual({ untaint: [key, table], refuse: [] });
    expect(bootstrapUntaintPlan(shown([]))).toEqual({ untaint: [], refuse: [] });
  });

  test("refuses to untaint a resource type it does not know converges", () => {
    const state = { values: { root_module: { resources: [{ address: "aws_instance.x", mode: "managed", type: "aws_instance", tainted: true }] } } };
    expect(bootstrapUntaintPlan(state)).toEqual({ untaint: [], refuse: ["aws_instance.x"] });
  });

  test("an empty or missing state untaints nothing", () => {
    expect(bootstrapUntaintPlan({})).toEqual({ untaint: [], refuse: [] });
    expect(bootstrapUntaintPlan(undefined)).toEqual({ untaint: [], refuse: [] });
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
