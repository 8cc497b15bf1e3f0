/**
 * What the provider's own source says about every Terraform type the Azure
 * stacks emit, at the pinned release (hashicorp/terraform-provider-azurerm
 * v4.55.0; hashicorp/random 3.7.2, hashicorp/time 0.13.1; cdktf's
 * cross-stack `terraform_remote_state`): what forces a replacement, what must
 * come with it, which APIs (ARM or data plane) it calls, what Azure changes by
 * itself, and how our output stays stable. docs/azure-provider-review.md is
 * generated from this table (scripts/azure-provider-review.ts) and a test
 * keeps the two equal; __tests__/azure-replacement-safety.test.ts turns the
 * `changedByCloud` column into assertions on every Azure stack.
 *
 * Provider-free on purpose: plain data, no binding import.
 *
 * Paths are relative to the provider repository at the tag; "CL x.y" is the
 * CHANGELOG entry that introduced an attribute.
 */

/**
 * What a stateful resource holds: data or audit evidence that a replacement or a destroy would lose, or a
 * public identity that a new resource would not keep (`public-identity`: the Front Door profile's id that
 * the application checks, a custom domain's validation and managed certificate).
 */
export type StatefulKind = "database" | "bucket" | "key-store" | "secret" | "log-store" | "disk" | "public-identity";

export interface CloudChange {
  /** The attribute as `lifecycle.ignore_changes` names it (`high_availability[0].standby_availability_zone`). */
  readonly attribute: string;
  /** What changes it, and what a plan would do if the configuration held the old value. */
  readonly cause: string;
}

export interface ProviderFact {
  /** Terraform type: `azurerm_x`, `data.azurerm_x`, `ephemeral.random_password`, `time_sleep`. */
  readonly type: string;
  /** The source read: file and functions. */
  readonly source: string;
  /** Attributes that force a new resource (ForceNew in the schema, or ForceNew from CustomizeDiff, and when). */
  readonly forcesReplacement: readonly string[];
  /** ConflictsWith / RequiredWith / ExactlyOneOf, create-time checks, and other resources it needs. */
  readonly companions: readonly string[];
  /** ARM operations and data-plane calls, and when they happen. */
  readonly apis: readonly string[];
  /** The Azure resource providers it needs registered (constructs/azure/prerequisites.ts registers them). */
  readonly resourceProviders: readonly string[];
  /** Values Azure changes by itself. The replacement-safety test checks each is unset or in `ignore_changes`. */
  readonly changedByCloud: readonly CloudChange[];
  /** How our output keeps the resource stable (and what it does about each entry above). */
  readonly stability: string;
  /**
   * Holds data or audit evidence. `protect`: Terraform refuses to destroy it where deletion protection
   * is on (`prevent_destroy`, AZ-DELETION-PROTECTION); false only with a reason in `stability`.
   */
  readonly stateful?: { readonly kind: StatefulKind; readonly protect: boolean };
}

const SVC = "internal/services";

export const AZURE_PROVIDER_FACTS: readonly ProviderFact[] = [
  // --- platform -------------------------------------------------------------
  {
    type: "azurerm_resource_group",
    resourceProviders: ["Microsoft.Resources"],
    source: `${SVC}/resource/resource_group_resource.go (schema, resourceResourceGroupDelete); internal/features/defaults.go`,
    forcesReplacement: ["name", "location"],
    companions: ["delete refuses while the group holds resources not in the state (feature resource_group.prevent_deletion_if_contains_resources, default true)"],
    apis: ["ARM: Resources/resourceGroups CreateOrUpdate, Get, Delete (then polls the resources left in the group)"],
    changedByCloud: [],
    stability: "Name and location come from the configuration. The default delete guard stays on: a group with resources Azure or a person added outside Terraform refuses to go instead of deleting them; staging destroy relies on every resource of the group being in the state (the VM's OS disk is deleted with the VM; the scale set's instances, NICs and disks belong to the scale set; Front Door's managed certificate secret belongs to the profile; the flow log lives in the Network Watcher's group).",
  },
  {
    type: "data.azurerm_client_config",
    resourceProviders: [],
    source: `${SVC}/authorization/client_config_data_source.go`,
    forcesReplacement: [],
    companions: [],
    apis: ["none: reads the provider's own credentials (tenant, object id, subscription)"],
    changedByCloud: [],
    stability: "Read at every plan. Its tenant_id feeds the Key Vault and the PostgreSQL Entra settings (stable); its object_id feeds the deployer's Key Vault role, whose principal_id is in ignore_changes, so another identity running plan changes nothing.",
  },
  {
    type: "data.terraform_remote_state",
    resourceProviders: [],
    source: "cdktf cross-stack references (built-in terraform provider)",
    forcesReplacement: [],
    companions: ["the platform stack's state must exist: deploy the platform stack first, destroy the worker stack first"],
    apis: ["reads the other stack's state from the S3 backend"],
    changedByCloud: [],
    stability: "Values are read from the platform stack's outputs at every plan; the worker changes only when those outputs change.",
  },
  {
    type: "ephemeral.random_password",
    resourceProviders: [],
    source: "hashicorp/terraform-provider-random v3.7.2 internal/provider/ephemeral_password.go (CHANGELOG 3.7.0: ephemeral random_password)",
    forcesReplacement: [],
    companions: ["Terraform >= 1.11 (ephemeral values may only flow into write-only attributes)", "the database's administrator_password_wo and the secret's value_wo, both with the same *_wo_version"],
    apis: ["none: generated locally when a plan or apply opens it"],
    changedByCloud: [],
    stability: "A new value exists at every run, but write-only attributes are only sent when their *_wo_version changes: the server and the secret receive the same value on the first apply and again only when the credentials' version is bumped.",
  },
  {
    type: "time_sleep",
    resourceProviders: [],
    source: "hashicorp/terraform-provider-time v0.13.1 internal/provider/resource_time_sleep.go",
    forcesReplacement: ["triggers (RequiresReplace); create_duration and destroy_duration change in place without waiting"],
    companions: ["create_duration AtLeastOneOf destroy_duration"],
    apis: ["none: waits create_duration on create; Read does nothing"],
    changedByCloud: [],
    stability: "Created once after the deployer's Key Vault role; triggers name that role assignment's id, so only a new assignment waits again.",
  },
  // --- network ----------------------------------------------------------------
  {
    type: "azurerm_virtual_network",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/virtual_network_resource.go (schema, resourceVirtualNetworkCreate/Update)`,
    forcesReplacement: ["name", "location", "resource_group_name", "edge_zone"],
    companions: ["inline subnet (ConfigMode Attr, Optional+Computed) must never be mixed with azurerm_subnet resources", "dns_servers vs azurerm_virtual_network_dns_servers: one owner"],
    apis: ["ARM: Network/virtualNetworks CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "Subnets are separate azurerm_subnet resources and the inline list is never set, so the subnets Azure reports back (Optional+Computed) cause no diff.",
  },
  {
    type: "azurerm_subnet",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/subnet_resource.go (schema, flattenSubnetDelegation, resourceSubnetDelete)`,
    forcesReplacement: ["name", "resource_group_name", "virtual_network_name"],
    companions: [
      "address_prefixes ExactlyOneOf ip_address_pool",
      "delegation.service_delegation.actions are read back from Azure (Optional, not Computed): set them to what Azure adds",
      "a subnet named in a storage or Key Vault firewall needs that service's endpoint (Microsoft.Storage / Microsoft.KeyVault)",
    ],
    apis: ["ARM: Network/virtualNetworks/subnets CreateOrUpdate (locks the VNet), Get, Delete (no retry: a flexible server's service association link can outlive the server for minutes)"],
    changedByCloud: [{ attribute: "delegation[0].service_delegation[0].actions", cause: "Azure adds the actions of the delegation it knows" }],
    stability: "The data subnet's delegation lists exactly Azure's action (Microsoft.Network/virtualNetworks/subnets/join/action); service_endpoints is a set (order free): application subnet Microsoft.KeyVault + Microsoft.Storage, data subnet Microsoft.Storage (Microsoft's guidance for flexible-server HA and WAL archiving); default_outbound_access_enabled = false on both. AzureBastionSubnet (operator access only): the name Azure requires (validate.BastionSubnetName on the host), a /26 of the public tier, no NSG of ours and default outbound access left to Azure (Bastion has its own public IP).",
  },
  {
    type: "azurerm_network_security_group",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/network_security_group_resource.go`,
    forcesReplacement: ["name", "location", "resource_group_name"],
    companions: ["inline security_rule (ConfigMode Attr, Optional+Computed) must never be mixed with azurerm_network_security_rule"],
    apis: ["ARM: Network/networkSecurityGroups CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "No inline rules: every rule is a separate resource, and the rules Azure reports on the group (Optional+Computed) cause no diff.",
  },
  {
    type: "azurerm_network_security_rule",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/network_security_rule_resource.go`,
    forcesReplacement: ["name", "resource_group_name", "network_security_group_name"],
    companions: [
      "priority 100-4096, unique per direction in the group (API error otherwise)",
      "source/destination: ExactlyOneOf prefix / prefixes / application_security_group_ids (at most 10); *_port_range ConflictsWith *_port_ranges",
    ],
    apis: ["ARM: securityRules CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "Priorities are handed out in construction order from 100 (NSG_PRIORITIES), the explicit deny sits at 4096; every field but the three names changes in place.",
  },
  {
    type: "azurerm_subnet_network_security_group_association",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/subnet_network_security_group_association_resource.go`,
    forcesReplacement: ["subnet_id", "network_security_group_id"],
    companions: ["azurerm_subnet has no NSG attribute in v4: no double ownership"],
    apis: ["ARM: read-modify-write of the subnet (locks VNet and subnet)"],
    changedByCloud: [],
    stability: "One association per subnet, both ids from our resources.",
  },
  {
    type: "azurerm_public_ip",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/public_ip_resource.go (schema, resourcePublicIpCreate, resourcePublicIpRead)`,
    forcesReplacement: ["name", "location", "resource_group_name", "sku", "sku_tier", "ip_version", "zones", "ip_tags", "public_ip_prefix_id", "edge_zone"],
    companions: [
      "Standard SKU needs allocation_method Static",
      "a NAT gateway without zone needs an IP without zone (or zone-redundant)",
      "zones: none, one, or all three of the location (two are created zone-redundant and read back as three: a replacement on the next plan)",
      "a Bastion host's IP is ForceNew on the host (ip_configuration.public_ip_address_id)",
    ],
    apis: ["ARM: Network/publicIPAddresses CreateOrUpdate, Get, Delete"],
    changedByCloud: [
      { attribute: "zones", cause: "read back from the API (zones.FlattenUntyped) and not Computed: Azure makes Standard IPs created without zones zone-redundant in locations with zones; should it report them, the next plan would replace the IP" },
    ],
    stability: "Three uses. The NAT gateway's and Bastion's IPs have no zones (both are regional) and zones in ignore_changes, since a replacement would change the egress address or replace the Bastion host. The app tier's load balancer IP is zone-redundant (all three zones written out, so the read-back matches); Front Door's origin follows its address by reference, so even a replacement would need no manual step. None holds data: not protected.",
  },
  {
    type: "azurerm_nat_gateway",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/nat_gateway_resource.go`,
    forcesReplacement: ["name", "location", "resource_group_name", "zones"],
    companions: ["sku_name Standard only; at most one zone; idle_timeout_in_minutes 4-120"],
    apis: ["ARM: Network/natGateways CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "Regional (no zone), Standard, idle timeout 10 minutes.",
  },
  {
    type: "azurerm_nat_gateway_public_ip_association",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/nat_gateway_public_ip_association_resource.go`,
    forcesReplacement: ["nat_gateway_id", "public_ip_address_id"],
    companions: ["the IP must be Standard and Static, in a zone compatible with the gateway's"],
    apis: ["ARM: read-modify-write of the NAT gateway"],
    changedByCloud: [],
    stability: "Both ids from our resources.",
  },
  {
    type: "azurerm_subnet_nat_gateway_association",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/subnet_nat_gateway_association_resource.go`,
    forcesReplacement: ["subnet_id", "nat_gateway_id"],
    companions: [],
    apis: ["ARM: read-modify-write of the subnet"],
    changedByCloud: [],
    stability: "Application subnet only; the VM waits for it (cloud-init needs egress at first boot).",
  },
  {
    type: "azurerm_network_watcher_flow_log",
    resourceProviders: ["Microsoft.Network", "microsoft.insights"],
    source: `${SVC}/network/network_watcher_flow_log_resource.go (schema, resourceNetworkWatcherFlowLogCreate); website/docs/r/network_watcher_flow_log.html.markdown`,
    forcesReplacement: ["name", "network_watcher_name", "resource_group_name (the watcher's)", "location"],
    companions: [
      "the Network Watcher must exist (prerequisite: Azure creates it only after the first VNet of a region, asynchronously)",
      "target a VNet: new NSG flow logs are refused since 30 July 2025 (provider docs)",
      "storage account in the same region; its retention rule overwrites the account's lifecycle policy, so the account has no azurerm_storage_management_policy",
    ],
    apis: ["ARM: networkWatchers/flowLogs CreateOrUpdate, Get, Delete; Network Watcher then writes blobs with the account key"],
    changedByCloud: [{ attribute: "location", cause: "Optional+Computed, defaults to the watcher's location" }],
    stability: "location is set to the stack's location (the watcher's); version 2, retention from the contract; target_resource_id changes in place.",
  },
  // --- identity ---------------------------------------------------------------
  {
    type: "azurerm_user_assigned_identity",
    resourceProviders: ["Microsoft.ManagedIdentity"],
    source: `${SVC}/managedidentity/user_assigned_identity_resource.go`,
    forcesReplacement: ["name", "location", "resource_group_name"],
    companions: ["a new identity may not be visible to RBAC at once: role assignments retry PrincipalNotFound"],
    apis: ["ARM: ManagedIdentity/userAssignedIdentities CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "One per compute identity (the app tier's, a VM's); exists before the compute, so grants never wait for a VM or a scale set; its name is the display name Entra administrators are added with.",
  },
  {
    type: "azurerm_application_security_group",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/application_security_group_resource.go`,
    forcesReplacement: ["name", "location", "resource_group_name"],
    companions: ["NSG rules may name at most 10 per side, same region"],
    apis: ["ARM: Network/applicationSecurityGroups CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "One per compute identity; a VM's NIC joins it through an association, a scale set's instances through the ip_configuration (application_security_group_ids); rules follow it whatever address an instance gets.",
  },
  {
    type: "azurerm_role_assignment",
    resourceProviders: ["Microsoft.Authorization"],
    source: `${SVC}/authorization/role_assignment_resource.go (schema, create retry on PrincipalNotFound, read of role_definition_id)`,
    forcesReplacement: ["name", "scope", "role_definition_id", "role_definition_name", "principal_id", "principal_type", "description", "condition", "condition_version", "delegated_managed_identity_resource_id"],
    companions: ["role_definition_id ExactlyOneOf role_definition_name", "the deploying identity needs Microsoft.Authorization/roleAssignments/write"],
    apis: ["ARM: Authorization/roleAssignments Create (retries PrincipalNotFound, waits for replication), Get, Delete"],
    changedByCloud: [{ attribute: "role_definition_id", cause: "read back in the subscription-scoped form" }],
    stability: "role_definition_name, never an id (no form mismatch); principal_type ServicePrincipal for managed identities; descriptions are constant strings, because a changed description replaces the assignment. The deployer's Key Vault role ignores principal_id: the identity of the first apply keeps it. Operator sign-in (Virtual Machine User Login) is scoped to the scale set, for the Entra object ids the props give.",
  },
  // --- compute ----------------------------------------------------------------
  {
    type: "azurerm_network_interface",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/network_interface_resource.go`,
    forcesReplacement: ["name", "location", "resource_group_name", "edge_zone"],
    companions: ["ASGs on a NIC must be in the NIC's VNet"],
    apis: ["ARM: Network/networkInterfaces CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "Dynamic private address; ip_configuration changes in place.",
  },
  {
    type: "azurerm_network_interface_application_security_group_association",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/network_interface_application_security_group_association_resource.go`,
    forcesReplacement: ["network_interface_id", "application_security_group_id"],
    companions: [],
    apis: ["ARM: read-modify-write of the NIC"],
    changedByCloud: [],
    stability: "Both ids from our resources.",
  },
  {
    type: "azurerm_linux_virtual_machine",
    resourceProviders: ["Microsoft.Compute"],
    source: `${SVC}/compute/linux_virtual_machine_resource.go (schema, resourceLinuxVirtualMachineCreate/Update/Read); ${SVC}/compute/virtual_machine.go (os_disk)`,
    forcesReplacement: [
      "name, location, resource_group_name, zone, edge_zone",
      "admin_username, admin_ssh_key, admin_password, computer_name, disable_password_authentication, provision_vm_agent",
      "custom_data, source_image_reference (all four fields), source_image_id",
      "secure_boot_enabled, vtpm_enabled, os_disk.storage_account_type, os_disk.name",
      "priority, eviction_policy, availability_set_id, platform_fault_domain",
    ],
    companions: [
      "encryption_at_host_enabled needs the subscription feature Microsoft.Compute/EncryptionAtHost (prerequisite)",
      "allow_extension_operations = true is refused with provision_vm_agent = false",
      "trusted launch needs a Gen2 image",
    ],
    apis: ["ARM: Compute/virtualMachines CreateOrUpdate, Get, Update (deallocates for encryption_at_host and size changes), Delete (OS disk deleted with it by default)"],
    changedByCloud: [],
    stability: "Regional VM: zone is ForceNew but not Computed, so an unset zone never drifts. source_image_reference.version = latest is echoed back as written. allow_extension_operations = false and encryption_at_host_enabled change in place. The OS disk holds no data (rebuilt from the image and cloud-init), so the VM is not protected from destroy.",
    stateful: { kind: "disk", protect: false },
  },
  {
    type: "azurerm_linux_virtual_machine_scale_set",
    resourceProviders: ["Microsoft.Compute"],
    source: `${SVC}/compute/linux_virtual_machine_scale_set_resource.go (schema, CustomizeDiff on zones, resourceLinuxVirtualMachineScaleSetCreate/Update/Delete); ${SVC}/compute/virtual_machine_scale_set.go (rolling upgrade, automatic repairs, OS disk, extensions); ${SVC}/compute/virtual_machine_scale_set_update.go; ${SVC}/compute/ssh_keys.go`,
    forcesReplacement: [
      "name, location, resource_group_name, edge_zone, admin_username, admin_password, computer_name_prefix, provision_vm_agent, priority, eviction_policy, platform_fault_domain_count, proximity_placement_group_id, capacity_reservation_group_id, host_group_id",
      "upgrade_mode, the whole rolling_upgrade_policy block, extension_operations_enabled, zone_balance, secure_boot_enabled, vtpm_enabled, os_disk.storage_account_type",
      "zones when a zone is removed (CustomizeDiff ForceNewIfChange); adding a zone is in place",
      "not ForceNew on a scale set (unlike a VM): admin_ssh_key (SSHKeysSchema(false)), custom_data, source_image_reference, sku, encryption_at_host_enabled",
    ],
    companions: [
      "upgrade_mode Rolling needs rolling_upgrade_policy and health_probe_id (or an ApplicationHealth extension) in the same create",
      "automatic_instance_repair needs the same health signal; maximum_surge_instances_enabled needs overprovision = false; cross_zone_upgrades_enabled and zone_balance only with zones",
      "health_probe_id: the probe must be used by a load-balancing rule first (depends_on the rule)",
      "at least one admin_ssh_key when disable_password_authentication is true",
      "extension_operations_enabled = true needs the VM agent; the Entra login extension uses the system-assigned identity",
      "encryption_at_host_enabled needs the subscription feature Microsoft.Compute/EncryptionAtHost (prerequisite)",
    ],
    apis: [
      "ARM: Compute/virtualMachineScaleSets CreateOrUpdate, Get, Update (with upgrade_mode Rolling only the model is updated; Azure rolls the instances under the policy), Delete (scaled to zero first: features.virtual_machine_scale_set.scale_to_zero_before_deletion, default true)",
    ],
    changedByCloud: [{ attribute: "instances", cause: "the autoscale setting changes the count; a configured value would reset it at every apply" }],
    stability: "instances is in ignore_changes (the autoscale setting owns it). Zones, zone balance, upgrade mode, the rolling policy (booleans explicit: cross_zone_upgrades_enabled false is what Flatten returns for a zonal set), repairs (grace period and action explicit: both Optional+Computed and sent as given) and extension operations are written once at create and never changed by Azure. A change of image, custom data, size or SSH key rolls the instances a batch at a time with max surge. The instances' disks hold nothing (image and cloud-init): not protected from destroy.",
    stateful: { kind: "disk", protect: false },
  },
  {
    type: "azurerm_monitor_autoscale_setting",
    resourceProviders: ["microsoft.insights"],
    source: `${SVC}/monitor/monitor_autoscale_setting_resource.go (schema, expand/flattenAzureRmMonitorAutoScaleSettingRules)`,
    forcesReplacement: ["name", "location", "resource_group_name", "target_resource_id"],
    companions: ["capacity minimum <= default <= maximum (the shared app-tier validation)", "one enabled autoscale setting per target"],
    apis: ["ARM: Insights/autoscalesettings CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "metric_namespace and divide_by_instance_count are Optional and not Computed but read back from the API: both written out (microsoft.compute/virtualmachinescalesets, false), so the read-back matches. The profile's capacity changes in place; Terraform never touches the scale set's count.",
  },
  // --- serving: load balancer ---------------------------------------------------
  {
    type: "azurerm_lb",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/loadbalancer/lb_resource.go (schema, CustomizeDiff, resourceArmLoadBalancerCreateUpdate)`,
    forcesReplacement: ["name", "location", "resource_group_name", "sku", "sku_tier", "edge_zone", "frontend_ip_configuration.zones (CustomizeDiff ForceNewIf)"],
    companions: [
      "a Standard load balancer needs a Standard public IP",
      "an update is one PUT of the frontends and tags (resourceArmLoadBalancerCreateUpdate); pools, probes and rules are separate resources that read-modify-write the load balancer under its lock",
    ],
    apis: ["ARM: Network/loadBalancers CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "One public frontend on the zone-redundant IP and no frontend zones (the provider's acceptance tests set them only on private frontends; a public frontend follows its IP). Not verifiable without Azure: whether the API reports zones on a public frontend; a read-back would replace the load balancer (frontend zones are ForceNew and not Computed).",
  },
  {
    type: "azurerm_lb_backend_address_pool",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/loadbalancer/lb_backend_address_pool_resource.go`,
    forcesReplacement: ["name", "loadbalancer_id", "synchronous_mode"],
    companions: ["synchronous_mode RequiredWith virtual_network_id (not used: NIC-based pool)"],
    apis: ["ARM: read-modify-write of the load balancer (locked by id and by pool name)"],
    changedByCloud: [],
    stability: "NIC-based: the scale set's ip_configuration joins it; backend_ip_configurations and the rule lists are Computed.",
  },
  {
    type: "azurerm_lb_probe",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/loadbalancer/lb_probe_resource.go`,
    forcesReplacement: ["name", "loadbalancer_id"],
    companions: ["request_path for Http/Https probes", "a probe referenced by a rule cannot be deleted before the rule"],
    apis: ["ARM: read-modify-write of the load balancer (locked)"],
    changedByCloud: [],
    stability: "HTTP on the app port and health path; interval and probe_threshold written out (defaults 15 and 1 otherwise).",
  },
  {
    type: "azurerm_lb_rule",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/loadbalancer/lb_rule_resource.go`,
    forcesReplacement: ["name", "loadbalancer_id"],
    companions: ["frontend_ip_configuration_name must name a frontend of the load balancer", "v4 names floating_ip_enabled / tcp_reset_enabled (the enable_* spellings are deprecated)"],
    apis: ["ARM: read-modify-write of the load balancer (locked)"],
    changedByCloud: [],
    stability: "disable_outbound_snat = true (egress through the subnet's NAT gateway, never the load balancer's address); TCP reset on, floating IP off, idle timeout 15 minutes, all written out; load_distribution (Optional+Computed) left to Azure.",
  },
  // --- serving: Front Door --------------------------------------------------------
  {
    type: "azurerm_cdn_frontdoor_profile",
    resourceProviders: ["Microsoft.Cdn"],
    source: `${SVC}/cdn/cdn_frontdoor_profile_resource.go (schema, CustomizeDiff, resourceCdnFrontDoorProfileRead)`,
    forcesReplacement: ["name", "resource_group_name", "sku_name (a downgrade from Premium to Standard is refused by CustomizeDiff)"],
    companions: ["managed WAF rule sets and Private Link origins need Premium_AzureFrontDoor", "Microsoft.Cdn is not in azurerm's core registration set (registered through resource_providers_to_register)"],
    apis: ["ARM: Cdn/profiles Create, Get, Update, Delete (global)"],
    changedByCloud: [],
    stability: "resource_guid (Computed) is the API's FrontDoorId, the X-Azure-FDID value the application must require: a new profile has a new id, so the profile is protected where deletion protection is on (prevent_destroy and a CanNotDelete lock). response_timeout_seconds keeps its default (120); no log scrubbing rule.",
    stateful: { kind: "public-identity", protect: true },
  },
  {
    type: "azurerm_cdn_frontdoor_endpoint",
    resourceProviders: ["Microsoft.Cdn"],
    source: `${SVC}/cdn/cdn_frontdoor_endpoint_resource.go`,
    forcesReplacement: ["name", "cdn_frontdoor_profile_id"],
    companions: ["name: 2-46 characters (Front Door appends a hash to make the host name)"],
    apis: ["ARM: Cdn/profiles/afdEndpoints Create, Get, Update, Delete (location global)"],
    changedByCloud: [],
    stability: "host_name (Computed, `<name>-<hash>.z01.azurefd.net`) is where the domain's CNAME points. The provider sends no reuse scope, so Azure's default applies (TenantReuse: an endpoint re-created with the same name in the same tenant gets the same host name, Microsoft Learn 'Endpoints in Azure Front Door'); the name is the stack's prefix and the construct id, shortened with a stable hash. Protected at Azure by the profile's lock.",
  },
  {
    type: "azurerm_cdn_frontdoor_origin_group",
    resourceProviders: ["Microsoft.Cdn"],
    source: `${SVC}/cdn/cdn_frontdoor_origin_group_resource.go`,
    forcesReplacement: ["name", "cdn_frontdoor_profile_id"],
    companions: ["load_balancing block required"],
    apis: ["ARM: Cdn/profiles/originGroups Create, Get, Update, Delete"],
    changedByCloud: [],
    stability: "session_affinity_enabled defaults to true: written out false (stateless instances); the health probe (HTTP GET on the tier's path, every 60 s) and the sampling settings are written out.",
  },
  {
    type: "azurerm_cdn_frontdoor_origin",
    resourceProviders: ["Microsoft.Cdn"],
    source: `${SVC}/cdn/cdn_frontdoor_origin_resource.go (schema, resourceCdnFrontDoorOriginCreate); internal/tf/pluginsdk/explicitly_null_config.go`,
    forcesReplacement: ["name", "cdn_frontdoor_origin_group_id"],
    companions: ["certificate_name_check_enabled required", "Create sends enabled only when it is in the configuration, false otherwise"],
    apis: ["ARM: Cdn/profiles/originGroups/origins Create, Get, Update, Delete"],
    changedByCloud: [],
    stability: "enabled = true written out (left out, the origin is created disabled and the next plan shows a diff); host_name is the load balancer IP's address by reference, so a new address updates the origin in place; Host header = the domain.",
  },
  {
    type: "azurerm_cdn_frontdoor_custom_domain",
    resourceProviders: ["Microsoft.Cdn"],
    source: `${SVC}/cdn/cdn_frontdoor_custom_domain_resource.go (schema, resourceCdnFrontDoorCustomDomainCreate/Read); website/docs/r/cdn_frontdoor_custom_domain.html.markdown`,
    forcesReplacement: ["name", "cdn_frontdoor_profile_id", "host_name"],
    companions: [
      "the _dnsauth TXT record with validation_token (dns_zone_id alone does not validate the domain)",
      "the serving CNAME depends_on the domain's route and security policy (provider docs: validation fails otherwise)",
      "tls.minimum_tls_version TLS12 (TLS10 deprecated until 5.0)",
    ],
    apis: ["ARM: Cdn/profiles/customDomains Create (12 h timeout), Get, Update, Delete; Front Door validates the domain by DNS and issues the managed certificate afterwards"],
    changedByCloud: [{ attribute: "tls[0].cdn_frontdoor_secret_id", cause: "Optional+Computed: the secret of Front Door's managed certificate" }],
    stability: "Managed certificate, TLS 1.2, no secret id (the managed one would be a perpetual diff otherwise). A new custom domain has a new validation token and no certificate until the _dnsauth record is rewritten, so it is protected where deletion protection is on (prevent_destroy; the profile's lock covers it at Azure).",
    stateful: { kind: "public-identity", protect: true },
  },
  {
    type: "azurerm_cdn_frontdoor_route",
    resourceProviders: ["Microsoft.Cdn"],
    source: `${SVC}/cdn/cdn_frontdoor_route_resource.go (schema, create: validate.SupportsBothHttpAndHttps, expand of cache)`,
    forcesReplacement: ["name", "cdn_frontdoor_endpoint_id"],
    companions: [
      "https_redirect_enabled (default true) needs supported_protocols with both Http and Https",
      "link_to_default_domain = false needs a custom domain",
      "cdn_frontdoor_origin_ids is required but not sent to the API: it only orders create and destroy",
    ],
    apis: ["ARM: Cdn/profiles/afdEndpoints/routes Create, Get, Update, Delete"],
    changedByCloud: [],
    stability: "Protocols, redirect, forwarding protocol, patterns and the default-domain link written out; no cache block (caching off).",
  },
  {
    type: "azurerm_cdn_frontdoor_firewall_policy",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/cdn/cdn_frontdoor_firewall_policy_resource.go (schema, CustomizeDiff, expandCdnFrontDoorFirewallManagedRules)`,
    forcesReplacement: ["name", "resource_group_name", "sku_name"],
    companions: [
      "managed_rule only on Premium_AzureFrontDoor (CustomizeDiff); Microsoft_DefaultRuleSet needs version >= 1.1",
      "name: letters and digits, starting with a letter",
      "js_challenge_cookie_expiration_in_minutes and captcha_cookie_expiration_in_minutes are Optional+Computed and reset to 30 when removed (CustomizeDiff)",
    ],
    apis: ["ARM: Network/FrontDoorWebApplicationFirewallPolicies CreateOrUpdate, Get, Delete (global)"],
    changedByCloud: [],
    stability: "Prevention mode, Default Rule Set 2.1 and Bot Manager 1.1 with action Block; the cookie expirations are left to Azure (Optional+Computed, never set).",
  },
  {
    type: "azurerm_cdn_frontdoor_security_policy",
    resourceProviders: ["Microsoft.Cdn"],
    source: `${SVC}/cdn/cdn_frontdoor_security_policy_resource.go`,
    forcesReplacement: ["name", "cdn_frontdoor_profile_id", "security_policies.firewall.cdn_frontdoor_firewall_policy_id", "security_policies.firewall.association.patterns_to_match"],
    companions: ["patterns_to_match accepts only /*", "at most 500 domains on Premium"],
    apis: ["ARM: Cdn/profiles/securityPolicies Create, Get, Update, Delete"],
    changedByCloud: [],
    stability: "One policy for the custom domain, /*; domain.active is Computed. Adding or removing a domain changes it in place.",
  },
  // --- operator access -------------------------------------------------------------
  {
    type: "azurerm_bastion_host",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/network/bastion_host_resource.go (schema, CustomizeDiff on sku, create/update checks per SKU)`,
    forcesReplacement: ["name", "location", "resource_group_name", "ip_configuration (subnet_id, public_ip_address_id)", "virtual_network_id", "zones", "sku (downgrade, CustomizeDiff)"],
    companions: [
      "the subnet is named AzureBastionSubnet, /26 or larger",
      "tunneling_enabled, ip_connect_enabled, shareable_link_enabled, file_copy_enabled only on Standard or Premium (create and update refuse them on Basic)",
      "a Standard static public IP",
    ],
    apis: ["ARM: Network/bastionHosts CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "Standard, tunnelling on, IP connect, shareable links and file copy off (all written out), two scale units, no zones; its public IP ignores read-back zones, so it is never replaced by a plan. dns_name is Computed. Audit logs go to a workspace of its own.",
  },
  // --- public DNS (only with dnsZone) ------------------------------------------------
  {
    type: "data.azurerm_dns_zone",
    resourceProviders: [],
    source: `${SVC}/dns/dns_zone_data_source.go (Read, findZone)`,
    forcesReplacement: [],
    companions: ["without resource_group_name the zone is found by name across the subscription; two zones of that name fail the read"],
    apis: ["ARM: Network/dnsZones Get, or ListBySubscription without a resource group, at every plan"],
    changedByCloud: [],
    stability: "Looked up by the profile's dnsZone; its id and resource group feed the custom domain and the records.",
  },
  {
    type: "azurerm_dns_txt_record",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/dns/dns_txt_record_resource.go`,
    forcesReplacement: ["name", "zone_name", "resource_group_name"],
    companions: ["record.value 1-4096 characters (an emptied token would fail the plan)", "the identity running Terraform needs write access to the zone (DNS Zone Contributor or Contributor)"],
    apis: ["ARM: Network/dnsZones/TXT CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "The _dnsauth validation record: record in ignore_changes, written once (Front Door renews its certificate through the CNAME; a regenerated token is applied with -replace).",
  },
  {
    type: "azurerm_dns_cname_record",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/dns/dns_cname_record_resource.go`,
    forcesReplacement: ["name", "zone_name", "resource_group_name"],
    companions: ["record ConflictsWith target_resource_id"],
    apis: ["ARM: Network/dnsZones/CNAME CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "A subdomain's record: the endpoint's host name by reference, after the route and the security policy.",
  },
  {
    type: "azurerm_dns_a_record",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/dns/dns_a_record_resource.go`,
    forcesReplacement: ["name", "zone_name", "resource_group_name"],
    companions: ["records ConflictsWith target_resource_id (an alias record)"],
    apis: ["ARM: Network/dnsZones/A CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "Apex domains only: an alias record (target_resource_id = the endpoint), since Front Door has no fixed address.",
  },
  // --- storage ----------------------------------------------------------------
  {
    type: "azurerm_storage_account",
    resourceProviders: ["Microsoft.Storage"],
    source: `${SVC}/storage/storage_account_resource.go (CustomizeDiff, resourceStorageAccountCreate/Read/Update); ${SVC}/storage/storage_account_data_plane_helpers.go; internal/provider/features.go (storage.data_plane_available)`,
    forcesReplacement: [
      "name, location, resource_group_name, account_tier, infrastructure_encryption_enabled, is_hns_enabled, nfsv3_enabled, dns_endpoint_type, edge_zone, immutability_policy, queue/table_encryption_key_type",
      "CustomizeDiff: account_kind (except Storage to StorageV2); account_replication_type between LRS/GRS/RAGRS and ZRS/GZRS/RAGZRS",
    ],
    companions: [
      "with data_plane_available = false, queue_properties and static_website are refused at plan (CustomizeDiff)",
      "inline network_rules vs azurerm_storage_account_network_rules, inline customer_managed_key vs the separate resource: one owner",
      "a subnet in network_rules needs the Microsoft.Storage service endpoint",
    ],
    apis: [
      "ARM: StorageAccounts Create (network rules in the create payload), GetProperties, ListKeys (403/409 tolerated), BlobService and FileService properties, Delete",
      "data plane (blob/queue/file/static website availability polling after create; queue and static-website reads at every refresh): skipped with features.storage.data_plane_available = false, which every Azure stack sets",
    ],
    changedByCloud: [],
    stability: "Firewall default_action Deny works from a runner outside the VNet because the provider touches only ARM. Replication (LRS or GRS) and infrastructure encryption are chosen at creation and never changed by Azure. sas_policy and blob_properties are ARM settings.",
    stateful: { kind: "bucket", protect: true },
  },
  {
    type: "azurerm_storage_container",
    resourceProviders: ["Microsoft.Storage"],
    source: `${SVC}/storage/storage_container_resource.go (resourceStorageContainerCreate/Read/Update/Delete)`,
    forcesReplacement: ["name", "storage_account_id", "default_encryption_scope", "encryption_scope_override_enabled"],
    companions: ["storage_account_id (ARM) instead of the deprecated storage_account_name (data plane, blocked by the account firewall)", "container_access_type other than private needs allow_nested_items_to_be_public"],
    apis: ["ARM: BlobContainers Create, Get, Update, Delete"],
    changedByCloud: [{ attribute: "metadata", cause: "Optional+Computed" }],
    stability: "Private, addressed by storage_account_id; metadata never set.",
    stateful: { kind: "bucket", protect: true },
  },
  {
    type: "azurerm_storage_management_policy",
    resourceProviders: ["Microsoft.Storage"],
    source: `${SVC}/storage/storage_management_policy_resource.go`,
    forcesReplacement: ["storage_account_id"],
    companions: ["one policy per account: a flow log's retention rule on the same account would overwrite it"],
    apis: ["ARM: ManagementPolicies CreateOrUpdate, Get, Delete"],
    changedByCloud: [],
    stability: "Only on object-store accounts (never on the flow-log account).",
  },
  {
    type: "azurerm_log_analytics_workspace",
    resourceProviders: ["Microsoft.OperationalInsights"],
    source: `${SVC}/loganalytics/log_analytics_workspace_resource.go (schema, CustomizeDiff on sku, create/delete)`,
    forcesReplacement: ["name", "location", "resource_group_name", "sku (CustomizeDiff, except to/from capacity reservation)"],
    companions: ["local_authentication_enabled ConflictsWith the deprecated local_authentication_disabled", "retention_in_days 30-730"],
    apis: ["ARM: OperationalInsights/workspaces CreateOrUpdate (lists deleted workspaces at subscription scope first), Get, Delete (soft delete for 14 days unless log_analytics_workspace.permanently_delete_on_destroy)"],
    changedByCloud: [],
    stability: "sku and retention_in_days are set (both Optional+Computed otherwise), local authentication off. One per log owner: blob access logs of each storage account, the Front Door profile's access/health-probe/WAF logs, Bastion's audit logs. A staging destroy soft-deletes it; re-creating the same name within 14 days recovers it.",
    stateful: { kind: "log-store", protect: true },
  },
  {
    type: "azurerm_monitor_diagnostic_setting",
    resourceProviders: ["microsoft.insights"],
    source: `${SVC}/monitor/monitor_diagnostic_setting_resource.go (schema, create, flattenMonitorDiagnosticEnabledLogs)`,
    forcesReplacement: ["name", "target_resource_id"],
    companions: [
      "at least one destination (workspace, storage account, event hub, partner) and at least one enabled_log or enabled_metric",
      "blob logs exist on `<account id>/blobServices/default`, not on the account",
      "a category may go to one destination once per resource; at most 5 settings per resource",
    ],
    apis: ["ARM: Insights/diagnosticSettings CreateOrUpdate, Get, Delete (works behind the account firewall)"],
    changedByCloud: [
      { attribute: "log_analytics_destination_type", cause: "Optional+Computed (Azure picks the table layout)" },
      { attribute: "enabled_metric", cause: "Optional+Computed in v4" },
    ],
    stability: "Only enabled_log categories are set; destination type and metrics are Azure's, and Optional+Computed, so they cause no diff. Read only returns enabled categories. Targets: each account's blob service (StorageRead/Write/Delete), the Front Door profile (FrontDoorAccessLog, FrontDoorHealthProbeLog, FrontDoorWebApplicationFirewallLog), the Bastion host (BastionAuditLogs).",
  },
  // --- database ---------------------------------------------------------------
  {
    type: "azurerm_private_dns_zone",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/privatedns/private_dns_zone_resource.go`,
    forcesReplacement: ["name", "resource_group_name", "soa_record"],
    companions: ["PostgreSQL needs a name ending in .postgres.database.azure.com"],
    apis: ["ARM: privateDnsZones CreateOrUpdate, Get, Delete (removes the record sets the server wrote)"],
    changedByCloud: [{ attribute: "soa_record", cause: "Optional+Computed; ForceNew when changed" }],
    stability: "soa_record never set.",
  },
  {
    type: "azurerm_private_dns_zone_virtual_network_link",
    resourceProviders: ["Microsoft.Network"],
    source: `${SVC}/privatedns/private_dns_zone_virtual_network_link_resource.go`,
    forcesReplacement: ["name", "private_dns_zone_name", "virtual_network_id"],
    companions: ["the flexible server must depend on it (provider docs example)"],
    apis: ["ARM: virtualNetworkLinks CreateOrUpdate, Get, Delete"],
    changedByCloud: [{ attribute: "resolution_policy", cause: "Optional+Computed, set by the service" }],
    stability: "resolution_policy never set; registration disabled.",
  },
  {
    type: "azurerm_postgresql_flexible_server",
    resourceProviders: ["Microsoft.DBforPostgreSQL"],
    source: `${SVC}/postgres/postgresql_flexible_server_resource.go (schema, CustomizeDiff, resourcePostgresqlFlexibleServerCreate/Update, expandFlexibleServerHighAvailability)`,
    forcesReplacement: [
      "name, location, resource_group_name, delegated_subnet_id, geo_redundant_backup_enabled, customer_managed_key, source_server_id, point_in_time_restore_time_in_utc",
      "CustomizeDiff: version downgrade; administrator_login once set; storage_mb decrease; identity from UserAssigned to SystemAssigned/None",
    ],
    companions: [
      "administrator_password_wo RequiredWith administrator_password_wo_version (CL 4.21.0), ConflictsWith administrator_password; Terraform >= 1.11",
      "password auth enabled: administrator_login and a password are required at create and on every update",
      "authentication.tenant_id RequiredWith active_directory_auth_enabled; Entra auth needs the tenant's PostgreSQL service principal (prerequisite)",
      "public_network_access_enabled = false with delegated_subnet_id and private_dns_zone_id; depends on the DNS link",
      "storage_tier must be valid for storage_mb (CustomizeDiff)",
    ],
    apis: ["ARM: DBforPostgreSQL/flexibleServers Create, Get, Update (separate PATCHes for storage, HA, maintenance window), Delete (no soft delete)"],
    changedByCloud: [
      { attribute: "storage_mb", cause: "auto_grow_enabled doubles the disk; a smaller value in the configuration would replace the server (CustomizeDiff: oldMb > newMb)" },
      { attribute: "storage_tier", cause: "moves with the grown disk; the old tier is invalid for the new size (plan error)" },
      { attribute: "zone", cause: "Azure picks it when unset and swaps it with the standby on failover (not Computed: update errors unless it is a swap)" },
      { attribute: "high_availability[0].standby_availability_zone", cause: "Azure picks it and swaps it on failover" },
    ],
    stability: "All four are in lifecycle.ignore_changes (storage_mb is set, for the initial size). The password is write-only and only sent when administrator_password_wo_version changes. Entra authentication is always on, so adding an Entra administrator later never changes the server.",
    stateful: { kind: "database", protect: true },
  },
  {
    type: "azurerm_postgresql_flexible_server_configuration",
    resourceProviders: ["Microsoft.DBforPostgreSQL"],
    source: `${SVC}/postgres/postgresql_flexible_server_configuration_resource.go (create/update restart when static, delete resets to default)`,
    forcesReplacement: ["name", "server_id"],
    companions: ["pgaudit.log after azure.extensions and shared_preload_libraries (depends_on)", "all parameters of a server serialize on the server lock"],
    apis: ["ARM: flexibleServers/configurations Update (PATCH value, source user-override); restart of the server when the parameter is static (shared_preload_libraries) and postgresql_flexible_server.restart_server_on_configuration_value_change is true (default)"],
    changedByCloud: [],
    stability: "Read stores Azure's value verbatim, so values are spelled as Azure returns them: azure.extensions upper case (PGAUDIT, as in the provider's acceptance test), shared_preload_libraries as Azure's default pg_cron,pg_stat_statements with pgaudit appended, pgaudit.log and log_statement lower case. Delete is a reset (a PATCH), allowed under the CanNotDelete lock.",
  },
  {
    type: "azurerm_postgresql_flexible_server_database",
    resourceProviders: ["Microsoft.DBforPostgreSQL"],
    source: `${SVC}/postgres/postgresql_flexible_server_database_resource.go`,
    forcesReplacement: ["name", "server_id", "charset", "collation"],
    companions: ["a child of the server: its delete is refused while the server has a CanNotDelete lock"],
    apis: ["ARM: flexibleServers/databases Create, Get, Delete (no update)"],
    changedByCloud: [],
    stability: "charset UTF8 and collation en_US.utf8 written as Azure returns them (charset diff is case-insensitive). prevent_destroy where protected; the lock depends on it, so a destroy removes the lock first.",
    stateful: { kind: "database", protect: true },
  },
  {
    type: "azurerm_postgresql_flexible_server_active_directory_administrator",
    resourceProviders: ["Microsoft.DBforPostgreSQL"],
    source: `${SVC}/postgres/postgresql_flexible_server_active_directory_administrator_resource.go`,
    forcesReplacement: ["server_name", "resource_group_name", "object_id", "principal_name", "principal_type", "tenant_id"],
    companions: ["the server needs authentication.active_directory_auth_enabled with tenant_id", "a child of the server: refused while the server has a CanNotDelete lock"],
    apis: ["ARM: flexibleServers/administrators CreateOrUpdate, Get, Delete (serialized on the server lock)"],
    changedByCloud: [{ attribute: "principal_name", cause: "read back from the API" }],
    stability: "principal_name is the managed identity's name, which Azure uses as its service principal's display name; object_id its principal id. In the server's stack the lock depends on it; across stacks (worker) it lives in the grantee's stack and the lock cannot wait for it (docs/azure.md).",
  },
  {
    type: "azurerm_management_lock",
    resourceProviders: ["Microsoft.Authorization"],
    source: `${SVC}/resource/management_lock_resource.go (create/delete wait for replication)`,
    forcesReplacement: ["name", "scope", "lock_level", "notes"],
    companions: [
      "creating and deleting needs Microsoft.Authorization/locks/* (Owner, User Access Administrator)",
      "CanNotDelete is inherited by child resources (a server's databases and Entra administrators; a Front Door profile's endpoint, origin group, origin, custom domain, route, security policy and diagnostic setting)",
    ],
    apis: ["ARM: Authorization/locks CreateOrUpdate, Get, Delete (each polled until replicated)"],
    changedByCloud: [],
    stability: "CanNotDelete (never ReadOnly, which would block restarts, configuration PATCHes and Front Door updates); each lock depends_on every child of its resource in the stack (the server's; the Front Door profile's), so a destroy deletes the lock before them.",
  },
  // --- secrets ----------------------------------------------------------------
  {
    type: "azurerm_key_vault",
    resourceProviders: ["Microsoft.KeyVault"],
    source: `${SVC}/keyvault/key_vault_resource.go (schema, resourceKeyVaultCreate, keyVaultRefreshFunc, resourceKeyVaultRead/Update/Delete)`,
    forcesReplacement: ["name", "location", "resource_group_name"],
    companions: [
      "rbac_authorization_enabled (v4 name; ConflictsWith the deprecated enable_rbac_authorization)",
      "soft_delete_retention_days 7-90, refused on update once set; purge_protection_enabled cannot be turned off",
      "network_acls.virtual_network_subnet_ids need the Microsoft.KeyVault service endpoint",
      "network_acls.ip_rules is a set hashed by set.HashIPv4AddressOrCIDR (1.2.3.4 and 1.2.3.4/32 compare equal); Key Vault stores a single address as /32, which is how we write it; Update sends the whole network_acls when it changed, so a rule added out of band survives an apply only if the configuration holds it (the runner's variable azure_deployer_ip_ranges)",
      "name is global, soft-deleted vaults included; recover_soft_deleted_key_vaults (default true) recovers a deleted vault of the same name on create",
    ],
    apis: [
      "ARM: KeyVault/vaults CreateOrUpdate, Get, Update, Delete (soft delete; purge skipped with purge protection)",
      "data plane: an unauthenticated GET of vault_uri after create (any HTTP answer counts, a firewall 403 included); certificate contacts on read (403 ignored)",
    ],
    changedByCloud: [],
    stability: "Created, read and destroyed through ARM from anywhere. softDeleteRetentionDays is fixed at creation (90 protected, 7 otherwise).",
    stateful: { kind: "key-store", protect: true },
  },
  {
    type: "azurerm_key_vault_secret",
    resourceProviders: ["Microsoft.KeyVault"],
    source: `${SVC}/keyvault/key_vault_secret_resource.go (schema, resourceKeyVaultSecretCreate/Read/Update/Delete)`,
    forcesReplacement: ["name", "key_vault_id"],
    companions: [
      "value_wo (CL 4.23.0) RequiredWith value_wo_version, ExactlyOneOf value; Terraform >= 1.11",
      "the identity running Terraform needs a data-plane role (Key Vault Secrets Officer) and network reach to the vault",
    ],
    apis: ["data plane only: GetSecret + SetSecret on create (a soft-deleted secret of the same name is recovered, then set), GetSecret at every refresh (only 404 tolerated), SetSecret when value_wo_version changes, delete + purge (purge skipped with purge protection)"],
    changedByCloud: [{ attribute: "version", cause: "Computed: every write makes a new version" }],
    stability: "value_wo is only sent when value_wo_version changes; waits for the deployer's role to propagate (time_sleep) because the provider does not retry a 403; no expiration date (decision secret-rotated-by-version).",
    stateful: { kind: "secret", protect: true },
  },
  // --- cost -------------------------------------------------------------------
  {
    type: "azurerm_consumption_budget_resource_group",
    resourceProviders: ["Microsoft.Consumption"],
    source: `${SVC}/consumption/consumption_budget_base.go, consumption_budget_resource_group_resource.go, validate/time_period.go`,
    forcesReplacement: ["name", "resource_group_id", "time_grain", "time_period.start_date"],
    companions: ["start_date: the first day of a month, not older than one time grain", "Microsoft.Consumption is not in any azurerm registration set (registered through resource_providers_to_register)"],
    apis: ["ARM: Consumption/budgets CreateOrUpdate, Get, Delete"],
    changedByCloud: [{ attribute: "time_period[0].end_date", cause: "Optional+Computed: Azure sets start + 10 years" }],
    stability: "start_date is the first of the month of the first apply (formatdate of timestamp) and time_period is in ignore_changes, so next month's plan does not replace it.",
  },
];

const cell = (s: string) => s.replace(/\|/g, "\\|");
const list = (xs: readonly string[]) => (xs.length === 0 ? "none" : xs.map(cell).join("<br>"));

/** docs/azure-provider-review.md, from the table above. */
export function renderAzureProviderReview(facts: readonly ProviderFact[] = AZURE_PROVIDER_FACTS): string {
  const rows = [...facts].sort((a, b) => a.type.localeCompare(b.type));
  return [
    "# Azure provider review",
    "",
    "<!-- Generated by scripts/azure-provider-review.ts from constructs/azure/provider-facts.ts; do not edit by hand. -->",
    "",
    "Every Terraform type the Azure stacks emit, read in the provider's own schema and CRUD code at the pinned release",
    "(hashicorp/terraform-provider-azurerm v4.55.0; hashicorp/random 3.7.2; hashicorp/time 0.13.1). A new type without a",
    "row here fails `__tests__/azure-replacement-safety.test.ts`, which also checks, on every Azure stack, that each value",
    "Azure changes by itself on a stateful resource is unset or in `lifecycle.ignore_changes`, and that production refuses",
    "`terraform destroy` on every protected stateful resource.",
    "",
    "| Resource type | Forces replacement | Conflicts / required companions | APIs and data-plane calls | Changed by Azure itself | How our output keeps it stable |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (f) =>
        `| \`${f.type}\`${f.stateful ? ` (stateful: ${f.stateful.kind}${f.stateful.protect ? ", protected" : ""})` : ""}<br>${cell(f.source)} | ${list(f.forcesReplacement)} | ${list(f.companions)} | ${list([
          ...f.apis,
          ...(f.resourceProviders.length > 0 ? [`resource providers: ${f.resourceProviders.join(", ")}`] : []),
        ])} | ${list(
          f.changedByCloud.map((c) => `\`${c.attribute}\`: ${c.cause}`),
        )} | ${cell(f.stability)} |`,
    ),
    "",
  ].join("\n");
}
