/**
 * AWS compute identity: an IAM role for EC2 with its instance profile (no
 * permissions until granted) and a security group in the VPC that admits
 * nothing until a connection says so. Its only egress is HTTPS (AWS APIs,
 * package repositories, through NAT) plus what connections add.
 */
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { Construct } from "constructs";
import { ComputeIdentityProps, IComputeIdentity, validateComputeIdentityProps } from "../compute-identity";
import { AwsPrincipal } from "../grants";
import { claimName } from "../stack";
import { checkAwsName } from "./naming";
import { AwsConnections } from "./connections";
import { AwsNetwork } from "./network";
import { AwsPlatform, assumeRolePolicy } from "./platform";

export class AwsComputeIdentity extends Construct implements IComputeIdentity {
  public readonly cloud = "aws" as const;
  /** The IAM role. */
  public readonly resource: IamRole;
  public readonly instanceProfile: IamInstanceProfile;
  public readonly securityGroup: SecurityGroup;
  public readonly network: AwsNetwork;
  public readonly connections: AwsConnections;
  public readonly grantPrincipal: AwsPrincipal;

  constructor(scope: Construct, id: string, props: ComputeIdentityProps) {
    super(scope, id);
    const platform = AwsPlatform.of(this);
    const p = validateComputeIdentityProps("aws", id, props);
    this.network = AwsNetwork.of(p.network);
    const name = claimName(this, "aws:iam-role", checkAwsName("iamRole", "computeIdentity.name", `${platform.namePrefix}-${p.name}`), "IAM role name");

    this.resource = new IamRole(this, "Resource", {
      name,
      description: `${p.description}; permissions come only from explicit grants`,
      assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com"),
    });
    this.instanceProfile = new IamInstanceProfile(this, "profile", { name, role: this.resource.name });
    this.grantPrincipal = { cloud: "aws", roleName: this.resource.name, roleArn: this.resource.arn };

    this.securityGroup = new SecurityGroup(this, "sg", {
      name,
      description: `${p.description}: only the inbound rules connections add`,
      vpcId: this.network.resource.id,
      tags: { Name: name },
    });
    new VpcSecurityGroupEgressRule(this, "egress-https", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS to AWS APIs and package repositories (through NAT)",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });
    this.connections = new AwsConnections(this, this.securityGroup.id);
  }
}
