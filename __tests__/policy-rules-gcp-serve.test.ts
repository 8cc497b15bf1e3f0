/**
 * Policy rules for serving the application on GCP (issue 11): one passing and
 * one failing hand-written fixture per rule, in policy-rules.test.ts's style
 * (the failing one yields exactly that rule, once, on the expected address),
 * plus the instance-template cases of the VM rules that now cover templates.
 */
import { ALL_RULES, PolicyContext, TfJson, evaluate, ruleIds } from "../constructs/policy";
import { GCP_SERVE_RULES } from "../constructs/policy/rules-gcp";
import { ref, tf } from "./policy-fixtures-aws-serve";

type Body = Record<string, any>;

// Good baselines; bad fixtures change one thing.
const wafRule = (priority: number, expression: string, o: Body = {}): Body => ({ priority, action: "deny(403)", preview: false, match: { expr: { expression } }, ...o });
const DEFAULT_RULE: Body = { priority: 2147483647, action: "allow", match: { versioned_expr: "SRC_IPS_V1", config: { src_ip_ranges: ["*"] } } };
const armor = (rules: Body[] = [wafRule(1000, "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})"), wafRule(1010, "evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 1})"), wafRule(1020, "evaluatePreconfiguredWaf('cve-canary')"), DEFAULT_RULE]): Body => ({
  name: "waf",
  type: "CLOUD_ARMOR",
  rule: rules,
});
const backend = (o: Body = {}): Body => ({
  load_balancing_scheme: "EXTERNAL_MANAGED",
  protocol: "HTTP",
  security_policy: ref("google_compute_security_policy.waf"),
  log_config: { enable: true, sample_rate: 1 },
  ...o,
});
const withArmor = (b: Body) => tf(["google_compute_security_policy", "waf", armor()], ["google_compute_backend_service", "be", b]);
const logged = (sink: Body = {}, bucket: Body = { retention_days: 365 }) =>
  tf(
    ["google_compute_backend_service", "be", backend()],
    ["google_logging_project_bucket_config", "logs", bucket],
    ["google_logging_project_sink", "sink", { destination: `logging.googleapis.com/${ref("google_logging_project_bucket_config.logs")}`, filter: 'resource.type="http_load_balancer" AND log_id("requests")', ...sink }],
  );
const redirect = (map: Body) => tf(["google_compute_url_map", "redirect", map], ["google_compute_target_http_proxy", "http", { url_map: ref("google_compute_url_map.redirect") }]);
const tls = (policy: Body) => tf(["google_compute_ssl_policy", "tls", policy], ["google_compute_target_https_proxy", "https", { url_map: "m", ssl_policy: ref("google_compute_ssl_policy.tls") }]);
const UPDATE_POLICY: Body = { type: "PROACTIVE", minimal_action: "REPLACE", max_surge_fixed: 2, max_unavailable_fixed: 0 };
const mig = (o: Body = {}): Body => ({
  distribution_policy_zones: ["us-central1-a", "us-central1-b"],
  auto_healing_policies: { health_check: ref("google_compute_health_check.hc"), initial_delay_sec: 300 },
  update_policy: UPDATE_POLICY,
  ...o,
});
const template = (o: Body = {}): Body => ({
  metadata: { "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE", "serial-port-enable": "FALSE" },
  network_interface: [{ subnetwork: ref("google_compute_subnetwork.s") }],
  service_account: { email: ref("google_service_account.sa", "email"), scopes: ["cloud-platform"] },
  shielded_instance_config: { enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true },
  ...o,
});
const firewall = (o: Body = {}) =>
  tf(["google_compute_firewall", "fw", { direction: "INGRESS", source_ranges: ["35.191.0.0/16", "130.211.0.0/22"], allow: [{ protocol: "tcp", ports: ["8080"] }], ...o }]);

interface Case {
  readonly good: TfJson;
  readonly bad: TfJson;
  readonly address: string;
}

const CASES: Record<string, Case> = {
  "GCP-FIREWALL-NO-WORLD-INGRESS": {
    good: tf(
      ["google_compute_firewall", "fw", { direction: "INGRESS", source_ranges: ["35.191.0.0/16", "130.211.0.0/22"], allow: [{ protocol: "tcp", ports: ["8080"] }] }],
      // A deny from everywhere (the network's logged deny-all) is not an exposure.
      ["google_compute_firewall", "deny", { direction: "INGRESS", source_ranges: ["0.0.0.0/0"], deny: [{ protocol: "all" }] }],
    ),
    bad: firewall({ source_ranges: ["0.0.0.0/0"] }),
    address: "google_compute_firewall.fw",
  },
  "GCP-LB-HTTP-REDIRECT-ONLY": {
    good: redirect({ default_url_redirect: { https_redirect: true, strip_query: false } }),
    bad: redirect({ default_service: ref("google_compute_backend_service.be") }),
    address: "google_compute_target_http_proxy.http",
  },
  "GCP-LB-TLS-POLICY": {
    good: tls({ min_tls_version: "TLS_1_2", profile: "RESTRICTED" }),
    bad: tls({ min_tls_version: "TLS_1_0", profile: "RESTRICTED" }),
    address: "google_compute_ssl_policy.tls",
  },
  "GCP-LB-WAF": { good: withArmor(backend()), bad: withArmor(backend({ security_policy: undefined })), address: "google_compute_backend_service.be" },
  "GCP-ARMOR-OWASP-RULES": {
    good: tf(["google_compute_security_policy", "waf", armor()]),
    bad: tf(["google_compute_security_policy", "waf", armor([wafRule(1000, "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})"), wafRule(1020, "evaluatePreconfiguredWaf('cve-canary')"), DEFAULT_RULE])]),
    address: "google_compute_security_policy.waf",
  },
  "GCP-ARMOR-LOG4J": {
    good: tf(["google_compute_security_policy", "waf", armor()]),
    bad: tf(["google_compute_security_policy", "waf", armor([wafRule(1000, "evaluatePreconfiguredWaf('sqli-v33-stable')"), wafRule(1010, "evaluatePreconfiguredWaf('xss-v33-stable')"), DEFAULT_RULE])]),
    address: "google_compute_security_policy.waf",
  },
  "GCP-LB-ACCESS-LOGS": {
    good: tf(["google_compute_backend_service", "be", backend()]),
    bad: tf(["google_compute_backend_service", "be", backend({ log_config: { enable: true, sample_rate: 0.1 } })]),
    address: "google_compute_backend_service.be",
  },
  "GCP-LB-ACCESS-LOG-RETENTION": { good: logged(), bad: logged({ filter: 'resource.type="gce_instance"' }), address: "google_compute_backend_service.be" },
  "GCP-PREVENT-DESTROY": {
    good: tf(
      ["google_compute_global_address", "ip", { address_type: "EXTERNAL", lifecycle: { prevent_destroy: true } }],
      ["google_logging_project_bucket_config", "logs", { retention_days: 365, lifecycle: { prevent_destroy: true } }],
      // The private services range is internal: not an entry point.
      ["google_compute_global_address", "psa", { address_type: "INTERNAL", purpose: "VPC_PEERING" }],
    ),
    bad: tf(["google_compute_global_address", "ip", { address_type: "EXTERNAL" }], ["google_logging_project_bucket_config", "logs", { retention_days: 365, lifecycle: { prevent_destroy: true } }]),
    address: "google_compute_global_address.ip",
  },
  "GCP-MIG-AUTO-HEALING": {
    good: tf(["google_compute_region_instance_group_manager", "mig", mig()]),
    bad: tf(["google_compute_region_instance_group_manager", "mig", mig({ auto_healing_policies: undefined })]),
    address: "google_compute_region_instance_group_manager.mig",
  },
  "GCP-MIG-ROLLING-UPDATE": {
    good: tf(["google_compute_region_instance_group_manager", "mig", mig()]),
    bad: tf(["google_compute_region_instance_group_manager", "mig", mig({ update_policy: { ...UPDATE_POLICY, max_unavailable_fixed: 2 } })]),
    address: "google_compute_region_instance_group_manager.mig",
  },
  "GCP-MIG-MULTI-ZONE": {
    good: tf(["google_compute_region_instance_group_manager", "mig", mig()]),
    bad: tf(["google_compute_region_instance_group_manager", "mig", mig({ distribution_policy_zones: ["us-central1-a"] })]),
    address: "google_compute_region_instance_group_manager.mig",
  },
};

const ctx: PolicyContext = { stack: "fixture", environment: "production" };
const only = (id: string) => [ALL_RULES.find((r) => r.id === id)!];

test("every serving rule is in the rule table and has a passing and a failing fixture here", () => {
  expect(Object.keys(CASES).sort()).toEqual(GCP_SERVE_RULES.map((r) => r.id).sort());
  for (const r of GCP_SERVE_RULES) expect(ALL_RULES).toContain(r);
});

test("every serving rule names a scanner control or says it is a project rule, and a fix", () => {
  for (const r of GCP_SERVE_RULES) {
    expect(r.cloud).toBe("gcp");
    expect(r.controls.length).toBeGreaterThan(0);
    expect(r.fix.length).toBeGreaterThan(10);
  }
});

describe.each(GCP_SERVE_RULES.map((r) => [r.id, r] as const))("%s", (id, rule) => {
  const c = CASES[id];

  test("passes on the good fixture", () => {
    expect(ruleIds(evaluate(c.good, ctx, [rule]))).toEqual([]);
  });

  test("fails on the bad fixture with exactly this rule, on the expected address", () => {
    const violations = evaluate(c.bad, ctx, [rule]);
    expect(ruleIds(violations)).toEqual([id]);
    expect(violations[0].address).toBe(c.address);
  });
});

describe("details that matter", () => {
  test("an HTTPS proxy without an SSL policy fails: the load balancer would accept TLS 1.0", () => {
    const json = tf(["google_compute_target_https_proxy", "https", { url_map: "m" }]);
    expect(evaluate(json, ctx, only("GCP-LB-TLS-POLICY")).map((v) => [v.address, v.message])).toEqual([
      ["google_compute_target_https_proxy.https", "no ssl_policy: the proxy accepts TLS 1.0 and the COMPATIBLE ciphers"],
    ]);
  });

  test("an SSL policy left on the COMPATIBLE profile fails even with TLS 1.2", () => {
    expect(evaluate(tls({ min_tls_version: "TLS_1_2" }), ctx, only("GCP-LB-TLS-POLICY")).map((v) => v.message)).toEqual(["profile is COMPATIBLE (default)"]);
  });

  test("a backend service without a scheme is EXTERNAL (the provider default) and needs a WAF and logs", () => {
    const json = tf(["google_compute_backend_service", "be", { protocol: "HTTP" }]);
    expect(ruleIds(evaluate(json, ctx, [...only("GCP-LB-WAF"), ...only("GCP-LB-ACCESS-LOGS")]))).toEqual(["GCP-LB-WAF", "GCP-LB-ACCESS-LOGS"]);
  });

  test("internal backend services need neither a WAF nor request logs routed", () => {
    const json = tf(["google_compute_backend_service", "be", { load_balancing_scheme: "INTERNAL_MANAGED", protocol: "HTTP" }]);
    expect(ruleIds(evaluate(json, ctx, [...only("GCP-LB-WAF"), ...only("GCP-LB-ACCESS-LOGS"), ...only("GCP-LB-ACCESS-LOG-RETENTION")]))).toEqual([]);
  });

  test("WAF rules in preview, or that allow, do not count as protection", () => {
    const preview = armor([wafRule(1000, "evaluatePreconfiguredWaf('sqli-v33-stable')", { preview: true }), wafRule(1010, "evaluatePreconfiguredWaf('xss-v33-stable')"), wafRule(1020, "evaluatePreconfiguredWaf('cve-canary')", { action: "allow" }), DEFAULT_RULE]);
    const json = tf(["google_compute_security_policy", "waf", preview]);
    expect(ruleIds(evaluate(json, ctx, [...only("GCP-ARMOR-OWASP-RULES"), ...only("GCP-ARMOR-LOG4J")]))).toEqual(["GCP-ARMOR-OWASP-RULES", "GCP-ARMOR-LOG4J"]);
  });

  test("a security policy without the explicit default rule fails (the API adds one and plans never settle)", () => {
    const json = tf(["google_compute_security_policy", "waf", armor(armor().rule.filter((r: Body) => r.priority !== 2147483647))]);
    expect(evaluate(json, ctx, only("GCP-ARMOR-OWASP-RULES")).map((v) => v.message)).toEqual([
      "no explicit default rule (priority 2147483647): the API adds one and every plan shows a diff",
    ]);
  });

  test("a redirect map that also routes paths to a backend is not redirect-only", () => {
    const json = redirect({ default_url_redirect: { https_redirect: true, strip_query: false }, path_matcher: [{ name: "p", default_service: "x" }] });
    expect(ruleIds(evaluate(json, ctx, only("GCP-LB-HTTP-REDIRECT-ONLY")))).toEqual(["GCP-LB-HTTP-REDIRECT-ONLY"]);
  });

  test("a zonal instance group fails the multi-zone rule; a regional one with API-chosen zones passes", () => {
    const json = tf(["google_compute_instance_group_manager", "zonal", mig({ distribution_policy_zones: undefined })], ["google_compute_region_instance_group_manager", "regional", mig({ distribution_policy_zones: undefined })]);
    expect(evaluate(json, ctx, only("GCP-MIG-MULTI-ZONE")).map((v) => v.address)).toEqual(["google_compute_instance_group_manager.zonal"]);
  });

  test("an update policy left to the API defaults fails (it takes a zone's worth of instances away at once)", () => {
    const json = tf(["google_compute_region_instance_group_manager", "mig", mig({ update_policy: undefined })]);
    expect(ruleIds(evaluate(json, ctx, only("GCP-MIG-ROLLING-UPDATE")))).toEqual(["GCP-MIG-ROLLING-UPDATE"]);
  });

  test("a log bucket without prevent_destroy fails the stateful rule, once: the address rule covers only what holds no data", () => {
    const json = tf(["google_logging_project_bucket_config", "logs", { retention_days: 365 }]);
    expect(evaluate(json, ctx, [...only("GCP-STATEFUL-PREVENT-DESTROY"), ...only("GCP-PREVENT-DESTROY")]).map((v) => [v.rule.id, v.address])).toEqual([
      ["GCP-STATEFUL-PREVENT-DESTROY", "google_logging_project_bucket_config.logs"],
    ]);
  });

  test("an address without an explicit type is EXTERNAL (the API default) and must be protected; an internal range need not", () => {
    const json = tf(["google_compute_global_address", "ip", {}], ["google_compute_global_address", "range", { address_type: "INTERNAL", purpose: "VPC_PEERING" }]);
    expect(evaluate(json, ctx, only("GCP-PREVENT-DESTROY")).map((v) => v.address)).toEqual(["google_compute_global_address.ip"]);
  });
});

/** The VM rules now cover regional instance templates too: a template breaking each fails. */
describe.each([
  ["GCP-VM-NO-PUBLIC-IP", { network_interface: [{ subnetwork: "s", access_config: [{}] }] }],
  ["GCP-VM-NO-DEFAULT-SERVICE-ACCOUNT", { service_account: { email: "123-compute@developer.gserviceaccount.com", scopes: ["cloud-platform"] } }],
  ["GCP-VM-OS-LOGIN", { metadata: { "enable-oslogin": "TRUE" } }],
  ["GCP-VM-NO-SERIAL-PORT", { metadata: { "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE", "serial-port-enable": "TRUE" } }],
  ["GCP-VM-NO-IP-FORWARDING", { can_ip_forward: true }],
  ["GCP-VM-SHIELDED", { shielded_instance_config: { enable_secure_boot: false, enable_vtpm: true, enable_integrity_monitoring: true } }],
] as const)("%s on google_compute_region_instance_template", (id, change) => {
  test("passes on a hardened template, fails on one that breaks it", () => {
    expect(ruleIds(evaluate(tf(["google_compute_region_instance_template", "t", template()]), ctx, only(id)))).toEqual([]);
    const violations = evaluate(tf(["google_compute_region_instance_template", "t", template(change)]), ctx, only(id));
    expect(violations.map((v) => [v.rule.id, v.address])).toEqual([[id, "google_compute_region_instance_template.t"]]);
  });
});

test("GCP-NAT-PRIVATE-EGRESS counts instance templates as private VMs of their network", () => {
  const json = tf(
    ["google_compute_network", "n", {}],
    ["google_compute_subnetwork", "s", { network: ref("google_compute_network.n") }],
    ["google_compute_region_instance_template", "t", template()],
  );
  expect(evaluate(json, ctx, only("GCP-NAT-PRIVATE-EGRESS")).map((v) => v.address)).toEqual(["google_compute_network.n"]);
});
