/**
 * Azure compute identity: a user-assigned managed identity (role assignments
 * name it; it exists before the compute, so grants do not wait for a VM) and
 * an application security group that NSG rules use as source or destination,
 * whatever the instances' addresses are.
 */
import { Construct } from "constructs";
import { ApplicationSecurityGroup } from "@cdktf/provider-azurerm/lib/application-security-group";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { ComputeIdentityProps, IComputeIdentity, validateComputeIdentityProps } from "../compute-identity";
import { AzurePrincipal } from "../grants";
import { AzureConnections } from "./connections";
import { AzureNetwork } from "./network";
import { AzurePlatform } from "./platform";

/**
 * An Azure principal with the managed identity's name, which Azure uses as the display name of its
 * service principal (Entra administrators of a PostgreSQL server are added by that name).
 * Contract proposal: `AzurePrincipal.displayName` (constructs/grants.ts).
 */
export interface AzureNamedPrincipal extends AzurePrincipal {
  readonly displayName: string;
}

export class AzureComputeIdentity extends Construct implements IComputeIdentity {
  public readonly cloud = "azure" as const;
  /** The user-assigned managed identity. */
  public readonly resource: UserAssignedIdentity;
  public readonly applicationSecurityGroup: ApplicationSecurityGroup;
  public readonly network: AzureNetwork;
  public readonly connections: AzureConnections;
  public readonly grantPrincipal: AzureNamedPrincipal;

  constructor(scope: Construct, id: string, props: ComputeIdentityProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const p = validateComputeIdentityProps("azure", id, props);
    this.network = AzureNetwork.of(p.network);
    const rg = platform.resourceGroup;
    this.resource = new UserAssignedIdentity(this, "Resource", {
      name: platform.name(`${p.name}-identity`),
      location: platform.location,
      resourceGroupName: rg.name,
      tags: platform.tags,
    });
    this.grantPrincipal = { cloud: "azure", principalId: this.resource.principalId, clientId: this.resource.clientId, displayName: this.resource.name };
    this.applicationSecurityGroup = new ApplicationSecurityGroup(this, "asg", {
      name: platform.name(`${p.name}-asg`),
      location: platform.location,
      resourceGroupName: rg.name,
      tags: platform.tags,
    });
    this.connections = new AzureConnections(this, { tier: this.network.application, applicationSecurityGroupId: this.applicationSecurityGroup.id });
  }
}
