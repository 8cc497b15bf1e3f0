/**
 * AWS VM: an EC2 instance from the latest Amazon Linux 2023 AMI (data-source
 * lookup), IMDSv2 only, encrypted gp3 root volume, detailed monitoring, its
 * own IAM role and instance profile (no permissions until granted), and a
 * security group that admits only the rules the stack asks for.
 */
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { requireSameCloud } from "../platform";
import { skuFor } from "../sizes";
import { IVirtualMachine, VirtualMachineProps, validateVirtualMachineProps } from "../virtual-machine";
import { AwsNetwork } from "./network";
import { AwsPlatform, assumeRolePolicy } from "./platform";

/** Amazon Linux 2023, x86_64, owned by Amazon: the newest image at plan time. */
export const AWS_VM_IMAGE = { owners: ["amazon"], namePattern: "al2023-ami-2023.*-x86_64" } as const;

export class AwsVirtualMachine extends Construct implements IVirtualMachine {
  public readonly cloud = "aws" as const;
  public readonly name: string;
  public readonly instance: Instance;
  public readonly role: IamRole;
  public readonly securityGroup: SecurityGroup;
  public readonly instanceId: string;
  public readonly privateIp: string;

  constructor(scope: Construct, id: string, platform: AwsPlatform, props: VirtualMachineProps) {
    super(scope, id);
    const p = validateVirtualMachineProps(id, props);
    const network = requireSameCloud("virtualMachine.network", p.network, AwsNetwork, "aws");
    const sku = skuFor("aws", p.size, "virtualMachine.size");
    const name = `${platform.namePrefix}-${id}`;
    this.name = id;

    const ami = new DataAwsAmi(this, "ami", {
      mostRecent: true,
      owners: [...AWS_VM_IMAGE.owners],
      filter: [
        { name: "name", values: [AWS_VM_IMAGE.namePattern] },
        { name: "architecture", values: ["x86_64"] },
        { name: "virtualization-type", values: ["hvm"] },
      ],
    });

    this.role = new IamRole(this, "role", {
      name: `${name}-vm`,
      description: `Identity of VM ${name}; permissions come only from explicit grants`,
      assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com"),
    });
    const profile = new IamInstanceProfile(this, "profile", { name: `${name}-vm`, role: this.role.name });

    this.securityGroup = new SecurityGroup(this, "sg", {
      name: `${name}-vm`,
      description: `VM ${name}: only the inbound rules the stack asks for`,
      vpcId: network.vpc.id,
      tags: { Name: `${name}-vm` },
    });
    p.ingress.forEach((rule, i) =>
      rule.sources.forEach(
        (source, j) =>
          new VpcSecurityGroupIngressRule(this, `ingress-${i + 1}-${j + 1}`, {
            securityGroupId: this.securityGroup.id,
            description: rule.description,
            ipProtocol: "tcp",
            fromPort: rule.port,
            toPort: rule.port,
            cidrIpv4: source,
          }),
      ),
    );
    new VpcSecurityGroupEgressRule(this, "egress-https", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS to AWS APIs and package repositories (through NAT)",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });

    const subnet = p.publicIp ? network.subnets.public[0] : network.subnets.application[0];
    this.instance = new Instance(this, "Resource", {
      ami: ami.id,
      instanceType: sku.vm,
      subnetId: subnet.id,
      vpcSecurityGroupIds: [this.securityGroup.id],
      iamInstanceProfile: profile.name,
      associatePublicIpAddress: p.publicIp,
      monitoring: true,
      ebsOptimized: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "enabled" },
      rootBlockDevice: {
        encrypted: true,
        kmsKeyId: platform.encryptionKey.arn,
        volumeType: "gp3",
        volumeSize: p.rootVolumeGb,
        deleteOnTermination: true,
        tags: { Name: `${name}-root` },
      },
      userData: p.userData,
      tags: { Name: name },
    });
    this.instanceId = this.instance.id;
    this.privateIp = this.instance.privateIp;
  }
}
