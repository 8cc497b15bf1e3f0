/**
 * Real Terraform on every AWS stack (both environments and the state
 * bootstrap): `terraform validate`, then
 * `terraform test` with `mock_provider "aws"`, which plans and applies the
 * synthesized JSON against a mocked provider (the real provider schema and
 * validation, no cloud) and evaluates every expression and assertion.
 *
 * Needs terraform and a local mirror of the AWS provider. When either is
 * missing the suite is SKIPPED loudly, unless REQUIRE_TERRAFORM=1 (set by
 * .ci/run), where missing tools fail the run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENVIRONMENTS, Environment } from "../constructs/core";
import { Testing } from "cdktf";
import { buildApp } from "../stacks/app";
import { resolveConfig, validateConfig } from "../stacks/config";
import { TEST_CONFIG, TfJson, resourcesOf, synthStack } from "./helpers";
import { TerraformTools, runTerraform, skipLoudly, terraformTools } from "./terraform";

const tools = terraformTools();
const available = !("missing" in tools);
if (!available) skipLoudly("real-Terraform tests of the AWS stacks (validate, mocked apply)", (tools as { missing: string }).missing);

/** Address `type.name` of the first resource of `type` matching `predicate`. */
function address(tf: TfJson, type: string, predicate: (r: any) => boolean = () => true): string {
  const name = Object.entries(resourcesOf(tf, type)).find(([, r]) => predicate(r))?.[0];
  if (!name) throw new Error(`no ${type} matches`);
  return `${type}.${name}`;
}

/** Mocked provider: data sources and ARNs the real provider validates need realistic values. */
const MOCK_PROVIDER = `
mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = { names = ["us-east-1a", "us-east-1b", "us-east-1c"] }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:mock" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock-bucket" }
  }
}
`;

type Assertion = [condition: string, message: string];

/** Assertions evaluated by Terraform after the mocked apply: they see resolved references, not tokens. */
function platformAssertions(tf: TfJson, env: Environment): Assertion[] {
  const prod = env === "production";
  const db = address(tf, "aws_db_instance");
  const vm = address(tf, "aws_instance");
  const subnet = (tier: string, i: number) => address(tf, "aws_subnet", (s) => s.tags.Tier === tier && s.tags.Name.endsWith(`-${i}`));
  const grant = address(tf, "aws_iam_role_policy", (p) => p.name.endsWith("-read-write"));
  const bucket = address(tf, "aws_s3_bucket");
  return [
    [`${db}.storage_encrypted && ${db}.storage_type == "gp3" && ${db}.max_allocated_storage == 100`, "database storage encrypted, gp3, autoscaling"],
    [`${db}.multi_az == ${prod} && ${db}.deletion_protection == ${prod}`, "Multi-AZ and deletion protection follow the environment"],
    [`${db}.publicly_accessible == false && ${db}.manage_master_user_password == true`, "database private, password managed by AWS"],
    [`${subnet("public", 1)}.availability_zone == "us-east-1a" && ${subnet("public", 2)}.availability_zone == "us-east-1b"`, "subnets spread over the zones the data source returns"],
    [`${subnet("data", 1)}.availability_zone != ${subnet("data", 2)}.availability_zone`, "data subnets in two zones"],
    [`${vm}.metadata_options[0].http_tokens == "required" && ${vm}.root_block_device[0].encrypted`, "IMDSv2 and encrypted root volume"],
    [`jsondecode(${address(tf, "aws_s3_bucket_policy")}.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false"`, "bucket policy denies non-TLS"],
    [`contains(jsondecode(${grant}.policy).Statement[1].Resource, "\${${bucket}.arn}/*")`, "VM grant is scoped to the bucket's objects"],
    [`strcontains(output.database_connection_string, "sslmode=require") && !strcontains(output.database_connection_string, ":PASSWORD")`, "connection string forces TLS and holds no password"],
    [
      `${address(tf, "aws_flow_log")}.traffic_type == "ALL" && ${address(tf, "aws_flow_log")}.log_destination == ${address(tf, "aws_cloudwatch_log_group", (g) => g.name.includes("flow-logs"))}.arn`,
      "flow log of all traffic lands in the flow-log group",
    ],
  ];
}

/** The state bootstrap: what every other stack's backend depends on. */
function bootstrapAssertions(tf: TfJson): Assertion[] {
  const bucket = address(tf, "aws_s3_bucket");
  const table = address(tf, "aws_dynamodb_table");
  return [
    [`${address(tf, "aws_s3_bucket_versioning")}.versioning_configuration[0].status == "Enabled"`, "state bucket versioned"],
    [`${address(tf, "aws_s3_bucket_public_access_block")}.block_public_policy && ${address(tf, "aws_s3_bucket_public_access_block")}.restrict_public_buckets`, "state bucket not public"],
    [`${address(tf, "aws_s3_bucket_policy")}.bucket == ${bucket}.id`, "deny-non-TLS policy on the state bucket"],
    [`${table}.hash_key == "LockID" && ${table}.billing_mode == "PAY_PER_REQUEST"`, "lock table keyed by LockID, on demand"],
    [`${table}.point_in_time_recovery[0].enabled && ${table}.server_side_encryption[0].enabled && ${table}.deletion_protection_enabled`, "lock table recoverable, encrypted, protected"],
    [`output.state_bucket == "taskflow-terraform-state" && output.lock_table == "terraform-locks"`, "outputs name the backend the stacks use"],
  ];
}

function testFile(asserts: Assertion[]): string {
  const body = asserts
    .map(([condition, message]) => `  assert {\n    condition     = ${condition}\n    error_message = ${JSON.stringify(message)}\n  }`)
    .join("\n");
  return `${MOCK_PROVIDER}\nrun "mock_apply" {\n  command = apply\n${body}\n}\n`;
}

const describeIf = available ? describe : describe.skip;

function bootstrapJson(): TfJson {
  const config = validateConfig(resolveConfig(TEST_CONFIG));
  const { bootstrap } = buildApp({ config, selection: { bootstrap: true }, outdir: "/nonexistent-test-outdir", policyLog: () => undefined });
  return JSON.parse(Testing.synth(bootstrap!)) as TfJson;
}

interface Case {
  readonly tf: TfJson;
  readonly asserts: Assertion[];
  /** Resources whose `prevent_destroy` must stop `terraform test`'s teardown (nothing else may fail). */
  readonly undestroyable: string[];
}

const cases: Array<[string, () => Case]> = [
  ...ENVIRONMENTS.map((env): [string, () => Case] => [
    `aws-${env}`,
    () => {
      const tf = synthStack("aws", env);
      return { tf, asserts: platformAssertions(tf, env), undestroyable: [] };
    },
  ]),
  [
    "state-bootstrap",
    () => {
      const tf = bootstrapJson();
      return { tf, asserts: bootstrapAssertions(tf), undestroyable: [address(tf, "aws_dynamodb_table"), address(tf, "aws_s3_bucket")] };
    },
  ],
];

describeIf.each(cases)("terraform on %s", (name, make) => {
  let dir: string;
  let undestroyable: string[] = [];

  beforeAll(() => {
    const { tf, asserts, ...rest } = make();
    undestroyable = rest.undestroyable;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `tf-${name}-`));
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(tf, null, 2));
    fs.mkdirSync(path.join(dir, "tests"));
    fs.writeFileSync(path.join(dir, "tests", "mock.tftest.hcl"), testFile(asserts));
    const init = runTerraform(tools as TerraformTools, dir, ["init", "-backend=false", `-plugin-dir=${(tools as TerraformTools).pluginDir}`, "-input=false"]);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("terraform validate accepts the synthesized configuration", () => {
    const r = runTerraform(tools as TerraformTools, dir, ["validate"]);
    expect(r.output).toContain("The configuration is valid");
    expect(r.status).toBe(0);
  });

  test("terraform test: mocked-provider apply evaluates every expression and the assertions hold", () => {
    const r = runTerraform(tools as TerraformTools, dir, ["test"]);
    expect(r.output).toMatch(/run "mock_apply"\.\.\. pass/);
    // Teardown destroys what the run applied: refused exactly for the resources that must survive a destroy.
    const refused = [...r.output.matchAll(/Resource (\S+) has lifecycle\.prevent_destroy set/g)].map((m) => m[1]).sort();
    expect(refused).toEqual([...undestroyable].sort());
    if (undestroyable.length === 0) {
      if (r.status !== 0) throw new Error(r.output);
      expect(r.output).toContain("1 passed, 0 failed");
    } else {
      expect(r.output.match(/Error: /g)).toHaveLength(undestroyable.length);
    }
  });
});

/**
 * GCP and Azure have no provider binary here, but their provider-free part can
 * run for real: the ephemeral password variable and its validation.
 */
describeIf.each(["gcp", "azure"] as const)("terraform on the %s database password variable", (cloud) => {
  let dir: string;

  beforeAll(() => {
    const tf = synthStack(cloud, "production");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `tf-${cloud}-password-`));
    const config = { terraform: { required_version: (tf.terraform as { required_version?: string }).required_version }, variable: { db_admin_password: tf.variable!.db_admin_password } };
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
    const init = runTerraform(tools as TerraformTools, dir, ["init", "-backend=false", "-input=false"]);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("is an ephemeral, sensitive variable Terraform accepts", () => {
    const r = runTerraform(tools as TerraformTools, dir, ["validate"]);
    expect(r.output).toContain("The configuration is valid");
  });

  test("Terraform refuses a password shorter than 16 characters and accepts a long one", () => {
    const short = runTerraform(tools as TerraformTools, dir, ["plan", "-input=false", "-var", "db_admin_password=too-short"]);
    expect(short.status).not.toBe(0);
    expect(short.output).toContain("db_admin_password must be 16-128 characters.");
    const ok = runTerraform(tools as TerraformTools, dir, ["plan", "-input=false", "-var", "db_admin_password=a-long-enough-passphrase"]);
    expect(ok.output).toContain("No changes.");
    expect(ok.status).toBe(0);
  });
});
