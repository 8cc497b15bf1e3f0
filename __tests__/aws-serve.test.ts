/**
 * AWS: serving the application (issue 11). A bare AWS stack per environment
 * with a network, an app tier and an HTTPS entry built from the environment
 * profile (scaling, WAF, operator access, deletion protection), asserted by
 * construct path. The policy check runs on every stack synthJson builds.
 */
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { APP_TIER_DEFAULTS } from "../constructs/app-tier";
import {
  AWS_APP_TIER_REPLACEMENT,
  AWS_APP_TIER_ROOT_DEVICE,
  AWS_APP_TIER_TEMPLATE_IGNORED_CHANGES,
  AWS_AUTOSCALING_KEY_OPERATIONS,
  AWS_SSM_CORE_POLICY,
  AwsAppTier,
  fitName,
} from "../constructs/aws/app-tier";
import { AWS_ACCESS_LOG_PREFIX, AWS_HSTS_HEADER, AWS_TLS_POLICY, AWS_WAF_MANAGED_RULE_GROUPS, AWS_WAF_REDACTED_HEADERS, AwsHttpsEntry } from "../constructs/aws/https-entry";
import { AwsNetwork } from "../constructs/aws/network";
import { AWS_VM_IMAGE } from "../constructs/aws/virtual-machine";
import { ValidationError } from "../constructs/core";
import { HttpsEntryProps } from "../constructs/https-entry";
import { CloudStack, decisionsAt } from "../constructs/stack";
import { APPLICATION_PORT } from "../stacks/platform-stack";
import { Found, TfJson, allItems, at, platformStack, refAt, rel, sanitizeForSnapshot, synthJson, under, validationErrorOf } from "./helpers";

const ENVIRONMENTS = ["staging", "production"] as const;
type Env = (typeof ENVIRONMENTS)[number];
const DOMAIN = "app.example.com";
const ZONE = "example.com";

interface Served {
  readonly stack: CloudStack;
  readonly network: AwsNetwork;
  readonly tier: AwsAppTier;
  readonly entry: AwsHttpsEntry;
}

/** A bare stack serving the application with the environment profile's decisions, as the platform stack will. */
function serve(env: string, entry: Partial<HttpsEntryProps> = {}, userData?: string): Served {
  const { stack } = platformStack("aws", env);
  const prod = !stack.profile.costOverResilience;
  const network = new AwsNetwork(stack, "network", { deletionProtection: prod });
  const tier = new AwsAppTier(stack, "app", { network, port: APPLICATION_PORT, scaling: stack.profile.scaling, operatorAccess: stack.profile.operatorAccess, userData });
  const e = new AwsHttpsEntry(stack, "entry", {
    network,
    target: tier,
    domain: DOMAIN,
    webApplicationFirewall: stack.profile.webApplicationFirewall,
    deletionProtection: prod,
    ...entry,
  });
  // What the platform stack outputs (names are the stack's, not the construct's).
  new TerraformOutput(stack, "url", { value: e.url });
  new TerraformOutput(stack, "address", { value: e.address });
  new TerraformOutput(stack, "dns_records", { value: e.dnsRecords.map((r) => ({ ...r })) });
  return { stack, network, tier, entry: e };
}

const served = {} as Record<Env, Served>;
const tfByEnv = {} as Record<Env, TfJson>;
for (const env of ENVIRONMENTS) {
  // Production manages its DNS in Route 53; staging lists the records to create elsewhere.
  served[env] = serve(env, env === "production" ? { dnsZone: ZONE } : {});
  tfByEnv[env] = synthJson(served[env].stack);
}

const policyOf = (r: Found) => JSON.parse(r.body.policy ?? r.body.policy_document);
const ingressOn = (tf: TfJson, sgPath: string) => allItems(tf).filter((i) => i.type === "aws_vpc_security_group_ingress_rule" && i.body.security_group_id === refAt(tf, sgPath));
const egressOn = (tf: TfJson, sgPath: string) => allItems(tf).filter((i) => i.type === "aws_vpc_security_group_egress_rule" && i.body.security_group_id === refAt(tf, sgPath));

describe.each(ENVIRONMENTS)("aws %s serves the application", (env) => {
  const tf = tfByEnv[env];
  const { stack } = served[env];
  const prod = env === "production";
  const keyArn = refAt(tf, "kms/Resource", "arn");

  describe("app tier: launch template", () => {
    const lt = at(tf, "app/template").body;

    test("newest Amazon Linux 2023 from the data source (no AMI id in the code), chosen at creation and then kept", () => {
      expect(lt.image_id).toBe(refAt(tf, "app/ami"));
      expect(at(tf, "app/ami").body).toMatchObject({ most_recent: true, owners: [...AWS_VM_IMAGE.owners] });
      expect(at(tf, "app/ami").body.filter).toContainEqual({ name: "name", values: [AWS_VM_IMAGE.namePattern] });
      // Amazon publishes a new image about every week: following it would roll every instance at the next apply.
      expect(AWS_APP_TIER_TEMPLATE_IGNORED_CHANGES).toEqual(["image_id"]);
      expect(lt.lifecycle).toEqual({ ignore_changes: ["image_id"] });
    });

    test("IMDSv2 only, hop limit 1, detailed monitoring, EBS-optimized", () => {
      expect(lt.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "enabled" });
      expect(lt.monitoring).toEqual({ enabled: true });
      expect(lt.ebs_optimized).toBe("true");
    });

    test("the root volume is encrypted gp3 with the stack's key", () => {
      expect(lt.block_device_mappings).toEqual([
        { device_name: AWS_APP_TIER_ROOT_DEVICE, ebs: { encrypted: "true", kms_key_id: keyArn, volume_type: "gp3", volume_size: APP_TIER_DEFAULTS.rootVolumeGb, delete_on_termination: "true" } },
      ]);
    });

    test("no public address; the tier's own security group and instance profile", () => {
      expect(lt.network_interfaces).toEqual([{ device_index: 0, associate_public_ip_address: "false", delete_on_termination: "true", security_groups: [refAt(tf, "app/identity/sg")] }]);
      expect(lt.vpc_security_group_ids).toBeUndefined();
      expect(lt.iam_instance_profile).toEqual({ arn: refAt(tf, "app/identity/profile", "arn") });
      expect(lt.key_name).toBeUndefined();
    });

    test("every change is a new default version, and instances and volumes carry the stack's tags", () => {
      expect(lt.update_default_version).toBe(true);
      expect(lt.tag_specifications.map((t: any) => t.resource_type)).toEqual(["instance", "volume", "network-interface"]);
      for (const t of lt.tag_specifications) expect(t.tags).toMatchObject({ Project: "taskflow", Environment: env, ManagedBy: "cdktf", Name: `taskflow-${env}-app` });
    });

    test("without user data, instances boot the placeholder that answers the health check on the app port", () => {
      expect(lt.user_data).toMatch(/^\$\{base64encode\(/);
      expect(lt.user_data).toContain(`http.server ${APPLICATION_PORT}`);
      expect(lt.user_data).toContain("/var/lib/app-placeholder/health");
    });
  });

  describe("app tier: Auto Scaling group", () => {
    const asg = at(tf, "app/Resource").body;

    test("spans the application subnet of every zone", () => {
      expect(asg.vpc_zone_identifier).toEqual([refAt(tf, "network/application-1"), refAt(tf, "network/application-2")]);
      expect(asg.availability_zones).toBeUndefined();
    });

    test("min / desired / max come from the environment profile", () => {
      expect(stack.profile.scaling).toEqual(prod ? { min: 2, desired: 2, max: 6 } : { min: 1, desired: 1, max: 2 });
      expect([asg.min_size, asg.desired_capacity, asg.max_size]).toEqual([stack.profile.scaling.min, stack.profile.scaling.desired, stack.profile.scaling.max]);
    });

    test("the autoscaler owns desired_capacity after the first apply; target groups attach separately", () => {
      expect(asg.lifecycle.ignore_changes).toEqual(["desired_capacity", "target_group_arns"]);
      expect(asg.target_group_arns).toBeUndefined();
    });

    test("follows the template's latest version, so new user data (or a deliberately replaced template) rolls the group instead of replacing it", () => {
      expect(asg.launch_template).toEqual({ id: refAt(tf, "app/template"), version: `\${tostring(${at(tf, "app/template").address}.latest_version)}` });
      expect(asg.name).toBe(`taskflow-${env}-app`);
      expect(asg.name_prefix).toBeUndefined();
    });

    test("rolling instance refresh that launches before it terminates: never below capacity, one at a time for small groups", () => {
      expect(AWS_APP_TIER_REPLACEMENT).toEqual({ minHealthyPercentage: 100, maxHealthyPercentage: 110 });
      expect(asg.instance_refresh).toEqual({ strategy: "Rolling", preferences: { min_healthy_percentage: 100, max_healthy_percentage: 110, skip_matching: true } });
      expect(asg.instance_maintenance_policy).toEqual({ min_healthy_percentage: 100, max_healthy_percentage: 110 });
    });

    test("heals from the load balancer's health check after a grace period", () => {
      expect(asg.health_check_type).toBe("ELB");
      expect(asg.health_check_grace_period).toBeGreaterThanOrEqual(120);
    });

    test("CPU target tracking at the tier's target", () => {
      expect(at(tf, "app/cpu-target").body).toMatchObject({
        autoscaling_group_name: refAt(tf, "app/Resource", "name"),
        name: `taskflow-${env}-app-cpu`,
        policy_type: "TargetTrackingScaling",
        target_tracking_configuration: { predefined_metric_specification: { predefined_metric_type: "ASGAverageCPUUtilization" }, target_value: APP_TIER_DEFAULTS.cpuTargetPercent },
      });
    });

    test("launches through its own service-linked role, which a KMS grant lets use the stack's key before the first launch", () => {
      const role = at(tf, "app/service-role").body;
      expect(role).toMatchObject({ aws_service_name: "autoscaling.amazonaws.com", custom_suffix: `taskflow-${env}-app` });
      expect(role.custom_suffix).not.toContain("_");
      expect(asg.service_linked_role_arn).toBe(refAt(tf, "app/service-role", "arn"));
      const grant = at(tf, "app/key-grant");
      expect(grant.body).toMatchObject({ key_id: refAt(tf, "kms/Resource", "key_id"), grantee_principal: refAt(tf, "app/service-role", "arn") });
      expect([...grant.body.operations].sort()).toEqual([...AWS_AUTOSCALING_KEY_OPERATIONS].sort());
      expect(asg.depends_on).toEqual([grant.address]);
    });

    test("instances are tagged through the template, the group's own tags do not propagate", () => {
      expect(asg.tag).toContainEqual({ key: "Environment", value: env, propagate_at_launch: false });
    });
  });

  describe("app tier: identity and operator access", () => {
    test("its own role, trusted by EC2 only", () => {
      expect(JSON.parse(at(tf, "app/identity/Resource").body.assume_role_policy).Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
      expect(served[env].tier.grantPrincipal).toEqual(served[env].tier.identity.grantPrincipal);
    });

    test(`operator access through SSM Session Manager is ${prod ? "off" : "on"} (profile), never through SSH`, () => {
      expect(stack.profile.operatorAccess).toBe(!prod);
      const ssm = under(tf, "app", "aws_iam_role_policy_attachment");
      expect(ssm.map(({ body: { "//": _, ...body } }) => body)).toEqual(prod ? [] : [{ role: refAt(tf, "app/identity/Resource", "name"), policy_arn: `arn:\${data.aws_partition.partition.partition}:iam::aws:policy/${AWS_SSM_CORE_POLICY}` }]);
      expect(allItems(tf).filter((i) => i.type.includes("ingress") && [i.body.from_port, i.body.to_port].includes(22))).toEqual([]);
    });
  });

  describe("network paths", () => {
    test("the tier admits its port from the load balancer's security group and from nothing else", () => {
      const rules = ingressOn(tf, "app/identity/sg");
      expect(rules.map((r) => rel(r.path))).toEqual(["app/identity/from-entry"]);
      expect(rules[0].body).toMatchObject({ referenced_security_group_id: refAt(tf, "entry/sg"), ip_protocol: "tcp", from_port: APPLICATION_PORT, to_port: APPLICATION_PORT });
      expect(rules[0].body.cidr_ipv4).toBeUndefined();
    });

    test("the load balancer admits 443 and 80 from the internet and may only reach the tier on its port", () => {
      expect(ingressOn(tf, "entry/sg").map((r) => [r.body.cidr_ipv4, r.body.from_port, r.body.to_port])).toEqual([
        ["0.0.0.0/0", 443, 443],
        ["0.0.0.0/0", 80, 80],
      ]);
      const out = egressOn(tf, "entry/sg");
      expect(out.map((r) => [r.body.referenced_security_group_id, r.body.from_port, r.body.to_port])).toEqual([[refAt(tf, "app/identity/sg"), APPLICATION_PORT, APPLICATION_PORT]]);
      expect(at(tf, "entry/sg").body.egress).toBeUndefined();
      expect(at(tf, "entry/sg").body.vpc_id).toBe(refAt(tf, "network/Resource"));
    });

    test("the public tier holds only the load balancer; the tier runs in the application subnets", () => {
      const publicSubnets = [refAt(tf, "network/public-1"), refAt(tf, "network/public-2")];
      expect(at(tf, "entry/Resource").body.subnets).toEqual(publicSubnets);
      const usesPublic = allItems(tf).filter((i) => !i.path.includes("/network/") && JSON.stringify(i.body).match(/network_public-\d/));
      expect(usesPublic.map((i) => rel(i.path))).toEqual(["entry/Resource"]);
    });

    test("the entry's connections are its own security group", () => {
      expect(served[env].entry.connections.owner).toBe(served[env].entry);
    });
  });

  describe("HTTPS entry: load balancer and listeners", () => {
    const lb = at(tf, "entry/Resource").body;

    test("internet-facing Application Load Balancer that drops invalid header fields", () => {
      expect(lb).toMatchObject({ name: `taskflow-${env}-entry`, load_balancer_type: "application", internal: false, ip_address_type: "ipv4", drop_invalid_header_fields: true, desync_mitigation_mode: "defensive" });
      expect(lb.security_groups).toEqual([refAt(tf, "entry/sg")]);
    });

    test(`deletion protection is ${prod ? "on, and Terraform refuses to destroy it (the domain points at its DNS name)" : "off, and the decision is recorded"}`, () => {
      expect(lb.enable_deletion_protection).toBe(prod);
      expect(lb.lifecycle).toEqual(prod ? { prevent_destroy: true } : undefined);
      expect([...decisionsAt(stack, served[env].entry.resource.node.path)]).toEqual(prod ? [] : ["no-deletion-protection"]);
    });

    test("443 with the TLS 1.3/1.2 policy, the validated certificate, HSTS, forwarding to the tier's target group", () => {
      expect(at(tf, "entry/https").body).toMatchObject({
        load_balancer_arn: refAt(tf, "entry/Resource", "arn"),
        port: 443,
        protocol: "HTTPS",
        ssl_policy: AWS_TLS_POLICY,
        certificate_arn: refAt(tf, "entry/certificate/validation", "certificate_arn"),
        routing_http_response_strict_transport_security_header_value: AWS_HSTS_HEADER,
        default_action: [{ type: "forward", target_group_arn: refAt(tf, "entry/target-group", "arn") }],
      });
    });

    test("80 only redirects to 443, permanently", () => {
      expect(at(tf, "entry/http").body).toMatchObject({ port: 80, protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }] });
      expect(at(tf, "entry/http").body.default_action[0].target_group_arn).toBeUndefined();
    });

    test("the target group is the tier on its port, health-checked on its path, attached to the group", () => {
      const tg = at(tf, "entry/target-group").body;
      expect(tg).toMatchObject({ port: APPLICATION_PORT, protocol: "HTTP", target_type: "instance", vpc_id: refAt(tf, "network/Resource"), lifecycle: { create_before_destroy: true } });
      expect(tg.name).toContain(String(APPLICATION_PORT));
      expect(tg.health_check).toMatchObject({ enabled: true, protocol: "HTTP", path: APP_TIER_DEFAULTS.healthCheckPath, port: "traffic-port", matcher: "200" });
      expect(at(tf, "entry/target-group-attachment").body).toEqual(
        expect.objectContaining({ autoscaling_group_name: refAt(tf, "app/Resource", "name"), lb_target_group_arn: refAt(tf, "entry/target-group", "arn") }),
      );
    });

    test("outputs: the public URL and the load balancer's DNS name", () => {
      expect(tf.output!.url.value).toBe(`https://${DOMAIN}`);
      expect(tf.output!.address.value).toBe(refAt(tf, "entry/Resource", "dns_name"));
    });
  });

  describe("HTTPS entry: certificate and DNS", () => {
    test("ACM certificate for the domain, DNS validation, replaced before it is destroyed", () => {
      expect(at(tf, "entry/certificate/Resource").body).toMatchObject({ domain_name: DOMAIN, validation_method: "DNS", key_algorithm: "RSA_2048", lifecycle: { create_before_destroy: true } });
      expect(at(tf, "entry/certificate/validation").body.certificate_arn).toBe(refAt(tf, "entry/certificate/Resource", "arn"));
    });

    const cert = at(tf, "entry/certificate/Resource").address;
    const option = (attr: string) => `\${tolist(${cert}.domain_validation_options).0.${attr}}`;

    if (prod) {
      test("with a zone: validation record and alias record in Route 53, and the validation waits for the record", () => {
        expect(at(tf, "entry/zone").body).toMatchObject({ name: ZONE, private_zone: false });
        expect(at(tf, "entry/certificate/validation-record").body).toMatchObject({
          zone_id: refAt(tf, "entry/zone", "zone_id"),
          name: option("resource_record_name"),
          type: option("resource_record_type"),
          records: [option("resource_record_value")],
          allow_overwrite: true,
        });
        expect(at(tf, "entry/certificate/validation").body.validation_record_fqdns).toEqual([refAt(tf, "entry/certificate/validation-record", "fqdn")]);
        expect(at(tf, "entry/alias-record").body).toMatchObject({
          zone_id: refAt(tf, "entry/zone", "zone_id"),
          name: DOMAIN,
          type: "A",
          alias: { name: refAt(tf, "entry/Resource", "dns_name"), zone_id: refAt(tf, "entry/Resource", "zone_id"), evaluate_target_health: true },
        });
      });
    } else {
      test("without a zone: no Route 53 records, and the validation waits for records created elsewhere", () => {
        expect(allItems(tf).filter((i) => i.type.startsWith("aws_route53"))).toEqual([]);
        expect(at(tf, "entry/certificate/validation").body.validation_record_fqdns).toBeUndefined();
      });
    }

    test("dnsRecords list what the domain needs, with references Terraform resolves", () => {
      expect(tf.output!.dns_records.value).toEqual([
        { name: DOMAIN, type: prod ? "A" : "CNAME", value: refAt(tf, "entry/Resource", "dns_name"), purpose: "serve" },
        { name: option("resource_record_name"), type: "CNAME", value: option("resource_record_value"), purpose: "certificate-validation" },
      ]);
    });
  });

  describe("HTTPS entry: WAF", () => {
    test("a REGIONAL web ACL with the managed common, known-bad-inputs and SQLi rule groups, blocking", () => {
      const acl = at(tf, "entry/waf/Resource").body;
      expect(acl).toMatchObject({ scope: "REGIONAL", default_action: { allow: {} } });
      expect(acl.rule.map((r: any) => [r.name, r.priority, r.statement.managed_rule_group_statement, r.override_action])).toEqual(
        AWS_WAF_MANAGED_RULE_GROUPS.map((g, i) => [g, (i + 1) * 10, { name: g, vendor_name: "AWS" }, { none: {} }]),
      );
      for (const r of acl.rule) expect(r.visibility_config).toMatchObject({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true });
    });

    test("associated with the load balancer", () => {
      expect(at(tf, "entry/waf/association").body).toEqual(expect.objectContaining({ resource_arn: refAt(tf, "entry/Resource", "arn"), web_acl_arn: refAt(tf, "entry/waf/Resource", "arn") }));
    });

    test("logs to an encrypted aws-waf-logs- group with retention, credentials redacted, delivery allowed on that group only", () => {
      const group = at(tf, "entry/waf/log-group").body;
      expect(group).toMatchObject({ name: `aws-waf-logs-taskflow-${env}-entry`, retention_in_days: 365, kms_key_id: keyArn });
      expect(group.lifecycle?.prevent_destroy ?? false).toBe(prod);
      expect(at(tf, "entry/waf/logging").body).toMatchObject({
        resource_arn: refAt(tf, "entry/waf/Resource", "arn"),
        log_destination_configs: [refAt(tf, "entry/waf/log-group", "arn")],
        redacted_fields: AWS_WAF_REDACTED_HEADERS.map((name) => ({ single_header: { name } })),
      });
      const statement = policyOf(at(tf, "entry/waf/log-delivery")).Statement[0];
      expect(statement).toMatchObject({ Effect: "Allow", Principal: { Service: "delivery.logs.amazonaws.com" }, Resource: [`${refAt(tf, "entry/waf/log-group", "arn")}:*`] });
      expect(statement.Condition.StringEquals["aws:SourceAccount"]).toBe("${data.aws_caller_identity.caller.account_id}");
    });
  });

  describe("HTTPS entry: access logs", () => {
    const bucketRef = refAt(tf, "entry/access-logs/Resource", "arn");

    test("the load balancer writes access logs to its log bucket, after the bucket policy exists", () => {
      expect(at(tf, "entry/Resource").body.access_logs).toEqual({ bucket: refAt(tf, "entry/access-logs/Resource", "bucket"), prefix: AWS_ACCESS_LOG_PREFIX, enabled: true });
      expect(at(tf, "entry/Resource").body.depends_on).toEqual([at(tf, "entry/access-logs/policy").address]);
    });

    test("the bucket is SSE-S3 (ALB's only option, a recorded decision), versioned, private, owner-enforced", () => {
      expect(at(tf, "entry/access-logs/encryption").body.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
      expect([...decisionsAt(stack, `${served[env].entry.node.path}/access-logs/encryption`)]).toEqual(["log-bucket-sse-s3"]);
      expect(at(tf, "entry/access-logs/versioning").body.versioning_configuration).toEqual({ status: "Enabled" });
      expect(at(tf, "entry/access-logs/public-access").body).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
      expect(at(tf, "entry/access-logs/ownership").body.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    });

    test("the policy denies non-TLS and lets only ELB log delivery write, under the load balancer's prefix", () => {
      const statements = policyOf(at(tf, "entry/access-logs/policy")).Statement;
      expect(statements[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
      const logs = `${bucketRef}/${AWS_ACCESS_LOG_PREFIX}/AWSLogs/\${data.aws_caller_identity.caller.account_id}/*`;
      // us-east-1 predates August 2022: its ELB account writes; newer regions use the service principal.
      expect(statements.slice(1).map((s: any) => [s.Principal, s.Action, s.Resource])).toEqual([
        [{ Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, "s3:PutObject", logs],
        [{ AWS: refAt(tf, "entry/access-logs/elb-account", "arn") }, "s3:PutObject", logs],
      ]);
    });

    test("who reads the load balancer's logs is recorded too: the bucket's S3 server access logs go to the stack's access-log bucket", () => {
      const bucket = at(tf, "entry/access-logs/Resource");
      expect(at(tf, "entry/access-logs/access-logging").body).toMatchObject({
        bucket: refAt(tf, "entry/access-logs/Resource"),
        target_bucket: refAt(tf, "access-logs/Resource"),
        target_prefix: `${bucket.body.bucket}/`,
        depends_on: [at(tf, "access-logs/policy").address],
      });
      const delivery = policyOf(at(tf, "access-logs/policy")).Statement.find((x: any) => x.Sid === "S3ServerAccessLogDelivery");
      expect(delivery.Condition.ArnLike["aws:SourceArn"]).toEqual([refAt(tf, "entry/access-logs/Resource", "arn")]);
      // Kept in the load balancer's region: no replica of the log bucket.
      expect(allItems(tf).filter((i) => i.type === "aws_s3_bucket_replication_configuration")).toEqual([]);
    });

    test("logs expire after the retention; the bucket empties on destroy only without deletion protection", () => {
      const rules = at(tf, "entry/access-logs/lifecycle").body.rule;
      expect(rules[0]).toMatchObject({ status: "Enabled", expiration: [{ days: 365 }], noncurrent_version_expiration: [{ noncurrent_days: 7 }] });
      const bucket = at(tf, "entry/access-logs/Resource").body;
      expect(bucket.force_destroy).toBe(!prod);
      expect(bucket.lifecycle?.prevent_destroy ?? false).toBe(prod);
    });
  });

  test("snapshot of the serving resources", () => {
    const serving = allItems(tf).filter((i) => /^[^/]+\/(app|entry)\//.test(i.path));
    expect(sanitizeForSnapshot({ terraform: {}, resource: Object.fromEntries(serving.map((i) => [rel(i.path), { "@type": i.type, ...i.body }])) })).toMatchSnapshot();
  });
});

describe("choices", () => {
  test("without the web application firewall there is no web ACL, and the decision is recorded", () => {
    const { stack, entry } = serve("staging", { webApplicationFirewall: false });
    const tf = synthJson(stack);
    expect(under(tf, "entry/waf")).toEqual([]);
    expect(entry.webAcl).toBeUndefined();
    expect([...decisionsAt(stack, entry.resource.node.path)].sort()).toEqual(["no-deletion-protection", "no-web-application-firewall"]);
  });

  test("custom user data replaces the placeholder (a change is a new template version)", () => {
    const tf = synthJson(serve("staging", {}, "#cloud-config\nruncmd: [[echo, hi]]\n").stack);
    expect(at(tf, "app/template").body.user_data).toBe('${base64encode("#cloud-config\\nruncmd: [[echo, hi]]\\n")}');
  });

  test("a region opened after August 2022 lets only the log delivery service principal write", () => {
    const { stack } = platformStack("aws", "staging", { aws: { region: "eu-central-2" } });
    const network = new AwsNetwork(stack, "network", { deletionProtection: false });
    const tier = new AwsAppTier(stack, "app", { network });
    new AwsHttpsEntry(stack, "entry", { network, target: tier, domain: DOMAIN, deletionProtection: false });
    const tf = synthJson(stack);
    expect(under(tf, "entry/access-logs", "aws_elb_service_account")).toEqual([]);
    expect(policyOf(at(tf, "entry/access-logs/policy")).Statement.slice(1).map((s: any) => s.Principal)).toEqual([{ Service: "logdelivery.elasticloadbalancing.amazonaws.com" }]);
  });

  test("long names stay within the load balancer's 32 characters, stable and distinct", () => {
    expect(fitName("taskflow-production-entry", 32)).toBe("taskflow-production-entry");
    const long = fitName("longproject12345-production-public-entry", 32);
    expect(long.length).toBeLessThanOrEqual(32);
    expect(long).toBe(fitName("longproject12345-production-public-entry", 32));
    expect(long).not.toBe(fitName("longproject12345-production-public-entrx", 32));
  });
});

describe("fails when", () => {
  const bare = () => {
    const { stack } = platformStack("aws", "staging");
    const network = new AwsNetwork(stack, "network", { deletionProtection: false });
    return { stack, network };
  };

  test("fails when the access-log retention is not a CloudWatch Logs period", () => {
    const { stack, network } = bare();
    const tier = new AwsAppTier(stack, "app", { network });
    const e = validationErrorOf(() => new AwsHttpsEntry(stack, "entry", { network, target: tier, domain: DOMAIN, accessLogRetentionDays: 100 }));
    expect(e.issues).toEqual([expect.objectContaining({ field: "httpsEntry.accessLogRetentionDays", value: 100 })]);
    expect(e.message).toContain("365");
  });

  test("fails when the tier is in another network", () => {
    const { stack, network } = bare();
    const other = new AwsNetwork(stack, "other", { cidr: "10.1.0.0/16", deletionProtection: false });
    const tier = new AwsAppTier(stack, "app", { network: other });
    const e = validationErrorOf(() => new AwsHttpsEntry(stack, "entry", { network, target: tier, domain: DOMAIN }));
    expect(e.issues).toEqual([expect.objectContaining({ field: "httpsEntry.target", accepted: expect.stringContaining("network") })]);
  });

  test("fails when the target is not an AWS app tier", () => {
    const { stack, network } = bare();
    const fake = Object.assign(new Construct(stack, "fake"), { cloud: "aws" }) as any;
    const e = validationErrorOf(() => new AwsHttpsEntry(stack, "entry", { network, target: fake, domain: DOMAIN }));
    expect(e.issues).toEqual([expect.objectContaining({ field: "httpsEntry.target", accepted: "an AwsAppTier of the same stack" })]);
  });

  test("fails when the domain or the zone is not valid, naming both fields (shared validation)", () => {
    const { stack, network } = bare();
    const tier = new AwsAppTier(stack, "app", { network });
    const e = validationErrorOf(() => new AwsHttpsEntry(stack, "entry", { network, target: tier, domain: "App.Example.com", dnsZone: "other.org" }));
    expect(e.issues.map((i) => i.field)).toEqual(["httpsEntry.domain", "httpsEntry.dnsZone"]);
  });

  test("fails when the scaling bounds are inconsistent (shared validation, on AWS)", () => {
    const { stack, network } = bare();
    const e = validationErrorOf(() => new AwsAppTier(stack, "app", { network, scaling: { min: 3, desired: 2, max: 2 } }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.issues.map((i) => i.field).sort()).toEqual(["appTier.scaling.desired", "appTier.scaling.max"]);
  });

  test("fails when the tier's port is SSH", () => {
    const { stack, network } = bare();
    const e = validationErrorOf(() => new AwsAppTier(stack, "app", { network, port: 22 }));
    expect(e.issues).toEqual([expect.objectContaining({ field: "appTier.port", value: 22 })]);
  });

  test("fails when two entries claim the same load balancer name", () => {
    const { stack, network } = bare();
    const tier = new AwsAppTier(stack, "app", { network });
    new AwsHttpsEntry(stack, "entry", { network, target: tier, domain: DOMAIN, deletionProtection: false });
    const sub = new Construct(stack, "again");
    new AwsHttpsEntry(sub, "entry", { network, target: tier, domain: "other.example.com", deletionProtection: false });
    expect(() => synthJson(stack)).toThrow(/load balancer name/);
  });
});
