/**
 * Azure connections. Every subnet has its own NSG ending in an explicit deny,
 * so admitting a peer is an inbound rule on the NSG of the subnet the endpoint
 * lives in (and an outbound rule on the peer's subnet NSG, so both sides read
 * the same). Endpoints are described by:
 * - `applicationSecurityGroupId`: compute (VM NICs, scale-set instances) is a
 *   member of an application security group, whatever its IP address;
 * - `addressPrefixes`: managed services that cannot join one (a flexible
 *   server in its delegated subnet, an Application Gateway in its subnet);
 * - `subnetIds`: where the endpoint's traffic leaves from, for storage
 *   firewalls that admit subnets (service endpoints).
 */
import { IConstruct } from "constructs";
import { CidrPeer, Connections, displayName, relationshipScope } from "../connections";
import { AzureNsgRule, AzureSubnetTier } from "./network";

export interface AzureEndpoint {
  /** The subnet (and its NSG) the endpoint lives in. */
  readonly tier: AzureSubnetTier;
  readonly applicationSecurityGroupId?: string;
  readonly addressPrefixes?: readonly string[];
}

export class AzureConnections extends Connections {
  public readonly cloud = "azure" as const;

  constructor(
    owner: IConstruct,
    public readonly endpoint: AzureEndpoint,
  ) {
    super(owner);
  }

  protected admit(from: AzureConnections, port: number, description: string): void {
    const rule = {
      description,
      protocol: "Tcp" as const,
      access: "Allow" as const,
      destinationPortRanges: [String(port)],
      ...AzureConnections.side("source", from.endpoint),
      ...AzureConnections.side("destination", this.endpoint),
    };
    // Rules live with the subnet's NSG; across stacks, in the peer's stack (constructs/connections.ts relationshipScope).
    const { crossStack } = relationshipScope(this.owner, from.owner);
    const inScope = crossStack ? from.owner : AzureConnections.placeFor(this.endpoint.tier, this.owner);
    const outScope = crossStack ? from.owner : AzureConnections.placeFor(from.endpoint.tier, from.owner);
    this.endpoint.tier.allow(
      this.ruleId(inScope, `${displayName(this.owner)}-from`, from.owner, port),
      { ...rule, name: `allow-${port}-${displayName(from.owner)}-to-${displayName(this.owner)}`, direction: "Inbound" },
      inScope,
    );
    from.endpoint.tier.allow(
      this.ruleId(outScope, `${displayName(from.owner)}-to`, this.owner, port),
      { ...rule, name: `allow-${port}-${displayName(from.owner)}-out-${displayName(this.owner)}`, direction: "Outbound" },
      outScope,
    );
  }

  protected admitCidr(from: CidrPeer, port: number, description: string): void {
    const scope = AzureConnections.placeFor(this.endpoint.tier, this.owner);
    this.endpoint.tier.allow(this.ruleId(scope, `${displayName(this.owner)}-from`, from, port), {
      name: `allow-${port}-${from.isInternet ? "internet" : from.cidr.replace(/[./]/g, "-")}-to-${displayName(this.owner)}`,
      description,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      // Azure's name for every public address; NSGs treat 0.0.0.0/0 as all addresses, VNet ones included.
      sourceAddressPrefixes: [from.isInternet ? "Internet" : from.cidr],
      destinationPortRanges: [String(port)],
      ...AzureConnections.side("destination", this.endpoint),
    }, scope);
  }

  /**
   * Where a rule about `owner` on `tier`'s NSG lives: with the subnet tier when both are in one stack, else with
   * the owner (a stack of your own using the platform's network), so the rule never makes the network's stack
   * depend on the owner's.
   */
  private static placeFor(tier: AzureSubnetTier, owner: IConstruct): IConstruct {
    return relationshipScope(owner, tier).crossStack ? owner : tier;
  }

  /** The source or destination part of an NSG rule for `e`: its ASG, else its address prefixes. */
  private static side(which: "source" | "destination", e: AzureEndpoint): Partial<AzureNsgRule> {
    if (e.applicationSecurityGroupId !== undefined) {
      return which === "source" ? { sourceApplicationSecurityGroupIds: [e.applicationSecurityGroupId] } : { destinationApplicationSecurityGroupIds: [e.applicationSecurityGroupId] };
    }
    const prefixes = [...(e.addressPrefixes ?? [e.tier.cidr])];
    return which === "source" ? { sourceAddressPrefixes: prefixes } : { destinationAddressPrefixes: prefixes };
  }
}
