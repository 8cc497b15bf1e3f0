/**
 * The Azure platform of one stack: configures the azurerm provider, owns the
 * one resource group every construct uses (created lazily, once), and makes
 * sure every taggable resource carries the stack's tags.
 *
 * Provider settings that keep a first apply and every later plan working from
 * a CI runner outside the VNet (docs/azure.md "Deployability"):
 * - `features.storage.data_plane_available = false`: the storage accounts deny
 *   network access by default, and azurerm would otherwise poll their blob,
 *   queue and file endpoints after create and read queue properties on every
 *   refresh (HTTP 403 from the account's own firewall). Everything we emit on
 *   storage goes through ARM.
 * - `resource_provider_registrations = "core"` plus exactly the providers the
 *   stacks use (constructs/azure/prerequisites.ts): nothing else is registered.
 */
import { Aspects, IAspect, ITerraformDependable, TerraformProvider, TerraformResource, TerraformStack, Tokenization } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { CloudPlatform, platformOf } from "../platform";
import { CloudStack, claimName } from "../stack";
import { AzureNetworkWatcherRef, resourceName } from "./naming";
import { AZURE_PROVIDER_REGISTRATIONS, AZURE_RESOURCE_PROVIDERS_TO_REGISTER } from "./prerequisites";

/** Providers besides azurerm that some Azure constructs need, pinned like azurerm (exact versions). */
export const AZURE_EXTRA_PROVIDERS = {
  /** 3.7 added the ephemeral `random_password` (a password that never reaches plan or state). */
  random: { source: "hashicorp/random", version: "3.7.2" },
  /** `time_sleep`: waits for Azure RBAC to reach Key Vault's data plane. */
  time: { source: "hashicorp/time", version: "0.13.1" },
} as const;

export class AzurePlatform implements CloudPlatform {
  /** The Azure platform of the stack `scope` is in; fails when the stack is not an Azure CloudStack. */
  public static of(scope: IConstruct): AzurePlatform {
    return platformOf<AzurePlatform>(scope, "azure", CloudStack.of(scope));
  }

  public readonly cloud = "azure" as const;
  public readonly provider: AzurermProvider;
  public readonly location: string;
  /**
   * Fixed public IPv4 ranges Terraform runs from (self-hosted runners or runners with a static egress
   * address, operators), admitted by the Key Vault firewall so plan and apply can read and write the
   * credentials secret: the configuration field `azure.deployerIpRanges`. A runner without a fixed
   * address is admitted per run instead (the variable `azure_deployer_ip_ranges`, constructs/azure/key-vault.ts).
   */
  public readonly deployerIpRanges: readonly string[];
  private rg?: ResourceGroup;
  private client?: DataAzurermClientConfig;
  private readonly extraProviders = new Set<string>();

  constructor(public readonly stack: CloudStack) {
    this.location = stack.region;
    this.deployerIpRanges = stack.config.azure.deployerIpRanges;
    this.provider = new AzurermProvider(stack, "azurerm", {
      features: [{ storage: [{ dataPlaneAvailable: false }] }],
      // Undefined leaves it out: the provider then reads ARM_SUBSCRIPTION_ID (azurerm 4.x requires one of the two).
      subscriptionId: stack.config.azure.subscriptionId,
      // Storage accounts have shared keys disabled: any data-plane call the provider still makes uses Entra ID.
      storageUseAzuread: true,
      resourceProviderRegistrations: AZURE_PROVIDER_REGISTRATIONS,
      resourceProvidersToRegister: [...AZURE_RESOURCE_PROVIDERS_TO_REGISTER],
    });
    Aspects.of(stack).add(new AzureTagsAspect(this.tags));
  }

  /** The identity Terraform runs as (`data.azurerm_client_config`): tenant and object id, read once per stack. */
  public get clientConfig(): DataAzurermClientConfig {
    this.client ??= new DataAzurermClientConfig(this.stack, "client-config", {});
    return this.client;
  }

  /** Configures `random` or `time` (once per stack: required_providers and an empty provider block), for constructs that use them. */
  public requireProvider(name: keyof typeof AZURE_EXTRA_PROVIDERS): void {
    if (this.extraProviders.has(name)) return;
    this.extraProviders.add(name);
    new ConfigurationFreeProvider(this.stack, name, AZURE_EXTRA_PROVIDERS[name]);
  }

  /** Tags for every taggable Azure resource (azurerm has no provider-level default tags). */
  public get tags(): Record<string, string> {
    return { ...this.stack.tags };
  }

  /** The stack's resource group `<name prefix>-rg`, created on first use. */
  public get resourceGroup(): ResourceGroup {
    this.rg ??= new ResourceGroup(this.stack, "resource-group", {
      name: claimName(this.stack, "azure:resource-group", this.name("rg"), "resource group name"),
      location: this.location,
      tags: this.tags,
    });
    return this.rg;
  }

  /** The region's Network Watcher that VNet flow logs belong to (configuration `azure.networkWatcher`). */
  public get networkWatcher(): AzureNetworkWatcherRef {
    return this.stack.config.azure.networkWatcher;
  }

  /** `<name prefix>-<suffix>`. */
  public name(suffix: string): string {
    return resourceName(this.stack.namePrefix, suffix);
  }
}

/**
 * The dependencies of `scope` that live in its own stack. Terraform accepts only whole objects of the
 * same configuration in `depends_on` (a cross-stack dependency would synthesize to an output of
 * `data.terraform_remote_state`, refused by `terraform validate` as "Invalid depends_on reference");
 * across stacks the order is the stacks' deployment order (the platform stack is applied first).
 */
export function dependenciesInStack(scope: IConstruct, dependencies: readonly ITerraformDependable[]): ITerraformDependable[] {
  const stack = TerraformStack.of(scope);
  return dependencies.filter((d) => !Construct.isConstruct(d) || TerraformStack.of(d) === stack);
}

/** A provider without settings (hashicorp/random, hashicorp/time), for which no binding is installed. */
class ConfigurationFreeProvider extends TerraformProvider {
  constructor(scope: Construct, name: string, p: { readonly source: string; readonly version: string }) {
    super(scope, name, { terraformResourceType: name, terraformGeneratorMetadata: { providerName: name, providerVersion: p.version }, terraformProviderSource: p.source });
  }
}

/** The shape every generated azurerm resource with a `tags` argument has. */
interface Taggable {
  tags: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
  resetTags(): void;
}

function isTaggable(node: IConstruct): node is TerraformResource & Taggable {
  return (
    node instanceof TerraformResource &&
    node.terraformResourceType.startsWith("azurerm_") &&
    typeof (node as unknown as Partial<Taggable>).resetTags === "function"
  );
}

/**
 * Safety net for the explicit `tags` each construct passes: any azurerm resource
 * with a `tags` argument gets the stack's tags; tags it already has win.
 */
export class AzureTagsAspect implements IAspect {
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  public visit(node: IConstruct): void {
    if (!isTaggable(node)) return;
    const current = node.tagsInput;
    if (current !== undefined && Tokenization.isResolvable(current)) return;
    node.tags = { ...this.tags, ...(current ?? {}) };
  }
}
