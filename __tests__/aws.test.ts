/**
 * AWS: targeted assertions on the synthesized Terraform of the app's two
 * stacks per environment, against the reference design (section 11.6-11.8):
 * the platform stack (network, the app tier behind the HTTPS entry, uploads,
 * PostgreSQL, budget) and the worker stack (the VM, its results bucket, its
 * access to the platform's uploads and database). Resources are found by
 * construct path (`at`), references are derived from the JSON (`refAt`), and
 * ports and profile values come from the constants the code uses. The tier's
 * and the entry's own details are asserted on bare stacks in aws-serve.test.ts;
 * here, that the stacks build them from the profile and wire them to the rest.
 */
import { DatabaseCredentials, POSTGRES_PORT } from "../constructs/postgres-database";
import { AWS_POSTGRES_PARAMETERS, AwsPostgresDatabase } from "../constructs/aws/postgres-database";
import { AwsObjectStore } from "../constructs/aws/object-store";
import { AWS_STATEFUL_TYPES } from "../constructs/policy/rules-aws";
import { Peer } from "../constructs/connections";
import { decisionsAt } from "../constructs/stack";
import { APPLICATION_PORT, PlatformStack } from "../stacks/platform-stack";
import { WorkerStack } from "../stacks/worker-stack";
import { ENVIRONMENT_DEFAULTS } from "../constructs/config";
import { SIZE_TABLE } from "../constructs/sizes";
import { awsMustSurviveDestroy } from "../constructs/aws/provider-facts";
import { AWS_SSM_CORE_POLICY } from "../constructs/aws/app-tier";
import { App } from "cdktf";
import { CloudStack } from "../constructs/stack";
import { AwsPrincipal } from "../constructs/grants";
import { TfJson, allItems, at, buildStacks, crossStackRef, managedItems, platformStack, refAt, rel, resourcesOf, sanitizeForSnapshot, synthJson, synthStack, testConfig, testOutdir, under, validationErrorOf } from "./helpers";

const ENVIRONMENTS = ["staging", "production"] as const;
type Env = (typeof ENVIRONMENTS)[number];

/** The app's two AWS stacks per environment, built once from one app (the worker reads the platform's outputs). */
const stackByEnv = {} as Record<Env, PlatformStack>;
const tfByEnv = {} as Record<Env, TfJson>;
const workerByEnv = {} as Record<Env, WorkerStack>;
const wtfByEnv = {} as Record<Env, TfJson>;
for (const env of ENVIRONMENTS) {
  const { platform, worker } = buildStacks("aws", env);
  stackByEnv[env] = platform;
  workerByEnv[env] = worker;
  tfByEnv[env] = synthJson(stackByEnv[env]);
  wtfByEnv[env] = synthJson(workerByEnv[env]);
}

const policyOf = (r: { policy: string }) => JSON.parse(r.policy);

test("the reference design's ports are the constants the code uses", () => {
  expect(APPLICATION_PORT).toBe(8080);
  expect(POSTGRES_PORT).toBe(5432);
});

describe.each(ENVIRONMENTS)("aws %s", (env) => {
  const tf = tfByEnv[env];
  const stack = stackByEnv[env];
  const wtf = wtfByEnv[env];
  const workerStack = workerByEnv[env];
  const prod = env === "production";
  const profile = ENVIRONMENT_DEFAULTS[env];
  const keyArn = refAt(tf, "kms/Resource", "arn");
  const ingressRules = () => Object.values(resourcesOf(tf, "aws_vpc_security_group_ingress_rule")) as any[];
  const egressRules = () => Object.values(resourcesOf(tf, "aws_vpc_security_group_egress_rule")) as any[];
  /** Ingress rules the worker stack writes (on the platform's groups, or its own). */
  const workerIngress = () => Object.values(resourcesOf(wtf, "aws_vpc_security_group_ingress_rule")) as any[];

  describe("provider and tags", () => {
    test("default_tags carry Project, Environment and ManagedBy, in both stacks; the worker's add its component", () => {
      for (const json of [tf, wtf]) {
        const provider = json.provider!.aws[0];
        expect(provider.region).toBe("us-east-1");
        expect(provider.default_tags[0].tags).toMatchObject({ Project: "taskflow", Environment: env, ManagedBy: "cdktf" });
      }
      expect(tf.provider!.aws[0].default_tags[0].tags.Component).toBeUndefined();
      expect(wtf.provider!.aws[0].default_tags[0].tags).toEqual({ Project: "taskflow", Environment: env, Component: "worker", ManagedBy: "cdktf" });
    });

    test("provider pinned to the 5.x line of the binding and Terraform >= 1.11, in both stacks", () => {
      for (const json of [tf, wtf]) {
        expect(json.terraform.required_providers!.aws).toMatchObject({ version: "~> 5.100" });
        expect((json.terraform as any).required_version).toBe(">= 1.11.0");
      }
    });

    test("one KMS key with rotation and an alias, used by volumes, database, bucket and logs (production adds the replica region's key); the worker stack has its own", () => {
      const key = at(tf, "kms/Resource");
      expect(Object.keys(resourcesOf(tf, "aws_kms_key")).sort()).toEqual([key.name, ...(prod ? [at(tf, "kms-replica/Resource").name] : [])].sort());
      expect(key.body.enable_key_rotation).toBe(true);
      expect(key.body.deletion_window_in_days).toBe(30);
      expect(key.body.provider).toBeUndefined();
      expect(at(tf, "kms/alias").body).toMatchObject({ name: `alias/taskflow-${env}`, target_key_id: refAt(tf, "kms/Resource", "key_id") });
      expect(at(tf, "database/Resource").body.kms_key_id).toBe(keyArn);
      expect(at(tf, "app/template").body.block_device_mappings[0].ebs.kms_key_id).toBe(keyArn);
      expect(at(tf, "app/key-grant").body.key_id).toBe(refAt(tf, "kms/Resource", "key_id"));
      // The worker's volume and bucket use the worker stack's own key.
      expect(Object.keys(resourcesOf(wtf, "aws_kms_key")).sort()).toEqual([at(wtf, "kms/Resource").name, ...(prod ? [at(wtf, "kms-replica/Resource").name] : [])].sort());
      expect(at(wtf, "kms/alias").body.name).toBe(`alias/taskflow-worker-${env}`);
      expect(at(wtf, "worker/Resource").body.root_block_device.kms_key_id).toBe(refAt(wtf, "kms/Resource", "arn"));
      expect(at(wtf, "results/encryption").body.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(refAt(wtf, "kms/Resource", "arn"));
      const sse = at(tf, "uploads/encryption").body;
      expect(sse.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe(keyArn);
      const groups = Object.values(resourcesOf(tf, "aws_cloudwatch_log_group")) as any[];
      expect(groups.length).toBeGreaterThan(0);
      expect(groups.every((g) => g.kms_key_id === keyArn)).toBe(true);
      const logsStatement = policyOf(key.body).Statement.find((s: any) => s.Principal.Service);
      expect(logsStatement.Principal.Service).toBe("logs.us-east-1.amazonaws.com");
    });
  });

  describe("network", () => {
    test("VPC 10.0.0.0/16 with DNS support and hostnames", () => {
      expect(at(tf, "network/Resource").body).toMatchObject({ cidr_block: "10.0.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
    });

    test("public, application and data subnets in 2 zones from the data source, none auto-assigning public IPs, each keeping its zone", () => {
      const subnets = Object.values(resourcesOf(tf, "aws_subnet"));
      expect(subnets.map((s: any) => s.cidr_block).sort()).toEqual(
        ["10.0.1.0/24", "10.0.2.0/24", "10.0.10.0/24", "10.0.11.0/24", "10.0.20.0/24", "10.0.21.0/24"].sort(),
      );
      expect(subnets.every((s: any) => s.map_public_ip_on_launch === false)).toBe(true);
      const zones = at(tf, "zones");
      expect(zones.body.state).toBe("available");
      for (const tier of ["public", "application", "data"]) {
        expect([1, 2].map((i) => at(tf, `network/${tier}-${i}`).body.tags.Tier)).toEqual([tier, tier]);
        const azs = subnets.filter((s: any) => s.tags.Tier === tier).map((s: any) => s.availability_zone);
        // An index (Terraform's `list.N`), not element(): element() wraps around a short list and puts both subnets in one zone.
        expect(azs).toEqual([`\${${zones.address}.names.0}`, `\${${zones.address}.names.1}`]);
      }
      // The data source is read at every plan; a shifted list must never replace a subnet (availability_zone forces a new one).
      for (const s of subnets as any[]) {
        expect(s.lifecycle.ignore_changes).toEqual(["availability_zone"]);
        expect(s.lifecycle.precondition).toEqual([
          {
            condition: `\${(length(${zones.address}.names) >= 2)}`,
            error_message: "The region offers fewer available zones than network.zoneCount (2): choose a smaller zoneCount or another region.",
          },
        ]);
      }
      expect(JSON.stringify(tf)).not.toMatch(/"us-east-1[a-f]"/);
    });

    test("internet gateway routes the public tier only", () => {
      const igw = refAt(tf, "network/igw");
      expect(at(tf, "network/igw").body.vpc_id).toBe(refAt(tf, "network/Resource"));
      const igwRoutes = Object.values(resourcesOf(tf, "aws_route")).filter((r: any) => r.gateway_id === igw);
      expect(igwRoutes).toHaveLength(1);
      expect(igwRoutes[0]).toMatchObject({ destination_cidr_block: "0.0.0.0/0" });
      expect(at(tf, "network/public-rt").body.tags.Name).toBe(`taskflow-${env}-network-public`);
      expect((igwRoutes[0] as any).route_table_id).toBe(refAt(tf, "network/public-rt"));
      expect(at(tf, "network/public-default").body.gateway_id).toBe(igw);
    });

    test(`NAT gateways: ${prod ? "one per zone" : "one shared"}, each in a public subnet with an EIP`, () => {
      const nats = under(tf, "network", "aws_nat_gateway");
      expect(Object.values(resourcesOf(tf, "aws_nat_gateway"))).toHaveLength(prod ? 2 : 1);
      expect(Object.values(resourcesOf(tf, "aws_eip"))).toHaveLength(prod ? 2 : 1);
      nats.forEach((nat, i) => {
        expect(nat.body.subnet_id).toBe(refAt(tf, `network/public-${i + 1}`));
        expect(nat.body.allocation_id).toBe(refAt(tf, `network/nat-eip-${i + 1}`, "allocation_id"));
      });
      const natRoutes = Object.values(resourcesOf(tf, "aws_route")).filter((r: any) => r.nat_gateway_id);
      expect(natRoutes).toHaveLength(2); // one per application route table
      expect(new Set(natRoutes.map((r: any) => r.nat_gateway_id)).size).toBe(prod ? 2 : 1);
      expect(at(tf, "network/application-default-1").body.route_table_id).toBe(refAt(tf, "network/application-rt-1"));
      expect(at(tf, "network/application-default-2").body.nat_gateway_id).toBe(refAt(tf, prod ? "network/nat-2" : "network/nat-1"));
    });

    test("data subnets have no route to the internet", () => {
      const dataRt = refAt(tf, "network/data-rt");
      expect(Object.values(resourcesOf(tf, "aws_route")).filter((r: any) => r.route_table_id === dataRt)).toHaveLength(0);
      expect([1, 2].map((i) => at(tf, `network/data-rta-${i}`).body)).toEqual([
        expect.objectContaining({ subnet_id: refAt(tf, "network/data-1"), route_table_id: dataRt }),
        expect.objectContaining({ subnet_id: refAt(tf, "network/data-2"), route_table_id: dataRt }),
      ]);
    });

    test("flow logs of ALL traffic to an encrypted log group, written by a role scoped to it", () => {
      const flow = at(tf, "network/flow-log").body;
      expect(flow).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs", vpc_id: refAt(tf, "network/Resource") });
      const group = refAt(tf, "network/flow-log-group", "arn");
      expect(at(tf, "network/flow-log-group").body.name).toContain("flow-logs");
      expect(flow.log_destination).toBe(group);
      const role = at(tf, "network/flow-log-role").body;
      expect(role.name.endsWith("-flow-logs")).toBe(true);
      expect(flow.iam_role_arn).toBe(refAt(tf, "network/flow-log-role", "arn"));
      expect(policyOf({ policy: role.assume_role_policy }).Statement[0].Principal.Service).toBe("vpc-flow-logs.amazonaws.com");
      const policy = at(tf, "network/flow-log-policy").body;
      expect(policy.name).toBe("write-flow-logs");
      expect(policy.role).toBe(refAt(tf, "network/flow-log-role"));
      expect(policyOf(policy).Statement[0].Resource).toEqual([group, `${group}:*`]);
    });

    test("default security group has no rules", () => {
      const sg = at(tf, "network/default-sg").body;
      expect(sg.vpc_id).toBe(refAt(tf, "network/Resource"));
      expect(sg.ingress).toBeUndefined();
      expect(sg.egress).toBeUndefined();
    });
  });

  describe("app tier and its identity (details: aws-serve.test.ts)", () => {
    const template = () => at(tf, "app/template").body;
    const group = () => at(tf, "app/Resource").body;
    const appSg = () => refAt(tf, "app/identity/sg");

    test("the platform stack has no VM: the tier is an Auto Scaling group over a launch template", () => {
      expect(resourcesOf(tf, "aws_instance")).toEqual({});
      expect(at(tf, "app/Resource").type).toBe("aws_autoscaling_group");
      expect(group().launch_template).toEqual({ id: refAt(tf, "app/template"), version: `\${tostring(${at(tf, "app/template").address}.latest_version)}` });
      expect(stack.app.resource).toBe(stack.node.findChild("app").node.findChild("Resource"));
    });

    test(`the profile's size and scaling: ${prod ? "t3.medium, 2 to 6 instances" : "t3.small, 1 to 2 instances"}, starting at the desired size`, () => {
      expect(profile.scaling).toEqual(prod ? { min: 2, desired: 2, max: 6 } : { min: 1, desired: 1, max: 2 });
      expect(template().instance_type).toBe(SIZE_TABLE[profile.vmSize].aws.vm);
      expect(template().instance_type).toBe(prod ? "t3.medium" : "t3.small");
      expect([group().min_size, group().desired_capacity, group().max_size]).toEqual([profile.scaling.min, profile.scaling.desired, profile.scaling.max]);
      expect(group().lifecycle.ignore_changes).toContain("desired_capacity");
    });

    test("the VM's hardening in the template: newest AMI kept after creation, IMDSv2, encrypted root volume, no public address, in the application subnets", () => {
      expect(template().image_id).toBe(refAt(tf, "app/ami"));
      expect(template().lifecycle).toEqual({ ignore_changes: ["image_id"] });
      expect(template().metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(template().block_device_mappings[0].ebs).toMatchObject({ encrypted: "true", volume_type: "gp3" });
      expect(template().network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: "false", security_groups: [appSg()] })]);
      expect(group().vpc_zone_identifier).toEqual([refAt(tf, "network/application-1"), refAt(tf, "network/application-2")]);
      expect([1, 2].map((i) => at(tf, `network/application-${i}`).body.cidr_block)).toEqual(["10.0.10.0/24", "10.0.11.0/24"]);
    });

    test("own IAM role (EC2 trust only) and instance profile, under app/identity", () => {
      const role = at(tf, "app/identity/Resource");
      expect(role.body.name).toBe(`taskflow-${env}-app`);
      expect(policyOf({ policy: role.body.assume_role_policy }).Statement).toEqual([
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      expect(template().iam_instance_profile).toEqual({ arn: refAt(tf, "app/identity/profile", "arn") });
      expect(at(tf, "app/identity/profile").body.role).toBe(refAt(tf, "app/identity/Resource", "name"));
      expect(stack.app.identity.node.path).toBe(`${stack.node.path}/app/identity`);
      // Inline permissions come from grants only: the uploads, and the database's credentials and login.
      const inline = allItems(tf).filter((i) => i.type === "aws_iam_role_policy" && i.body.role === refAt(tf, "app/identity/Resource", "name"));
      expect(inline.map((i) => rel(i.path)).sort()).toEqual(["database/credentials/grant-read-app", "database/grant-connect-app", "uploads/grant-read-write-app"]);
    });

    test(`operator access ${profile.operatorAccess ? "on: the SSM managed policy on the tier's role" : "off: no managed policy on the tier's role"}; never SSH`, () => {
      expect(profile.operatorAccess).toBe(!prod);
      const attachments = allItems(tf).filter((i) => i.type === "aws_iam_role_policy_attachment");
      expect(attachments.length).toBeGreaterThan(0); // the database's monitoring role has one
      const onTier = attachments.filter((a) => a.body.role === refAt(tf, "app/identity/Resource", "name"));
      expect(onTier.map((a) => [rel(a.path), a.body.policy_arn])).toEqual(
        profile.operatorAccess ? [["app/operator-access", `arn:\${data.aws_partition.partition.partition}:iam::aws:policy/${AWS_SSM_CORE_POLICY}`]] : [],
      );
      expect([...ingressRules(), ...workerIngress()].some((r) => r.from_port <= 22 && r.to_port >= 22)).toBe(false);
    });

    test("the entry is the only thing admitted on the tier's port, from its own security group; nothing else reaches the tier", () => {
      const onAppPort = [...ingressRules(), ...workerIngress()].filter((r) => r.from_port <= APPLICATION_PORT && r.to_port >= APPLICATION_PORT);
      expect(onAppPort).toEqual([at(tf, "app/identity/from-entry").body]);
      expect(at(tf, "app/identity/from-entry").body).toMatchObject({ security_group_id: appSg(), referenced_security_group_id: refAt(tf, "entry/sg"), ip_protocol: "tcp", from_port: APPLICATION_PORT, to_port: APPLICATION_PORT });
      expect(at(tf, "app/identity/from-entry").body.cidr_ipv4).toBeUndefined();
      expect(ingressRules().filter((r) => r.security_group_id === appSg())).toHaveLength(1);
      // Only the entry's 443 and 80 are open to the internet.
      expect(ingressRules().filter((r) => r.cidr_ipv4 === "0.0.0.0/0").map((r) => [r.security_group_id, r.from_port])).toEqual([
        [refAt(tf, "entry/sg"), 443],
        [refAt(tf, "entry/sg"), 80],
      ]);
    });

    test("outbound: HTTPS to anywhere (through NAT), PostgreSQL to the database's security group, nothing else", () => {
      const egress = egressRules().filter((r) => r.security_group_id === appSg());
      expect(egress).toHaveLength(2);
      expect(at(tf, "app/identity/egress-https").body).toMatchObject({ security_group_id: appSg(), ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" });
      expect(at(tf, "app/identity/to-database").body).toMatchObject({
        security_group_id: appSg(),
        referenced_security_group_id: refAt(tf, "database/sg"),
        ip_protocol: "tcp",
        from_port: POSTGRES_PORT,
        to_port: POSTGRES_PORT,
      });
      expect(at(tf, "app/identity/to-database").body.cidr_ipv4).toBeUndefined();
    });
  });

  describe("HTTPS entry (details: aws-serve.test.ts)", () => {
    const lb = () => at(tf, "entry/Resource").body;

    test("serves the profile's domain: an ACM certificate for it, the HTTPS listener forwarding to the tier's target group", () => {
      expect(stack.profile.domain).toBe(`${env}.taskflow.example.com`);
      expect(at(tf, "entry/certificate/Resource").body).toMatchObject({ domain_name: stack.profile.domain, validation_method: "DNS" });
      expect(at(tf, "entry/https").body).toMatchObject({ load_balancer_arn: refAt(tf, "entry/Resource", "arn"), certificate_arn: refAt(tf, "entry/certificate/validation", "certificate_arn") });
      expect(at(tf, "entry/target-group").body.port).toBe(APPLICATION_PORT);
      expect(at(tf, "entry/target-group-attachment").body).toMatchObject({ autoscaling_group_name: refAt(tf, "app/Resource", "name"), lb_target_group_arn: refAt(tf, "entry/target-group", "arn") });
      expect(lb().subnets).toEqual([refAt(tf, "network/public-1"), refAt(tf, "network/public-2")]);
    });

    test(`the web application firewall is ${profile.webApplicationFirewall ? "on" : "off"} (profile webApplicationFirewall)`, () => {
      expect(profile.webApplicationFirewall).toBe(true);
      expect(at(tf, "entry/waf/association").body).toMatchObject({ resource_arn: refAt(tf, "entry/Resource", "arn"), web_acl_arn: refAt(tf, "entry/waf/Resource", "arn") });
      expect(decisionsAt(stack, stack.entry.resource.node.path).has("no-web-application-firewall")).toBe(false);
    });

    test(`deletion ${prod ? "protected: the load balancer (API and prevent_destroy), its log bucket and its WAF log group refuse destroy" : "allowed: nothing of the entry refuses, and each decision is recorded"} (profile deletionProtection ${profile.deletionProtection})`, () => {
      expect(lb().enable_deletion_protection).toBe(prod);
      for (const path of ["entry/Resource", "entry/access-logs/Resource", "entry/waf/log-group"]) {
        expect([path, at(tf, path).body.lifecycle]).toEqual([path, prod ? { prevent_destroy: true } : undefined]);
        expect([path, [...decisionsAt(stack, at(tf, path).path)].includes("no-deletion-protection")]).toEqual([path, !prod]);
      }
      expect(at(tf, "entry/access-logs/Resource").body.force_destroy).toBe(!prod);
    });

    test("no DNS zone in the profile: no Route 53 record, and dns_records names the CNAME and the validation record to create", () => {
      expect(stack.profile.dnsZone).toBeUndefined();
      expect(allItems(tf).filter((i) => i.type.startsWith("aws_route53"))).toEqual([]);
      const cert = at(tf, "entry/certificate/Resource").address;
      expect(tf.output!.dns_records).toEqual({
        value: [
          { name: stack.profile.domain, type: "CNAME", value: refAt(tf, "entry/Resource", "dns_name"), purpose: "serve" },
          {
            name: `\${tolist(${cert}.domain_validation_options).0.resource_record_name}`,
            type: "CNAME",
            value: `\${tolist(${cert}.domain_validation_options).0.resource_record_value}`,
            purpose: "certificate-validation",
          },
        ],
        description: "Records to create in the domain's DNS zone (no zone is managed here)",
      });
    });
  });

  describe("outputs", () => {
    test("the platform's outputs: the URL, the entry, the tier, the bucket and the database; the credentials' location and the connection string sensitive", () => {
      const { network_id, app_url, entry_address, entry_origin_header, app_tier_id, bucket_name, database_endpoint, database_connection_string, database_credentials_secret } = tf.output!;
      expect(network_id.value).toBe(refAt(tf, "network/Resource"));
      expect(app_url.value).toBe(`https://${stack.profile.domain}`);
      expect(entry_address.value).toBe(refAt(tf, "entry/Resource", "dns_name"));
      expect(entry_origin_header.value).toBe("none: the app tier admits the entry only");
      expect(app_tier_id.value).toBe(refAt(tf, "app/Resource"));
      expect(bucket_name.value).toBe(refAt(tf, "uploads/Resource", "bucket"));
      expect(database_endpoint.value).toBe(refAt(tf, "database/Resource", "endpoint"));
      expect(database_connection_string).toMatchObject({ sensitive: true, value: `postgresql://app_admin@${refAt(tf, "database/Resource", "address")}:${POSTGRES_PORT}/taskflow?sslmode=require` });
      expect(database_credentials_secret).toMatchObject({ sensitive: true, value: `\${${at(tf, "database/Resource").address}.master_user_secret[0].secret_arn}` });
      // Besides these, only the outputs the worker stack reads (all sensitive).
      const others = Object.entries(tf.output!).filter(([name]) => !["network_id", "app_url", "entry_address", "dns_records", "entry_origin_header", "app_tier_id", "bucket_name", "database_endpoint", "database_connection_string", "database_credentials_secret"].includes(name));
      expect(others.every(([name, o]) => name.startsWith("cross-stack-output-") && o.sensitive === true)).toBe(true);
    });

    test("the worker's outputs are references to its VM and bucket", () => {
      expect(wtf.output).toEqual({
        worker_id: { value: refAt(wtf, "worker/Resource"), description: "Id of the worker VM" },
        results_bucket_name: { value: refAt(wtf, "results/Resource", "bucket"), description: "Name of the worker's results bucket" },
      });
    });
  });

  describe("worker VM and its identity (worker stack)", () => {
    const vm = () => at(wtf, "worker/Resource").body;
    const workerSg = () => refAt(wtf, "worker/identity/sg");

    test("the VM lives in the worker stack only", () => {
      expect(workerStack.node.id).toBe(`worker-aws-${env}`);
      expect(allItems(wtf).filter((i) => i.type === "aws_instance").map((i) => rel(i.path))).toEqual(["worker/Resource"]);
    });

    test("AMI from a data-source lookup, not a literal, chosen at creation and then kept (a new image must not replace the VM)", () => {
      expect(at(wtf, "worker/ami").body).toMatchObject({ most_recent: true, owners: ["amazon"] });
      expect(vm().ami).toBe(refAt(wtf, "worker/ami"));
      expect(vm().lifecycle).toEqual({ ignore_changes: ["ami"] });
    });

    test("IMDSv2 required, encrypted root volume, detailed monitoring, no public IP, in the platform's first application subnet", () => {
      expect(vm().metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(vm().root_block_device).toMatchObject({ encrypted: true, volume_type: "gp3" });
      expect(vm().monitoring).toBe(true);
      expect(vm().associate_public_ip_address).toBe(false);
      expect(vm().subnet_id).toBe(crossStackRef(tf, wtf, refAt(tf, "network/application-1")));
      expect(vm().instance_type).toBe(prod ? "t3.medium" : "t3.small");
      expect(vm().instance_type).toBe(SIZE_TABLE[profile.vmSize].aws.vm);
    });

    test("own IAM role (EC2 trust only) and instance profile, under worker/identity; permissions from grants only", () => {
      const role = at(wtf, "worker/identity/Resource");
      expect(role.body.name).toBe(`taskflow-worker-${env}-worker`);
      expect(policyOf({ policy: role.body.assume_role_policy }).Statement).toEqual([
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      expect(vm().iam_instance_profile).toBe(refAt(wtf, "worker/identity/profile", "name"));
      expect(at(wtf, "worker/identity/profile").body.role).toBe(refAt(wtf, "worker/identity/Resource", "name"));
      expect(workerStack.worker.identity.node.path).toBe(`${workerStack.node.path}/worker/identity`);
      // No managed policy anywhere on the worker's role.
      expect(allItems(wtf).filter((i) => i.type === "aws_iam_role_policy_attachment")).toEqual([]);
      const inline = allItems(wtf).filter((i) => i.type === "aws_iam_role_policy" && i.body.role === refAt(wtf, "worker/identity/Resource", "name"));
      expect(inline.map((i) => rel(i.path)).sort()).toEqual(["results/grant-read-write-worker", "worker/grant-connect-on-database", "worker/grant-read-on-database-credentials", "worker/grant-read-on-uploads"]);
    });

    test("identity: the VM uses only its identity's security group, in the platform's VPC", () => {
      expect(vm().vpc_security_group_ids).toEqual([workerSg()]);
      expect(at(wtf, "worker/identity/sg").body).toMatchObject({ name: `taskflow-worker-${env}-worker`, vpc_id: crossStackRef(tf, wtf, refAt(tf, "network/Resource")) });
      expect(at(wtf, "worker/identity/sg").body.ingress).toBeUndefined();
      expect(at(wtf, "worker/identity/sg").body.egress).toBeUndefined();
    });

    test("inbound: nothing is admitted on the worker; no SSH anywhere", () => {
      expect([...ingressRules(), ...workerIngress()].filter((r) => r.security_group_id === workerSg())).toEqual([]);
      expect([...ingressRules(), ...workerIngress()].some((r) => r.from_port <= 22 && r.to_port >= 22)).toBe(false);
      expect(workerIngress().some((r) => r.cidr_ipv4 !== undefined)).toBe(false);
    });

    test("outbound: HTTPS to anywhere (through NAT) and PostgreSQL to the platform database's security group, nothing else", () => {
      const dbSg = crossStackRef(tf, wtf, refAt(tf, "database/sg"));
      expect(allItems(wtf).filter((i) => i.type === "aws_vpc_security_group_egress_rule").map((i) => rel(i.path)).sort()).toEqual(["worker/identity/egress-https", "worker/identity/to-database"]);
      expect(at(wtf, "worker/identity/egress-https").body).toMatchObject({ security_group_id: workerSg(), ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" });
      expect(at(wtf, "worker/identity/to-database").body).toMatchObject({ security_group_id: workerSg(), referenced_security_group_id: dbSg, ip_protocol: "tcp", from_port: POSTGRES_PORT, to_port: POSTGRES_PORT });
    });

    test("its own results bucket read-write; the platform's uploads read-only (on that bucket and its key through S3 only)", () => {
      const results = refAt(wtf, "results/Resource", "arn");
      const write = policyOf(at(wtf, "results/grant-read-write-worker").body).Statement;
      expect(write.find((x: any) => x.Sid === "ReadWriteObjectsOfThisBucket").Resource).toEqual([`${results}/*`]);
      const uploads = crossStackRef(tf, wtf, refAt(tf, "uploads/Resource", "arn"));
      const read = policyOf(at(wtf, "worker/grant-read-on-uploads").body).Statement;
      expect(read.map((x: any) => [x.Sid, x.Action, x.Resource])).toEqual([
        ["ListThisBucket", ["s3:ListBucket"], [uploads]],
        ["ReadObjectsOfThisBucket", ["s3:GetObject"], [`${uploads}/*`]],
        ["UseTheBucketKeyThroughS3Only", ["kms:Decrypt"], [crossStackRef(tf, wtf, refAt(tf, "kms/Resource", "arn"))]],
      ]);
      expect(at(wtf, "results/Resource").body).toMatchObject({ force_destroy: !prod });
      expect(at(wtf, "results/Resource").body.lifecycle).toEqual(prod ? { prevent_destroy: true } : undefined);
      expect(at(wtf, "results/access-logging").body.target_bucket).toBe(refAt(wtf, "access-logs/Resource"));
      expect(under(wtf, "results", "aws_s3_bucket").map((b) => rel(b.path))).toEqual(prod ? ["results/Resource", "results/replica/Resource"] : ["results/Resource"]);
    });
  });

  describe("object store", () => {
    const bucketRef = refAt(tf, "uploads/Resource");
    const bucketArn = refAt(tf, "uploads/Resource", "arn");
    const bucket = at(tf, "uploads/Resource").body;

    test("name fits S3 rules and is stable", () => {
      expect(bucket.bucket).toMatch(new RegExp(`^taskflow-${env}-uploads-[a-z0-9]{6}$`));
      expect(synthStack("aws", env).resource!.aws_s3_bucket).toEqual(tf.resource!.aws_s3_bucket);
    });

    test(
      prod
        ? "deletion protection: Terraform refuses to destroy the bucket (prevent_destroy), no force_destroy"
        : "no deletion protection: destroy empties the bucket (force_destroy), no prevent_destroy, and the decision is recorded",
      () => {
        expect(bucket.force_destroy).toBe(!prod);
        if (prod) expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
        else expect(bucket.lifecycle).toBeUndefined();
        expect([...decisionsAt(stack, stack.uploads.resource.node.path)].sort()).toEqual(prod ? [] : ["locally-redundant-storage", "no-deletion-protection"]);
      },
    );

    test(
      prod
        ? "geo redundancy: every version is replicated to a replica bucket in the replica region (us-west-2)"
        : "no geo redundancy: no replication, and locally-redundant-storage is recorded",
      () => {
        expect(stack.profile.geoRedundantStorage).toBe(prod);
        const buckets = under(tf, "uploads", "aws_s3_bucket").map((b) => rel(b.path));
        expect(buckets).toEqual(prod ? ["uploads/Resource", "uploads/replica/Resource"] : ["uploads/Resource"]);
        expect(under(tf, "uploads", "aws_s3_bucket_replication_configuration")).toHaveLength(prod ? 1 : 0);
        expect(decisionsAt(stack, stack.uploads.resource.node.path).has("locally-redundant-storage")).toBe(!prod);
      },
    );

    test("server access logs of the bucket go to the stack's access-log bucket, under the bucket's name", () => {
      expect(at(tf, "uploads/access-logging").body).toMatchObject({
        bucket: bucketRef,
        target_bucket: refAt(tf, "access-logs/Resource"),
        target_prefix: `${bucket.bucket}/`,
        target_object_key_format: { partitioned_prefix: { partition_date_source: "EventTime" } },
        depends_on: [at(tf, "access-logs/policy").address],
      });
    });

    test("versioning, KMS encryption, all four public-access blocks, BucketOwnerEnforced", () => {
      expect(at(tf, "uploads/versioning").body).toMatchObject({ bucket: bucketRef, versioning_configuration: { status: "Enabled" } });
      const sse = at(tf, "uploads/encryption").body;
      expect(sse.bucket).toBe(bucketRef);
      expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
      expect(at(tf, "uploads/public-access").body).toMatchObject({
        bucket: bucketRef,
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(at(tf, "uploads/ownership").body.rule.object_ownership).toBe("BucketOwnerEnforced");
    });

    test("bucket policy denies every non-TLS request", () => {
      const policy = at(tf, "uploads/policy").body;
      expect(policy.bucket).toBe(bucketRef);
      const [statement] = policyOf(policy).Statement;
      expect(statement).toEqual({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    });

    test("lifecycle aborts incomplete uploads and expires old versions", () => {
      const rules = at(tf, "uploads/lifecycle").body.rule;
      expect(rules.find((r: any) => r.abort_incomplete_multipart_upload)).toMatchObject({
        status: "Enabled",
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      });
      expect(rules.find((r: any) => r.noncurrent_version_expiration).noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
    });

    test("the app tier's role may read/write this bucket and nothing else of S3 (the worker's read access is in its own stack)", () => {
      const grants = Object.values(resourcesOf(tf, "aws_iam_role_policy")).filter((p: any) => p.role === refAt(tf, "app/identity/Resource", "name") && p.policy.includes("s3:")) as any[];
      expect(grants).toHaveLength(1);
      expect(grants[0]).toEqual(at(tf, "uploads/grant-read-write-app").body);
      expect(grants[0].name).toBe("uploads-read-write");
      // Besides the tier, only the replication role (production) names this bucket.
      expect(Object.values(resourcesOf(tf, "aws_iam_role_policy")).filter((p: any) => p.policy.includes(bucketArn)).map((p: any) => p.role).sort()).toEqual(
        [refAt(tf, "app/identity/Resource", "name"), ...(prod ? [refAt(tf, "uploads/replication-role")] : [])].sort(),
      );
      const statements = policyOf(grants[0]).Statement;
      const resources = statements.flatMap((s: any) => s.Resource);
      expect(resources.sort()).toEqual([bucketArn, `${bucketArn}/*`, keyArn].sort());
      expect(statements.flatMap((s: any) => s.Action)).not.toContain("s3:*");
      expect(statements.find((s: any) => s.Sid === "ReadWriteObjectsOfThisBucket").Action).toEqual(["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]);
      const kms = statements.find((s: any) => s.Sid === "UseTheBucketKeyThroughS3Only");
      expect(kms.Action).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
      expect(kms.Condition).toEqual({ StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } });
    });
  });

  describe("postgres", () => {
    const db = at(tf, "database/Resource").body;
    const dbSg = refAt(tf, "database/sg");
    const appSg = refAt(tf, "app/identity/sg");

    test("engine 15+ in private data subnets, not public", () => {
      expect(db.engine).toBe("postgres");
      expect(Number(db.engine_version)).toBeGreaterThanOrEqual(15);
      expect(db.publicly_accessible).toBe(false);
      expect(db.port).toBe(POSTGRES_PORT);
      const group = at(tf, "database/subnets").body;
      const dataSubnets = under(tf, "network", "aws_subnet")
        .filter((s) => s.body.tags.Tier === "data")
        .map((s) => `\${${s.address}.id}`);
      expect(dataSubnets).toEqual([refAt(tf, "network/data-1"), refAt(tf, "network/data-2")]);
      expect(group.subnet_ids).toEqual(dataSubnets);
      expect(db.db_subnet_group_name).toBe(refAt(tf, "database/subnets", "name"));
    });

    test("in the platform stack, admits PostgreSQL only from the app tier's identity security group", () => {
      expect(at(tf, "database/sg").body.name.endsWith("-db")).toBe(true);
      expect(db.vpc_security_group_ids).toEqual([dbSg]);
      const ingress = ingressRules().filter((r) => r.security_group_id === dbSg);
      expect(ingress).toHaveLength(1);
      expect(ingress[0]).toEqual(at(tf, "database/from-app-identity").body);
      expect(ingress[0]).toMatchObject({
        from_port: POSTGRES_PORT,
        to_port: POSTGRES_PORT,
        ip_protocol: "tcp",
        referenced_security_group_id: appSg,
      });
      expect(ingress[0].cidr_ipv4).toBeUndefined();
      expect(egressRules().filter((r) => r.security_group_id === dbSg)).toHaveLength(0);
    });

    test("the worker's admission is written in the worker stack, on the platform database's group, from the worker's own group", () => {
      const onDatabase = workerIngress().filter((r) => r.security_group_id === crossStackRef(tf, wtf, dbSg));
      expect(onDatabase).toEqual([at(wtf, "worker/identity/ingress-at-database-worker-identity").body]);
      expect(onDatabase[0]).toMatchObject({ referenced_security_group_id: refAt(wtf, "worker/identity/sg"), ip_protocol: "tcp", from_port: POSTGRES_PORT, to_port: POSTGRES_PORT });
      expect(workerIngress()).toHaveLength(1);
    });

    test("grantConnect: the tier (platform stack) and the worker (its own stack) read the credentials and log in as their own database users", () => {
      const connect = (json: TfJson, path: string) => policyOf(at(json, path).body).Statement[0];
      expect(connect(tf, "database/grant-connect-app")).toMatchObject({ Action: ["rds-db:connect"] });
      expect(connect(tf, "database/grant-connect-app").Resource[0]).toMatch(new RegExp(`:dbuser:\\$\\{${at(tf, "database/Resource").address}\\.resource_id\\}/\\$\\{${at(tf, "app/identity/Resource").address}\\.name\\}$`));
      expect(connect(wtf, "worker/grant-connect-on-database").Resource[0]).toContain(`:dbuser:${crossStackRef(tf, wtf, refAt(tf, "database/Resource", "resource_id"))}/`);
      const secret = `\${${at(tf, "database/Resource").address}.master_user_secret[0].secret_arn}`;
      expect(connect(tf, "database/credentials/grant-read-app").Resource).toEqual([secret]);
      expect(connect(wtf, "worker/grant-read-on-database-credentials").Resource).toEqual([crossStackRef(tf, wtf, secret)]);
    });

    test("connections write both sides of the database rule: ingress on the database, egress on the app, same port and description", () => {
      const inbound = at(tf, "database/from-app-identity").body;
      const outbound = at(tf, "app/identity/to-database").body;
      expect([inbound.security_group_id, inbound.referenced_security_group_id]).toEqual([dbSg, appSg]);
      expect([outbound.security_group_id, outbound.referenced_security_group_id]).toEqual([appSg, dbSg]);
      expect([outbound.from_port, outbound.to_port, outbound.ip_protocol]).toEqual([inbound.from_port, inbound.to_port, inbound.ip_protocol]);
      expect(outbound.description).toBe(inbound.description);
      expect(inbound.description.length).toBeGreaterThan(10);
      // Nothing else references the database's group.
      const referencing = [...ingressRules(), ...egressRules()].filter((r) => r.referenced_security_group_id === dbSg || r.security_group_id === dbSg);
      expect(referencing).toHaveLength(2);
    });

    test("encrypted gp3 storage autoscaling 20 to 100 GB", () => {
      expect(db).toMatchObject({ storage_encrypted: true, storage_type: "gp3", allocated_storage: 20, max_allocated_storage: 100 });
    });

    test("backups with windows, PI, IAM auth, log exports, tags to snapshots, minor upgrades", () => {
      expect(db.backup_retention_period).toBe(prod ? 14 : 7);
      expect(db).toMatchObject({
        backup_window: "03:00-04:00",
        maintenance_window: "mon:04:00-mon:05:00",
        performance_insights_enabled: true,
        iam_database_authentication_enabled: true,
        enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
        copy_tags_to_snapshot: true,
        auto_minor_version_upgrade: true,
        monitoring_interval: 60,
      });
      expect(db.monitoring_role_arn).toBe(refAt(tf, "database/monitoring-role", "arn"));
      expect(db.depends_on).toEqual([at(tf, "database/log-postgresql").address, at(tf, "database/log-upgrade").address]);
    });

    test("TLS forced and logging on through the parameter group", () => {
      const pg = at(tf, "database/parameters").body;
      expect(pg.family).toBe(`postgres${db.engine_version}`);
      expect(db.parameter_group_name).toBe(refAt(tf, "database/parameters", "name"));
      const params = Object.fromEntries(pg.parameter.map((x: any) => [x.name, x.value]));
      expect(params).toEqual(AWS_POSTGRES_PARAMETERS);
      expect(params["rds.force_ssl"]).toBe("1");
    });

    test(
      prod
        ? "production: Multi-AZ, deletion protection, prevent_destroy, named final snapshot, no decisions"
        : "staging: no Multi-AZ, no deletion protection, no final snapshot, both decisions recorded",
      () => {
        expect(db.multi_az).toBe(prod);
        expect(db.deletion_protection).toBe(prod);
        expect(db.skip_final_snapshot).toBe(!prod);
        if (prod) expect(db.final_snapshot_identifier).toBe("taskflow-production-database-final");
        else expect(db.final_snapshot_identifier).toBeUndefined();
        if (prod) expect(db.lifecycle).toEqual({ prevent_destroy: true });
        else expect(db.lifecycle).toBeUndefined();
        expect(db.instance_class).toBe(prod ? "db.t3.medium" : "db.t3.small");
        expect([...decisionsAt(stack, stack.database.resource.node.path)].sort()).toEqual(prod ? [] : ["no-deletion-protection", "single-zone-database"]);
      },
    );

    test("no password in the JSON: AWS manages the master password in Secrets Manager", () => {
      expect(db.manage_master_user_password).toBe(true);
      expect(db.password).toBeUndefined();
      expect(db.password_wo).toBeUndefined();
      expect(db.master_user_secret_kms_key_id).toBe(keyArn);
      expect(tf.variable).toBeUndefined(); // no password variable on AWS
      expect(JSON.stringify(tf)).not.toMatch(/"password"\s*:/);
    });

    test("audit trail in the parameter group: every DDL statement, pgAudit loaded (next to pg_stat_statements) logging DDL and role changes", () => {
      const params = Object.fromEntries(at(tf, "database/parameters").body.parameter.map((x: any) => [x.name, x]));
      expect(params.log_statement.value).toBe("ddl");
      expect(params.shared_preload_libraries.value.split(",")).toEqual(["pg_stat_statements", "pgaudit"]);
      expect(params["pgaudit.log"].value).toBe("ddl,role");
      // shared_preload_libraries is static: RDS refuses `immediate` for it.
      expect(Object.values(params).every((x: any) => x.apply_method === "pending-reboot")).toBe(true);
    });

    test("the parameter group's description never changes (it forces a new group, and the name is fixed under create_before_destroy)", () => {
      const pg = at(tf, "database/parameters").body;
      expect(pg.description).toBe(`TLS-only, logging parameters for taskflow-${env}-database`);
      expect(pg.name).toBe(`taskflow-${env}-database-pg${db.engine_version}`);
      expect(pg.lifecycle).toEqual({ create_before_destroy: true });
    });

    test(`the database's log groups (audit evidence) ${prod ? "cannot be destroyed" : "are destroyed with the stack, a recorded decision"}`, () => {
      for (const log of ["postgresql", "upgrade"]) {
        const group = at(tf, `database/log-${log}`);
        expect(group.body).toMatchObject({ name: `/aws/rds/instance/taskflow-${env}-database/${log}`, retention_in_days: 365, kms_key_id: keyArn });
        if (prod) expect(group.body.lifecycle).toEqual({ prevent_destroy: true });
        else expect(group.body.lifecycle).toBeUndefined();
        expect([...decisionsAt(stack, group.path)]).toEqual(prod ? [] : ["no-deletion-protection"]);
      }
    });

    test("the credentials secret is the RDS-managed master secret, encrypted with the stack's key", () => {
      const db2 = stack.database as AwsPostgresDatabase;
      expect(db2.credentialsSecret.cloud).toBe("aws");
      expect(db2.credentialsSecret.node.path).toBe(`aws-${env}/database/credentials`);
    });
  });

  describe("access-log bucket (S3 server access logs of every bucket of the stack)", () => {
    const logs = at(tf, "access-logs/Resource");
    const logsArn = refAt(tf, "access-logs/Resource", "arn");
    const uploadsArn = refAt(tf, "uploads/Resource", "arn");
    const entryLogsArn = refAt(tf, "entry/access-logs/Resource", "arn");

    test("one per stack and region, named after the stack, SSE-S3 (what S3 log delivery accepts), versioned, private", () => {
      expect(logs.body.bucket).toMatch(new RegExp(`^taskflow-${env}-access-logs-[a-z0-9]{6}$`));
      expect(at(tf, "access-logs/encryption").body.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
      expect(at(tf, "access-logs/versioning").body.versioning_configuration).toEqual({ status: "Enabled" });
      expect(at(tf, "access-logs/public-access").body).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
      expect(at(tf, "access-logs/ownership").body.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
      expect([...decisionsAt(stack, logs.path)].sort()).toEqual(prod ? ["access-log-destination"] : ["access-log-destination", "no-deletion-protection"]);
      expect([...decisionsAt(stack, at(tf, "access-logs/encryption").path)]).toEqual(["access-log-destination"]);
    });

    test(`${prod ? "cannot be destroyed" : "is emptied and destroyed with the stack"}; logs expire after a year`, () => {
      expect(logs.body.force_destroy).toBe(!prod);
      if (prod) expect(logs.body.lifecycle).toEqual({ prevent_destroy: true });
      else expect(logs.body.lifecycle).toBeUndefined();
      const rules = at(tf, "access-logs/lifecycle").body.rule;
      expect(rules.find((r: any) => r.id === "expire-objects")).toMatchObject({ status: "Enabled", expiration: [{ days: 365 }] });
    });

    test("TLS only; only S3 log delivery may write, only under the prefixes of the uploads and entry log buckets, only for them and this account", () => {
      const [deny, delivery, ...rest] = policyOf(at(tf, "access-logs/policy").body).Statement;
      expect(rest).toEqual([]);
      expect(deny.Sid).toBe("DenyInsecureTransport");
      expect(delivery).toEqual({
        Sid: "S3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: [`${logsArn}/${at(tf, "entry/access-logs/Resource").body.bucket}/*`, `${logsArn}/${at(tf, "uploads/Resource").body.bucket}/*`],
        Condition: { ArnLike: { "aws:SourceArn": [entryLogsArn, uploadsArn] }, StringEquals: { "aws:SourceAccount": refAt(tf, "caller", "account_id") } },
      });
    });
  });

  test(
    prod
      ? "deletion protection: Terraform refuses to destroy every database, bucket, log group, key and secret of both stacks, and the load balancer"
      : "no deletion protection: nothing refuses a destroy in either stack, buckets empty themselves, the database skips its final snapshot, and each trade-off is recorded",
    () => {
      const db = at(tf, "database/Resource").body;
      const stateful = allItems(tf).filter((i) => (AWS_STATEFUL_TYPES as readonly string[]).includes(i.type));
      // Database, its two log groups, the flow-log and WAF log groups, the uploads, entry log and access-log buckets, the key;
      // production adds the replica region's bucket, log bucket and key.
      expect(stateful.map((i) => rel(i.path)).sort()).toEqual(
        [
          "database/Resource",
          "database/log-postgresql",
          "database/log-upgrade",
          "network/flow-log-group",
          "entry/waf/log-group",
          "uploads/Resource",
          "entry/access-logs/Resource",
          "access-logs/Resource",
          "kms/Resource",
          ...(prod ? ["uploads/replica/Resource", "access-logs-replica/Resource", "kms-replica/Resource"] : []),
        ].sort(),
      );
      // Holding no data, but what the domain points at: the internet-facing load balancer.
      const mustSurvive = managedItems(tf).filter((i) => awsMustSurviveDestroy(i.type, i.body));
      expect(mustSurvive.map((i) => rel(i.path)).sort()).toEqual([...stateful.map((i) => rel(i.path)), "entry/Resource"].sort());
      // The worker stack: its results bucket, its access-log bucket and its key (production adds the results replica, its log bucket and key).
      const workerStateful = managedItems(wtf).filter((i) => awsMustSurviveDestroy(i.type, i.body));
      expect(workerStateful.map((i) => rel(i.path)).sort()).toEqual(
        ["results/Resource", "access-logs/Resource", "kms/Resource", ...(prod ? ["results/replica/Resource", "access-logs-replica/Resource", "kms-replica/Resource"] : [])].sort(),
      );
      for (const item of workerStateful) {
        expect([item.address, item.body.lifecycle?.prevent_destroy === true]).toEqual([item.address, prod]);
        expect([item.address, decisionsAt(workerStack, item.path).has("no-deletion-protection")]).toEqual([item.address, !prod]);
      }
      for (const item of mustSurvive) {
        expect([item.address, item.body.lifecycle?.prevent_destroy === true]).toEqual([item.address, prod]);
        expect([item.address, decisionsAt(stack, item.path).has("no-deletion-protection")]).toEqual([item.address, !prod]);
        if (item.type === "aws_s3_bucket") expect([item.address, item.body.force_destroy]).toEqual([item.address, !prod]);
      }
      // Staging's other destroy blockers are off: RDS deletion protection and the final snapshot.
      expect([db.deletion_protection, db.skip_final_snapshot]).toEqual([prod, !prod]);
      if (!prod) expect([...allItems(tf), ...allItems(wtf)].filter((i) => i.body.lifecycle?.prevent_destroy === true)).toEqual([]);
    },
  );

  describe("budget", () => {
    test("monthly COST budget named <prefix>-budget, 80 % actual and 100 % forecasted to the configured e-mails", () => {
      const budget = at(tf, "budget/Resource").body;
      expect(budget).toMatchObject({ name: `taskflow-${env}-budget`, budget_type: "COST", time_unit: "MONTHLY", limit_amount: prod ? "2000.00" : "200.00", limit_unit: "USD" });
      expect(budget.notification).toEqual([
        { comparison_operator: "GREATER_THAN", notification_type: "ACTUAL", threshold: 80, threshold_type: "PERCENTAGE", subscriber_email_addresses: ["platform-team@example.com"] },
        { comparison_operator: "GREATER_THAN", notification_type: "FORECASTED", threshold: 100, threshold_type: "PERCENTAGE", subscriber_email_addresses: ["platform-team@example.com"] },
      ]);
      expect(budget.cost_filter).toEqual([{ name: "TagKeyValue", values: ["user:Project$taskflow"] }]);
    });
  });

  test("every resource is under a construct of its stack (no stray top-level resources besides the shared key, log bucket and lookups)", () => {
    const top = (json: TfJson) => [...new Set(allItems(json).filter((i) => i.path !== "").map((i) => i.path.split("/")[1]))].sort();
    expect(top(tf)).toEqual(
      ["access-logs", "app", "budget", "caller", "database", "entry", "kms", "network", "partition", "uploads", "zones", ...(prod ? ["access-logs-replica", "kms-replica"] : [])].sort(),
    );
    expect(top(wtf)).toEqual(["access-logs", "caller", "kms", "partition", "results", "worker", ...(prod ? ["access-logs-replica", "kms-replica"] : [])].sort());
    // The one item without a construct path: the platform's state, which the worker reads.
    expect(allItems(wtf).filter((i) => i.path === "").map((i) => i.address)).toEqual([`data.terraform_remote_state.cross-stack-reference-input-aws-${env}`]);
  });

  test("snapshot of both stacks (cdktf metadata stripped)", () => {
    expect({ platform: sanitizeForSnapshot(tf), worker: sanitizeForSnapshot(wtf) }).toMatchSnapshot();
  });
});

test("staging and production differ exactly where the reference design says", () => {
  const pick = (tf: TfJson) => {
    const db = at(tf, "database/Resource").body;
    const bucket = at(tf, "uploads/Resource").body;
    return {
      multiAz: db.multi_az,
      deletionProtection: db.deletion_protection,
      databasePreventDestroy: db.lifecycle?.prevent_destroy === true,
      finalSnapshot: db.skip_final_snapshot === false,
      backupDays: db.backup_retention_period,
      dbClass: db.instance_class,
      appType: at(tf, "app/template").body.instance_type,
      scaling: [at(tf, "app/Resource").body.min_size, at(tf, "app/Resource").body.max_size],
      operatorAccess: under(tf, "app", "aws_iam_role_policy_attachment").length === 1,
      entryPreventDestroy: at(tf, "entry/Resource").body.lifecycle?.prevent_destroy === true,
      natGateways: Object.keys(resourcesOf(tf, "aws_nat_gateway")).length,
      bucketForceDestroy: bucket.force_destroy,
      bucketPreventDestroy: bucket.lifecycle?.prevent_destroy === true,
      budget: at(tf, "budget/Resource").body.limit_amount,
    };
  };
  expect(pick(tfByEnv.staging)).toEqual({
    multiAz: false,
    deletionProtection: false,
    databasePreventDestroy: false,
    finalSnapshot: false,
    backupDays: 7,
    dbClass: "db.t3.small",
    appType: "t3.small",
    scaling: [1, 2],
    operatorAccess: true,
    entryPreventDestroy: false,
    natGateways: 1,
    bucketForceDestroy: true,
    bucketPreventDestroy: false,
    budget: "200.00",
  });
  expect(pick(tfByEnv.production)).toEqual({
    multiAz: true,
    deletionProtection: true,
    databasePreventDestroy: true,
    finalSnapshot: true,
    backupDays: 14,
    dbClass: "db.t3.medium",
    appType: "t3.medium",
    scaling: [2, 6],
    operatorAccess: false,
    entryPreventDestroy: true,
    natGateways: 2,
    bucketForceDestroy: false,
    bucketPreventDestroy: true,
    budget: "2000.00",
  });
});

describe("aws constructs on their own (a bare CloudStack and the AWS kit)", () => {
  test("read vs read-write grants: list + GetObject + Decrypt for readers; writers also put, delete, abort and generate data keys", () => {
    const { stack, kit } = platformStack("aws");
    const network = new kit.Network(stack, "net", {});
    const reader = new kit.ComputeIdentity(stack, "reader", { network });
    const writer = new kit.ComputeIdentity(stack, "writer", { network });
    const store = new kit.ObjectStore(stack, "store", {});
    store.grantRead(reader);
    store.grantRead(reader); // twice: one policy
    store.grantReadWrite(writer);
    const tf = synthJson(stack);
    const storeArn = refAt(tf, "store/Resource", "arn");
    const read = at(tf, "store/grant-read-reader").body;
    const write = at(tf, "store/grant-read-write-writer").body;
    expect(under(tf, "store", "aws_iam_role_policy").map((p) => p.path.split("/").pop()).filter((id) => id!.startsWith("grant-")).sort()).toEqual(["grant-read-reader", "grant-read-write-writer"]);
    expect(read).toMatchObject({ name: "store-read", role: refAt(tf, "reader/Resource", "name") });
    expect(write).toMatchObject({ name: "store-read-write", role: refAt(tf, "writer/Resource", "name") });
    const [readStatements, writeStatements] = [policyOf(read).Statement, policyOf(write).Statement];
    expect(readStatements).toEqual([
      { Sid: "ListThisBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [storeArn] },
      { Sid: "ReadObjectsOfThisBucket", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${storeArn}/*`] },
      {
        Sid: "UseTheBucketKeyThroughS3Only",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [refAt(tf, "kms/Resource", "arn")],
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
      },
    ]);
    expect(writeStatements[1]).toEqual({
      Sid: "ReadWriteObjectsOfThisBucket",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      Resource: [`${storeArn}/*`],
    });
    expect(writeStatements[2].Action).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
    expect(readStatements.flatMap((s: any) => s.Action)).not.toEqual(expect.arrayContaining(["s3:PutObject"]));
  });

  test("connections work for any compute identity, not only VMs: both sides of the rule, each once", () => {
    const { stack, kit } = platformStack("aws");
    const network = new kit.Network(stack, "net", {});
    const worker = new kit.ComputeIdentity(stack, "worker", { network });
    const database = new kit.PostgresDatabase(stack, "db", { network });
    database.allowConnectionsFrom(worker);
    database.allowConnectionsFrom(worker); // twice: the same two rules
    worker.connections.allowFrom(Peer.ipv4("10.0.1.0/24", "the public tier"), APPLICATION_PORT);
    const tf = synthJson(stack);
    const workerSg = refAt(tf, "worker/sg");
    const dbSg = refAt(tf, "db/sg");
    expect(at(tf, "db/from-worker").body).toMatchObject({ security_group_id: dbSg, referenced_security_group_id: workerSg, from_port: POSTGRES_PORT, to_port: POSTGRES_PORT, ip_protocol: "tcp" });
    expect(at(tf, "worker/to-db").body).toMatchObject({ security_group_id: workerSg, referenced_security_group_id: dbSg, from_port: POSTGRES_PORT, to_port: POSTGRES_PORT, ip_protocol: "tcp" });
    expect(under(tf, "db", "aws_vpc_security_group_ingress_rule")).toHaveLength(1);
    expect(under(tf, "worker", "aws_vpc_security_group_egress_rule").map((r) => r.path.split("/").pop()).sort()).toEqual(["egress-https", "to-db"]);
    expect(at(tf, `worker/from-10-0-1-0-24-${APPLICATION_PORT}`).body).toMatchObject({ security_group_id: workerSg, cidr_ipv4: "10.0.1.0/24", from_port: APPLICATION_PORT });
    // A CIDR peer has no security group: no egress rule is written for it.
    expect(under(tf, "worker", "aws_vpc_security_group_egress_rule")).toHaveLength(2);
  });

  test("an object store without deletion protection force-destroys and records the decision; with it, prevent_destroy", () => {
    const { stack, kit } = platformStack("aws");
    const kept = new kit.ObjectStore(stack, "kept", {});
    const disposable = new kit.ObjectStore(stack, "scratch", { deletionProtection: false });
    const tf = synthJson(stack);
    expect(at(tf, "kept/Resource").body).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(at(tf, "scratch/Resource").body.force_destroy).toBe(true);
    expect(at(tf, "scratch/Resource").body.lifecycle).toBeUndefined();
    expect([...decisionsAt(stack, kept.resource.node.path)]).toEqual([]);
    expect([...decisionsAt(stack, disposable.resource.node.path)]).toEqual(["no-deletion-protection"]);
  });

  test("fails when the database is opened to the whole internet on PostgreSQL", () => {
    const { stack, kit } = platformStack("aws");
    const network = new kit.Network(stack, "net", {});
    const database = new kit.PostgresDatabase(stack, "db", { network });
    const err = validationErrorOf(() => database.connections.allowFrom(Peer.anyIpv4(), POSTGRES_PORT));
    expect(err.issues).toEqual([expect.objectContaining({ field: "allowFrom(peer)", value: "0.0.0.0/0" })]);
    expect(err.message).toContain("PostgreSQL (port 5432)");
  });

  test("fails when the VM is opened to SSH from the whole internet", () => {
    const { stack, kit } = platformStack("aws");
    const network = new kit.Network(stack, "net", {});
    const vm = new kit.VirtualMachine(stack, "vm", { network });
    const err = validationErrorOf(() => vm.connections.allowFrom(Peer.anyIpv4(), 22));
    expect(err.message).toContain("SSH (port 22)");
  });

  test("fails when the bucket name would exceed the 63 characters S3 allows", () => {
    const { stack, kit } = platformStack("aws", "production");
    const err = validationErrorOf(() => new kit.ObjectStore(stack, "store", { baseName: "a".repeat(40) }));
    expect(err.issues).toEqual([expect.objectContaining({ field: "objectStore.baseName", accepted: "3-63 lowercase letters, digits and hyphens" })]);
  });
});

describe("aws production: geo-redundant uploads (S3 Cross-Region Replication to aws.replicaRegion)", () => {
  const tf = tfByEnv.production;
  const stack = stackByEnv.production;
  const source = refAt(tf, "uploads/Resource", "arn");
  const replica = at(tf, "uploads/replica/Resource");
  const destination = refAt(tf, "uploads/replica/Resource", "arn");
  const key = refAt(tf, "kms/Resource", "arn");
  const replicaKey = refAt(tf, "kms-replica/Resource", "arn");

  test("the replica region is the configured one, reached through an aliased provider with the stack's default tags", () => {
    expect(stack.config.aws.replicaRegion).toBe("us-west-2");
    const [main, aliased] = tf.provider!.aws;
    expect(main.alias).toBeUndefined();
    expect(aliased).toMatchObject({ alias: "replica", region: "us-west-2", default_tags: main.default_tags });
  });

  test("the replica bucket meets the same bar: the replica region's key, versioning, public access block, ACLs off, TLS only, lifecycle, access logs, deletion protection", () => {
    expect(replica.body).toMatchObject({ provider: "aws.replica", force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(replica.body.bucket).toMatch(/^taskflow-production-uploads-r-[a-z0-9]{6}$/);
    expect(replica.body.bucket).not.toBe(at(tf, "uploads/Resource").body.bucket);
    for (const item of under(tf, "uploads/replica")) expect([item.path, item.body.provider]).toEqual([item.path, "aws.replica"]);
    expect(at(tf, "uploads/replica/encryption").body.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: replicaKey }, bucket_key_enabled: true },
    ]);
    expect(at(tf, "uploads/replica/versioning").body.versioning_configuration).toEqual({ status: "Enabled" });
    expect(at(tf, "uploads/replica/public-access").body).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(at(tf, "uploads/replica/ownership").body.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(policyOf(at(tf, "uploads/replica/policy").body).Statement).toEqual([
      { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [destination, `${destination}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
    ]);
    expect(at(tf, "uploads/replica/lifecycle").body.rule.map((r: any) => r.id)).toEqual(["abort-incomplete-uploads", "expire-noncurrent-versions"]);
    // S3 logs only within a region: the replica logs to the replica region's own log bucket.
    expect(at(tf, "uploads/replica/access-logging").body).toMatchObject({ provider: "aws.replica", target_bucket: refAt(tf, "access-logs-replica/Resource") });
    expect(at(tf, "access-logs-replica/Resource").body).toMatchObject({ provider: "aws.replica", lifecycle: { prevent_destroy: true } });
  });

  test("the replica region's key rotates, is protected, and lets CloudWatch Logs of its own region use it", () => {
    const k = at(tf, "kms-replica/Resource").body;
    expect(k).toMatchObject({ provider: "aws.replica", enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    const logs = policyOf(k).Statement.find((s: any) => s.Principal.Service);
    expect(logs.Principal.Service).toBe("logs.us-west-2.amazonaws.com");
    expect(at(tf, "kms-replica/alias").body).toMatchObject({ provider: "aws.replica", name: "alias/taskflow-production-replica" });
  });

  test("the rule replicates every version and delete marker, re-encrypting KMS objects with the replica key, once both buckets are versioned", () => {
    const replication = at(tf, "uploads/replication").body;
    expect(replication.bucket).toBe(refAt(tf, "uploads/Resource"));
    expect(replication.role).toBe(refAt(tf, "uploads/replication-role", "arn"));
    expect(replication.rule).toEqual([
      {
        id: "replicate-every-version",
        status: "Enabled",
        filter: { prefix: "" },
        delete_marker_replication: { status: "Enabled" },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
        destination: { bucket: destination, storage_class: "STANDARD", encryption_configuration: { replica_kms_key_id: replicaKey } },
      },
    ]);
    expect(replication.depends_on.sort()).toEqual([at(tf, "uploads/versioning").address, at(tf, "uploads/replica/versioning").address].sort());
  });

  test("the replication role is trusted by S3 only and may read this bucket's versions, write the replica, and use each key only through S3 for that bucket", () => {
    const role = at(tf, "uploads/replication-role").body;
    expect(role.name).toBe("taskflow-production-uploads-replication");
    expect(policyOf({ policy: role.assume_role_policy }).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    const policy = at(tf, "uploads/replication-policy").body;
    expect(policy.role).toBe(refAt(tf, "uploads/replication-role"));
    const context = (region: string, arn: string) => ({ StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` }, StringLike: { "kms:EncryptionContext:aws:s3:arn": [arn, `${arn}/*`] } });
    expect(policyOf(policy).Statement).toEqual([
      { Sid: "ReadReplicationConfigurationOfThisBucket", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [source] },
      { Sid: "ReadVersionsOfThisBucket", Effect: "Allow", Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource: [`${source}/*`] },
      { Sid: "ReplicateIntoTheReplica", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: [`${destination}/*`] },
      { Sid: "DecryptSourceObjectsThroughS3", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [key], Condition: context("us-east-1", source) },
      { Sid: "EncryptReplicasThroughS3", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: [replicaKey], Condition: context("us-west-2", destination) },
    ]);
  });
});

describe("aws database credentials: the secret, grantConnect, and a password variable", () => {
  const dbUserArn = (tf: TfJson, db: string, role: string) =>
    `arn:${refAt(tf, "partition", "partition")}:rds-db:us-east-1:${refAt(tf, "caller", "account_id")}:dbuser:${refAt(tf, `${db}/Resource`, "resource_id")}/${refAt(tf, `${role}/Resource`, "name")}`;

  test("grantConnect: the grantee reads the credentials secret (KMS only through Secrets Manager) and logs in as its own database user; nobody else can", () => {
    const { stack, kit } = platformStack("aws");
    const network = new kit.Network(stack, "net", {});
    const app = new kit.ComputeIdentity(stack, "app", { network });
    new kit.ComputeIdentity(stack, "other", { network });
    const db = new kit.PostgresDatabase(stack, "db", { network }) as AwsPostgresDatabase;
    db.grantConnect(app);
    db.grantConnect(app); // twice: the same two policies
    const tf = synthJson(stack);
    const secretArn = `\${${at(tf, "db/Resource").address}.master_user_secret[0].secret_arn}`;
    expect(policyOf(at(tf, "db/credentials/grant-read-app").body).Statement).toEqual([
      { Sid: "ReadThisSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [secretArn] },
      {
        Sid: "DecryptItThroughSecretsManagerOnly",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [refAt(tf, "kms/Resource", "arn")],
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
      },
    ]);
    expect(at(tf, "db/grant-connect-app").body).toMatchObject({ name: "db-connect", role: refAt(tf, "app/Resource", "name") });
    expect(policyOf(at(tf, "db/grant-connect-app").body).Statement).toEqual([
      { Sid: "ConnectAsItsOwnDatabaseUser", Effect: "Allow", Action: ["rds-db:connect"], Resource: [dbUserArn(tf, "db", "app")] },
    ]);
    // Exactly one policy in the stack names the secret, and one allows rds-db:connect: both on the grantee's role.
    const policies = Object.values(resourcesOf(tf, "aws_iam_role_policy")) as any[];
    expect(policies.filter((p) => p.policy.includes("master_user_secret")).map((p) => p.role)).toEqual([refAt(tf, "app/Resource", "name")]);
    expect(policies.filter((p) => p.policy.includes("rds-db:connect")).map((p) => p.role)).toEqual([refAt(tf, "app/Resource", "name")]);
    expect(db.databaseUserFor(app)).toBe((app.grantPrincipal as AwsPrincipal).roleName);
  });

  test("across stacks the grants live in the grantee's stack, which references the database; the database's stack gains nothing", () => {
    const config = testConfig({ clouds: ["aws"] });
    const app = new App({ outdir: testOutdir() });
    const platform = new CloudStack(app, { cloud: "aws", environment: "staging", config });
    const worker = new CloudStack(app, { cloud: "aws", environment: "staging", config, component: "worker" });
    const network = new platform.kit.Network(platform, "network", {});
    const db = new platform.kit.PostgresDatabase(platform, "database", { network }) as AwsPostgresDatabase;
    const identity = new worker.kit.ComputeIdentity(worker, "worker", { network });
    db.grantConnect(identity);
    const workerTf = synthJson(worker);
    const platformTf = synthJson(platform);
    expect(resourcesOf(platformTf, "aws_iam_role_policy")).toEqual(
      Object.fromEntries(Object.entries(resourcesOf(platformTf, "aws_iam_role_policy")).filter(([, p]: [string, any]) => !p.policy.includes("rds-db") && !p.policy.includes("secretsmanager"))),
    );
    expect(at(workerTf, "worker/grant-connect-on-database").body.role).toBe(refAt(workerTf, "worker/Resource", "name"));
    expect(at(workerTf, "worker/grant-read-on-database-credentials").body.role).toBe(refAt(workerTf, "worker/Resource", "name"));
    expect(at(workerTf, "worker/grant-connect-on-database").body.policy).toContain("data.terraform_remote_state");
  });

  test.each([
    ["staging", false],
    ["production", true],
  ] as const)("DatabaseCredentials.fromPasswordVariable() in %s: write-only to the database and to a Secrets Manager secret, both with the credentials' version", (env, prod) => {
    const { stack, kit } = platformStack("aws", env);
    const network = new kit.Network(stack, "net", { deletionProtection: prod });
    const db = new kit.PostgresDatabase(stack, "db", { network, credentials: DatabaseCredentials.fromPasswordVariable(undefined, 3), deletionProtection: prod, highAvailability: prod }) as AwsPostgresDatabase;
    db.grantConnect(new kit.ComputeIdentity(stack, "reader", { network }));
    const tf = synthJson(stack);
    const instance = at(tf, "db/Resource").body;
    expect(tf.variable!.db_admin_password).toMatchObject({ type: "string", sensitive: true, ephemeral: true, nullable: false });
    expect(instance).toMatchObject({ password_wo: "${var.db_admin_password}", password_wo_version: 3 });
    expect(instance.manage_master_user_password).toBeUndefined();
    const secret = at(tf, "db/credentials-secret").body;
    expect(secret).toMatchObject({ name: `taskflow-${env}-db-admin`, kms_key_id: refAt(tf, "kms/Resource", "arn"), recovery_window_in_days: prod ? 30 : 0 });
    if (prod) expect(secret.lifecycle).toEqual({ prevent_destroy: true });
    else expect([...decisionsAt(stack, at(tf, "db/credentials-secret").path)]).toEqual(["no-deletion-protection"]);
    expect(at(tf, "db/credentials-value").body).toEqual(
      expect.objectContaining({
        secret_id: refAt(tf, "db/credentials-secret"),
        secret_string_wo: '${jsonencode({"username" = "app_admin", "password" = var.db_admin_password})}',
        secret_string_wo_version: 3,
      }),
    );
    expect(at(tf, "db/credentials-value").body.secret_string).toBeUndefined();
    // The reader is granted the secret the password was written to.
    expect(policyOf(at(tf, "db/credentials/grant-read-reader").body).Statement[0].Resource).toEqual([refAt(tf, "db/credentials-secret", "arn")]);
  });

  test("fails when a geo-redundant store is not versioned (S3 replication copies versions)", () => {
    const { stack, kit } = platformStack("aws", "production");
    const err = validationErrorOf(() => new kit.ObjectStore(stack, "store", { versioned: false }));
    expect(err.issues).toEqual([expect.objectContaining({ field: "objectStore.versioned", value: false })]);
    expect(() => new AwsObjectStore(stack, "plain", { versioned: false, geoRedundant: false })).not.toThrow();
  });
});
