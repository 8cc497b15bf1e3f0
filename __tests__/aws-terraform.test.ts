/**
 * Real Terraform on every AWS stack: `terraform validate`, then
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
import { TfJson, resourcesOf, synthStack } from "./helpers";
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

/** Assertions evaluated by Terraform after the mocked apply: they see resolved references, not tokens. */
function assertions(tf: TfJson, env: Environment): Array<[string, string]> {
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

function testFile(tf: TfJson, env: Environment): string {
  const asserts = assertions(tf, env)
    .map(([condition, message]) => `  assert {\n    condition     = ${condition}\n    error_message = ${JSON.stringify(message)}\n  }`)
    .join("\n");
  return `${MOCK_PROVIDER}\nrun "mock_apply" {\n  command = apply\n${asserts}\n}\n`;
}

const describeIf = available ? describe : describe.skip;

describeIf.each(ENVIRONMENTS)("terraform on aws-%s", (env) => {
  let dir: string;
  const tf = synthStack("aws", env);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `tf-aws-${env}-`));
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(tf, null, 2));
    fs.mkdirSync(path.join(dir, "tests"));
    fs.writeFileSync(path.join(dir, "tests", "mock.tftest.hcl"), testFile(tf, env));
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
    if (r.status !== 0) throw new Error(r.output);
    expect(r.output).toMatch(/run "mock_apply"\.\.\. pass/);
    expect(r.output).toContain("1 passed, 0 failed");
  });
});
