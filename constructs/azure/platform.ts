/**
 * The Azure platform of one stack: configures the azurerm provider, owns the
 * one resource group every construct uses (created lazily, once), and makes
 * sure every taggable resource carries the stack's tags.
 */
import { Aspects, IAspect, TerraformResource, TerraformStack, Tokenization } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Cloud } from "../core";
import { BudgetProps, IBudget } from "../budget";
import { INetwork, NetworkProps } from "../network";
import { IObjectStore, ObjectStoreProps } from "../object-store";
import { CloudPlatform, PlatformContext } from "../platform";
import { IPostgresDatabase, PostgresDatabaseProps } from "../postgres-database";
import { IVirtualMachine, VirtualMachineProps } from "../virtual-machine";
import { AzureBudget } from "./budget";
import { AzureNetworkWatcherRef, defaultNetworkWatcher, resourceName } from "./naming";
import { AzureNetwork } from "./network";
import { AzureObjectStore } from "./object-store";
import { AzurePostgresDatabase } from "./postgres-database";
import { AzureVirtualMachine } from "./virtual-machine";

export const AZURE: Cloud = "azure";

export class AzurePlatform implements CloudPlatform {
  public readonly cloud: Cloud = AZURE;
  public readonly provider: AzurermProvider;
  private rg?: ResourceGroup;

  constructor(
    private readonly stack: Construct,
    public readonly context: PlatformContext,
  ) {
    this.provider = new AzurermProvider(stack, "azurerm", {
      features: [{}],
      // Undefined leaves it out: the provider then reads ARM_SUBSCRIPTION_ID (azurerm 4.x requires one of the two).
      subscriptionId: context.azureSubscriptionId,
      // Storage accounts have shared keys disabled: the provider must use Entra ID for data-plane calls.
      storageUseAzuread: true,
    });
    Aspects.of(TerraformStack.of(stack)).add(new AzureTagsAspect(this.tags));
  }

  /** Tags for every taggable Azure resource (azurerm has no provider-level default tags). */
  public get tags(): Record<string, string> {
    return { ...this.context.tags };
  }

  public get location(): string {
    return this.context.region;
  }

  /** The stack's resource group `<project>-<environment>-rg`, created on first use. */
  public get resourceGroup(): ResourceGroup {
    this.rg ??= new ResourceGroup(this.stack, "resource-group", {
      name: this.name("rg"),
      location: this.location,
      tags: this.tags,
    });
    return this.rg;
  }

  /** The region's Network Watcher that VNet flow logs belong to: the context's, else Azure's own `NetworkWatcher_<location>` in `NetworkWatcherRG`. */
  public get networkWatcher(): AzureNetworkWatcherRef {
    return this.context.azureNetworkWatcher ?? defaultNetworkWatcher(this.location);
  }

  /** `<project>-<environment>-<suffix>`. */
  public name(suffix: string): string {
    return resourceName(this.context.project, this.context.environment, suffix);
  }

  public createNetwork(scope: Construct, id: string, props: NetworkProps): INetwork {
    return new AzureNetwork(scope, id, props, this);
  }

  public createVirtualMachine(scope: Construct, id: string, props: VirtualMachineProps): IVirtualMachine {
    return new AzureVirtualMachine(scope, id, props, this);
  }

  public createObjectStore(scope: Construct, id: string, props: ObjectStoreProps): IObjectStore {
    return new AzureObjectStore(scope, id, props, this);
  }

  public createPostgresDatabase(scope: Construct, id: string, props: PostgresDatabaseProps): IPostgresDatabase {
    return new AzurePostgresDatabase(scope, id, props, this);
  }

  public createBudget(scope: Construct, id: string, props: BudgetProps): IBudget {
    return new AzureBudget(scope, id, props, this);
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
