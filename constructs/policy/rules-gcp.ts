/**
 * GCP rules, mirroring checkov (CKV_GCP_*) and Trivy (AVD-GCP-*) controls.
 */
import { GCP_MUST_SURVIVE_TYPES, GCP_STATEFUL_TYPES, gcpMustSurviveDestroy } from "../gcp/provider-facts";
import { Finding, PolicyRule, TfItem, TfView, block, blocks, isTrue, resourceRule, sensitivePortIn, strings } from "./engine";

const sql = ["google_sql_database_instance"];
const isPostgres = (r: TfItem) => String(r.body.database_version ?? "").startsWith("POSTGRES");
const settings = (r: TfItem) => block(r.body.settings) ?? {};
const flags = (r: TfItem): Record<string, string> =>
  Object.fromEntries(blocks(settings(r).database_flags).map((f) => [String(f.name), String(f.value)]));

/** One rule per PostgreSQL flag, as the scanners have one control per flag; `values` are the accepted ones (the first is ours). */
function pgFlagRule(id: string, flag: string, values: string | readonly string[], controls: string | readonly string[], category: PolicyRule["category"] = "logging"): PolicyRule {
  const accepted = typeof values === "string" ? [values] : values;
  return resourceRule(
    {
      id,
      cloud: "gcp",
      category,
      title: `Cloud SQL PostgreSQL sets ${flag} = ${accepted.join(" or ")}`,
      controls: typeof controls === "string" ? [controls] : controls,
      fix: `add the database flag ${flag} = ${accepted[0]} (GCP_POSTGRES_FLAGS)`,
    },
    sql,
    (r) => (!isPostgres(r) || accepted.includes(flags(r)[flag]) ? undefined : `database flag ${flag} is ${flags(r)[flag] ?? "unset"}`),
  );
}

/** Data Access audit configs of the stack that cover Cloud Storage reads and writes. */
function storageAuditCovered(tf: TfView): boolean {
  return tf.resources("google_project_iam_audit_config").some((a) => {
    if (!["storage.googleapis.com", "allServices"].includes(String(a.body.service))) return false;
    const types = blocks(a.body.audit_log_config).map((c) => String(c.log_type));
    return types.includes("DATA_READ") && types.includes("DATA_WRITE");
  });
}

/** `lifecycle.ignore_changes` of a resource, as written (cdktf writes a list of attribute paths). */
const ignored = (r: TfItem): string[] => strings(block(r.body.lifecycle)?.ignore_changes);

const metadata = (r: TfItem): Record<string, unknown> => (r.body.metadata && typeof r.body.metadata === "object" ? r.body.metadata : {});

export const GCP_RULES: readonly PolicyRule[] = [
  // --- encryption in transit ----------------------------------------------
  resourceRule(
    {
      id: "GCP-SQL-TLS",
      cloud: "gcp",
      category: "encryption-in-transit",
      title: "Cloud SQL accepts only TLS connections",
      controls: ["CKV_GCP_6", "AVD-GCP-0015"],
      fix: "set settings.ipConfiguration.sslMode to ENCRYPTED_ONLY (or TRUSTED_CLIENT_CERTIFICATE_REQUIRED)",
    },
    sql,
    (r) => {
      const ip = block(settings(r).ip_configuration) ?? {};
      return ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"].includes(ip.ssl_mode) || ip.require_ssl === true
        ? undefined
        : `ip_configuration.ssl_mode is ${ip.ssl_mode ?? "unset"}`;
    },
  ),

  // --- public exposure ----------------------------------------------------
  resourceRule(
    {
      id: "GCP-SQL-NO-PUBLIC-IP",
      cloud: "gcp",
      category: "public-exposure",
      title: "Cloud SQL has a private IP only",
      controls: ["CKV_GCP_60", "AVD-GCP-0017"],
      fix: "set settings.ipConfiguration.ipv4Enabled: false with a privateNetwork",
    },
    sql,
    (r) => ((block(settings(r).ip_configuration) ?? {}).ipv4_enabled === false ? undefined : "ip_configuration.ipv4_enabled is not false (a public IP is assigned)"),
  ),
  resourceRule(
    {
      id: "GCP-SQL-NO-WORLD-NETWORKS",
      cloud: "gcp",
      category: "public-exposure",
      title: "Cloud SQL authorizes no network open to the whole internet",
      controls: ["CKV_GCP_11", "AVD-GCP-0017"],
      fix: "remove 0.0.0.0/0 from settings.ipConfiguration.authorizedNetworks",
    },
    sql,
    (r) =>
      blocks((block(settings(r).ip_configuration) ?? {}).authorized_networks).some((n) => n.value === "0.0.0.0/0" || n.value === "::/0")
        ? "an authorized network is 0.0.0.0/0"
        : undefined,
  ),
  resourceRule(
    {
      id: "GCP-VM-NO-PUBLIC-IP",
      cloud: "gcp",
      category: "public-exposure",
      title: "Compute instances have no external IP",
      controls: ["CKV_GCP_40", "AVD-GCP-0031"],
      fix: "remove accessConfig from the network interface; egress goes through Cloud NAT",
    },
    ["google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template"],
    (r) => (blocks(r.body.network_interface).some((n) => blocks(n.access_config).length > 0) ? "a network interface has an access_config (external IP)" : undefined),
  ),
  {
    id: "GCP-FIREWALL-NO-WORLD-ADMIN-PORTS",
    cloud: "gcp",
    category: "public-exposure",
    title: "No firewall rule admits SSH, RDP or database ports from the whole internet",
    controls: ["CKV_GCP_2", "CKV_GCP_3", "AVD-GCP-0027"],
    fix: "narrow sourceRanges (IngressRule.sources); reach VMs through IAP or OS Login instead",
    check: (tf) =>
      tf.resources("google_compute_firewall").flatMap((r): Finding[] => {
        if ((r.body.direction ?? "INGRESS") !== "INGRESS" || isTrue(r.body.disabled)) return [];
        if (!strings(r.body.source_ranges).some((c) => c === "0.0.0.0/0" || c === "::/0")) return [];
        const open = blocks(r.body.allow).find((a) => {
          if (a.protocol === "all") return true;
          const ports = strings(a.ports);
          if (ports.length === 0) return true;
          return ports.some((p) => {
            const [from, to] = p.split("-").map(Number);
            return sensitivePortIn(from, to ?? from) !== undefined;
          });
        });
        return open ? [{ item: r, message: `allows ${open.protocol} ${strings(open.ports).join(",") || "(all ports)"} from the whole internet` }] : [];
      }),
  },
  resourceRule(
    {
      id: "GCP-BUCKET-UNIFORM-ACCESS",
      cloud: "gcp",
      category: "public-exposure",
      title: "Buckets use uniform bucket-level access (no object ACLs)",
      controls: ["CKV_GCP_29", "AVD-GCP-0002"],
      fix: "set uniformBucketLevelAccess: true",
    },
    ["google_storage_bucket"],
    (r) => (r.body.uniform_bucket_level_access === true ? undefined : "uniform_bucket_level_access is not true"),
  ),
  resourceRule(
    {
      id: "GCP-BUCKET-PUBLIC-ACCESS-PREVENTION",
      cloud: "gcp",
      category: "public-exposure",
      title: "Buckets enforce public access prevention",
      controls: ["CKV_GCP_114"],
      fix: "set publicAccessPrevention: 'enforced'",
    },
    ["google_storage_bucket"],
    (r) => (r.body.public_access_prevention === "enforced" ? undefined : `public_access_prevention is ${r.body.public_access_prevention ?? "unset"}`),
  ),
  resourceRule(
    {
      id: "GCP-BUCKET-NO-PUBLIC-MEMBERS",
      cloud: "gcp",
      category: "public-exposure",
      title: "No bucket grants to allUsers or allAuthenticatedUsers",
      controls: ["CKV_GCP_28", "AVD-GCP-0001"],
      fix: "grant to a service account (ObjectStore.grantReadWrite) instead of a public member",
    },
    ["google_storage_bucket_iam_member", "google_storage_bucket_iam_binding"],
    (r) => {
      const members = [...strings(r.body.member), ...strings(r.body.members)];
      const pub = members.filter((m) => m === "allUsers" || m === "allAuthenticatedUsers");
      return pub.length > 0 ? `grants ${r.body.role} to ${pub.join(", ")}` : undefined;
    },
  ),

  // --- network hygiene ----------------------------------------------------
  resourceRule(
    {
      id: "GCP-SUBNET-FLOW-LOGS",
      cloud: "gcp",
      category: "network",
      title: "Subnetworks have VPC flow logs",
      controls: ["CKV_GCP_26", "AVD-GCP-0029"],
      fix: "set logConfig on the ComputeSubnetwork (the GCP network construct does)",
    },
    ["google_compute_subnetwork"],
    (r) => (block(r.body.log_config) || r.body.purpose === "REGIONAL_MANAGED_PROXY" ? undefined : "no log_config (flow logs off)"),
  ),
  resourceRule(
    {
      id: "GCP-SUBNET-PRIVATE-GOOGLE-ACCESS",
      cloud: "gcp",
      category: "network",
      title: "Subnetworks have Private Google Access",
      controls: ["CKV_GCP_74"],
      fix: "set privateIpGoogleAccess: true",
    },
    ["google_compute_subnetwork"],
    (r) => (r.body.private_ip_google_access === true ? undefined : "private_ip_google_access is not true"),
  ),
  {
    id: "GCP-NAT-PRIVATE-EGRESS",
    cloud: "gcp",
    category: "network",
    title: "Networks with private VMs have Cloud NAT for egress",
    controls: ["project rule (CIS GCP 4.9 no public IPs implies NAT)"],
    fix: "add a ComputeRouter with a ComputeRouterNat covering the application subnetwork",
    check: (tf) => {
      const vmNetworks = new Set(
        tf
          .resources("google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template")
          .flatMap((vm) => blocks(vm.body.network_interface).map((n) => tf.deref(n.subnetwork)))
          .filter((s): s is TfItem => s !== undefined)
          .map((s) => tf.deref(s.body.network)?.address),
      );
      const routers = tf.resources("google_compute_router_nat").map((nat) => tf.deref(nat.body.router));
      const natNetworks = new Set(routers.map((r) => tf.deref(r?.body.network)?.address ?? r?.body.network));
      return tf
        .resources("google_compute_network")
        .filter((n) => vmNetworks.has(n.address) && !natNetworks.has(n.address))
        .map((item) => ({ item, message: "VMs without external IPs in this network have no Cloud NAT" }));
    },
  },

  // --- identity -----------------------------------------------------------
  resourceRule(
    {
      id: "GCP-VM-NO-DEFAULT-SERVICE-ACCOUNT",
      cloud: "gcp",
      category: "identity",
      title: "Compute instances run as a dedicated service account, not the default one",
      controls: ["CKV_GCP_30", "CKV_GCP_31", "AVD-GCP-0044"],
      fix: "give the VM its own ServiceAccount (the GCP VM construct does)",
    },
    ["google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template"],
    (r) => {
      const sa = block(r.body.service_account);
      if (!sa || !sa.email) return "no service_account.email: the VM runs as the Compute Engine default service account";
      return /-compute@developer\.gserviceaccount\.com$/.test(String(sa.email)) ? "uses the Compute Engine default service account" : undefined;
    },
  ),
  resourceRule(
    {
      id: "GCP-VM-OS-LOGIN",
      cloud: "gcp",
      category: "identity",
      title: "SSH to VMs only through OS Login, never project-wide SSH keys",
      controls: ["CKV_GCP_32", "CKV_GCP_34", "AVD-GCP-0030", "AVD-GCP-0036"],
      fix: "set metadata enable-oslogin = TRUE and block-project-ssh-keys = TRUE",
    },
    ["google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template"],
    (r) => {
      const m = metadata(r);
      if (!isTrue(m["block-project-ssh-keys"])) return "metadata block-project-ssh-keys is not TRUE";
      if (!isTrue(m["enable-oslogin"])) return "metadata enable-oslogin is not TRUE";
      return m["ssh-keys"] !== undefined ? "metadata carries ssh-keys" : undefined;
    },
  ),
  resourceRule(
    {
      id: "GCP-VM-NO-SERIAL-PORT",
      cloud: "gcp",
      category: "identity",
      title: "Interactive serial port access is disabled",
      controls: ["CKV_GCP_35", "AVD-GCP-0032"],
      fix: "set metadata serial-port-enable = FALSE (or leave it out)",
    },
    ["google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template"],
    (r) => (isTrue(metadata(r)["serial-port-enable"]) ? "metadata serial-port-enable is TRUE" : undefined),
  ),
  resourceRule(
    {
      id: "GCP-VM-NO-IP-FORWARDING",
      cloud: "gcp",
      category: "network",
      title: "Compute instances do not forward IP packets",
      controls: ["CKV_GCP_36", "AVD-GCP-0043"],
      fix: "leave canIpForward false",
    },
    ["google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template"],
    (r) => (r.body.can_ip_forward === true ? "can_ip_forward is true" : undefined),
  ),
  resourceRule(
    {
      id: "GCP-VM-SHIELDED",
      cloud: "gcp",
      category: "identity",
      title: "Compute instances are Shielded VMs (secure boot, vTPM, integrity monitoring)",
      controls: ["CKV_GCP_39", "AVD-GCP-0045"],
      fix: "set shieldedInstanceConfig with enableSecureBoot, enableVtpm and enableIntegrityMonitoring true",
    },
    ["google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template"],
    (r) => {
      const s = block(r.body.shielded_instance_config);
      return s && s.enable_secure_boot === true && s.enable_vtpm !== false && s.enable_integrity_monitoring !== false
        ? undefined
        : "shielded_instance_config is missing or incomplete";
    },
  ),
  {
    id: "GCP-IAM-GRANTS-SCOPED",
    cloud: "gcp",
    category: "identity",
    title: "No basic roles at project level; storage and secret roles are granted on one bucket or secret, Cloud SQL roles only with a condition naming one instance",
    controls: ["CKV_GCP_117", "CKV_GCP_41", "CKV_GCP_49", "AVD-GCP-0007"],
    fix: "grant roles/storage.* on the bucket (ObjectStore.grantReadWrite) and roles/secretmanager.* on the secret (Secret.grantRead); give roles/cloudsql.* a condition on resource.name (PostgresDatabase.grantConnect); never roles/owner, editor or viewer",
    check: (tf) =>
      tf.resources("google_project_iam_member", "google_project_iam_binding", "google_project_iam_policy").flatMap((item): Finding[] => {
        const role = String(item.body.role);
        if (/^roles\/(owner|editor|viewer)$/.test(role) || /^roles\/(storage|secretmanager)\./.test(role) || /^roles\/iam\.serviceAccount(User|TokenCreator)$/.test(role)) {
          return [{ item, message: `project-level grant of ${role}` }];
        }
        if (role.startsWith("roles/cloudsql.") && !/resource\.name\s*==/.test(String(block(item.body.condition)?.expression ?? ""))) {
          return [{ item, message: `project-level grant of ${role} without a condition naming one instance` }];
        }
        return [];
      }),
  },

  // --- backups and deletion safety ----------------------------------------
  resourceRule(
    {
      id: "GCP-SQL-BACKUPS",
      cloud: "gcp",
      category: "backup",
      title: "Cloud SQL has automated backups with point-in-time recovery",
      controls: ["CKV_GCP_14", "AVD-GCP-0024"],
      fix: "set settings.backupConfiguration { enabled: true, pointInTimeRecoveryEnabled: true }",
    },
    sql,
    (r) => {
      const b = block(settings(r).backup_configuration);
      if (b?.enabled !== true) return "backup_configuration.enabled is not true";
      return isPostgres(r) && b.point_in_time_recovery_enabled !== true ? "point_in_time_recovery_enabled is not true" : undefined;
    },
  ),
  resourceRule(
    {
      id: "GCP-SQL-HIGH-AVAILABILITY",
      cloud: "gcp",
      category: "backup",
      title: "Cloud SQL is regional (standby in another zone)",
      controls: ["project rule (Google Cloud Architecture Framework reliability)"],
      fix: "set highAvailability: true (availabilityType REGIONAL)",
    },
    sql,
    (r) => (settings(r).availability_type === "REGIONAL" ? undefined : `availability_type is ${settings(r).availability_type ?? "ZONAL (default)"}`),
  ),
  resourceRule(
    {
      id: "GCP-SQL-DELETION-PROTECTION",
      cloud: "gcp",
      category: "deletion-safety",
      title: "Cloud SQL has Terraform and API deletion protection and keeps backups on delete",
      controls: ["project rule"],
      fix: "set deletionProtection: true (deletion_protection, settings.deletion_protection_enabled, retain_backups_on_delete)",
    },
    sql,
    (r) => {
      const s = settings(r);
      const missing = [
        r.body.deletion_protection === false ? "deletion_protection" : undefined,
        s.deletion_protection_enabled === true ? undefined : "settings.deletion_protection_enabled",
        s.retain_backups_on_delete === true ? undefined : "settings.retain_backups_on_delete",
      ].filter((x) => x !== undefined);
      return missing.length === 0 ? undefined : `${missing.join(", ")} not true`;
    },
  ),
  resourceRule(
    {
      id: "GCP-SQL-AUTOGROW-NO-REPLACE",
      cloud: "gcp",
      category: "deletion-safety",
      title: "A Cloud SQL instance whose disk grows by itself ignores changes to its disk size (else the next plan replaces it)",
      controls: ["project rule (provider docs: sql_database_instance disk_size; resource_sql_database_instance.go ForceNewIfChange IsDiskShrinkage)"],
      fix: "add settings[0].disk_size to lifecycle.ignore_changes, or leave disk_size unset",
    },
    sql,
    (r) => {
      const s = settings(r);
      if (s.disk_autoresize === false || s.disk_size === undefined) return undefined;
      return ignored(r).includes("settings[0].disk_size") ? undefined : "disk_size is set with disk_autoresize, and settings[0].disk_size is not in lifecycle.ignore_changes";
    },
  ),
  resourceRule(
    {
      id: "GCP-STATEFUL-PREVENT-DESTROY",
      cloud: "gcp",
      category: "deletion-safety",
      title: `Terraform refuses to destroy resources that hold data (${GCP_STATEFUL_TYPES.join(", ")})`,
      controls: ["project rule (destroy rule: production refuses before deleting anything)"],
      fix: "set deletionProtection: true (lifecycle.prevent_destroy); deletionProtection: false is accepted only where the profile says costOverResilience",
    },
    GCP_STATEFUL_TYPES,
    (r) => (block(r.body.lifecycle)?.prevent_destroy === true ? undefined : "no lifecycle.prevent_destroy"),
  ),
  resourceRule(
    {
      id: "GCP-BUCKET-VERSIONING",
      cloud: "gcp",
      category: "backup",
      title: "Buckets are versioned",
      controls: ["CKV_GCP_78"],
      fix: "set versioning: { enabled: true } (ObjectStore versioned: true)",
    },
    ["google_storage_bucket"],
    (r) => (block(r.body.versioning)?.enabled === true ? undefined : "versioning is not enabled"),
  ),

  // --- logging ------------------------------------------------------------
  pgFlagRule("GCP-SQL-LOG-CHECKPOINTS", "log_checkpoints", "on", "CKV_GCP_51"),
  pgFlagRule("GCP-SQL-LOG-CONNECTIONS", "log_connections", "on", "CKV_GCP_52"),
  pgFlagRule("GCP-SQL-LOG-DISCONNECTIONS", "log_disconnections", "on", "CKV_GCP_53"),
  pgFlagRule("GCP-SQL-LOG-LOCK-WAITS", "log_lock_waits", "on", "CKV_GCP_54"),
  pgFlagRule("GCP-SQL-LOG-TEMP-FILES", "log_temp_files", "0", "CKV_GCP_56"),
  pgFlagRule("GCP-SQL-LOG-STATEMENT", "log_statement", ["ddl", "mod", "all"], "CKV_GCP_111"),
  pgFlagRule("GCP-SQL-PGAUDIT", "cloudsql.enable_pgaudit", "on", "CKV_GCP_110"),
  pgFlagRule("GCP-SQL-IAM-AUTHENTICATION", "cloudsql.iam_authentication", "on", ["project rule (identity-based database login)"], "identity"),
  {
    id: "GCP-BUCKET-ACCESS-LOGGED",
    cloud: "gcp",
    category: "logging",
    title: "Who reads and writes objects is recorded: Data Access audit logs for Cloud Storage (DATA_READ and DATA_WRITE) in the stack, or usage logs on the bucket",
    controls: ["CKV_GCP_62"],
    fix: "create the bucket with the GCP ObjectStore (its stack writes google_project_iam_audit_config for storage.googleapis.com when it owns the project's settings)",
    check: (tf) => {
      if (storageAuditCovered(tf)) return [];
      return tf
        .resources("google_storage_bucket")
        .filter((b) => !block(b.body.logging)?.log_bucket)
        .map((item) => ({ item, message: "no Data Access audit config for storage.googleapis.com in the stack and no logging block" }));
    },
  },

  // --- serving the application (issue 11): below, in gcpServeRules() ------
  ...gcpServeRules(),
];

// ===========================================================================
// Serving the application (issue 11): the global external Application Load
// Balancer, Cloud Armor, and the managed instance group behind it. Fixtures:
// __tests__/policy-rules-gcp-serve.test.ts. A function (hoisted), so that
// GCP_RULES above can include these rules.
// ===========================================================================

function gcpServeRules(): PolicyRule[] {
  /** Backend services that serve the internet (the provider's default scheme is EXTERNAL). */
  const isExternal = (r: TfItem) => ["EXTERNAL", "EXTERNAL_MANAGED"].includes(String(r.body.load_balancing_scheme ?? "EXTERNAL"));
  const backendServices = (tf: TfView) => tf.resources("google_compute_backend_service").filter(isExternal);
  /** Every `type.name` a string references (`logging.googleapis.com/${google_logging_project_bucket_config.b.id}`). */
  const referenced = (tf: TfView, v: unknown): TfItem[] =>
    typeof v === "string" ? [...v.matchAll(/\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_]+[^}]*\}/g)].map((m) => tf.get(m[1])).filter((x): x is TfItem => x !== undefined) : [];
  const wafExpressions = (policy: TfItem) =>
    blocks(policy.body.rule)
      .filter((rule) => String(rule.action ?? "").startsWith("deny") && rule.preview !== true)
      .map((rule) => String(block(block(rule.match)?.expr)?.expression ?? ""));
  const MIGS = ["google_compute_region_instance_group_manager", "google_compute_instance_group_manager"];

  return [
    {
      id: "GCP-FIREWALL-NO-WORLD-INGRESS",
      cloud: "gcp",
      category: "public-exposure",
      title: "No firewall rule allows ingress from the whole internet (load balancer traffic arrives from Google's ranges)",
      controls: ["CKV_GCP_106", "AVD-GCP-0027"],
      fix: "admit the entry, not a range: tier.connections.allowFrom(httpsEntry, port) (GcpHttpsEntry does it)",
      check: (tf) =>
        tf
          .resources("google_compute_firewall")
          .filter((r) => (r.body.direction ?? "INGRESS") === "INGRESS" && !isTrue(r.body.disabled) && blocks(r.body.allow).length > 0)
          .filter((r) => strings(r.body.source_ranges).some((c) => c === "0.0.0.0/0" || c === "::/0"))
          .map((item) => ({ item, message: `allows ${blocks(item.body.allow).map((a) => `${a.protocol} ${strings(a.ports).join(",") || "(all ports)"}`).join("; ")} from the whole internet` })),
    },
    {
      id: "GCP-LB-HTTP-REDIRECT-ONLY",
      cloud: "gcp",
      category: "encryption-in-transit",
      title: "Plain HTTP only redirects to HTTPS: every target HTTP proxy uses a URL map that redirects and has no backend",
      controls: ["project rule (GCP counterpart of CKV2_AWS_20 / AVD-AWS-0054)"],
      fix: "point the target HTTP proxy at a URL map with only default_url_redirect { https_redirect = true } (GcpHttpsEntry's redirect map)",
      check: (tf) =>
        tf.resources("google_compute_target_http_proxy").flatMap((proxy): Finding[] => {
          const map = tf.deref(proxy.body.url_map);
          if (!map) return [{ item: proxy, message: "its url_map is not a URL map of this stack, so the redirect cannot be checked" }];
          const redirect = block(map.body.default_url_redirect);
          if (redirect?.https_redirect !== true) return [{ item: proxy, message: `URL map ${map.address} does not redirect to https` }];
          const routes = ["default_service", "path_matcher", "host_rule", "default_route_action"].filter((k) => map.body[k] !== undefined);
          return routes.length > 0 ? [{ item: proxy, message: `URL map ${map.address} also routes to backends (${routes.join(", ")})` }] : [];
        }),
    },
    {
      id: "GCP-LB-TLS-POLICY",
      cloud: "gcp",
      category: "encryption-in-transit",
      title: "HTTPS proxies use an SSL policy with TLS 1.2 or later and the MODERN or RESTRICTED profile",
      controls: ["CKV_GCP_4", "AVD-GCP-0039"],
      fix: "attach a ComputeSslPolicy with minTlsVersion TLS_1_2 and profile RESTRICTED (GcpHttpsEntry does); without one the proxy accepts TLS 1.0",
      check: (tf) => {
        const weak = (policy: TfItem) => {
          const problems = [
            policy.body.min_tls_version === "TLS_1_2" ? undefined : `min_tls_version is ${policy.body.min_tls_version ?? "TLS_1_0 (default)"}`,
            ["MODERN", "RESTRICTED"].includes(policy.body.profile) ? undefined : `profile is ${policy.body.profile ?? "COMPATIBLE (default)"}`,
          ].filter((x): x is string => x !== undefined);
          return problems.length > 0 ? problems.join(", ") : undefined;
        };
        const onPolicies = tf.resources("google_compute_ssl_policy").flatMap((item) => {
          const message = weak(item);
          return message ? [{ item, message }] : [];
        });
        const onProxies = tf.resources("google_compute_target_https_proxy").flatMap((proxy): Finding[] => {
          if (proxy.body.ssl_policy === undefined) return [{ item: proxy, message: "no ssl_policy: the proxy accepts TLS 1.0 and the COMPATIBLE ciphers" }];
          return tf.deref(proxy.body.ssl_policy) ? [] : [{ item: proxy, message: "its ssl_policy is not an SSL policy of this stack, so it cannot be checked" }];
        });
        return [...onProxies, ...onPolicies];
      },
    },
    {
      id: "GCP-LB-WAF",
      cloud: "gcp",
      category: "public-exposure",
      title: "Internet-facing backend services are protected by a Cloud Armor security policy",
      controls: ["project rule (GCP counterpart of CKV2_AWS_28)"],
      fix: "set webApplicationFirewall: true on the HttpsEntry (backend service security_policy)",
      check: (tf) =>
        backendServices(tf).flatMap((item): Finding[] => {
          if (item.body.security_policy === undefined) return [{ item, message: "no security_policy (no WAF in front of the backends)" }];
          const policy = tf.deref(item.body.security_policy);
          return policy?.type === "google_compute_security_policy" ? [] : [{ item, message: "its security_policy is not a Cloud Armor policy of this stack, so it cannot be checked" }];
        }),
    },
    resourceRule(
      {
        id: "GCP-ARMOR-OWASP-RULES",
        cloud: "gcp",
        category: "public-exposure",
        title: "Cloud Armor policies deny the preconfigured OWASP rules (at least SQL injection and XSS), enforced, with an explicit default rule",
        controls: ["project rule (OWASP CRS 3.3 through Cloud Armor preconfigured WAF rules)"],
        fix: "deny evaluatePreconfiguredWaf('sqli-v33-stable') and ('xss-v33-stable') with preview false, and keep the default rule at priority 2147483647 (GCP_WAF_RULES)",
      },
      ["google_compute_security_policy"],
      (r) => {
        const enforced = wafExpressions(r);
        const missing = ["sqli", "xss"].filter((set) => !enforced.some((e) => new RegExp(`evaluatePreconfigured(Waf|Expr)\\('${set}-`).test(e)));
        if (missing.length > 0) return `no enforced deny rule for ${missing.join(", ")}`;
        return blocks(r.body.rule).some((rule) => Number(rule.priority) === 2147483647) ? undefined : "no explicit default rule (priority 2147483647): the API adds one and every plan shows a diff";
      },
    ),
    resourceRule(
      {
        id: "GCP-ARMOR-LOG4J",
        cloud: "gcp",
        category: "public-exposure",
        title: "Cloud Armor policies block the Log4j message lookup (CVE-2021-44228)",
        controls: ["CKV_GCP_73"],
        fix: "deny evaluatePreconfiguredWaf('cve-canary') with preview false (GCP_WAF_RULES)",
      },
      ["google_compute_security_policy"],
      (r) => (wafExpressions(r).some((e) => /evaluatePreconfigured(Waf|Expr)\('cve-canary'/.test(e)) ? undefined : "no enforced deny rule evaluating 'cve-canary'"),
    ),
    {
      id: "GCP-LB-ACCESS-LOGS",
      cloud: "gcp",
      category: "logging",
      title: "Internet-facing backend services log every request",
      controls: ["project rule (CIS GCP Foundations 2.16; no checkov/Trivy Terraform check)"],
      fix: "set logConfig { enable: true, sampleRate: 1 } on the backend service (GcpHttpsEntry does)",
      check: (tf) =>
        backendServices(tf).flatMap((item): Finding[] => {
          const log = block(item.body.log_config);
          if (log?.enable !== true) return [{ item, message: "log_config.enable is not true" }];
          return log.sample_rate === undefined || Number(log.sample_rate) === 1 ? [] : [{ item, message: `log_config.sample_rate is ${log.sample_rate}, not 1` }];
        }),
    },
    {
      id: "GCP-LB-ACCESS-LOG-RETENTION",
      cloud: "gcp",
      category: "logging",
      title: "Load balancer request logs are routed to a log bucket of the stack with an explicit retention",
      controls: ["project rule (CIS GCP Foundations 2.2 sinks; the _Default bucket keeps logs 30 days only)"],
      fix: "route resource.type=\"http_load_balancer\" logs with a LoggingProjectSink to a LoggingProjectBucketConfig with retentionDays (GcpHttpsEntry does)",
      check: (tf) => {
        const retained = tf.resources("google_logging_project_sink").some(
          (sink) =>
            String(sink.body.filter ?? "").includes('resource.type="http_load_balancer"') &&
            sink.body.disabled !== true &&
            referenced(tf, sink.body.destination).some((b) => b.type === "google_logging_project_bucket_config" && Number(b.body.retention_days) > 0),
        );
        return retained ? [] : backendServices(tf).map((item) => ({ item, message: "no sink routes http_load_balancer logs to a log bucket with retention_days" }));
      },
    },
    resourceRule(
      {
        id: "GCP-PREVENT-DESTROY",
        cloud: "gcp",
        category: "deletion-safety",
        title:
          "The load balancer's public address, which has no deletion switch on GCP and which DNS points at, is protected from destroy by Terraform (log buckets: GCP-STATEFUL-PREVENT-DESTROY)",
        controls: ["project rule (AWS counterpart: CKV_AWS_150)"],
        fix: "set deletionProtection: true on the HttpsEntry (lifecycle.prevent_destroy on the global address)",
      },
      GCP_MUST_SURVIVE_TYPES,
      (r) => {
        // Internal ranges (private services access) are not public entry points (constructs/gcp/provider-facts.ts).
        if (!gcpMustSurviveDestroy(r.type, r.body)) return undefined;
        return block(r.body.lifecycle)?.prevent_destroy === true ? undefined : "lifecycle.prevent_destroy is not true";
      },
    ),
    resourceRule(
      {
        id: "GCP-MIG-AUTO-HEALING",
        cloud: "gcp",
        category: "backup",
        title: "Managed instance groups heal instances that fail their health check",
        controls: ["project rule (Google Cloud Architecture Framework reliability)"],
        fix: "set autoHealingPolicies { healthCheck, initialDelaySec } (GcpAppTier does, with the load balancer's health check)",
      },
      MIGS,
      (r) => (block(r.body.auto_healing_policies)?.health_check ? undefined : "no auto_healing_policies.health_check"),
    ),
    resourceRule(
      {
        id: "GCP-MIG-ROLLING-UPDATE",
        cloud: "gcp",
        category: "backup",
        title: "Managed instance groups roll a new template out proactively without taking instances away first (never all at once)",
        controls: ["project rule (Google Cloud Architecture Framework reliability)"],
        fix: "set updatePolicy { type: PROACTIVE, maxSurgeFixed: <number of zones>, maxUnavailableFixed: 0 } (GcpAppTier does)",
      },
      MIGS,
      (r) => {
        const u = block(r.body.update_policy);
        if (!u) return "no update_policy (the API defaults make every zone's instance unavailable at once)";
        if (u.type !== "PROACTIVE") return `update_policy.type is ${u.type}, not PROACTIVE`;
        const unavailable = u.max_unavailable_percent ?? u.max_unavailable_fixed;
        if (unavailable === undefined || Number(unavailable) !== 0) return `update_policy max unavailable is ${unavailable ?? "unset (the API defaults to the number of zones)"}, not 0`;
        const surge = u.max_surge_percent ?? u.max_surge_fixed;
        return surge !== undefined && Number(surge) > 0 ? undefined : "update_policy max surge is not above 0 (with 0 unavailable the update could never start)";
      },
    ),
    {
      id: "GCP-MIG-MULTI-ZONE",
      cloud: "gcp",
      category: "backup",
      title: "Instance groups are regional and spread over at least two zones",
      controls: ["project rule (Google Cloud Architecture Framework reliability)"],
      fix: "use a regional instance group manager with at least two distribution_policy_zones (GcpAppTier spreads over the network's zones)",
      check: (tf) => [
        ...tf.resources("google_compute_instance_group_manager").map((item) => ({ item, message: "a zonal instance group lives in one zone" })),
        ...tf
          .resources("google_compute_region_instance_group_manager")
          .filter((r) => r.body.distribution_policy_zones !== undefined && strings(r.body.distribution_policy_zones).length < 2)
          .map((item) => ({ item, message: `distribution_policy_zones has ${strings(item.body.distribution_policy_zones).length} zone(s)` })),
      ],
    },
  ];
}

/** The rules of the section above (their fixtures live in __tests__/policy-rules-gcp-serve.test.ts). */
export const GCP_SERVE_RULES: readonly PolicyRule[] = (() => {
  const ids = new Set(gcpServeRules().map((r) => r.id));
  return GCP_RULES.filter((r) => ids.has(r.id));
})();
