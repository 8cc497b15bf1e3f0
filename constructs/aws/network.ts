/**
 * AWS network: a VPC over N zones with public, application and data subnets,
 * an internet gateway for the public tier, NAT for private egress, an
 * isolated data tier, flow logs to an encrypted log group, and the default
 * security group stripped of every rule.
 *
 * Zones come from the `aws_availability_zones` data source, which Terraform
 * reads again at every plan: a zone that drops out of the list (impaired,
 * retired) shifts every index. `availability_zone` forces a new subnet, and
 * a new subnet cascades to NAT gateways, the VM and the database's subnet
 * group. So each subnet takes its zone at creation and keeps it
 * (`ignore_changes`), and a precondition refuses a list shorter than the
 * zones asked for (instead of `element()` silently wrapping around).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Fn, Op, Token, propertyAccess } from "cdktf";
import { Construct } from "constructs";
import { requireKind } from "../core";
import { INetwork, NetworkProps, SubnetPlan, planSubnets, validateNetworkProps } from "../network";
import { recordDecision } from "../stack";
import { AwsPlatform, assumeRolePolicy } from "./platform";

type Tier = keyof SubnetPlan;

/** Attributes of a subnet Terraform leaves as they are after creation (see the file comment). */
export const AWS_SUBNET_IGNORED_CHANGES = ["availability_zone"] as const;

export class AwsNetwork extends Construct implements INetwork {
  /** `network` as an AWS network; fails when it belongs to another cloud. */
  public static of(network: INetwork): AwsNetwork {
    return requireKind(AwsNetwork, network, "Network", "network", "an AWS network of the same stack");
  }

  public readonly cloud = "aws" as const;
  /** The VPC. */
  public readonly resource: Vpc;
  public readonly networkId: string;
  public readonly cidr: string;
  public readonly plan: SubnetPlan;
  public readonly subnets: Readonly<Record<Tier, readonly Subnet[]>>;
  public readonly natGateways: readonly NatGateway[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const platform = AwsPlatform.of(this);
    const p = validateNetworkProps("aws", id, props);
    const name = `${platform.namePrefix}-${id}`;
    this.cidr = p.cidr;
    this.plan = planSubnets(p.cidr, p.zoneCount);

    this.resource = new Vpc(this, "Resource", {
      cidrBlock: p.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: name },
    });
    this.networkId = this.resource.id;

    // Lock down the default security group: no rule at all, so nothing can use it by accident.
    new DefaultSecurityGroup(this, "default-sg", { vpcId: this.resource.id, tags: { Name: `${name}-default-closed` } });

    const zoneNames = platform.zones.names;
    const subnet = (tier: Tier, i: number) =>
      new Subnet(this, `${tier}-${i + 1}`, {
        vpcId: this.resource.id,
        cidrBlock: this.plan[tier][i],
        availabilityZone: Token.asString(propertyAccess(zoneNames, [i])),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-${tier}-${i + 1}`, Tier: tier },
        lifecycle: {
          ignoreChanges: [...AWS_SUBNET_IGNORED_CHANGES],
          precondition: [
            {
              condition: Op.gte(Fn.lengthOf(zoneNames), p.zoneCount),
              errorMessage: `The region offers fewer available zones than network.zoneCount (${p.zoneCount}): choose a smaller zoneCount or another region.`,
            },
          ],
        },
      });
    const zones = [...Array(p.zoneCount).keys()];
    this.subnets = {
      public: zones.map((i) => subnet("public", i)),
      application: zones.map((i) => subnet("application", i)),
      data: zones.map((i) => subnet("data", i)),
    };

    // Public tier: default route to the internet gateway.
    const igw = new InternetGateway(this, "igw", { vpcId: this.resource.id, tags: { Name: `${name}-igw` } });
    const publicRt = new RouteTable(this, "public-rt", { vpcId: this.resource.id, tags: { Name: `${name}-public` } });
    new Route(this, "public-default", { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    this.subnets.public.forEach((s, i) => new RouteTableAssociation(this, `public-rta-${i + 1}`, { subnetId: s.id, routeTableId: publicRt.id }));

    // Application tier: egress through NAT, one per zone (production) or one shared (staging).
    const natCount = p.natGateways === "per-zone" ? p.zoneCount : 1;
    this.natGateways = [...Array(natCount).keys()].map((i) => {
      const eip = new Eip(this, `nat-eip-${i + 1}`, { domain: "vpc", tags: { Name: `${name}-nat-${i + 1}` } });
      return new NatGateway(this, `nat-${i + 1}`, {
        allocationId: eip.allocationId,
        subnetId: this.subnets.public[i].id,
        tags: { Name: `${name}-nat-${i + 1}` },
        dependsOn: [igw],
      });
    });
    this.subnets.application.forEach((s, i) => {
      const rt = new RouteTable(this, `application-rt-${i + 1}`, { vpcId: this.resource.id, tags: { Name: `${name}-application-${i + 1}` } });
      new Route(this, `application-default-${i + 1}`, {
        routeTableId: rt.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: this.natGateways[i % natCount].id,
      });
      new RouteTableAssociation(this, `application-rta-${i + 1}`, { subnetId: s.id, routeTableId: rt.id });
    });

    // Data tier: local routes only, no way to or from the internet.
    const dataRt = new RouteTable(this, "data-rt", { vpcId: this.resource.id, tags: { Name: `${name}-data` } });
    this.subnets.data.forEach((s, i) => new RouteTableAssociation(this, `data-rta-${i + 1}`, { subnetId: s.id, routeTableId: dataRt.id }));

    // Flow logs of all traffic to an encrypted CloudWatch log group.
    const logGroup = new CloudwatchLogGroup(this, "flow-log-group", {
      name: `/aws/vpc/${name}/flow-logs`,
      retentionInDays: p.flowLogRetentionDays,
      kmsKeyId: platform.encryptionKey.keyRef,
      // Audit evidence: with deletion protection Terraform refuses to destroy the log group.
      lifecycle: p.deletionProtection ? { preventDestroy: true } : undefined,
    });
    if (!p.deletionProtection) recordDecision(logGroup, "no-deletion-protection");
    const role = new IamRole(this, "flow-log-role", {
      name: `${name}-flow-logs`,
      assumeRolePolicy: assumeRolePolicy("vpc-flow-logs.amazonaws.com"),
    });
    new IamRolePolicy(this, "flow-log-policy", {
      name: "write-flow-logs",
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WriteThisNetworksFlowLogsOnly",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [logGroup.arn, `${logGroup.arn}:*`],
          },
        ],
      }),
    });
    new FlowLog(this, "flow-log", {
      vpcId: this.resource.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${name}-flow-log` },
    });
  }
}
