/**
 * AWS encryption key: a customer-managed KMS key with yearly rotation, a
 * 30-day deletion window and an alias. The key policy lets the account
 * administer it through IAM and lets CloudWatch Logs use it for this
 * account's log groups in the key's region; everything else is granted per
 * identity. With deletion protection Terraform refuses to destroy it
 * (`prevent_destroy`): everything encrypted with it would become unreadable.
 */
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { displayName, relationshipScope } from "../connections";
import { IGrantable, principalOn } from "../grants";
import { IEncryptionKey } from "../secrets";
import { claimName, recordDecision } from "../stack";
import { AwsPlatform, policyDocument } from "./platform";

/** Days between ScheduleKeyDeletion and the key's deletion (the longest AWS allows). */
export const KMS_DELETION_WINDOW_DAYS = 30;

export interface AwsEncryptionKeyProps {
  /** The alias (without `alias/`). @default - `<name prefix>-<id>` */
  readonly alias?: string;
  /**
   * Terraform refuses to destroy the key (`prevent_destroy`). When false the decision
   * `no-deletion-protection` is recorded and destroy schedules its deletion.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /** The provider (region) the key lives in. @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** The region of `provider`, for the CloudWatch Logs statement and grants. @default - the stack's region */
  readonly region?: string;
}

export class AwsEncryptionKey extends Construct implements IEncryptionKey {
  public readonly cloud = "aws" as const;
  public readonly resource: KmsKey;
  public readonly keyRef: string;
  public readonly alias: KmsAlias;
  /** The region the key lives in (KMS keys are regional). */
  public readonly region: string;
  private readonly granted = new Set<string>();

  constructor(scope: Construct, id: string, props: AwsEncryptionKeyProps = {}) {
    super(scope, id);
    const platform = AwsPlatform.of(this);
    const region = props.region ?? platform.region;
    const deletionProtection = props.deletionProtection ?? true;
    this.region = region;
    const alias = claimName(this, "aws:kms-alias", `alias/${props.alias ?? `${platform.namePrefix}-${id}`}`, "encryption key alias");
    this.resource = new KmsKey(this, "Resource", {
      provider: props.provider,
      description: `${alias}: encryption at rest for volumes, databases, buckets, logs and secrets`,
      enableKeyRotation: true,
      deletionWindowInDays: KMS_DELETION_WINDOW_DAYS,
      policy: policyDocument([
        {
          Sid: "AccountAdministersKeyThroughIam",
          Effect: "Allow",
          Principal: { AWS: `arn:${platform.partition}:iam::${platform.accountId}:root` },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
          Effect: "Allow",
          Principal: { Service: `logs.${region}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${platform.partition}:logs:${region}:${platform.accountId}:log-group:*` },
          },
        },
      ]),
      tags: { Name: alias.replace(/^alias\//, "") },
      lifecycle: deletionProtection ? { preventDestroy: true } : undefined,
    });
    if (!deletionProtection) recordDecision(this.resource, "no-deletion-protection");
    this.keyRef = this.resource.arn;
    this.alias = new KmsAlias(this, "alias", { provider: props.provider, name: alias, targetKeyId: this.resource.keyId });
  }

  public grantEncryptDecrypt(grantee: IGrantable): void {
    const p = principalOn(`Key '${this.node.path}'.grantEncryptDecrypt`, grantee, "aws");
    if (this.granted.has(grantee.node.path)) return;
    this.granted.add(grantee.node.path);
    const { scope, crossStack } = relationshipScope(this, grantee);
    new IamRolePolicy(scope, crossStack ? `grant-encrypt-decrypt-on-${displayName(this)}` : `grant-${grantee.node.id}`, {
      name: `${this.node.id}-encrypt-decrypt`,
      role: p.roleName,
      policy: policyDocument([{ Sid: "UseThisKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: [this.keyRef] }]),
    });
  }

  /**
   * Lets an AWS service-linked role use this key for what the service creates on our behalf (EC2 Auto Scaling
   * launching volumes encrypted with it). A KMS grant, created by the deployer in `scope` and revoked on
   * destroy, rather than a key-policy statement: a key policy naming a role that does not exist yet is
   * refused, and the grant names exactly one role and the operations it needs.
   */
  public grantToServiceLinkedRole(scope: Construct, id: string, roleArn: string, operations: readonly string[]): KmsGrant {
    return new KmsGrant(scope, id, { name: `${displayName(scope)}-${id}`, keyId: this.resource.keyId, granteePrincipal: roleArn, operations: [...operations] });
  }
}
