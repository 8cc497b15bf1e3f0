/**
 * AWS app tier: a launch template and an Auto Scaling group over the
 * application subnets of every zone of the network.
 *
 * - The template carries the VM's hardening: IMDSv2 only (hop limit 1), an
 *   encrypted gp3 root volume with the stack's KMS key, the tier's own
 *   instance profile, no public address, detailed monitoring, the newest
 *   Amazon Linux 2023 image.
 * - The image is the newest Amazon Linux 2023 at the first apply, then kept
 *   (`image_id` in `ignore_changes`, like the VM's `ami`): Amazon publishes a
 *   new image about every week, and following it would change the template,
 *   and roll every instance, at whatever apply comes next. Move to a new image
 *   on purpose: `terraform apply -replace=<template address>` (docs/aws.md).
 * - A change of user data, instance type or volume is a new template version:
 *   the group follows it (`latest_version`) and an instance refresh replaces
 *   the instances one at a time, launching the new one before terminating the
 *   old (min healthy 100 %, max healthy 110 %). The group is never replaced.
 * - Health is the load balancer's (`health_check_type = "ELB"`) once an entry
 *   attaches its target group; CPU target tracking owns `desired_capacity`
 *   after the first apply (Terraform ignores it from then on).
 * - The group launches through its own service-linked role (a custom suffix,
 *   so the stack creates and deletes it), and a KMS grant lets that role use
 *   the stack's key: without it an Auto Scaling group cannot launch volumes
 *   encrypted with a customer-managed key.
 * - Operator access: SSM Session Manager only (no SSH, no key pair, no open
 *   port); sessions are StartSession calls recorded by CloudTrail.
 */
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { AppTierProps, IAppTier, placeholderUserData, validateAppTierProps } from "../app-tier";
import { requireKind, shortHash } from "../core";
import { AwsPrincipal } from "../grants";
import { skuFor } from "../sizes";
import { claimName } from "../stack";
import { AwsComputeIdentity } from "./compute-identity";
import { AwsConnections } from "./connections";
import { AwsNetwork } from "./network";
import { AwsPlatform } from "./platform";
import { awsVmImage } from "./virtual-machine";

/** Root device of Amazon Linux 2023 images: the template's volume settings must name it, or they add a second volume. */
export const AWS_APP_TIER_ROOT_DEVICE = "/dev/xvda";

/**
 * How the group replaces instances (instance refresh and health replacements alike): never below the desired
 * capacity, at most 10 % above it. Auto Scaling rounds the 10 % up to one instance, so groups of up to ten
 * instances are replaced one at a time, a new one launched and healthy before an old one is terminated.
 */
export const AWS_APP_TIER_REPLACEMENT = { minHealthyPercentage: 100, maxHealthyPercentage: 110 } as const;

/** Attributes of the launch template Terraform leaves as they are after creation (see the file comment). */
export const AWS_APP_TIER_TEMPLATE_IGNORED_CHANGES = ["image_id"] as const;

/** Seconds a new instance gets to boot and pass the load balancer's health check before it counts. */
export const AWS_APP_TIER_WARMUP_SECONDS = 300;

/** AWS managed policy that lets the SSM agent register the instance for Session Manager. */
export const AWS_SSM_CORE_POLICY = "AmazonSSMManagedInstanceCore";

/** What EC2 Auto Scaling's service-linked role needs on a customer-managed key to launch encrypted volumes. */
export const AWS_AUTOSCALING_KEY_OPERATIONS = [
  "Encrypt",
  "Decrypt",
  "ReEncryptFrom",
  "ReEncryptTo",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "DescribeKey",
  "CreateGrant",
] as const;

/** `name` when it fits in `max` characters, else its head and a short hash of the whole (stable, still unique). */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  return `${name.slice(0, max - 7).replace(/-+$/, "")}-${shortHash(name)}`;
}

/** IAM role names have 64 characters; `AWSServiceRoleForAutoScaling_` takes 29 of them. */
const SERVICE_LINKED_ROLE_SUFFIX_MAX = 64 - "AWSServiceRoleForAutoScaling_".length;

export class AwsAppTier extends Construct implements IAppTier {
  public readonly cloud = "aws" as const;
  /** The Auto Scaling group. */
  public readonly resource: AutoscalingGroup;
  public readonly launchTemplate: LaunchTemplate;
  public readonly identity: AwsComputeIdentity;
  public readonly connections: AwsConnections;
  public readonly grantPrincipal: AwsPrincipal;
  public readonly network: AwsNetwork;
  public readonly port: number;
  public readonly healthCheckPath: string;
  /** The group's own service-linked role (`AWSServiceRoleForAutoScaling_<suffix>`). */
  public readonly serviceLinkedRole: IamServiceLinkedRole;
  /** The CPU target-tracking policy. */
  public readonly scalingPolicy: AutoscalingPolicy;
  /** The group's name (a reference), for attachments. */
  public readonly groupName: string;

  constructor(scope: Construct, id: string, props: AppTierProps) {
    super(scope, id);
    const platform = AwsPlatform.of(this);
    const p = validateAppTierProps("aws", id, props);
    this.network = AwsNetwork.of(p.network);
    const sku = skuFor("aws", p.size, "appTier.size");
    const name = claimName(this, "aws:autoscaling-group", `${platform.namePrefix}-${id}`, "Auto Scaling group name");
    this.port = p.port;
    this.healthCheckPath = p.healthCheckPath;

    this.identity = new AwsComputeIdentity(this, "identity", { network: this.network, name: id, description: `App tier ${name}` });
    this.connections = this.identity.connections;
    this.grantPrincipal = this.identity.grantPrincipal;
    if (p.operatorAccess) {
      // Session Manager: the agent reaches SSM over the identity's HTTPS egress; no inbound port is opened.
      new IamRolePolicyAttachment(this, "operator-access", {
        role: this.identity.resource.name,
        policyArn: `arn:${platform.partition}:iam::aws:policy/${AWS_SSM_CORE_POLICY}`,
      });
    }

    const ami = awsVmImage(this);

    const tags = { ...platform.stack.tags, Name: name };
    this.launchTemplate = new LaunchTemplate(this, "template", {
      name,
      description: `Instances of ${name}: IMDSv2, encrypted root volume, no public address`,
      imageId: ami.id,
      instanceType: sku.vm,
      // Every change is a new version that becomes the default; the group follows `latest_version`.
      updateDefaultVersion: true,
      ebsOptimized: "true",
      iamInstanceProfile: { arn: this.identity.instanceProfile.arn },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "enabled" },
      monitoring: { enabled: true },
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: "false",
          deleteOnTermination: "true",
          securityGroups: [this.identity.securityGroup.id],
        },
      ],
      blockDeviceMappings: [
        {
          deviceName: AWS_APP_TIER_ROOT_DEVICE,
          ebs: {
            encrypted: "true",
            kmsKeyId: platform.encryptionKey.keyRef,
            volumeType: "gp3",
            volumeSize: p.rootVolumeGb,
            deleteOnTermination: "true",
          },
        },
      ],
      userData: Fn.base64encode(p.userData ?? placeholderUserData(p.port, p.healthCheckPath)),
      // Provider default tags reach the template, not the instances the group launches: tag those here.
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags })),
      tags: { Name: name },
      // The image is chosen at creation and kept; a new one is a deliberate replacement of the template.
      lifecycle: { ignoreChanges: [...AWS_APP_TIER_TEMPLATE_IGNORED_CHANGES] },
    });

    this.serviceLinkedRole = new IamServiceLinkedRole(this, "service-role", {
      awsServiceName: "autoscaling.amazonaws.com",
      // No underscore: the provider reads the suffix back by splitting the role name on "_".
      customSuffix: claimName(this, "aws:autoscaling-role-suffix", fitName(name, SERVICE_LINKED_ROLE_SUFFIX_MAX), "service-linked role suffix"),
      description: `Launches the instances of ${name}`,
    });
    const keyGrant = platform.encryptionKey.grantToServiceLinkedRole(this, "key-grant", this.serviceLinkedRole.arn, [...AWS_AUTOSCALING_KEY_OPERATIONS]);

    this.resource = new AutoscalingGroup(this, "Resource", {
      name,
      vpcZoneIdentifier: this.network.subnets.application.map((s) => s.id),
      minSize: p.scaling.min,
      maxSize: p.scaling.max,
      desiredCapacity: p.scaling.desired,
      launchTemplate: { id: this.launchTemplate.id, version: Fn.tostring(this.launchTemplate.latestVersion) },
      serviceLinkedRoleArn: this.serviceLinkedRole.arn,
      healthCheckType: "ELB",
      healthCheckGracePeriod: AWS_APP_TIER_WARMUP_SECONDS,
      defaultInstanceWarmup: AWS_APP_TIER_WARMUP_SECONDS,
      instanceMaintenancePolicy: { ...AWS_APP_TIER_REPLACEMENT },
      instanceRefresh: {
        strategy: "Rolling",
        preferences: { ...AWS_APP_TIER_REPLACEMENT, skipMatching: true },
      },
      enabledMetrics: ["GroupDesiredCapacity", "GroupInServiceInstances", "GroupPendingInstances", "GroupTerminatingInstances", "GroupTotalInstances"],
      metricsGranularity: "1Minute",
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
      lifecycle: {
        // The autoscaler owns the instance count after the first apply; entries attach target groups separately.
        ignoreChanges: ["desired_capacity", "target_group_arns"],
      },
      // The first launch already needs the key grant (or the instances fail with Client.InternalError).
      dependsOn: [keyGrant],
    });
    this.groupName = this.resource.name;

    this.scalingPolicy = new AutoscalingPolicy(this, "cpu-target", {
      // The name is ForceNew; the target is not: a new target updates the policy in place.
      name: `${name}-cpu`,
      autoscalingGroupName: this.resource.name,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: p.cpuTargetPercent,
      },
    });
  }
}

/** `tier` as an AWS app tier; fails naming the field when it belongs to another cloud or is another implementation. */
export function awsAppTierOf(context: string, field: string, tier: IAppTier): AwsAppTier {
  return requireKind(AwsAppTier, tier, context, field, "an AwsAppTier of the same stack");
}
