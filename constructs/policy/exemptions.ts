/**
 * Exemptions from the policy check: explicit, typed, each with a reason, and
 * each attached to a *decision*, never to a construct path, a stack or an
 * environment name. A construct records a decision on the resource it builds
 * when a prop trades a secure default away (`recordDecision`, e.g.
 * `highAvailability: false` records `single-zone-database`), or when a cloud
 * limitation forces a weaker setting. An exemption accepts one rule for one
 * decision; cost trade-offs are accepted only in stacks whose environment
 * profile says `costOverResilience: true`, so the same decision in production
 * is a violation.
 *
 * Every exemption in force is listed once per synth in the check's summary;
 * one whose decision is recorded but that covers nothing is reported as stale.
 */

/** The decisions constructs record, and what each means. */
export const DECISIONS = {
  "single-zone-database": "the database has no standby in another zone (highAvailability: false), and on Azure no geo-redundant backups",
  "no-deletion-protection": "the resource can be destroyed with its data (deletionProtection: false)",
  "locally-redundant-storage": "the storage keeps no copy in a second region (geoRedundant: false)",
  "flow-log-account-key": "Network Watcher writes VNet flow logs with the storage account key",
  "flow-log-blobs-unversioned": "the flow-log storage account keeps no blob versions",
  "access-log-destination": "the bucket receives S3 server access logs: SSE-S3 (the only encryption S3 log delivery accepts), not logged or replicated itself",
  "state-bucket-single-region": "the Terraform state bucket keeps no copy in a second region",
} as const;

export type Decision = keyof typeof DECISIONS;

export interface PolicyExemption {
  /** The rule id (see docs/policy.md). */
  readonly rule: string;
  /** The decision on the resource that this exemption accepts. */
  readonly decision: Decision;
  /** Accepted only where the environment profile accepts cost trade-offs (`costOverResilience`). */
  readonly costTradeOff: boolean;
  /** Why this is acceptable. Mandatory. */
  readonly reason: string;
}

export const POLICY_EXEMPTIONS: readonly PolicyExemption[] = [
  // Cost trade-offs, accepted only in environments that say costOverResilience (staging by default).
  { rule: "AWS-RDS-MULTI-AZ", decision: "single-zone-database", costTradeOff: true, reason: "a single-AZ database costs half; the profile accepts the outage risk" },
  { rule: "GCP-SQL-HIGH-AVAILABILITY", decision: "single-zone-database", costTradeOff: true, reason: "a zonal Cloud SQL instance costs half; the profile accepts the outage risk" },
  { rule: "AZ-PG-HIGH-AVAILABILITY", decision: "single-zone-database", costTradeOff: true, reason: "no zone-redundant standby (and burstable SKUs cannot have one); the profile accepts the outage risk" },
  { rule: "AZ-PG-GEO-BACKUP", decision: "single-zone-database", costTradeOff: true, reason: "geo-redundant backups follow the HA decision; the profile accepts losing backups with the region" },
  { rule: "AZ-STORAGE-GEO-REPLICATION", decision: "locally-redundant-storage", costTradeOff: true, reason: "LRS storage in environments whose data is disposable" },
  { rule: "AWS-RDS-DELETION-PROTECTION", decision: "no-deletion-protection", costTradeOff: true, reason: "disposable environments must destroy cleanly" },
  { rule: "GCP-SQL-DELETION-PROTECTION", decision: "no-deletion-protection", costTradeOff: true, reason: "disposable environments must destroy cleanly" },
  { rule: "AZ-PG-DELETION-LOCK", decision: "no-deletion-protection", costTradeOff: true, reason: "disposable environments must destroy cleanly" },
  // Cloud limitations, accepted everywhere, each with its evidence.
  { rule: "AWS-S3-REPLICATION", decision: "locally-redundant-storage", costTradeOff: true, reason: "single-region buckets in environments whose data is disposable" },
  { rule: "AWS-STATEFUL-PREVENT-DESTROY", decision: "no-deletion-protection", costTradeOff: true, reason: "disposable environments must destroy cleanly" },
  {
    rule: "AWS-S3-KMS",
    decision: "access-log-destination",
    costTradeOff: false,
    reason: "S3 delivers server access logs only to buckets whose default encryption is SSE-S3 (SSE-KMS destinations are not supported); the log bucket is still encrypted at rest, private and TLS-only",
  },
  {
    rule: "AWS-S3-ACCESS-LOGGING",
    decision: "access-log-destination",
    costTradeOff: false,
    reason: "a log bucket that logged itself would log every delivery of its own logs; only logging.s3.amazonaws.com writes to it, under its bucket policy",
  },
  {
    rule: "AWS-S3-REPLICATION",
    decision: "access-log-destination",
    costTradeOff: false,
    reason: "access logs are evidence about the buckets of one region; a replica bucket logs to the replica region's own log bucket",
  },
  {
    rule: "AWS-S3-REPLICATION",
    decision: "state-bucket-single-region",
    costTradeOff: false,
    reason:
      "the state bucket is versioned, KMS-encrypted and protected from deletion; losing its region stops deploys until the region is back, not the running platform, and replicating it would need a second region's provider and key before anything else exists",
  },
  {
    rule: "AZ-STORAGE-NO-SHARED-KEY",
    decision: "flow-log-account-key",
    costTradeOff: false,
    reason:
      "Network Watcher writes VNet flow logs with the storage account key unless the flow log has a user-assigned identity, which azurerm_network_watcher_flow_log cannot set yet (hashicorp/terraform-provider-azurerm#30219); default_to_oauth_authentication stays on",
  },
  {
    rule: "AZ-STORAGE-SOFT-DELETE",
    decision: "flow-log-blobs-unversioned",
    costTradeOff: false,
    reason:
      "no blob versioning on the flow-log account: Network Watcher recommits the same hourly blob every minute and owns the account's lifecycle policy (retention), so versions would pile up with no rule to delete them; blob and container soft delete are on",
  },
];
