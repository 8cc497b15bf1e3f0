/**
 * Network contract: a private network with three tiers of subnets spread
 * over availability zones. Every cloud lays out the same address plan.
 */
import { TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { Cloud, Validator, cidrSubnet, isUnresolved, parseCidr } from "./core";
import { CLOUD_LIMITS } from "./limits";

export type NatGatewayMode = "per-zone" | "single";
export const NAT_GATEWAY_MODES: readonly NatGatewayMode[] = ["per-zone", "single"];

export interface NetworkProps {
  /**
   * IPv4 address range of the whole network.
   * @default "10.0.0.0/16"
   */
  readonly cidr?: string;

  /**
   * How many availability zones the subnets span (AWS subnets are zonal;
   * GCP and Azure subnets are regional and use zones for VMs and HA databases).
   * @default 2
   */
  readonly zoneCount?: number;

  /**
   * NAT for private egress: one gateway per zone (survives a zone outage) or
   * one shared gateway (cheaper). Clouds whose NAT is already regional
   * (GCP Cloud NAT, Azure NAT gateway) ignore the difference.
   * @default "per-zone"
   */
  readonly natGateways?: NatGatewayMode;

  /**
   * Days to keep flow logs.
   * @default 365
   */
  readonly flowLogRetentionDays?: number;

  /**
   * Refuse to destroy the flow-log store (audit evidence): Terraform's
   * `prevent_destroy` on the log group / log bucket / log storage account.
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * Keep a copy of the flow logs in a second region where the log store is a storage account (Azure GRS).
   * @default true
   */
  readonly geoRedundantLogs?: boolean;
}

/** The network as other constructs see it. */
export interface INetwork extends IConstruct {
  readonly cloud: Cloud;
  /** The VPC / VPC network / VNet itself (construct id `Resource`): the escape hatch to the provider resource. */
  readonly resource: TerraformResource;
  /** Provider id of the network (VPC id, network self link, VNet id). */
  readonly networkId: string;
  readonly cidr: string;
  readonly plan: SubnetPlan;
}

/** The rule every construct that takes a network applies to it: a network of the construct's own cloud. */
export function checkNetworkCloud(v: Validator, field: string, network: INetwork | undefined, cloud: Cloud): void {
  v.check(network?.cloud === cloud, field, network ? `${network.node.path} (${network.cloud})` : undefined, `a ${cloud} network of the same stack`);
}

/** Address plan shared by all clouds: subnet i of tier t is `cidrsubnet(cidr, 8, base(t) + i)`. */
export interface SubnetPlan {
  /** Subnets that may hold internet-facing gateways (NAT, load balancers). Never VMs by default. */
  readonly public: readonly string[];
  /** Subnets for application VMs. Private: egress only through NAT. */
  readonly application: readonly string[];
  /** Subnets for managed databases. Private, no internet route. */
  readonly data: readonly string[];
}

export const NETWORK_DEFAULTS = {
  cidr: "10.0.0.0/16",
  zoneCount: 2,
  natGateways: "per-zone" as NatGatewayMode,
  flowLogRetentionDays: 365,
  deletionProtection: true,
  geoRedundantLogs: true,
};

/** First subnet index of each tier inside the network (as in the reference design: 10.0.1.0/24 public, 10.0.10.0/24 private). */
const TIER_BASE = { public: 1, application: 10, data: 20 } as const;
/** Each subnet is the network's prefix plus this many bits (a /16 gives /24 subnets). */
const SUBNET_NEW_BITS = 8;
export const MIN_NETWORK_PREFIX = 16;
export const MAX_NETWORK_PREFIX = 20;
export const MAX_ZONES = 6;

export type ResolvedNetworkProps = Required<NetworkProps>;

/** The one validation of network props, called by every cloud's implementation. */
export function validateNetworkProps(cloud: Cloud, id: string, props: NetworkProps): ResolvedNetworkProps {
  const r: ResolvedNetworkProps = {
    cidr: props.cidr ?? NETWORK_DEFAULTS.cidr,
    zoneCount: props.zoneCount ?? NETWORK_DEFAULTS.zoneCount,
    natGateways: props.natGateways ?? NETWORK_DEFAULTS.natGateways,
    flowLogRetentionDays: props.flowLogRetentionDays ?? NETWORK_DEFAULTS.flowLogRetentionDays,
    deletionProtection: props.deletionProtection ?? NETWORK_DEFAULTS.deletionProtection,
    geoRedundantLogs: props.geoRedundantLogs ?? NETWORK_DEFAULTS.geoRedundantLogs,
  };
  const v = new Validator(`Network '${id}' (${cloud})`);
  if (!isUnresolved(r.cidr)) {
    const parsed = parseCidr(r.cidr);
    if (!parsed) {
      v.add("network.cidr", r.cidr, "an IPv4 CIDR block with zero host bits, e.g. 10.0.0.0/16");
    } else {
      v.check(
        parsed.prefix >= MIN_NETWORK_PREFIX && parsed.prefix <= MAX_NETWORK_PREFIX,
        "network.cidr",
        r.cidr,
        `a prefix length from /${MIN_NETWORK_PREFIX} to /${MAX_NETWORK_PREFIX} (subnets are /${MIN_NETWORK_PREFIX + SUBNET_NEW_BITS} to /${MAX_NETWORK_PREFIX + SUBNET_NEW_BITS})`,
      );
      v.check(isPrivateRange(parsed.base, parsed.prefix), "network.cidr", r.cidr, "a private RFC 1918 range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)");
    }
  }
  v.integer("network.zoneCount", r.zoneCount, 2, MAX_ZONES);
  v.oneOf("network.natGateways", r.natGateways, NAT_GATEWAY_MODES);
  if (v.oneOf("network.flowLogRetentionDays", String(r.flowLogRetentionDays), FLOW_LOG_RETENTION_DAYS.map(String))) {
    const limit = CLOUD_LIMITS[cloud];
    v.check(
      r.flowLogRetentionDays <= limit.flowLogRetentionMaxDays,
      "network.flowLogRetentionDays",
      r.flowLogRetentionDays,
      `at most ${limit.flowLogRetentionMaxDays} days: a longer retention is not supported on ${cloud} (${limit.flowLogRetentionReason})`,
    );
  }
  v.throwIfAny();
  return r;
}

/** The retention periods (days) CloudWatch Logs accepts, and no others. */
export const CLOUDWATCH_LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Flow log retention: what CloudWatch Logs accepts (the strictest of the three clouds), at least 90 days for auditability. */
export const FLOW_LOG_RETENTION_DAYS: readonly number[] = CLOUDWATCH_LOG_RETENTION_DAYS.filter((d) => d >= 90);

function isPrivateRange(base: number, prefix: number): boolean {
  const within = (netBase: number, netPrefix: number) =>
    prefix >= netPrefix && (base >>> (32 - netPrefix)) === (netBase >>> (32 - netPrefix));
  return within(0x0a000000, 8) || within(0xac100000, 12) || within(0xc0a80000, 16);
}

/** Computes the subnet plan from validated props. Pure and shared, so all clouds use the same addresses. */
export function planSubnets(cidr: string, zoneCount: number): SubnetPlan {
  const tier = (base: number) => Array.from({ length: zoneCount }, (_, i) => cidrSubnet(cidr, SUBNET_NEW_BITS, base + i));
  return { public: tier(TIER_BASE.public), application: tier(TIER_BASE.application), data: tier(TIER_BASE.data) };
}
