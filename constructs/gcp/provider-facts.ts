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
  /**
   * Holds no data, but the instances this selects must survive a production destroy like the stateful types
   * (prevent_destroy): what the outside world points at and cannot get back (the load balancer's public address).
   */
  readonly mustSurvive?: { readonly instances: string; readonly applies: (body: Readonly<Record<string, unknown>>) => boolean };
  /**
   * Data sources only: why the APIs they call are on before the first plan without depending on an enablement
   * (a data source with depends_on is read at apply whenever the dependency changes, which would make a
   * ForceNew attribute fed from it unknown and plan a replacement).
   */
  readonly apisOnBeforePlan?: string;
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
    stability:
      "every rule sets its direction and ranges explicitly; targets are service accounts (not tags anyone who edits a VM can change); the app tier's port admits only the load balancer's ranges (35.191.0.0/16, 130.211.0.0/22), SSH only IAP TCP forwarding (35.235.240.0/20) when operator access is on; names come from the construct path and the peer, so a new peer is a new rule, never a renamed one",
    source: "google/services/compute/resource_compute_firewall.go (resourceComputeFirewallSourceFieldsCustomizeDiff)",
  },
  {
    type: "google_compute_global_address",
    stateful: false,
    forceNew: ["name", "description", "address", "address_type", "ip_version", "prefix_length", "purpose", "network", "project"],
    companions:
      "every settable field but labels is ForceNew, description included; purpose VPC_PEERING needs network and INTERNAL; delete fails while a service networking connection reserves the range; an EXTERNAL address has no deletion switch, and deleting it releases the IP the domain points at (a new one is a different IP)",
    apis: ["compute"],
    calls: "compute globalAddresses.insert/get/setLabels/delete",
    cloudChanges: [{ attribute: "address", by: "the API allocates it when unset (EXTERNAL)", mode: "fills" }],
    stability:
      "two uses: the private services range (address and prefix_length from the address plan, description GCP_FROZEN_DESCRIPTIONS.privateServices) and the HTTPS entry's public IPv4 (address left to the API, constant description, prevent_destroy with deletionProtection, policy GCP-PREVENT-DESTROY)",
    mustSurvive: {
      instances: "EXTERNAL addresses without a purpose, i.e. the load balancer's IP that DNS points at; internal ranges are re-creatable",
      applies: (body) => (body.address_type ?? "EXTERNAL") === "EXTERNAL" && body.purpose === undefined,
    },
    source: "google/services/compute/resource_compute_global_address.go (schema: ForceNew on every field but labels)",
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
    type: "google_compute_region_instance_template",
    stateful: false,
    forceNew: [
      "name",
      "name_prefix",
      "region",
      "description",
      "machine_type",
      "disk",
      "network_interface",
      "service_account",
      "shielded_instance_config",
      "metadata",
      "can_ip_forward",
      "scheduling",
      "effective_labels (the provider's default_labels: a tag change replaces the template)",
      "project",
    ],
    companions:
      "immutable: Update only re-reads labels; name conflicts with name_prefix, name_prefix at most 54 characters and above 37 gets a shorter unique suffix (ReducedPrefixedUniqueId); only the first disk may be the boot disk (resourceComputeInstanceTemplateBootDiskCustomizeDiff); a template a group uses cannot be deleted, so a replacement must be created first",
    apis: ["compute"],
    calls: "compute regionInstanceTemplates.insert/get/delete + region operations",
    cloudChanges: [
      { attribute: "scheduling", by: "the API default (automatic restart, MIGRATE on host maintenance)", mode: "fills" },
      { attribute: "disk[0].device_name", by: "the API names the disk", mode: "fills" },
    ],
    stability:
      "name_prefix of at most 37 characters (fit() in app-tier.ts) with create_before_destroy, so every change is a new template the group rolls to; image family GCP_VM_IMAGE, which ResolveImage keeps as the family path (a newer image in the family is no diff; resourceComputeInstanceTemplateSourceImageCustomizeDiff); scheduling and device names unset; no labels of its own",
    source:
      "google/services/compute/resource_compute_region_instance_template.go (schema, resourceComputeRegionInstanceTemplateCreate, Update); resource_compute_instance_template.go (CustomizeDiff helpers); image.go (ResolveImage)",
  },
  {
    type: "google_compute_region_instance_group_manager",
    stateful: false,
    forceNew: ["name", "base_instance_name", "region", "description", "distribution_policy_zones", "project"],
    companions:
      "Create always sends target_size (ForceSendFields), 0 when unset; regional groups: max_surge_fixed and max_unavailable_fixed each 0 or at least the number of zones, one of them above 0 (API error at apply, not at plan); wait_for_instances blocks until timeout while auto-healing recreates failing instances; a backend service needs instance_group (the group URL), not the manager id",
    apis: ["compute"],
    calls: "compute regionInstanceGroupManagers.insert/get/patch/resize/setInstanceTemplate/delete + region operations; Update calls resize only when target_size changes",
    cloudChanges: [
      { attribute: "target_size", by: "the autoscaler resizes the group", mode: "changes" },
      { attribute: "update_policy", by: "the API defaults (surge and unavailable = number of zones)", mode: "fills" },
      { attribute: "instance_lifecycle_policy", by: "the API default", mode: "fills" },
      { attribute: "distribution_policy_target_shape", by: "the API default (EVEN)", mode: "fills" },
    ],
    stability:
      "zones from the zone table (a constant set, never a data source: the attribute is ForceNew); target_size = the profile's desired size at the first apply, then in lifecycle.ignore_changes (the autoscaler owns it); every update_policy and lifecycle field explicit (PROACTIVE, REPLACE, surge = zones, unavailable = 0, SUBSTITUTE); wait_for_instances false; base_instance_name at most 58 characters; version.instance_template diff-suppressed between id and self link",
    source: "google/services/compute/resource_compute_region_instance_group_manager.go (schema, Create ForceSendFields TargetSize, Update)",
  },
  {
    type: "google_compute_region_autoscaler",
    stateful: false,
    forceNew: ["name", "region", "project"],
    companions:
      "must be the only thing that sizes its group (the group ignores target_size); scale_in_control needs max_scaled_in_replicas or time_window_sec; it references the group, so Terraform deletes it first",
    apis: ["compute"],
    calls: "compute regionAutoscalers.insert/get/update/delete + region operations",
    cloudChanges: [
      { attribute: "autoscaling_policy[0].cpu_utilization", by: "the API default target (0.6)", mode: "fills" },
    ],
    stability: "min and max from the profile; CPU target, predictive method, mode, cooldown and scale-in control all set; target = the group's id (self link or name compared)",
    source: "google/services/compute/resource_compute_region_autoscaler.go (schema, expandComputeRegionAutoscalerAutoscalingPolicy)",
  },
  {
    type: "google_compute_health_check",
    stateful: false,
    forceNew: ["name", "project"],
    companions:
      "exactly one protocol block; validatePortSpec (CustomizeDiff): USE_NAMED_PORT needs port_name and no port, USE_SERVING_PORT neither; timeout_sec must not exceed check_interval_sec (API error); probes come from 35.191.0.0/16 and 130.211.0.0/22, so without a firewall rule auto-healing recreates every instance in a loop",
    apis: ["compute"],
    calls: "compute healthChecks.insert/get/update/delete + global operations",
    cloudChanges: [{ attribute: "log_config", by: "the API default (off)", mode: "fills" }],
    stability: "HTTP on the app port with USE_FIXED_PORT (auto-healing has no serving port), interval 10 s and timeout 5 s, thresholds and log_config set; the entry's firewall rule admits the probe ranges on the port",
    source: "google/services/compute/resource_compute_health_check.go (schema, healthCheckCustomizeDiff, validatePortSpec, portDiffSuppress)",
  },
  {
    type: "google_compute_backend_service",
    stateful: false,
    forceNew: ["name", "project"],
    companions:
      "load_balancing_scheme defaults to EXTERNAL (classic) and must match the forwarding rules' EXTERNAL_MANAGED; security_policy is not sent by create or update but set afterwards with setSecurityPolicy (compute.securityPolicies.use); exactly one health check; backend.group a full instance group URL",
    apis: ["compute"],
    calls: "compute backendServices.insert/get/update/setSecurityPolicy/delete + global operations",
    cloudChanges: [
      { attribute: "port_name", by: "the API default (http)", mode: "fills" },
      { attribute: "protocol", by: "the API default (HTTP)", mode: "fills" },
      { attribute: "timeout_sec", by: "the API default (30)", mode: "fills" },
      { attribute: "session_affinity", by: "the API default (NONE)", mode: "fills" },
      { attribute: "cdn_policy", by: "the API fills it when CDN is on", mode: "fills" },
      { attribute: "iap", by: "IAP for the backend, when turned on in the console", mode: "fills" },
    ],
    stability:
      "scheme EXTERNAL_MANAGED, protocol HTTP, port_name = the group's named port, timeout 30 s, draining 60 s, log_config { enable, sample_rate 1 } and the Cloud Armor policy set explicitly; group = the manager's instance_group; everything but the name is updated in place",
    source: "google/services/compute/resource_compute_backend_service.go (schema, resourceComputeBackendServiceCreate: setSecurityPolicy after insert)",
  },
  {
    type: "google_compute_url_map",
    stateful: false,
    forceNew: ["name", "project"],
    companions:
      "exactly one of default_service, default_url_redirect, default_route_action.weighted_backend_services; default_url_redirect.strip_query is Required; https_redirect only on a map used by a target HTTP proxy",
    apis: ["compute"],
    calls: "compute urlMaps.insert/get/update/delete + global operations",
    cloudChanges: [],
    stability:
      "two maps: entry/Resource (default_service only) and entry/redirect (default_url_redirect only: https_redirect, strip_query false, MOVED_PERMANENTLY_DEFAULT); names constant, so the access-log filter naming the map stays true",
    source: "google/services/compute/resource_compute_url_map.go (schema, ExactlyOneOf default_*)",
  },
  {
    type: "google_compute_target_https_proxy",
    stateful: false,
    forceNew: ["name", "description", "proxy_bind", "http_keep_alive_timeout_sec", "tls_early_data", "project"],
    companions:
      "ssl_certificates conflicts with certificate_manager_certificates (ConflictsWith); a certificate it references cannot be deleted until it stops referencing it; without ssl_policy the proxy accepts TLS 1.0 (the policy default)",
    apis: ["compute"],
    calls: "compute targetHttpsProxies.insert/get/setSslCertificates/setSslPolicy/setUrlMap/setQuicOverride/delete + global operations",
    cloudChanges: [
      { attribute: "proxy_bind", by: "the API default", mode: "fills" },
      { attribute: "tls_early_data", by: "the API default", mode: "fills" },
      { attribute: "quic_override", by: "the API default (NONE)", mode: "fills" },
    ],
    stability: "name, url_map, ssl_certificates and ssl_policy only (no ForceNew field beyond the name); a new certificate is swapped in place with setSslCertificates",
    source: "google/services/compute/resource_compute_target_https_proxy.go (schema, Update)",
  },
  {
    type: "google_compute_target_http_proxy",
    stateful: false,
    forceNew: ["name", "description", "proxy_bind", "http_keep_alive_timeout_sec", "project"],
    companions: "its URL map must be the redirect-only map (policy GCP-LB-HTTP-REDIRECT-ONLY)",
    apis: ["compute"],
    calls: "compute targetHttpProxies.insert/get/setUrlMap/delete + global operations",
    cloudChanges: [{ attribute: "proxy_bind", by: "the API default", mode: "fills" }],
    stability: "name and url_map only",
    source: "google/services/compute/resource_compute_target_http_proxy.go",
  },
  {
    type: "google_compute_ssl_policy",
    stateful: false,
    forceNew: ["name", "description", "project"],
    companions: "sslPolicyCustomizeDiff: profile CUSTOM needs custom_features, the other profiles refuse them; no TLS_1_3 value at this release; defaults TLS_1_0 and COMPATIBLE",
    apis: ["compute"],
    calls: "compute sslPolicies.insert/get/patch/delete + global operations",
    cloudChanges: [],
    stability: "min_tls_version TLS_1_2 and profile RESTRICTED explicit; the description is a constant",
    source: "google/services/compute/resource_compute_ssl_policy.go (schema, sslPolicyCustomizeDiff)",
  },
  {
    type: "google_compute_managed_ssl_certificate",
    stateful: false,
    forceNew: ["name", "description", "type", "managed", "project"],
    companions:
      "there is no update; create returns once the object exists and the certificate turns ACTIVE only after the domain resolves to an address whose 443 rule reaches a proxy that references it (up to about an hour); delete fails while a proxy uses it, so the default destroy-then-create order fails on any change",
    apis: ["compute"],
    calls: "compute sslCertificates.insert/get/delete + global operations",
    cloudChanges: [],
    stability:
      "create_before_destroy and a name ending with a hash of the domain: a new domain is a new certificate, attached before the old one is detached and deleted; the description depends on the domain only; domains compared without a trailing dot (AbsoluteDomainSuppress)",
    source: "google/services/compute/resource_compute_managed_ssl_certificate.go (schema: every field ForceNew, no Update)",
  },
  {
    type: "google_compute_global_forwarding_rule",
    stateful: false,
    forceNew: ["name", "description", "ip_address", "ip_protocol", "ip_version", "port_range", "network", "network_tier", "subnetwork", "source_ip_ranges", "metadata_filters", "project"],
    companions:
      "load_balancing_scheme defaults to EXTERNAL (classic) and must match the backend service's EXTERNAL_MANAGED; two rules (80 and 443) may share one address",
    apis: ["compute"],
    calls: "compute globalForwardingRules.insert/get/setTarget/setLabels/delete + global operations",
    cloudChanges: [
      { attribute: "network_tier", by: "the API default (PREMIUM)", mode: "fills" },
      { attribute: "ip_protocol", by: "the API default (TCP)", mode: "fills" },
    ],
    stability:
      "ip_address = the global address's address (an IP or reference compared as equal: InternalIpDiffSuppress), ip_protocol TCP, scheme and port_range explicit (\"443\" and \"443-443\" compared as equal), no description; the target is changed in place (setTarget)",
    source: "google/services/compute/resource_compute_global_forwarding_rule.go (schema, Update setTarget, PortRangeDiffSuppress)",
  },
  {
    type: "google_compute_security_policy",
    stateful: false,
    forceNew: ["name", "type", "project"],
    companions:
      "rule is an Optional+Computed set: the API adds a default rule (priority 2147483647) when none is given, so a configuration that manages rules must include it or every plan shows it; rulesCustomizeDiff refuses duplicate priorities; the backend service attaches it with setSecurityPolicy",
    apis: ["compute"],
    calls: "compute securityPolicies.insert/get/patch/addRule/patchRule/removeRule/delete + global operations",
    cloudChanges: [
      { attribute: "rule", by: "the API adds the default rule when none is configured", mode: "fills" },
      { attribute: "advanced_options_config", by: "the API defaults", mode: "fills" },
      { attribute: "adaptive_protection_config[0].layer_7_ddos_defense_config[0].rule_visibility", by: "the API default (STANDARD)", mode: "fills" },
    ],
    stability:
      "type CLOUD_ARMOR; every rule explicit with preview false, the default rule (priority 2147483647, SRC_IPS_V1 *) included; json_parsing and log_level set; descriptions within the API's 64 characters",
    source: "google/services/compute/resource_compute_security_policy.go (schema: rule Optional+Computed, rulesCustomizeDiff, resourceComputeSecurityPolicyUpdate)",
  },
  {
    type: "google_dns_record_set",
    stateful: false,
    forceNew: ["name", "managed_zone", "project"],
    companions:
      "name must end with a dot; create lists the zone's record sets and deletes one of the same name and type in the same change (it overwrites an existing A record); ttl has no default",
    apis: ["dns"],
    calls: "create: dns resourceRecordSets.list, then changes.create (additions, and deletions of a same-name same-type set) under a per-record mutex; read: resourceRecordSets.list by name and type; update and delete: changes.create",
    cloudChanges: [],
    stability:
      "only with a managed dnsZone: name \"<domain>.\", ttl 300, rrdatas [the global address] (equivalent forms suppressed); managed_zone from a data source read at plan time (no depends_on), so it is known on every plan",
    source: "google/services/dns/resource_dns_record_set.go (schema, resourceDnsRecordSetCreate, rrdatasDnsDiffSuppress)",
  },
  {
    type: "data.google_dns_managed_zones",
    stateful: false,
    forceNew: [],
    companions: "lists the project's zones with a single ManagedZones.List call (no paging, no filter); google_dns_managed_zone takes a zone's resource name only, so a zone is found by DNS name",
    apis: ["dns"],
    calls: "plan: dns managedZones.list",
    cloudChanges: [],
    stability:
      "no depends_on (a deferred read would make the record's ForceNew managed_zone unknown and replace it); filtered on dns_name == \"<zone>.\" and visibility public, with a postcondition that exactly one zone matches; the zone it finds never changes while it exists",
    shifts: false,
    apisOnBeforePlan: "the public zone it looks up already exists in the project, so the Cloud DNS API is on (and the recommended gcp-stack-apis prerequisite enables it)",
    source: "google/services/dns/data_source_dns_managed_zones.go (Read)",
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
    stability:
      "two services (storage: DATA_READ + DATA_WRITE; iap: ADMIN_READ + DATA_READ), each written by exactly one stack per project (GcpPlatform.projectSettingsOwner): the primary stack of the environment that owns the project; for IAP, when any environment deployed into the project has operator access (else the stack of a tier that asks for it). Other stacks never write or delete them, so destroying one never turns audit logs off; no depends_on (the setting is IAM policy data, through Cloud Resource Manager)",
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
      "two buckets: VPC flow and NAT logs (network/flow-log-bucket) and load balancer request logs (entry/access-log-bucket), each with the contract's retention_days; bucket_id ends with a random suffix kept in state (random_id): the provider would adopt a DELETE_REQUESTED bucket of the same id, so a re-created stack gets a fresh id; prevent_destroy with deletionProtection (audit evidence)",
    source: "google/services/logging/resource_logging_project_bucket_config.go (resourceLoggingProjectBucketConfigAcquireOrCreate); resource_logging_bucket_config.go (resourceLoggingBucketConfigDelete)",
  },
  {
    type: "google_logging_project_sink",
    stateful: false,
    forceNew: ["name", "project"],
    companions: "unique_writer_identity defaults to true; a destination log bucket in the same project needs no grant",
    apis: ["logging"],
    calls: "sinks.get then create or update (acquire-or-create), sinks.delete",
    cloudChanges: [],
    stability:
      "unique_writer_identity set; destination a log bucket of the same project (no grant to the writer identity); filters name what they route by constant names: the subnetworks and the NAT gateway (flow logs), resource.type http_load_balancer, log_id requests and the URL map's literal name (access logs)",
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

/** Types some of whose instances hold no data but must survive a production destroy (policy GCP-PREVENT-DESTROY). */
export const GCP_MUST_SURVIVE_TYPES: readonly string[] = GCP_PROVIDER_FACTS.filter((f) => f.mustSurvive).map((f) => f.type);

/** Whether production must refuse to destroy this resource: it holds data, or it is what the outside world points at. */
export function gcpMustSurviveDestroy(type: string, body: Readonly<Record<string, unknown>>): boolean {
  const fact = gcpProviderFact(type);
  return fact !== undefined && (fact.stateful || (fact.mustSurvive?.applies(body) ?? false));
}
