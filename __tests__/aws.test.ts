/**
 * AWS: targeted assertions on the synthesized Terraform of the one stack,
 * per environment, against the reference design (section 11.6-11.8).
 */
import { ENVIRONMENTS, Environment } from "../constructs/core";
import { AWS_POSTGRES_PARAMETERS } from "../constructs/aws/postgres-database";
import { TfJson, dataOf, onlyResource, resourcesOf, sanitizeForSnapshot, synthStack, ref } from "./helpers";

const tfByEnv: Record<Environment, TfJson> = {
  staging: synthStack("aws", "staging"),
  production: synthStack("aws", "production"),
};

const policyOf = (r: { policy: string }) => JSON.parse(r.policy);

describe.each(ENVIRONMENTS)("aws %s", (env) => {
  const tf = tfByEnv[env];
  const prod = env === "production";

  describe("provider and tags", () => {
    test("default_tags carry Project, Environment and ManagedBy", () => {
      const provider = tf.provider!.aws[0];
      expect(provider.region).toBe("us-east-1");
      expect(provider.default_tags[0].tags).toMatchObject({ Project: "taskflow", Environment: env, ManagedBy: "cdktf" });
    });

    test("provider pinned to the 5.x line of the binding and Terraform >= 1.11", () => {
      expect(tf.terraform.required_providers!.aws).toMatchObject({ version: "~> 5.100" });
      expect((tf.terraform as any).required_version).toBe(">= 1.11.0");
    });

    test("one KMS key with rotation, used by volumes, database, bucket and logs", () => {
      const key = onlyResource(tf, "aws_kms_key");
      expect(key.enable_key_rotation).toBe(true);
      const keyArn = ref(tf, "aws_kms_key", () => true, "arn");
      expect(onlyResource(tf, "aws_db_instance").kms_key_id).toBe(keyArn);
      expect(onlyResource(tf, "aws_instance").root_block_device.kms_key_id).toBe(keyArn);
      expect(Object.values(resourcesOf(tf, "aws_cloudwatch_log_group")).every((g: any) => g.kms_key_id === keyArn)).toBe(true);
      const logsStatement = policyOf(key).Statement.find((s: any) => s.Principal.Service);
      expect(logsStatement.Principal.Service).toBe("logs.us-east-1.amazonaws.com");
    });
  });

  describe("network", () => {
    test("VPC 10.0.0.0/16 with DNS support and hostnames", () => {
      expect(onlyResource(tf, "aws_vpc")).toMatchObject({ cidr_block: "10.0.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
    });

    test("public, application and data subnets in 2 zones from the data source, none auto-assigning public IPs", () => {
      const subnets = Object.values(resourcesOf(tf, "aws_subnet"));
      expect(subnets.map((s: any) => s.cidr_block).sort()).toEqual(
        ["10.0.1.0/24", "10.0.2.0/24", "10.0.10.0/24", "10.0.11.0/24", "10.0.20.0/24", "10.0.21.0/24"].sort(),
      );
      expect(subnets.every((s: any) => s.map_public_ip_on_launch === false)).toBe(true);
      const zonesName = Object.keys(dataOf(tf, "aws_availability_zones"))[0];
      expect(dataOf(tf, "aws_availability_zones")[zonesName].state).toBe("available");
      for (const tier of ["public", "application", "data"]) {
        const zones = subnets.filter((s: any) => s.tags.Tier === tier).map((s: any) => s.availability_zone);
        expect(zones).toEqual([
          `\${element(data.aws_availability_zones.${zonesName}.names, 0)}`,
          `\${element(data.aws_availability_zones.${zonesName}.names, 1)}`,
        ]);
      }
      expect(JSON.stringify(tf)).not.toMatch(/"us-east-1[a-f]"/);
    });

    test("internet gateway routes the public tier only", () => {
      const igw = ref(tf, "aws_internet_gateway");
      const igwRoutes = Object.values(resourcesOf(tf, "aws_route")).filter((r: any) => r.gateway_id === igw);
      expect(igwRoutes).toHaveLength(1);
      expect(igwRoutes[0]).toMatchObject({ destination_cidr_block: "0.0.0.0/0" });
      const publicRt = ref(tf, "aws_route_table", (r) => r.tags.Name.endsWith("-public"));
      expect((igwRoutes[0] as any).route_table_id).toBe(publicRt);
    });

    test(`NAT gateways: ${prod ? "one per zone" : "one shared"}, each in a public subnet with an EIP`, () => {
      const nats = Object.values(resourcesOf(tf, "aws_nat_gateway"));
      expect(nats).toHaveLength(prod ? 2 : 1);
      expect(Object.values(resourcesOf(tf, "aws_eip"))).toHaveLength(prod ? 2 : 1);
      const natRoutes = Object.values(resourcesOf(tf, "aws_route")).filter((r: any) => r.nat_gateway_id);
      expect(natRoutes).toHaveLength(2); // one per application route table
      expect(new Set(natRoutes.map((r: any) => r.nat_gateway_id)).size).toBe(prod ? 2 : 1);
    });

    test("data subnets have no route to the internet", () => {
      const dataRt = ref(tf, "aws_route_table", (r) => r.tags.Name.endsWith("-data"));
      expect(Object.values(resourcesOf(tf, "aws_route")).filter((r: any) => r.route_table_id === dataRt)).toHaveLength(0);
    });

    test("flow logs of ALL traffic to an encrypted log group, written by a role scoped to it", () => {
      const flow = onlyResource(tf, "aws_flow_log");
      expect(flow).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
      const group = ref(tf, "aws_cloudwatch_log_group", (g) => g.name.includes("flow-logs"), "arn");
      expect(flow.log_destination).toBe(group);
      const role = Object.values(resourcesOf(tf, "aws_iam_role")).find((r: any) => r.name.endsWith("-flow-logs")) as any;
      expect(policyOf({ policy: role.assume_role_policy }).Statement[0].Principal.Service).toBe("vpc-flow-logs.amazonaws.com");
      const policy = Object.values(resourcesOf(tf, "aws_iam_role_policy")).find((p: any) => p.name === "write-flow-logs") as any;
      expect(policyOf(policy).Statement[0].Resource).toEqual([group, `${group}:*`]);
    });

    test("default security group has no rules", () => {
      const sg = onlyResource(tf, "aws_default_security_group");
      expect(sg.vpc_id).toBe(ref(tf, "aws_vpc"));
      expect(sg.ingress).toBeUndefined();
      expect(sg.egress).toBeUndefined();
    });
  });

  describe("virtual machine", () => {
    const vm = onlyResource(tf, "aws_instance");

    test("AMI from a data-source lookup, not a literal", () => {
      const [name, ami] = Object.entries(dataOf(tf, "aws_ami"))[0];
      expect(ami).toMatchObject({ most_recent: true, owners: ["amazon"] });
      expect(vm.ami).toBe(`\${data.aws_ami.${name}.id}`);
    });

    test("IMDSv2 required, encrypted root volume, detailed monitoring, no public IP, private subnet", () => {
      expect(vm.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(vm.root_block_device).toMatchObject({ encrypted: true, volume_type: "gp3" });
      expect(vm.monitoring).toBe(true);
      expect(vm.associate_public_ip_address).toBe(false);
      expect(vm.subnet_id).toBe(ref(tf, "aws_subnet", (s) => s.cidr_block === "10.0.10.0/24"));
      expect(vm.instance_type).toBe(prod ? "t3.medium" : "t3.small");
    });

    test("own IAM role (EC2 trust only) and instance profile", () => {
      const role = Object.values(resourcesOf(tf, "aws_iam_role")).find((r: any) => r.name.endsWith("-app-vm")) as any;
      expect(policyOf({ policy: role.assume_role_policy }).Statement).toEqual([
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      const profile = onlyResource(tf, "aws_iam_instance_profile");
      expect(vm.iam_instance_profile).toBe(ref(tf, "aws_iam_instance_profile", () => true, "name"));
      expect(profile.role).toBe(ref(tf, "aws_iam_role", (r) => r.name.endsWith("-app-vm"), "name"));
      // No managed policy on the VM role: permissions come from grants only.
      const attachments = Object.values(resourcesOf(tf, "aws_iam_role_policy_attachment")) as any[];
      expect(attachments.filter((a) => a.role.includes("app_role"))).toHaveLength(0);
    });

    test("inbound: only the application port from the public tier, each rule described; no SSH", () => {
      const vmSg = ref(tf, "aws_security_group", (s) => s.name.endsWith("-app-vm"));
      const ingress = Object.values(resourcesOf(tf, "aws_vpc_security_group_ingress_rule")).filter((r: any) => r.security_group_id === vmSg) as any[];
      expect(ingress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4])).toEqual([
        [8080, 8080, "10.0.1.0/24"],
        [8080, 8080, "10.0.2.0/24"],
      ]);
      expect(ingress.every((r) => r.description.length > 10)).toBe(true);
      const allIngress = Object.values(resourcesOf(tf, "aws_vpc_security_group_ingress_rule")) as any[];
      expect(allIngress.some((r) => r.from_port <= 22 && r.to_port >= 22)).toBe(false);
      expect(allIngress.some((r) => r.cidr_ipv4 === "0.0.0.0/0")).toBe(false);
    });
  });

  describe("object store", () => {
    const bucketRef = ref(tf, "aws_s3_bucket");
    const bucketArn = ref(tf, "aws_s3_bucket", () => true, "arn");

    test("name fits S3 rules and is stable", () => {
      const bucket = onlyResource(tf, "aws_s3_bucket");
      expect(bucket.bucket).toMatch(new RegExp(`^taskflow-${env}-uploads-[a-z0-9]{6}$`));
      expect(bucket.force_destroy).toBe(false);
      expect(synthStack("aws", env).resource!.aws_s3_bucket).toEqual(tf.resource!.aws_s3_bucket);
    });

    test("versioning, KMS encryption, all four public-access blocks, BucketOwnerEnforced", () => {
      expect(onlyResource(tf, "aws_s3_bucket_versioning")).toMatchObject({ bucket: bucketRef, versioning_configuration: { status: "Enabled" } });
      const sse = onlyResource(tf, "aws_s3_bucket_server_side_encryption_configuration");
      expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
      expect(onlyResource(tf, "aws_s3_bucket_public_access_block")).toMatchObject({
        bucket: bucketRef,
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(onlyResource(tf, "aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
    });

    test("bucket policy denies every non-TLS request", () => {
      const [statement] = policyOf(onlyResource(tf, "aws_s3_bucket_policy")).Statement;
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
      const rules = onlyResource(tf, "aws_s3_bucket_lifecycle_configuration").rule;
      expect(rules.find((r: any) => r.abort_incomplete_multipart_upload)).toMatchObject({
        status: "Enabled",
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      });
      expect(rules.find((r: any) => r.noncurrent_version_expiration).noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
    });

    test("the VM role may read/write this bucket and nothing else", () => {
      const grants = Object.values(resourcesOf(tf, "aws_iam_role_policy")).filter((p: any) => p.role === ref(tf, "aws_iam_role", (r) => r.name.endsWith("-app-vm"))) as any[];
      expect(grants).toHaveLength(1);
      const statements = policyOf(grants[0]).Statement;
      const resources = statements.flatMap((s: any) => s.Resource);
      expect(resources.sort()).toEqual([bucketArn, `${bucketArn}/*`, ref(tf, "aws_kms_key", () => true, "arn")].sort());
      expect(statements.flatMap((s: any) => s.Action)).not.toContain("s3:*");
      const kms = statements.find((s: any) => s.Sid === "UseTheBucketKeyThroughS3Only");
      expect(kms.Condition).toEqual({ StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } });
    });
  });

  describe("postgres", () => {
    const db = onlyResource(tf, "aws_db_instance");

    test("engine 15+ in private data subnets, not public", () => {
      expect(db.engine).toBe("postgres");
      expect(Number(db.engine_version)).toBeGreaterThanOrEqual(15);
      expect(db.publicly_accessible).toBe(false);
      const group = onlyResource(tf, "aws_db_subnet_group");
      const dataSubnets = Object.entries(resourcesOf(tf, "aws_subnet"))
        .filter(([, s]: [string, any]) => s.tags.Tier === "data")
        .map(([n]) => `\${aws_subnet.${n}.id}`);
      expect(group.subnet_ids).toEqual(dataSubnets);
      expect(db.db_subnet_group_name).toBe(ref(tf, "aws_db_subnet_group", () => true, "name"));
    });

    test("admits 5432 only from the VM's security group", () => {
      const dbSg = ref(tf, "aws_security_group", (s) => s.name.endsWith("-db"));
      expect(db.vpc_security_group_ids).toEqual([dbSg]);
      const ingress = Object.values(resourcesOf(tf, "aws_vpc_security_group_ingress_rule")).filter((r: any) => r.security_group_id === dbSg) as any[];
      expect(ingress).toHaveLength(1);
      expect(ingress[0]).toMatchObject({
        from_port: 5432,
        to_port: 5432,
        ip_protocol: "tcp",
        referenced_security_group_id: ref(tf, "aws_security_group", (s) => s.name.endsWith("-app-vm")),
      });
      expect(ingress[0].cidr_ipv4).toBeUndefined();
      expect(Object.values(resourcesOf(tf, "aws_vpc_security_group_egress_rule")).filter((r: any) => r.security_group_id === dbSg)).toHaveLength(0);
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
    });

    test("TLS forced and logging on through the parameter group", () => {
      const pg = onlyResource(tf, "aws_db_parameter_group");
      expect(pg.family).toBe(`postgres${db.engine_version}`);
      expect(db.parameter_group_name).toBe(ref(tf, "aws_db_parameter_group", () => true, "name"));
      const params = Object.fromEntries(pg.parameter.map((x: any) => [x.name, x.value]));
      expect(params).toEqual(AWS_POSTGRES_PARAMETERS);
      expect(params["rds.force_ssl"]).toBe("1");
    });

    test(prod ? "production: Multi-AZ, deletion protection, named final snapshot" : "staging: no Multi-AZ, no deletion protection, no final snapshot", () => {
      expect(db.multi_az).toBe(prod);
      expect(db.deletion_protection).toBe(prod);
      expect(db.skip_final_snapshot).toBe(!prod);
      if (prod) expect(db.final_snapshot_identifier).toBe("taskflow-production-database-final");
      else expect(db.final_snapshot_identifier).toBeUndefined();
      expect(db.instance_class).toBe(prod ? "db.t3.medium" : "db.t3.small");
    });

    test("no password in the JSON: AWS manages the master password in Secrets Manager", () => {
      expect(db.manage_master_user_password).toBe(true);
      expect(db.password).toBeUndefined();
      expect(db.master_user_secret_kms_key_id).toBe(ref(tf, "aws_kms_key", () => true, "arn"));
    });
  });

  describe("budget", () => {
    test("monthly COST budget, 80 % actual and 100 % forecasted to the configured e-mails", () => {
      const budget = onlyResource(tf, "aws_budgets_budget");
      expect(budget).toMatchObject({ budget_type: "COST", time_unit: "MONTHLY", limit_amount: prod ? "2000.00" : "200.00", limit_unit: "USD" });
      expect(budget.notification).toEqual([
        { comparison_operator: "GREATER_THAN", notification_type: "ACTUAL", threshold: 80, threshold_type: "PERCENTAGE", subscriber_email_addresses: ["platform-team@example.com"] },
        { comparison_operator: "GREATER_THAN", notification_type: "FORECASTED", threshold: 100, threshold_type: "PERCENTAGE", subscriber_email_addresses: ["platform-team@example.com"] },
      ]);
      expect(budget.cost_filter).toEqual([{ name: "TagKeyValue", values: ["user:Project$taskflow"] }]);
    });
  });

  test("snapshot of the whole stack (cdktf metadata stripped)", () => {
    expect(sanitizeForSnapshot(tf)).toMatchSnapshot();
  });
});

test("staging and production differ exactly where the reference design says", () => {
  const pick = (tf: TfJson) => {
    const db = onlyResource(tf, "aws_db_instance");
    return {
      multiAz: db.multi_az,
      deletionProtection: db.deletion_protection,
      finalSnapshot: db.skip_final_snapshot === false,
      backupDays: db.backup_retention_period,
      dbClass: db.instance_class,
      vmType: onlyResource(tf, "aws_instance").instance_type,
      natGateways: Object.keys(resourcesOf(tf, "aws_nat_gateway")).length,
    };
  };
  expect(pick(tfByEnv.staging)).toEqual({ multiAz: false, deletionProtection: false, finalSnapshot: false, backupDays: 7, dbClass: "db.t3.small", vmType: "t3.small", natGateways: 1 });
  expect(pick(tfByEnv.production)).toEqual({ multiAz: true, deletionProtection: true, finalSnapshot: true, backupDays: 14, dbClass: "db.t3.medium", vmType: "t3.medium", natGateways: 2 });
});
