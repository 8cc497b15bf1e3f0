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
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { AzureLogWorkspace } from "./log-workspace";
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

/** The account's Log Analytics workspace (`resource`), with the blob service's diagnostic setting sending it the categories. */
export class AzureBlobAccessLog extends AzureLogWorkspace {
  public readonly diagnosticSetting: MonitorDiagnosticSetting;

  constructor(scope: Construct, id: string, props: AzureBlobAccessLogProps) {
    super(scope, id, {
      name: AzurePlatform.of(scope).name(`${props.what}-access-logs`),
      retentionDays: AZURE_ACCESS_LOG_RETENTION_DAYS,
      deletionProtection: props.deletionProtection,
      owner: { what: `Blob access log of '${props.what}' (azure)`, field: "access log retention (AZURE_ACCESS_LOG_RETENTION_DAYS)" },
    });
    this.diagnosticSetting = this.collect(this, "blob-service", {
      name: "blob-access-logs",
      resourceId: `${props.account.id}/blobServices/default`,
      categories: props.categories,
    });
  }
}
