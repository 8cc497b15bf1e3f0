/**
 * AWS rules. Each mirrors published checkov / Trivy controls (ids in
 * `controls`); the checks are our own, written against the Terraform JSON.
 */
import {
  Finding,
  PolicyRule,
  TfItem,
  TfView,
  block,
  blocks,
  isExpression,
  isTrue,
  policyStatements,
  refersTo,
  resourceRule,
  sensitivePortIn,
  strings,
} from "./engine";
import { awsMustSurviveDestroy } from "../aws/provider-facts";

const rds = ["aws_db_instance"];

/** The parameters of the parameter group an RDS instance uses (by reference or by literal name). */
function rdsParameters(tf: TfView, db: TfItem): Record<string, string> | undefined {
  const ref = tf.deref(db.body.parameter_group_name);
  const group =
    ref?.type === "aws_db_parameter_group"
      ? ref
      : tf.resources("aws_db_parameter_group").find((g) => g.body.name === db.body.parameter_group_name && !isExpression(g.body.name));
  if (!group) return undefined;
  return Object.fromEntries(blocks(group.body.parameter).map((p) => [String(p.name), String(p.value)]));
}

/**
 * A rule on the parameter group of each RDS PostgreSQL instance: `lacks` names what the parameters
 * (empty when the group is not of this stack) are missing, undefined for what is there.
 */
function rdsPostgresParameterRule(meta: Omit<PolicyRule, "check">, lacks: (p: Record<string, string>) => (string | undefined)[]): PolicyRule {
  return resourceRule(meta, rds, (db, tf) => {
    if (!String(db.body.engine ?? "").startsWith("postgres")) return undefined;
    const missing = lacks(rdsParameters(tf, db) ?? {}).filter((x): x is string => x !== undefined);
    return missing.length === 0 ? undefined : `parameter group lacks ${missing.join(", ")}`;
  });
}

/** Resources of `type` attached to `target` through one of `attributes`. */
const attached = (tf: TfView, type: string, target: TfItem, attributes: readonly string[] = ["bucket"]) => tf.referencing(type, target, attributes);

/** Statements of every IAM policy in the stack that grants permissions (identity policies, not bucket or key policies). */
function identityPolicies(tf: TfView): { item: TfItem; statements: Record<string, any>[] }[] {
  return tf
    .resources("aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy")
    .map((item) => ({ item, statements: policyStatements(tf, item.body.policy) ?? [] }));
}

const asList = (v: unknown): string[] => strings(v);

/** Resource types that hold data or evidence: Terraform must refuse to destroy them where deletion protection is on. */
export const AWS_STATEFUL_TYPES = ["aws_db_instance", "aws_s3_bucket", "aws_cloudwatch_log_group", "aws_kms_key", "aws_secretsmanager_secret", "aws_dynamodb_table"] as const;

/** True when a replication configuration of the stack copies objects into `bucket` (it is a replica). */
function isReplicaDestination(tf: TfView, bucket: TfItem): boolean {
  return tf
    .resources("aws_s3_bucket_replication_configuration")
    .some((r) => blocks(r.body.rule).some((rule) => blocks(rule.destination).some((d) => refersTo(d.bucket, bucket))));
}

export const AWS_RULES: readonly PolicyRule[] = [
  // --- encryption at rest -------------------------------------------------
  resourceRule(
    {
      id: "AWS-RDS-ENCRYPTED",
      cloud: "aws",
      category: "encryption-at-rest",
      title: "RDS storage is encrypted",
      controls: ["CKV_AWS_16", "AVD-AWS-0080"],
      fix: "set storageEncrypted: true (and kmsKeyId to the stack's key) on the DbInstance",
    },
    rds,
    (r) => (r.body.storage_encrypted === true ? undefined : "storage_encrypted is not true"),
  ),
  resourceRule(
    {
      id: "AWS-EC2-VOLUMES-ENCRYPTED",
      cloud: "aws",
      category: "encryption-at-rest",
      title: "EC2 root and EBS volumes are encrypted",
      controls: ["CKV_AWS_8", "CKV_AWS_3", "AVD-AWS-0131", "AVD-AWS-0026"],
      fix: "set rootBlockDevice.encrypted (and every ebsBlockDevice / EbsVolume encrypted) to true with the stack's KMS key",
    },
    ["aws_instance", "aws_ebs_volume"],
    (r) => {
      if (r.type === "aws_ebs_volume") return r.body.encrypted === true ? undefined : "encrypted is not true";
      const devices = [block(r.body.root_block_device), ...blocks(r.body.ebs_block_device)];
      if (devices[0] === undefined) return "no root_block_device: the root volume is unencrypted unless the account default says otherwise";
      return devices.every((d) => d?.encrypted === true) ? undefined : "a root or EBS block device has encrypted != true";
    },
  ),
  {
    id: "AWS-S3-ENCRYPTED",
    cloud: "aws",
    category: "encryption-at-rest",
    title: "S3 buckets have default server-side encryption",
    controls: ["CKV_AWS_19", "AVD-AWS-0088"],
    fix: "add an S3BucketServerSideEncryptionConfigurationA for the bucket",
    check: (tf) =>
      tf.resources("aws_s3_bucket").flatMap((b): Finding[] => {
        const inline = block(b.body.server_side_encryption_configuration);
        return inline || attached(tf, "aws_s3_bucket_server_side_encryption_configuration", b).length > 0
          ? []
          : [{ item: b, message: "no server-side encryption configuration for this bucket" }];
      }),
  },
  resourceRule(
    {
      id: "AWS-S3-KMS",
      cloud: "aws",
      category: "encryption-at-rest",
      title: "S3 default encryption uses a KMS key",
      controls: ["CKV_AWS_145", "AVD-AWS-0132"],
      fix: "use sseAlgorithm 'aws:kms' with kmsMasterKeyId set to the stack's customer-managed key",
    },
    ["aws_s3_bucket_server_side_encryption_configuration"],
    (r) => {
      const bad = blocks(r.body.rule).filter((rule) => {
        const d = block(rule.apply_server_side_encryption_by_default);
        return !d || !String(d.sse_algorithm).startsWith("aws:kms") || !d.kms_master_key_id;
      });
      return bad.length === 0 && blocks(r.body.rule).length > 0 ? undefined : "default encryption is not aws:kms with a customer-managed key";
    },
  ),
  resourceRule(
    {
      id: "AWS-DYNAMODB-ENCRYPTED",
      cloud: "aws",
      category: "encryption-at-rest",
      title: "DynamoDB tables (the state lock table) have server-side encryption enabled",
      controls: ["CKV_AWS_119", "AVD-AWS-0025"],
      fix: "set serverSideEncryption: { enabled: true } (optionally with kmsKeyArn) on the DynamodbTable",
    },
    ["aws_dynamodb_table"],
    (r) => (block(r.body.server_side_encryption)?.enabled === true ? undefined : "server_side_encryption.enabled is not true"),
  ),
  resourceRule(
    {
      id: "AWS-LOG-GROUP-KMS",
      cloud: "aws",
      category: "encryption-at-rest",
      title: "CloudWatch log groups are encrypted with a KMS key",
      controls: ["CKV_AWS_158", "AVD-AWS-0017"],
      fix: "set kmsKeyId on the CloudwatchLogGroup to the stack's key",
    },
    ["aws_cloudwatch_log_group"],
    (r) => (r.body.kms_key_id ? undefined : "kms_key_id is not set"),
  ),
  resourceRule(
    {
      id: "AWS-SECRET-KMS",
      cloud: "aws",
      category: "encryption-at-rest",
      title: "Secrets Manager secrets are encrypted with a customer-managed KMS key",
      controls: ["CKV_AWS_149", "AVD-AWS-0098"],
      fix: "set kmsKeyId on the SecretsmanagerSecret to the stack's key",
    },
    ["aws_secretsmanager_secret"],
    (r) => (r.body.kms_key_id ? undefined : "kms_key_id is not set (the AWS-managed aws/secretsmanager key is used)"),
  ),
  resourceRule(
    {
      id: "AWS-KMS-ROTATION",
      cloud: "aws",
      category: "encryption-at-rest",
      title: "Customer-managed KMS keys rotate",
      controls: ["CKV_AWS_7", "AVD-AWS-0065"],
      fix: "set enableKeyRotation: true on the KmsKey",
    },
    ["aws_kms_key"],
    (r) => (r.body.enable_key_rotation === true || r.body.customer_master_key_spec?.startsWith?.("RSA") ? undefined : "enable_key_rotation is not true"),
  ),

  // --- public exposure ----------------------------------------------------
  resourceRule(
    {
      id: "AWS-RDS-PRIVATE",
      cloud: "aws",
      category: "public-exposure",
      title: "RDS instances have no public endpoint",
      controls: ["CKV_AWS_17", "AVD-AWS-0082"],
      fix: "set publiclyAccessible: false and keep the instance in the data subnets",
    },
    rds,
    (r) => (r.body.publicly_accessible === true ? "publicly_accessible is true" : undefined),
  ),
  resourceRule(
    {
      id: "AWS-EC2-NO-PUBLIC-IP",
      cloud: "aws",
      category: "public-exposure",
      title: "EC2 instances get no public IP",
      controls: ["CKV_AWS_88", "AVD-AWS-0009"],
      fix: "leave publicIp at its default (false); put internet-facing traffic behind a load balancer",
    },
    ["aws_instance"],
    (r) => (r.body.associate_public_ip_address === true ? "associate_public_ip_address is true" : undefined),
  ),
  resourceRule(
    {
      id: "AWS-SUBNET-NO-AUTO-PUBLIC-IP",
      cloud: "aws",
      category: "public-exposure",
      title: "Subnets do not assign public IPs on launch",
      controls: ["CKV_AWS_130", "AVD-AWS-0164"],
      fix: "set mapPublicIpOnLaunch: false on the Subnet",
    },
    ["aws_subnet"],
    (r) => (r.body.map_public_ip_on_launch === true ? "map_public_ip_on_launch is true" : undefined),
  ),
  {
    id: "AWS-S3-PUBLIC-ACCESS-BLOCK",
    cloud: "aws",
    category: "public-exposure",
    title: "S3 buckets block every form of public access",
    controls: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093"],
    fix: "add an S3BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true",
    check: (tf) =>
      tf.resources("aws_s3_bucket").flatMap((b): Finding[] => {
        const pab = attached(tf, "aws_s3_bucket_public_access_block", b);
        const keys = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
        if (pab.some((p) => keys.every((k) => p.body[k] === true))) return [];
        return [{ item: b, message: pab.length === 0 ? "no public access block for this bucket" : "the public access block leaves a setting false" }];
      }),
  },
  resourceRule(
    {
      id: "AWS-S3-NO-PUBLIC-ACL",
      cloud: "aws",
      category: "public-exposure",
      title: "S3 buckets have no public canned ACL",
      controls: ["CKV_AWS_20", "CKV_AWS_57", "AVD-AWS-0092"],
      fix: "remove the ACL and enforce BucketOwnerEnforced ownership (ACLs disabled)",
    },
    ["aws_s3_bucket", "aws_s3_bucket_acl"],
    (r) => (["public-read", "public-read-write", "authenticated-read"].includes(String(r.body.acl)) ? `acl is '${r.body.acl}'` : undefined),
  ),
  {
    id: "AWS-SG-NO-WORLD-ADMIN-PORTS",
    cloud: "aws",
    category: "public-exposure",
    title: "No security group admits SSH, RDP or database ports from the whole internet",
    controls: ["CKV_AWS_24", "CKV_AWS_25", "AVD-AWS-0107"],
    fix: "narrow the source to a known range or a security group (IngressRule.sources); use SSM Session Manager instead of SSH",
    check: (tf) => {
      const out: Finding[] = [];
      const test = (item: TfItem, from: unknown, to: unknown, cidrs: string[], protocol: unknown) => {
        const world = cidrs.filter((c) => c === "0.0.0.0/0" || c === "::/0");
        if (world.length === 0) return;
        const all = String(protocol) === "-1" || String(protocol) === "all";
        const port = all ? 22 : sensitivePortIn(Number(from ?? 0), Number(to ?? from ?? 65535));
        if (port !== undefined) out.push({ item, message: `ingress from ${world.join(", ")} includes port ${port}` });
      };
      for (const sg of tf.resources("aws_security_group")) {
        for (const i of blocks(sg.body.ingress)) test(sg, i.from_port, i.to_port, [...asList(i.cidr_blocks), ...asList(i.ipv6_cidr_blocks)], i.protocol);
      }
      for (const r of tf.resources("aws_security_group_rule")) {
        if (r.body.type === "ingress") test(r, r.body.from_port, r.body.to_port, [...asList(r.body.cidr_blocks), ...asList(r.body.ipv6_cidr_blocks)], r.body.protocol);
      }
      for (const r of tf.resources("aws_vpc_security_group_ingress_rule")) {
        test(r, r.body.from_port, r.body.to_port, [...asList(r.body.cidr_ipv4), ...asList(r.body.cidr_ipv6)], r.body.ip_protocol);
      }
      return out;
    },
  },

  // --- encryption in transit ----------------------------------------------
  {
    id: "AWS-RDS-TLS",
    cloud: "aws",
    category: "encryption-in-transit",
    title: "RDS PostgreSQL refuses non-TLS connections (rds.force_ssl = 1)",
    controls: ["CKV2_AWS_69"],
    fix: "use a DbParameterGroup with rds.force_ssl = 1 (AWS_POSTGRES_PARAMETERS)",
    check: (tf) =>
      tf.resources(...rds).flatMap((db): Finding[] => {
        if (!String(db.body.engine ?? "").startsWith("postgres")) return [];
        return rdsParameters(tf, db)?.["rds.force_ssl"] === "1" ? [] : [{ item: db, message: "its parameter group does not set rds.force_ssl = 1" }];
      }),
  },
  {
    id: "AWS-S3-DENY-NON-TLS",
    cloud: "aws",
    category: "encryption-in-transit",
    title: "S3 bucket policies deny requests that are not over TLS",
    controls: ["CIS AWS 2.1.1", "AWS Config s3-bucket-ssl-requests-only"],
    fix: "attach an S3BucketPolicy with a Deny statement on aws:SecureTransport = false for the bucket and its objects",
    check: (tf) =>
      tf.resources("aws_s3_bucket").flatMap((b): Finding[] => {
        const policies = [...attached(tf, "aws_s3_bucket_policy", b).map((p) => p.body.policy), ...(b.body.policy ? [b.body.policy] : [])];
        const denies = policies.some((p) =>
          (policyStatements(tf, p) ?? []).some((s) => {
            if (s.Effect !== "Deny") return false;
            const bool = (s.Condition ?? {}).Bool ?? {};
            return strings(bool["aws:SecureTransport"]).concat(bool["aws:SecureTransport"] === false ? ["false"] : []).includes("false");
          }),
        );
        return denies ? [] : [{ item: b, message: "no bucket policy denies aws:SecureTransport = false" }];
      }),
  },

  // --- network hygiene ----------------------------------------------------
  {
    id: "AWS-VPC-FLOW-LOGS",
    cloud: "aws",
    category: "network",
    title: "Every VPC has flow logs",
    controls: ["CKV2_AWS_11", "AVD-AWS-0178"],
    fix: "add a FlowLog with trafficType ALL for the VPC (the AWS network construct does)",
    check: (tf) =>
      tf.resources("aws_vpc").flatMap((vpc): Finding[] =>
        tf.referencing("aws_flow_log", vpc, ["vpc_id"]).length > 0 ? [] : [{ item: vpc, message: "no aws_flow_log for this VPC" }],
      ),
  },
  {
    id: "AWS-VPC-DEFAULT-SG-CLOSED",
    cloud: "aws",
    category: "network",
    title: "The default security group of every VPC has no rules",
    controls: ["CKV2_AWS_12", "AVD-AWS-0173"],
    fix: "manage the VPC's DefaultSecurityGroup with no ingress and no egress",
    check: (tf) =>
      tf.resources("aws_vpc").flatMap((vpc): Finding[] => {
        const sgs = tf.referencing("aws_default_security_group", vpc, ["vpc_id"]);
        if (sgs.length === 0) return [{ item: vpc, message: "the default security group is not managed (it allows all traffic inside the group)" }];
        return sgs
          .filter((sg) => blocks(sg.body.ingress).length > 0 || blocks(sg.body.egress).length > 0)
          .map((sg) => ({ item: sg, message: "the default security group has rules" }));
      }),
  },
  {
    id: "AWS-NAT-PRIVATE-EGRESS",
    cloud: "aws",
    category: "network",
    title: "Private subnets reach the internet only through NAT, never directly through the internet gateway",
    controls: ["project rule (AWS Well-Architected SEC05)"],
    fix: "route 0.0.0.0/0 of application subnets to a NatGateway; only public-tier route tables may target the internet gateway",
    check: (tf) => {
      const out: Finding[] = [];
      const igwRoutes = tf.resources("aws_route").filter((r) => tf.deref(r.body.gateway_id)?.type === "aws_internet_gateway");
      for (const route of igwRoutes) {
        const table = tf.deref(route.body.route_table_id);
        if (!table) continue;
        for (const assoc of tf.referencing("aws_route_table_association", table, ["route_table_id"])) {
          const subnet = tf.deref(assoc.body.subnet_id);
          const tier = subnet?.body.tags?.Tier;
          if (subnet && tier !== "public") out.push({ item: subnet, message: `subnet (Tier=${tier ?? "untagged"}) routes 0.0.0.0/0 straight to the internet gateway` });
        }
      }
      const privateSubnets = tf.resources("aws_subnet").filter((s) => s.body.tags?.Tier === "application");
      if (privateSubnets.length > 0 && tf.resources("aws_nat_gateway").length === 0) {
        out.push(...privateSubnets.map((s) => ({ item: s, message: "application subnet without any NAT gateway in the stack" })));
      }
      return out;
    },
  },

  // --- identity -----------------------------------------------------------
  resourceRule(
    {
      id: "AWS-EC2-IMDSV2",
      cloud: "aws",
      category: "identity",
      title: "EC2 instances require IMDSv2 session tokens",
      controls: ["CKV_AWS_79", "AVD-AWS-0028"],
      fix: "set metadataOptions: { httpTokens: 'required' } (or httpEndpoint 'disabled')",
    },
    ["aws_instance", "aws_launch_template"],
    (r) => {
      const m = block(r.body.metadata_options);
      return m?.http_tokens === "required" || m?.http_endpoint === "disabled" ? undefined : "metadata_options.http_tokens is not 'required'";
    },
  ),
  resourceRule(
    {
      id: "AWS-RDS-IAM-AUTH",
      cloud: "aws",
      category: "identity",
      title: "RDS instances accept IAM database authentication",
      controls: ["CKV_AWS_161", "AVD-AWS-0176"],
      fix: "set iamDatabaseAuthenticationEnabled: true",
    },
    rds,
    (r) => (r.body.iam_database_authentication_enabled === true ? undefined : "iam_database_authentication_enabled is not true"),
  ),
  {
    id: "AWS-IAM-NO-WILDCARD-ACTIONS",
    cloud: "aws",
    category: "identity",
    title: "IAM policies grant no wildcard actions ('*' or 'service:*')",
    controls: ["CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_290", "AVD-AWS-0057"],
    fix: "list the actions the identity needs",
    check: (tf) =>
      identityPolicies(tf).flatMap(({ item, statements }) =>
        statements
          .filter((s) => (s.Effect ?? "Allow") === "Allow" && strings(s.Action).some((a) => a === "*" || a.endsWith(":*")))
          .map((s) => ({ item, message: `statement ${s.Sid ?? "(no Sid)"} allows ${strings(s.Action).join(", ")}` })),
      ),
  },
  {
    id: "AWS-IAM-GRANTS-SCOPED",
    cloud: "aws",
    category: "identity",
    title: "IAM grants name their resources: S3 grants are scoped to one bucket, nothing is granted on '*'",
    controls: ["CKV_AWS_355", "CKV_AWS_288", "AVD-AWS-0057"],
    fix: "set Resource to the bucket ARN and `${bucket.arn}/*` (ObjectStore.grantReadWrite does)",
    check: (tf) =>
      identityPolicies(tf).flatMap(({ item, statements }) =>
        statements
          .filter((s) => (s.Effect ?? "Allow") === "Allow")
          .filter((s) => {
            const resources = strings(s.Resource);
            const s3 = strings(s.Action).some((a) => a.startsWith("s3:"));
            const buckets = new Set(resources.map((r) => r.replace(/\/\*$/, "")));
            return resources.some((r) => r === "*" || /^arn:[^:]*:s3:::\*/.test(r)) || (s3 && buckets.size > 1);
          })
          .map((s) => ({ item, message: `statement ${s.Sid ?? "(no Sid)"} grants on ${strings(s.Resource).join(", ") || "(no resource)"}` })),
      ),
  },

  // --- backups and deletion safety ----------------------------------------
  resourceRule(
    {
      id: "AWS-RDS-BACKUP-RETENTION",
      cloud: "aws",
      category: "backup",
      title: "RDS keeps at least 7 days of automated backups (point-in-time recovery)",
      controls: ["CKV_AWS_133", "AVD-AWS-0077"],
      fix: "set backupRetentionDays to 7 or more",
    },
    rds,
    (r) => (Number(r.body.backup_retention_period ?? 0) >= 7 ? undefined : `backup_retention_period is ${r.body.backup_retention_period ?? "unset"}`),
  ),
  resourceRule(
    {
      id: "AWS-RDS-MULTI-AZ",
      cloud: "aws",
      category: "backup",
      title: "RDS instances have a Multi-AZ standby",
      controls: ["CKV_AWS_157"],
      fix: "set highAvailability: true (multiAz)",
    },
    rds,
    (r) => (r.body.multi_az === true ? undefined : "multi_az is not true"),
  ),
  resourceRule(
    {
      id: "AWS-DYNAMODB-PITR",
      cloud: "aws",
      category: "backup",
      title: "DynamoDB tables have point-in-time recovery",
      controls: ["CKV_AWS_28", "AVD-AWS-0024"],
      fix: "set pointInTimeRecovery: { enabled: true }",
    },
    ["aws_dynamodb_table"],
    (r) => (block(r.body.point_in_time_recovery)?.enabled === true ? undefined : "point_in_time_recovery.enabled is not true"),
  ),
  resourceRule(
    {
      id: "AWS-S3-VERSIONING",
      cloud: "aws",
      category: "backup",
      title: "S3 buckets are versioned",
      controls: ["CKV_AWS_21", "AVD-AWS-0090"],
      fix: "add an S3BucketVersioningA with status Enabled (ObjectStore versioned: true)",
    },
    ["aws_s3_bucket"],
    (r, tf) =>
      block(r.body.versioning)?.enabled === true ||
      tf.referencing("aws_s3_bucket_versioning", r, ["bucket"]).some((v) => block(v.body.versioning_configuration)?.status === "Enabled")
        ? undefined
        : "versioning is not enabled",
  ),
  {
    id: "AWS-S3-REPLICATION",
    cloud: "aws",
    category: "backup",
    title: "S3 buckets are replicated to a second region (or are the replica)",
    controls: ["CKV_AWS_144"],
    fix: "keep the ObjectStore's geoRedundant at true (S3 Cross-Region Replication to aws.replicaRegion)",
    check: (tf) =>
      tf.resources("aws_s3_bucket").flatMap((b): Finding[] => {
        const replicated = block(b.body.replication_configuration) !== undefined || tf.referencing("aws_s3_bucket_replication_configuration", b, ["bucket"]).length > 0;
        return replicated || isReplicaDestination(tf, b) ? [] : [{ item: b, message: "no cross-region replication configuration for this bucket" }];
      }),
  },
  resourceRule(
    {
      id: "AWS-RDS-DELETION-PROTECTION",
      cloud: "aws",
      category: "deletion-safety",
      title: "RDS instances have deletion protection and keep a final snapshot",
      controls: ["CKV_AWS_293", "AVD-AWS-0177"],
      fix: "set deletionProtection: true (it also keeps a final snapshot) in the environment profile",
    },
    rds,
    (r) =>
      r.body.deletion_protection !== true
        ? "deletion_protection is not true"
        : r.body.skip_final_snapshot === true
          ? "skip_final_snapshot is true"
          : undefined,
  ),
  resourceRule(
    {
      id: "AWS-DYNAMODB-DELETION-PROTECTION",
      cloud: "aws",
      category: "deletion-safety",
      title: "DynamoDB tables (the state lock table) have deletion protection",
      controls: ["project rule (AWS Security Hub DynamoDB.6)"],
      fix: "set deletionProtectionEnabled: true on the DynamodbTable",
    },
    ["aws_dynamodb_table"],
    (r) => (r.body.deletion_protection_enabled === true ? undefined : "deletion_protection_enabled is not true"),
  ),
  resourceRule(
    {
      id: "AWS-STATEFUL-PREVENT-DESTROY",
      cloud: "aws",
      category: "deletion-safety",
      title: "Terraform refuses to destroy anything that holds data or evidence (databases, buckets, log groups, keys, secrets, tables)",
      controls: ["project rule (destroy refuses before deleting anything; complements CKV_AWS_293, CKV_AWS_338)"],
      fix: "keep deletionProtection at true (lifecycle.prevent_destroy); turn it off only in an environment profile with costOverResilience",
    },
    AWS_STATEFUL_TYPES,
    (r) => (block(r.body.lifecycle)?.prevent_destroy === true ? undefined : "lifecycle.prevent_destroy is not true: a destroy would delete it with its data"),
  ),

  // --- logging ------------------------------------------------------------
  resourceRule(
    {
      id: "AWS-RDS-LOG-EXPORTS",
      cloud: "aws",
      category: "logging",
      title: "RDS PostgreSQL exports its logs to CloudWatch",
      controls: ["CKV_AWS_129"],
      fix: "set enabledCloudwatchLogsExports to include 'postgresql'",
    },
    rds,
    (r) => (strings(r.body.enabled_cloudwatch_logs_exports).includes("postgresql") || !String(r.body.engine ?? "").startsWith("postgres") ? undefined : "enabled_cloudwatch_logs_exports lacks 'postgresql'"),
  ),
  rdsPostgresParameterRule(
    {
      id: "AWS-RDS-LOG-PARAMETERS",
      cloud: "aws",
      category: "logging",
      title: "RDS PostgreSQL logs connections, disconnections and slow statements",
      controls: ["CKV2_AWS_30"],
      fix: "set log_connections = 1, log_disconnections = 1 and log_min_duration_statement in the parameter group (AWS_POSTGRES_PARAMETERS)",
    },
    (p) => [
      p.log_connections === "1" ? undefined : "log_connections",
      p.log_disconnections === "1" ? undefined : "log_disconnections",
      p.log_min_duration_statement !== undefined && p.log_min_duration_statement !== "-1" ? undefined : "log_min_duration_statement",
    ],
  ),
  rdsPostgresParameterRule(
    {
      id: "AWS-RDS-AUDIT-LOGGING",
      cloud: "aws",
      category: "logging",
      title: "RDS PostgreSQL keeps an audit trail: log_statement = ddl (or more) and pgAudit loaded with pgaudit.log set",
      controls: ["CKV2_AWS_30", "project rule (RDS counterpart of CKV_GCP_110 pgAudit and CKV_GCP_111 log_statement)"],
      fix: "set log_statement = ddl, shared_preload_libraries including pgaudit and pgaudit.log in the parameter group (AWS_POSTGRES_PARAMETERS); then CREATE EXTENSION pgaudit once",
    },
    (p) => [
      ["ddl", "mod", "all"].includes(p.log_statement) ? undefined : "log_statement = ddl",
      (p.shared_preload_libraries ?? "").split(",").map((x) => x.trim()).includes("pgaudit") ? undefined : "pgaudit in shared_preload_libraries",
      p["pgaudit.log"] !== undefined && p["pgaudit.log"] !== "none" ? undefined : "pgaudit.log",
    ],
  ),
  {
    id: "AWS-S3-ACCESS-LOGGING",
    cloud: "aws",
    category: "logging",
    title: "S3 buckets record who reads and writes their objects (server access logs)",
    controls: ["CKV_AWS_18", "AVD-AWS-0089"],
    fix: "send the bucket's server access logs to the stack's access-log bucket (S3BucketLoggingA; the AWS ObjectStore does)",
    check: (tf) =>
      tf.resources("aws_s3_bucket").flatMap((b): Finding[] =>
        block(b.body.logging) !== undefined || attached(tf, "aws_s3_bucket_logging", b).length > 0 ? [] : [{ item: b, message: "no server access logging for this bucket" }],
      ),
  },
  resourceRule(
    {
      id: "AWS-LOG-GROUP-RETENTION",
      cloud: "aws",
      category: "logging",
      title: "CloudWatch log groups keep logs for at least a year",
      controls: ["CKV_AWS_338", "CKV_AWS_66"],
      fix: "set retentionInDays to 365 or more",
    },
    ["aws_cloudwatch_log_group"],
    (r) => (Number(r.body.retention_in_days ?? 0) >= 365 ? undefined : `retention_in_days is ${r.body.retention_in_days ?? "unset"}`),
  ),

  // --- secrets --------------------------------------------------------------
  resourceRule(
    {
      id: "AWS-RDS-MANAGED-PASSWORD",
      cloud: "aws",
      category: "secrets",
      title: "RDS master passwords never reach the Terraform JSON or state: managed by Secrets Manager, or write-only",
      controls: ["project rule (secrets out of state; complements CKV_SECRET_*)"],
      fix: "keep the default DatabaseCredentials.generated() (manageMasterUserPassword: true), or pass a password variable only to password_wo",
    },
    rds,
    (r) =>
      r.body.manage_master_user_password === true || r.body.replicate_source_db || (r.body.password_wo !== undefined && r.body.password === undefined)
        ? undefined
        : "manage_master_user_password is not true and no write-only password_wo is used",
  ),

  // --- serving the application (issue 11): the section at the end of this file ---
  ...awsServeRules(),
];

// =============================================================================================================
// Serving the application (issue 11): load balancers, listeners, target groups, WAF, certificates, launch
// templates and Auto Scaling groups. A function (hoisted) so AWS_RULES above can list these rules last.
// =============================================================================================================

/** TLS policies of ELB that allow nothing older than TLS 1.2. */
const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

function awsServeRules(): PolicyRule[] {
  const lbTypes = ["aws_lb", "aws_alb"];
  const listenerTypes = ["aws_lb_listener", "aws_alb_listener"];
  const isApplication = (lb: TfItem) => (lb.body.load_balancer_type ?? "application") === "application";
  /** Target groups an Auto Scaling group is registered with, inline or through attachments. */
  const attachedTargetGroups = (tf: TfView, asg: TfItem) => [
    ...strings(asg.body.target_group_arns),
    ...tf.referencing("aws_autoscaling_attachment", asg, ["autoscaling_group_name"]).map((a) => a.body.lb_target_group_arn ?? a.body.alb_target_group_arn),
    ...tf.referencing("aws_autoscaling_traffic_source_attachment", asg, ["autoscaling_group_name"]),
  ];
  const managedGroups = (acl: TfItem) =>
    blocks(acl.body.rule).flatMap((r) => {
      const m = block(block(r.statement)?.managed_rule_group_statement);
      return m ? [{ name: String(m.name), counted: block(r.override_action)?.count !== undefined }] : [];
    });

  return [
    // --- encryption in transit ------------------------------------------------------------------------
    {
      id: "AWS-LB-HTTPS-ONLY",
      cloud: "aws",
      category: "encryption-in-transit",
      title: "Application load balancers serve HTTPS only: an HTTP listener only redirects to HTTPS",
      controls: ["CKV_AWS_2", "CKV2_AWS_20", "AVD-AWS-0054", "AWS Security Hub ELB.1"],
      fix: "give HTTP listeners a single default action of type 'redirect' with protocol HTTPS (the AWS HTTPS entry does)",
      check: (tf) =>
        tf.resources(...listenerTypes).flatMap((l): Finding[] => {
          const lb = tf.deref(l.body.load_balancer_arn);
          if (lb && !isApplication(lb)) return [];
          if (String(l.body.protocol ?? "HTTP") !== "HTTP") return [];
          const actions = blocks(l.body.default_action);
          const redirects = actions.length > 0 && actions.every((a) => a.type === "redirect" && block(a.redirect)?.protocol === "HTTPS");
          return redirects ? [] : [{ item: l, message: "an HTTP listener forwards instead of redirecting to HTTPS" }];
        }),
    },
    resourceRule(
      {
        id: "AWS-LB-TLS-POLICY",
        cloud: "aws",
        category: "encryption-in-transit",
        title: "HTTPS listeners refuse TLS older than 1.2",
        controls: ["CKV_AWS_103", "AVD-AWS-0047"],
        fix: "set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 (AWS_TLS_POLICY)",
      },
      listenerTypes,
      (l) => {
        if (!["HTTPS", "TLS"].includes(String(l.body.protocol))) return undefined;
        return TLS12_POLICY.test(String(l.body.ssl_policy ?? "")) ? undefined : `ssl_policy is ${l.body.ssl_policy ?? "unset (ELBSecurityPolicy-2016-08 allows TLS 1.0)"}`;
      },
    ),
    resourceRule(
      {
        id: "AWS-LB-DROP-INVALID-HEADERS",
        cloud: "aws",
        category: "network",
        title: "Application load balancers drop invalid HTTP header fields",
        controls: ["CKV_AWS_131", "AVD-AWS-0052", "AWS Security Hub ELB.4"],
        fix: "set dropInvalidHeaderFields: true on the Lb",
      },
      lbTypes,
      (lb) => (!isApplication(lb) || lb.body.drop_invalid_header_fields === true ? undefined : "drop_invalid_header_fields is not true"),
    ),
    resourceRule(
      {
        id: "AWS-LB-TARGET-HEALTH-CHECK",
        cloud: "aws",
        category: "network",
        title: "Target groups health-check their targets on an HTTP path",
        controls: ["CKV_AWS_261"],
        fix: "set healthCheck { enabled: true, path, matcher } on the LbTargetGroup (the app tier's healthCheckPath)",
      },
      ["aws_lb_target_group", "aws_alb_target_group"],
      (tg) => {
        const hc = block(tg.body.health_check);
        if (!hc || hc.enabled === false) return "no health check";
        if (String(tg.body.protocol ?? "HTTP").startsWith("HTTP") && !hc.path) return "health_check has no path";
        return undefined;
      },
    ),

    // --- public exposure --------------------------------------------------------------------------------
    {
      id: "AWS-LB-WAF",
      cloud: "aws",
      category: "public-exposure",
      title: "Internet-facing application load balancers are behind a WAFv2 web ACL",
      controls: ["CKV2_AWS_28", "AWS Security Hub ELB.16"],
      fix: "keep webApplicationFirewall on (a Wafv2WebAclAssociation for the load balancer)",
      check: (tf) =>
        tf.resources(...lbTypes).flatMap((lb): Finding[] => {
          if (!isApplication(lb) || lb.body.internal === true) return [];
          return tf.referencing("aws_wafv2_web_acl_association", lb, ["resource_arn"]).length > 0 ? [] : [{ item: lb, message: "no aws_wafv2_web_acl_association for this load balancer" }];
        }),
    },
    {
      id: "AWS-WAF-MANAGED-RULES",
      cloud: "aws",
      category: "public-exposure",
      title: "Web ACLs block with the AWS managed common and known-bad-inputs (Log4j) rule groups",
      controls: ["CKV_AWS_192", "CKV2_AWS_76"],
      fix: "add AWSManagedRulesCommonRuleSet and AWSManagedRulesKnownBadInputsRuleSet with overrideAction none (AWS_WAF_MANAGED_RULE_GROUPS)",
      check: (tf) =>
        tf.resources("aws_wafv2_web_acl").flatMap((acl): Finding[] => {
          const groups = managedGroups(acl);
          const missing = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"].filter((g) => !groups.some((x) => x.name === g && !x.counted));
          return missing.length === 0 ? [] : [{ item: acl, message: `does not block with ${missing.join(", ")}` }];
        }),
    },
    {
      id: "AWS-LT-NO-PUBLIC-IP",
      cloud: "aws",
      category: "public-exposure",
      title: "Launch templates give instances no public IP",
      controls: ["AVD-AWS-0009", "AWS Security Hub AutoScaling.5"],
      fix: "set networkInterfaces[0].associatePublicIpAddress: 'false' and launch into application subnets",
      check: (tf) =>
        tf.resources("aws_launch_template", "aws_launch_configuration").flatMap((t): Finding[] => {
          const publicIp = t.type === "aws_launch_configuration" ? isTrue(t.body.associate_public_ip_address) : blocks(t.body.network_interfaces).some((n) => isTrue(n.associate_public_ip_address));
          return publicIp ? [{ item: t, message: "associate_public_ip_address is true" }] : [];
        }),
    },

    // --- encryption at rest --------------------------------------------------------------------------------
    resourceRule(
      {
        id: "AWS-LT-VOLUMES-ENCRYPTED",
        cloud: "aws",
        category: "encryption-at-rest",
        title: "Launch templates encrypt every EBS volume they define, the root volume included",
        controls: ["CKV_AWS_8", "AVD-AWS-0008"],
        fix: "add a blockDeviceMappings entry for the root device with ebs.encrypted 'true' and the stack's KMS key",
      },
      ["aws_launch_template"],
      (t) => {
        const ebs = blocks(t.body.block_device_mappings).map((m) => block(m.ebs)).filter((e): e is Record<string, any> => e !== undefined);
        if (ebs.length === 0) return "no block_device_mappings: the root volume is unencrypted unless the account default says otherwise";
        return ebs.every((e) => isTrue(e.encrypted)) ? undefined : "a block device mapping has encrypted != true";
      },
    ),

    // --- identity -------------------------------------------------------------------------------------------
    resourceRule(
      {
        id: "AWS-LT-IMDS-HOP-LIMIT",
        cloud: "aws",
        category: "identity",
        title: "Launch templates keep instance metadata on the instance (hop limit 1)",
        controls: ["CKV_AWS_341"],
        fix: "set metadataOptions.httpPutResponseHopLimit: 1",
      },
      ["aws_launch_template"],
      (t) => (Number(block(t.body.metadata_options)?.http_put_response_hop_limit) === 1 ? undefined : `http_put_response_hop_limit is ${block(t.body.metadata_options)?.http_put_response_hop_limit ?? "unset"}`),
    ),

    // --- availability ------------------------------------------------------------------------------------------
    resourceRule(
      {
        id: "AWS-ASG-LAUNCH-TEMPLATE",
        cloud: "aws",
        category: "network",
        title: "Auto Scaling groups launch from a launch template (IMDSv2 and encryption are set there)",
        controls: ["CKV_AWS_315", "AWS Security Hub AutoScaling.9"],
        fix: "give the AutoscalingGroup a launchTemplate { id, version } instead of a launch configuration",
      },
      ["aws_autoscaling_group"],
      (g) => (block(g.body.launch_template) || block(g.body.mixed_instances_policy) ? undefined : "no launch_template"),
    ),
    {
      id: "AWS-ASG-ELB-HEALTH",
      cloud: "aws",
      category: "backup",
      title: "Auto Scaling groups behind a load balancer replace instances that fail its health check",
      controls: ["CKV2_AWS_15", "AWS Security Hub AutoScaling.1"],
      fix: "set healthCheckType: 'ELB' (and a grace period) on the AutoscalingGroup",
      check: (tf) =>
        tf.resources("aws_autoscaling_group").flatMap((g): Finding[] =>
          attachedTargetGroups(tf, g).length > 0 && g.body.health_check_type !== "ELB" ? [{ item: g, message: `health_check_type is ${g.body.health_check_type ?? "EC2 (default)"}` }] : [],
        ),
    },
    resourceRule(
      {
        id: "AWS-ASG-MULTI-AZ",
        cloud: "aws",
        category: "backup",
        title: "Auto Scaling groups span at least two zones",
        controls: ["AWS Security Hub AutoScaling.2"],
        fix: "pass the application subnets of every zone in vpcZoneIdentifier",
      },
      ["aws_autoscaling_group"],
      (g) => {
        const n = strings(g.body.vpc_zone_identifier).length + strings(g.body.availability_zones).length;
        return n >= 2 || isExpression(g.body.vpc_zone_identifier) ? undefined : `covers ${n} zone${n === 1 ? "" : "s"}`;
      },
    ),
    resourceRule(
      {
        id: "AWS-ASG-ROLLING-REPLACEMENT",
        cloud: "aws",
        category: "backup",
        title: "Auto Scaling groups replace instances a few at a time when the template changes, never all at once",
        controls: ["project rule (AWS Well-Architected REL08-BP04)"],
        fix: "set instanceRefresh { strategy: 'Rolling', preferences.minHealthyPercentage >= 50 } (or an instance maintenance policy)",
      },
      ["aws_autoscaling_group"],
      (g) => {
        const refresh = block(g.body.instance_refresh);
        if (!refresh || refresh.strategy !== "Rolling") return "no rolling instance_refresh: a new template version reaches instances only when they happen to be replaced";
        const min = block(refresh.preferences)?.min_healthy_percentage ?? block(g.body.instance_maintenance_policy)?.min_healthy_percentage ?? 90;
        return Number(min) >= 50 ? undefined : `min_healthy_percentage is ${min}: more than half of the group may be replaced at once`;
      },
    ),
    resourceRule(
      {
        id: "AWS-LB-DELETION-PROTECTION",
        cloud: "aws",
        category: "deletion-safety",
        title: "Load balancers have deletion protection, and Terraform refuses to destroy an internet-facing one (its DNS name is what the domain points at)",
        controls: ["CKV_AWS_150", "AWS Security Hub ELB.6"],
        fix: "set deletionProtection: true on the HTTPS entry (enableDeletionProtection and lifecycle.prevent_destroy)",
      },
      lbTypes,
      (lb) =>
        lb.body.enable_deletion_protection !== true
          ? "enable_deletion_protection is not true"
          : awsMustSurviveDestroy("aws_lb", lb.body) && block(lb.body.lifecycle)?.prevent_destroy !== true
            ? "lifecycle.prevent_destroy is not true: a destroy would delete the listeners before the API refuses the load balancer, and a new one has another DNS name"
            : undefined,
    ),
    resourceRule(
      {
        id: "AWS-ACM-CREATE-BEFORE-DESTROY",
        cloud: "aws",
        category: "deletion-safety",
        title: "ACM certificates are replaced before they are destroyed (a listener holds them)",
        controls: ["CKV_AWS_233"],
        fix: "set lifecycle { createBeforeDestroy: true } on the AcmCertificate",
      },
      ["aws_acm_certificate"],
      (c) => (c.body.lifecycle?.create_before_destroy === true ? undefined : "lifecycle.create_before_destroy is not true"),
    ),

    // --- logging --------------------------------------------------------------------------------------------
    resourceRule(
      {
        id: "AWS-LB-ACCESS-LOGS",
        cloud: "aws",
        category: "logging",
        title: "Load balancers write access logs to S3",
        controls: ["CKV_AWS_91", "AWS Security Hub ELB.5"],
        fix: "set accessLogs { bucket, enabled: true } (the AWS HTTPS entry creates the log bucket)",
      },
      lbTypes,
      (lb) => {
        const logs = block(lb.body.access_logs);
        return logs?.bucket && logs.enabled !== false ? undefined : "access_logs is not enabled";
      },
    ),
    {
      id: "AWS-WAF-LOGGING",
      cloud: "aws",
      category: "logging",
      title: "Web ACLs log the requests they inspect",
      controls: ["CKV2_AWS_31", "AWS Security Hub WAF.11"],
      fix: "add a Wafv2WebAclLoggingConfiguration to an aws-waf-logs- log group",
      check: (tf) =>
        tf.resources("aws_wafv2_web_acl").flatMap((acl): Finding[] =>
          tf.referencing("aws_wafv2_web_acl_logging_configuration", acl, ["resource_arn"]).length > 0 ? [] : [{ item: acl, message: "no logging configuration" }],
        ),
    },
  ];
}
