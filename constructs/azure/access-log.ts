/**
 * Who reads a storage account's blobs, recorded: a diagnostic setting on the
 * account's blob service (`<account id>/blobServices/default`; the account
 * itself only has metrics) sending the blob log categories to a Log Analytics
 * workspace that keeps them for `AZURE_ACCESS_LOG_RETENTION_DAYS`.
 *
 * The workspace belongs to the account it records (one per account, no fixed
 * cost: Log Analytics bills ingested data), so it follows the account's
 * deletion protection. Diagnostic settings are ARM calls: they work whatever
 * the account's firewall says.
 */
import { Construct } from "constructs";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { recordDecision } from "../stack";
import { AzurePlatform } from "./platform";

/** Days the blob access logs are kept (a year of audit trail, like the flow logs' default). */
export const AZURE_ACCESS_LOG_RETENTION_DAYS = 365;

/** Blob log categories of Azure Monitor for storage. */
export type BlobLogCategory = "StorageRead" | "StorageWrite" | "StorageDelete";

export interface AzureBlobAccessLogProps {
  readonly account: StorageAccount;
  /** Short name of what the account holds, for the workspace name (`<prefix>-<what>-access-logs`). */
  readonly what: string;
  /** The categories to record (reads at least). */
  readonly categories: readonly BlobLogCategory[];
  /** Terraform refuses to destroy the workspace (audit evidence). */
  readonly deletionProtection: boolean;
}

export class AzureBlobAccessLog extends Construct {
  /** The Log Analytics workspace. */
  public readonly resource: LogAnalyticsWorkspace;
  public readonly diagnosticSetting: MonitorDiagnosticSetting;

  constructor(scope: Construct, id: string, props: AzureBlobAccessLogProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    this.resource = new LogAnalyticsWorkspace(this, "Resource", {
      name: platform.name(`${props.what}-access-logs`),
      location: platform.location,
      resourceGroupName: platform.resourceGroup.name,
      sku: "PerGB2018",
      retentionInDays: AZURE_ACCESS_LOG_RETENTION_DAYS,
      // Entra ID only: no workspace keys for queries or ingestion (diagnostic settings do not use them).
      localAuthenticationEnabled: false,
      tags: platform.tags,
    });
    if (props.deletionProtection) this.resource.addOverride("lifecycle.prevent_destroy", true);
    else recordDecision(this.resource, "no-deletion-protection");

    this.diagnosticSetting = new MonitorDiagnosticSetting(this, "blob-service", {
      name: "blob-access-logs",
      targetResourceId: `${props.account.id}/blobServices/default`,
      logAnalyticsWorkspaceId: this.resource.id,
      enabledLog: props.categories.map((category) => ({ category })),
    });
  }
}
