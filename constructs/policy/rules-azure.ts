/**
 * Azure rules, mirroring checkov (CKV_AZURE_*, CKV2_AZURE_*) and Trivy
 * (AVD-AZU-*) controls.
 */
import { Finding, PolicyRule, TfItem, TfView, block, blocks, portRange, resourceRule, sensitivePortIn, strings } from "./engine";

const storage = ["azurerm_storage_account"];
const pg = ["azurerm_postgresql_flexible_server"];
const vms = ["azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine"];

/** Subnets Azure manages itself and that may not carry an NSG. */
const SPECIAL_SUBNETS = ["GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "AzureBastionSubnet", "RouteServerSubnet"];

/** Server parameters (`azurerm_postgresql_flexible_server_configuration`) of one server. */
function pgConfig(tf: TfView, server: TfItem): Record<string, string> {
  return Object.fromEntries(tf.referencing("azurerm_postgresql_flexible_server_configuration", server, ["server_id"]).map((c) => [String(c.body.name), String(c.body.value).toLowerCase()]));
}

function pgParameterRule(id: string, title: string, names: readonly string[], controls: readonly string[]): PolicyRule {
  return {
    id,
    cloud: "azure",
    category: "logging",
    title,
    controls,
    fix: `add a PostgresqlFlexibleServerConfiguration ${names.map((n) => `${n} = on`).join(", ")} for the server`,
    check: (tf) =>
      tf.resources(...pg).flatMap((server): Finding[] => {
        const cfg = pgConfig(tf, server);
        const missing = names.filter((n) => cfg[n] !== "on");
        return missing.length === 0 ? [] : [{ item: server, message: `server parameter ${missing.join(", ")} not 'on'` }];
      }),
  };
}

const WORLD_SOURCES = ["*", "0.0.0.0/0", "::/0", "Internet", "Any", "0.0.0.0"];

export const AZURE_RULES: readonly PolicyRule[] = [
  // --- encryption at rest -------------------------------------------------
  resourceRule(
    {
      id: "AZ-VM-ENCRYPTION-AT-HOST",
      cloud: "azure",
      category: "encryption-at-rest",
      title: "VMs encrypt temp disks and caches at the host",
      controls: ["CKV_AZURE_151", "CKV_AZURE_97"],
      fix: "set encryptionAtHostEnabled: true (register the EncryptionAtHost feature once per subscription)",
    },
    vms,
    (r) => (r.body.encryption_at_host_enabled === true ? undefined : "encryption_at_host_enabled is not true"),
  ),
  resourceRule(
    {
      id: "AZ-STORAGE-INFRASTRUCTURE-ENCRYPTION",
      cloud: "azure",
      category: "encryption-at-rest",
      title: "Storage accounts add infrastructure (double) encryption",
      controls: ["project rule (Azure Policy: storage accounts should have infrastructure encryption)"],
      fix: "set infrastructureEncryptionEnabled: true (only possible at creation)",
    },
    storage,
    (r) => (r.body.infrastructure_encryption_enabled === true ? undefined : "infrastructure_encryption_enabled is not true"),
  ),

  // --- public exposure ----------------------------------------------------
  resourceRule(
    {
      id: "AZ-STORAGE-NO-PUBLIC-BLOBS",
      cloud: "azure",
      category: "public-exposure",
      title: "Storage accounts forbid anonymous blob access",
      controls: ["CKV_AZURE_190", "AVD-AZU-0007"],
      fix: "set allowNestedItemsToBePublic: false",
    },
    storage,
    (r) => (r.body.allow_nested_items_to_be_public === false ? undefined : "allow_nested_items_to_be_public is not false"),
  ),
  resourceRule(
    {
      id: "AZ-STORAGE-NETWORK-DENY",
      cloud: "azure",
      category: "public-exposure",
      title: "Storage accounts deny network access by default",
      controls: ["CKV_AZURE_35", "CKV_AZURE_59", "AVD-AZU-0012"],
      fix: "set networkRules.defaultAction 'Deny' with the application subnet allowed, or publicNetworkAccessEnabled: false",
    },
    storage,
    (r, tf) => {
      if (r.body.public_network_access_enabled === false) return undefined;
      const inline = block(r.body.network_rules);
      const separate = tf.referencing("azurerm_storage_account_network_rules", r, ["storage_account_id"]).map((n) => n.body);
      return [inline, ...separate].some((n) => n?.default_action === "Deny") ? undefined : "network_rules.default_action is not Deny";
    },
  ),
  resourceRule(
    {
      id: "AZ-CONTAINER-PRIVATE",
      cloud: "azure",
      category: "public-exposure",
      title: "Blob containers are private",
      controls: ["CKV_AZURE_34", "AVD-AZU-0007"],
      fix: "set containerAccessType 'private'",
    },
    ["azurerm_storage_container"],
    (r) => ((r.body.container_access_type ?? "private") === "private" ? undefined : `container_access_type is ${r.body.container_access_type}`),
  ),
  resourceRule(
    {
      id: "AZ-NIC-NO-PUBLIC-IP",
      cloud: "azure",
      category: "public-exposure",
      title: "Network interfaces of VMs carry no public IP",
      controls: ["CKV_AZURE_119"],
      fix: "remove publicIpAddressId; egress goes through the NAT gateway",
    },
    ["azurerm_network_interface"],
    (r) => (blocks(r.body.ip_configuration).some((c) => c.public_ip_address_id) ? "an ip_configuration has a public_ip_address_id" : undefined),
  ),
  {
    id: "AZ-NSG-NO-WORLD-ADMIN-PORTS",
    cloud: "azure",
    category: "public-exposure",
    title: "No NSG rule admits SSH, RDP or database ports from the internet",
    controls: ["CKV_AZURE_10", "CKV_AZURE_9", "AVD-AZU-0047"],
    fix: "narrow sourceAddressPrefix(es) (IngressRule.sources); use Azure Bastion instead of public SSH",
    check: (tf) => {
      const rules: { item: TfItem; r: Record<string, any> }[] = [
        ...tf.resources("azurerm_network_security_rule").map((item) => ({ item, r: item.body })),
        ...tf.resources("azurerm_network_security_group").flatMap((item) => blocks(item.body.security_rule).map((r) => ({ item, r }))),
      ];
      return rules.flatMap(({ item, r }): Finding[] => {
        if (r.access !== "Allow" || r.direction !== "Inbound") return [];
        const sources = [...strings(r.source_address_prefix), ...strings(r.source_address_prefixes)];
        if (!sources.some((s) => WORLD_SOURCES.includes(s))) return [];
        const ranges = [...strings(r.destination_port_range), ...strings(r.destination_port_ranges)].map(portRange);
        const port = ranges.map((x) => (x ? sensitivePortIn(x[0], x[1]) : undefined)).find((p) => p !== undefined);
        return port === undefined ? [] : [{ item, message: `rule ${r.name} admits port ${port} from ${sources.join(", ")}` }];
      });
    },
  },
  resourceRule(
    {
      id: "AZ-PG-NO-PUBLIC-ACCESS",
      cloud: "azure",
      category: "public-exposure",
      title: "PostgreSQL flexible servers are VNet-integrated without public access",
      controls: ["CKV_AZURE_68", "AVD-AZU-0022"],
      fix: "set delegatedSubnetId and privateDnsZoneId, and publicNetworkAccessEnabled: false",
    },
    pg,
    (r) => (r.body.public_network_access_enabled === false && r.body.delegated_subnet_id ? undefined : "public network access is not disabled (or no delegated subnet)"),
  ),

  // --- encryption in transit ----------------------------------------------
  resourceRule(
    {
      id: "AZ-STORAGE-HTTPS-ONLY",
      cloud: "azure",
      category: "encryption-in-transit",
      title: "Storage accounts accept HTTPS only",
      controls: ["CKV_AZURE_3", "AVD-AZU-0008"],
      fix: "set httpsTrafficOnlyEnabled: true",
    },
    storage,
    (r) => (r.body.https_traffic_only_enabled === false || r.body.enable_https_traffic_only === false ? "HTTPS-only is disabled" : undefined),
  ),
  resourceRule(
    {
      id: "AZ-STORAGE-MIN-TLS",
      cloud: "azure",
      category: "encryption-in-transit",
      title: "Storage accounts require TLS 1.2 or later",
      controls: ["CKV_AZURE_44", "AVD-AZU-0011"],
      fix: "set minTlsVersion 'TLS1_2'",
    },
    storage,
    (r) => (["TLS1_2", "TLS1_3"].includes(r.body.min_tls_version) ? undefined : `min_tls_version is ${r.body.min_tls_version ?? "unset"}`),
  ),
  {
    id: "AZ-PG-TLS",
    cloud: "azure",
    category: "encryption-in-transit",
    title: "PostgreSQL flexible servers require TLS (require_secure_transport = on)",
    controls: ["CKV_AZURE_29", "AVD-AZU-0020"],
    fix: "add a PostgresqlFlexibleServerConfiguration require_secure_transport = on",
    check: (tf) =>
      tf.resources(...pg).flatMap((server): Finding[] =>
        pgConfig(tf, server).require_secure_transport === "on" ? [] : [{ item: server, message: "require_secure_transport is not explicitly 'on'" }],
      ),
  },

  // --- network hygiene ----------------------------------------------------
  {
    id: "AZ-SUBNET-NSG",
    cloud: "azure",
    category: "network",
    title: "Every subnet has a network security group",
    controls: ["CKV2_AZURE_31", "AVD-AZU-0050"],
    fix: "add a SubnetNetworkSecurityGroupAssociation for the subnet (the Azure network construct does)",
    check: (tf) =>
      tf.resources("azurerm_subnet").flatMap((s): Finding[] => {
        if (SPECIAL_SUBNETS.includes(s.body.name)) return [];
        return tf.referencing("azurerm_subnet_network_security_group_association", s, ["subnet_id"]).length > 0
          ? []
          : [{ item: s, message: "no network security group association" }];
      }),
  },
  {
    id: "AZ-SUBNET-NAT-EGRESS",
    cloud: "azure",
    category: "network",
    title: "Subnets have no default outbound access; VM subnets egress through a NAT gateway",
    controls: ["project rule (Azure default outbound access retirement)"],
    fix: "set defaultOutboundAccessEnabled: false and add a SubnetNatGatewayAssociation for subnets hosting VMs",
    check: (tf) =>
      tf.resources("azurerm_subnet").flatMap((s): Finding[] => {
        if (SPECIAL_SUBNETS.includes(s.body.name)) return [];
        if (s.body.default_outbound_access_enabled !== false) return [{ item: s, message: "default_outbound_access_enabled is not false" }];
        const delegated = blocks(s.body.delegation).length > 0;
        const nat = tf.referencing("azurerm_subnet_nat_gateway_association", s, ["subnet_id"]).length > 0;
        const hostsNic = tf.resources("azurerm_network_interface").some((n) => blocks(n.body.ip_configuration).some((c) => tf.deref(c.subnet_id) === s));
        return !delegated && hostsNic && !nat ? [{ item: s, message: "hosts VM network interfaces but has no NAT gateway" }] : [];
      }),
  },
  {
    id: "AZ-VNET-FLOW-LOGS",
    cloud: "azure",
    category: "network",
    title: "Every virtual network (or each of its NSGs) has Network Watcher flow logs with 90+ days retention",
    controls: ["CKV_AZURE_12", "AVD-AZU-0049"],
    fix: "add a NetworkWatcherFlowLog with targetResourceId = the VNet id, enabled, retentionPolicy { enabled: true, days >= 90 }",
    check: (tf) => {
      const logs = tf.resources("azurerm_network_watcher_flow_log").filter((l) => l.body.enabled !== false);
      const covers = (target: TfItem) => logs.some((l) => [l.body.target_resource_id, l.body.network_security_group_id].some((x) => tf.deref(x) === target));
      const retentionOk = (l: TfItem) => {
        const rp = block(l.body.retention_policy);
        return rp?.enabled === true && (Number(rp.days) >= 90 || Number(rp.days) === 0);
      };
      const out: Finding[] = logs.filter((l) => !retentionOk(l)).map((item) => ({ item, message: "retention_policy keeps less than 90 days" }));
      for (const vnet of tf.resources("azurerm_virtual_network")) {
        if (covers(vnet)) continue;
        const nsgs = tf.resources("azurerm_network_security_group");
        if (nsgs.length > 0 && nsgs.every(covers)) continue;
        out.push({ item: vnet, message: "no Network Watcher flow log for this VNet or its NSGs" });
      }
      return out;
    },
  },

  // --- identity -----------------------------------------------------------
  resourceRule(
    {
      id: "AZ-VM-SSH-KEYS-ONLY",
      cloud: "azure",
      category: "identity",
      title: "Linux VMs allow SSH keys only (password authentication disabled)",
      controls: ["CKV_AZURE_1", "CKV_AZURE_149", "CKV_AZURE_178", "AVD-AZU-0039"],
      fix: "set disablePasswordAuthentication: true with an adminSshKey and no adminPassword",
    },
    ["azurerm_linux_virtual_machine"],
    (r) =>
      r.body.disable_password_authentication === false || r.body.admin_password !== undefined
        ? "password authentication is enabled"
        : blocks(r.body.admin_ssh_key).length === 0
          ? "no admin_ssh_key"
          : undefined,
  ),
  resourceRule(
    {
      id: "AZ-VM-MANAGED-IDENTITY",
      cloud: "azure",
      category: "identity",
      title: "VMs have a managed identity (no credentials on the machine)",
      controls: ["project rule (Azure security baseline IM-3)"],
      fix: "set identity { type: 'SystemAssigned' } and grant it roles (ObjectStore.grantReadWrite)",
    },
    vms,
    (r) => (/Assigned/.test(String(block(r.body.identity)?.type ?? "")) ? undefined : "no managed identity"),
  ),
  resourceRule(
    {
      id: "AZ-STORAGE-NO-SHARED-KEY",
      cloud: "azure",
      category: "identity",
      title: "Storage accounts refuse shared-key (account key) authorization: Entra ID only",
      controls: ["CKV2_AZURE_40"],
      fix: "set sharedAccessKeyEnabled: false (and storageUseAzuread on the provider)",
    },
    storage,
    (r) => (r.body.shared_access_key_enabled === false ? undefined : "shared_access_key_enabled is not false"),
  ),
  resourceRule(
    {
      id: "AZ-ROLE-SCOPED",
      cloud: "azure",
      category: "identity",
      title: "Role assignments are scoped below the resource group; storage data roles to one container",
      controls: ["project rule (least privilege)"],
      fix: "scope the assignment to `${account.id}/blobServices/default/containers/<name>` (ObjectStore.grantReadWrite)",
    },
    ["azurerm_role_assignment"],
    (r) => {
      const scope = String(r.body.scope ?? "");
      const role = String(r.body.role_definition_name ?? "");
      if (/^(Owner|Contributor|User Access Administrator)$/.test(role)) return `assigns the broad role ${role}`;
      if (/^Storage Blob Data/.test(role) && !/\/blobServices\/default\/containers\/[^/]+$/.test(scope)) return `${role} is not scoped to one container (scope ${scope})`;
      return /^\/subscriptions\/[^/]+$/.test(scope) || /\$\{azurerm_resource_group\.[^}]+\.id\}$/.test(scope) ? `scope ${scope} is a subscription or resource group` : undefined;
    },
  ),

  // --- backups and deletion safety ----------------------------------------
  resourceRule(
    {
      id: "AZ-PG-GEO-BACKUP",
      cloud: "azure",
      category: "backup",
      title: "PostgreSQL flexible servers keep geo-redundant backups",
      controls: ["CKV_AZURE_136"],
      fix: "set geoRedundantBackupEnabled: true (only possible at creation)",
    },
    pg,
    (r) => (r.body.geo_redundant_backup_enabled === true ? undefined : "geo_redundant_backup_enabled is not true"),
  ),
  resourceRule(
    {
      id: "AZ-PG-BACKUP-RETENTION",
      cloud: "azure",
      category: "backup",
      title: "PostgreSQL flexible servers keep at least 7 days of backups (point-in-time restore)",
      controls: ["project rule (CKV_AWS_133 analogue)"],
      fix: "set backupRetentionDays to 7 or more",
    },
    pg,
    (r) => (Number(r.body.backup_retention_days ?? 7) >= 7 ? undefined : `backup_retention_days is ${r.body.backup_retention_days}`),
  ),
  resourceRule(
    {
      id: "AZ-PG-HIGH-AVAILABILITY",
      cloud: "azure",
      category: "backup",
      title: "PostgreSQL flexible servers have a zone-redundant standby",
      controls: ["project rule (Azure WAF reliability)"],
      fix: "set highAvailability: true (high_availability.mode ZoneRedundant; needs a non-burstable SKU)",
    },
    pg,
    (r) => (block(r.body.high_availability)?.mode === "ZoneRedundant" ? undefined : "no zone-redundant high availability"),
  ),
  resourceRule(
    {
      id: "AZ-STORAGE-GEO-REPLICATION",
      cloud: "azure",
      category: "backup",
      title: "Storage accounts replicate to a second region",
      controls: ["CKV_AZURE_206"],
      fix: "set accountReplicationType GRS, RAGRS, GZRS or RAGZRS",
    },
    storage,
    (r) => (["GRS", "RAGRS", "GZRS", "RAGZRS"].includes(r.body.account_replication_type) ? undefined : `account_replication_type is ${r.body.account_replication_type}`),
  ),
  resourceRule(
    {
      id: "AZ-STORAGE-SOFT-DELETE",
      cloud: "azure",
      category: "backup",
      title: "Blob versioning and soft delete are on",
      controls: ["CKV2_AZURE_38"],
      fix: "set blobProperties { versioningEnabled: true, deleteRetentionPolicy: { days >= 7 }, containerDeleteRetentionPolicy: { days >= 7 } }",
    },
    storage,
    (r) => {
      const b = block(r.body.blob_properties) ?? {};
      const days = (v: unknown) => Number(block(v)?.days ?? 0);
      return b.versioning_enabled === true && days(b.delete_retention_policy) >= 7 && days(b.container_delete_retention_policy) >= 7
        ? undefined
        : "blob versioning or 7+ days of blob/container soft delete is missing";
    },
  ),
  {
    id: "AZ-PG-DELETION-LOCK",
    cloud: "azure",
    category: "deletion-safety",
    title: "PostgreSQL flexible servers carry a CanNotDelete lock and prevent_destroy",
    controls: ["project rule (Azure resource locks)"],
    fix: "set deletionProtection: true (adds a CanNotDelete ManagementLock and lifecycle.preventDestroy)",
    check: (tf) =>
      tf.resources(...pg).flatMap((server): Finding[] => {
        const locked = tf.referencing("azurerm_management_lock", server, ["scope"]).some((l) => l.body.lock_level === "CanNotDelete");
        const prevent = block(server.body.lifecycle)?.prevent_destroy === true;
        return locked && prevent ? [] : [{ item: server, message: `${locked ? "" : "no CanNotDelete lock "}${prevent ? "" : "no lifecycle.prevent_destroy"}`.trim() }];
      }),
  },

  // --- logging ------------------------------------------------------------
  pgParameterRule(
    "AZ-PG-LOG-PARAMETERS",
    "PostgreSQL flexible servers log checkpoints, connections and disconnections",
    ["log_checkpoints", "log_connections", "log_disconnections"],
    ["CKV_AZURE_30", "CKV_AZURE_31", "AVD-AZU-0024", "AVD-AZU-0019", "AVD-AZU-0025"],
  ),
  pgParameterRule("AZ-PG-CONNECTION-THROTTLING", "PostgreSQL flexible servers throttle failed connections", ["connection_throttle.enable"], ["CKV_AZURE_32", "AVD-AZU-0021"]),
];
