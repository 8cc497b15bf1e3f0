/**
 * The AWS platform of one stack: the provider with default tags, and the
 * pieces every AWS construct shares (the stack's KMS key, the bucket that
 * receives S3 server access logs, the replica region's provider, key and
 * log bucket, the zone list, account and partition lookups), each created
 * once, on first use. Constructs find it with `AwsPlatform.of(this)`.
 *
 * Shared stateful pieces (keys, log buckets) follow the stack's profile:
 * with deletion protection Terraform refuses to destroy them.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IConstruct } from "constructs";
import { shortHash } from "../core";
import { CloudPlatform, platformOf } from "../platform";
import { CloudStack, claimName } from "../stack";
import { AwsAccessLogBucket } from "./bucket";
import { AwsEncryptionKey } from "./encryption-key";
import { checkAwsName } from "./naming";

/** The resources a stack keeps in its replica region (S3 cross-region replication targets), created on first use. */
export interface AwsReplicaRegion {
  readonly region: string;
  /** The aliased provider `aws.replica`. */
  readonly provider: AwsProvider;
  /** The replica region's customer-managed key (KMS keys are regional). */
  readonly encryptionKey: AwsEncryptionKey;
  /** The bucket receiving the replica buckets' server access logs (S3 logs only within a region). */
  readonly accessLogs: AwsAccessLogBucket;
}

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
  private logs?: AwsAccessLogBucket;
  private replicaRegion?: AwsReplicaRegion;
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

  /** Terraform refuses to destroy the stack's shared stateful resources (keys, log buckets): the profile's deletion protection. */
  public get deletionProtection(): boolean {
    return this.stack.profile.deletionProtection;
  }

  /** The stack's customer-managed key (one per stack, rotated yearly): the default for volumes, databases, buckets, logs and secrets. */
  public get encryptionKey(): AwsEncryptionKey {
    this.key ??= new AwsEncryptionKey(this.stack, "kms", { alias: this.namePrefix, deletionProtection: this.deletionProtection });
    return this.key;
  }

  /** The bucket receiving the S3 server access logs of every bucket of the stack (in the stack's region). */
  public get accessLogs(): AwsAccessLogBucket {
    this.logs ??= this.accessLogBucket("access-logs", this.region);
    return this.logs;
  }

  /** The replica region (`aws.replicaRegion`): aliased provider, key and access-log bucket, created on first use. */
  public get replica(): AwsReplicaRegion {
    if (!this.replicaRegion) {
      const region = this.stack.config.aws.replicaRegion;
      const provider = new AwsProvider(this.stack, "aws-replica", {
        alias: "replica",
        region,
        defaultTags: [{ tags: { ...this.stack.tags } }],
      });
      const encryptionKey = new AwsEncryptionKey(this.stack, "kms-replica", {
        alias: `${this.namePrefix}-replica`,
        deletionProtection: this.deletionProtection,
        provider,
        region,
      });
      this.replicaRegion = { region, provider, encryptionKey, accessLogs: this.accessLogBucket("access-logs-replica", region, provider) };
    }
    return this.replicaRegion;
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

  private accessLogBucket(id: string, region: string, provider?: AwsProvider): AwsAccessLogBucket {
    const base = `${this.namePrefix}-${id}`;
    const name = claimName(this.stack, "aws:s3-bucket", checkAwsName("s3Bucket", "project / environment (access-log bucket name)", `${base}-${shortHash(`aws/${base}/${region}`)}`), "bucket name");
    return new AwsAccessLogBucket(this.stack, id, { name, provider, deletionProtection: this.deletionProtection, sourceAccount: this.accountId });
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
