/**
 * AWS secret: a Secrets Manager secret known by its ARN (e.g. the master
 * secret RDS manages for a database). Reading it needs `GetSecretValue` on
 * that one secret and `kms:Decrypt` of its key through Secrets Manager only.
 */
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { displayName, relationshipScope } from "../connections";
import { IGrantable, principalOn } from "../grants";
import { ISecret } from "../secrets";
import { AwsPlatform, policyDocument } from "./platform";

export interface AwsSecretProps {
  /** The secret's ARN (a reference). */
  readonly secretArn: string;
  /** The KMS key ARN the secret is encrypted with. */
  readonly kmsKeyArn: string;
}

export class AwsSecret extends Construct implements ISecret {
  public readonly cloud = "aws" as const;
  public readonly secretRef: string;
  private readonly kmsKeyArn: string;
  private readonly granted = new Set<string>();

  constructor(scope: Construct, id: string, props: AwsSecretProps) {
    super(scope, id);
    this.secretRef = props.secretArn;
    this.kmsKeyArn = props.kmsKeyArn;
  }

  public grantRead(grantee: IGrantable): void {
    const p = principalOn(`Secret '${this.node.path}'.grantRead`, grantee, "aws");
    if (this.granted.has(grantee.node.path)) return;
    this.granted.add(grantee.node.path);
    const platform = AwsPlatform.of(this);
    const { scope, crossStack } = relationshipScope(this, grantee);
    new IamRolePolicy(scope, crossStack ? `grant-read-on-${displayName(this)}` : `grant-read-${grantee.node.id}`, {
      name: `${this.node.scope?.node.id ?? this.node.id}-${this.node.id}-read`,
      role: p.roleName,
      policy: policyDocument([
        { Sid: "ReadThisSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [this.secretRef] },
        {
          Sid: "DecryptItThroughSecretsManagerOnly",
          Effect: "Allow",
          Action: ["kms:Decrypt"],
          Resource: [this.kmsKeyArn],
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${platform.region}.amazonaws.com` } },
        },
      ]),
    });
  }
}
