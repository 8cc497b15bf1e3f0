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
import { DatabaseCredentials, defaultPasswordVariableName } from "../constructs/postgres-database";
import { APPLICATION_PORT } from "../stacks/platform-stack";
import { buildApp } from "../stacks/app";
import { TfJson, allItems, at, platformStack, synthJson, synthStack, testConfig, testOutdir } from "./helpers";
import { TerraformTools, runTerraform, skipLoudly, terraformTools } from "./terraform";

// The mocked provider never calls AWS; this keeps any SDK code path off the instance metadata service.
process.env.AWS_EC2_METADATA_DISABLED = "true";

const ENVIRONMENTS = ["staging", "production"] as const;
type Env = (typeof ENVIRONMENTS)[number];

const tools = terraformTools();
const available = !("missing" in tools);
if (!available) skipLoudly("real-Terraform tests of the AWS stacks (validate, mocked apply)", (tools as { missing: string }).missing);

/** Address `type.name` of the resource at construct path `p` (below the stack), from the synthesized JSON. */
const address = (tf: TfJson, p: string): string => at(tf, p).address;

/** Addresses of every resource that Terraform must refuse to destroy (`lifecycle.prevent_destroy`), from the JSON. */
function preventDestroy(tf: TfJson): string[] {
  return allItems(tf)
    .filter((i) => !i.address.startsWith("data.") && i.body.lifecycle?.prevent_destroy === true)
    .map((i) => i.address);
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
function platformAssertions(tf: TfJson, env: Env): Assertion[] {
  const prod = env === "production";
  const db = address(tf, "database/Resource");
  const vm = address(tf, "app/Resource");
  const subnet = (tier: string, i: number) => address(tf, `network/${tier}-${i}`);
  const bucket = address(tf, "uploads/Resource");
  const grant = address(tf, "uploads/grant-read-write-app");
  const role = address(tf, "app/identity/Resource");
  const profile = address(tf, "app/identity/profile");
  const appSg = address(tf, "app/identity/sg");
  const dbSg = address(tf, "database/sg");
  const dbIngress = address(tf, "database/from-app-identity");
  const appToDb = address(tf, "app/identity/to-database");
  const appIngress = allItems(tf)
    .filter((i) => i.type === "aws_vpc_security_group_ingress_rule" && i.path.split("/").slice(1, 3).join("/") === "app/identity")
    .map((i) => i.address);
  if (appIngress.length !== 2) throw new Error(`expected the two application-port rules under app/identity, found ${appIngress.join(", ")}`);
  const flowLog = address(tf, "network/flow-log");
  return [
    [`${db}.storage_encrypted && ${db}.storage_type == "gp3" && ${db}.max_allocated_storage == 100`, "database storage encrypted, gp3, autoscaling"],
    [`${db}.multi_az == ${prod} && ${db}.deletion_protection == ${prod}`, "Multi-AZ and deletion protection follow the environment"],
    [`${db}.publicly_accessible == false && ${db}.manage_master_user_password == true`, "database private, password managed by AWS"],
    [`${bucket}.force_destroy == ${!prod}`, "the bucket is force-destroyable only where deletion protection is off"],
    [`${subnet("public", 1)}.availability_zone == "us-east-1a" && ${subnet("public", 2)}.availability_zone == "us-east-1b"`, "subnets spread over the zones the data source returns"],
    [`${subnet("data", 1)}.availability_zone != ${subnet("data", 2)}.availability_zone`, "data subnets in two zones"],
    [`${vm}.metadata_options[0].http_tokens == "required" && ${vm}.root_block_device[0].encrypted`, "IMDSv2 and encrypted root volume"],
    [`jsondecode(${address(tf, "uploads/policy")}.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false"`, "bucket policy denies non-TLS"],
    [`contains(jsondecode(${grant}.policy).Statement[1].Resource, "\${${bucket}.arn}/*")`, "VM grant is scoped to the bucket's objects"],
    [`${grant}.role == ${role}.name`, "the bucket grant is attached to the VM's identity role"],
    [`jsondecode(${role}.assume_role_policy).Statement[0].Principal.Service == "ec2.amazonaws.com"`, "the identity role trusts EC2 only"],
    [`${profile}.role == ${role}.name && ${vm}.iam_instance_profile == ${profile}.name`, "the VM runs as its identity's instance profile"],
    [`length(${vm}.vpc_security_group_ids) == 1 && contains(tolist(${vm}.vpc_security_group_ids), ${appSg}.id)`, "the VM is in its identity's security group only"],
    [`${appSg}.vpc_id == ${address(tf, "network/Resource")}.id && ${dbSg}.vpc_id == ${address(tf, "network/Resource")}.id`, "both security groups in the VPC"],
    [
      appIngress.map((r) => `${r}.security_group_id == ${appSg}.id && ${r}.from_port == ${APPLICATION_PORT} && ${r}.to_port == ${APPLICATION_PORT}`).join(" && "),
      "the application port is admitted on the identity's security group",
    ],
    [
      `${dbIngress}.security_group_id == ${dbSg}.id && ${dbIngress}.referenced_security_group_id == ${appSg}.id && ${dbIngress}.from_port == ${db}.port`,
      "the database admits its port from the app identity's security group",
    ],
    [
      `${appToDb}.security_group_id == ${appSg}.id && ${appToDb}.referenced_security_group_id == ${dbSg}.id && ${appToDb}.to_port == ${db}.port`,
      "the app identity may reach the database's security group on its port",
    ],
    [`strcontains(output.database_connection_string, "sslmode=require") && !strcontains(output.database_connection_string, ":PASSWORD")`, "connection string forces TLS and holds no password"],
    [
      `${flowLog}.traffic_type == "ALL" && ${flowLog}.log_destination == ${address(tf, "network/flow-log-group")}.arn`,
      "flow log of all traffic lands in the flow-log group",
    ],
  ];
}

/** The state bootstrap: what every other stack's backend depends on. */
function bootstrapAssertions(tf: TfJson): Assertion[] {
  const bucket = address(tf, "state-bucket");
  const table = address(tf, "lock-table");
  const publicAccess = address(tf, "state-bucket-public-access");
  return [
    [`${address(tf, "state-bucket-versioning")}.versioning_configuration[0].status == "Enabled"`, "state bucket versioned"],
    [`${publicAccess}.block_public_policy && ${publicAccess}.restrict_public_buckets`, "state bucket not public"],
    [`${address(tf, "state-bucket-policy")}.bucket == ${bucket}.id`, "deny-non-TLS policy on the state bucket"],
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
  const { bootstrap } = buildApp({ config: testConfig(), selection: { bootstrap: true }, outdir: testOutdir(), checkLog: () => undefined });
  return synthJson(bootstrap!);
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
      // Production protects the database and the uploads bucket from destroy; staging protects nothing.
      const undestroyable = env === "production" ? [address(tf, "database/Resource"), address(tf, "uploads/Resource"), address(tf, "network/flow-log-group")] : [];
      return { tf, asserts: platformAssertions(tf, env), undestroyable };
    },
  ]),
  [
    "state-bootstrap",
    () => {
      const tf = bootstrapJson();
      return { tf, asserts: bootstrapAssertions(tf), undestroyable: [address(tf, "lock-table"), address(tf, "state-bucket")] };
    },
  ],
];

describeIf.each(cases)("terraform on %s", (name, make) => {
  let dir: string;
  let undestroyable: string[] = [];
  let synthesized: TfJson;

  beforeAll(() => {
    const { tf, asserts, ...rest } = make();
    undestroyable = rest.undestroyable;
    synthesized = tf;
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

  test("prevent_destroy is set on exactly the resources that must survive a destroy", () => {
    expect(preventDestroy(synthesized).sort()).toEqual([...undestroyable].sort());
  });

  test("terraform validate accepts the synthesized configuration", () => {
    const r = runTerraform(tools as TerraformTools, dir, ["validate"]);
    expect(r.output).toContain("The configuration is valid");
    expect(r.status).toBe(0);
  });

  test("terraform test: mocked-provider apply evaluates every expression and the assertions hold", () => {
    const r = runTerraform(tools as TerraformTools, dir, ["test"]);
    expect(r.output).toMatch(/run "mock_apply"\.\.\. pass/);
    // Teardown destroys what the run applied: refused exactly for the resources that must survive a destroy
    // (Terraform wraps its message, so the address and "lifecycle" may be on two lines), and nothing else fails.
    const refused = [...r.output.matchAll(/Resource (\S+) has\s+lifecycle\.prevent_destroy set/g)].map((m) => m[1]).sort();
    expect(refused).toEqual([...undestroyable].sort());
    if (undestroyable.length === 0) {
      if (r.status !== 0) throw new Error(r.output);
      expect(r.output).toContain("1 passed, 0 failed");
    } else if ((r.output.match(/Error: /g) ?? []).length !== undestroyable.length) {
      throw new Error(`errors other than the refusals:\n${r.output}`);
    }
  });
});

/**
 * GCP and Azure have no provider binary here, but their provider-free part can
 * run for real: the ephemeral password variable and its validation.
 */
describeIf.each(["gcp", "azure"] as const)("terraform on the %s database password variable", (cloud) => {
  // One variable per database, named after it (`database_admin_password` for the stack's `database`).
  const variable = defaultPasswordVariableName("database");
  let dir: string;
  let declared: Record<string, any>;

  beforeAll(() => {
    // Generated credentials are the default now; the deployer-supplied variable is the explicit alternative.
    const { stack, kit } = platformStack(cloud, "staging");
    new kit.PostgresDatabase(stack, "database", { network: new kit.Network(stack, "network", {}), highAvailability: false, credentials: DatabaseCredentials.fromPasswordVariable() });
    const tf = synthJson(stack);
    declared = tf.variable![variable];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `tf-${cloud}-password-`));
    const config = { terraform: { required_version: (tf.terraform as { required_version?: string }).required_version }, variable: { [variable]: declared } };
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
    const init = runTerraform(tools as TerraformTools, dir, ["init", "-backend=false", "-input=false"]);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("is an ephemeral, sensitive variable Terraform accepts", () => {
    expect(variable).toBe("database_admin_password");
    expect(declared).toMatchObject({ type: "string", ephemeral: true, sensitive: true, nullable: false });
    expect(declared.default).toBeUndefined();
    const r = runTerraform(tools as TerraformTools, dir, ["validate"]);
    expect(r.output).toContain("The configuration is valid");
  });

  test("Terraform refuses a password shorter than 16 characters and accepts a long one", () => {
    const short = runTerraform(tools as TerraformTools, dir, ["plan", "-input=false", "-var", `${variable}=too-short`]);
    expect(short.status).not.toBe(0);
    expect(short.output).toContain(`${variable} must be 16-128 characters.`);
    const ok = runTerraform(tools as TerraformTools, dir, ["plan", "-input=false", "-var", `${variable}=a-long-enough-passphrase`]);
    expect(ok.output).toContain("No changes.");
    expect(ok.status).toBe(0);
  });
});
