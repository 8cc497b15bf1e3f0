/**
 * Azure: serving the application (issue 11). Bare Azure stacks built from the
 * environment profiles (staging-like and production-like props) with a
 * network, an AzureAppTier and an AzureHttpsEntry; targeted assertions by
 * construct path on the synthesized Terraform (which passed the policy check),
 * plus "fails when ..." cases for every refusal.
 */
import { DefaultTokenResolver, StringConcat, Token, Tokenization } from "cdktf";
import { APP_TIER_DEFAULTS, placeholderUserData } from "../constructs/app-tier";
import { ENVIRONMENT_DEFAULTS } from "../constructs/config";
import { CidrPeer, Peer } from "../constructs/connections";
import { cidrsOverlap } from "../constructs/core";
import { HTTPS_ENTRY_DEFAULTS } from "../constructs/https-entry";
import { CLOUD_LIMITS } from "../constructs/limits";
import { NETWORK_DEFAULTS, planSubnets } from "../constructs/network";
import { POLICY_EXEMPTIONS } from "../constructs/policy/exemptions";
import { POSTGRES_PORT } from "../constructs/postgres-database";
import { SIZE_TABLE } from "../constructs/sizes";
import { CloudStack, decisionsAt } from "../constructs/stack";
import {
  AUTOSCALE,
  AZURE_ZONES,
  AzureAppTier,
  AzureAppTierProps,
  ENTRA_LOGIN_EXTENSION,
  HEALTH_PROBE,
  INSTANCE_REPAIR,
  OPERATOR_LOGIN_ROLE,
  ROLLING_UPGRADE_POLICY,
  SSH_PORT,
} from "../constructs/azure/app-tier";
import { BASTION_AUDIT_LOG_CATEGORY, BASTION_SKU, BASTION_SUBNET_NAME } from "../constructs/azure/bastion";
import { AzureConnections } from "../constructs/azure/connections";
import {
  AzureHttpsEntry,
  DNS_TTL,
  FRONT_DOOR_ID_HEADER,
  FRONT_DOOR_LOG_CATEGORIES,
  FRONT_DOOR_MANAGED_RULES,
  FRONT_DOOR_SERVICE_TAG,
  FRONT_DOOR_SKU,
  ORIGIN_PROBE_INTERVAL_SECONDS,
} from "../constructs/azure/https-entry";
import { LOG_ANALYTICS_RETENTION_DAYS } from "../constructs/azure/log-workspace";
import { AzureNetwork } from "../constructs/azure/network";
import { AzureObjectStore, BLOB_ROLES } from "../constructs/azure/object-store";
import { AzurePostgresDatabase } from "../constructs/azure/postgres-database";
import { AZURE_VM_ADMIN_USERNAME, AZURE_VM_IMAGE, SSH_PUBLIC_KEY_VARIABLE } from "../constructs/azure/virtual-machine";
import { APPLICATION_PORT } from "../stacks/platform-stack";
import { TfJson, allItems, at, platformStack, policyErrorOf, refAt, sanitizeForSnapshot, synthJson, under, validationErrorOf } from "./helpers";

const ENVIRONMENTS = ["staging", "production"] as const;
type Env = (typeof ENVIRONMENTS)[number];
const HEALTH_PATH = APP_TIER_DEFAULTS.healthCheckPath;
/** Every zonal Azure location has three zones; the default network spans two of them. */
const ZONES = AZURE_ZONES.slice(0, NETWORK_DEFAULTS.zoneCount);
const PLAN = planSubnets(NETWORK_DEFAULTS.cidr, NETWORK_DEFAULTS.zoneCount);

interface Built {
  readonly stack: CloudStack;
  readonly network: AzureNetwork;
  readonly tier: AzureAppTier;
  readonly entry: AzureHttpsEntry;
  readonly tf: TfJson;
}

/** What stacks/platform-stack.ts will pass from the environment profile, plus overrides. */
function build(env: string, o: { tier?: Partial<AzureAppTierProps>; dnsZone?: string; domain?: string; waf?: boolean; extra?: (b: Omit<Built, "tf">) => void; cidr?: string } = {}): Built {
  const { stack } = platformStack("azure", env);
  const p = stack.profile;
  const network = new AzureNetwork(stack, "network", { cidr: o.cidr, natGateways: p.natGateways, deletionProtection: p.deletionProtection, geoRedundantLogs: p.geoRedundantStorage });
  const tier = new AzureAppTier(stack, "app", { network, size: p.vmSize, scaling: p.scaling, port: APPLICATION_PORT, operatorAccess: p.operatorAccess, ...o.tier });
  const entry = new AzureHttpsEntry(stack, "entry", {
    network,
    target: tier,
    domain: o.domain ?? p.domain,
    dnsZone: o.dnsZone,
    webApplicationFirewall: o.waf ?? p.webApplicationFirewall,
    deletionProtection: p.deletionProtection,
  });
  o.extra?.({ stack, network, tier, entry });
  return { stack, network, tier, entry, tf: synthJson(stack) };
}

/** The reference a token of `stack` synthesizes to. */
const resolved = (stack: CloudStack, token: string): unknown => Tokenization.resolve(token, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
const decoded = (b64: string) => Buffer.from(b64, "base64").toString("utf8");
/** Inbound allow rules of the application subnet's NSG. */
const appInbound = (tf: TfJson): any[] =>
  under(tf, "network/application", "azurerm_network_security_rule")
    .map((r) => r.body)
    .filter((r) => r.direction === "Inbound" && r.access === "Allow");
const sourcesOf = (r: any): string[] => [...(r.source_address_prefix ? [r.source_address_prefix] : []), ...(r.source_address_prefixes ?? [])];

const built: Record<Env, Built> = { staging: build("staging"), production: build("production") };

describe.each(ENVIRONMENTS)("azure %s-like serving stack", (env) => {
  const { tf, stack, tier, entry } = built[env];
  const profile = ENVIRONMENT_DEFAULTS[env];
  const prod = env === "production";
  const domain = `${env}.taskflow.example.com`;
  const vmss = () => at(tf, "app/Resource").body;

  describe("app tier: a VM scale set from one template over the location's zones", () => {
    test("a Uniform Linux scale set of the profile's size, min/desired/max from the environment table, spread and balanced over the network's zones", () => {
      expect(at(tf, "app/Resource").type).toBe("azurerm_linux_virtual_machine_scale_set");
      expect(vmss()).toMatchObject({
        name: `taskflow-${env}-app`,
        sku: SIZE_TABLE[profile.vmSize].azure.vm,
        instances: profile.scaling.desired,
        zones: [...ZONES],
        zone_balance: true,
        location: "swedencentral",
      });
      expect(ZONES.length).toBeGreaterThanOrEqual(2);
      expect(tier.zones).toEqual(ZONES);
    });

    test("the instance count belongs to the autoscale setting after the first apply (ignore_changes)", () => {
      expect(vmss().lifecycle.ignore_changes).toEqual(["instances"]);
    });

    test("CPU autoscaling between min and max: out by one above the target, in by one below half of it, on the scale set's own metric", () => {
      const a = at(tf, "app/autoscale").body;
      expect(a).toMatchObject({ target_resource_id: refAt(tf, "app/Resource"), enabled: true, location: "swedencentral" });
      expect(a.profile).toHaveLength(1);
      const p = a.profile[0];
      expect(p.capacity).toEqual({ minimum: profile.scaling.min, default: profile.scaling.desired, maximum: profile.scaling.max });
      const [out, inn] = p.rule;
      for (const r of p.rule) {
        expect(r.metric_trigger).toMatchObject({
          metric_name: "Percentage CPU",
          metric_namespace: AUTOSCALE.metricNamespace,
          metric_resource_id: refAt(tf, "app/Resource"),
          statistic: "Average",
          time_aggregation: "Average",
        });
      }
      expect(out.metric_trigger).toMatchObject({ operator: "GreaterThan", threshold: APP_TIER_DEFAULTS.cpuTargetPercent, time_window: "PT5M" });
      expect(out.scale_action).toEqual({ direction: "Increase", type: "ChangeCount", value: 1, cooldown: AUTOSCALE.scaleOutCooldown });
      expect(inn.metric_trigger).toMatchObject({ operator: "LessThan", threshold: APP_TIER_DEFAULTS.cpuTargetPercent / 2, time_window: "PT10M" });
      expect(inn.scale_action).toEqual({ direction: "Decrease", type: "ChangeCount", value: 1, cooldown: AUTOSCALE.scaleInCooldown });
    });

    test("the VM's hardening: trusted launch, encryption at host, Premium SSD of at least the image's size, the Gen2 image, SSH keys only", () => {
      expect(vmss()).toMatchObject({
        secure_boot_enabled: true,
        vtpm_enabled: true,
        encryption_at_host_enabled: true,
        disable_password_authentication: true,
        admin_username: AZURE_VM_ADMIN_USERNAME,
        admin_ssh_key: [{ username: AZURE_VM_ADMIN_USERNAME, public_key: `\${var.${SSH_PUBLIC_KEY_VARIABLE}}` }],
        source_image_reference: { ...AZURE_VM_IMAGE },
        os_disk: { caching: "ReadWrite", storage_account_type: "Premium_LRS", disk_size_gb: CLOUD_LIMITS.azure.virtualMachine.minRootVolumeGb },
        boot_diagnostics: {},
      });
      expect(vmss().admin_password).toBeUndefined();
    });

    test("its own identity (user-assigned) and application security group, the application subnet, the load balancer's pool, no public IP", () => {
      expect(vmss().identity.identity_ids).toEqual([refAt(tf, "app/identity/Resource")]);
      expect(vmss().network_interface).toHaveLength(1);
      const nic = vmss().network_interface[0];
      expect(nic).toMatchObject({ primary: true });
      expect(nic.ip_configuration).toEqual([
        {
          name: "primary",
          primary: true,
          subnet_id: refAt(tf, "network/application/subnet"),
          application_security_group_ids: [refAt(tf, "app/identity/asg")],
          load_balancer_backend_address_pool_ids: [refAt(tf, "app/load-balancer/backend-pool")],
        },
      ]);
      expect(nic.ip_configuration[0].public_ip_address).toBeUndefined();
      expect(tier.grantPrincipal).toBe(tier.identity.grantPrincipal);
      expect(tier.connections).toBe(tier.identity.connections);
    });

    test("rolling replacement with max surge (never all at once, even with one instance), driven by the load balancer's probe, zone by zone", () => {
      expect(vmss()).toMatchObject({ upgrade_mode: "Rolling", health_probe_id: refAt(tf, "app/load-balancer/probe"), overprovision: false });
      expect(vmss().rolling_upgrade_policy).toEqual({
        max_batch_instance_percent: ROLLING_UPGRADE_POLICY.maxBatchInstancePercent,
        max_unhealthy_instance_percent: ROLLING_UPGRADE_POLICY.maxUnhealthyInstancePercent,
        max_unhealthy_upgraded_instance_percent: ROLLING_UPGRADE_POLICY.maxUnhealthyUpgradedInstancePercent,
        pause_time_between_batches: ROLLING_UPGRADE_POLICY.pauseTimeBetweenBatches,
        maximum_surge_instances_enabled: true,
        prioritize_unhealthy_instances_enabled: true,
        cross_zone_upgrades_enabled: false,
      });
      expect(ROLLING_UPGRADE_POLICY.maxBatchInstancePercent).toBeLessThan(100);
      // New OS images roll out the same way, and roll back when instances turn unhealthy.
      expect(vmss().automatic_os_upgrade_policy).toEqual({ enable_automatic_os_upgrade: true, disable_automatic_rollback: false });
    });

    test("auto-healing: automatic repairs replace instances the load balancer's health probe reports unhealthy", () => {
      expect(vmss().automatic_instance_repair).toEqual({ enabled: true, grace_period: INSTANCE_REPAIR.gracePeriod, action: "Replace" });
      expect(at(tf, "app/load-balancer/probe").body).toMatchObject({
        loadbalancer_id: refAt(tf, "app/load-balancer/Resource"),
        protocol: "Http",
        port: APPLICATION_PORT,
        request_path: HEALTH_PATH,
        interval_in_seconds: HEALTH_PROBE.intervalInSeconds,
        probe_threshold: HEALTH_PROBE.probeThreshold,
      });
    });

    test("the scale set waits for the load-balancing rule that uses its probe, and for the subnet's NSG and NAT egress", () => {
      expect(vmss().depends_on).toEqual(
        expect.arrayContaining([at(tf, "app/load-balancer/rule").address, at(tf, "network/application/nsg-association").address, at(tf, "network/nat-association").address]),
      );
    });

    test("without user data the instances boot the placeholder that answers the health check; user data is base64 custom data", () => {
      expect(decoded(vmss().custom_data)).toBe(placeholderUserData(APPLICATION_PORT, HEALTH_PATH));
      expect(vmss().user_data).toBeUndefined();
    });

    test("load balancer: Standard, zone-redundant static public IP, one TCP rule on the app port with the probe, no outbound SNAT (NAT gateway egress)", () => {
      expect(at(tf, "app/load-balancer/Resource").body).toMatchObject({
        sku: "Standard",
        frontend_ip_configuration: [{ name: "public", public_ip_address_id: refAt(tf, "app/load-balancer/public-ip") }],
      });
      expect(at(tf, "app/load-balancer/public-ip").body).toMatchObject({ sku: "Standard", allocation_method: "Static", zones: [...AZURE_ZONES] });
      expect(at(tf, "app/load-balancer/rule").body).toMatchObject({
        protocol: "Tcp",
        frontend_ip_configuration_name: "public",
        frontend_port: APPLICATION_PORT,
        backend_port: APPLICATION_PORT,
        backend_address_pool_ids: [refAt(tf, "app/load-balancer/backend-pool")],
        probe_id: refAt(tf, "app/load-balancer/probe"),
        disable_outbound_snat: true,
        floating_ip_enabled: false,
        tcp_reset_enabled: true,
      });
      expect(under(tf, "app/load-balancer", "azurerm_lb_rule")).toHaveLength(1);
    });
  });

  describe("network paths: the app port admits the entry and the probes, nothing else", () => {
    test("exactly two inbound allows on the app port, both to the tier's ASG: Front Door's back end and Azure's load balancer probes", () => {
      const onPort = appInbound(tf).filter((r) => r.destination_port_range === String(APPLICATION_PORT));
      expect(onPort.map(sourcesOf).sort()).toEqual([["AzureFrontDoor.Backend"], ["AzureLoadBalancer"]]);
      for (const r of onPort) expect(r).toMatchObject({ protocol: "Tcp", destination_application_security_group_ids: [refAt(tf, "app/identity/asg")] });
      expect(at(tf, "network/application/app-identity-from-entry").body.source_address_prefix).toBe(FRONT_DOOR_SERVICE_TAG);
      expect(at(tf, "network/application/app-identity-from-app-load-balancer").body.source_address_prefix).toBe("AzureLoadBalancer");
    });

    test("the allows sit above the subnet's explicit deny-all (which would otherwise drop the probes)", () => {
      const deny = at(tf, "network/application/deny-all-inbound").body;
      for (const r of appInbound(tf)) expect(r.priority).toBeLessThan(deny.priority);
    });

    test("no inbound rule admits the internet, and nothing else reaches the app tier", () => {
      const inbound = appInbound(tf);
      expect(inbound.filter((r) => sourcesOf(r).some((s) => ["*", "Internet", "0.0.0.0/0"].includes(s)))).toEqual([]);
      expect(inbound.map((r) => r.destination_port_range).sort()).toEqual(prod ? ["8080", "8080"] : ["22", "8080", "8080"]);
    });

    test("the entry's network identity is the AzureFrontDoor.Backend service tag: a source with no subnet, so only the inbound rule exists", () => {
      expect(entry.connections).toBeInstanceOf(AzureConnections);
      expect(entry.connections.endpoint).toEqual({ serviceTags: [FRONT_DOOR_SERVICE_TAG] });
      expect(under(tf, "network/application", "azurerm_network_security_rule").filter((r) => r.body.direction === "Outbound")).toEqual([]);
    });

    test("the public tier holds only the load balancer: no subnet for the entry, the load balancer's frontend is a public IP", () => {
      const subnets = allItems(tf).filter((i) => i.type === "azurerm_subnet").map((i) => i.body.address_prefixes[0]);
      const inPublicTier = subnets.filter((c) => PLAN.public.some((p) => cidrsOverlap(c, p)));
      expect(inPublicTier).toEqual(prod ? [] : [at(tf, "network/bastion/subnet").body.address_prefixes[0]]);
    });
  });

  describe("operator access", () => {
    if (profile.operatorAccess) {
      test("Azure Bastion (Standard, native-client tunnelling) in AzureBastionSubnet, a /26 of the public tier, with a static public IP", () => {
        const subnet = at(tf, "network/bastion/subnet").body;
        expect(subnet).toMatchObject({ name: BASTION_SUBNET_NAME, virtual_network_name: refAt(tf, "network/Resource", "name") });
        expect(subnet.address_prefixes).toEqual(["10.0.1.0/26"]);
        expect(cidrsOverlap(subnet.address_prefixes[0], PLAN.public[0])).toBe(true);
        expect(at(tf, "network/bastion/Resource").body).toMatchObject({
          sku: BASTION_SKU,
          tunneling_enabled: true,
          shareable_link_enabled: false,
          ip_connect_enabled: false,
          file_copy_enabled: false,
          ip_configuration: { subnet_id: refAt(tf, "network/bastion/subnet"), public_ip_address_id: refAt(tf, "network/bastion/public-ip") },
        });
        expect(at(tf, "network/bastion/public-ip").body).toMatchObject({ sku: "Standard", allocation_method: "Static" });
        // Regional like Bastion; zones Azure may report for a default zone-redundant IP never replace it (nor, through it, the host).
        expect(at(tf, "network/bastion/public-ip").body.zones).toBeUndefined();
        expect(at(tf, "network/bastion/public-ip").body.lifecycle).toEqual({ ignore_changes: ["zones"] });
      });

      test("audited: Bastion's audit log goes to a workspace kept as long as the flow logs", () => {
        expect(at(tf, "network/bastion/audit-log-setting").body).toMatchObject({
          target_resource_id: refAt(tf, "network/bastion/Resource"),
          log_analytics_workspace_id: refAt(tf, "network/bastion/audit-logs/Resource"),
          enabled_log: [{ category: BASTION_AUDIT_LOG_CATEGORY }],
        });
        expect(at(tf, "network/bastion/audit-logs/Resource").body).toMatchObject({ retention_in_days: NETWORK_DEFAULTS.flowLogRetentionDays, local_authentication_enabled: false });
      });

      test("SSH reaches the instances from the Bastion subnet only; Entra ID login through the AADSSHLoginForLinux extension, the only extension", () => {
        const ssh = at(tf, "network/application/app-identity-from-network-bastion").body;
        expect(ssh).toMatchObject({ direction: "Inbound", access: "Allow", destination_port_range: String(SSH_PORT), source_address_prefix: "10.0.1.0/26" });
        expect(vmss()).toMatchObject({ extension_operations_enabled: true, extension: [{ ...snake(ENTRA_LOGIN_EXTENSION) }] });
        expect(vmss().identity.type).toBe("SystemAssigned, UserAssigned");
      });
    } else {
      test("off: no Bastion, no SSH rule, extension operations off, no extension, user-assigned identity only", () => {
        expect(under(tf, "network/bastion")).toEqual([]);
        expect(appInbound(tf).filter((r) => r.destination_port_range === String(SSH_PORT))).toEqual([]);
        expect(vmss().extension_operations_enabled).toBe(false);
        expect(vmss().extension).toBeUndefined();
        expect(vmss().identity.type).toBe("UserAssigned");
        expect(tier.bastion).toBeUndefined();
      });
    }
  });

  describe("HTTPS entry: Front Door Premium", () => {
    test("a Premium profile; an endpoint whose host name is the entry's address; the URL is https://<domain>", () => {
      expect(at(tf, "entry/Resource").body).toMatchObject({ sku_name: FRONT_DOOR_SKU, name: `taskflow-${env}-entry-fd`, resource_group_name: refAt(tf, "resource-group", "name") });
      expect(at(tf, "entry/endpoint").body).toMatchObject({ cdn_frontdoor_profile_id: refAt(tf, "entry/Resource"), enabled: true });
      expect(at(tf, "entry/endpoint").body.name.length).toBeLessThanOrEqual(46);
      expect(entry.url).toBe(`https://${domain}`);
      expect(resolved(stack, entry.address)).toBe(refAt(tf, "entry/endpoint", "host_name"));
    });

    test("443 with a Front Door managed certificate for the domain, TLS 1.2 minimum", () => {
      expect(at(tf, "entry/domain").body).toMatchObject({
        cdn_frontdoor_profile_id: refAt(tf, "entry/Resource"),
        host_name: domain,
        tls: { certificate_type: "ManagedCertificate", minimum_tls_version: "TLS12" },
      });
    });

    test("one route for the domain: HTTP only redirects to HTTPS, forwards over HTTP to the origin, no caching, the azurefd.net name serves nothing", () => {
      expect(at(tf, "entry/route").body).toMatchObject({
        cdn_frontdoor_endpoint_id: refAt(tf, "entry/endpoint"),
        cdn_frontdoor_origin_group_id: refAt(tf, "entry/origin-group"),
        cdn_frontdoor_origin_ids: [refAt(tf, "entry/origin")],
        cdn_frontdoor_custom_domain_ids: [refAt(tf, "entry/domain")],
        supported_protocols: ["Http", "Https"],
        https_redirect_enabled: true,
        forwarding_protocol: "HttpOnly",
        link_to_default_domain: false,
        patterns_to_match: ["/*"],
        enabled: true,
      });
      expect(at(tf, "entry/route").body.cache).toBeUndefined();
    });

    test("backend: the tier's load balancer on the app port, Host = the domain, explicitly enabled; health probe on the tier's path", () => {
      expect(at(tf, "entry/origin").body).toMatchObject({
        cdn_frontdoor_origin_group_id: refAt(tf, "entry/origin-group"),
        host_name: refAt(tf, "app/load-balancer/public-ip", "ip_address"),
        http_port: APPLICATION_PORT,
        origin_host_header: domain,
        enabled: true,
        certificate_name_check_enabled: true,
      });
      expect(at(tf, "entry/origin-group").body).toMatchObject({
        session_affinity_enabled: false,
        health_probe: { protocol: "Http", path: HEALTH_PATH, request_type: "GET", interval_in_seconds: ORIGIN_PROBE_INTERVAL_SECONDS },
      });
    });

    test("WAF: a Premium policy in Prevention mode with Default Rule Set 2.1 and Bot Manager, attached to the domain by a security policy", () => {
      expect(at(tf, "entry/waf").body).toMatchObject({
        sku_name: FRONT_DOOR_SKU,
        enabled: true,
        mode: "Prevention",
        request_body_check_enabled: true,
        managed_rule: FRONT_DOOR_MANAGED_RULES.map((m) => ({ ...m })),
      });
      expect(at(tf, "entry/waf").body.name).toMatch(/^[A-Za-z][A-Za-z0-9]{0,127}$/);
      expect(FRONT_DOOR_MANAGED_RULES).toContainEqual({ type: "Microsoft_DefaultRuleSet", version: "2.1", action: "Block" });
      expect(at(tf, "entry/waf-association").body).toMatchObject({
        cdn_frontdoor_profile_id: refAt(tf, "entry/Resource"),
        security_policies: {
          firewall: {
            cdn_frontdoor_firewall_policy_id: refAt(tf, "entry/waf"),
            association: { domain: [{ cdn_frontdoor_domain_id: refAt(tf, "entry/domain") }], patterns_to_match: ["/*"] },
          },
        },
      });
    });

    test("access, health-probe and WAF logs go to a Log Analytics workspace with the contract's retention (Entra ID only)", () => {
      expect(at(tf, "entry/access-logs").body).toMatchObject({
        target_resource_id: refAt(tf, "entry/Resource"),
        log_analytics_workspace_id: refAt(tf, "entry/logs/Resource"),
        enabled_log: FRONT_DOOR_LOG_CATEGORIES.map((category) => ({ category })),
      });
      expect(at(tf, "entry/logs/Resource").body).toMatchObject({
        retention_in_days: HTTPS_ENTRY_DEFAULTS.accessLogRetentionDays,
        sku: "PerGB2018",
        local_authentication_enabled: false,
        location: "swedencentral",
      });
    });

    test(prod ? "production: a CanNotDelete lock on the profile (removed first on destroy), prevent_destroy on the profile, the custom domain and the log workspace" : "staging: no lock, destroyable, recorded as a decision", () => {
      const locks = under(tf, "entry", "azurerm_management_lock");
      const logs = at(tf, "entry/logs/Resource");
      if (prod) {
        expect(at(tf, "entry/delete-lock").body).toMatchObject({ scope: refAt(tf, "entry/Resource"), lock_level: "CanNotDelete" });
        const children = ["entry/endpoint", "entry/origin-group", "entry/origin", "entry/domain", "entry/route", "entry/access-logs", "entry/waf-association"];
        expect([...at(tf, "entry/delete-lock").body.depends_on].sort()).toEqual(children.map((c) => at(tf, c).address).sort());
        expect(at(tf, "entry/Resource").body.lifecycle).toEqual({ prevent_destroy: true });
        // A new custom domain has a new validation token: no certificate until the _dnsauth record is rewritten.
        expect(at(tf, "entry/domain").body.lifecycle).toEqual({ prevent_destroy: true });
        expect(logs.body.lifecycle).toEqual({ prevent_destroy: true });
        // The endpoint's host name comes back with the same name (Azure's TenantReuse default): the lock covers it.
        expect(at(tf, "entry/endpoint").body.lifecycle).toBeUndefined();
      } else {
        expect(locks).toEqual([]);
        expect(at(tf, "entry/Resource").body.lifecycle).toBeUndefined();
        expect(at(tf, "entry/domain").body.lifecycle).toBeUndefined();
        expect(decisionsAt(stack, at(tf, "entry/Resource").path)).toEqual(new Set(["no-deletion-protection"]));
        expect(decisionsAt(stack, at(tf, "entry/domain").path)).toEqual(new Set(["no-deletion-protection"]));
        expect(decisionsAt(stack, logs.path)).toEqual(new Set(["no-deletion-protection"]));
      }
    });

    test("the origin must check X-Azure-FDID: the entry exposes the profile's Front Door id as the header's value", () => {
      expect(entry.originHeader.name).toBe(FRONT_DOOR_ID_HEADER);
      expect(resolved(stack, entry.originHeader.value)).toBe(refAt(tf, "entry/Resource", "resource_guid"));
      expect(resolved(stack, entry.frontDoorId)).toBe(refAt(tf, "entry/Resource", "resource_guid"));
    });

    test("without a DNS zone: no DNS resource; dnsRecords says which CNAME and _dnsauth TXT records to create", () => {
      expect(allItems(tf).filter((i) => i.type.startsWith("azurerm_dns_"))).toEqual([]);
      expect(tf.data).toBeUndefined();
      expect(entry.dnsRecords.map((r) => ({ ...r, value: resolved(stack, r.value) }))).toEqual([
        { name: domain, type: "CNAME", value: refAt(tf, "entry/endpoint", "host_name"), purpose: "serve" },
        { name: `_dnsauth.${domain}`, type: "TXT", value: refAt(tf, "entry/domain", "validation_token"), purpose: "certificate-validation" },
      ]);
    });
  });

  test("snapshot of the serving resources (tier, entry, Bastion, application NSG rules)", () => {
    const serving = allItems(tf)
      .filter((i) => ["app/", "entry/", "network/bastion/"].some((p) => `${i.path.split("/").slice(1).join("/")}/`.startsWith(p)) || (i.type === "azurerm_network_security_rule" && i.path.includes("/network/application/")))
      .map((i) => ({
        type: i.type,
        path: i.path.split("/").slice(1).join("/"),
        body: i.body.custom_data === undefined ? i.body : { ...i.body, custom_data: "<placeholder user data, asserted above>" },
      }));
    expect(sanitizeForSnapshot({ resource: serving } as unknown as TfJson)).toMatchSnapshot();
  });
});

/** cdktf's camelCase block as the snake_case Terraform JSON it writes. */
function snake(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}

describe("DNS in an Azure DNS zone (dnsZone)", () => {
  const { tf } = build("production", { dnsZone: "example.com" });
  const domain = "production.taskflow.example.com";

  test("the zone is looked up by name (any resource group of the subscription); the custom domain is linked to it", () => {
    expect(at(tf, "entry/dns-zone")).toMatchObject({ type: "azurerm_dns_zone", address: expect.stringMatching(/^data\./) });
    expect(at(tf, "entry/dns-zone").body).toMatchObject({ name: "example.com" });
    expect(at(tf, "entry/dns-zone").body.resource_group_name).toBeUndefined();
    expect(at(tf, "entry/domain").body.dns_zone_id).toBe(refAt(tf, "entry/dns-zone"));
  });

  test("the _dnsauth TXT record carries the validation token, written once (a later change or clearing of the token does not fail the plan)", () => {
    expect(at(tf, "entry/dns-validation").body).toMatchObject({
      name: "_dnsauth.production.taskflow",
      zone_name: refAt(tf, "entry/dns-zone", "name"),
      resource_group_name: refAt(tf, "entry/dns-zone", "resource_group_name"),
      ttl: DNS_TTL.validation,
      record: [{ value: refAt(tf, "entry/domain", "validation_token") }],
      lifecycle: { ignore_changes: ["record"] },
    });
  });

  test("the CNAME points the domain at the endpoint, after Front Door knows the route and the WAF (provider docs)", () => {
    const cname = at(tf, "entry/dns-record");
    expect(cname.type).toBe("azurerm_dns_cname_record");
    expect(cname.body).toMatchObject({ name: "production.taskflow", ttl: DNS_TTL.serve, record: refAt(tf, "entry/endpoint", "host_name") });
    expect([...cname.body.depends_on].sort()).toEqual([at(tf, "entry/route").address, at(tf, "entry/waf-association").address].sort());
    expect(domain.endsWith(".example.com")).toBe(true);
  });

  test("an apex domain gets an alias A record to the endpoint and the TXT record at _dnsauth", () => {
    const apex = build("production", { dnsZone: "example.com", domain: "example.com" });
    expect(at(apex.tf, "entry/dns-record")).toMatchObject({ type: "azurerm_dns_a_record" });
    expect(at(apex.tf, "entry/dns-record").body).toMatchObject({ name: "@", target_resource_id: refAt(apex.tf, "entry/endpoint") });
    expect(at(apex.tf, "entry/dns-record").body.records).toBeUndefined();
    expect(at(apex.tf, "entry/dns-validation").body.name).toBe("_dnsauth");
    expect(apex.entry.dnsRecords.map((r) => [r.name, r.type, r.purpose])).toEqual([
      ["example.com", "A", "serve"],
      ["_dnsauth.example.com", "TXT", "certificate-validation"],
    ]);
  });
});

describe("the tier composes like a VM: grants and connections", () => {
  const { tf } = build("staging", {
    extra: ({ stack, network, tier }) => {
      const uploads = new AzureObjectStore(stack, "uploads", { deletionProtection: false, geoRedundant: false });
      uploads.grantReadWrite(tier);
      const database = new AzurePostgresDatabase(stack, "database", { network, highAvailability: false, deletionProtection: false });
      database.allowConnectionsFrom(tier);
    },
  });

  test("grantReadWrite gives the tier's identity the container role and admits its subnet through the storage firewall", () => {
    expect(at(tf, "uploads/read-write-app").body).toMatchObject({
      principal_id: refAt(tf, "app/identity/Resource", "principal_id"),
      role_definition_name: BLOB_ROLES["read-write"],
      principal_type: "ServicePrincipal",
    });
    expect(at(tf, "uploads/Resource").body.network_rules.virtual_network_subnet_ids).toEqual([refAt(tf, "network/application/subnet")]);
  });

  test("the database admits PostgreSQL from the tier's ASG (inbound on the data NSG, outbound on the application NSG)", () => {
    expect(at(tf, "network/data/database-from-app-identity").body).toMatchObject({
      direction: "Inbound",
      source_application_security_group_ids: [refAt(tf, "app/identity/asg")],
      destination_port_range: String(POSTGRES_PORT),
    });
    expect(at(tf, "network/application/app-identity-to-database").body).toMatchObject({
      direction: "Outbound",
      source_application_security_group_ids: [refAt(tf, "app/identity/asg")],
      destination_port_range: String(POSTGRES_PORT),
    });
  });
});

describe("custom props", () => {
  test("user data is the instances' cloud-init (base64 custom data); a change rolls them with the policy above", () => {
    const { tf } = build("production", { tier: { userData: "#cloud-config\nruncmd: [echo hello]\n" } });
    expect(decoded(at(tf, "app/Resource").body.custom_data)).toBe("#cloud-config\nruncmd: [echo hello]\n");
  });

  test("the health path, port and CPU target flow to the probe, the origin group, the rule, both NSG rules and the autoscale thresholds", () => {
    const { tf } = build("production", { tier: { port: 9000, healthCheckPath: "/ready", cpuTargetPercent: 70 } });
    expect(at(tf, "app/load-balancer/probe").body).toMatchObject({ port: 9000, request_path: "/ready" });
    expect(at(tf, "entry/origin-group").body.health_probe.path).toBe("/ready");
    expect(at(tf, "entry/origin").body.http_port).toBe(9000);
    expect(appInbound(tf).map((r) => r.destination_port_range)).toEqual(["9000", "9000"]);
    expect(at(tf, "app/autoscale").body.profile[0].rule.map((r: any) => r.metric_trigger.threshold)).toEqual([70, 35]);
  });

  test("a network over three zones spreads the tier over all three", () => {
    const { stack } = platformStack("azure", "production");
    const network = new AzureNetwork(stack, "network", { zoneCount: 3 });
    const tier = new AzureAppTier(stack, "app", { network });
    expect(tier.zones).toEqual([...AZURE_ZONES]);
  });

  test("operator principals get Virtual Machine User Login on the scale set only", () => {
    const id = "11111111-2222-3333-4444-555555555555";
    const { tf } = build("staging", { tier: { operatorPrincipalIds: [id] } });
    expect(at(tf, "app/operator-login-0").body).toMatchObject({ scope: refAt(tf, "app/Resource"), role_definition_name: OPERATOR_LOGIN_ROLE, principal_id: id });
  });

  test("WAF off: the decision is recorded; the check accepts it where the profile accepts cost trade-offs (staging) and refuses it elsewhere", () => {
    const wafOff = (env: string) => {
      const { stack } = platformStack("azure", env);
      const prod = env === "production";
      const network = new AzureNetwork(stack, "network", { deletionProtection: prod });
      const target = new AzureAppTier(stack, "app", { network });
      new AzureHttpsEntry(stack, "entry", { network, target, domain: "app.example.com", webApplicationFirewall: false, deletionProtection: prod });
      return stack;
    };
    const staging = wafOff("staging");
    const tf = synthJson(staging);
    expect(under(tf, "entry", "azurerm_cdn_frontdoor_firewall_policy")).toEqual([]);
    expect(under(tf, "entry", "azurerm_cdn_frontdoor_security_policy")).toEqual([]);
    expect(decisionsAt(staging, at(tf, "entry/Resource").path)).toEqual(new Set(["no-web-application-firewall", "no-deletion-protection"]));
    expect(staging.profile.costOverResilience).toBe(true);
    // The same decision where the profile keeps every protection is a violation.
    const production = wafOff("production");
    expect(production.profile.costOverResilience).toBe(false);
    const violations = policyErrorOf(() => synthJson(production)).report.violations;
    expect(violations.map((v) => [v.rule.id, v.path.split("/").slice(1).join("/")])).toEqual([["AZ-FRONTDOOR-WAF", "entry/Resource"]]);
    expect(violations[0].decisions).toEqual(new Set(["no-web-application-firewall"]));
    expect(POLICY_EXEMPTIONS).toContainEqual(expect.objectContaining({ rule: "AZ-FRONTDOOR-WAF", decision: "no-web-application-firewall", costTradeOff: true }));
  });

  test("the URL is a literal, the address a reference to the endpoint", () => {
    expect(Token.isUnresolved(built.production.entry.url)).toBe(false);
    expect(Token.isUnresolved(built.production.entry.address)).toBe(true);
  });
});

describe("fails when ...", () => {
  test("fails when the location has no availability zones", () => {
    const err = validationErrorOf(() => {
      const { stack } = platformStack("azure", "staging", {
        azure: { location: "westus", subscriptionId: "00000000-0000-0000-0000-000000000000" },
        // westus has no zones, so no zone-redundant database either: the configuration refuses HA there.
        environments: { staging: {}, production: { highAvailability: false, costOverResilience: true } },
      });
      new AzureAppTier(stack, "app", { network: new AzureNetwork(stack, "network", {}) });
    });
    expect(err.issues).toEqual([expect.objectContaining({ field: "azure.location", value: "westus", accepted: expect.stringMatching(/availability zones.*not supported on azure/) })]);
  });

  test("fails when the access-log retention exceeds what a Log Analytics workspace keeps", () => {
    const { stack } = platformStack("azure", "production");
    const network = new AzureNetwork(stack, "network", {});
    const target = new AzureAppTier(stack, "app", { network });
    const err = validationErrorOf(() => new AzureHttpsEntry(stack, "entry", { network, target, domain: "app.example.com", accessLogRetentionDays: 1096 }));
    expect(err.issues).toEqual([
      expect.objectContaining({ field: "httpsEntry.accessLogRetentionDays", value: 1096, accepted: expect.stringContaining(`${LOG_ANALYTICS_RETENTION_DAYS.max}`) }),
    ]);
  });

  test("fails when an apex domain has no Azure DNS zone (Front Door has no fixed address for an A record)", () => {
    const { stack } = platformStack("azure", "production");
    const network = new AzureNetwork(stack, "network", {});
    const target = new AzureAppTier(stack, "app", { network });
    const err = validationErrorOf(() => new AzureHttpsEntry(stack, "entry", { network, target, domain: "example.com" }));
    expect(err.issues).toEqual([expect.objectContaining({ field: "httpsEntry.domain", value: "example.com", accepted: expect.stringContaining("not supported on azure") })]);
  });

  test("fails when operator access needs a Bastion subnet the address plan cannot give (/26)", () => {
    const err = validationErrorOf(() => build("staging", { cidr: "10.0.0.0/20" }));
    const publicTier = planSubnets("10.0.0.0/20", NETWORK_DEFAULTS.zoneCount).public[0];
    expect(publicTier).toMatch(/\/28$/);
    expect(err.issues).toEqual([expect.objectContaining({ field: "network.cidr", value: publicTier, accepted: expect.stringContaining("/26") })]);
  });

  test("fails when operator principals are given without operator access, or are not object ids", () => {
    const { stack } = platformStack("azure", "production");
    const network = new AzureNetwork(stack, "network", {});
    const err = validationErrorOf(() => new AzureAppTier(stack, "app", { network, operatorPrincipalIds: ["alice"] }));
    expect(err.issues.map((i) => i.field)).toEqual(["appTier.operatorPrincipalIds", "appTier.operatorPrincipalIds[0]"]);
  });

  test("fails when the shared app-tier rules are broken (desired outside min..max), with the field", () => {
    const { stack } = platformStack("azure", "production");
    const network = new AzureNetwork(stack, "network", {});
    const err = validationErrorOf(() => new AzureAppTier(stack, "app", { network, scaling: { min: 2, desired: 7, max: 6 } }));
    expect(err.issues).toEqual([expect.objectContaining({ field: "appTier.scaling.desired", value: 7 })]);
  });

  test("fails when the DNS zone does not hold the domain (shared entry rules)", () => {
    const { stack } = platformStack("azure", "production");
    const network = new AzureNetwork(stack, "network", {});
    const target = new AzureAppTier(stack, "app", { network });
    const err = validationErrorOf(() => new AzureHttpsEntry(stack, "entry", { network, target, domain: "app.example.com", dnsZone: "example.org" }));
    expect(err.issues).toEqual([expect.objectContaining({ field: "httpsEntry.dnsZone", value: "example.org" })]);
  });

  test("fails when the tier admits the internet on its port: the policy check refuses it (public traffic enters through the entry)", () => {
    const { stack } = platformStack("azure", "production");
    const network = new AzureNetwork(stack, "network", {});
    const tier = new AzureAppTier(stack, "app", { network, port: APPLICATION_PORT });
    tier.connections.allowFrom(Peer.anyIpv4(), APPLICATION_PORT);
    expect(policyErrorOf(() => synthJson(stack)).report.violations.map((v) => [v.rule.id, v.path.split("/").slice(1).join("/")])).toEqual([
      ["AZ-NSG-NO-WORLD-TO-SCALE-SET", `network/application/app-identity-from-0-0-0-0-0-${APPLICATION_PORT}`],
    ]);
  });

  test("fails when something is admitted to the entry (a service-tag endpoint is a source only)", () => {
    const { stack } = platformStack("azure", "production");
    const network = new AzureNetwork(stack, "network", {});
    const target = new AzureAppTier(stack, "app", { network });
    const entry = new AzureHttpsEntry(stack, "entry", { network, target, domain: "app.example.com" });
    const err = validationErrorOf(() => entry.connections.allowFrom(new CidrPeer("10.1.0.0/16", "office"), 443));
    expect(err.issues).toEqual([expect.objectContaining({ field: "allowFrom", value: FRONT_DOOR_SERVICE_TAG })]);
  });

});
