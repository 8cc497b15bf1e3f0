/**
 * Azure rules, mirroring checkov (CKV_AZURE_*, CKV2_AZURE_*) and Trivy
 * (AVD-AZU-*) controls.
 */
import { Finding, PolicyRule, TfItem, TfView, block, blocks, portRange, resourceRule, sensitivePortIn, strings } from "./engine";

const storage = ["azurerm_storage_account"];
const pg = ["azurerm_postgresql_flexible_server"];
const vms = ["azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine"];
const vaults = ["azurerm_key_vault"];

/**
 * Resources that hold data or audit evidence, or a public identity that cannot come back as it was (the
 * Front Door profile's id, which the application checks in X-Azure-FDID; a custom domain's validation and
 * managed certificate). Where deletion protection is on, Terraform must refuse to destroy them
 * (`prevent_destroy`), so a production destroy stops before it deletes anything.
 */
export const AZURE_STATEFUL_TYPES = [
  "azurerm_postgresql_flexible_server",
  "azurerm_postgresql_flexible_server_database",
  "azurerm_storage_account",
  "azurerm_storage_container",
  "azurerm_key_vault",
  "azurerm_key_vault_secret",
  "azurerm_key_vault_key",
  "azurerm_log_analytics_workspace",
  "azurerm_managed_disk",
  "azurerm_cdn_frontdoor_profile",
  "azurerm_cdn_frontdoor_custom_domain",
] as const;

/** Blob log categories that record reads (a category group covers them all). */
const READ_LOGS = ["StorageRead"];
const READ_LOG_GROUPS = ["audit", "allLogs"];

/** Days of audit logs a workspace must keep. */
const AUDIT_RETENTION_DAYS = 90;

/** Subnets Azure manages itself and that may not carry an NSG. */
const SPECIAL_SUBNETS = ["GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "AzureBastionSubnet", "RouteServerSubnet"];

/** Server parameters (`azurerm_postgresql_flexible_server_configuration`) of one server. */
function pgConfig(tf: TfView, server: TfItem): Record<string, string> {
  return Object.fromEntries(tf.referencing("azurerm_postgresql_flexible_server_configuration", server, ["server_id"]).map((c) => [String(c.body.name), String(c.body.value).toLowerCase()]));
}

/** A server's parameter value lists (comma-separated, lower case) . */
const listOf = (v: string | undefined): string[] => (v ?? "").split(",").map((x) => x.trim()).filter((x) => x !== "");

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

/** Linux VMs and scale sets (same attributes): SSH keys only, no password. */
const sshKeysOnly = (r: TfItem): string | undefined =>
  r.body.disable_password_authentication === false || r.body.admin_password !== undefined
    ? "password authentication is enabled"
    : blocks(r.body.admin_ssh_key).length === 0
      ? "no admin_ssh_key"
      : undefined;

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
    sshKeysOnly,
  ),
  resourceRule(
    {
      id: "AZ-VM-NO-EXTENSIONS",
      cloud: "azure",
      category: "identity",
      title: "VMs refuse extension operations (no agent-run code outside the image)",
      controls: ["CKV_AZURE_50"],
      fix: "set allowExtensionOperations: false (VMs) / extensionOperationsEnabled: false (scale sets); an extension the platform needs is a decision with a reason",
    },
    vms,
    (r) => (r.body.allow_extension_operations === false ? undefined : "allow_extension_operations is not false"),
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
      title: "Role assignments are scoped below the resource group; storage data roles to one container, secret readers to one secret",
      controls: ["project rule (least privilege)"],
      fix: "scope the assignment to `${account.id}/blobServices/default/containers/<name>` (ObjectStore.grantReadWrite) or to the secret's resource_versionless_id (AzureSecret.grantRead)",
    },
    ["azurerm_role_assignment"],
    (r) => {
      const scope = String(r.body.scope ?? "");
      const role = String(r.body.role_definition_name ?? "");
      if (/^(Owner|Contributor|User Access Administrator)$/.test(role)) return `assigns the broad role ${role}`;
      if (/^Storage Blob Data/.test(role) && !/\/blobServices\/default\/containers\/[^/]+$/.test(scope)) return `${role} is not scoped to one container (scope ${scope})`;
      // Same stack: `${azurerm_key_vault_secret.x.resource_versionless_id}`; across stacks the remote-state output is named after that attribute.
      if (role === "Key Vault Secrets User" && !/resource_versionless_id\}$/.test(scope)) return `${role} is not scoped to one secret (scope ${scope})`;
      return /^\/subscriptions\/[^/]+$/.test(scope) || /\$\{azurerm_resource_group\.[^}]+\.id\}$/.test(scope) ? `scope ${scope} is a subscription or resource group` : undefined;
    },
  ),

  // --- secrets --------------------------------------------------------------
  resourceRule(
    {
      id: "AZ-KEYVAULT-RBAC",
      cloud: "azure",
      category: "secrets",
      title: "Key Vaults authorize with Azure RBAC (no access policies)",
      controls: ["project rule (Azure Policy: Azure Key Vault should use RBAC permission model)"],
      fix: "set rbacAuthorizationEnabled: true and grant roles (AzureSecret.grantRead); no accessPolicy blocks",
    },
    vaults,
    (r) =>
      r.body.rbac_authorization_enabled !== true && r.body.enable_rbac_authorization !== true
        ? "rbac_authorization_enabled is not true"
        : blocks(r.body.access_policy).length > 0
          ? "has access_policy blocks"
          : undefined,
  ),
  resourceRule(
    {
      id: "AZ-KEYVAULT-RECOVERABLE",
      cloud: "azure",
      category: "secrets",
      title: "Key Vaults are recoverable: soft delete with purge protection",
      controls: ["CKV_AZURE_42", "CKV_AZURE_110", "AVD-AZU-0016"],
      fix: "set purgeProtectionEnabled: true (soft delete is always on; softDeleteRetentionDays 7-90, fixed at creation)",
    },
    vaults,
    (r) => (r.body.purge_protection_enabled === true ? undefined : "purge_protection_enabled is not true"),
  ),
  resourceRule(
    {
      id: "AZ-KEYVAULT-NETWORK-DENY",
      cloud: "azure",
      category: "public-exposure",
      title: "Key Vaults deny network access by default",
      controls: ["CKV_AZURE_109", "AVD-AZU-0013"],
      fix: "set networkAcls { defaultAction: 'Deny', bypass: 'AzureServices' } with the admitted subnets and deployer ranges, or publicNetworkAccessEnabled: false",
    },
    vaults,
    (r) => (r.body.public_network_access_enabled === false || block(r.body.network_acls)?.default_action === "Deny" ? undefined : "network_acls.default_action is not Deny"),
  ),
  resourceRule(
    {
      id: "AZ-KEYVAULT-SECRET-CONTENT-TYPE",
      cloud: "azure",
      category: "secrets",
      title: "Key Vault secrets say what they hold (content type)",
      controls: ["CKV_AZURE_114", "AVD-AZU-0015"],
      fix: "set contentType",
    },
    ["azurerm_key_vault_secret"],
    (r) => (typeof r.body.content_type === "string" && r.body.content_type.length > 0 ? undefined : "no content_type"),
  ),
  resourceRule(
    {
      id: "AZ-KEYVAULT-SECRET-EXPIRY",
      cloud: "azure",
      category: "secrets",
      title: "Key Vault secrets have an expiration date",
      controls: ["CKV_AZURE_41", "AVD-AZU-0017"],
      fix: "set expirationDate, or record why the secret must not expire",
    },
    ["azurerm_key_vault_secret"],
    (r) => (r.body.expiration_date ? undefined : "no expiration_date"),
  ),
  resourceRule(
    {
      id: "AZ-KEYVAULT-SECRET-WRITE-ONLY",
      cloud: "azure",
      category: "secrets",
      title: "Key Vault secret values are written through the write-only value_wo (never in plan or state)",
      controls: ["project rule (issue 12: generated, never handed around)"],
      fix: "set valueWo from an ephemeral value with valueWoVersion, not value",
    },
    ["azurerm_key_vault_secret"],
    (r) => (r.body.value !== undefined ? "value is set (stored in the state)" : r.body.value_wo === undefined ? "no value_wo" : undefined),
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
  resourceRule(
    {
      id: "AZ-DELETION-PROTECTION",
      cloud: "azure",
      category: "deletion-safety",
      title: "Stateful resources (databases, storage accounts and containers, Key Vaults and secrets, log workspaces, disks, Front Door profiles and custom domains) refuse terraform destroy",
      controls: ["project rule (destroy rule: production refuses before deleting anything)"],
      fix: "set deletionProtection: true (lifecycle.preventDestroy); disposable environments record the no-deletion-protection decision",
    },
    AZURE_STATEFUL_TYPES,
    (r) => (block(r.body.lifecycle)?.prevent_destroy === true ? undefined : "no lifecycle.prevent_destroy"),
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
  {
    id: "AZ-PG-LOG-STATEMENT",
    cloud: "azure",
    category: "logging",
    title: "PostgreSQL flexible servers log DDL statements (log_statement ddl, mod or all)",
    controls: ["project rule (CKV_GCP_111 analogue)"],
    fix: "add a PostgresqlFlexibleServerConfiguration log_statement = ddl",
    check: (tf) =>
      tf.resources(...pg).flatMap((server): Finding[] =>
        ["ddl", "mod", "all"].includes(pgConfig(tf, server).log_statement) ? [] : [{ item: server, message: `log_statement is ${pgConfig(tf, server).log_statement ?? "unset (none)"}` }],
      ),
  },
  {
    id: "AZ-PG-PGAUDIT",
    cloud: "azure",
    category: "logging",
    title: "PostgreSQL flexible servers load pgAudit and log with it (allow-listed, preloaded, pgaudit.log set)",
    controls: ["project rule (CKV_GCP_110 analogue)"],
    fix: "add configurations azure.extensions (with PGAUDIT), shared_preload_libraries (keeping Azure's defaults, plus pgaudit) and pgaudit.log (e.g. ddl,role)",
    check: (tf) =>
      tf.resources(...pg).flatMap((server): Finding[] => {
        const cfg = pgConfig(tf, server);
        const missing = [
          ...(listOf(cfg["azure.extensions"]).includes("pgaudit") ? [] : ["azure.extensions lacks pgaudit"]),
          ...(listOf(cfg.shared_preload_libraries).includes("pgaudit") ? [] : ["shared_preload_libraries lacks pgaudit"]),
          ...(listOf(cfg["pgaudit.log"]).filter((c) => c !== "none").length > 0 ? [] : ["pgaudit.log is unset or none"]),
        ];
        return missing.length === 0 ? [] : [{ item: server, message: missing.join("; ") }];
      }),
  },
  {
    id: "AZ-STORAGE-BLOB-ACCESS-LOGS",
    cloud: "azure",
    category: "logging",
    title: `Storage accounts record blob reads: a diagnostic setting on the blob service sends StorageRead to a workspace keeping ${AUDIT_RETENTION_DAYS}+ days`,
    controls: ["CKV2_AZURE_21"],
    fix: "add a MonitorDiagnosticSetting with targetResourceId `${account.id}/blobServices/default`, enabledLog StorageRead (and Write/Delete) and a Log Analytics workspace (AzureBlobAccessLog)",
    check: (tf) =>
      tf.resources(...storage).flatMap((account): Finding[] => {
        const target = `\${${account.address}.id}/blobServices/default`;
        const settings = tf.resources("azurerm_monitor_diagnostic_setting").filter((d) => d.body.target_resource_id === target);
        const reads = settings.filter((d) => blocks(d.body.enabled_log).some((l) => READ_LOGS.includes(l.category) || READ_LOG_GROUPS.includes(l.category_group)));
        if (reads.length === 0) return [{ item: account, message: "no diagnostic setting records StorageRead on its blob service" }];
        const kept = reads.some((d) => {
          const ws = tf.deref(d.body.log_analytics_workspace_id);
          return ws === undefined ? d.body.storage_account_id !== undefined || d.body.log_analytics_workspace_id !== undefined : Number(ws.body.retention_in_days ?? 30) >= AUDIT_RETENTION_DAYS;
        });
        return kept ? [] : [{ item: account, message: `the blob read logs are kept less than ${AUDIT_RETENTION_DAYS} days` }];
      }),
  },
  resourceRule(
    {
      id: "AZ-STORAGE-SAS-EXPIRATION",
      cloud: "azure",
      category: "identity",
      title: "Storage accounts that accept account keys limit SAS lifetimes (SAS expiration policy)",
      controls: ["CKV2_AZURE_41"],
      fix: "set sasPolicy { expirationPeriod: '1.00:00:00', expirationAction: 'Block' } (SECURE_STORAGE_ACCOUNT does)",
    },
    storage,
    (r) => (r.body.shared_access_key_enabled === false || block(r.body.sas_policy)?.expiration_period ? undefined : "shared keys are enabled without sas_policy.expiration_period"),
  ),
  // --- served application (issue 11): the section at the end of this file ---
  ...azureServeRules(),
];

// ===========================================================================
// Served application (issue 11): Front Door entry, VM scale set tier, load
// balancer, Bastion. Kept in one section so it merges apart from the rest.
// ===========================================================================

/** Ids of the served-application rules (their fixtures live in __tests__/policy-rules-azure-serve.test.ts). */
export const AZURE_SERVE_RULE_IDS: ReadonlySet<string> = new Set(azureServeRules().map((r) => r.id));

function azureServeRules(): PolicyRule[] {
  const profiles = ["azurerm_cdn_frontdoor_profile"];
  const scaleSets = ["azurerm_linux_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set"];
  /** Extensions that justify extension operations on a scale set: Entra ID login, application health. */
  const allowedExtensions = ["AADSSHLoginForLinux", "AADLoginForWindows", "ApplicationHealthLinux", "ApplicationHealthWindows"];
  /** Diagnostic settings of `target` that send one of `categories` (or all logs) somewhere. */
  const logsOf = (tf: TfView, target: TfItem, categories: readonly string[]) =>
    tf
      .referencing("azurerm_monitor_diagnostic_setting", target, ["target_resource_id"])
      .filter((d) => [d.body.log_analytics_workspace_id, d.body.storage_account_id, d.body.eventhub_authorization_rule_id].some((x) => x !== undefined))
      .filter((d) => blocks(d.body.enabled_log).some((l) => categories.includes(l.category) || ["allLogs", "audit"].includes(l.category_group)));
  const ipConfigurations = (vmss: TfItem) => blocks(vmss.body.network_interface).flatMap((n) => blocks(n.ip_configuration));

  return [
    // --- Front Door -------------------------------------------------------
    resourceRule(
      {
        id: "AZ-FRONTDOOR-HTTPS-REDIRECT",
        cloud: "azure",
        category: "encryption-in-transit",
        title: "Front Door routes serve HTTPS; plain HTTP is only redirected to HTTPS",
        controls: ["CKV_AZURE_217 (Application Gateway HTTP listener analogue)"],
        fix: "set supportedProtocols ['Http', 'Https'] with httpsRedirectEnabled: true, or ['Https'] alone",
      },
      ["azurerm_cdn_frontdoor_route"],
      (r) => {
        const protocols = strings(r.body.supported_protocols);
        if (!protocols.includes("Https")) return `supported_protocols ${JSON.stringify(protocols)} has no Https`;
        return protocols.includes("Http") && r.body.https_redirect_enabled === false ? "accepts Http without redirecting it to Https" : undefined;
      },
    ),
    resourceRule(
      {
        id: "AZ-FRONTDOOR-MIN-TLS",
        cloud: "azure",
        category: "encryption-in-transit",
        title: "Front Door custom domains require TLS 1.2 or later",
        controls: ["CKV_AZURE_218 (Application Gateway TLS policy analogue)"],
        fix: "set tls { minimumTlsVersion: 'TLS12' } on the custom domain",
      },
      ["azurerm_cdn_frontdoor_custom_domain"],
      (r) => {
        const tls = block(r.body.tls);
        if (tls === undefined) return "no tls block";
        return (tls.minimum_tls_version ?? "TLS12") === "TLS12" ? undefined : `minimum_tls_version is ${tls.minimum_tls_version}`;
      },
    ),
    {
      id: "AZ-FRONTDOOR-WAF",
      cloud: "azure",
      category: "public-exposure",
      title: "Every Front Door custom domain is covered by a security policy with a WAF policy",
      controls: ["CKV_AZURE_121 (classic Front Door analogue)"],
      fix: "set webApplicationFirewall: true (a CdnFrontdoorFirewallPolicy attached to every custom domain by a CdnFrontdoorSecurityPolicy)",
      check: (tf) =>
        tf.resources(...profiles).flatMap((profile): Finding[] => {
          const withWaf = tf
            .referencing("azurerm_cdn_frontdoor_security_policy", profile, ["cdn_frontdoor_profile_id"])
            .map((p) => block(block(p.body.security_policies)?.firewall))
            .filter((f): f is Record<string, any> => typeof f?.cdn_frontdoor_firewall_policy_id === "string" && f.cdn_frontdoor_firewall_policy_id !== "");
          const covered = withWaf.flatMap((f) => blocks(block(f.association)?.domain).map((d) => tf.deref(d.cdn_frontdoor_domain_id)));
          const domains = tf.referencing("azurerm_cdn_frontdoor_custom_domain", profile, ["cdn_frontdoor_profile_id"]);
          if (withWaf.length === 0) return [{ item: profile, message: "no security policy with a WAF policy" }];
          return domains.filter((d) => !covered.includes(d)).map((d) => ({ item: profile, message: `custom domain ${d.address} is not covered by a WAF security policy` }));
        }),
    },
    resourceRule(
      {
        id: "AZ-FRONTDOOR-WAF-MODE",
        cloud: "azure",
        category: "public-exposure",
        title: "Front Door WAF policies are enabled in Prevention mode with Microsoft's managed Default Rule Set blocking",
        controls: ["CKV_AZURE_123", "CKV_AZURE_133"],
        fix: "set enabled: true, mode 'Prevention' and a managedRule { type: 'Microsoft_DefaultRuleSet', version: '2.1', action: 'Block' } (Premium SKU)",
      },
      ["azurerm_cdn_frontdoor_firewall_policy"],
      (r) => {
        if (r.body.enabled === false) return "the policy is disabled";
        if (r.body.mode !== "Prevention") return `mode is ${r.body.mode}`;
        const drs = blocks(r.body.managed_rule).find((m) => ["Microsoft_DefaultRuleSet", "DefaultRuleSet"].includes(m.type));
        if (drs === undefined) return "no managed Default Rule Set";
        return drs.action === "Block" ? undefined : `the Default Rule Set action is ${drs.action}`;
      },
    ),
    {
      id: "AZ-FRONTDOOR-ACCESS-LOGS",
      cloud: "azure",
      category: "logging",
      title: "Front Door profiles send access logs to a log store with an explicit retention",
      controls: ["project rule (Azure security baseline LT-3, LT-6)"],
      fix: "add a MonitorDiagnosticSetting on the profile with enabledLog FrontDoorAccessLog to a Log Analytics workspace that sets retentionInDays (HttpsEntry does)",
      check: (tf) =>
        tf.resources(...profiles).flatMap((profile): Finding[] => {
          const settings = logsOf(tf, profile, ["FrontDoorAccessLog"]);
          if (settings.length === 0) return [{ item: profile, message: "no diagnostic setting sends FrontDoorAccessLog to a log store" }];
          const workspaces = settings.map((d) => tf.deref(d.body.log_analytics_workspace_id)).filter((w): w is TfItem => w !== undefined);
          return workspaces.some((w) => w.body.retention_in_days === undefined)
            ? [{ item: profile, message: "the access logs go to a workspace without retention_in_days" }]
            : [];
        }),
    },
    resourceRule(
      {
        id: "AZ-FRONTDOOR-ORIGIN-HEALTH-PROBE",
        cloud: "azure",
        category: "network",
        title: "Front Door origin groups probe their origins' health on a path",
        controls: ["project rule (Azure WAF reliability: health probes)"],
        fix: "set healthProbe { protocol, path, intervalInSeconds } on the origin group (the app tier's health-check path)",
      },
      ["azurerm_cdn_frontdoor_origin_group"],
      (r) => (block(r.body.health_probe)?.path ? undefined : "no health_probe with a path"),
    ),

    // --- VM scale sets ----------------------------------------------------
    resourceRule(
      {
        id: "AZ-VMSS-ENCRYPTION-AT-HOST",
        cloud: "azure",
        category: "encryption-at-rest",
        title: "Scale sets encrypt temp disks and caches at the host",
        controls: ["CKV_AZURE_97"],
        fix: "set encryptionAtHostEnabled: true (register the EncryptionAtHost feature once per subscription)",
      },
      scaleSets,
      (r) => (r.body.encryption_at_host_enabled === true ? undefined : "encryption_at_host_enabled is not true"),
    ),
    resourceRule(
      {
        id: "AZ-VMSS-TRUSTED-LAUNCH",
        cloud: "azure",
        category: "identity",
        title: "Scale sets use trusted launch (secure boot and vTPM)",
        controls: ["project rule (Azure Policy: secure boot and vTPM on trusted launch VMs)"],
        fix: "set secureBootEnabled: true and vtpmEnabled: true with a Gen2 image (only possible at creation)",
      },
      scaleSets,
      (r) => (r.body.secure_boot_enabled === true && r.body.vtpm_enabled === true ? undefined : "secure boot or vTPM is not enabled"),
    ),
    resourceRule(
      {
        id: "AZ-VMSS-NO-PUBLIC-IP",
        cloud: "azure",
        category: "public-exposure",
        title: "Scale set instances carry no public IP",
        controls: ["CKV_AZURE_119 (network interface analogue)"],
        fix: "remove publicIpAddress from the ip_configuration; traffic comes in through the load balancer, egress through the NAT gateway",
      },
      scaleSets,
      (r) => (ipConfigurations(r).some((c) => blocks(c.public_ip_address).length > 0) ? "an ip_configuration has a public_ip_address" : undefined),
    ),
    resourceRule(
      {
        id: "AZ-VMSS-SSH-KEYS-ONLY",
        cloud: "azure",
        category: "identity",
        title: "Linux scale sets allow SSH keys only (password authentication disabled)",
        controls: ["CKV_AZURE_49", "CKV_AZURE_149"],
        fix: "set disablePasswordAuthentication: true with an adminSshKey and no adminPassword",
      },
      ["azurerm_linux_virtual_machine_scale_set"],
      sshKeysOnly,
    ),
    resourceRule(
      {
        id: "AZ-VMSS-MANAGED-IDENTITY",
        cloud: "azure",
        category: "identity",
        title: "Scale sets have a managed identity (no credentials on the instances)",
        controls: ["project rule (Azure security baseline IM-3)"],
        fix: "set identity { type: 'UserAssigned', identityIds: [the tier's identity] } (AppTier does)",
      },
      scaleSets,
      (r) => (/Assigned/.test(String(block(r.body.identity)?.type ?? "")) ? undefined : "no managed identity"),
    ),
    resourceRule(
      {
        id: "AZ-VMSS-NO-EXTENSIONS",
        cloud: "azure",
        category: "identity",
        title: "Scale sets allow extension operations only for the Entra ID login or application health extensions",
        controls: ["CKV_AZURE_50 (VM analogue)"],
        fix: "set extensionOperationsEnabled: false, or keep it only with the AADSSHLoginForLinux / ApplicationHealth extension",
      },
      scaleSets,
      (r) => {
        if (r.body.extension_operations_enabled === false) return undefined;
        const types = blocks(r.body.extension).map((e) => String(e.type));
        if (types.length === 0) return "extension operations are enabled but no extension needs them";
        const other = types.filter((t) => !allowedExtensions.includes(t));
        return other.length === 0 ? undefined : `extension(s) ${other.join(", ")} are not on the allowed list`;
      },
    ),
    resourceRule(
      {
        id: "AZ-VMSS-AUTO-OS-UPGRADE",
        cloud: "azure",
        category: "identity",
        title: "Scale sets upgrade their OS image automatically (rolled out with the health signal, rolled back on failure)",
        controls: ["CKV_AZURE_95 (legacy scale set analogue)"],
        fix: "set automaticOsUpgradePolicy { enableAutomaticOsUpgrade: true, disableAutomaticRollback: false } with upgradeMode Rolling and a health probe",
      },
      scaleSets,
      (r) => {
        const p = block(r.body.automatic_os_upgrade_policy);
        return p?.enable_automatic_os_upgrade === true && p.disable_automatic_rollback !== true ? undefined : "automatic OS image upgrades (with rollback) are not enabled";
      },
    ),
    resourceRule(
      {
        id: "AZ-VMSS-HEALTH-ROLLING",
        cloud: "azure",
        category: "backup",
        title: "Scale sets replace instances a batch at a time from a health signal and repair unhealthy ones",
        controls: ["project rule (Azure WAF reliability: rolling upgrades, automatic repairs)"],
        fix: "set upgradeMode 'Rolling' with a rollingUpgradePolicy, healthProbeId (the load balancer's probe) and automaticInstanceRepair { enabled: true } (all at creation)",
      },
      scaleSets,
      (r) => {
        const health = r.body.health_probe_id !== undefined || blocks(r.body.extension).some((e) => /^ApplicationHealth/.test(String(e.type)));
        if (r.body.upgrade_mode !== "Rolling" || block(r.body.rolling_upgrade_policy) === undefined) return `upgrade_mode is ${r.body.upgrade_mode ?? "Manual"} without a rolling_upgrade_policy`;
        if (!health) return "no health probe or application health extension";
        return block(r.body.automatic_instance_repair)?.enabled === true ? undefined : "automatic_instance_repair is not enabled";
      },
    ),
    resourceRule(
      {
        id: "AZ-VMSS-AUTOSCALE",
        cloud: "azure",
        category: "backup",
        title: "Scale sets are sized by an autoscale setting, which Terraform does not fight (instances ignored)",
        controls: ["project rule (Azure WAF reliability: autoscale)"],
        fix: "add a MonitorAutoscaleSetting targeting the scale set and lifecycle.ignoreChanges ['instances'] (AppTier does)",
      },
      scaleSets,
      (r, tf) => {
        const settings = tf.referencing("azurerm_monitor_autoscale_setting", r, ["target_resource_id"]).filter((a) => a.body.enabled !== false);
        if (settings.length === 0) return "no enabled autoscale setting targets it";
        return strings(block(r.body.lifecycle)?.ignore_changes).includes("instances") ? undefined : "instances is not in lifecycle.ignore_changes (every apply would reset the autoscaler)";
      },
    ),

    // --- load balancer and network paths ------------------------------------
    resourceRule(
      {
        id: "AZ-LB-HEALTH-PROBE",
        cloud: "azure",
        category: "network",
        title: "Load balancer rules use an HTTP(S) health probe on a path",
        controls: ["project rule (Azure WAF reliability: health probes)"],
        fix: "set probeId on the rule to an LbProbe with protocol 'Http' and requestPath (the app tier's health-check path)",
      },
      ["azurerm_lb_rule"],
      (r, tf) => {
        const probe = tf.deref(r.body.probe_id);
        if (probe === undefined) return "no probe_id (or it is not a probe of this stack)";
        return ["Http", "Https"].includes(probe.body.protocol) && probe.body.request_path ? undefined : `probe ${probe.address} is not an HTTP(S) probe with a request_path`;
      },
    ),
    {
      id: "AZ-NSG-NO-WORLD-TO-SCALE-SET",
      cloud: "azure",
      category: "public-exposure",
      title: "No NSG rule admits the internet to a scale set's instances: public traffic enters through the entry",
      controls: ["project rule (issue 11: the app tier admits its port from the entry only)"],
      fix: "admit the entry instead (HttpsEntry admits the AzureFrontDoor.Backend service tag on the tier's port)",
      check: (tf) => {
        // The application security groups scale-set instances join.
        const tierGroups = new Set(tf.resources(...scaleSets).flatMap((s) => ipConfigurations(s).flatMap((c) => strings(c.application_security_group_ids))));
        const rules: { item: TfItem; r: Record<string, any> }[] = [
          ...tf.resources("azurerm_network_security_rule").map((item) => ({ item, r: item.body })),
          ...tf.resources("azurerm_network_security_group").flatMap((item) => blocks(item.body.security_rule).map((r) => ({ item, r }))),
        ];
        return rules.flatMap(({ item, r }): Finding[] => {
          if (r.access !== "Allow" || r.direction !== "Inbound" || !strings(r.destination_application_security_group_ids).some((g) => tierGroups.has(g))) return [];
          const world = [...strings(r.source_address_prefix), ...strings(r.source_address_prefixes)].filter((s) => WORLD_SOURCES.includes(s));
          return world.length === 0 ? [] : [{ item, message: `rule ${r.name} admits ${world.join(", ")} to the instances of a scale set` }];
        });
      },
    },

    // --- operator access ----------------------------------------------------
    {
      id: "AZ-BASTION-AUDIT-LOGS",
      cloud: "azure",
      category: "logging",
      title: "Bastion hosts send their audit log (who connected where, when) to a log store",
      controls: ["project rule (Azure security baseline LT-4)"],
      fix: "add a MonitorDiagnosticSetting on the Bastion host with enabledLog BastionAuditLogs (AzureNetwork.operatorAccess does)",
      check: (tf) =>
        tf.resources("azurerm_bastion_host").flatMap((b): Finding[] => (logsOf(tf, b, ["BastionAuditLogs"]).length > 0 ? [] : [{ item: b, message: "no diagnostic setting sends BastionAuditLogs" }])),
    },
    resourceRule(
      {
        id: "AZ-BASTION-NO-SHAREABLE-LINKS",
        cloud: "azure",
        category: "public-exposure",
        title: "Bastion hosts give no shareable links (every session is an authenticated Entra ID user)",
        controls: ["project rule (Azure Bastion security baseline)"],
        fix: "set shareableLinkEnabled: false",
      },
      ["azurerm_bastion_host"],
      (r) => (r.body.shareable_link_enabled === true ? "shareable_link_enabled is true" : undefined),
    ),
  ];
}
