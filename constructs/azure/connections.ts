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
 *   firewalls that admit subnets (service endpoints);
 * - `serviceTags`: endpoints outside the VNet that Azure names with a service
 *   tag (Front Door's back end, the load balancer's health probes). They have
 *   no subnet of their own: admitting one writes only the inbound rule.
 */
import { IConstruct } from "constructs";
import { CidrPeer, Connections, displayName, isConnectable, relationshipScope } from "../connections";
import { ValidationError } from "../core";
import { AzureNsgRule, AzureSubnetTier } from "./network";

export interface AzureEndpoint {
  /** The subnet (and its NSG) the endpoint lives in; none for endpoints outside the VNet (`serviceTags`). */
  readonly tier?: AzureSubnetTier;
  readonly applicationSecurityGroupId?: string;
  readonly addressPrefixes?: readonly string[];
  /** Azure service tags the endpoint's traffic comes from, e.g. `AzureFrontDoor.Backend` (a source only). */
  readonly serviceTags?: readonly string[];
}

export class AzureConnections extends Connections {
  public readonly cloud = "azure" as const;

  /** The subnet tier `x`'s traffic leaves from, when `x` is connectable on Azure and inside the VNet: what a firewall that admits subnets admits. */
  public static tierOf(x: unknown): AzureSubnetTier | undefined {
    return isConnectable(x) && x.connections instanceof AzureConnections ? x.connections.endpoint.tier : undefined;
  }

  constructor(
    owner: IConstruct,
    public readonly endpoint: AzureEndpoint,
  ) {
    super(owner);
  }

  protected admit(from: AzureConnections, port: number, description: string): void {
    const tier = this.inboundTier();
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
    const inScope = crossStack ? from.owner : AzureConnections.placeFor(tier, this.owner);
    tier.allow(
      this.ruleId(inScope, `${displayName(this.owner)}-from`, from.owner, port),
      { ...rule, name: `allow-${port}-${displayName(from.owner)}-to-${displayName(this.owner)}`, direction: "Inbound" },
      inScope,
    );
    // A peer outside the VNet (a service tag) has no NSG of its own: the inbound rule is the whole rule.
    const fromTier = from.endpoint.tier;
    if (fromTier === undefined) return;
    const outScope = crossStack ? from.owner : AzureConnections.placeFor(fromTier, from.owner);
    fromTier.allow(
      this.ruleId(outScope, `${displayName(from.owner)}-to`, this.owner, port),
      { ...rule, name: `allow-${port}-${displayName(from.owner)}-out-${displayName(this.owner)}`, direction: "Outbound" },
      outScope,
    );
  }

  protected admitCidr(from: CidrPeer, port: number, description: string): void {
    const tier = this.inboundTier();
    const scope = AzureConnections.placeFor(tier, this.owner);
    tier.allow(this.ruleId(scope, `${displayName(this.owner)}-from`, from, port), {
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

  /** The subnet tier whose NSG admits traffic to this endpoint; an endpoint outside the VNet admits nothing. */
  private inboundTier(): AzureSubnetTier {
    const tier = this.endpoint.tier;
    if (tier === undefined) {
      throw new ValidationError(`Connections of '${this.owner.node.path}'`, [
        {
          field: "allowFrom",
          value: this.endpoint.serviceTags?.join(", "),
          accepted: "a target inside the VNet: an endpoint named by a service tag is a source only, nothing can be admitted to it",
        },
      ]);
    }
    return tier;
  }

  /** The source or destination part of an NSG rule for `e`: its ASG, else its service tags, else its address prefixes. */
  private static side(which: "source" | "destination", e: AzureEndpoint): Partial<AzureNsgRule> {
    if (e.applicationSecurityGroupId !== undefined) {
      return which === "source" ? { sourceApplicationSecurityGroupIds: [e.applicationSecurityGroupId] } : { destinationApplicationSecurityGroupIds: [e.applicationSecurityGroupId] };
    }
    const prefixes = [...(e.serviceTags ?? e.addressPrefixes ?? (e.tier ? [e.tier.cidr] : []))];
    return which === "source" ? { sourceAddressPrefixes: prefixes } : { destinationAddressPrefixes: prefixes };
  }
}
