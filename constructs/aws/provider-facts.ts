/**
 * What the AWS provider (hashicorp/aws 5.100.0) does with every resource and
 * data source type the AWS stacks emit: which attributes force a new
 * resource, which companions or conflicts it has, which APIs it calls, which
 * values AWS changes by itself, and how our output keeps each of them stable.
 *
 * One row per type, reviewed against the provider's schema and CRUD code
 * (`source`) and, for the replacement-forcing attributes, measured with the
 * 5.100.0 binary (a synthetic prior state, one attribute changed at a time,
 * `terraform plan -refresh=false`, `replace_paths`). docs/aws-provider-review.md
 * is generated from this module (scripts/aws-provider-review.ts), and
 * __tests__/aws-replacement-safety.test.ts holds the synthesized stacks to it:
 * a type without a row, or a drifting attribute that is neither unset nor
 * ignored nor provably suppressed, fails the test.
 *
 * Provider-free: no binding is loaded.
 */

/** How an attribute that AWS (or a data source) changes by itself is kept from causing a diff. */
export type DriftGuard =
  /** We never set it: whatever AWS puts there is what Terraform expects. */
  | "not-set"
  /** `lifecycle.ignore_changes` lists it: Terraform keeps the value it created the resource with. */
  | "ignore_changes"
  /** The provider suppresses the diff, under a condition our output must meet (`when`). */
  | "provider-suppressed";

export interface DriftFact {
  /** Attribute (top level, as in the Terraform JSON). */
  readonly attribute: string;
  /** What changes it without Terraform. */
  readonly cause: string;
  readonly guard: DriftGuard;
  /** For `provider-suppressed`: the condition, in words and as a check on the synthesized resource body. */
  readonly when?: { readonly text: string; readonly holds: (body: Readonly<Record<string, any>>) => boolean };
}

export interface ProviderFact {
  readonly type: string;
  readonly kind: "resource" | "data";
  /** Holds data or evidence (database, bucket, key, secret, log store, table): Terraform must refuse to destroy it where deletion protection is on. */
  readonly stateful: boolean;
  /** Attributes whose change plans a replacement (those we set, plus the ones a reader should know). Dotted for nested blocks. */
  readonly forcesReplacement: readonly string[];
  /** Conflicts between attributes, and what must exist or be set with it. */
  readonly companions: readonly string[];
  /** The APIs (and data-plane calls) Terraform makes for it. */
  readonly apis: readonly string[];
  /** Values AWS, or a data source, changes by itself after creation. */
  readonly drift: readonly DriftFact[];
  /**
   * Data sources only: the result can differ from one plan to the next (a new image, a zone list). A
   * replacement-forcing attribute that references it must be in `ignore_changes`.
   */
  readonly changesBetweenPlans?: boolean;
  /** How our output keeps the replacement-forcing attributes, and the resource, stable. */
  readonly stability: string;
  /** Where in hashicorp/terraform-provider-aws this was read (file: functions). */
  readonly source: string;
}

const sub = (type: string, apis: string[], extra: Partial<ProviderFact> = {}): ProviderFact => ({
  type,
  kind: "resource",
  stateful: false,
  forcesReplacement: ["bucket", "expected_bucket_owner"],
  companions: ["the bucket must exist (reference to its id)"],
  apis,
  drift: [],
  stability: "`bucket` is the bucket's id reference; every other argument is updated in place",
  source: `internal/service/s3/${type.replace(/^aws_s3_/, "").replace(/_a$/, "")}.go: resource schema and Create/Read/Update/Delete`,
  ...extra,
});

export const AWS_PROVIDER_FACTS: readonly ProviderFact[] = [
  // --- network ---------------------------------------------------------------
  {
    type: "aws_vpc",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["cidr_block", "instance_tenancy", "ipv4_ipam_pool_id"],
    companions: ["every network resource references it; replacing it replaces all of them"],
    apis: ["ec2:CreateVpc", "ec2:ModifyVpcAttribute", "ec2:DescribeVpcs", "ec2:DeleteVpc (DependencyViolation while ENIs remain)"],
    drift: [],
    stability: "cidr_block comes from the network props and never changes for a stack",
    source: "internal/service/ec2/vpc_.go: resourceVPC, resourceVPCCreate/Update/Delete",
  },
  {
    type: "aws_subnet",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["availability_zone", "availability_zone_id", "cidr_block", "vpc_id"],
    companions: ["NAT gateways, route table associations, the VM (subnet_id) and the DB subnet group depend on it"],
    apis: ["ec2:CreateSubnet", "ec2:ModifySubnetAttribute", "ec2:DescribeSubnets", "ec2:DeleteSubnet (retries DependencyViolation)"],
    drift: [
      {
        attribute: "availability_zone",
        cause: "taken from data.aws_availability_zones, read again at every plan: a zone that becomes impaired or is added shifts the sorted list",
        guard: "ignore_changes",
      },
    ],
    stability: "the zone is chosen at creation and kept (ignore_changes); a precondition refuses a list shorter than zoneCount; cidr_block from the shared address plan",
    source: "internal/service/ec2/vpc_subnet.go: resourceSubnet (ForceNew availability_zone), ec2_availability_zones_data_source.go: dataSourceAvailabilityZonesRead (sorted by name)",
  },
  {
    type: "aws_internet_gateway",
    kind: "resource",
    stateful: false,
    forcesReplacement: [],
    companions: ["NAT gateways depend on it (depends_on), so they are created after it and destroyed before it"],
    apis: ["ec2:CreateInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway", "ec2:DeleteInternetGateway"],
    drift: [],
    stability: "vpc_id changes attach/detach in place",
    source: "internal/service/ec2/vpc_internet_gateway.go: resourceInternetGateway, Create/Update/Delete",
  },
  {
    type: "aws_eip",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["domain", "network_border_group", "address", "customer_owned_ipv4_pool", "public_ipv4_pool"],
    companions: ["allocated for a NAT gateway (allocation_id)"],
    apis: ["ec2:AllocateAddress", "ec2:DescribeAddresses", "ec2:ReleaseAddress (the public IP is gone for good)"],
    drift: [],
    stability: "domain is always vpc",
    source: "internal/service/ec2/ec2_eip.go: resourceEIP, resourceEIPCreate/Delete",
  },
  {
    type: "aws_nat_gateway",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["allocation_id", "subnet_id", "connectivity_type", "private_ip"],
    companions: ["depends_on the internet gateway (AWS documents it)", "public connectivity needs allocation_id"],
    apis: ["ec2:CreateNatGateway", "ec2:DescribeNatGateways", "ec2:DeleteNatGateway (minutes; the EIP is released afterwards)"],
    drift: [{ attribute: "private_ip", cause: "AWS assigns it from the subnet", guard: "not-set" }],
    stability: "allocation_id and subnet_id reference resources of the same stack that do not change",
    source: "internal/service/ec2/vpc_nat_gateway.go: resourceNATGateway, Create/Delete",
  },
  {
    type: "aws_route",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["route_table_id", "destination_cidr_block"],
    companions: ["never mixed with inline route blocks of the same table"],
    apis: ["ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute"],
    drift: [],
    stability: "targets (nat_gateway_id, gateway_id) change with ReplaceRoute in place",
    source: "internal/service/ec2/vpc_route.go: resourceRoute, Create/Update/Delete",
  },
  {
    type: "aws_route_table",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["vpc_id"],
    companions: ["routes are separate aws_route resources (no inline route blocks)"],
    apis: ["ec2:CreateRouteTable", "ec2:DescribeRouteTables", "ec2:DeleteRouteTable"],
    drift: [],
    stability: "vpc_id is the stack's VPC",
    source: "internal/service/ec2/vpc_route_table.go: resourceRouteTable",
  },
  {
    type: "aws_route_table_association",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["subnet_id", "gateway_id"],
    companions: ["exactly one of subnet_id and gateway_id"],
    apis: ["ec2:AssociateRouteTable", "ec2:ReplaceRouteTableAssociation", "ec2:DisassociateRouteTable"],
    drift: [],
    stability: "route_table_id changes in place",
    source: "internal/service/ec2/vpc_route_table_association.go: resourceRouteTableAssociation",
  },
  {
    type: "aws_default_security_group",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["vpc_id"],
    companions: ["adopts the VPC's default group; rules not in config are revoked (we declare none: closed)"],
    apis: ["ec2:DescribeSecurityGroups", "ec2:RevokeSecurityGroupIngress/Egress", "destroy only forgets it (a default group cannot be deleted)"],
    drift: [],
    stability: "a rule added outside Terraform is revoked at the next apply (wanted: the group stays closed)",
    source: "internal/service/ec2/vpc_default_security_group.go: resourceDefaultSecurityGroupCreate/Read",
  },
  {
    type: "aws_security_group",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "name_prefix", "description", "vpc_id"],
    companions: ["no inline ingress/egress with aws_vpc_security_group_*_rule (they would fight)", "created without egress: the provider revokes AWS's default allow-all egress"],
    apis: ["ec2:CreateSecurityGroup", "ec2:RevokeSecurityGroupEgress", "ec2:DescribeSecurityGroups", "ec2:DeleteSecurityGroup (waits while ENIs use it)"],
    drift: [],
    stability: "name and description are built from the stack prefix and construct id only; changing their wording replaces the group (and detaches it from RDS/EC2 in place)",
    source: "internal/service/ec2/vpc_security_group.go: resourceSecurityGroup, resourceSecurityGroupCreate (egress revoke)",
  },
  {
    type: "aws_vpc_security_group_ingress_rule",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["security_group_id"],
    companions: ["one of cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_security_group_id"],
    apis: ["ec2:AuthorizeSecurityGroupIngress", "ec2:ModifySecurityGroupRules", "ec2:RevokeSecurityGroupIngress"],
    drift: [],
    stability: "ports, peers and descriptions change with ModifySecurityGroupRules in place",
    source: "internal/service/ec2/vpc_security_group_ingress_rule.go: securityGroupRuleResource Create/Update/Delete",
  },
  {
    type: "aws_vpc_security_group_egress_rule",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["security_group_id"],
    companions: ["one of cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_security_group_id"],
    apis: ["ec2:AuthorizeSecurityGroupEgress", "ec2:ModifySecurityGroupRules", "ec2:RevokeSecurityGroupEgress"],
    drift: [],
    stability: "ports, peers and descriptions change with ModifySecurityGroupRules in place",
    source: "internal/service/ec2/vpc_security_group_egress_rule.go",
  },
  {
    type: "aws_flow_log",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["vpc_id", "traffic_type", "log_destination", "log_destination_type", "iam_role_arn", "max_aggregation_interval"],
    companions: ["log_destination_type cloud-watch-logs needs iam_role_arn (a role vpc-flow-logs.amazonaws.com may assume, allowed to write the group)"],
    apis: ["ec2:CreateFlowLogs", "ec2:DescribeFlowLogs", "ec2:DeleteFlowLogs", "iam:PassRole"],
    drift: [],
    stability: "every argument is fixed per stack; a change would leave a short gap in flow logs",
    source: "internal/service/ec2/vpc_flow_log.go: resourceFlowLog (all arguments ForceNew)",
  },
  // --- logs, keys, identity --------------------------------------------------
  {
    type: "aws_cloudwatch_log_group",
    kind: "resource",
    stateful: true,
    forcesReplacement: ["name", "name_prefix", "log_group_class"],
    companions: [
      "kms_key_id: the key policy must let logs.<region>.amazonaws.com use the key for this account's log groups",
      "RDS log groups must exist before the instance (depends_on), or RDS creates them unencrypted and without retention",
    ],
    apis: ["logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:AssociateKmsKey", "logs:DescribeLogGroups", "logs:DeleteLogGroup (deletes every event)"],
    drift: [],
    stability: "names are fixed per stack; prevent_destroy with deletion protection (the events are audit evidence)",
    source: "internal/service/logs/group.go: resourceGroup, resourceGroupCreate/Update/Delete",
  },
  {
    type: "aws_kms_key",
    kind: "resource",
    stateful: true,
    forcesReplacement: ["key_usage", "customer_master_key_spec", "multi_region", "custom_key_store_id", "xks_key_id"],
    companions: [
      "every principal in the policy must exist (the provider retries CreateKey while IAM propagates)",
      "bypass_policy_lockout_safety_check stays false",
    ],
    apis: [
      "kms:CreateKey",
      "kms:EnableKeyRotation (after create: a refusal taints the key)",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListResourceTags",
      "kms:PutKeyPolicy",
      "kms:ScheduleKeyDeletion (7-30 days, never immediate)",
    ],
    drift: [{ attribute: "rotation_period_in_days", cause: "AWS's default rotation period (365 days) is read back", guard: "not-set" }],
    stability:
      "we set none of the replacement-forcing arguments; the policy is compared semantically (AWS reorders it); prevent_destroy with deletion protection, since everything encrypted with it becomes unreadable after the deletion window",
    source: "internal/service/kms/key.go: resourceKeyCreate (rotation after CreateKey), resourceKeyUpdate, resourceKeyDelete (ScheduleKeyDeletion)",
  },
  {
    type: "aws_kms_alias",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "name_prefix"],
    companions: ["name starts with alias/ and is unique per account and region"],
    apis: ["kms:CreateAlias", "kms:UpdateAlias", "kms:ListAliases", "kms:DeleteAlias (immediate)"],
    drift: [],
    stability: "the alias is the stack prefix (or, for the state key, derived from the bucket name); target_key_id changes in place",
    source: "internal/service/kms/alias.go: resourceAlias",
  },
  {
    type: "aws_iam_role",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "name_prefix", "path"],
    companions: ["policies are separate aws_iam_role_policy / _attachment resources (no inline_policy, no managed_policy_arns)"],
    apis: ["iam:CreateRole", "iam:GetRole", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole (DeleteConflict while policies are attached)"],
    drift: [],
    stability: "names are the stack prefix and the construct id, checked against IAM's 64 characters",
    source: "internal/service/iam/role.go: resourceRole, resourceRoleCreate/Delete",
  },
  {
    type: "aws_iam_role_policy",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "name_prefix", "role"],
    companions: ["the role must exist"],
    apis: ["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"],
    drift: [],
    stability: "policy documents change in place (PutRolePolicy); names derive from construct ids",
    source: "internal/service/iam/role_policy.go: resourceRolePolicy",
  },
  {
    type: "aws_iam_role_policy_attachment",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["policy_arn", "role"],
    companions: [],
    apis: ["iam:AttachRolePolicy", "iam:ListAttachedRolePolicies", "iam:DetachRolePolicy"],
    drift: [],
    stability: "a replacement is a cheap detach/attach",
    source: "internal/service/iam/role_policy_attachment.go",
  },
  {
    type: "aws_iam_instance_profile",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "name_prefix", "path"],
    companions: ["the instance references it by name; deleting it waits for the instance"],
    apis: ["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
    drift: [],
    stability: "named like its role",
    source: "internal/service/iam/instance_profile.go",
  },
  // --- compute -----------------------------------------------------------------
  {
    type: "aws_instance",
    kind: "resource",
    stateful: false,
    forcesReplacement: [
      "ami",
      "subnet_id",
      "associate_public_ip_address",
      "availability_zone",
      "ebs_optimized",
      "root_block_device.encrypted",
      "root_block_device.kms_key_id",
    ],
    companions: [
      "iam_instance_profile must exist (the provider retries while IAM propagates)",
      "root_block_device.tags conflicts with volume_tags",
      "user_data changes in place (stop/start) unless user_data_replace_on_change",
    ],
    apis: ["ec2:RunInstances", "ec2:DescribeInstances", "ec2:ModifyInstanceAttribute (instance_type: stop/modify/start)", "ec2:ModifyVolume", "ec2:TerminateInstances"],
    drift: [
      {
        attribute: "ami",
        cause: "taken from data.aws_ami most_recent, which returns a new Amazon Linux 2023 image about every week",
        guard: "ignore_changes",
      },
    ],
    stability: "the image is chosen at creation and kept (ignore_changes; a new image is a deliberate `terraform apply -replace`); subnet, encryption and public-IP settings are fixed per stack",
    source: "internal/service/ec2/ec2_instance.go: resourceInstance (ForceNew ami, subnet_id, root_block_device.*), resourceInstanceCreate/Update",
  },
  // --- database ------------------------------------------------------------------
  {
    type: "aws_db_subnet_group",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "name_prefix"],
    companions: ["subnets in at least two zones", "AWS refuses to remove a subnet the instance currently uses"],
    apis: ["rds:CreateDBSubnetGroup", "rds:ModifyDBSubnetGroup", "rds:DescribeDBSubnetGroups", "rds:DeleteDBSubnetGroup"],
    drift: [],
    stability: "named after the instance identifier; subnet_ids change in place",
    source: "internal/service/rds/subnet_group.go: resourceSubnetGroup",
  },
  {
    type: "aws_db_parameter_group",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "name_prefix", "family", "description"],
    companions: [
      "create_before_destroy with a fixed name only works if every replacement also changes the name: the name carries the family (major version) and the description is a constant",
      "static parameters (shared_preload_libraries) need apply_method pending-reboot",
    ],
    apis: ["rds:CreateDBParameterGroup", "rds:ModifyDBParameterGroup", "rds:ResetDBParameterGroup", "rds:DescribeDBParameters", "rds:DeleteDBParameterGroup"],
    drift: [],
    stability: "Read keeps user-set parameters plus the configured ones, so AWS's hundreds of defaults never diff; every parameter is pending-reboot",
    source: "internal/service/rds/parameter_group.go: resourceParameterGroup (description ForceNew), resourceParameterGroupRead (user parameters), parameterChunksForModify",
  },
  {
    type: "aws_db_instance",
    kind: "resource",
    stateful: true,
    forcesReplacement: ["engine", "username", "db_name", "storage_encrypted", "kms_key_id", "availability_zone", "character_set_name", "snapshot_identifier"],
    companions: [
      "manage_master_user_password conflicts with password and password_wo; password_wo needs password_wo_version",
      "max_allocated_storage > allocated_storage turns storage autoscaling on",
      "monitoring_interval > 0 needs monitoring_role_arn",
      "skip_final_snapshot = false needs final_snapshot_identifier",
      "enabled_cloudwatch_logs_exports: the log groups first (depends_on)",
    ],
    apis: [
      "rds:CreateDBInstance (RDS creates the master secret in Secrets Manager with master_user_secret_kms_key_id)",
      "rds:DescribeDBInstances",
      "rds:ModifyDBInstance (apply_immediately false: in the maintenance window)",
      "rds:DeleteDBInstance (refused with deletion_protection; final snapshot)",
    ],
    drift: [
      {
        attribute: "allocated_storage",
        cause: "storage autoscaling grows the volume up to max_allocated_storage",
        guard: "provider-suppressed",
        when: {
          text: "max_allocated_storage > allocated_storage (the DiffSuppressFunc ignores a configured size below the grown one while autoscaling is on)",
          holds: (b) => typeof b.max_allocated_storage === "number" && typeof b.allocated_storage === "number" && b.max_allocated_storage > b.allocated_storage,
        },
      },
      {
        attribute: "engine_version",
        cause: "automatic minor version upgrades (auto_minor_version_upgrade) move 16.x to 16.y",
        guard: "provider-suppressed",
        when: {
          text: "only the major version is configured (compareActualEngineVersion keeps '16' while the actual version is 16.y)",
          holds: (b) => typeof b.engine_version === "string" && /^\d+$/.test(b.engine_version),
        },
      },
      { attribute: "availability_zone", cause: "a Multi-AZ failover makes the standby's zone the primary's", guard: "not-set" },
      { attribute: "iops", cause: "gp3 baseline IOPS rise when autoscaling passes 400 GB", guard: "not-set" },
      { attribute: "storage_throughput", cause: "gp3 baseline throughput rises when autoscaling passes 400 GB", guard: "not-set" },
    ],
    stability:
      "identifier, username, db_name, engine and the KMS key are fixed per stack; prevent_destroy and deletion_protection with a final snapshot in production; the master password never enters config or state (RDS-managed, or write-only)",
    source:
      "internal/service/rds/instance.go: ResourceInstance (allocated_storage DiffSuppressFunc, ForceNew list), resourceInstanceCreate/Update/Delete; internal/service/rds/engine_version.go: compareActualEngineVersion",
  },
  {
    type: "aws_secretsmanager_secret",
    kind: "resource",
    stateful: true,
    forcesReplacement: ["name", "name_prefix"],
    companions: ["a deleted name stays reserved for recovery_window_in_days (0 deletes at once: staging)", "kms_key_id: readers need kms:Decrypt through Secrets Manager"],
    apis: ["secretsmanager:CreateSecret", "secretsmanager:DescribeSecret", "secretsmanager:UpdateSecret", "secretsmanager:DeleteSecret"],
    drift: [],
    stability: "named after the database identifier; prevent_destroy with deletion protection (only emitted for password-variable credentials)",
    source: "internal/service/secretsmanager/secret.go: resourceSecret, resourceSecretCreate/Delete",
  },
  {
    type: "aws_secretsmanager_secret_version",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["secret_id", "secret_string", "secret_binary", "secret_string_wo_version"],
    companions: ["secret_string_wo needs secret_string_wo_version and conflicts with secret_string/secret_binary"],
    apis: ["secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue (without the write-only value)", "secretsmanager:UpdateSecretVersionStage"],
    drift: [],
    stability: "rotation is a new version: bumping secret_string_wo_version (the credentials' version) writes a new one; the value is write-only",
    source: "internal/service/secretsmanager/secret_version.go: resourceSecretVersion (secret_string_wo, secret_string_wo_version)",
  },
  // --- object storage -----------------------------------------------------------
  {
    type: "aws_s3_bucket",
    kind: "resource",
    stateful: true,
    forcesReplacement: ["bucket", "bucket_prefix", "object_lock_enabled"],
    companions: ["settings are separate aws_s3_bucket_* resources (the inline arguments are deprecated and computed)"],
    apis: [
      "s3:CreateBucket",
      "s3:PutBucketTagging (after create: a refusal taints the bucket)",
      "s3:HeadBucket and every Get* of the bucket's settings on read",
      "s3:DeleteBucket (force_destroy: ListObjectVersions + DeleteObjects, repeated until empty: data plane)",
    ],
    drift: [],
    stability: "names are the stack prefix, base name and a hash of the construct path; prevent_destroy without force_destroy in production, force_destroy in staging",
    source: "internal/service/s3/bucket.go: resourceBucketCreate (bucketCreateTags), resourceBucketRead, resourceBucketDelete (emptyBucket, recursive retry on BucketNotEmpty)",
  },
  sub("aws_s3_bucket_versioning", ["s3:PutBucketVersioning", "s3:GetBucketVersioning", "destroy suspends versioning"], {
    stability: "status Enabled is never changed (destroying it would suspend versioning)",
  }),
  sub("aws_s3_bucket_server_side_encryption_configuration", ["s3:PutBucketEncryption", "s3:GetBucketEncryption", "s3:DeleteBucketEncryption (S3 keeps SSE-S3 as the floor)"], {
    companions: ["the bucket must exist", "aws:kms needs a key the writers may use through S3; access-log destinations must be AES256"],
  }),
  sub("aws_s3_bucket_public_access_block", ["s3:PutPublicAccessBlock", "s3:GetPublicAccessBlock", "s3:DeletePublicAccessBlock"], { forcesReplacement: ["bucket"] }),
  sub("aws_s3_bucket_ownership_controls", ["s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls", "s3:DeleteBucketOwnershipControls"], {
    forcesReplacement: ["bucket"],
    companions: ["BucketOwnerEnforced disables ACLs: log delivery must be granted by bucket policy"],
  }),
  sub("aws_s3_bucket_policy", ["s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"], {
    forcesReplacement: ["bucket"],
    companions: ["depends_on the public access block (S3 refuses a policy while it is being applied)"],
    stability: "the document is compared semantically; it changes in place",
  }),
  sub("aws_s3_bucket_lifecycle_configuration", ["s3:PutBucketLifecycleConfiguration", "s3:GetBucketLifecycleConfiguration (retried until consistent)", "s3:DeleteBucketLifecycle"], {
    companions: ["filter { prefix = \"\" } means the whole bucket (an absent filter is warned about in 5.x)"],
    drift: [{ attribute: "transition_default_minimum_object_size", cause: "S3's default (all_storage_classes_128K) is read back", guard: "not-set" }],
  }),
  sub("aws_s3_bucket_logging", ["s3:PutBucketLogging", "s3:GetBucketLogging", "log delivery: logging.s3.amazonaws.com PutObject into the target"], {
    forcesReplacement: ["bucket", "expected_bucket_owner"],
    companions: [
      "the target bucket is in the same region and account, SSE-S3 encrypted, with a policy letting logging.s3.amazonaws.com put objects under the prefix for this source (aws:SourceArn)",
      "target_grant is impossible with BucketOwnerEnforced",
    ],
    stability: "measured: only bucket forces a new resource; target and prefix change in place",
  }),
  sub(
    "aws_s3_bucket_replication_configuration",
    ["s3:PutBucketReplication", "s3:GetBucketReplication", "s3:DeleteBucketReplication", "replication: the role reads versions and writes them into the replica (data plane, asynchronous)"],
    {
      forcesReplacement: ["bucket"],
      companions: [
        "versioning Enabled on source and destination first (depends_on both)",
        "a role s3.amazonaws.com may assume (iam:PassRole)",
        "SSE-KMS objects: source_selection_criteria.sse_kms_encrypted_objects and destination.encryption_configuration.replica_kms_key_id",
        "delete_marker_replication needs a filter (V2 rules)",
        "the replica bucket lives in another region: an aliased provider",
      ],
      stability: "measured: only bucket forces a new resource; role and rules change in place",
    },
  ),
  // --- budget and state backend ----------------------------------------------
  {
    type: "aws_budgets_budget",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "name_prefix", "account_id"],
    companions: ["cost_filter TagKeyValue needs the tag activated as a cost allocation tag (constructs/aws/prerequisites.ts)"],
    apis: ["budgets:CreateBudget", "budgets:CreateNotification", "budgets:DescribeBudget", "budgets:UpdateBudget", "budgets:DeleteBudget"],
    drift: [
      { attribute: "time_period_start", cause: "AWS sets the start of the current period", guard: "not-set" },
      { attribute: "time_period_end", cause: "AWS sets the far end of an open-ended budget", guard: "not-set" },
    ],
    stability: "named <prefix>-budget",
    source: "internal/service/budgets/budget.go: resourceBudget",
  },
  {
    type: "aws_dynamodb_table",
    kind: "resource",
    stateful: true,
    forcesReplacement: ["name", "hash_key", "range_key"],
    companions: ["an attribute block for every key", "Terraform's S3 backend expects hash key LockID (type S)"],
    apis: [
      "dynamodb:CreateTable (tags, SSE, deletion protection in the request)",
      "dynamodb:UpdateContinuousBackups (after create: a refusal taints the table)",
      "dynamodb:DescribeTable",
      "dynamodb:DescribeContinuousBackups",
      "dynamodb:DeleteTable (refused with deletion protection)",
    ],
    drift: [
      { attribute: "read_capacity", cause: "reported by AWS (0 for PAY_PER_REQUEST)", guard: "not-set" },
      { attribute: "write_capacity", cause: "reported by AWS (0 for PAY_PER_REQUEST)", guard: "not-set" },
    ],
    stability: "name and key from the backend configuration; prevent_destroy and deletion_protection_enabled",
    source: "internal/service/dynamodb/table.go: resourceTableCreate (PITR after CreateTable), resourceTableRead",
  },
  // --- data sources ---------------------------------------------------------------
  {
    type: "aws_ami",
    kind: "data",
    stateful: false,
    forcesReplacement: [],
    companions: ["most_recent with an owner and a name filter"],
    apis: ["ec2:DescribeImages (at every plan)"],
    drift: [],
    changesBetweenPlans: true,
    stability: "its id changes whenever Amazon publishes an image: the instance ignores later changes of ami",
    source: "internal/service/ec2/ec2_ami_data_source.go: dataSourceAMIRead",
  },
  {
    type: "aws_availability_zones",
    kind: "data",
    stateful: false,
    forcesReplacement: [],
    companions: ["state = available and opt-in-not-required zones only"],
    apis: ["ec2:DescribeAvailabilityZones (at every plan)"],
    drift: [],
    changesBetweenPlans: true,
    stability: "its list can change at any plan: subnets ignore later changes of availability_zone",
    source: "internal/service/ec2/ec2_availability_zones_data_source.go: dataSourceAvailabilityZonesRead",
  },
  {
    type: "aws_caller_identity",
    kind: "data",
    stateful: false,
    forcesReplacement: [],
    companions: [],
    apis: ["sts:GetCallerIdentity (at every plan: plans need credentials)"],
    drift: [],
    stability: "the account never changes for a stack",
    source: "internal/service/sts/caller_identity_data_source.go",
  },
  {
    type: "aws_partition",
    kind: "data",
    stateful: false,
    forcesReplacement: [],
    companions: [],
    apis: ["none (from the provider's region)"],
    drift: [],
    stability: "constant",
    source: "internal/service/meta/partition_data_source.go",
  },
  {
    type: "aws_iam_policy_document",
    kind: "data",
    stateful: false,
    forcesReplacement: [],
    companions: [],
    apis: ["none (rendered locally)"],
    drift: [],
    stability: "rendered from configuration only",
    source: "internal/service/iam/policy_document_data_source.go",
  },
  {
    type: "terraform_remote_state",
    kind: "data",
    stateful: false,
    forcesReplacement: [],
    companions: ["the platform stack is applied first; its state is read with the same backend (and the state key)"],
    apis: ["s3:GetObject of the platform stack's state (kms:Decrypt of the state key)"],
    drift: [],
    stability: "outputs of the platform stack of the same cloud and environment",
    source: "terraform builtin provider (hashicorp/terraform internal/builtin/providers/terraform)",
  },
];

/** The row of `type`, if any. */
export function providerFact(type: string): ProviderFact | undefined {
  return AWS_PROVIDER_FACTS.find((f) => f.type === type);
}
