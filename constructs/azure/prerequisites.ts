/**
 * What must exist before the first `plan` of an Azure stack and that
 * Terraform cannot create itself, as data: the wrapper (scripts/cdktf.js)
 * checks it before plan and deploy, and docs/azure.md lists it. Each item
 * has a command that shows whether it holds, what that command prints when
 * it does, and the command that fixes it.
 *
 * Provider-free on purpose (no @cdktf/provider-azurerm import): the wrapper
 * loads it without building a stack.
 *
 * Sources (azurerm v4.55.0): internal/resourceproviders/required.go (the
 * `core` set), internal/provider/provider.go (`resource_provider_registrations`,
 * `resource_providers_to_register`), the compute, flow-log, Key Vault and
 * PostgreSQL notes in docs/azure-provider-review.md.
 */
import type { AzureSettings } from "../config";

/** The provider's registration set: `core` registers exactly `AZURE_CORE_RESOURCE_PROVIDERS` (none of the 50 of `legacy`). */
export const AZURE_PROVIDER_REGISTRATIONS = "core";

/** What azurerm's `core` set registers (internal/resourceproviders/required.go `Core()`). */
export const AZURE_CORE_RESOURCE_PROVIDERS = [
  "Microsoft.Authorization",
  "Microsoft.Compute",
  "Microsoft.CostManagement",
  "Microsoft.ManagedIdentity",
  "Microsoft.MarketplaceOrdering",
  "Microsoft.Network",
  "Microsoft.Resources",
  "Microsoft.Storage",
] as const;

/**
 * Resource providers the stacks use beyond `core`, registered by the provider at start
 * (`resource_providers_to_register`; names are case-sensitive, `microsoft.insights` is lower case in azurerm).
 */
export const AZURE_RESOURCE_PROVIDERS_TO_REGISTER = [
  "Microsoft.DBforPostgreSQL",
  "Microsoft.KeyVault",
  "Microsoft.OperationalInsights",
  "microsoft.insights",
  "Microsoft.Consumption",
  "Microsoft.Cdn",
] as const;

/** Why each resource provider is needed, for the docs and the wrapper's message. */
export const AZURE_RESOURCE_PROVIDERS_USED: Readonly<Record<string, string>> = {
  "Microsoft.Authorization": "role assignments and the management locks of the database and the Front Door profile",
  "Microsoft.Compute": "virtual machines and scale sets",
  "Microsoft.ManagedIdentity": "user-assigned identities of the compute",
  "Microsoft.Network": "VNet, subnets, NSGs, NAT gateway, load balancer, Bastion, private and public DNS, flow logs, Front Door WAF policies",
  "Microsoft.Storage": "storage accounts",
  "Microsoft.DBforPostgreSQL": "PostgreSQL flexible servers",
  "Microsoft.KeyVault": "the Key Vault holding the database credentials",
  "Microsoft.OperationalInsights": "Log Analytics workspaces (blob access, Front Door and Bastion logs)",
  "microsoft.insights": "diagnostic settings, autoscale settings and VNet flow logs",
  "Microsoft.Consumption": "resource-group budgets",
  "Microsoft.Cdn": "the Front Door profile of the HTTPS entry (endpoint, origins, custom domain, route, security policy)",
};

/** The subscription feature that `encryption_at_host_enabled = true` needs (VMs and scale sets). */
export const ENCRYPTION_AT_HOST_FEATURE = { namespace: "Microsoft.Compute", name: "EncryptionAtHost" } as const;

/**
 * The Microsoft-owned application that validates Entra ID logins on PostgreSQL flexible servers
 * ("Azure OSSRDBMS PostgreSQL Flexible Server AAD Authentication"); its service principal must exist in the tenant.
 */
export const POSTGRES_ENTRA_APP_ID = "5657e26c-cc92-45d9-bc47-9da6cfdb4ed9";

export type AzurePrerequisiteKind = "resource-provider" | "subscription-feature" | "tenant" | "resource" | "deployer-role" | "deployer-network";

export interface AzurePrerequisite {
  /** Stable id the wrapper reports (`resource-provider:Microsoft.KeyVault`). */
  readonly id: string;
  readonly kind: AzurePrerequisiteKind;
  /** What must hold, in one sentence. */
  readonly what: string;
  /** What fails without it, and where. */
  readonly why: string;
  /** A command that shows whether it holds (az CLI, logged in to the target subscription). */
  readonly check: string;
  /** What `check` prints when it holds. */
  readonly expect: string;
  /** The command(s) that make it hold. */
  readonly fix: string;
  /** Whether Terraform does it itself when the deploying identity may (then the item is only a check for least-privilege identities). */
  readonly automatic: boolean;
}

/** The settings the list depends on: the location, the Network Watcher, the subscription, the deployer's fixed address ranges. */
export type AzurePrerequisiteSettings = Pick<AzureSettings, "location" | "networkWatcher" | "subscriptionId" | "deployerIpRanges">;

/** Everything an Azure stack of this configuration needs before its first plan, in the order to fix it. */
export function azurePrerequisites(settings: AzurePrerequisiteSettings): AzurePrerequisite[] {
  const sub = settings.subscriptionId ?? "<subscription id>";
  const rps = [...AZURE_CORE_RESOURCE_PROVIDERS.filter((rp) => rp in AZURE_RESOURCE_PROVIDERS_USED), ...AZURE_RESOURCE_PROVIDERS_TO_REGISTER];
  const { namespace, name } = ENCRYPTION_AT_HOST_FEATURE;
  const watcher = settings.networkWatcher;
  const ranges = settings.deployerIpRanges;
  return [
    ...rps.map(
      (rp): AzurePrerequisite => ({
        id: `resource-provider:${rp}`,
        kind: "resource-provider",
        what: `Resource provider ${rp} is registered in the subscription (${AZURE_RESOURCE_PROVIDERS_USED[rp]})`,
        why: "azurerm registers it when the provider starts (resource_provider_registrations = core + resource_providers_to_register); an identity without */register/action fails every plan with the provider's registration error",
        check: `az provider show --namespace ${rp} --query registrationState -o tsv`,
        expect: "Registered",
        fix: `az provider register --namespace ${rp} --wait`,
        automatic: true,
      }),
    ),
    {
      id: `subscription-feature:${namespace}/${name}`,
      kind: "subscription-feature",
      what: `Subscription feature ${namespace}/${name} is registered`,
      why: "the VMs and scale sets set encryption_at_host_enabled = true; without the feature Azure refuses to create them (no provider registers features)",
      check: `az feature show --namespace ${namespace} --name ${name} --query properties.state -o tsv`,
      expect: "Registered",
      fix: `az feature register --namespace ${namespace} --name ${name} && az provider register --namespace ${namespace}`,
      automatic: false,
    },
    {
      id: "tenant:postgres-entra-authentication",
      kind: "tenant",
      what: `The tenant has the service principal of Azure Database for PostgreSQL's Entra authentication app (${POSTGRES_ENTRA_APP_ID})`,
      why: "the flexible servers enable Microsoft Entra authentication (grantConnect makes managed identities Entra administrators); Azure validates those principals through this app",
      check: `az ad sp show --id ${POSTGRES_ENTRA_APP_ID} --query appId -o tsv`,
      expect: POSTGRES_ENTRA_APP_ID,
      fix: `az ad sp create --id ${POSTGRES_ENTRA_APP_ID}   # needs an Entra role that may create service principals (e.g. Application Administrator)`,
      automatic: false,
    },
    {
      id: `resource:network-watcher:${watcher.resourceGroup}/${watcher.name}`,
      kind: "resource",
      what: `Network Watcher ${watcher.name} exists in resource group ${watcher.resourceGroup} (location ${settings.location})`,
      why: "the VNet flow log is a child of it; Azure creates NetworkWatcher_<location> only asynchronously after the first VNet of the region, so on a fresh subscription the first apply would race it",
      check: `az network watcher list --query "[?name=='${watcher.name}' && location=='${settings.location}'].resourceGroup" -o tsv`,
      expect: watcher.resourceGroup,
      fix: `az group create --name ${watcher.resourceGroup} --location ${settings.location} && az network watcher configure --resource-group ${watcher.resourceGroup} --locations ${settings.location} --enabled true`,
      automatic: false,
    },
    {
      id: "deployer-role:subscription",
      kind: "deployer-role",
      what: "The identity Terraform runs as has Contributor and User Access Administrator (or Role Based Access Control Administrator) on the subscription",
      why: "the stacks create their resource groups, role assignments (grants, the deployer's own Key Vault role) and the database's management lock (Microsoft.Authorization/locks/*)",
      check: `az role assignment list --assignee <deployer object id> --scope /subscriptions/${sub} --query "[].roleDefinitionName" -o tsv`,
      expect: "Contributor and User Access Administrator (or Role Based Access Control Administrator)",
      fix: `az role assignment create --assignee <deployer object id> --role Contributor --scope /subscriptions/${sub} && az role assignment create --assignee <deployer object id> --role "User Access Administrator" --scope /subscriptions/${sub}`,
      automatic: false,
    },
    {
      id: "deployer-network:key-vault",
      kind: "deployer-network",
      what:
        ranges.length > 0
          ? `Terraform runs from an address in azure.deployerIpRanges (${ranges.join(", ")}), from a subnet the vault admits, or from a runner admitted for the run by scripts/azure-runner-access.js`
          : "Terraform runs from a subnet the vault admits, or from a runner admitted for the run by scripts/azure-runner-access.js (azure.deployerIpRanges is empty: no public address is admitted for good)",
      why: "the Key Vault firewall denies by default; azurerm reads and writes the credentials secret on the vault's data plane at every plan, apply and destroy (HTTP 403 ForbiddenByFirewall otherwise)",
      check: "curl -s https://api.ipify.org   # the runner's public egress address",
      expect: ranges.length > 0 ? `an address inside ${ranges.join(", ")}` : "(run inside the VNet, admit the runner for the run, or set azure.deployerIpRanges)",
      fix:
        "node scripts/azure-runner-access.js admit --env <environment> before Terraform and revoke --env <environment> after it (needs Microsoft.KeyVault/vaults/write on the vault, e.g. Contributor on its resource group), " +
        "or add the runner's fixed egress range to azure.deployerIpRanges, or run Terraform inside the VNet",
      automatic: false,
    },
  ];
}
