/**
 * Azure network: one VNet with an application subnet (egress through a NAT
 * gateway) and a database subnet delegated to PostgreSQL flexible servers.
 * Each subnet has its own NSG; both end with an explicit deny-all-inbound rule,
 * so only what a construct opens (VM ingress, database access) is reachable.
 *
 * Azure subnets are regional: the contract's zoneCount only changes the address
 * plan (we use the first application and the first data CIDR); NAT gateway is
 * one regional resource, so `natGateways` "per-zone" and "single" are the same here.
 * A VNet flow log (AzureVnetFlowLog) records the VNet's traffic into a log storage
 * account for the contract's flowLogRetentionDays; it belongs to the region's
 * existing Network Watcher (platform config `azure.networkWatcher`, see docs/azure.md).
 */
import { ITerraformDependable } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { NatGateway } from "@cdktf/provider-azurerm/lib/nat-gateway";
import { NatGatewayPublicIpAssociation } from "@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNatGatewayAssociation } from "@cdktf/provider-azurerm/lib/subnet-nat-gateway-association";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { requireKind } from "../core";
import { INetwork, NetworkProps, SubnetPlan, planSubnets, validateNetworkProps } from "../network";
import { POSTGRES_PORT } from "../postgres-database";
import { AzureBastion } from "./bastion";
import { AzureVnetFlowLog } from "./flow-log";
import { AzurePlatform } from "./platform";

/** Delegation the database subnet needs for PostgreSQL flexible servers (VNet integration). */
export const POSTGRES_SUBNET_DELEGATION = "Microsoft.DBforPostgreSQL/flexibleServers";

/** Service endpoints of the application subnet: the storage and Key Vault firewalls admit subnets through them. */
export const APPLICATION_SERVICE_ENDPOINTS = ["Microsoft.KeyVault", "Microsoft.Storage"] as const;

/** Service endpoints of the delegated database subnet (HA and WAL archiving reach Azure Storage). */
export const DATA_SERVICE_ENDPOINTS = ["Microsoft.Storage"] as const;

/** NSG priorities: construct rules count up from `first`; the explicit deny sits at `denyAll` (Azure's lowest custom priority). */
export const NSG_PRIORITIES = { first: 100, last: 3999, baseline: 4000, denyAll: 4096 } as const;

/** One rule a construct adds to a subnet's NSG. Each side is address prefixes (or service tags) or application security groups. */
export interface AzureNsgRule {
  readonly name: string;
  readonly description: string;
  readonly direction: "Inbound" | "Outbound";
  readonly access: "Allow" | "Deny";
  readonly protocol: "Tcp" | "Udp" | "*";
  readonly sourceAddressPrefixes?: readonly string[];
  readonly sourceApplicationSecurityGroupIds?: readonly string[];
  readonly destinationAddressPrefixes?: readonly string[];
  readonly destinationApplicationSecurityGroupIds?: readonly string[];
  readonly destinationPortRanges: readonly string[];
}

/** A subnet with its own NSG; rules get the next free priority, in the order they are added. */
export class AzureSubnetTier extends Construct {
  public readonly subnet: Subnet;
  public readonly nsg: NetworkSecurityGroup;
  public readonly nsgAssociation: SubnetNetworkSecurityGroupAssociation;
  public readonly cidr: string;
  private nextPriority: number = NSG_PRIORITIES.first;

  private readonly platform: AzurePlatform;

  constructor(scope: Construct, id: string, props: { name: string; cidr: string; vnet: VirtualNetwork; delegation?: string; serviceEndpoints?: string[] }) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    this.platform = platform;
    const rg = platform.resourceGroup;
    this.cidr = props.cidr;
    this.subnet = new Subnet(this, "subnet", {
      name: props.name,
      resourceGroupName: rg.name,
      virtualNetworkName: props.vnet.name,
      addressPrefixes: [props.cidr],
      // No implicit internet egress: the application subnet goes out through the NAT gateway, the data subnet not at all.
      defaultOutboundAccessEnabled: false,
      serviceEndpoints: props.serviceEndpoints,
      delegation: props.delegation
        ? [{ name: "delegation", serviceDelegation: { name: props.delegation, actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] } }]
        : undefined,
    });
    this.nsg = new NetworkSecurityGroup(this, "nsg", {
      name: `${props.name}-nsg`,
      location: platform.location,
      resourceGroupName: rg.name,
      tags: platform.tags,
    });
    this.nsgAssociation = new SubnetNetworkSecurityGroupAssociation(this, "nsg-association", { subnetId: this.subnet.id, networkSecurityGroupId: this.nsg.id });
    this.addRule("deny-all-inbound", NSG_PRIORITIES.denyAll, {
      name: "DenyAllInbound",
      description: "Explicit deny: nothing reaches this subnet unless a rule above admits it (overrides Azure's AllowVnetInBound)",
      direction: "Inbound",
      access: "Deny",
      protocol: "*",
      sourceAddressPrefixes: ["*"],
      destinationAddressPrefixes: ["*"],
      destinationPortRanges: ["*"],
    });
  }

  /** Adds a rule with the next free priority; `id` must be unique within `scope` (default: this subnet tier). */
  public allow(id: string, rule: AzureNsgRule, scope: IConstruct = this): NetworkSecurityRule {
    if (this.nextPriority > NSG_PRIORITIES.last) {
      throw new Error(`Network security group '${this.nsg.friendlyUniqueId}': more than ${NSG_PRIORITIES.last - NSG_PRIORITIES.first + 1} rules; accepted: fewer rules (merge sources)`);
    }
    const r = this.addRule(id, this.nextPriority, rule, scope);
    this.nextPriority += 1;
    return r;
  }

  /** Adds a rule at a fixed priority (baseline rules). */
  public addRule(id: string, priority: number, rule: AzureNsgRule, scope: IConstruct = this): NetworkSecurityRule {
    const prefixes = (side: "source" | "destination", xs: readonly string[] | undefined) => {
      if (xs === undefined) return {};
      return xs.length > 1 ? { [`${side}AddressPrefixes`]: [...xs] } : { [`${side}AddressPrefix`]: xs[0] };
    };
    const asgs = (side: "source" | "destination", xs: readonly string[] | undefined) => (xs === undefined ? {} : { [`${side}ApplicationSecurityGroupIds`]: [...xs] });
    return new NetworkSecurityRule(scope, id, {
      name: rule.name,
      description: rule.description,
      priority,
      direction: rule.direction,
      access: rule.access,
      protocol: rule.protocol,
      sourcePortRange: "*",
      ...prefixes("source", rule.sourceAddressPrefixes),
      ...asgs("source", rule.sourceApplicationSecurityGroupIds),
      ...prefixes("destination", rule.destinationAddressPrefixes),
      ...asgs("destination", rule.destinationApplicationSecurityGroupIds),
      ...(rule.destinationPortRanges.length > 1 ? { destinationPortRanges: [...rule.destinationPortRanges] } : { destinationPortRange: rule.destinationPortRanges[0] }),
      resourceGroupName: this.platform.resourceGroup.name,
      networkSecurityGroupName: this.nsg.name,
    });
  }
}

export class AzureNetwork extends Construct implements INetwork {
  /** `network` as an Azure network; fails when it belongs to another cloud. */
  public static of(network: INetwork): AzureNetwork {
    return requireKind(AzureNetwork, network, "Network", "network", "an Azure network of the same stack");
  }

  public readonly cloud = "azure" as const;
  public readonly networkId: string;
  public readonly cidr: string;
  public readonly plan: SubnetPlan;
  /** The VNet. */
  public readonly resource: VirtualNetwork;
  /** Application VMs; egress through the NAT gateway. */
  public readonly application: AzureSubnetTier;
  /** Delegated to PostgreSQL flexible servers; no internet egress. */
  public readonly data: AzureSubnetTier;
  public readonly natGateway: NatGateway;
  public readonly natPublicIp: PublicIp;
  /** What a VM in the application subnet waits for: its NSG and its NAT egress (no default outbound access). */
  public readonly applicationReady: ITerraformDependable[];
  /** VNet flow log and its storage account. */
  public readonly flowLog: AzureVnetFlowLog;
  /** The contract's deletionProtection and flowLogRetentionDays, for the log stores other constructs add to the network. */
  public readonly deletionProtection: boolean;
  public readonly flowLogRetentionDays: number;
  private bastion?: AzureBastion;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const r = validateNetworkProps("azure", id, props);
    this.cidr = r.cidr;
    this.plan = planSubnets(r.cidr, r.zoneCount);
    this.deletionProtection = r.deletionProtection;
    this.flowLogRetentionDays = r.flowLogRetentionDays;
    const rg = platform.resourceGroup;
    const tags = platform.tags;

    this.resource = new VirtualNetwork(this, "Resource", {
      name: platform.name(`${id}-vnet`),
      location: platform.location,
      resourceGroupName: rg.name,
      addressSpace: [r.cidr],
      tags,
    });
    this.networkId = this.resource.id;

    this.application = new AzureSubnetTier(this, "application", {
      name: platform.name(`${id}-app`),
      cidr: this.plan.application[0],
      vnet: this.resource,
      // Lets the storage account and Key Vault firewalls admit this subnet (AzureObjectStore.grantRead*, AzureSecret.grantRead).
      serviceEndpoints: [...APPLICATION_SERVICE_ENDPOINTS],
    });
    this.data = new AzureSubnetTier(this, "data", {
      name: platform.name(`${id}-data`),
      cidr: this.plan.data[0],
      vnet: this.resource,
      delegation: POSTGRES_SUBNET_DELEGATION,
      // Microsoft's networking guide for flexible servers: HA and WAL archiving talk to Azure Storage;
      // the service endpoint keeps that traffic on the Azure backbone (the subnet has no internet egress).
      serviceEndpoints: [...DATA_SERVICE_ENDPOINTS],
    });
    // Zone-redundant HA replicates between primary and standby inside the delegated subnet.
    this.data.addRule("allow-intra-subnet", NSG_PRIORITIES.baseline, {
      name: "AllowPostgresWithinDataSubnet",
      description: "PostgreSQL replication between the HA primary and standby inside the database subnet",
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefixes: [this.data.cidr],
      destinationAddressPrefixes: [this.data.cidr],
      destinationPortRanges: [String(POSTGRES_PORT)],
    });

    this.natPublicIp = new PublicIp(this, "nat-ip", {
      name: platform.name(`${id}-nat-ip`),
      location: platform.location,
      resourceGroupName: rg.name,
      allocationMethod: "Static",
      sku: "Standard",
      tags,
      // No zone, like the NAT gateway it serves (a zonal IP would not fit a regional gateway). `zones` is
      // ForceNew and not computed: should Azure ever report the zones of a zone-redundant default, the
      // next plan must not replace the gateway's address.
      lifecycle: { ignoreChanges: ["zones"] },
    });
    this.natGateway = new NatGateway(this, "nat", {
      name: platform.name(`${id}-nat`),
      location: platform.location,
      resourceGroupName: rg.name,
      skuName: "Standard",
      idleTimeoutInMinutes: 10,
      tags,
    });
    new NatGatewayPublicIpAssociation(this, "nat-ip-association", { natGatewayId: this.natGateway.id, publicIpAddressId: this.natPublicIp.id });
    const natAssociation = new SubnetNatGatewayAssociation(this, "nat-association", { subnetId: this.application.subnet.id, natGatewayId: this.natGateway.id });
    this.applicationReady = [this.application.nsgAssociation, natAssociation];

    this.flowLog = new AzureVnetFlowLog(this, "flow-log", {
      vnet: this.resource,
      retentionDays: r.flowLogRetentionDays,
      name: platform.name(`${id}-vnet-flow-log`),
      deletionProtection: r.deletionProtection,
      geoRedundant: r.geoRedundantLogs,
    });
  }

  /**
   * Azure Bastion for operator access without public SSH (constructs/azure/bastion.ts): its
   * `AzureBastionSubnet` from the public tier of the address plan, created on the first call, one per VNet.
   */
  public operatorAccess(): AzureBastion {
    this.bastion ??= new AzureBastion(this, "bastion", { network: this, auditLogRetentionDays: this.flowLogRetentionDays, deletionProtection: this.deletionProtection });
    return this.bastion;
  }
}
