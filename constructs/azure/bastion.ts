/**
 * Operator access to the VNet without public SSH: Azure Bastion (Standard SKU,
 * native-client tunnelling so operators can `az network bastion ssh --auth-type AAD`
 * with their Entra ID account) in its own `AzureBastionSubnet`, a /26 carved from
 * the first public-tier subnet of the shared address plan (the public tier holds
 * nothing else on Azure: the load balancer's frontend is a public IP, not a subnet).
 * Bastion's audit log (who connected where, when) goes to a Log Analytics
 * workspace kept as long as the network's flow logs.
 *
 * One per VNet, created on first use by `AzureNetwork.operatorAccess()`. It is a
 * connection source: a tier that wants operator access admits SSH from it
 * (`tier.connections.allowFrom(bastion, 22)`), which writes one inbound NSG rule
 * from the Bastion subnet's range. The Bastion subnet has no NSG of ours (Azure
 * requires a specific rule set there if one is attached; the policy rules treat it
 * as one of Azure's special subnets).
 */
import { Construct } from "constructs";
import { BastionHost } from "@cdktf/provider-azurerm/lib/bastion-host";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { IConnectable } from "../connections";
import { ValidationError, cidrSubnet, parseCidr } from "../core";
import { AzureConnections } from "./connections";
import { AzureLogWorkspace } from "./log-workspace";
import type { AzureNetwork } from "./network";
import { AzurePlatform } from "./platform";

/** The subnet name Azure requires for Bastion. */
export const BASTION_SUBNET_NAME = "AzureBastionSubnet";
/** Azure Bastion needs a /26 or larger subnet. */
export const BASTION_SUBNET_MAX_PREFIX = 26;
/** Standard: native client (tunnelling) for Entra ID SSH, scale units; Basic is portal-only. */
export const BASTION_SKU = "Standard";
/** Bastion's diagnostic log category: one record per session (user, target, start, end). */
export const BASTION_AUDIT_LOG_CATEGORY = "BastionAuditLogs";

export interface AzureBastionProps {
  readonly network: AzureNetwork;
  /** Days Bastion's audit logs are kept. */
  readonly auditLogRetentionDays: number;
  /** Terraform refuses to destroy the audit log workspace. */
  readonly deletionProtection: boolean;
}

/** The `AzureBastionSubnet` range: the first /26 of the first public-tier subnet (the whole subnet when it is a /26). */
export function bastionSubnetCidr(network: Pick<AzureNetwork, "plan" | "node">): string {
  const publicTier = network.plan.public[0];
  const prefix = parseCidr(publicTier)?.prefix ?? 32;
  if (prefix > BASTION_SUBNET_MAX_PREFIX) {
    throw new ValidationError(`Network '${network.node.id}' (azure)`, [
      {
        field: "network.cidr",
        value: publicTier,
        accepted: `a network whose public-tier subnets are /${BASTION_SUBNET_MAX_PREFIX} or larger (a network of /18 or larger): operator access uses Azure Bastion, which needs a /${BASTION_SUBNET_MAX_PREFIX} subnet; a smaller one is not supported on azure`,
      },
    ]);
  }
  return cidrSubnet(publicTier, BASTION_SUBNET_MAX_PREFIX - prefix, 0);
}

export class AzureBastion extends Construct implements IConnectable {
  /** The Bastion host. */
  public readonly resource: BastionHost;
  public readonly subnet: Subnet;
  public readonly publicIp: PublicIp;
  public readonly cidr: string;
  /** A source only: sessions reach the VMs from the Bastion subnet's range. */
  public readonly connections: AzureConnections;
  public readonly auditLogs: AzureLogWorkspace;

  constructor(scope: Construct, id: string, props: AzureBastionProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const rg = platform.resourceGroup;
    const network = props.network;
    this.cidr = bastionSubnetCidr(network);

    this.subnet = new Subnet(this, "subnet", {
      name: BASTION_SUBNET_NAME,
      resourceGroupName: rg.name,
      virtualNetworkName: network.resource.name,
      addressPrefixes: [this.cidr],
    });
    this.publicIp = new PublicIp(this, "public-ip", {
      name: platform.name(`${network.node.id}-bastion-ip`),
      location: platform.location,
      resourceGroupName: rg.name,
      allocationMethod: "Static",
      sku: "Standard",
      tags: platform.tags,
      // Bastion is regional, so its address is too. Azure makes Standard IPs without zones zone-redundant in
      // locations with zones; should it report those zones, a plan must not replace the address (zones is
      // ForceNew, and a new address would replace the Bastion host: ip_configuration is ForceNew).
      lifecycle: { ignoreChanges: ["zones"] },
    });
    this.resource = new BastionHost(this, "Resource", {
      name: platform.name(`${network.node.id}-bastion`),
      location: platform.location,
      resourceGroupName: rg.name,
      sku: BASTION_SKU,
      // Native client: `az network bastion ssh --auth-type AAD` (Entra ID login on the VMs).
      tunnelingEnabled: true,
      // Nothing beyond SSH/RDP to Azure VMs: no connections by IP, no shareable links, no file transfer.
      ipConnectEnabled: false,
      shareableLinkEnabled: false,
      fileCopyEnabled: false,
      scaleUnits: 2,
      ipConfiguration: { name: "bastion", subnetId: this.subnet.id, publicIpAddressId: this.publicIp.id },
      tags: platform.tags,
    });
    this.auditLogs = new AzureLogWorkspace(this, "audit-logs", {
      name: platform.name(`${network.node.id}-bastion-logs`),
      retentionDays: props.auditLogRetentionDays,
      deletionProtection: props.deletionProtection,
      owner: { what: `Network '${network.node.id}' (azure) operator access`, field: "network.flowLogRetentionDays" },
    });
    this.auditLogs.collect(this, "audit-log-setting", {
      name: "bastion-audit",
      resourceId: this.resource.id,
      categories: [BASTION_AUDIT_LOG_CATEGORY],
    });
    this.connections = new AzureConnections(this, { addressPrefixes: [this.cidr] });
  }
}
