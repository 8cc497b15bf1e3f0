/**
 * Policy rules of the served application on Azure (Front Door, VM scale sets,
 * load balancer, Bastion): one passing and one failing hand-written fixture per
 * rule, in the style of policy-rules.test.ts. Each fixture is evaluated with its
 * rule alone; the failing one must yield exactly that rule id, once, on the
 * expected address.
 */
import { ALL_RULES, PolicyRule, TfJson, evaluate, ruleIds } from "../constructs/policy";
import { AZURE_SERVE_RULE_IDS } from "../constructs/policy/rules-azure";
import { ref, tf } from "./policy-fixtures-aws-serve";

type Body = Record<string, any>;
type Item = [type: string, name: string, body: Body];

// --- Front Door baselines -----------------------------------------------------
const PROFILE = "azurerm_cdn_frontdoor_profile.fd";
const DOMAIN = "azurerm_cdn_frontdoor_custom_domain.d";
const WAF = "azurerm_cdn_frontdoor_firewall_policy.waf";
const WORKSPACE = "azurerm_log_analytics_workspace.logs";
const securityPolicy = (domains: string[] = [DOMAIN], o: Body = {}): Item => [
  "azurerm_cdn_frontdoor_security_policy",
  "sp",
  {
    cdn_frontdoor_profile_id: ref(PROFILE),
    security_policies: { firewall: { cdn_frontdoor_firewall_policy_id: ref(WAF), association: { domain: domains.map((d) => ({ cdn_frontdoor_domain_id: ref(d) })), patterns_to_match: ["/*"] } } },
    ...o,
  },
];
const frontDoor = (o: { securityPolicy?: Item | null; domains?: Item[] } = {}): TfJson =>
  tf(
    ["azurerm_cdn_frontdoor_profile", "fd", { sku_name: "Premium_AzureFrontDoor" }],
    ...(o.domains ?? [["azurerm_cdn_frontdoor_custom_domain", "d", { cdn_frontdoor_profile_id: ref(PROFILE), host_name: "app.example.com", tls: { minimum_tls_version: "TLS12" } }] as Item]),
    ...(o.securityPolicy === null ? [] : [o.securityPolicy ?? securityPolicy()]),
  );
const route = (o: Body = {}): TfJson => tf(["azurerm_cdn_frontdoor_route", "r", { supported_protocols: ["Http", "Https"], https_redirect_enabled: true, forwarding_protocol: "HttpOnly", ...o }]);
const wafPolicy = (o: Body = {}): TfJson =>
  tf([
    "azurerm_cdn_frontdoor_firewall_policy",
    "waf",
    {
      sku_name: "Premium_AzureFrontDoor",
      enabled: true,
      mode: "Prevention",
      managed_rule: [
        { type: "Microsoft_DefaultRuleSet", version: "2.1", action: "Block" },
        { type: "Microsoft_BotManagerRuleSet", version: "1.1", action: "Block" },
      ],
      ...o,
    },
  ]);
const accessLogs = (setting: Body = {}, workspace: Body = { retention_in_days: 365 }): TfJson =>
  tf(
    ["azurerm_cdn_frontdoor_profile", "fd", {}],
    ["azurerm_log_analytics_workspace", "logs", workspace],
    ["azurerm_monitor_diagnostic_setting", "diag", { target_resource_id: ref(PROFILE), log_analytics_workspace_id: ref(WORKSPACE), enabled_log: [{ category: "FrontDoorAccessLog" }], ...setting }],
  );

// --- scale set baselines --------------------------------------------------------
const SCALE_SET = "azurerm_linux_virtual_machine_scale_set.app";
const vmss = (o: Body = {}): Body => ({
  encryption_at_host_enabled: true,
  secure_boot_enabled: true,
  vtpm_enabled: true,
  disable_password_authentication: true,
  admin_ssh_key: [{ username: "azureuser", public_key: "${var.key}" }],
  identity: { type: "UserAssigned", identity_ids: ["${azurerm_user_assigned_identity.id.id}"] },
  network_interface: [{ name: "primary", ip_configuration: [{ name: "primary", subnet_id: "${azurerm_subnet.app.id}" }] }],
  extension_operations_enabled: false,
  upgrade_mode: "Rolling",
  rolling_upgrade_policy: { max_batch_instance_percent: 20, max_unhealthy_instance_percent: 20, max_unhealthy_upgraded_instance_percent: 20, pause_time_between_batches: "PT0S" },
  health_probe_id: "${azurerm_lb_probe.health.id}",
  automatic_instance_repair: { enabled: true, grace_period: "PT15M" },
  automatic_os_upgrade_policy: { enable_automatic_os_upgrade: true, disable_automatic_rollback: false },
  lifecycle: { ignore_changes: ["instances"] },
  ...o,
});
const scaleSet = (o: Body = {}, autoscale: Body | null = {}): TfJson =>
  tf(["azurerm_linux_virtual_machine_scale_set", "app", vmss(o)], ...(autoscale === null ? [] : [["azurerm_monitor_autoscale_setting", "scale", { target_resource_id: ref(SCALE_SET), enabled: true, ...autoscale }] as Item]));
const lbRule = (probe: Body = { protocol: "Http", request_path: "/health" }, rule: Body = {}): TfJson =>
  tf(["azurerm_lb_probe", "health", { port: 8080, ...probe }], ["azurerm_lb_rule", "http", { probe_id: ref("azurerm_lb_probe.health"), protocol: "Tcp", ...rule }]);
const TIER_ASG = "${azurerm_application_security_group.app.id}";
/** A scale set whose instances join TIER_ASG, and one NSG rule. */
const nsgRule = (o: Body = {}): TfJson =>
  tf(
    ["azurerm_linux_virtual_machine_scale_set", "app", vmss({ network_interface: [{ name: "primary", ip_configuration: [{ name: "primary", application_security_group_ids: [TIER_ASG] }] }] })],
    [
      "azurerm_network_security_rule",
      "r",
      {
        name: "r",
        access: "Allow",
        direction: "Inbound",
        source_address_prefix: "AzureFrontDoor.Backend",
        destination_application_security_group_ids: [TIER_ASG],
        destination_port_range: "8080",
        ...o,
      },
    ],
  );
const BASTION = "azurerm_bastion_host.b";
const bastion = (o: Body = {}, categories: string[] | null = ["BastionAuditLogs"]): TfJson =>
  tf(
    ["azurerm_bastion_host", "b", { sku: "Standard", tunneling_enabled: true, shareable_link_enabled: false, ...o }],
    ...(categories === null
      ? []
      : [["azurerm_monitor_diagnostic_setting", "audit", { target_resource_id: ref(BASTION), log_analytics_workspace_id: ref(WORKSPACE), enabled_log: categories.map((category) => ({ category })) }] as Item]),
  );

interface Case {
  readonly good: TfJson;
  readonly bad: TfJson;
  /** Address the failing fixture must report. */
  readonly address: string;
}

const CASES: Record<string, Case> = {
  "AZ-FRONTDOOR-HTTPS-REDIRECT": { good: route(), bad: route({ https_redirect_enabled: false }), address: "azurerm_cdn_frontdoor_route.r" },
  "AZ-FRONTDOOR-MIN-TLS": {
    good: frontDoor(),
    bad: tf(["azurerm_cdn_frontdoor_custom_domain", "d", { host_name: "app.example.com", tls: { minimum_tls_version: "TLS10" } }]),
    address: DOMAIN,
  },
  "AZ-FRONTDOOR-WAF": { good: frontDoor(), bad: frontDoor({ securityPolicy: null }), address: PROFILE },
  "AZ-FRONTDOOR-WAF-MODE": { good: wafPolicy(), bad: wafPolicy({ mode: "Detection" }), address: WAF },
  "AZ-FRONTDOOR-ACCESS-LOGS": { good: accessLogs(), bad: accessLogs({ enabled_log: [{ category: "FrontDoorHealthProbeLog" }] }), address: PROFILE },
  "AZ-FRONTDOOR-ORIGIN-HEALTH-PROBE": {
    good: tf(["azurerm_cdn_frontdoor_origin_group", "og", { health_probe: { protocol: "Http", path: "/health", interval_in_seconds: 60 } }]),
    bad: tf(["azurerm_cdn_frontdoor_origin_group", "og", { load_balancing: {} }]),
    address: "azurerm_cdn_frontdoor_origin_group.og",
  },
  "AZ-VMSS-ENCRYPTION-AT-HOST": { good: scaleSet(), bad: scaleSet({ encryption_at_host_enabled: false }), address: SCALE_SET },
  "AZ-VMSS-TRUSTED-LAUNCH": { good: scaleSet(), bad: scaleSet({ vtpm_enabled: false }), address: SCALE_SET },
  "AZ-VMSS-NO-PUBLIC-IP": {
    good: scaleSet(),
    bad: scaleSet({ network_interface: [{ name: "primary", ip_configuration: [{ name: "primary", public_ip_address: [{ name: "pip" }] }] }] }),
    address: SCALE_SET,
  },
  "AZ-VMSS-SSH-KEYS-ONLY": { good: scaleSet(), bad: scaleSet({ disable_password_authentication: false, admin_password: "${var.p}" }), address: SCALE_SET },
  "AZ-VMSS-MANAGED-IDENTITY": { good: scaleSet(), bad: scaleSet({ identity: undefined }), address: SCALE_SET },
  "AZ-VMSS-NO-EXTENSIONS": {
    good: scaleSet({ extension_operations_enabled: true, extension: [{ name: "AADSSHLoginForLinux", type: "AADSSHLoginForLinux", publisher: "Microsoft.Azure.ActiveDirectory" }] }),
    bad: scaleSet({ extension_operations_enabled: true, extension: [{ name: "script", type: "CustomScript", publisher: "Microsoft.Azure.Extensions" }] }),
    address: SCALE_SET,
  },
  "AZ-VMSS-AUTO-OS-UPGRADE": { good: scaleSet(), bad: scaleSet({ automatic_os_upgrade_policy: undefined }), address: SCALE_SET },
  "AZ-VMSS-HEALTH-ROLLING": { good: scaleSet(), bad: scaleSet({ automatic_instance_repair: { enabled: false } }), address: SCALE_SET },
  "AZ-VMSS-AUTOSCALE": { good: scaleSet(), bad: scaleSet({}, null), address: SCALE_SET },
  "AZ-LB-HEALTH-PROBE": { good: lbRule(), bad: lbRule({ protocol: "Tcp" }), address: "azurerm_lb_rule.http" },
  "AZ-NSG-NO-WORLD-TO-SCALE-SET": { good: nsgRule(), bad: nsgRule({ source_address_prefix: "Internet" }), address: "azurerm_network_security_rule.r" },
  "AZ-BASTION-AUDIT-LOGS": { good: bastion(), bad: bastion({}, null), address: BASTION },
  "AZ-BASTION-NO-SHAREABLE-LINKS": { good: bastion(), bad: bastion({ shareable_link_enabled: true }), address: BASTION },
};

const SERVE_RULES: readonly PolicyRule[] = ALL_RULES.filter((r) => AZURE_SERVE_RULE_IDS.has(r.id));
const only = (id: string) => SERVE_RULES.filter((r) => r.id === id);
const ids = (json: TfJson, id: string) => ruleIds(evaluate(json, { stack: "fixture", environment: "staging" }, only(id)));

test("every served-application rule is in the policy check, with a passing and a failing fixture here", () => {
  expect(SERVE_RULES.map((r) => r.id).sort()).toEqual([...AZURE_SERVE_RULE_IDS].sort());
  expect(Object.keys(CASES).sort()).toEqual([...AZURE_SERVE_RULE_IDS].sort());
  for (const r of SERVE_RULES) expect(r.cloud).toBe("azure");
});

describe.each(SERVE_RULES.map((r) => [r.id] as const))("%s", (id) => {
  const c = CASES[id];

  test("passes on the good fixture", () => {
    expect(ids(c.good, id)).toEqual([]);
  });

  test("fails on the bad fixture with exactly this rule, on the expected address", () => {
    const violations = evaluate(c.bad, { stack: "fixture", environment: "staging" }, only(id));
    expect(ruleIds(violations)).toEqual([id]);
    expect(violations[0].address).toBe(c.address);
  });
});

describe("details that matter", () => {
  test("HTTPS-only: a route that accepts only Https passes; one without Https fails", () => {
    expect(ids(route({ supported_protocols: ["Https"], https_redirect_enabled: false }), "AZ-FRONTDOOR-HTTPS-REDIRECT")).toEqual([]);
    expect(ids(route({ supported_protocols: ["Http"] }), "AZ-FRONTDOOR-HTTPS-REDIRECT")).toEqual(["AZ-FRONTDOOR-HTTPS-REDIRECT"]);
  });

  test("WAF: a second custom domain the security policy does not cover fails, on the profile", () => {
    const domains: Item[] = [
      ["azurerm_cdn_frontdoor_custom_domain", "d", { cdn_frontdoor_profile_id: ref(PROFILE), tls: {} }],
      ["azurerm_cdn_frontdoor_custom_domain", "other", { cdn_frontdoor_profile_id: ref(PROFILE), tls: {} }],
    ];
    const v = evaluate(frontDoor({ domains }), { stack: "s" }, only("AZ-FRONTDOOR-WAF"));
    expect(v.map((x) => [x.address, x.message])).toEqual([[PROFILE, "custom domain azurerm_cdn_frontdoor_custom_domain.other is not covered by a WAF security policy"]]);
    expect(ids(frontDoor({ domains, securityPolicy: securityPolicy([DOMAIN, "azurerm_cdn_frontdoor_custom_domain.other"]) }), "AZ-FRONTDOOR-WAF")).toEqual([]);
  });

  test("WAF mode: a disabled policy or a Default Rule Set that only logs fails", () => {
    expect(ids(wafPolicy({ enabled: false }), "AZ-FRONTDOOR-WAF-MODE")).toEqual(["AZ-FRONTDOOR-WAF-MODE"]);
    expect(ids(wafPolicy({ managed_rule: [{ type: "Microsoft_DefaultRuleSet", version: "2.1", action: "Log" }] }), "AZ-FRONTDOOR-WAF-MODE")).toEqual(["AZ-FRONTDOOR-WAF-MODE"]);
    expect(ids(wafPolicy({ managed_rule: [{ type: "Microsoft_BotManagerRuleSet", version: "1.1", action: "Block" }] }), "AZ-FRONTDOOR-WAF-MODE")).toEqual(["AZ-FRONTDOOR-WAF-MODE"]);
  });

  test("access logs: the allLogs category group counts; a workspace without retention_in_days or a setting without destination fails", () => {
    expect(ids(accessLogs({ enabled_log: [{ category_group: "allLogs" }] }), "AZ-FRONTDOOR-ACCESS-LOGS")).toEqual([]);
    expect(ids(accessLogs({}, {}), "AZ-FRONTDOOR-ACCESS-LOGS")).toEqual(["AZ-FRONTDOOR-ACCESS-LOGS"]);
    expect(ids(accessLogs({ log_analytics_workspace_id: undefined }), "AZ-FRONTDOOR-ACCESS-LOGS")).toEqual(["AZ-FRONTDOOR-ACCESS-LOGS"]);
  });

  test("rolling upgrades: Manual mode fails, and so does Rolling without a health probe or health extension", () => {
    expect(ids(scaleSet({ upgrade_mode: "Manual", rolling_upgrade_policy: undefined }), "AZ-VMSS-HEALTH-ROLLING")).toEqual(["AZ-VMSS-HEALTH-ROLLING"]);
    expect(ids(scaleSet({ health_probe_id: undefined }), "AZ-VMSS-HEALTH-ROLLING")).toEqual(["AZ-VMSS-HEALTH-ROLLING"]);
    expect(ids(scaleSet({ health_probe_id: undefined, extension: [{ type: "ApplicationHealthLinux" }] }), "AZ-VMSS-HEALTH-ROLLING")).toEqual([]);
  });

  test("autoscale: a scale set whose instances Terraform would reset fails; a disabled autoscale setting does not count", () => {
    expect(ids(scaleSet({ lifecycle: undefined }), "AZ-VMSS-AUTOSCALE")).toEqual(["AZ-VMSS-AUTOSCALE"]);
    expect(ids(scaleSet({}, { enabled: false }), "AZ-VMSS-AUTOSCALE")).toEqual(["AZ-VMSS-AUTOSCALE"]);
  });

  test("extensions: operations on (the azurerm default) without any extension fail", () => {
    expect(ids(scaleSet({ extension_operations_enabled: undefined }), "AZ-VMSS-NO-EXTENSIONS")).toEqual(["AZ-VMSS-NO-EXTENSIONS"]);
  });

  test("world to a scale set: '*' and 0.0.0.0/0 in a prefix list fail; the load balancer's and Bastion's ranges pass; a VM's own ASG or a subnet destination is not this rule's", () => {
    expect(ids(nsgRule({ source_address_prefix: undefined, source_address_prefixes: ["10.0.1.0/26", "0.0.0.0/0"] }), "AZ-NSG-NO-WORLD-TO-SCALE-SET")).toEqual(["AZ-NSG-NO-WORLD-TO-SCALE-SET"]);
    expect(ids(nsgRule({ source_address_prefix: "*" }), "AZ-NSG-NO-WORLD-TO-SCALE-SET")).toEqual(["AZ-NSG-NO-WORLD-TO-SCALE-SET"]);
    expect(ids(nsgRule({ source_address_prefix: "AzureLoadBalancer" }), "AZ-NSG-NO-WORLD-TO-SCALE-SET")).toEqual([]);
    expect(ids(nsgRule({ source_address_prefix: "10.0.1.0/26", destination_port_range: "22" }), "AZ-NSG-NO-WORLD-TO-SCALE-SET")).toEqual([]);
    expect(ids(nsgRule({ source_address_prefix: "Internet", destination_application_security_group_ids: undefined, destination_address_prefix: "10.0.1.0/24" }), "AZ-NSG-NO-WORLD-TO-SCALE-SET")).toEqual([]);
    // A VM with a public address may admit the internet on a web port (Peer.anyIpv4()); that is not a scale set.
    expect(ids(nsgRule({ source_address_prefix: "Internet", destination_application_security_group_ids: ["${azurerm_application_security_group.vm.id}"] }), "AZ-NSG-NO-WORLD-TO-SCALE-SET")).toEqual([]);
  });

  test("an HTTPS probe passes the load-balancer rule; a rule without a probe fails", () => {
    expect(ids(lbRule({ protocol: "Https", request_path: "/health" }), "AZ-LB-HEALTH-PROBE")).toEqual([]);
    expect(ids(lbRule(undefined, { probe_id: undefined }), "AZ-LB-HEALTH-PROBE")).toEqual(["AZ-LB-HEALTH-PROBE"]);
  });

  test("Bastion audit: the audit category group counts", () => {
    expect(ids(bastion({}, []), "AZ-BASTION-AUDIT-LOGS")).toEqual(["AZ-BASTION-AUDIT-LOGS"]);
    const grouped = bastion({}, null);
    (grouped.resource as Record<string, Record<string, Body>>).azurerm_monitor_diagnostic_setting = {
      audit: { target_resource_id: ref(BASTION), log_analytics_workspace_id: ref(WORKSPACE), enabled_log: [{ category_group: "audit" }] },
    };
    expect(ids(grouped, "AZ-BASTION-AUDIT-LOGS")).toEqual([]);
  });
});
