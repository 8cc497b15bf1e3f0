/**
 * Real Terraform on a bare AWS stack that serves the application (network +
 * app tier + HTTPS entry), production-like with a Route 53 zone (the platform
 * stacks of aws-terraform.test.ts cover the entry without a zone): `terraform
 * test` with `mock_provider "aws"` (real provider schema and validation,
 * mocked API; the configuration is validated first), whose assertions see
 * resolved references.
 *
 * SKIPPED loudly without terraform and the AWS provider mirror, unless
 * REQUIRE_TERRAFORM=1, where missing tools fail the run.
 */
import * as fs from "fs";
import { TerraformOutput } from "cdktf";
import { AwsAppTier, AWS_APP_TIER_REPLACEMENT } from "../constructs/aws/app-tier";
import { AWS_TLS_POLICY, AwsHttpsEntry } from "../constructs/aws/https-entry";
import { AwsNetwork } from "../constructs/aws/network";
import { TfJson, at, managedItems, platformStack, synthJson } from "./helpers";
import { Assertion, awsMockProvider, mockApplyRun } from "./aws-mocks";
import { TerraformTools, initWorkspace, runTerraform, skipLoudly, terraformTools } from "./terraform";

// The mocked provider never calls AWS; this keeps any SDK code path off the instance metadata service.
process.env.AWS_EC2_METADATA_DISABLED = "true";

const tools = terraformTools();
const available = !("missing" in tools);
if (!available) skipLoudly("real-Terraform tests of the AWS serving stack (validate, mocked apply)", (tools as { missing: string }).missing);

const DOMAIN = "app.example.com";
const ZONE = "example.com";
const PORT = 8080;

interface Case {
  readonly env: "staging" | "production";
  readonly dnsZone?: string;
}

/** Builds the bare stack; the entry's address, URL and records become outputs so Terraform resolves them. */
function build(c: Case): TfJson {
  const { stack } = platformStack("aws", c.env);
  const prod = c.env === "production";
  const network = new AwsNetwork(stack, "network", { deletionProtection: prod });
  const tier = new AwsAppTier(stack, "app", {
    network,
    port: PORT,
    scaling: prod ? { min: 2, desired: 2, max: 6 } : { min: 1, desired: 1, max: 2 },
    operatorAccess: !prod,
  });
  const entry = new AwsHttpsEntry(stack, "entry", { network, target: tier, domain: DOMAIN, dnsZone: c.dnsZone, deletionProtection: prod });
  new TerraformOutput(stack, "url", { value: entry.url });
  new TerraformOutput(stack, "address", { value: entry.address });
  new TerraformOutput(stack, "dns_records", { value: entry.dnsRecords.map((r) => ({ ...r })) });
  return synthJson(stack);
}

const MOCK_PROVIDER = awsMockProvider({ region: "us-east-1", certificateDomain: DOMAIN });

function assertions(tf: TfJson, c: Case): Assertion[] {
  const a = (p: string) => at(tf, p).address;
  const prod = c.env === "production";
  const asg = a("app/Resource");
  const lt = a("app/template");
  const lb = a("entry/Resource");
  const tg = a("entry/target-group");
  const https = a("entry/https");
  const http = a("entry/http");
  const appSg = a("app/identity/sg");
  const lbSg = a("entry/sg");
  const bucket = a("entry/access-logs/Resource");
  const out: Assertion[] = [
    [`${asg}.health_check_type == "ELB" && ${asg}.min_size == ${prod ? 2 : 1} && ${asg}.max_size == ${prod ? 6 : 2}`, "group size and ELB health checks"],
    [`length(${asg}.vpc_zone_identifier) == 2 && contains(tolist(${asg}.vpc_zone_identifier), ${a("network/application-1")}.id) && contains(tolist(${asg}.vpc_zone_identifier), ${a("network/application-2")}.id)`, "the group spans the application subnets of both zones"],
    [`${a("network/application-1")}.availability_zone != ${a("network/application-2")}.availability_zone`, "application subnets in two zones"],
    [`${asg}.launch_template[0].id == ${lt}.id && ${asg}.launch_template[0].version == tostring(${lt}.latest_version)`, "the group follows the template's latest version"],
    [`${asg}.instance_refresh[0].strategy == "Rolling" && ${asg}.instance_refresh[0].preferences[0].min_healthy_percentage == ${AWS_APP_TIER_REPLACEMENT.minHealthyPercentage}`, "rolling refresh that never drops below capacity"],
    [`${asg}.service_linked_role_arn == ${a("app/service-role")}.arn && ${a("app/key-grant")}.grantee_principal == ${a("app/service-role")}.arn`, "the group launches through its own role, which holds the key grant"],
    [`${a("app/key-grant")}.key_id == ${a("kms/Resource")}.key_id && contains(${a("app/key-grant")}.operations, "CreateGrant")`, "the grant is on the stack's key"],
    [`${lt}.metadata_options[0].http_tokens == "required" && ${lt}.metadata_options[0].http_put_response_hop_limit == 1`, "IMDSv2 only, hop limit 1"],
    [`${lt}.block_device_mappings[0].ebs[0].encrypted == "true" && ${lt}.block_device_mappings[0].ebs[0].kms_key_id == ${a("kms/Resource")}.arn`, "encrypted root volume with the stack's key"],
    [`${lt}.network_interfaces[0].associate_public_ip_address == "false" && contains(tolist(${lt}.network_interfaces[0].security_groups), ${appSg}.id)`, "no public address, the tier's security group"],
    [`${lt}.iam_instance_profile[0].arn == ${a("app/identity/profile")}.arn`, "instances run as the tier's identity"],
    [`${a("app/cpu-target")}.target_tracking_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ASGAverageCPUUtilization"`, "CPU target tracking"],
    [`${lb}.internal == false && ${lb}.drop_invalid_header_fields && ${lb}.enable_deletion_protection == ${prod}`, "internet-facing ALB, invalid headers dropped, deletion protection per environment"],
    [`alltrue([for s in ${lb}.subnets : contains([${a("network/public-1")}.id, ${a("network/public-2")}.id], s)]) && length(${lb}.subnets) == 2`, "the load balancer is in the public subnets"],
    [`${lb}.access_logs[0].enabled && ${lb}.access_logs[0].bucket == ${bucket}.bucket`, "access logs to the log bucket"],
    [`${bucket}.force_destroy == ${!prod}`, "the log bucket empties on destroy only without deletion protection"],
    [`${https}.port == 443 && ${https}.protocol == "HTTPS" && ${https}.ssl_policy == "${AWS_TLS_POLICY}" && ${https}.default_action[0].target_group_arn == ${tg}.arn`, "443 with TLS 1.2+, forwarding to the tier"],
    [`${https}.certificate_arn == ${a("entry/certificate/validation")}.certificate_arn`, "the listener uses the validated certificate"],
    [`${http}.port == 80 && ${http}.default_action[0].type == "redirect" && ${http}.default_action[0].redirect[0].protocol == "HTTPS"`, "80 only redirects"],
    [`${tg}.port == ${PORT} && ${tg}.health_check[0].path == "/health" && ${a("entry/target-group-attachment")}.autoscaling_group_name == ${asg}.name`, "target group on the tier port, health check path, attached to the group"],
    [`${a("app/identity/from-entry")}.security_group_id == ${appSg}.id && ${a("app/identity/from-entry")}.referenced_security_group_id == ${lbSg}.id && ${a("app/identity/from-entry")}.from_port == ${PORT}`, "the tier admits its port from the load balancer's group only"],
    [`${a("entry/to-app-identity")}.security_group_id == ${lbSg}.id && ${a("entry/to-app-identity")}.referenced_security_group_id == ${appSg}.id`, "the load balancer may reach only the tier"],
    [`${a("entry/from-0-0-0-0-0-443")}.cidr_ipv4 == "0.0.0.0/0" && ${a("entry/from-0-0-0-0-0-80")}.from_port == 80`, "443 and 80 from the internet on the load balancer"],
    [`${a("entry/waf/association")}.resource_arn == ${lb}.arn && ${a("entry/waf/association")}.web_acl_arn == ${a("entry/waf/Resource")}.arn`, "the web ACL protects the load balancer"],
    [`startswith(${a("entry/waf/log-group")}.name, "aws-waf-logs-") && contains(tolist(${a("entry/waf/logging")}.log_destination_configs), ${a("entry/waf/log-group")}.arn)`, "WAF logs to an aws-waf-logs- group"],
    [`output.url == "https://${DOMAIN}" && output.address == ${lb}.dns_name`, "outputs: URL and load balancer address"],
    [`output.dns_records[1].purpose == "certificate-validation" && output.dns_records[1].name == "_0123456789abcdef.${DOMAIN}." && output.dns_records[0].value == ${lb}.dns_name`, "dnsRecords resolve to the validation record and the load balancer"],
  ];
  if (c.dnsZone) {
    const alias = a("entry/alias-record");
    const record = a("entry/certificate/validation-record");
    out.push(
      [`${alias}.name == "${DOMAIN}" && ${alias}.type == "A" && ${alias}.alias[0].name == ${lb}.dns_name && ${alias}.zone_id == ${a("entry/zone")}.zone_id`, "alias record in the zone"],
      [`${record}.name == "_0123456789abcdef.${DOMAIN}." && ${record}.records == toset(["_fedcba9876543210.acm-validations.aws."])`, "validation record from the certificate"],
      [`contains(${a("entry/certificate/validation")}.validation_record_fqdns, ${record}.fqdn)`, "the validation waits for the record"],
    );
  } else {
    out.push([`output.dns_records[0].type == "CNAME" && output.dns_records[0].name == "${DOMAIN}"`, "without a zone the domain needs a CNAME"]);
  }
  return out;
}

const describeIf = available ? describe : describe.skip;

// Staging without a zone runs as part of the platform stack (aws-terraform.test.ts: mocked apply, second plan,
// destroy); this bare stack adds what no platform profile has: a Route 53 zone (records, alias, validation).
const CASES: Array<[string, Case]> = [["production, Route 53 zone", { env: "production", dnsZone: ZONE }]];

describeIf.each(CASES)("terraform on the AWS serving stack (%s)", (_name, c) => {
  let dir: string;
  let tf: TfJson;

  beforeAll(() => {
    tf = build(c);
    dir = initWorkspace(tools as TerraformTools, `tf-aws-serve-${c.env}-`, {
      "cdk.tf.json": JSON.stringify(tf, null, 2),
      "tests/mock.tftest.hcl": `${MOCK_PROVIDER}\n${mockApplyRun(assertions(tf, c))}`,
    });
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("terraform test (which validates the configuration first): mocked apply resolves every reference and the assertions hold; teardown refuses exactly the protected resources", () => {
    const r = runTerraform(tools as TerraformTools, dir, ["test"]);
    expect(r.output).toMatch(/run "mock_apply"\.\.\. pass/);
    const protectedResources = managedItems(tf)
      .filter((i) => i.body.lifecycle?.prevent_destroy === true)
      .map((i) => i.address)
      .sort();
    // Production: the entry's logs and its load balancer (the domain points at its DNS name), the flow logs, the
    // stack's key, and the stack's access-log bucket (it receives the entry log bucket's own access logs).
    const expected = ["entry/Resource", "entry/access-logs/Resource", "entry/waf/log-group", "network/flow-log-group", "kms/Resource", "access-logs/Resource"];
    expect(protectedResources).toEqual(c.env === "production" ? expected.map((p) => at(tf, p).address).sort() : []);
    // Terraform stops walking the destroy graph at the first refusals, so protected resources others depend on
    // (the key, the log buckets) may go unnamed: every refusal names a protected resource, and nothing else errs.
    const refused = [...r.output.matchAll(/Resource (\S+) has\s+lifecycle\.prevent_destroy\s+set/g)].map((m) => m[1]).sort();
    expect(refused.filter((a) => !protectedResources.includes(a))).toEqual([]);
    if (protectedResources.length === 0) {
      expect(refused).toEqual([]);
      if (r.status !== 0) throw new Error(r.output);
      expect(r.output).toContain("1 passed, 0 failed");
    } else if (refused.length === 0 || (r.output.match(/Error: /g) ?? []).length !== refused.length) {
      throw new Error(`errors other than the refusals:\n${r.output}`);
    }
  });
});
