/**
 * What the review of terraform-provider-google v6.50.0 (and hashicorp/random
 * 3.7) found for every type the GCP stacks emit: attributes that force
 * replacement, conflicts and required companions, the APIs and data-plane
 * calls each needs, the values the cloud changes by itself, and how our output
 * keeps each stable. Provider-free data: docs/gcp-provider-review.md is
 * generated from it (constructs/gcp/provider-review.ts) and the replacement
 * safety test reads it, so a type emitted without a row here fails the tests.
 *
 * Attribute paths use Terraform's syntax (`settings[0].disk_size`), the form
 * `lifecycle.ignore_changes` takes.
 */
import { AnyGcpApi } from "./apis";

/**
 * An attribute the cloud (or a Google service) sets on its own.
 * - `changes`: it changes even when the configuration sets it (auto-grow, failover, maintenance): it
 *   must be left unset, or listed in `lifecycle.ignore_changes`, or every later plan fights the cloud
 *   (and for a ForceNew attribute, replaces the resource).
 * - `fills`: the API fills it only when the configuration leaves it unset (an Optional+Computed default):
 *   stable either way.
 */
export interface CloudChange {
  readonly attribute: string;
  readonly by: string;
  readonly mode: "changes" | "fills";
}

export interface GcpProviderFact {
  /** `google_sql_database_instance`, `data.google_project`, `ephemeral.random_password`. */
  readonly type: string;
  /** Holds data that a destroy loses: production must refuse to destroy it (prevent_destroy). */
  readonly stateful: boolean;
  /** User-settable attributes that force replacement (ForceNew, or a CustomizeDiff that forces new), as reviewed. */
  readonly forceNew: readonly string[];
  /** Conflicts, required companions, defaults that matter. */
  readonly companions: string;
  /** APIs the provider calls for it (all must be enabled in the project: user_project_override bills the project). */
  readonly apis: readonly AnyGcpApi[];
  /** The API methods and data-plane calls, and when (plan / create / read / delete). */
  readonly calls: string;
  readonly cloudChanges: readonly CloudChange[];
  /** How our output keeps it stable across plans, first apply and destroy. */
  readonly stability: string;
  /** Data sources only: true when its result can change between plans by itself (never feed a ForceNew attribute from it). */
  readonly shifts?: boolean;
  /** What was read: file (at v6.50.0 unless said otherwise) and functions. */
  readonly source: string;
}

export const GCP_PROVIDER_FACTS: readonly GcpProviderFact[] = [
  {
    type: "google_project_service",
    stateful: false,
    forceNew: ["service", "project"],
    companions: "disable_on_destroy defaults to true (turns the API off on destroy, breaking every other user of the project); disable_dependent_services",
    apis: ["serviceusage", "cloudresourcemanager"],
    calls: "create: services.list (batched), batchEnable/enable + operation polling; read: Cloud Resource Manager projects.get (project not DELETE_REQUESTED) + services.list; delete: services.disable unless disable_on_destroy = false",
    cloudChanges: [],
    stability:
      "disable_on_destroy = false and disable_dependent_services = false (destroy only forgets it); an API disabled out of band is dropped from state and re-enabled by the next apply; Cloud Resource Manager and Service Usage are prerequisites (prerequisites.ts), never google_project_service",
    source: "google/services/resourcemanager/resource_google_project_service.go (resourceGoogleProjectServiceCreate, Read, Delete); serviceusage_batching.go",
  },
  {
    type: "data.google_project",
    stateful: false,
    forceNew: [],
    companions: "project_id validated as a project id",
    apis: ["cloudresourcemanager"],
    calls: "plan: Cloud Resource Manager projects.get (v1) and Cloud Billing projects.getBillingInfo (403 accessNotConfigured only logged)",
    cloudChanges: [],
    stability: "read at plan time without depends_on (Cloud Resource Manager is a prerequisite, so nothing defers it); only `number` is used, which never changes",
    shifts: false,
    source: "google/services/resourcemanager/data_source_google_project.go; resource_google_project.go (readGoogleProject, billing info read)",
  },
  {
    type: "data.google_compute_zones",
    stateful: false,
    forceNew: [],
    companions: "status filter UP|DOWN; region defaults to the provider's",
    apis: ["compute"],
    calls: "plan (or apply when a dependency has pending changes): compute zones.list, filtered by region and status, sorted",
    cloudChanges: [],
    stability:
      "not emitted any more: its names[0] shifts when a zone goes DOWN, and with depends_on the read is deferred to apply, so a VM zone fed from it planned a replacement; zones come from the table in constructs/gcp/zones.ts",
    shifts: true,
    source: "google/services/compute/data_source_google_compute_zones.go (dataSourceGoogleComputeZonesRead)",
  },
  {
    type: "data.terraform_remote_state",
    stateful: false,
    forceNew: [],
    companions: "the S3 backend settings of the stack it reads (cdktf writes them for cross-stack references)",
    apis: [],
    calls: "plan: reads the other stack's state object from the S3 state bucket (no Google API)",
    cloudChanges: [],
    stability: "values change only when the referenced stack replaces what they point at, which must propagate; the stack that holds the resource is deployed first and destroyed last",
    shifts: false,
    source: "hashicorp/terraform internal/builtin/providers/terraform (data source terraform_remote_state)",
  },
  {
    type: "google_billing_budget",
    stateful: false,
    forceNew: ["billing_account"],
    companions:
      "ExactlyOneOf amount.specified_amount | amount.last_period_amount; specified_amount.currency_code must be the billing account's currency; budget_filter.projects must be projects/<number>; all_updates_rule.monitoring_notification_channels at most 5",
    apis: ["billingbudgets"],
    calls: "create/read/update/delete: billingbudgets.googleapis.com (quota project = billing_project) + billing.budgets.* on the billing account",
    cloudChanges: [
      { attribute: "budget_filter[0].credit_types", by: "the API fills it", mode: "fills" },
      { attribute: "budget_filter[0].services", by: "the API fills it", mode: "fills" },
      { attribute: "budget_filter[0].subaccounts", by: "the API fills it", mode: "fills" },
      { attribute: "budget_filter[0].labels", by: "the API fills it", mode: "fills" },
    ],
    stability: "projects given by number (the id would be a permanent diff); the Optional+Computed filters left unset; billing account and currency from the configuration",
    source: "google/services/billing/resource_billing_budget.go (schema, expandBillingBudgetBudgetFilter, flatten)",
  },
  {
    type: "google_monitoring_notification_channel",
    stateful: false,
    forceNew: ["project"],
    companions: "force_delete defaults to false (delete fails while an alerting policy uses the channel); sensitive_labels ExactlyOneOf",
    apis: ["monitoring"],
    calls: "monitoring notificationChannels.create/get/patch/delete",
    cloudChanges: [],
    stability: "type email with labels.email_address; user_labels set explicitly (provider default_labels do not reach them)",
    source: "google/services/monitoring/resource_monitoring_notification_channel.go",
  },
  {
    type: "google_compute_network",
    stateful: false,
    forceNew: ["name", "description", "auto_create_subnetworks", "enable_ula_internal_ipv6", "internal_ipv6_range", "network_profile", "project"],
    companions: "auto_create_subnetworks defaults to true; delete fails while subnetworks, firewall rules, routers, addresses or peerings use it",
    apis: ["compute"],
    calls: "compute networks.insert/get/patch/delete",
    cloudChanges: [{ attribute: "mtu", by: "the API sets its default", mode: "fills" }],
    stability:
      "description is a constant (GCP_FROZEN_DESCRIPTIONS): editing it would replace the VPC; auto_create_subnetworks false; routing_mode set; on destroy the servicenetworking peering left by the abandoned connection must be removed first (gcpServiceNetworkingTeardown)",
    source: "google/services/compute/resource_compute_network.go (schema, resourceComputeNetworkDelete)",
  },
  {
    type: "google_compute_subnetwork",
    stateful: false,
    forceNew: ["name", "network", "region", "description", "ip_cidr_range (shrink only, CustomizeDiff IsShrinkageIpCidr)", "enable_flow_logs", "reserved_internal_range", "project"],
    companions: "log_config fields AtLeastOneOf; defaults aggregation_interval INTERVAL_5_SEC, flow_sampling 0.5, metadata INCLUDE_ALL_METADATA",
    apis: ["compute"],
    calls: "compute subnetworks.insert/get/patch/setPrivateIpGoogleAccess/delete",
    cloudChanges: [
      { attribute: "enable_flow_logs", by: "the API derives it from log_config", mode: "fills" },
      { attribute: "secondary_ip_range", by: "GKE and other services add ranges", mode: "changes" },
      { attribute: "stack_type", by: "the API sets IPV4_ONLY", mode: "fills" },
    ],
    stability: "description is a constant per tier (GCP_FROZEN_DESCRIPTIONS); the CIDR comes from the shared address plan and only ever grows; enable_flow_logs and secondary ranges left unset",
    source: "google/services/compute/resource_compute_subnetwork.go (schema, CustomizeDiff)",
  },
  {
    type: "google_compute_router",
    stateful: false,
    forceNew: ["name", "network", "region", "encrypted_interconnect_router", "project"],
    companions: "bgp optional (asn validated)",
    apis: ["compute"],
    calls: "compute routers.insert/get/patch/delete",
    cloudChanges: [],
    stability: "no bgp block; name and network fixed by the construct path",
    source: "google/services/compute/resource_compute_router.go",
  },
  {
    type: "google_compute_router_nat",
    stateful: false,
    forceNew: ["name", "router", "region", "type", "endpoint_types", "initial_nat_ips", "project"],
    companions: "source_subnetwork_ip_ranges_to_nat LIST_OF_SUBNETWORKS needs subnetwork blocks (hashed by subnetwork name); initial_nat_ips conflicts with nat_ips",
    apis: ["compute"],
    calls: "compute routers.patch/get under a per-router mutex",
    cloudChanges: [
      { attribute: "min_ports_per_vm", by: "the API default", mode: "fills" },
      { attribute: "enable_endpoint_independent_mapping", by: "the API default", mode: "fills" },
      { attribute: "enable_dynamic_port_allocation", by: "the API default", mode: "fills" },
      { attribute: "nat_ips", by: "AUTO_ONLY allocation", mode: "fills" },
    ],
    stability: "AUTO_ONLY addresses; the Optional+Computed port settings left unset",
    source: "google/services/compute/resource_compute_router_nat.go (computeRouterNatSubnetworkHash)",
  },
  {
    type: "google_compute_firewall",
    stateful: false,
    forceNew: ["name", "direction", "project"],
    companions: "ExactlyOneOf allow | deny; INGRESS needs source_ranges, source_tags or source_service_accounts (CustomizeDiff); source/target service accounts conflict with tags",
    apis: ["compute"],
    calls: "compute firewalls.insert/get/patch/delete",
    cloudChanges: [{ attribute: "destination_ranges", by: "the API sets 0.0.0.0/0 on EGRESS rules without ranges", mode: "fills" }],
    stability: "every rule sets its direction and ranges explicitly; targets are service accounts (not tags anyone who edits a VM can change)",
    source: "google/services/compute/resource_compute_firewall.go (resourceComputeFirewallSourceFieldsCustomizeDiff)",
  },
  {
    type: "google_compute_global_address",
    stateful: false,
    forceNew: ["name", "description", "address", "address_type", "ip_version", "prefix_length", "purpose", "network", "project"],
    companions: "purpose VPC_PEERING needs network and INTERNAL; delete fails while a service networking connection reserves the range",
    apis: ["compute"],
    calls: "compute globalAddresses.insert/get/setLabels/delete",
    cloudChanges: [],
    stability: "address and prefix_length set from the address plan (Computed only when unset); description a constant (GCP_FROZEN_DESCRIPTIONS)",
    source: "google/services/compute/resource_compute_global_address.go",
  },
  {
    type: "google_service_networking_connection",
    stateful: false,
    forceNew: ["network", "service"],
    companions: "deletion_policy ABANDON | \"\"; update_on_creation_fail patches the ranges of an existing connection when create fails with 'Cannot modify allocated ranges'",
    apis: ["servicenetworking", "cloudresourcemanager", "compute"],
    calls:
      "create: services.connections.create (fallback patch force=true); every CRUD: Cloud Resource Manager projects.get for the project number; read: connections.list; delete: deleteConnection, or nothing with ABANDON",
    cloudChanges: [],
    stability:
      "ABANDON (the delete fails while Cloud SQL holds producer resources, for days after the instance is gone) and update_on_creation_fail = true so a re-created stack adopts the abandoned connection; the peering it leaves is removed by the documented teardown command",
    source: "google/services/servicenetworking/resource_service_networking_connection.go (Create, Update, Delete, RetrieveServiceNetworkingNetworkName)",
  },
  {
    type: "google_compute_instance",
    stateful: false,
    forceNew: [
      "name",
      "zone",
      "boot_disk[0].initialize_params[0].image",
      "boot_disk[0].initialize_params[0].size",
      "boot_disk[0].initialize_params[0].type",
      "network_interface",
      "hostname",
      "metadata_startup_script (CustomizeDiff)",
      "network_interface[0].network_ip (CustomizeDiff forceNewIfNetworkIPNotUpdatable)",
      "project",
    ],
    companions: "machine_type, service_account and shielded_instance_config change only when stopped: allow_stopping_for_update",
    apis: ["compute"],
    calls: "compute instances.insert/get/setMetadata/setMachineType/stop/start/delete",
    cloudChanges: [{ attribute: "network_interface[0].network_ip", by: "assigned from the subnetwork at create", mode: "fills" }],
    stability:
      "zone from the zone table (a constant; never a data source); image family ubuntu-2404-lts-amd64, whose newer images are diff-suppressed (DiskImageDiffSuppress); network_ip unset; metadata carries no ssh-keys (OS Login); not stateful: the boot disk holds no application data",
    source: "google/services/compute/resource_compute_instance.go (schema, CustomizeDiff); resource_compute_disk.go (DiskImageDiffSuppress)",
  },
  {
    type: "google_service_account",
    stateful: false,
    forceNew: ["account_id", "project"],
    companions: "account_id RFC 1035, 6-30 characters (ValidateRFC1035Name(6, 30)); email and member are known at plan (CustomizeDiff)",
    apis: ["iam"],
    calls: "iam serviceAccounts.create/get/patch/delete (create waits 10 s for consistency)",
    cloudChanges: [],
    stability: "account_id built at synth, shortened with a hash to at most 30 characters (GCP_NAME_RULES.serviceAccountId); a deleted id can be re-created at once (new principal)",
    source: "google/services/resourcemanager/resource_google_service_account.go (schema, resourceGoogleServiceAccountCustomizeDiff)",
  },
  {
    type: "google_project_iam_member",
    stateful: false,
    forceNew: ["project", "role", "member", "condition"],
    companions: "non-authoritative for the role; member must be type:value",
    apis: ["cloudresourcemanager"],
    calls: "Cloud Resource Manager projects.getIamPolicy/setIamPolicy (read-modify-write of the whole policy, batched per project, etag retry)",
    cloudChanges: [],
    stability: "role, member and condition fixed at synth (the condition names the instance through a reference)",
    source: "google/tpgiamresource/resource_iam_member.go; google/services/resourcemanager/iam_project.go",
  },
  {
    type: "google_project_iam_audit_config",
    stateful: false,
    forceNew: ["project"],
    companions: "authoritative per service: create/update remove every other audit config of the service, delete removes them all",
    apis: ["cloudresourcemanager"],
    calls: "Cloud Resource Manager projects.getIamPolicy/setIamPolicy (auditConfigs), batched with project IAM members",
    cloudChanges: [],
    stability: "written by exactly one stack per project (GcpPlatform.projectSettingsOwner): the primary stack of the environment that owns the project; other stacks never write or delete it",
    source: "google/tpgiamresource/resource_iam_audit_config.go (resourceIamAuditConfigCreateUpdate, Delete, removeAllAuditConfigsWithService)",
  },
  {
    type: "google_storage_bucket",
    stateful: true,
    forceNew: ["name", "location", "project", "enable_object_retention", "custom_placement_config", "hierarchical_namespace", "retention_policy[0].is_locked (once locked)"],
    companions:
      "force_destroy is state-only (apply it before destroy); destroy with force_destroy = false fails once any object version exists; uniform access needed for IAM conditions",
    apis: ["storage"],
    calls: "storage buckets.insert/get/patch/delete; destroy with force_destroy: objects.list(versions) + objects.delete of every generation",
    cloudChanges: [
      { attribute: "soft_delete_policy", by: "Cloud Storage (or an organization policy) sets the retention", mode: "fills" },
      { attribute: "rpo", by: "the API default for dual- and multi-regions", mode: "fills" },
    ],
    stability:
      "location written upper-case (the StateFunc form); soft_delete_policy and rpo unset; force_destroy = !deletionProtection; prevent_destroy with deletionProtection; a deleted name can be reused at once",
    source: "google/services/storage/resource_storage_bucket.go (schema, resourceStorageBucketDelete)",
  },
  {
    type: "google_storage_bucket_iam_member",
    stateful: false,
    forceNew: ["bucket", "role", "member", "condition"],
    companions: "conditions need uniform bucket-level access",
    apis: ["storage"],
    calls: "storage buckets.getIamPolicy/setIamPolicy",
    cloudChanges: [],
    stability: "one member per grantee and level, on the bucket only",
    source: "google/tpgiamresource/resource_iam_member.go; google/services/storage/iam_storage_bucket.go",
  },
  {
    type: "google_logging_project_bucket_config",
    stateful: true,
    forceNew: ["project", "location", "bucket_id"],
    companions: "retention_days defaults to 30; locked buckets cannot change retention; cmek_settings cannot be removed",
    apis: ["logging"],
    calls: "create: buckets.get, then update (acquire) or createAsync; delete: buckets.delete, which leaves the bucket DELETE_REQUESTED for 7 days",
    cloudChanges: [],
    stability:
      "bucket_id ends with a random suffix kept in state (random_id): the provider would adopt a DELETE_REQUESTED bucket of the same id, so a re-created stack gets a fresh id; prevent_destroy with deletionProtection",
    source: "google/services/logging/resource_logging_project_bucket_config.go (acquire-or-create); resource_logging_bucket_config.go (resourceLoggingBucketConfigDelete)",
  },
  {
    type: "google_logging_project_sink",
    stateful: false,
    forceNew: ["name", "project"],
    companions: "unique_writer_identity defaults to true; a destination log bucket in the same project needs no grant",
    apis: ["logging"],
    calls: "sinks.get then create or update (acquire-or-create), sinks.delete",
    cloudChanges: [],
    stability: "unique_writer_identity set; the filter names the subnetworks and the NAT gateway by their constant names",
    source: "google/services/logging/resource_logging_project_sink.go; resource_logging_sink.go",
  },
  {
    type: "google_sql_database_instance",
    stateful: true,
    forceNew: [
      "name",
      "region",
      "project",
      "encryption_key_name",
      "settings[0].disk_type",
      "settings[0].collation",
      "settings[0].disk_size (decrease, CustomizeDiff IsDiskShrinkage)",
      "settings[0].ip_configuration[0].private_network (removal, CustomizeDiff)",
      "master_instance_name",
    ],
    companions:
      "deletion_protection (Terraform, default true) and settings.deletion_protection_enabled (API) both block delete; db-custom tiers need edition ENTERPRISE; a private network needs the service networking connection; name reserved ~1 week after delete",
    apis: ["sqladmin", "servicenetworking", "cloudresourcemanager"],
    calls:
      "sqladmin instances.insert/get/update (whole settings)/delete + operations; on create a private-IP precheck through Service Networking and Cloud Resource Manager (errors swallowed)",
    cloudChanges: [
      { attribute: "settings[0].disk_size", by: "storage auto-grow raises it", mode: "changes" },
      { attribute: "settings[0].location_preference", by: "the API picks the zones, and a failover moves the primary", mode: "changes" },
      { attribute: "maintenance_version", by: "maintenance", mode: "changes" },
    ],
    stability:
      "settings[0].disk_size in lifecycle.ignore_changes (the initial size only); location_preference and maintenance_version unset; edition ENTERPRISE explicit; the name ends with a random suffix kept in state (re-creatable at once, and the same whatever deletionProtection is); prevent_destroy plus both protections with deletionProtection",
    source: "google/services/sql/resource_sql_database_instance.go (schema, CustomizeDiff ForceNewIfChange IsDiskShrinkage, privateNetworkCustomizeDiff, resourceSqlDatabaseInstanceDelete)",
  },
  {
    type: "google_sql_database",
    stateful: true,
    forceNew: ["name", "instance", "project"],
    companions: "deletion_policy DELETE (default) | ABANDON; drop fails with open connections",
    apis: ["sqladmin"],
    calls: "sqladmin databases.insert/get/patch/delete",
    cloudChanges: [
      { attribute: "charset", by: "the API default (UTF8)", mode: "fills" },
      { attribute: "collation", by: "the API default", mode: "fills" },
    ],
    stability: "charset and collation unset; deletion_policy ABANDON (the instance's delete removes it); prevent_destroy with deletionProtection",
    source: "google/services/sql/resource_sql_database.go",
  },
  {
    type: "google_sql_user",
    stateful: false,
    forceNew: ["name", "instance", "type", "host", "project"],
    companions:
      "password_wo (write-only, Terraform >= 1.11) conflicts with password, password_wo_version requires it; the password is sent on create and when password_wo_version changes; CLOUD_IAM_SERVICE_ACCOUNT on PostgreSQL: the e-mail without .gserviceaccount.com (Read compares it verbatim); deletion_policy ABANDON | \"\"",
    apis: ["sqladmin"],
    calls: "sqladmin users.insert/list/update/delete (instance mutex)",
    cloudChanges: [],
    stability:
      "the built-in admin gets the generated password through password_wo with the credentials' version; IAM users are named trimsuffix(email, \".gserviceaccount.com\"); both ABANDON on destroy (PostgreSQL refuses to drop a role that owns objects or holds grants)",
    source: "google/services/sql/resource_sql_user.go (resourceSqlUserCreate, Read, Update, Delete, diffSuppressIamUserName)",
  },
  {
    type: "google_secret_manager_secret",
    stateful: true,
    forceNew: ["secret_id", "replication", "project", "tags"],
    companions:
      "ExactlyOneOf replication.auto | replication.user_managed; user_managed replicas need one key per replica region for CMEK; deletion_protection (Terraform only, since 6.43.0) refuses delete; no soft delete: the id is reusable at once",
    apis: ["secretmanager"],
    calls: "secretmanager secrets.create/get/patch/delete",
    cloudChanges: [],
    stability: "user_managed replication in the stack's region, fixed at create; deletion_protection and prevent_destroy with deletionProtection",
    source: "google/services/secretmanager/resource_secret_manager_secret.go (schema, secretManagerSecretAutoCustomizeDiff, Delete)",
  },
  {
    type: "google_secret_manager_secret_version",
    stateful: false,
    forceNew: ["secret", "secret_data", "secret_data_wo_version", "is_secret_data_base64"],
    companions:
      "secret_data_wo (write-only) conflicts with secret_data; secret_data_wo_version defaults to 0; deletion_policy DELETE | DISABLE | ABANDON; with secret_data_wo_version set, Read never accesses the payload",
    apis: ["secretmanager"],
    calls: "create: secrets.addVersion; read: versions.get (no access); delete: versions.destroy (or disable)",
    cloudChanges: [],
    stability:
      "the version number is the credentials' version: bumping it replaces the version with the value of that apply (rotation by design, create_before_destroy so the secret always has an enabled version), so it is not protected by prevent_destroy; the secret above it is",
    source: "google/services/secretmanager/resource_secret_manager_secret_version.go (schema, Create, flattenSecretManagerSecretVersionPayload, Delete)",
  },
  {
    type: "google_secret_manager_secret_iam_member",
    stateful: false,
    forceNew: ["secret_id", "role", "member", "condition"],
    companions: "secret_id accepts projects/<p>/secrets/<id>",
    apis: ["secretmanager"],
    calls: "secretmanager secrets.getIamPolicy/setIamPolicy",
    cloudChanges: [],
    stability: "roles/secretmanager.secretAccessor on the one secret per grantee, in the grantee's stack across stacks",
    source: "google/services/secretmanager/iam_secret_manager_secret.go; google/tpgiamresource/resource_iam_member.go",
  },
  {
    type: "random_id",
    stateful: false,
    forceNew: ["byte_length", "keepers", "prefix"],
    companions: "none",
    apis: [],
    calls: "none (generated locally, kept in state)",
    cloudChanges: [],
    stability: "no keepers: it never changes while the stack exists, and a destroyed stack gets a new one",
    source: "hashicorp/terraform-provider-random internal/provider/resource_id.go",
  },
  {
    type: "ephemeral.random_password",
    stateful: false,
    forceNew: [],
    companions: "random >= 3.7.0, Terraform >= 1.10; length must be at least the sum of the min_* counts; only write-only attributes (and other ephemeral contexts) may take result",
    apis: [],
    calls: "none (generated locally at every plan and apply, never stored)",
    cloudChanges: [],
    stability:
      "a new value at every run, harmless because write-only attributes are sent only on create or when their *_wo_version changes; the secret version is written before the user, so a first apply that fails half-way needs a rotation (version bump) only if the user was created and the version was not",
    source: "hashicorp/terraform-provider-random internal/provider/ephemeral_password.go (Schema, Open, applyDefaultPasswordParameters)",
  },
];

/** The fact for `type`, or undefined when the type was never reviewed. */
export function gcpProviderFact(type: string): GcpProviderFact | undefined {
  return GCP_PROVIDER_FACTS.find((f) => f.type === type);
}

/** Resource types that hold data: production refuses to destroy them (policy GCP-STATEFUL-PREVENT-DESTROY). */
export const GCP_STATEFUL_TYPES: readonly string[] = GCP_PROVIDER_FACTS.filter((f) => f.stateful).map((f) => f.type);
