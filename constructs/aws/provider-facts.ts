/**
 * What the AWS provider (hashicorp/aws 5.100.0) does with every resource and
 * data source type the AWS stacks emit: which attributes force a new
 * resource, which companions or conflicts it has, which APIs it calls, which
 * values AWS changes by itself, and how our output keeps each of them stable.
 *
 * One row per type, reviewed against the provider's schema and CRUD code
 * (`source`) and, for the replacement-forcing attributes, measured with the
 * 5.100.0 binary (a synthetic prior state, one attribute changed at a time,
 * `terraform plan -refresh=false`, `replace_paths`). The serving types (app
 * tier and HTTPS entry) were measured the same way: every top-level attribute
 * the stacks set, changed one at a time; the ones listed are those that
 * replaced the resource. docs/aws-provider-review.md
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
  | "provider-suppressed"
  /** AWS (or the provider's Read) returns the value in one normal form; we write it in that form (`when`), so what is read back equals the configuration. */
  | "read-back-form";

export interface DriftFact {
  /** Attribute (top level, as in the Terraform JSON). */
  readonly attribute: string;
  /** What changes it without Terraform. */
  readonly cause: string;
  readonly guard: DriftGuard;
  /** For `provider-suppressed` and `read-back-form`: the condition, in words and as a check on the synthesized resource body. */
  readonly when?: { readonly text: string; readonly holds: (body: Readonly<Record<string, any>>) => boolean };
}

export interface ProviderFact {
  readonly type: string;
  readonly kind: "resource" | "data";
  /** Holds data or evidence (database, bucket, key, secret, log store, table): Terraform must refuse to destroy it where deletion protection is on. */
  readonly stateful: boolean;
  /**
   * Holds no data, but the instances this selects are what the outside world points at (the domain's
   * record names the internet-facing load balancer's DNS name, which a new load balancer does not keep):
   * Terraform must refuse to destroy them where deletion protection is on, like the stateful types.
   */
  readonly mustSurvive?: { readonly instances: string; readonly applies: (body: Readonly<Record<string, any>>) => boolean };
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
  {
    type: "aws_iam_service_linked_role",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["aws_service_name", "custom_suffix"],
    companions: ["custom_suffix is allowed only for services that accept it (EC2 Auto Scaling does); the role name is AWSServiceRoleFor<Service>_<suffix>, 64 characters at most"],
    apis: ["iam:CreateServiceLinkedRole", "iam:GetRole (retried until IAM returns it)", "iam:DeleteServiceLinkedRole and iam:GetServiceLinkedRoleDeletionStatus (refused while a group uses it)"],
    drift: [
      {
        attribute: "custom_suffix",
        cause: "read back from the role name by splitting it on \"_\": a suffix containing \"_\" reads back empty, and the role would be replaced at every plan",
        guard: "read-back-form",
        when: {
          text: "the suffix contains no \"_\"",
          holds: (b) => typeof b.custom_suffix !== "string" || !b.custom_suffix.includes("_"),
        },
      },
    ],
    stability:
      "one role per app tier, suffix <prefix>-<tier> hashed to fit 35 characters; the account's default AWSServiceRoleForAutoScaling is never touched, so stacks in one account do not fight over it; Terraform deletes the group first (it references the role)",
    source: "internal/service/iam/service_linked_role.go: resourceServiceLinkedRole (ForceNew aws_service_name, custom_suffix), DecodeServiceLinkedRoleID (splits the role name on \"_\"), resourceServiceLinkedRoleDelete",
  },
  {
    type: "aws_kms_grant",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "key_id", "grantee_principal", "operations", "constraints", "grant_creation_tokens", "retire_on_delete"],
    companions: ["grantee_principal must be a principal KMS can resolve: the provider retries CreateGrant while IAM propagates a role created seconds earlier"],
    apis: ["kms:CreateGrant (retried on InvalidArnException, DependencyTimeout, KMSInternal)", "kms:ListGrants", "kms:RevokeGrant (retire_on_delete false), then waits until the grant is gone"],
    drift: [],
    stability: "one grant per app tier, to its service-linked role, with the operations AWS documents for Auto Scaling launching encrypted volumes; any change is a revoke and a new grant (cheap); the group depends on it",
    source: "internal/service/kms/grant.go: resourceGrant (every argument ForceNew), resourceGrantCreate (retry on IAM propagation), resourceGrantDelete",
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
  {
    type: "aws_launch_template",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "name_prefix"],
    companions: [
      "update_default_version conflicts with default_version",
      "ebs.encrypted, delete_on_termination, associate_public_ip_address and ebs_optimized are nullable booleans written as strings (\"true\"/\"false\")",
      "block_device_mappings must name the image's root device (/dev/xvda for Amazon Linux 2023), or they add a second volume",
      "provider default tags reach the template, not the instances: tag_specifications tags instances, volumes and interfaces",
    ],
    apis: ["ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion (every update: a new version)", "ec2:ModifyLaunchTemplate (default version)", "ec2:DescribeLaunchTemplateVersions", "ec2:DeleteLaunchTemplate (every version)"],
    drift: [
      {
        attribute: "image_id",
        cause: "taken from data.aws_ami most_recent, which returns a new Amazon Linux 2023 image about every week: following it would write a new version and roll every instance at the next apply",
        guard: "ignore_changes",
      },
      { attribute: "default_version", cause: "becomes the newest version at every update (update_default_version)", guard: "not-set" },
    ],
    stability:
      "fixed name; every other change (user data, instance type, volume) is a new version the group follows through tostring(latest_version), rolled by an instance refresh; the image is kept after creation (a new one: `terraform apply -replace` of the template)",
    source: "internal/service/ec2/ec2_launch_template.go: resourceLaunchTemplate (schema: only name/name_prefix ForceNew; nullable booleans), resourceLaunchTemplateUpdate (CreateLaunchTemplateVersion, ModifyLaunchTemplate)",
  },
  {
    type: "aws_autoscaling_group",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "name_prefix"],
    companions: [
      "exactly one of launch_template, launch_configuration and mixed_instances_policy",
      "vpc_zone_identifier conflicts with availability_zones",
      "target_group_arns conflicts in practice with aws_autoscaling_attachment on the same group (both write the attachments): the group ignores it",
      "service_linked_role_arn: the role must exist and may use the volumes' KMS key (a grant), or launches fail with Client.InternalError",
    ],
    apis: [
      "autoscaling:CreateAutoScalingGroup (retried only on an invalid instance profile)",
      "autoscaling:UpdateAutoScalingGroup",
      "autoscaling:StartInstanceRefresh (when launch_template changes)",
      "autoscaling:DescribeAutoScalingGroups (waits for desired capacity InService, wait_for_capacity_timeout 10 m)",
      "autoscaling:DeleteAutoScalingGroup (drains first: min/max/desired 0)",
    ],
    drift: [
      { attribute: "desired_capacity", cause: "CPU target tracking moves it between min_size and max_size", guard: "ignore_changes" },
      { attribute: "target_group_arns", cause: "Optional+Computed: filled with the target groups aws_autoscaling_attachment adds", guard: "ignore_changes" },
    ],
    stability:
      "fixed name; sizes, subnets, health checks and the template version change in place; a new template version starts a rolling instance refresh (min healthy 100 %, max healthy 110 %), never a replacement of the group",
    source:
      "internal/service/autoscaling/group.go: resourceGroup (ForceNew name, name_prefix), resourceGroupCreate (retry on invalid instance profile, waitGroupCapacitySatisfied), resourceGroupUpdate (shouldRefreshInstances on launch_template), resourceGroupDelete (drainGroup)",
  },
  {
    type: "aws_autoscaling_policy",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "autoscaling_group_name"],
    companions: ["policy_type TargetTrackingScaling needs target_tracking_configuration (and no step or simple-scaling arguments)"],
    apis: ["autoscaling:PutScalingPolicy", "autoscaling:DescribePolicies", "autoscaling:DeletePolicy"],
    drift: [],
    stability: "named <group>-cpu after the group; the CPU target changes in place (PutScalingPolicy)",
    source: "internal/service/autoscaling/policy.go: resourcePolicy (ForceNew name, autoscaling_group_name), resourcePolicyCreate/Update (PutScalingPolicy)",
  },
  {
    type: "aws_autoscaling_attachment",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["autoscaling_group_name", "lb_target_group_arn"],
    companions: ["exactly one of elb and lb_target_group_arn", "the group must ignore target_group_arns"],
    apis: ["autoscaling:AttachLoadBalancerTargetGroups", "autoscaling:DescribeLoadBalancerTargetGroups", "autoscaling:DetachLoadBalancerTargetGroups"],
    drift: [],
    stability: "attaches the entry's target group after the entry is built (the tier does not know its entry); a new target group (new port) is a detach and an attach",
    source: "internal/service/autoscaling/attachment.go: resourceAttachment (both arguments ForceNew), resourceAttachmentCreate/Delete",
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
  // --- HTTPS entry -----------------------------------------------------------------
  {
    type: "aws_lb",
    kind: "resource",
    stateful: false,
    mustSurvive: {
      instances: "internet-facing load balancers: the domain's record names their DNS name, which a new load balancer does not keep",
      applies: (b) => b.internal !== true,
    },
    forcesReplacement: ["name", "name_prefix", "internal", "load_balancer_type"],
    companions: [
      "access_logs.enabled: ELB writes a test object first, so the bucket policy must exist (depends_on), or creation fails with Access Denied",
      "subnets in at least two zones",
      "enable_deletion_protection is enforced by the API at delete time (after Terraform has destroyed the listeners and the WAF association): prevent_destroy refuses at plan time instead",
    ],
    apis: [
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:SetSubnets / SetSecurityGroups",
      "elasticloadbalancing:DescribeLoadBalancers (waits for active)",
      "elasticloadbalancing:DeleteLoadBalancer (OperationNotPermitted with deletion protection)",
    ],
    drift: [],
    stability:
      "name ≤ 32 characters, hashed when longer, fixed per stack; deletion protection and, with it, prevent_destroy (its DNS name is what the domain points at); subnets, security groups and attributes change in place",
    source: "internal/service/elbv2/load_balancer.go: resourceLoadBalancer (ForceNew name, name_prefix, internal, load_balancer_type), resourceLoadBalancerCreate (waitLoadBalancerActive), resourceLoadBalancerDelete",
  },
  {
    type: "aws_lb_listener",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["load_balancer_arn"],
    companions: [
      "HTTPS needs certificate_arn of an ISSUED certificate: the listener takes the validation's certificate_arn, so it waits for issuance",
      "a redirect action's host, path and query default to #{host}, /#{path}, #{query}: we set protocol, port and status code only",
    ],
    apis: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyListenerAttributes (HSTS header)", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DeleteListener"],
    drift: [],
    stability: "certificate, TLS policy, actions and the HSTS header change in place (ModifyListener)",
    source: "internal/service/elbv2/listener.go: resourceListener (ForceNew load_balancer_arn), resourceListenerCreate/Update",
  },
  {
    type: "aws_lb_target_group",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "name_prefix", "port", "protocol", "protocol_version", "target_type", "vpc_id"],
    companions: ["a listener forwarding to it blocks its deletion (ResourceInUse): create_before_destroy with the port in the name lets the listener move first"],
    apis: ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroup (health check)", "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup"],
    drift: [],
    stability: "named <prefix>-<entry>-<port> (hashed to 32): a new port is a new group, created before the old one is deleted; the health check changes in place",
    source: "internal/service/elbv2/target_group.go: resourceTargetGroup (ForceNew name, port, protocol, protocol_version, target_type, vpc_id), resourceTargetGroupCreate/Update/Delete",
  },
  {
    type: "aws_acm_certificate",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["domain_name", "subject_alternative_names", "validation_method", "key_algorithm"],
    companions: ["a certificate in use by a listener cannot be deleted (ResourceInUse): create_before_destroy", "DNS validation: the CNAME in domain_validation_options must exist before the certificate is issued"],
    apis: ["acm:RequestCertificate", "acm:DescribeCertificate", "acm:ListTagsForCertificate", "acm:DeleteCertificate (refused while in use)"],
    drift: [{ attribute: "subject_alternative_names", cause: "Optional+Computed (and ForceNew): read back from the certificate, the domain itself included", guard: "not-set" }],
    stability:
      "one name per entry (the profile's domain), RSA 2048 and DNS validation fixed; create_before_destroy; domain_validation_options is a computed set, read as tolist(...)[0] (one domain, one record)",
    source: "internal/service/acm/certificate.go: resourceCertificate (ForceNew domain_name, subject_alternative_names, validation_method, key_algorithm), resourceCertificateCreate/Delete",
  },
  {
    type: "aws_acm_certificate_validation",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["certificate_arn", "validation_record_fqdns"],
    companions: ["with validation_record_fqdns, every DNS validation record of the certificate must be listed", "without a managed zone, the records are created elsewhere and the create waits (75 minutes)"],
    apis: ["acm:DescribeCertificate (waits for ISSUED)", "delete: nothing (forgets it)"],
    drift: [],
    stability: "Read drops it from state when the certificate is no longer ISSUED, and the next plan waits again; it exists only so the listener waits for issuance",
    source: "internal/service/acm/certificate_validation.go: resourceCertificateValidation (both arguments ForceNew), resourceCertificateValidationCreate (waitCertificateIssued), resourceCertificateValidationRead",
  },
  {
    type: "aws_route53_record",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["zone_id", "name"],
    companions: ["records/ttl conflict with alias", "creating a record that exists fails unless allow_overwrite (set only on ACM's validation CNAME, which ACM reuses for the same name)"],
    apis: ["route53:ChangeResourceRecordSets (UPSERT/CREATE/DELETE, waits for INSYNC)", "route53:ListResourceRecordSets"],
    drift: [],
    stability: "emitted only with a Route 53 zone in the profile: the alias A record (updated in place when the load balancer changes) and the validation CNAME",
    source: "internal/service/route53/record.go: resourceRecord (ForceNew zone_id, name), resourceRecordCreate/Update (type changes are a delete and create inside one change batch)",
  },
  {
    type: "aws_wafv2_web_acl",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["name", "scope"],
    companions: ["REGIONAL for an ALB", "deleting an associated web ACL fails: the association is destroyed first (it references the ACL)", "rule statements are written in the provider's snake_case (the binding types statement as any)"],
    apis: ["wafv2:CreateWebACL", "wafv2:UpdateWebACL (lock token)", "wafv2:GetWebACL", "wafv2:DeleteWebACL"],
    drift: [],
    stability: "name from the stack prefix; rules change in place; managed rule groups follow AWS's default version (no version pinned, so nothing drifts in state)",
    source: "internal/service/wafv2/web_acl.go: resourceWebACL (ForceNew name, scope), resourceWebACLCreate/Update/Delete",
  },
  {
    type: "aws_wafv2_web_acl_association",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["resource_arn", "web_acl_arn"],
    companions: ["the load balancer must be active: AssociateWebACL is retried on WAFUnavailableEntityException"],
    apis: ["wafv2:AssociateWebACL", "wafv2:GetWebACLForResource", "wafv2:DisassociateWebACL"],
    drift: [],
    stability: "one per entry; a replaced ACL or load balancer re-associates",
    source: "internal/service/wafv2/web_acl_association.go: resourceWebACLAssociation (both ForceNew), resourceWebACLAssociationCreate (retry)",
  },
  {
    type: "aws_wafv2_web_acl_logging_configuration",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["resource_arn", "log_destination_configs"],
    companions: ["CloudWatch Logs destinations must be named aws-waf-logs-*", "delivery needs a log resource policy for delivery.logs.amazonaws.com (else WAF writes an account-wide one)"],
    apis: ["wafv2:PutLoggingConfiguration", "wafv2:GetLoggingConfiguration", "wafv2:DeleteLoggingConfiguration", "delivery: delivery.logs.amazonaws.com writes the log group"],
    drift: [
      {
        attribute: "redacted_fields",
        cause: "the API returns single_header names in lower case (schema comment; no diff suppression exists for it): an upper-case name would show a diff at every plan",
        guard: "read-back-form",
        when: {
          text: "every redacted header name is lower case",
          holds: (b) =>
            (Array.isArray(b.redacted_fields) ? b.redacted_fields : [b.redacted_fields ?? {}]).every((f: any) => {
              const name = (Array.isArray(f?.single_header) ? f.single_header[0] : f?.single_header)?.name;
              return typeof name !== "string" || name === name.toLowerCase();
            }),
        },
      },
    ],
    stability: "the log group's arn attribute (5.x: without the trailing :*) as the destination; redacted header names lower case",
    source: "internal/service/wafv2/web_acl_logging_configuration.go: resourceWebACLLoggingConfiguration (ForceNew log_destination_configs, resource_arn; single_header name comment), resourceWebACLLoggingConfigurationPut/Read",
  },
  {
    type: "aws_cloudwatch_log_resource_policy",
    kind: "resource",
    stateful: false,
    forcesReplacement: ["policy_name"],
    companions: ["at most 10 resource policies per account and region", "the document is compared semantically"],
    apis: ["logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DeleteResourcePolicy"],
    drift: [],
    stability: "one per entry, named <prefix>-<entry>-waf-log-delivery, scoped to its own log group with aws:SourceAccount and aws:SourceArn; the document changes in place",
    source: "internal/service/logs/resource_policy.go: resourceResourcePolicy (ForceNew policy_name), resourceResourcePolicyPut",
  },
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
    type: "aws_elb_service_account",
    kind: "data",
    stateful: false,
    forcesReplacement: [],
    companions: ["only regions of its table (accountIDPerRegionMap); elsewhere it errors with unsupported AWS Region"],
    apis: ["none (a table in the provider)"],
    drift: [],
    stability: "read only in the regions of AWS_ELB_ACCOUNT_LOG_DELIVERY_REGIONS; newer regions deliver as the logdelivery.elasticloadbalancing service principal, which the log bucket policy admits everywhere",
    source: "internal/service/elb/service_account_data_source.go: dataSourceServiceAccountRead (accountIDPerRegionMap)",
  },
  {
    type: "aws_route53_zone",
    kind: "data",
    stateful: false,
    forcesReplacement: [],
    companions: ["private_zone false: the public zone of that name must exist in the account"],
    apis: ["route53:ListHostedZones / GetHostedZone (at every plan)"],
    drift: [],
    stability: "read only when the profile names a dnsZone; its zone_id is the records' zone (ForceNew there, but a zone's id never changes)",
    source: "internal/service/route53/zone_data_source.go: dataSourceZoneRead",
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

/** Types some of whose instances hold no data but must survive a destroy where deletion protection is on (policy AWS-LB-DELETION-PROTECTION). */
export const AWS_MUST_SURVIVE_TYPES: readonly string[] = AWS_PROVIDER_FACTS.filter((f) => f.mustSurvive).map((f) => f.type);

/** Whether Terraform must refuse to destroy this resource where deletion protection is on: it holds data, or it is what the outside world points at. */
export function awsMustSurviveDestroy(type: string, body: Readonly<Record<string, any>>): boolean {
  const fact = providerFact(type);
  return fact !== undefined && fact.kind === "resource" && (fact.stateful || (fact.mustSurvive?.applies(body) ?? false));
}
