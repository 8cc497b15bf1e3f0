/**
 * Azure VNet flow log: a Network Watcher flow log targeting the VNet (version 2,
 * retention from the Network contract) and the storage account it writes to.
 * NSG flow logs are not used: Azure stopped accepting new ones (June 2025) in
 * favour of VNet flow logs.
 *
 * The Network Watcher itself is not created here: Azure keeps one per region and
 * subscription, usually its own `NetworkWatcher_<location>` in `NetworkWatcherRG`.
 * The stack only names it (platform config `azure.networkWatcher`), so the flow
 * log resource lives in the watcher's resource group, not the stack's.
 *
 * The log account meets the uploads account's bar (TLS 1.2, HTTPS only, no public
 * blobs, infrastructure encryption, firewall deny with trusted-service bypass)
 * with two documented differences (docs/azure.md "VNet flow logs"):
 * - shared keys stay enabled: Network Watcher writes with the account key unless the
 *   flow log has a user-assigned identity, which azurerm cannot set yet;
 * - no blob versioning: flow logs commit blocks to the same hourly blob again and again,
 *   and Network Watcher owns the account's lifecycle policy (retention), so versions
 *   could never be cleaned up. Blob and container soft delete are on.
 */
import { Construct } from "constructs";
import { NetworkWatcherFlowLog } from "@cdktf/provider-azurerm/lib/network-watcher-flow-log";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { recordDecision } from "../stack";
import { AzureBlobAccessLog } from "./access-log";
import { AzureNetworkWatcherRef, storageAccountName } from "./naming";
import { SECURE_STORAGE_ACCOUNT, softDeleteDays } from "./storage";
import { AzurePlatform } from "./platform";

/** Flow log schema version 2 adds bytes and packets per flow. */
export const FLOW_LOG_VERSION = 2;

/** Base of the log account's name (`<project><stg|prd>flowlog<hash>`). */
export const FLOW_LOG_STORAGE_BASE_NAME = "flowlogs";

export interface AzureVnetFlowLogProps {
  readonly vnet: VirtualNetwork;
  /** Days Network Watcher keeps the logs (the contract's `flowLogRetentionDays`). */
  readonly retentionDays: number;
  /** Name of the flow log resource (unique within the watcher, which other stacks share). */
  readonly name: string;
  /** Terraform refuses to destroy the log account (audit evidence). */
  readonly deletionProtection: boolean;
  /** GRS instead of LRS. */
  readonly geoRedundant: boolean;
}

export class AzureVnetFlowLog extends Construct {
  /** The storage account the logs are written to (container `insights-logs-flowlogflowevent`, created by Azure). */
  public readonly account: StorageAccount;
  public readonly flowLog: NetworkWatcherFlowLog;
  public readonly networkWatcher: AzureNetworkWatcherRef;
  /** Who reads or deletes the flow logs (Network Watcher's own writes, every minute, are not recorded). */
  public readonly accessLog: AzureBlobAccessLog;

  /** The retention limit (365 days) is checked by the shared network validation (constructs/limits.ts). */
  constructor(scope: Construct, id: string, props: AzureVnetFlowLogProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const retention = softDeleteDays(props.deletionProtection);
    this.networkWatcher = platform.networkWatcher;

    // Same region as the VNet (Azure requires it) and in the stack's resource group.
    this.account = new StorageAccount(this, "storage", {
      name: storageAccountName(platform, FLOW_LOG_STORAGE_BASE_NAME, this.node.path, {
        what: `Network '${scope.node.id}' (azure) flow-log storage account`,
        field: "project",
        value: platform.stack.config.project,
      }),
      location: platform.location,
      resourceGroupName: platform.resourceGroup.name,
      ...SECURE_STORAGE_ACCOUNT,
      accountReplicationType: props.geoRedundant ? "GRS" : "LRS",
      // Network Watcher writes flow logs with the account key (azurerm cannot give the flow log a
      // user-assigned identity yet); people and tools still default to Entra ID.
      sharedAccessKeyEnabled: true,
      // Network Watcher is a trusted Azure service: the bypass admits it, nothing else gets in.
      networkRules: { defaultAction: "Deny", bypass: ["AzureServices"] },
      blobProperties: {
        deleteRetentionPolicy: { days: retention },
        containerDeleteRetentionPolicy: { days: retention },
      },
      tags: platform.tags,
    });
    recordDecision(this.account, "flow-log-account-key");
    recordDecision(this.account, "flow-log-blobs-unversioned");
    if (!props.geoRedundant) recordDecision(this.account, "locally-redundant-storage");
    if (props.deletionProtection) {
      // Audit evidence: Terraform refuses to destroy the log account (remove deliberately).
      this.account.addOverride("lifecycle.prevent_destroy", true);
    } else recordDecision(this.account, "no-deletion-protection");

    this.accessLog = new AzureBlobAccessLog(this, "access-log", {
      account: this.account,
      what: `${scope.node.id}-flow-log`,
      categories: ["StorageRead", "StorageDelete"],
      deletionProtection: props.deletionProtection,
    });

    this.flowLog = new NetworkWatcherFlowLog(this, "Resource", {
      name: props.name,
      // A flow log is a child of the watcher: it lives in the watcher's resource group.
      networkWatcherName: this.networkWatcher.name,
      resourceGroupName: this.networkWatcher.resourceGroup,
      location: platform.location,
      targetResourceId: props.vnet.id,
      storageAccountId: this.account.id,
      enabled: true,
      version: FLOW_LOG_VERSION,
      retentionPolicy: { enabled: true, days: props.retentionDays },
      tags: platform.tags,
    });
  }
}
