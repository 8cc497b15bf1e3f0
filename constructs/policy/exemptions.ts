/**
 * Exemptions from the policy check: explicit, typed, each with a reason.
 * Every exemption in force is printed at synth (one line each on stderr);
 * one that matches no violation is reported as stale so it gets removed.
 *
 * Add one only when the violation is a deliberate choice; otherwise fix the
 * construct. Scope it as narrowly as possible (environment, path).
 */
import { Environment } from "../core";

export interface PolicyExemption {
  /** The rule id (see docs/policy.md). */
  readonly rule: string;
  /** Only in this environment. @default - every environment, and stacks without one */
  readonly environment?: Environment;
  /** Only on this stack (e.g. `state-bootstrap`). @default - every stack */
  readonly stack?: string;
  /** Construct path glob (`*` matches anything, including `/`), e.g. `*\/database/Resource`. @default - any path */
  readonly path?: string;
  /** Terraform address glob, e.g. `aws_db_instance.*`. @default - any address */
  readonly address?: string;
  /** Why this is acceptable. Mandatory. */
  readonly reason: string;
}

export const POLICY_EXEMPTIONS: readonly PolicyExemption[] = [
  // Staging is cheaper and disposable on purpose (stacks/environments.ts: highAvailability false).
  {
    rule: "AWS-RDS-MULTI-AZ",
    environment: "staging",
    path: "*/database/Resource",
    reason: "staging runs a single-AZ database on purpose (cost); production is Multi-AZ",
  },
  {
    rule: "GCP-SQL-HIGH-AVAILABILITY",
    environment: "staging",
    path: "*/database/Resource",
    reason: "staging runs a zonal Cloud SQL instance on purpose (cost); production is REGIONAL",
  },
  {
    rule: "AZ-PG-HIGH-AVAILABILITY",
    environment: "staging",
    path: "*/database/Resource",
    reason: "staging uses a burstable SKU, which Azure refuses HA on; production is zone-redundant",
  },
  {
    rule: "AZ-PG-GEO-BACKUP",
    environment: "staging",
    path: "*/database/Resource",
    reason: "staging data is disposable; geo-redundant backups are on in production",
  },
  {
    rule: "AZ-STORAGE-GEO-REPLICATION",
    environment: "staging",
    path: "*/uploads/Resource",
    reason: "staging uploads are disposable (LRS); production is GRS",
  },
  // The state bucket's objects are written by Terraform's S3 backend with `encrypt = true`, which asks
  // for SSE-S3 on every object; a KMS default would not apply to them and would force every deployer
  // to hold kms:Decrypt/GenerateDataKey on a key that does not exist before the bootstrap.
  {
    rule: "AWS-S3-KMS",
    stack: "state-bootstrap",
    path: "state-bootstrap/state-bucket-encryption",
    reason: "state objects are encrypted with SSE-S3 by the S3 backend (encrypt = true); a KMS key would need to exist before the bootstrap",
  },
  // The VNet flow-log account (constructs/azure/flow-log.ts, docs/azure.md "VNet flow logs").
  {
    rule: "AZ-STORAGE-NO-SHARED-KEY",
    path: "*/network/flow-log/storage",
    reason:
      "Network Watcher writes VNet flow logs with the storage account key unless the flow log has a user-assigned identity, which azurerm_network_watcher_flow_log cannot set yet (hashicorp/terraform-provider-azurerm#30219); default_to_oauth_authentication stays on",
  },
  {
    rule: "AZ-STORAGE-SOFT-DELETE",
    path: "*/network/flow-log/storage",
    reason:
      "no blob versioning on the flow-log account: Network Watcher recommits the same hourly blob every minute and owns the account's lifecycle policy (retention), so versions would pile up with no rule to delete them; blob and container soft delete are on",
  },
  {
    rule: "AZ-STORAGE-GEO-REPLICATION",
    environment: "staging",
    path: "*/network/flow-log/storage",
    reason: "staging flow logs are disposable (LRS); production is GRS",
  },
];
