/**
 * The AWS platform of one stack: the provider with default tags, and the
 * pieces every AWS construct shares (one KMS key, the zone list, account and
 * partition lookups), each created once, on first use.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { BudgetProps } from "../budget";
import { NetworkProps } from "../network";
import { ObjectStoreProps } from "../object-store";
import { CloudPlatform, PlatformContext } from "../platform";
import { PostgresDatabaseProps } from "../postgres-database";
import { VirtualMachineProps } from "../virtual-machine";
import { AwsBudget } from "./budget";
import { AwsNetwork } from "./network";
import { AwsObjectStore } from "./object-store";
import { AwsPostgresDatabase } from "./postgres-database";
import { AwsVirtualMachine } from "./virtual-machine";

/** The provider constraint of the reference design, narrowed to the binding's minor (`@cdktf/provider-aws` 20.1 = AWS 5.100). */
export const AWS_PROVIDER_CONSTRAINT = "~> 5.100";

export class AwsPlatform implements CloudPlatform {
  public readonly cloud = "aws" as const;
  public readonly provider: AwsProvider;
  /** `<project>-<environment>`, the prefix of every name. */
  public readonly namePrefix: string;
  private key?: KmsKey;
  private zoneData?: DataAwsAvailabilityZones;
  private identity?: DataAwsCallerIdentity;
  private partitionData?: DataAwsPartition;

  constructor(
    public readonly stack: Construct,
    public readonly context: PlatformContext,
  ) {
    this.namePrefix = `${context.project}-${context.environment}`;
    this.provider = new AwsProvider(stack, "aws", {
      region: context.region,
      defaultTags: [{ tags: { ...context.tags } }],
    });
    TerraformStack.of(stack).addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_CONSTRAINT);
  }

  /** One customer-managed key per stack, rotated yearly, for volumes, databases, buckets, logs and secrets. */
  public get encryptionKey(): KmsKey {
    if (!this.key) {
      const logsPrincipal = `logs.${this.context.region}.amazonaws.com`;
      this.key = new KmsKey(this.stack, "kms", {
        description: `${this.namePrefix}: encryption at rest for volumes, databases, buckets and logs`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AccountAdministersKeyThroughIam",
              Effect: "Allow",
              Principal: { AWS: `arn:${this.partition}:iam::${this.accountId}:root` },
              Action: "kms:*",
              Resource: "*",
            },
            {
              Sid: "CloudWatchLogsEncryptsThisStacksLogGroups",
              Effect: "Allow",
              Principal: { Service: logsPrincipal },
              Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
              Resource: "*",
              Condition: {
                ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${this.partition}:logs:${this.context.region}:${this.accountId}:log-group:*` },
              },
            },
          ],
        }),
        tags: { Name: `${this.namePrefix}-kms` },
      });
      new KmsAlias(this.stack, "kms-alias", { name: `alias/${this.namePrefix}`, targetKeyId: this.key.keyId });
    }
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
    const region = opts.region === false ? "" : this.context.region;
    const account = opts.account === false ? "" : this.accountId;
    return `arn:${this.partition}:${service}:${region}:${account}:${resource}`;
  }

  public createNetwork(scope: Construct, id: string, props: NetworkProps): AwsNetwork {
    return new AwsNetwork(scope, id, this, props);
  }

  public createVirtualMachine(scope: Construct, id: string, props: VirtualMachineProps): AwsVirtualMachine {
    return new AwsVirtualMachine(scope, id, this, props);
  }

  public createObjectStore(scope: Construct, id: string, props: ObjectStoreProps): AwsObjectStore {
    return new AwsObjectStore(scope, id, this, props);
  }

  public createPostgresDatabase(scope: Construct, id: string, props: PostgresDatabaseProps): AwsPostgresDatabase {
    return new AwsPostgresDatabase(scope, id, this, props);
  }

  public createBudget(scope: Construct, id: string, props: BudgetProps): AwsBudget {
    return new AwsBudget(scope, id, this, props);
  }
}

/** An IAM trust policy letting one AWS service assume a role. */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}
