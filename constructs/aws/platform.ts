/**
 * The AWS platform of one stack: the provider with default tags, and the
 * pieces every AWS construct shares (the stack's KMS key, the zone list,
 * account and partition lookups), each created once, on first use.
 * Constructs find it with `AwsPlatform.of(this)`.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IConstruct } from "constructs";
import { CloudPlatform, platformOf } from "../platform";
import { CloudStack } from "../stack";
import { AwsEncryptionKey } from "./encryption-key";

/** The provider constraint of the reference design, narrowed to the binding's minor (`@cdktf/provider-aws` 20.1 = AWS 5.100). */
export const AWS_PROVIDER_CONSTRAINT = "~> 5.100";

export class AwsPlatform implements CloudPlatform {
  /** The AWS platform of the stack `scope` is in; fails when the stack is not an AWS CloudStack. */
  public static of(scope: IConstruct): AwsPlatform {
    return platformOf<AwsPlatform>(scope, "aws", CloudStack.of(scope));
  }

  public readonly cloud = "aws" as const;
  public readonly provider: AwsProvider;
  /** `<project>-[<component>-]<environment>`, the prefix of every name. */
  public readonly namePrefix: string;
  public readonly region: string;
  private key?: AwsEncryptionKey;
  private zoneData?: DataAwsAvailabilityZones;
  private identity?: DataAwsCallerIdentity;
  private partitionData?: DataAwsPartition;

  constructor(public readonly stack: CloudStack) {
    this.namePrefix = stack.namePrefix;
    this.region = stack.region;
    this.provider = new AwsProvider(stack, "aws", {
      region: stack.region,
      defaultTags: [{ tags: { ...stack.tags } }],
    });
    stack.addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_CONSTRAINT);
  }

  /** The stack's customer-managed key (one per stack, rotated yearly): the default for volumes, databases, buckets, logs and secrets. */
  public get encryptionKey(): AwsEncryptionKey {
    this.key ??= new AwsEncryptionKey(this.stack, "kms", { alias: this.namePrefix });
    return this.key;
  }

  /** Zones of the region from the `aws_availability_zones` data source: no hard-coded zone letters. */
  public get zones(): DataAwsAvailabilityZones {
    this.zoneData ??= new DataAwsAvailabilityZones(this.stack, "zones", { state: "available", filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] });
    return this.zoneData;
  }

  public get accountId(): string {
    this.identity ??= new DataAwsCallerIdentity(this.stack, "caller");
    return this.identity.accountId;
  }

  public get partition(): string {
    this.partitionData ??= new DataAwsPartition(this.stack, "partition");
    return this.partitionData.partition;
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>` for this stack's account and region. */
  public arn(service: string, resource: string, opts: { region?: boolean; account?: boolean } = {}): string {
    const region = opts.region === false ? "" : this.region;
    const account = opts.account === false ? "" : this.accountId;
    return `arn:${this.partition}:${service}:${region}:${account}:${resource}`;
  }
}

/** An IAM trust policy letting one AWS service assume a role. */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/** An inline policy document from statements. */
export function policyDocument(statements: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
