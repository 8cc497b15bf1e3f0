/**
 * AWS VM: an EC2 instance from the latest Amazon Linux 2023 AMI (data-source
 * lookup), IMDSv2 only, encrypted gp3 root volume, detailed monitoring, and
 * its own compute identity (IAM role + security group) that holds nothing
 * until granted and admits nothing until connected.
 *
 * The lookup picks the image at the first apply; `ami` is then in
 * `ignore_changes`, because it forces a new instance and Amazon publishes a
 * new image about every week (day two would replace the VM). Move to a new
 * image on purpose: `terraform apply -replace=<instance address>`.
 */
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { Construct } from "constructs";
import { AwsPrincipal } from "../grants";
import { skuFor } from "../sizes";
import { IVirtualMachine, VirtualMachineProps, validateVirtualMachineProps } from "../virtual-machine";
import { AwsComputeIdentity } from "./compute-identity";
import { AwsConnections } from "./connections";
import { AwsNetwork } from "./network";
import { AwsPlatform } from "./platform";

/** Amazon Linux 2023, x86_64, owned by Amazon: the newest image at plan time. */
export const AWS_VM_IMAGE = { owners: ["amazon"], namePattern: "al2023-ami-2023.*-x86_64" } as const;

/** Attributes of the instance Terraform leaves as they are after creation (see the file comment). */
export const AWS_VM_IGNORED_CHANGES = ["ami"] as const;

/** The lookup of AWS_VM_IMAGE (construct id `ami` in `scope`), for the VM and the app tier's launch template. */
export function awsVmImage(scope: Construct): DataAwsAmi {
  return new DataAwsAmi(scope, "ami", {
    mostRecent: true,
    owners: [...AWS_VM_IMAGE.owners],
    filter: [
      { name: "name", values: [AWS_VM_IMAGE.namePattern] },
      { name: "architecture", values: ["x86_64"] },
      { name: "virtualization-type", values: ["hvm"] },
    ],
  });
}

export class AwsVirtualMachine extends Construct implements IVirtualMachine {
  public readonly cloud = "aws" as const;
  /** The EC2 instance. */
  public readonly resource: Instance;
  public readonly identity: AwsComputeIdentity;
  public readonly connections: AwsConnections;
  public readonly grantPrincipal: AwsPrincipal;
  public readonly instanceId: string;
  public readonly privateIp: string;

  constructor(scope: Construct, id: string, props: VirtualMachineProps) {
    super(scope, id);
    const platform = AwsPlatform.of(this);
    const p = validateVirtualMachineProps("aws", id, props);
    const network = AwsNetwork.of(p.network);
    const sku = skuFor("aws", p.size, "virtualMachine.size");
    const name = `${platform.namePrefix}-${id}`;

    this.identity = new AwsComputeIdentity(this, "identity", { network, name: id, description: `VM ${name}` });
    this.connections = this.identity.connections;
    this.grantPrincipal = this.identity.grantPrincipal;

    const ami = awsVmImage(this);

    const subnet = p.publicIp ? network.subnets.public[0] : network.subnets.application[0];
    this.resource = new Instance(this, "Resource", {
      ami: ami.id,
      instanceType: sku.vm,
      subnetId: subnet.id,
      vpcSecurityGroupIds: [this.identity.securityGroup.id],
      iamInstanceProfile: this.identity.instanceProfile.name,
      associatePublicIpAddress: p.publicIp,
      monitoring: true,
      ebsOptimized: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "enabled" },
      rootBlockDevice: {
        encrypted: true,
        kmsKeyId: platform.encryptionKey.keyRef,
        volumeType: "gp3",
        volumeSize: p.rootVolumeGb,
        deleteOnTermination: true,
        tags: { Name: `${name}-root` },
      },
      userData: p.userData,
      tags: { Name: name },
      lifecycle: { ignoreChanges: [...AWS_VM_IGNORED_CHANGES] },
    });
    this.instanceId = this.resource.id;
    this.privateIp = this.resource.privateIp;
  }
}
