/**
 * Real Terraform on every AWS stack (the platform and the worker stack of both
 * environments, built from one app, and the state bootstrap), through the
 * whole lifecycle the destroy rule talks about. The worker reads the platform's
 * state: its `terraform_remote_state` is answered by `override_data` with mock
 * ids (MOCK_PLATFORM_OUTPUTS), so no backend is reached.
 *
 * 1. The configuration is valid (`terraform test` validates it before its first run).
 * 2. `terraform test -verbose -json` with `mock_provider "aws"` (the real
 *    provider schema and validation, no cloud), one file, four runs:
 *    - `mock_apply`: a mocked apply; Terraform evaluates every expression and
 *      the assertions below;
 *    - `second_plan`: a plan against the applied state must have no changes
 *      (read from the run's `test_plan` message: every resource and output
 *      change is a no-op). The mock re-reads every data source at each plan,
 *      and returns a new random AMI id each time: a VM or a launch template
 *      that followed it would show up here;
 *    - `shifted_world`: the same with the zone list shifted and a new AMI
 *      (`override_data`): still no changes;
 *    - `too_few_zones` (platform stacks, which own the subnets): a one-zone
 *      list fails every subnet's precondition (`expect_failures`), instead of
 *      silently stacking both subnets in one zone;
 *    - the teardown is a mocked destroy: staging must destroy everything;
 *      production must refuse before anything is deleted (every resource is
 *      still in state afterwards, `test_cleanup.failed_resources`), every
 *      refusal is by a resource with `prevent_destroy`, and those are exactly
 *      the stateful and must-survive resources of the provider review.
 * 3. What mocks cannot show, with the real provider and a synthetic prior
 *    state (`terraform plan -refresh=false`, no API call): a database whose
 *    storage grew and whose minor version moved plans no change; a tainted
 *    bootstrap resource stops the retry at `prevent_destroy`, and once
 *    untainted (constructs/aws/bootstrap-recovery.ts) the retry deletes nothing.
 *
 * Needs terraform and a local mirror of the AWS provider. When either is
 * missing the suite is SKIPPED loudly, unless REQUIRE_TERRAFORM=1 (set by
 * .ci/run), where missing tools fail the run.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DatabaseCredentials, POSTGRES_PORT, defaultPasswordVariableName } from "../constructs/postgres-database";
import { bootstrapUntaintPlan } from "../constructs/aws/bootstrap-recovery";
import { AWS_PROVIDER_FACTS, awsMustSurviveDestroy } from "../constructs/aws/provider-facts";
import { APPLICATION_PORT, PlatformStack } from "../stacks/platform-stack";
import { WorkerStack } from "../stacks/worker-stack";
import { buildApp } from "../stacks/app";
import { TfJson, allItems, at, buildStacks, managedItems, platformStack, synthJson, synthStack, testConfig, testOutdir, under } from "./helpers";
import { Assertion, awsMockProvider, mockApplyRun } from "./aws-mocks";
import { TerraformTools, initWorkspace, ownProvider, runTerraform, sharedProviderCommand, skipLoudly, terraformTools } from "./terraform";

// The mocked provider never calls AWS; this keeps any SDK code path off the instance metadata service.
process.env.AWS_EC2_METADATA_DISABLED = "true";

const ENVIRONMENTS = ["staging", "production"] as const;
type Env = (typeof ENVIRONMENTS)[number];

const tools = terraformTools();
const available = !("missing" in tools);
if (!available) skipLoudly("real-Terraform tests of the AWS stacks (validate, mocked apply, second plan, mocked destroy)", (tools as { missing: string }).missing);
const describeIf = available ? describe : describe.skip;

/** Runs terraform for machine-readable output (stdout apart from stderr, no 1 MiB cap: plans and schemas are large). */
function terraformJson(cwd: string, args: string[], timeoutMs = 300_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync((tools as TerraformTools).terraform, [...args, "-no-color"], { cwd, env: sharedProviderCommand(args), encoding: "utf8", timeout: timeoutMs, maxBuffer: 512 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

let schemaCache: any;
/** `terraform providers schema -json` of the AWS provider 5.100.0 (cached: it is 13 MB). */
function awsSchema(cwd: string): any {
  schemaCache ??= JSON.parse(terraformJson(cwd, ["providers", "schema", "-json"]).stdout).provider_schemas["registry.terraform.io/hashicorp/aws"];
  return schemaCache;
}

/** Address `type.name` of the resource at construct path `p` (below the stack), from the synthesized JSON. */
const address = (tf: TfJson, p: string): string => at(tf, p).address;

/** Every managed resource of the synthesized stack. */
const managed = (tf: TfJson): string[] => managedItems(tf).map((i) => i.address);

/** Addresses of every resource that Terraform must refuse to destroy (`lifecycle.prevent_destroy`), from the JSON. */
function preventDestroy(tf: TfJson): string[] {
  return managedItems(tf)
    .filter((i) => i.body.lifecycle?.prevent_destroy === true)
    .map((i) => i.address);
}

/** What the mocked remote state returns for each kind of platform output the worker stack reads. */
const MOCK_PLATFORM_OUTPUTS: Record<string, string> = {
  "aws_vpc.id": "vpc-0123456789abcdef0",
  "aws_subnet.id": "subnet-0123456789abcdef0",
  "aws_security_group.id": "sg-0123456789abcdef0",
  "aws_s3_bucket.arn": "arn:aws:s3:::taskflow-uploads-mock",
  "aws_kms_key.arn": "arn:aws:kms:us-east-1:123456789012:key/11111111-1111-1111-1111-111111111111",
  "aws_db_instance.master_user_secret[0].secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-platform-AbCdEf",
  "aws_db_instance.resource_id": "db-PLATFORMDATABASE0123456789",
};

/** The platform stack's outputs the worker reads, each with the value the mocked remote state returns for it. */
function platformOutputs(platform: TfJson): Record<string, string> {
  return Object.fromEntries(
    Object.entries(platform.output ?? {})
      .filter(([name]) => name.startsWith("cross-stack-output-"))
      .map(([name, o]) => {
        const [, type, attr] = /^\$\{([a-z0-9_]+)\.[^.]+\.(.+)\}$/.exec(o.value) ?? [];
        const value = MOCK_PLATFORM_OUTPUTS[`${type}.${attr}`];
        if (value === undefined) throw new Error(`no mock value for the platform output ${name} (${o.value}): add one to MOCK_PLATFORM_OUTPUTS`);
        return [name, value];
      }),
  );
}

/** The worker stack reads the platform's state: the test answers with the mock values (no backend is reached). */
function remoteStateOverrides(tf: TfJson, platform?: TfJson): string {
  const states = Object.keys(tf.data?.terraform_remote_state ?? {});
  if (states.length === 0) return "";
  if (!platform) throw new Error("a stack that reads another stack's state needs that stack's JSON");
  const outputs = Object.entries(platformOutputs(platform)).map(([name, value]) => `      "${name}" = "${value}"`);
  return states
    .map(
      (s) => `
override_data {
  target = data.terraform_remote_state.${s}
  values = {
    outputs = {
${outputs.join("\n")}
    }
  }
}
`,
    )
    .join("");
}

/** The value the worker sees for the platform resource at `path` (`attr` as the reference names it). */
const fromPlatform = (type: string, attr: string): string => JSON.stringify(MOCK_PLATFORM_OUTPUTS[`${type}.${attr}`]);

/** Mocked provider(s): data sources and ARNs the real provider validates need realistic values. */
function mockProviders(tf: TfJson, platform?: TfJson): string {
  const certificate = allItems(tf).find((i) => i.type === "aws_acm_certificate")?.body.domain_name ?? "example.com";
  const block = (alias: string | undefined, region: string) => awsMockProvider({ alias, region, certificateDomain: certificate });
  const replica = (tf.provider?.aws ?? []).find((p) => p.alias === "replica");
  return block(undefined, "us-east-1") + (replica ? block("replica", replica.region) : "") + remoteStateOverrides(tf, platform);
}

/** Assertions evaluated by Terraform after the mocked apply: they see resolved references, not tokens. */
function platformAssertions(tf: TfJson, stack: PlatformStack): Assertion[] {
  const prod = stack.profile.deletionProtection;
  const profile = stack.profile;
  const db = address(tf, "database/Resource");
  const asg = address(tf, "app/Resource");
  const lt = address(tf, "app/template");
  const lb = address(tf, "entry/Resource");
  const subnet = (tier: string, i: number) => address(tf, `network/${tier}-${i}`);
  const bucket = address(tf, "uploads/Resource");
  const grant = address(tf, "uploads/grant-read-write-app");
  const role = address(tf, "app/identity/Resource");
  const instanceProfile = address(tf, "app/identity/profile");
  const appSg = address(tf, "app/identity/sg");
  const lbSg = address(tf, "entry/sg");
  const dbSg = address(tf, "database/sg");
  const dbIngress = address(tf, "database/from-app-identity");
  const appToDb = address(tf, "app/identity/to-database");
  const appIngress = under(tf, "app/identity", "aws_vpc_security_group_ingress_rule").map((i) => i.address);
  if (appIngress.length !== 1) throw new Error(`expected the entry's rule alone under app/identity, found ${appIngress.join(", ")}`);
  const fromEntry = address(tf, "app/identity/from-entry");
  const flowLog = address(tf, "network/flow-log");
  const logging = address(tf, "uploads/access-logging");
  const parameters = address(tf, "database/parameters");
  const connect = address(tf, "database/grant-connect-app");
  const readSecret = address(tf, "database/credentials/grant-read-app");
  return [
    [`${db}.storage_encrypted && ${db}.storage_type == "gp3" && ${db}.max_allocated_storage == 100`, "database storage encrypted, gp3, autoscaling"],
    [`${db}.multi_az == ${prod} && ${db}.deletion_protection == ${prod} && ${db}.skip_final_snapshot == ${!prod}`, "Multi-AZ, deletion protection and the final snapshot follow the environment"],
    [`${db}.publicly_accessible == false && ${db}.manage_master_user_password == true`, "database private, password managed by AWS"],
    [
      `contains([for p in ${parameters}.parameter : "\${p.name}=\${p.value}"], "log_statement=ddl") && contains([for p in ${parameters}.parameter : "\${p.name}=\${p.value}"], "shared_preload_libraries=pg_stat_statements,pgaudit")`,
      "the database's parameter group keeps the audit trail",
    ],
    [`${db}.parameter_group_name == ${parameters}.name`, "the database uses that parameter group"],
    [`${bucket}.force_destroy == ${!prod}`, "the bucket is force-destroyable only where deletion protection is off"],
    [`${logging}.bucket == ${bucket}.id && ${logging}.target_bucket == ${address(tf, "access-logs/Resource")}.id`, "the uploads bucket's access logs go to the access-log bucket"],
    [`${address(tf, "entry/access-logs/access-logging")}.target_bucket == ${address(tf, "access-logs/Resource")}.id`, "so do the load balancer log bucket's"],
    [`${subnet("public", 1)}.availability_zone == "us-east-1a" && ${subnet("public", 2)}.availability_zone == "us-east-1b"`, "subnets spread over the zones the data source returns"],
    [`${subnet("data", 1)}.availability_zone != ${subnet("data", 2)}.availability_zone`, "data subnets in two zones"],
    [`jsondecode(${address(tf, "uploads/policy")}.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false"`, "bucket policy denies non-TLS"],
    // The app tier, from the profile (its details: aws-serve-terraform.test.ts).
    [`${asg}.min_size == ${profile.scaling.min} && ${asg}.max_size == ${profile.scaling.max} && ${asg}.desired_capacity == ${profile.scaling.desired} && ${asg}.health_check_type == "ELB"`, "the tier scales as the profile says, on the load balancer's health checks"],
    [`contains(tolist(${asg}.vpc_zone_identifier), ${subnet("application", 1)}.id) && contains(tolist(${asg}.vpc_zone_identifier), ${subnet("application", 2)}.id)`, "the tier spans both application subnets"],
    [`${asg}.launch_template[0].id == ${lt}.id && ${asg}.launch_template[0].version == tostring(${lt}.latest_version)`, "the group follows its template"],
    [`${lt}.metadata_options[0].http_tokens == "required" && ${lt}.block_device_mappings[0].ebs[0].encrypted == "true" && ${lt}.network_interfaces[0].associate_public_ip_address == "false"`, "IMDSv2, encrypted root volume, no public address"],
    [`${lt}.iam_instance_profile[0].arn == ${instanceProfile}.arn && ${instanceProfile}.role == ${role}.name`, "instances run as the tier's identity"],
    [`jsondecode(${role}.assume_role_policy).Statement[0].Principal.Service == "ec2.amazonaws.com"`, "the identity role trusts EC2 only"],
    [`contains(jsondecode(${grant}.policy).Statement[1].Resource, "\${${bucket}.arn}/*") && ${grant}.role == ${role}.name`, "the uploads grant is the tier's, scoped to the bucket's objects"],
    [`${connect}.role == ${role}.name && ${readSecret}.role == ${role}.name`, "the tier may connect to the database and read its credentials"],
    [`contains(jsondecode(${readSecret}.policy).Statement[0].Resource, ${db}.master_user_secret[0].secret_arn)`, "the credentials grant names the RDS-managed secret"],
    ...(profile.operatorAccess ? ([[`${address(tf, "app/operator-access")}.role == ${role}.name`, "operator access (Session Manager) on the tier's role"]] as Assertion[]) : []),
    // The entry, alone on the tier's port.
    [`${fromEntry}.security_group_id == ${appSg}.id && ${fromEntry}.referenced_security_group_id == ${lbSg}.id && ${fromEntry}.from_port == ${APPLICATION_PORT} && ${fromEntry}.to_port == ${APPLICATION_PORT}`, "the tier admits its port from the load balancer's group only"],
    [`${lb}.internal == false && ${lb}.enable_deletion_protection == ${prod}`, "an internet-facing load balancer, deletion protection per environment"],
    [`${address(tf, "entry/https")}.certificate_arn == ${address(tf, "entry/certificate/validation")}.certificate_arn`, "HTTPS with the validated certificate"],
    [`${address(tf, "entry/waf/association")}.resource_arn == ${lb}.arn`, "the web ACL protects the load balancer"],
    [`${appSg}.vpc_id == ${address(tf, "network/Resource")}.id && ${dbSg}.vpc_id == ${address(tf, "network/Resource")}.id`, "both security groups in the VPC"],
    [
      `${dbIngress}.security_group_id == ${dbSg}.id && ${dbIngress}.referenced_security_group_id == ${appSg}.id && ${dbIngress}.from_port == ${db}.port`,
      "the database admits its port from the app tier's security group",
    ],
    [
      `${appToDb}.security_group_id == ${appSg}.id && ${appToDb}.referenced_security_group_id == ${dbSg}.id && ${appToDb}.to_port == ${db}.port`,
      "the app tier may reach the database's security group on its port",
    ],
    [`strcontains(output.database_connection_string, "sslmode=require") && !strcontains(output.database_connection_string, ":PASSWORD")`, "connection string forces TLS and holds no password"],
    [`output.database_credentials_secret == ${db}.master_user_secret[0].secret_arn`, "the credentials output is the secret's ARN"],
    [`output.app_url == "https://${profile.domain}" && output.entry_address == ${lb}.dns_name && output.app_tier_id == ${asg}.id`, "outputs: URL, entry address, tier id"],
    [
      `${flowLog}.traffic_type == "ALL" && ${flowLog}.log_destination == ${address(tf, "network/flow-log-group")}.arn`,
      "flow log of all traffic lands in the flow-log group",
    ],
    ...(prod
      ? ([
          [
            `one([for r in ${address(tf, "uploads/replication")}.rule : r.destination[0].bucket]) == ${address(tf, "uploads/replica/Resource")}.arn && ${address(tf, "uploads/replication")}.role == ${address(tf, "uploads/replication-role")}.arn`,
            "the uploads bucket replicates into its replica with its replication role",
          ],
          [
            `one([for r in ${address(tf, "uploads/replica/encryption")}.rule : r.apply_server_side_encryption_by_default[0].kms_master_key_id]) == ${address(tf, "kms-replica/Resource")}.arn`,
            "the replica is encrypted with the replica region's key",
          ],
        ] as Assertion[])
      : []),
  ];
}

/** The worker stack: its VM, results bucket and grants, and the platform resources it reaches (mocked remote state). */
function workerAssertions(tf: TfJson, stack: WorkerStack): Assertion[] {
  const prod = stack.profile.deletionProtection;
  const vm = address(tf, "worker/Resource");
  const role = address(tf, "worker/identity/Resource");
  const sg = address(tf, "worker/identity/sg");
  const results = address(tf, "results/Resource");
  const atDatabase = address(tf, "worker/identity/ingress-at-database-worker-identity");
  const toDatabase = address(tf, "worker/identity/to-database");
  return [
    [`${vm}.metadata_options[0].http_tokens == "required" && ${vm}.root_block_device[0].encrypted && ${vm}.root_block_device[0].kms_key_id == ${address(tf, "kms/Resource")}.arn`, "IMDSv2, root volume encrypted with the worker stack's key"],
    [`${vm}.associate_public_ip_address == false && ${vm}.subnet_id == ${fromPlatform("aws_subnet", "id")}`, "no public IP, in the platform's first application subnet"],
    [`${address(tf, "worker/identity/profile")}.role == ${role}.name && ${vm}.iam_instance_profile == ${address(tf, "worker/identity/profile")}.name`, "the VM runs as its identity's instance profile"],
    [`length(${vm}.vpc_security_group_ids) == 1 && contains(tolist(${vm}.vpc_security_group_ids), ${sg}.id) && ${sg}.vpc_id == ${fromPlatform("aws_vpc", "id")}`, "the VM is in its identity's security group only, in the platform's VPC"],
    [
      `${atDatabase}.security_group_id == ${fromPlatform("aws_security_group", "id")} && ${atDatabase}.referenced_security_group_id == ${sg}.id && ${atDatabase}.from_port == ${POSTGRES_PORT}`,
      "the platform's database admits the worker (the rule lives in the worker stack)",
    ],
    [`${toDatabase}.security_group_id == ${sg}.id && ${toDatabase}.referenced_security_group_id == ${fromPlatform("aws_security_group", "id")} && ${toDatabase}.to_port == ${POSTGRES_PORT}`, "the worker may reach the database"],
    [`contains(jsondecode(${address(tf, "worker/grant-read-on-uploads")}.policy).Statement[1].Resource, "${MOCK_PLATFORM_OUTPUTS["aws_s3_bucket.arn"]}/*")`, "the worker reads the platform's uploads"],
    [`contains(jsondecode(${address(tf, "worker/grant-read-on-database-credentials")}.policy).Statement[0].Resource, ${fromPlatform("aws_db_instance", "master_user_secret[0].secret_arn")})`, "the worker reads the database credentials"],
    [`strcontains(jsondecode(${address(tf, "worker/grant-connect-on-database")}.policy).Statement[0].Resource[0], ":dbuser:${MOCK_PLATFORM_OUTPUTS["aws_db_instance.resource_id"]}/")`, "the worker connects as its own database user"],
    [`${address(tf, "results/grant-read-write-worker")}.role == ${role}.name && ${results}.force_destroy == ${!prod}`, "its results bucket: read-write for the worker, force-destroyable only without deletion protection"],
    [`${address(tf, "results/access-logging")}.target_bucket == ${address(tf, "access-logs/Resource")}.id`, "the results bucket's access logs go to the worker stack's access-log bucket"],
    [`output.worker_id == ${vm}.id && output.results_bucket_name == ${results}.bucket`, "outputs: the VM and the bucket"],
  ];
}

/** The state bootstrap: what every other stack's backend depends on. */
function bootstrapAssertions(tf: TfJson): Assertion[] {
  const bucket = address(tf, "state-bucket");
  const table = address(tf, "lock-table");
  const key = address(tf, "state-key");
  const publicAccess = address(tf, "state-bucket-public-access");
  return [
    [`${address(tf, "state-bucket-versioning")}.versioning_configuration[0].status == "Enabled"`, "state bucket versioned"],
    [
      `one([for r in ${address(tf, "state-bucket-encryption")}.rule : r.apply_server_side_encryption_by_default[0].kms_master_key_id]) == ${key}.arn`,
      "state bucket encrypted with the state key",
    ],
    [`${address(tf, "state-key-alias")}.target_key_id == ${key}.key_id && ${address(tf, "state-key-alias")}.name == "alias/taskflow-terraform-state"`, "the backends' alias names the state key"],
    [`${publicAccess}.block_public_policy && ${publicAccess}.restrict_public_buckets`, "state bucket not public"],
    [`${address(tf, "state-bucket-policy")}.bucket == ${bucket}.id`, "deny-non-TLS policy on the state bucket"],
    [`${address(tf, "state-bucket-logging")}.target_bucket == ${address(tf, "state-access-logs/Resource")}.id`, "the state bucket's access logs go to their own bucket"],
    [`${table}.hash_key == "LockID" && ${table}.billing_mode == "PAY_PER_REQUEST"`, "lock table keyed by LockID, on demand"],
    [`${table}.point_in_time_recovery[0].enabled && ${table}.server_side_encryption[0].enabled && ${table}.deletion_protection_enabled`, "lock table recoverable, encrypted, protected"],
    [`${table}.server_side_encryption[0].kms_key_arn == ${key}.arn`, "lock table encrypted with the state key"],
    [`output.state_bucket == "taskflow-terraform-state" && output.lock_table == "terraform-locks" && output.state_key == "alias/taskflow-terraform-state"`, "outputs name the backend the stacks use"],
  ];
}

/** The runs after the mocked apply: a second plan, a plan in a shifted world, and a zone list too short (platform stacks only). */
function followUpRuns(tf: TfJson): string {
  const zones = allItems(tf).find((i) => i.type === "aws_availability_zones");
  const amis = allItems(tf).filter((i) => i.type === "aws_ami");
  const subnets = allItems(tf).filter((i) => i.type === "aws_subnet").map((i) => i.address);
  const shifted = [
    ...(zones ? [`  override_data {
    target = ${zones.address}
    values = { names = ["us-east-1b", "us-east-1c", "us-east-1d"] }
  }`] : []),
    ...amis.map((a) => `  override_data {
    target = ${a.address}
    values = { id = "ami-0fedcba9876543210" }
  }`),
  ];
  return [
    `run "second_plan" {
  command = plan
}`,
    ...(shifted.length > 0 ? [`run "shifted_world" {
  command = plan
${shifted.join("\n")}
}`] : []),
    ...(zones
      ? [`run "too_few_zones" {
  command = plan
  override_data {
    target = ${zones.address}
    values = { names = ["us-east-1a"] }
  }
  expect_failures = [${subnets.join(", ")}]
}`]
      : []),
  ].join("\n");
}

function testFile(tf: TfJson, asserts: Assertion[], platform?: TfJson): string {
  return `${mockProviders(tf, platform)}\n${mockApplyRun(asserts)}${followUpRuns(tf)}\n`;
}

function bootstrapJson(): TfJson {
  const { bootstrap } = buildApp({ config: testConfig(), selection: { bootstrap: true }, outdir: testOutdir(), checkLog: () => undefined });
  return synthJson(bootstrap!);
}

/** What `terraform test -json` reported, by message type. */
interface TestReport {
  readonly status: number | null;
  readonly raw: string;
  readonly runs: Record<string, string>;
  /** `test_plan` of each plan run: every resource change's actions, and every output change's actions. */
  readonly plans: Record<string, { resources: [string, string[]][]; outputs: [string, string[]][] }>;
  readonly summary?: { status: string; passed: number; failed: number; errored: number };
  readonly failedResources?: string[];
  readonly errors: { summary: string; detail: string }[];
}

function parseTestJson(output: string, status: number | null): TestReport {
  const report: TestReport = { status, raw: output, runs: {}, plans: {}, errors: [] };
  const r = report as { -readonly [K in keyof TestReport]: TestReport[K] };
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    const m = JSON.parse(line);
    if (m.type === "test_run" && m.test_run.progress === "complete") r.runs[m.test_run.run] = m.test_run.status;
    if (m.type === "test_plan") {
      r.plans[m["@testrun"]] = {
        resources: (m.test_plan.resource_changes ?? []).map((c: any) => [c.address, c.change.actions]),
        outputs: Object.entries(m.test_plan.output_changes ?? {}).map(([name, c]: [string, any]) => [name, c.actions]),
      };
    }
    if (m.type === "test_summary") r.summary = m.test_summary;
    if (m.type === "test_cleanup") r.failedResources = m.test_cleanup.failed_resources.map((f: any) => f.instance);
    if (m.type === "diagnostic" && m.diagnostic.severity === "error") r.errors.push({ summary: m.diagnostic.summary, detail: m.diagnostic.detail ?? "" });
  }
  return report;
}

/** Changes of a plan that are not no-ops. */
const changes = (plan: TestReport["plans"][string]) =>
  [...plan.resources, ...plan.outputs.map(([n, a]) => [`output.${n}`, a] as [string, string[]])].filter(([, actions]) => !(actions.length === 1 && actions[0] === "no-op"));

interface Case {
  readonly tf: TfJson;
  readonly asserts: Assertion[];
  /** Terraform must refuse the destroy (deletion protection) and delete nothing. */
  readonly protected: boolean;
  /** Runs after the apply that plan against the applied state. */
  readonly planRuns: string[];
  /** The platform stack whose state this stack reads (worker stacks). */
  readonly platform?: TfJson;
}

/** The app's two AWS stacks of one environment, built once from one app (the worker reads the platform's outputs). */
const wired = (() => {
  const built = new Map<Env, { platform: PlatformStack; worker: WorkerStack; tf: TfJson; wtf: TfJson }>();
  return (env: Env) => {
    if (!built.has(env)) {
      const { platform, worker } = buildStacks("aws", env);
      built.set(env, { platform, worker, tf: synthJson(platform), wtf: synthJson(worker) });
    }
    return built.get(env)!;
  };
})();

const cases: Array<[string, () => Case]> = [
  ...ENVIRONMENTS.flatMap((env): Array<[string, () => Case]> => [
    [
      `aws-${env}`,
      () => {
        const { platform, tf } = wired(env);
        return { tf, asserts: platformAssertions(tf, platform), protected: env === "production", planRuns: ["second_plan", "shifted_world", "too_few_zones"] };
      },
    ],
    [
      `worker-aws-${env}`,
      () => {
        const { worker, tf, wtf } = wired(env);
        return { tf: wtf, platform: tf, asserts: workerAssertions(wtf, worker), protected: env === "production", planRuns: ["second_plan", "shifted_world"] };
      },
    ],
  ]),
  [
    "state-bootstrap",
    () => {
      const tf = bootstrapJson();
      return { tf, asserts: bootstrapAssertions(tf), protected: true, planRuns: ["second_plan"] };
    },
  ],
];

const initDir = (prefix: string, files: Record<string, string>): string => initWorkspace(tools as TerraformTools, prefix, files);

describeIf.each(cases)("terraform on %s", (name, make) => {
  let dir: string;
  let c: Case;
  let report: TestReport;

  beforeAll(() => {
    c = make();
    dir = initDir(`tf-${name}-`, { "cdk.tf.json": JSON.stringify(c.tf, null, 2), "tests/mock.tftest.hcl": testFile(c.tf, c.asserts, c.platform) });
    const r = terraformJson(dir, ["test", "-verbose", "-json"]);
    report = parseTestJson(`${r.stdout}\n${r.stderr}`, r.status);
  }, 360_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the configuration is valid (terraform test validates it before any run) and the mocked apply evaluates every expression; the assertions hold", () => {
    expect(report.errors.filter((e) => /^(Invalid|Unsupported|Missing|Reference to undeclared)/.test(e.summary))).toEqual([]);
    if (report.runs.mock_apply !== "pass") throw new Error(`mock_apply: ${report.runs.mock_apply}\n${report.errors.map((e) => `${e.summary}: ${e.detail}`).join("\n")}`);
  });

  test("a second plan against the applied state has no changes (data sources re-read, a new random AMI included)", () => {
    expect(report.runs.second_plan).toBe("pass");
    expect(report.plans.second_plan.resources.length).toBe(managed(c.tf).length);
    expect(changes(report.plans.second_plan)).toEqual([]);
  });

  test("a plan with the zone list shifted and a new AMI published has no changes either", () => {
    if (!c.planRuns.includes("shifted_world")) return expect(allItems(c.tf).filter((i) => i.type === "aws_ami" || i.type === "aws_availability_zones")).toEqual([]);
    expect(report.runs.shifted_world).toBe("pass");
    expect(changes(report.plans.shifted_world)).toEqual([]);
  });

  test("a zone list shorter than the zones asked for fails every subnet's precondition instead of doubling up a zone", () => {
    // Stacks without subnets (the worker uses the platform's, the bootstrap has none) read no zone list.
    if (!c.planRuns.includes("too_few_zones")) return expect(allItems(c.tf).filter((i) => i.type === "aws_subnet" || i.type === "aws_availability_zones")).toEqual([]);
    expect(report.runs.too_few_zones).toBe("pass");
  });

  test(
    name.includes("staging") ? "mocked destroy: everything is destroyed (nothing refuses, buckets empty themselves)" : "mocked destroy: refused before anything is deleted, only by prevent_destroy",
    () => {
      const protectedAddresses = preventDestroy(c.tf).sort();
      if (!c.protected) {
        expect(protectedAddresses).toEqual([]);
        expect(report.failedResources).toBeUndefined();
        expect(report.errors).toEqual([]);
        expect(report.summary).toMatchObject({ status: "pass", failed: 0, errored: 0 });
        expect(report.status).toBe(0);
        return;
      }
      // Every resource is still in state after the refused teardown: nothing was deleted.
      expect([...(report.failedResources ?? [])].sort()).toEqual(managed(c.tf).sort());
      // The only errors are refusals, each by a resource with prevent_destroy (Terraform stops walking the destroy
      // graph at the first refusals, so resources others depend on, such as the key, may go unnamed).
      expect(report.errors.map((e) => e.summary).filter((x) => x !== "Instance cannot be destroyed")).toEqual([]);
      const refused = report.errors.map((e) => /^Resource (\S+) has lifecycle\.prevent_destroy set/.exec(e.detail)?.[1] ?? e.detail);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.filter((a) => !protectedAddresses.includes(a))).toEqual([]);
      // Production protects every stateful resource (databases, buckets, log groups, keys, tables) and what the
      // outside world points at (the internet-facing load balancer), and nothing else.
      expect(protectedAddresses).toEqual(managedItems(c.tf).filter((i) => awsMustSurviveDestroy(i.type, i.body)).map((i) => i.address).sort());
      if (c.tf.resource?.aws_lb) expect(protectedAddresses).toContain(address(c.tf, "entry/Resource"));
      expect(report.summary?.status).toBe("error");
    },
  );
});

/**
 * The real provider, no API call: a configuration holding one resource as synthesized (references
 * replaced by literals), a prior state written by hand, `terraform plan -refresh=false`.
 */
const PROVIDER_OFFLINE = {
  region: "us-east-1",
  access_key: "mock-access-key",
  secret_key: "mock-secret-key",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: "true",
  skip_region_validation: true,
  // Nothing answers at the endpoints: fail at once instead of retrying with backoff.
  max_retries: 0,
  endpoints: [Object.fromEntries(["s3", "sts", "ec2", "rds", "iam", "kms", "logs", "dynamodb"].map((s) => [s, "http://127.0.0.1:1"]))],
};

/** The body without cdktf metadata, every `${...}` reference replaced by a literal of the same shape. */
function literal(body: Record<string, any>): Record<string, any> {
  const replace = (v: unknown): unknown => {
    if (typeof v === "string" && v.includes("${")) return v.includes("arn") ? "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000" : "literal-reference";
    if (Array.isArray(v)) return v.map(replace);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([k]) => k !== "//" && k !== "depends_on").map(([k, x]) => [k, replace(x)]));
    return v;
  };
  return replace(body) as Record<string, any>;
}

/** A configuration body as Terraform stores it in state: schema attributes only (no meta-arguments), nested blocks as lists. */
function stateOf(type: string, config: Record<string, any>, dir: string): Record<string, any> {
  const convert = (block: any, body: Record<string, any>): Record<string, any> =>
    Object.fromEntries(
      Object.entries(body)
        .filter(([k]) => k in (block.attributes ?? {}) || k in (block.block_types ?? {}))
        .map(([k, v]) => {
          const nested = block.block_types?.[k];
          if (!nested) return [k, v];
          const items = (Array.isArray(v) ? v : [v]).map((x) => convert(nested.block, x));
          return [k, nested.nesting_mode === "single" ? items[0] : items];
        }),
    );
  return convert(awsSchema(dir).resource_schemas[type].block, config);
}

/** Schema version of a resource type (state files carry it). */
const schemaVersion = (dir: string, type: string): number => awsSchema(dir).resource_schemas[type].version;

interface PlanChange {
  readonly address: string;
  readonly actions: string[];
  readonly before: any;
  readonly after: any;
}

const OFFLINE_REQUIRED = { terraform: { required_providers: { aws: { source: "hashicorp/aws" } } } };
let offlineDir: string | undefined;
/** One initialized directory for every offline plan of this file. */
function offlineWorkspace(): string {
  offlineDir ??= initDir("tf-offline-", { "main.tf.json": JSON.stringify(OFFLINE_REQUIRED) });
  return offlineDir;
}
/** The provider process the offline plans of this file are attached to (they configure it, one plan after the other). */
const offlineProvider = available ? ownProvider(tools as TerraformTools) : undefined;
afterAll(() => {
  offlineProvider?.stop();
  if (offlineDir) fs.rmSync(offlineDir, { recursive: true, force: true });
});

/** Writes one configuration and its prior state into the shared offline workspace (tests of this file run one at a time). */
function offlinePlan(resources: { type: string; name: string; config: Record<string, any>; state?: Record<string, any>; tainted?: boolean }[]) {
  const dir = offlineWorkspace();
  for (const f of ["plan.out", "terraform.tfstate", "terraform.tfstate.backup"]) fs.rmSync(path.join(dir, f), { force: true });
  fs.writeFileSync(
    path.join(dir, "main.tf.json"),
    JSON.stringify({ ...OFFLINE_REQUIRED, provider: { aws: PROVIDER_OFFLINE }, resource: resources.reduce<Record<string, any>>((acc, r) => ({ ...acc, [r.type]: { ...acc[r.type], [r.name]: r.config } }), {}) }),
  );
  const state = {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "00000000-0000-4000-8000-000000000001",
    outputs: {},
    resources: resources
      .filter((r) => r.state)
      .map((r) => ({
        mode: "managed",
        type: r.type,
        name: r.name,
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: schemaVersion(dir, r.type), ...(r.tainted ? { status: "tainted" } : {}), attributes: stateOf(r.type, r.state!, dir) }],
      })),
  };
  fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(state));
  const run = (args: string[]) => runTerraform(tools as TerraformTools, dir, args);
  const plan = (): { status: number | null; output: string; changes: PlanChange[] } => {
    const p = offlineProvider!.run(dir, ["plan", "-refresh=false", "-input=false", "-out=plan.out"]);
    if (p.status !== 0) return { status: p.status, output: p.output, changes: [] };
    const shown = JSON.parse(terraformJson(dir, ["show", "-json", "plan.out"]).stdout);
    return {
      status: p.status,
      output: p.output,
      changes: (shown.resource_changes ?? []).map((c: any) => ({ address: c.address, actions: c.change.actions, before: c.change.before, after: c.change.after })),
    };
  };
  return { dir, run, plan, cleanup: () => fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(OFFLINE_REQUIRED)) };
}

describeIf("real provider, the database on day two (both environments)", () => {
  test("after storage autoscaling grew the volume the next plan neither shrinks it nor replaces the database; without a ceiling above the initial size it would plan a shrink", () => {
    const grownGb = 90;
    const resources = ENVIRONMENTS.flatMap((env) => {
      const config = literal(at(synthStack("aws", env), "database/Resource").body);
      delete config.lifecycle; // prevent_destroy plays no part in an update plan
      expect(grownGb).toBeGreaterThan(config.allocated_storage);
      expect(grownGb).toBeLessThan(config.max_allocated_storage);
      const { max_allocated_storage: _ceiling, ...withoutCeiling } = config;
      const state = (c: Record<string, any>) => ({ ...c, id: "db-ABCDEFGHIJKLMNOP", resource_id: "db-ABCDEFGHIJKLMNOP", allocated_storage: grownGb });
      return [
        { type: "aws_db_instance", name: `as_synthesized_${env}`, config, state: state(config) },
        { type: "aws_db_instance", name: `without_ceiling_${env}`, config: withoutCeiling, state: { ...state(withoutCeiling), max_allocated_storage: 0 } },
      ];
    });
    const offline = offlinePlan(resources);
    try {
      const p = offline.plan();
      if (p.status !== 0) throw new Error(p.output);
      const storage = Object.fromEntries(p.changes.map((c) => [c.address.replace("aws_db_instance.", ""), [c.actions.includes("delete"), c.before?.allocated_storage, c.after?.allocated_storage]]));
      expect(storage).toEqual({
        as_synthesized_staging: [false, grownGb, grownGb],
        without_ceiling_staging: [false, grownGb, 20],
        as_synthesized_production: [false, grownGb, grownGb],
        without_ceiling_production: [false, grownGb, 20],
      });
    } finally {
      offline.cleanup();
    }
  });
});

describeIf("real provider, retrying the bootstrap after a partial failure", () => {
  test("a tainted lock table stops the retry at prevent_destroy; untainted (as bootstrapUntaintPlan says), the retry deletes nothing", () => {
    const tf = bootstrapJson();
    const table = at(tf, "lock-table");
    const config = literal(table.body);
    const state = { ...config, id: config.name, arn: `arn:aws:dynamodb:us-east-1:123456789012:table/${config.name}` };
    const offline = offlinePlan([{ type: "aws_dynamodb_table", name: "lock-table", config, state, tainted: true }]);
    try {
      const refused = offline.plan();
      expect(refused.status).not.toBe(0);
      expect(refused.output).toContain("Instance cannot be destroyed");
      const show = terraformJson(offline.dir, ["show", "-json"]);
      if (show.status !== 0) throw new Error(show.stderr);
      const shown = JSON.parse(show.stdout);
      const untaint = bootstrapUntaintPlan(shown);
      expect(untaint).toEqual({ untaint: ["aws_dynamodb_table.lock-table"], refuse: [] });
      for (const a of untaint.untaint) expect(offline.run(["untaint", a]).status).toBe(0);
      const retry = offline.plan();
      if (retry.status !== 0) throw new Error(retry.output);
      expect(retry.changes.flatMap((c) => c.actions)).not.toContain("delete");
    } finally {
      offline.cleanup();
    }
  });
});

describeIf("the provider review names attributes the 5.100.0 schema has", () => {
  test("every replacement-forcing and drifting attribute of every reviewed resource exists in the provider's schema", () => {
    const p = awsSchema(offlineWorkspace());
    const has = (block: any, dotted: string): boolean => {
      const [head, ...rest] = dotted.split(".");
      if (rest.length === 0) return head in (block.attributes ?? {}) || head in (block.block_types ?? {});
      const nested = block.block_types?.[head]?.block;
      return nested !== undefined && has(nested, rest.join("."));
    };
    const missing = AWS_PROVIDER_FACTS.filter((f) => f.kind === "resource").flatMap((f) => {
      const schema = p.resource_schemas[f.type];
      if (!schema) return [`${f.type} (no such resource type)`];
      return [...f.forcesReplacement, ...f.drift.map((d) => d.attribute)].filter((a) => !has(schema.block, a)).map((a) => `${f.type}.${a}`);
    });
    const missingData = AWS_PROVIDER_FACTS.filter((f) => f.kind === "data" && f.type !== "terraform_remote_state" && !p.data_source_schemas[f.type]).map((f) => f.type);
    expect([...missing, ...missingData]).toEqual([]);
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
    // The stacks generate their passwords; a database that takes one from the deployer declares this variable.
    const { stack, kit } = platformStack(cloud, "production");
    new kit.PostgresDatabase(stack, "database", { network: new kit.Network(stack, "network", {}), size: "medium", credentials: DatabaseCredentials.fromPasswordVariable() });
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

describeIf("terraform on an AWS database whose password comes from a variable", () => {
  test("the ephemeral variable reaches only write-only attributes (the database and its Secrets Manager secret): validate and a mocked apply accept it", () => {
    const { stack, kit } = platformStack("aws", "staging");
    const network = new kit.Network(stack, "net", {});
    new kit.PostgresDatabase(stack, "db", { network, credentials: DatabaseCredentials.fromPasswordVariable(undefined, 2) });
    const tf = synthJson(stack);
    const asserts: Assertion[] = [
      [`${address(tf, "db/Resource")}.password_wo_version == 2 && ${address(tf, "db/credentials-value")}.secret_string_wo_version == 2`, "both written with the credentials' version"],
      [`${address(tf, "db/credentials-value")}.secret_string == null && ${address(tf, "db/Resource")}.password == null`, "no password persisted"],
    ];
    const file = `${mockProviders(tf)}\nvariables {\n  db_admin_password = "a-long-enough-test-passphrase"\n}\n\n${mockApplyRun(asserts)}${followUpRuns(tf)}\n`;
    const dir = initDir("tf-aws-password-", { "cdk.tf.json": JSON.stringify(tf, null, 2), "tests/mock.tftest.hcl": file });
    try {
      const validate = runTerraform(tools as TerraformTools, dir, ["validate"]);
      expect(validate.output).toContain("The configuration is valid");
      const r = terraformJson(dir, ["test", "-json"]);
      const report = parseTestJson(`${r.stdout}\n${r.stderr}`, r.status);
      if (report.runs.mock_apply !== "pass") throw new Error(report.errors.map((e) => `${e.summary}: ${e.detail}`).join("\n"));
      expect(changes(report.plans.second_plan ?? { resources: [], outputs: [] })).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
