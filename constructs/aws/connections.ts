/**
 * AWS connections: every connectable has a security group. Admitting a peer
 * writes an ingress rule on this group that references the peer's group, and
 * the matching egress rule on the peer's group, so both sides say exactly
 * which port goes where. Address ranges become `cidr_ipv4` ingress rules.
 */
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { IConstruct } from "constructs";
import { CidrPeer, Connections, displayName, relationshipScope } from "../connections";

export class AwsConnections extends Connections {
  public readonly cloud = "aws" as const;

  /** @param securityGroupId the endpoint's security group (a reference). */
  constructor(
    owner: IConstruct,
    public readonly securityGroupId: string,
  ) {
    super(owner);
  }

  protected admit(from: AwsConnections, port: number, description: string): void {
    // Across stacks both rules live in the peer's stack (constructs/connections.ts relationshipScope).
    const { scope, crossStack } = relationshipScope(this.owner, from.owner);
    const ingressId = crossStack ? this.ruleId(scope, `ingress-at-${displayName(this.owner)}`, from.owner, port) : this.ruleId(scope, "from", from.owner, port);
    new VpcSecurityGroupIngressRule(scope, ingressId, {
      securityGroupId: this.securityGroupId,
      referencedSecurityGroupId: from.securityGroupId,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description,
    });
    new VpcSecurityGroupEgressRule(from.owner, this.ruleId(from.owner, "to", this.owner, port), {
      securityGroupId: from.securityGroupId,
      referencedSecurityGroupId: this.securityGroupId,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description,
    });
  }

  protected admitCidr(from: CidrPeer, port: number, description: string): void {
    new VpcSecurityGroupIngressRule(this.owner, this.ruleId(this.owner, "from", from, port), {
      securityGroupId: this.securityGroupId,
      cidrIpv4: from.cidr,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      description,
    });
  }
}
