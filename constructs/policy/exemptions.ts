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
  "log-bucket-sse-s3": "the bucket receives the load balancer's access logs: SSE-S3 (the only encryption ELB log delivery accepts), kept in the load balancer's region",
  "no-web-application-firewall": "the public HTTPS entry has no web application firewall (webApplicationFirewall: false)",
  "storage-audit-in-owner-stack":
    "the bucket's object reads and writes are recorded by the project's Data Access audit config for Cloud Storage, which the project's owning stack writes (one writer per project: the setting is authoritative)",
  "secret-rotated-by-version": "the secret has no expiration date: it is rotated by bumping its write-only version",
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
  { rule: "GCP-PREVENT-DESTROY", decision: "no-deletion-protection", costTradeOff: true, reason: "disposable environments must destroy cleanly, the public address included" },
  { rule: "AWS-LB-DELETION-PROTECTION", decision: "no-deletion-protection", costTradeOff: true, reason: "disposable environments must destroy cleanly" },
  { rule: "AWS-LB-WAF", decision: "no-web-application-firewall", costTradeOff: true, reason: "web ACL and managed rule groups are billed per month and per request; the profile accepts an unfiltered entry" },
  { rule: "GCP-LB-WAF", decision: "no-web-application-firewall", costTradeOff: true, reason: "Cloud Armor policies and rules are billed per month and per request; the profile accepts an unfiltered entry" },
  { rule: "AZ-FRONTDOOR-WAF", decision: "no-web-application-firewall", costTradeOff: true, reason: "no WAF policy on the Front Door in environments whose profile accepts the exposure to save its cost" },
  { rule: "GCP-STATEFUL-PREVENT-DESTROY", decision: "no-deletion-protection", costTradeOff: true, reason: "disposable environments must destroy cleanly" },
  { rule: "AZ-DELETION-PROTECTION", decision: "no-deletion-protection", costTradeOff: true, reason: "disposable environments must destroy cleanly" },
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
    rule: "AWS-S3-REPLICATION",
    decision: "log-bucket-sse-s3",
    costTradeOff: false,
    reason: "load balancer access logs are evidence about one region's load balancer, expiring after accessLogRetentionDays; losing that region loses the load balancer they describe too",
  },
  {
    rule: "AWS-S3-KMS",
    decision: "log-bucket-sse-s3",
    costTradeOff: false,
    reason: "Elastic Load Balancing delivers access logs only to buckets encrypted with SSE-S3 (ELB user guide, 'Enable access logs': the only server-side encryption option supported)",
  },
  {
    rule: "GCP-BUCKET-ACCESS-LOGGED",
    decision: "storage-audit-in-owner-stack",
    costTradeOff: false,
    reason:
      "Data Access audit logs are a project-wide setting (google_project_iam_audit_config is authoritative per service): exactly one stack per project writes it (GcpPlatform.projectSettingsOwner), so destroying another stack never turns object access logging off",
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
  {
    rule: "AZ-KEYVAULT-SECRET-EXPIRY",
    decision: "secret-rotated-by-version",
    costTradeOff: false,
    reason:
      "the database administrator password must not expire on its own: Microsoft documents that an expired secret's value is not to be retrieved (Key Vault may answer 403 SecretExpired), which would lock the application out and fail every Terraform refresh of the secret; rotation is a deliberate bump of the credentials' version (docs/azure.md)",
  },
];
