/**
 * Azure Key Vault for secrets the platform generates (database credentials):
 * RBAC authorization (no access policies), soft delete with purge protection,
 * and a firewall that denies by default.
 *
 * Who reaches the data plane:
 * - the subnets of granted compute, through their Microsoft.KeyVault service
 *   endpoint (`allowSubnet`, called by `AzureSecret.grantRead`);
 * - Terraform itself, which reads and writes secret values on the data plane
 *   at every plan and apply (`azurerm_key_vault_secret` has no ARM path):
 *   from the fixed public ranges of the configuration
 *   (`AzurePlatform.deployerIpRanges`, `azure.deployerIpRanges`) and from the
 *   ranges of this run (the stack's variable `azure_deployer_ip_ranges`,
 *   which scripts/azure-runner-access.js fills with a CI runner's own address
 *   after admitting it out of band: the plan then shows no change), with the
 *   `Key Vault Secrets Officer` role this construct grants the identity that
 *   runs the apply (`data.azurerm_client_config`);
 * - trusted Azure services (`AzureServices` bypass).
 *
 * Azure RBAC reaches Key Vault's data plane a while after the assignment
 * exists, and azurerm does not retry a 403: secrets wait `KEY_VAULT_RBAC_WAIT`
 * after the deployer's assignment (`dataPlaneReady`). See docs/azure.md
 * "Key Vault" for the decision and its risk.
 */
import { Fn, ITerraformDependable, Lazy, TerraformResource, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { stackVariable } from "../stack-variable";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { recordDecision } from "../stack";
import { DEPLOYER_IP_RANGES_VARIABLE, deployerIpRangesCondition, deployerRangeCidr, validateDeployerIpRanges } from "./deployer-ranges";
import { keyVaultName } from "./naming";
import { AzureSubnetTier } from "./network";
import { AzurePlatform } from "./platform";

/** The role Terraform needs on the vault to create, read, update and delete secrets (no purge, no role management). */
export const KEY_VAULT_DEPLOYER_ROLE = "Key Vault Secrets Officer";

/** How long secrets wait after the deployer's role assignment, for Azure RBAC to reach the vault's data plane. */
export const KEY_VAULT_RBAC_WAIT = "120s";

/** Days a deleted vault (and its secrets) stay recoverable: the maximum where data is protected, the minimum otherwise. */
export function keyVaultSoftDeleteDays(deletionProtection: boolean): number {
  return deletionProtection ? 90 : 7;
}

export interface AzureKeyVaultProps {
  /** Base of the vault name (`<project><env short name><base><hash>`). */
  readonly baseName: string;
  /** Who the vault is for, in naming errors. */
  readonly owner: { readonly what: string; readonly field: string; readonly value: string };
  /** Terraform refuses to destroy the vault; soft-deleted data is kept 90 days instead of 7. */
  readonly deletionProtection: boolean;
}

export class AzureKeyVault extends Construct {
  /** The vault. */
  public readonly resource: KeyVault;
  /** The deploying identity's data-plane role on the vault. */
  public readonly deployerAccess: RoleAssignment;
  /** What a secret of this vault waits for: the deployer's role, propagated. */
  public readonly dataPlaneReady: ITerraformDependable[];
  private readonly subnets = new Map<string, string>();

  constructor(scope: Construct, id: string, props: AzureKeyVaultProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    validateDeployerIpRanges(platform.deployerIpRanges);
    const client = platform.clientConfig;

    this.resource = new KeyVault(this, "Resource", {
      name: keyVaultName(platform, props.baseName, this.node.path, props.owner),
      location: platform.location,
      resourceGroupName: platform.resourceGroup.name,
      tenantId: client.tenantId,
      skuName: "standard",
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      // Fixed at creation: Azure refuses to change it later (key_vault_resource.go Update).
      softDeleteRetentionDays: keyVaultSoftDeleteDays(props.deletionProtection),
      // The public endpoint stays, closed by the firewall; a private endpoint would also shut out a CI runner outside the VNet.
      publicNetworkAccessEnabled: true,
      networkAcls: {
        defaultAction: "Deny",
        bypass: "AzureServices",
        // Written as Key Vault reads them back (`<address>/32`), so a plan compares equal strings.
        ipRules: Fn.concat([platform.deployerIpRanges.map(deployerRangeCidr), deployerIpRangesVariable(this).listValue]),
        virtualNetworkSubnetIds: Lazy.listValue({ produce: () => [...this.subnets.values()] }),
      },
      tags: platform.tags,
    });
    if (props.deletionProtection) this.resource.addOverride("lifecycle.prevent_destroy", true);
    else recordDecision(this.resource, "no-deletion-protection");

    this.deployerAccess = new RoleAssignment(this, "deployer-access", {
      scope: this.resource.id,
      roleDefinitionName: KEY_VAULT_DEPLOYER_ROLE,
      principalId: client.objectId,
      description: "The identity that applies this stack writes and reads the vault's secrets (Terraform reads them at every plan)",
      // The identity of the first apply keeps the role: another deployer (a person after CI) must not take it away from CI.
      lifecycle: { ignoreChanges: ["principal_id"] },
    });

    platform.requireProvider("time");
    const wait = new TerraformResource(this, "deployer-access-wait", {
      terraformResourceType: "time_sleep",
      terraformGeneratorMetadata: { providerName: "time" },
      dependsOn: [this.deployerAccess],
    });
    wait.addOverride("create_duration", KEY_VAULT_RBAC_WAIT);
    // A new assignment (another deployer after an import, say) waits again.
    wait.addOverride("triggers", { role_assignment_id: this.deployerAccess.id });
    this.dataPlaneReady = [wait];
  }

  /** Admits `tier`'s subnet through the vault firewall (its Microsoft.KeyVault service endpoint); once per subnet. */
  public allowSubnet(tier: AzureSubnetTier): void {
    this.subnets.set(tier.node.path, tier.subnet.id);
  }
}

/**
 * The stack's `azure_deployer_ip_ranges` variable (one per stack, created by the first vault):
 * public ranges admitted for this run on top of `azure.deployerIpRanges`. Empty by default;
 * scripts/azure-runner-access.js prints the value for a CI runner (its own address) after it
 * admitted it out of band, so refresh works before Terraform runs and the plan shows no change.
 */
export function deployerIpRangesVariable(scope: Construct): TerraformVariable {
  return stackVariable(scope, DEPLOYER_IP_RANGES_VARIABLE, {
    type: "list(string)",
    default: [],
    nullable: false,
    description:
      "Public IPv4 addresses or CIDR blocks (at most /16) admitted by the Key Vault firewall for this run, on top of azure.deployerIpRanges: a CI runner's own address, as printed by scripts/azure-runner-access.js admit",
    validation: [
      {
        condition: deployerIpRangesCondition(DEPLOYER_IP_RANGES_VARIABLE),
        errorMessage: `Each element of ${DEPLOYER_IP_RANGES_VARIABLE} must be a public IPv4 address or CIDR block of at most /16, such as 203.0.113.10 or 203.0.113.0/28 (Key Vault admits public addresses only).`,
      },
    ],
  });
}
