/**
 * The Azure platform of one stack: configures the azurerm provider, owns the
 * one resource group every construct uses (created lazily, once), and makes
 * sure every taggable resource carries the stack's tags.
 */
import { Aspects, IAspect, TerraformResource, Tokenization } from "cdktf";
import { IConstruct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { CloudPlatform, platformOf } from "../platform";
import { CloudStack, claimName } from "../stack";
import { AzureNetworkWatcherRef, resourceName } from "./naming";

export class AzurePlatform implements CloudPlatform {
  /** The Azure platform of the stack `scope` is in; fails when the stack is not an Azure CloudStack. */
  public static of(scope: IConstruct): AzurePlatform {
    return platformOf<AzurePlatform>(scope, "azure", CloudStack.of(scope));
  }

  public readonly cloud = "azure" as const;
  public readonly provider: AzurermProvider;
  public readonly location: string;
  private rg?: ResourceGroup;

  constructor(public readonly stack: CloudStack) {
    this.location = stack.region;
    this.provider = new AzurermProvider(stack, "azurerm", {
      features: [{}],
      // Undefined leaves it out: the provider then reads ARM_SUBSCRIPTION_ID (azurerm 4.x requires one of the two).
      subscriptionId: stack.config.azure.subscriptionId,
      // Storage accounts have shared keys disabled: the provider must use Entra ID for data-plane calls.
      storageUseAzuread: true,
    });
    Aspects.of(stack).add(new AzureTagsAspect(this.tags));
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
