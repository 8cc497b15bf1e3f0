/**
 * GCP: serving the application (issue 11). Bare GCP stacks with a network, a
 * GcpAppTier and a GcpHttpsEntry built from each environment's profile;
 * targeted assertions by construct path on the synthesized (and
 * policy-checked) Terraform, plus the failing cases.
 */
import { Construct } from "constructs";
import { placeholderUserData } from "../constructs/app-tier";
import { ENVIRONMENT_DEFAULTS, PlatformConfigInput } from "../constructs/config";
import { Peer } from "../constructs/connections";
import { ValidationError, shortHash } from "../constructs/core";
import { HttpsEntryProps } from "../constructs/https-entry";
import { SIZE_TABLE } from "../constructs/sizes";
import { CloudStack, decisionsAt } from "../constructs/stack";
import { GcpObjectStore } from "../constructs/gcp";
import { GCP_APP_TIER_PORT_NAME, GCP_APP_TIER_TIMING, GcpAppTier } from "../constructs/gcp/app-tier";
import { GCP_BUCKET_ROLES } from "../constructs/gcp/object-store";
import { IAP_TCP_FORWARDING_RANGE } from "../constructs/gcp/connections";
import { DEFAULT_RULE_PRIORITY, GCP_WAF_RULES, GOOGLE_FRONT_END_RANGES, GcpHttpsEntry, wafExpression } from "../constructs/gcp/https-entry";
import { GcpNetwork } from "../constructs/gcp/network";
import { GCP_VM_IMAGE, GCP_VM_METADATA, GCP_VM_SCOPES } from "../constructs/gcp/virtual-machine";
import { GCP_REGION_ZONES, gcpZones } from "../constructs/gcp/zones";
import { KNOWN_REGIONS } from "../constructs/config";
import { APPLICATION_PORT } from "../stacks/platform-stack";
import { TfJson, allItems, at, platformStack, policyErrorOf, refAt, sanitizeForSnapshot, synthJson, under, validationErrorOf } from "./helpers";

const ENVIRONMENTS = ["staging", "production"] as const;
type Env = (typeof ENVIRONMENTS)[number];
/** The zone the tests' entries use when a Cloud DNS zone is managed: it holds every default domain. */
const DNS_ZONE = "taskflow.example.com";

interface ServeOptions {
  readonly config?: PlatformConfigInput;
  readonly zoneCount?: number;
  readonly tier?: Partial<ConstructorParameters<typeof GcpAppTier>[2]>;
  readonly entry?: Partial<HttpsEntryProps>;
}

/** A bare GCP stack of `env` with a network, the app tier and the HTTPS entry, built from the environment's profile. */
function serveStack(env: Env | string = "staging", o: ServeOptions = {}) {
  const { stack } = platformStack("gcp", env, { clouds: ["gcp"], ...o.config });
  const p = stack.profile;
  const network = new GcpNetwork(stack, "network", { natGateways: p.natGateways, deletionProtection: p.deletionProtection, zoneCount: o.zoneCount });
  const app = new GcpAppTier(stack, "app", { network, size: p.vmSize, scaling: p.scaling, port: APPLICATION_PORT, operatorAccess: p.operatorAccess, ...o.tier });
  const entry = new GcpHttpsEntry(stack, "entry", {
    network,
    target: app,
    domain: p.domain,
    dnsZone: p.dnsZone,
    webApplicationFirewall: p.webApplicationFirewall,
    deletionProtection: p.deletionProtection,
    ...o.entry,
  });
  return { stack, network, app, entry };
}

/** `serveStack` synthesized (the app-wide check, policy included, runs). */
function serve(env: Env | string = "staging", o: ServeOptions = {}) {
  const s = serveStack(env, o);
  return { ...s, tf: synthJson(s.stack) };
}

const built = Object.fromEntries(ENVIRONMENTS.map((env) => [env, serve(env, { entry: { dnsZone: DNS_ZONE } })])) as Record<Env, ReturnType<typeof serve>>;
const plain = (body: unknown): any => sanitizeForSnapshot(body as TfJson);
const decisions = (stack: CloudStack, path: string) => [...decisionsAt(stack, `${stack.node.path}/${path}`)].sort();
const firewalls = (tf: TfJson) => allItems(tf).filter((i) => i.type === "google_compute_firewall");
const allowsPort = (body: any, port: number) => (body.allow ?? []).some((a: any) => (a.ports ?? []).includes(String(port)));

test("the profiles the tests build from: staging 1/1/2 with operator access, production 2/2/6 without; both with a WAF", () => {
  expect(ENVIRONMENT_DEFAULTS.staging.scaling).toEqual({ min: 1, desired: 1, max: 2 });
  expect(ENVIRONMENT_DEFAULTS.production.scaling).toEqual({ min: 2, desired: 2, max: 6 });
  expect([ENVIRONMENT_DEFAULTS.staging.operatorAccess, ENVIRONMENT_DEFAULTS.production.operatorAccess]).toEqual([true, false]);
  expect([ENVIRONMENT_DEFAULTS.staging.webApplicationFirewall, ENVIRONMENT_DEFAULTS.production.webApplicationFirewall]).toEqual([true, true]);
});

describe.each(ENVIRONMENTS)("%s", (env) => {
  const { tf, stack, app, entry } = built[env];
  const profile = stack.profile;

  describe("app tier: instance template", () => {
    const t = at(tf, "app/template");

    test("is a regional template, named by prefix and created before the old one is destroyed (templates are immutable)", () => {
      expect(t.type).toBe("google_compute_region_instance_template");
      expect(t.body.region).toBe("us-central1");
      expect(t.body.name).toBeUndefined();
      expect(t.body.name_prefix).toBe(`taskflow-${env}-app-`);
      expect(t.body.lifecycle).toEqual({ create_before_destroy: true });
    });

    test("has the profile's machine type and an encrypted boot disk from the image family", () => {
      expect(t.body.machine_type).toBe(SIZE_TABLE[profile.vmSize].gcp.vm);
      expect(t.body.disk).toEqual([{ boot: true, auto_delete: true, source_image: GCP_VM_IMAGE, disk_type: "pd-balanced", disk_size_gb: 20 }]);
      expect(t.body.disk[0].disk_encryption_key).toBeUndefined();
    });

    test("has the VM's hardening: Shielded VM, no external address, own service account, OS Login, no serial port, no IP forwarding", () => {
      expect(t.body.shielded_instance_config).toEqual({ enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true });
      expect(t.body.network_interface).toEqual([{ subnetwork: refAt(tf, "network/application-subnetwork") }]);
      expect(t.body.service_account).toEqual({ email: refAt(tf, "app/identity/Resource", "email"), scopes: GCP_VM_SCOPES });
      expect(t.body.metadata).toMatchObject(GCP_VM_METADATA);
      expect(t.body.metadata["ssh-keys"]).toBeUndefined();
      expect(t.body.can_ip_forward).toBe(false);
    });

    test("boots the placeholder that answers the health check until the application is deployed", () => {
      expect(t.body.metadata["user-data"]).toBe(placeholderUserData(APPLICATION_PORT, "/health"));
    });
  });

  describe("app tier: regional managed instance group (Resource)", () => {
    const mig = at(tf, "app/Resource");

    test("is the tier's resource, spread over the network's zones from the zone table (never a data source)", () => {
      expect(mig.type).toBe("google_compute_region_instance_group_manager");
      expect(app.resource.node.path).toBe(`${stack.node.path}/app/Resource`);
      expect(mig.body.distribution_policy_zones).toEqual(["us-central1-a", "us-central1-b"]);
      expect(mig.body.distribution_policy_target_shape).toBe("EVEN");
      expect(JSON.stringify(tf.data ?? {})).not.toContain("google_compute_zones");
    });

    test("runs the template and names the app port for the backend service", () => {
      expect(mig.body.version).toEqual([{ instance_template: refAt(tf, "app/template") }]);
      expect(mig.body.named_port).toEqual([{ name: GCP_APP_TIER_PORT_NAME, port: APPLICATION_PORT }]);
      expect(app.instanceGroup).toBeDefined();
    });

    test("starts at the profile's desired size, then leaves the size to the autoscaler", () => {
      expect(mig.body.target_size).toBe(profile.scaling.desired);
      expect(mig.body.lifecycle).toEqual({ ignore_changes: ["target_size"] });
      expect(mig.body.wait_for_instances).toBe(false);
    });

    test("heals instances from the load balancer's health check after their boot time", () => {
      expect(mig.body.auto_healing_policies).toEqual({ health_check: refAt(tf, "app/health-check"), initial_delay_sec: GCP_APP_TIER_TIMING.autoHealingInitialDelaySec });
      expect(mig.body.instance_lifecycle_policy).toEqual({ default_action_on_failure: "REPAIR", force_update_on_repair: "YES" });
    });

    test("rolls a new template out proactively: one new instance per zone first, none taken away before (never all at once)", () => {
      expect(mig.body.update_policy).toEqual({
        type: "PROACTIVE",
        minimal_action: "REPLACE",
        most_disruptive_allowed_action: "REPLACE",
        replacement_method: "SUBSTITUTE",
        instance_redistribution_type: "PROACTIVE",
        max_surge_fixed: 2,
        max_unavailable_fixed: 0,
      });
    });
  });

  test("autoscaler: the profile's min/max, CPU target 60 %, scale-in limited", () => {
    const a = at(tf, "app/autoscaler");
    expect(a.type).toBe("google_compute_region_autoscaler");
    expect(a.body.target).toBe(refAt(tf, "app/Resource"));
    expect(a.body.autoscaling_policy).toEqual({
      min_replicas: profile.scaling.min,
      max_replicas: profile.scaling.max,
      mode: "ON",
      cooldown_period: GCP_APP_TIER_TIMING.autoscalerCooldownSec,
      cpu_utilization: { target: 0.6, predictive_method: "NONE" },
      scale_in_control: { max_scaled_in_replicas: { fixed: 1 }, time_window_sec: GCP_APP_TIER_TIMING.scaleInWindowSec },
    });
  });

  test("health check: HTTP GET of /health on the app port, timeout within the interval", () => {
    const hc = at(tf, "app/health-check").body;
    expect(hc.http_health_check).toEqual({ port: APPLICATION_PORT, port_specification: "USE_FIXED_PORT", request_path: "/health" });
    expect(hc.timeout_sec).toBeLessThanOrEqual(hc.check_interval_sec);
    expect(hc.log_config).toEqual({ enable: true });
  });

  describe("network paths", () => {
    test("the tier admits the app port from the entry only: the Google front ends and health checkers, to its service account", () => {
      const rule = at(tf, "app/identity/from-entry").body;
      expect(rule).toMatchObject({
        direction: "INGRESS",
        priority: 1000,
        source_ranges: [...GOOGLE_FRONT_END_RANGES],
        target_service_accounts: [refAt(tf, "app/identity/Resource", "email")],
        allow: [{ protocol: "tcp", ports: [String(APPLICATION_PORT)] }],
      });
      expect(rule.source_service_accounts).toBeUndefined();
      expect(firewalls(tf).filter((f) => allowsPort(f.body, APPLICATION_PORT)).map((f) => f.path.split("/").slice(1).join("/"))).toEqual(["app/identity/from-entry"]);
    });

    test("the entry's network identity is those ranges, and nothing may be admitted on it", () => {
      expect(entry.connections.endpoint.sourceRanges).toEqual(GOOGLE_FRONT_END_RANGES);
      expect(entry.connections.endpoint.serviceAccounts).toBeUndefined();
    });

    test("no firewall rule allows anything from the whole internet", () => {
      const open = firewalls(tf).filter((f) => f.body.allow && (f.body.source_ranges ?? []).includes("0.0.0.0/0"));
      expect(open).toEqual([]);
    });
  });

  test("access logs: every request logged, routed to a log bucket that keeps them 365 days", () => {
    expect(at(tf, "entry/backend").body.log_config).toEqual({ enable: true, sample_rate: 1 });
    const bucket = at(tf, "entry/access-log-bucket");
    expect(bucket.body).toMatchObject({ location: "us-central1", retention_days: 365 });
    // A deleted log bucket's id stays reserved 7 days and the provider would adopt it: a suffix kept in state.
    const suffix = at(tf, "entry/access-log-bucket-suffix");
    expect([suffix.type, plain(suffix.body)]).toEqual(["random_id", { byte_length: 2, provider: "random" }]);
    expect(bucket.body.bucket_id).toBe(`taskflow-${env}-entry-access-logs-\${${suffix.address}.hex}`);
    const sink = at(tf, "entry/access-log-sink").body;
    expect(sink.destination).toBe(`logging.googleapis.com/${refAt(tf, "entry/access-log-bucket")}`);
    expect(sink.filter).toBe(`resource.type="http_load_balancer" AND log_id("requests") AND resource.labels.url_map_name="${at(tf, "entry/Resource").body.name}"`);
    expect(sink.unique_writer_identity).toBe(true);
  });

  test("the policy check passed on this stack (synthJson runs it), with the serving rules among those checked", () => {
    expect(at(tf, "entry/Resource").type).toBe("google_compute_url_map");
  });

  test("a snapshot of the tier and the entry", () => {
    const items = [...under(tf, "app"), ...under(tf, "entry")].map((i) => [i.address, plain(i.body)]);
    expect(Object.fromEntries(items)).toMatchSnapshot();
  });
});

describe("entry: 443 with TLS 1.2+, the tier behind it", () => {
  const { tf } = built.production;

  test("the URL map (Resource) sends everything to the backend service", () => {
    expect(at(tf, "entry/Resource").body.default_service).toBe(refAt(tf, "entry/backend"));
  });

  test("the backend service: global external ALB (EXTERNAL_MANAGED), HTTP to the tier's named port, its health check, its group", () => {
    const b = at(tf, "entry/backend").body;
    expect(b).toMatchObject({ load_balancing_scheme: "EXTERNAL_MANAGED", protocol: "HTTP", port_name: GCP_APP_TIER_PORT_NAME, timeout_sec: 30, connection_draining_timeout_sec: 60 });
    expect(b.health_checks).toEqual([refAt(tf, "app/health-check")]);
    expect(b.backend).toEqual([{ group: refAt(tf, "app/Resource", "instance_group"), balancing_mode: "UTILIZATION", max_utilization: 0.8, capacity_scaler: 1 }]);
    expect(b.custom_response_headers).toEqual(["Strict-Transport-Security: max-age=31536000"]);
  });

  test("443: forwarding rule on the global address -> HTTPS proxy with the managed certificate and the SSL policy", () => {
    const rule = at(tf, "entry/https-rule").body;
    expect(rule).toMatchObject({ load_balancing_scheme: "EXTERNAL_MANAGED", ip_protocol: "TCP", port_range: "443", ip_address: refAt(tf, "entry/address", "address") });
    expect(rule.target).toBe(refAt(tf, "entry/https-proxy"));
    const proxy = at(tf, "entry/https-proxy").body;
    expect(proxy.url_map).toBe(refAt(tf, "entry/Resource"));
    expect(proxy.ssl_certificates).toEqual([refAt(tf, "entry/certificate")]);
    expect(proxy.ssl_policy).toBe(refAt(tf, "entry/tls-policy"));
    expect(at(tf, "entry/tls-policy").body).toMatchObject({ min_tls_version: "TLS_1_2", profile: "RESTRICTED" });
  });

  test("80: forwarding rule on the same address -> HTTP proxy -> a URL map that only redirects to https", () => {
    const rule = at(tf, "entry/http-rule").body;
    expect(rule).toMatchObject({ load_balancing_scheme: "EXTERNAL_MANAGED", port_range: "80", ip_address: refAt(tf, "entry/address", "address"), target: refAt(tf, "entry/http-proxy") });
    expect(at(tf, "entry/http-proxy").body.url_map).toBe(refAt(tf, "entry/redirect"));
    const redirect = at(tf, "entry/redirect").body;
    expect(redirect.default_url_redirect).toEqual({ https_redirect: true, strip_query: false, redirect_response_code: "MOVED_PERMANENTLY_DEFAULT" });
    expect(redirect.default_service).toBeUndefined();
  });

  test("the global address is an external IPv4 address", () => {
    expect(at(tf, "entry/address").body).toMatchObject({ address_type: "EXTERNAL", ip_version: "IPV4", name: "taskflow-production-entry-ip" });
  });
});

describe("managed certificate", () => {
  const cert = (domain: string) => at(serve("production", { entry: { domain } }).tf, "entry/certificate").body;

  test("is Google-managed for the profile's domain", () => {
    const c = at(built.production.tf, "entry/certificate").body;
    expect(c.type).toBe("MANAGED");
    expect(c.managed).toEqual({ domains: [built.production.stack.profile.domain] });
  });

  test("is replaced create-before-destroy under a name derived from the domain (every field is ForceNew)", () => {
    expect(cert("app.example.org").lifecycle).toEqual({ create_before_destroy: true });
    expect(cert("app.example.org").name).toBe(`taskflow-production-entry-cert-${shortHash("app.example.org", 6)}`);
    expect(cert("app.example.org").name).toBe(cert("app.example.org").name);
    expect(cert("www.example.org").name).not.toBe(cert("app.example.org").name);
  });
});

describe("web application firewall (Cloud Armor)", () => {
  const { tf } = built.production;
  const waf = at(tf, "entry/waf").body;

  test("is attached to the backend service", () => {
    expect(at(tf, "entry/backend").body.security_policy).toBe(refAt(tf, "entry/waf"));
    expect(waf.type).toBe("CLOUD_ARMOR");
  });

  test("denies the OWASP CRS 3.3 stable rule sets and Log4j with 403, enforced, then allows the rest with the explicit default rule", () => {
    const rules = waf.rule as any[];
    expect(rules.slice(0, -1).map((r) => [r.action, r.preview, r.match.expr.expression])).toEqual(GCP_WAF_RULES.map((w) => ["deny(403)", false, wafExpression(w)]));
    expect(rules.map((r) => r.match.expr?.expression).filter(Boolean)).toEqual(
      expect.arrayContaining([
        "evaluatePreconfiguredWaf('sqli-v33-stable', {'sensitivity': 1})",
        "evaluatePreconfiguredWaf('xss-v33-stable', {'sensitivity': 1})",
        "evaluatePreconfiguredWaf('lfi-v33-stable', {'sensitivity': 1})",
        "evaluatePreconfiguredWaf('rce-v33-stable', {'sensitivity': 1})",
        "evaluatePreconfiguredWaf('cve-canary')",
      ]),
    );
    expect(rules[rules.length - 1]).toEqual({
      priority: DEFAULT_RULE_PRIORITY,
      description: "Default: allow what no rule above denies",
      action: "allow",
      preview: false,
      match: { versioned_expr: "SRC_IPS_V1", config: { src_ip_ranges: ["*"] } },
    });
    const priorities = rules.map((r) => r.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    expect(rules.every((r) => r.description.length <= 64)).toBe(true);
  });

  test("inspects JSON bodies and logs verbosely; adaptive protection on", () => {
    expect(waf.advanced_options_config).toEqual({ json_parsing: "STANDARD", log_level: "VERBOSE" });
    expect(waf.adaptive_protection_config).toEqual({ layer_7_ddos_defense_config: { enable: true } });
  });

  test("fails when the WAF is off where the profile does not accept cost trade-offs: the policy check refuses the unprotected entry (decision recorded on the backend service)", () => {
    const s = serveStack("production", { entry: { webApplicationFirewall: false } });
    expect(decisions(s.stack, "entry/backend")).toEqual(["no-web-application-firewall"]);
    expect(s.entry.securityPolicy).toBeUndefined();
    const e = policyErrorOf(() => synthJson(s.stack));
    expect(e.report.violations.map((v) => [v.rule.id, v.path])).toEqual([["GCP-LB-WAF", `${s.stack.node.path}/entry/backend`]]);
  });

  test("where the profile accepts cost trade-offs, the decision is accepted", () => {
    const s = serveStack("staging", { entry: { webApplicationFirewall: false } });
    expect(() => synthJson(s.stack)).not.toThrow();
  });
});

describe("deletion protection (GCP load balancers have no switch: Terraform's prevent_destroy on what is not replaceable)", () => {
  test("production: the public address and the access-log bucket refuse destroy", () => {
    const { tf } = built.production;
    expect(at(tf, "entry/address").body.lifecycle).toEqual({ prevent_destroy: true });
    expect(at(tf, "entry/access-log-bucket").body.lifecycle).toEqual({ prevent_destroy: true });
    expect(decisions(built.production.stack, "entry/address")).toEqual([]);
  });

  test("staging: both destroy, and the trade-off is a recorded decision the staging profile accepts", () => {
    const { tf, stack } = built.staging;
    expect(at(tf, "entry/address").body.lifecycle).toBeUndefined();
    expect(at(tf, "entry/access-log-bucket").body.lifecycle).toBeUndefined();
    expect(decisions(stack, "entry/address")).toEqual(["no-deletion-protection"]);
    expect(decisions(stack, "entry/access-log-bucket")).toEqual(["no-deletion-protection"]);
  });

  test("fails when production turns deletion protection off: the policy check refuses it where cost does not win", () => {
    const s = serveStack("production", { entry: { deletionProtection: false } });
    const e = policyErrorOf(() => synthJson(s.stack));
    expect(e.report.violations.map((v) => [v.rule.id, v.path.split("/").slice(1).join("/")]).sort()).toEqual([
      ["GCP-PREVENT-DESTROY", "entry/address"],
      ["GCP-STATEFUL-PREVENT-DESTROY", "entry/access-log-bucket"],
    ]);
  });
});

describe("DNS", () => {
  test("with a managed zone: an A record for the domain on the global address, in the public zone found by DNS name", () => {
    const { tf, stack } = built.production;
    const record = at(tf, "entry/dns-record");
    expect(record.type).toBe("google_dns_record_set");
    expect(record.body).toMatchObject({ name: `${stack.profile.domain}.`, type: "A", ttl: 300, rrdatas: [refAt(tf, "entry/address", "address")] });
    const zones = at(tf, "entry/dns-zones");
    expect(zones.type).toBe("google_dns_managed_zones");
    const filter = `[for z in ${zones.address}.managed_zones : z.name if z.dns_name == "${DNS_ZONE}." && z.visibility == "public"]`;
    expect(record.body.managed_zone).toBe(`\${one(${filter})}`);
    expect(zones.body.lifecycle.postcondition).toEqual([
      {
        condition: `\${length([for z in self.managed_zones : z.name if z.dns_name == "${DNS_ZONE}." && z.visibility == "public"]) == 1}`,
        error_message: expect.stringContaining(`Exactly one public Cloud DNS zone named '${DNS_ZONE}.'`),
      },
    ]);
  });

  test("the record depends on the DNS API; the zone lookup does not (a deferred read would replace the record)", () => {
    const { tf } = built.production;
    expect(at(tf, "entry/dns-record").body.depends_on).toEqual([at(tf, "gcp/api-dns").address]);
    expect(at(tf, "gcp/api-dns").body.service).toBe("dns.googleapis.com");
    expect(at(tf, "entry/dns-zones").body.depends_on).toBeUndefined();
  });

  test("without a managed zone: no record and no lookup, and dnsRecords says which record to create", () => {
    const { tf, entry, stack } = serve("production");
    expect(allItems(tf).filter((i) => i.type.startsWith("google_dns"))).toEqual([]);
    expect(entry.dnsRecords).toEqual([{ name: stack.profile.domain, type: "A", value: entry.address, purpose: "serve" }]);
  });

  test("dnsRecords is the same list when the zone is managed; url and address are the domain and the global IP", () => {
    const { entry, stack, tf } = built.production;
    expect(entry.dnsRecords).toEqual([{ name: stack.profile.domain, type: "A", value: entry.address, purpose: "serve" }]);
    expect(entry.url).toBe(`https://${stack.profile.domain}`);
    expect(at(tf, "entry/dns-record").body.rrdatas).toEqual([refAt(tf, "entry/address", "address")]);
  });
});

describe("operator access", () => {
  /** The project-wide IAP audit configs of a synthesized stack, by path below the stack. */
  const iapAudits = (tf: TfJson) => allItems(tf).filter((i) => i.type === "google_project_iam_audit_config").map((i) => i.path.split("/").slice(1).join("/"));
  const IAP_AUDIT_BODY = { project: "taskflow-test-123", service: "iap.googleapis.com", audit_log_config: [{ log_type: "ADMIN_READ" }, { log_type: "DATA_READ" }] };

  test("on (staging): SSH only from IAP TCP forwarding, to the tier's service account; the IAP API is on", () => {
    const { tf, stack } = built.staging;
    const rule = at(tf, "app/identity/from-35-235-240-0-20-22").body;
    expect(rule).toMatchObject({
      direction: "INGRESS",
      source_ranges: [IAP_TCP_FORWARDING_RANGE],
      target_service_accounts: [refAt(tf, "app/identity/Resource", "email")],
      allow: [{ protocol: "tcp", ports: ["22"] }],
    });
    const ssh = firewalls(tf).filter((f) => allowsPort(f.body, 22));
    expect(ssh.map((f) => f.body.source_ranges)).toEqual([[IAP_TCP_FORWARDING_RANGE]]);
    expect(at(tf, "gcp/api-iap").body).toMatchObject({ service: "iap.googleapis.com", disable_on_destroy: false });
    expect(stack.profile.operatorAccess).toBe(true);
  });

  test("off (production): no SSH rule at all and no IAP API, still OS Login in the template", () => {
    const { tf } = built.production;
    expect(firewalls(tf).filter((f) => allowsPort(f.body, 22))).toEqual([]);
    expect(allItems(tf).filter((i) => i.type === "google_project_service" && i.body.service === "iap.googleapis.com")).toEqual([]);
    expect(at(tf, "app/template").body.metadata["enable-oslogin"]).toBe("TRUE");
  });

  test("IAP Data Access audit logs: one project for both environments, so the stack that owns the project's settings (production) writes them for staging's operators", () => {
    // The tests' configuration deploys both environments into one project; production owns its settings.
    const audit = at(built.production.tf, "gcp/iap-data-access-audit");
    expect(plain(audit.body)).toEqual(IAP_AUDIT_BODY);
    // Project IAM goes through Cloud Resource Manager, a prerequisite: no API resource to depend on.
    expect(audit.body.depends_on).toBeUndefined();
    expect(built.production.app.operatorAudit).toBeDefined();
    // Staging writes none: destroying staging never turns the project's IAP audit logs off.
    expect(iapAudits(built.staging.tf)).toEqual([]);
    expect(built.staging.app.operatorAudit).toBeUndefined();
  });

  test("one project per environment: staging writes its own; production, without operator access, writes none", () => {
    const config: PlatformConfigInput = { gcp: { region: "us-central1", billingAccount: "012345-6789AB-CDEF01" } };
    const staging = serve("staging", { config });
    expect(plain(at(staging.tf, "gcp/iap-data-access-audit").body)).toEqual({ ...IAP_AUDIT_BODY, project: "taskflow-staging" });
    expect(iapAudits(serve("production", { config }).tf)).toEqual([]);
  });

  test("a tier that asks for operator access where no profile of the project has it writes the audit config itself (nobody else would)", () => {
    const noOperators: PlatformConfigInput = { environments: { staging: { operatorAccess: false }, production: {} } };
    const s = serve("staging", { config: noOperators, tier: { operatorAccess: true } });
    expect(iapAudits(s.tf)).toEqual(["gcp/iap-data-access-audit"]);
    expect(iapAudits(serve("production", { config: noOperators }).tf)).toEqual([]);
  });

  test("two tiers share the stack's one audit config (it is authoritative per service and project)", () => {
    const s = serveStack("production");
    const worker = new GcpAppTier(s.stack, "worker", { network: s.network, operatorAccess: true });
    const tf = synthJson(s.stack);
    expect(iapAudits(tf)).toEqual(["gcp/iap-data-access-audit"]);
    expect(worker.operatorAudit).toBe(s.app.operatorAudit);
    expect(at(tf, "worker/identity/from-35-235-240-0-20-22").body.source_ranges).toEqual([IAP_TCP_FORWARDING_RANGE]);
  });
});

describe("the tier composes a compute identity: grants and connections work as for a VM", () => {
  test("a bucket grant goes to the tier's service account", () => {
    const s = serveStack("production");
    const bucket = new GcpObjectStore(s.stack, "uploads", {});
    bucket.grantReadWrite(s.app);
    const tf = synthJson(s.stack);
    const members = under(tf, "uploads", "google_storage_bucket_iam_member").map((m) => [m.body.role, m.body.member]);
    expect(members).toEqual([[GCP_BUCKET_ROLES["read-write"], refAt(tf, "app/identity/Resource", "member")]]);
  });

  test("another connectable can be admitted on the tier by service account", () => {
    const s = serveStack("production");
    const worker = new GcpAppTier(s.stack, "worker", { network: s.network });
    s.app.connections.allowFrom(worker, 9000);
    const rule = at(synthJson(s.stack), "app/identity/from-worker-identity").body;
    expect(rule.source_service_accounts).toHaveLength(1);
    expect(rule.allow).toEqual([{ protocol: "tcp", ports: ["9000"] }]);
  });
});

describe("props", () => {
  test("a custom port, health-check path, CPU target and user data reach the group, the check, the autoscaler and the template", () => {
    const { tf } = serve("production", { tier: { port: 9090, healthCheckPath: "/ready", cpuTargetPercent: 45, userData: "#cloud-config\n" } });
    expect(at(tf, "app/Resource").body.named_port).toEqual([{ name: GCP_APP_TIER_PORT_NAME, port: 9090 }]);
    expect(at(tf, "app/health-check").body.http_health_check).toMatchObject({ port: 9090, request_path: "/ready" });
    expect(at(tf, "app/autoscaler").body.autoscaling_policy.cpu_utilization.target).toBe(0.45);
    expect(at(tf, "app/template").body.metadata["user-data"]).toBe("#cloud-config\n");
    expect(at(tf, "app/identity/from-entry").body.allow).toEqual([{ protocol: "tcp", ports: ["9090"] }]);
  });

  test("three zones: three distribution zones and a surge of three (a regional group's surge is 0 or at least its zones)", () => {
    const { tf, app } = serve("production", { zoneCount: 3 });
    expect(at(tf, "app/Resource").body.distribution_policy_zones).toEqual(["us-central1-a", "us-central1-b", "us-central1-c"]);
    expect(at(tf, "app/Resource").body.update_policy.max_surge_fixed).toBe(3);
    expect(app.zones).toHaveLength(3);
  });

  test("zones follow the region's real letters (europe-west1 starts at b)", () => {
    const { tf } = serve("production", { config: { gcp: { projectId: "taskflow-test-123", region: "europe-west1", billingAccount: "012345-6789AB-CDEF01" } } });
    expect(at(tf, "app/Resource").body.distribution_policy_zones).toEqual(["europe-west1-b", "europe-west1-c"]);
  });

  test("access-log retention follows the prop", () => {
    expect(at(serve("production", { entry: { accessLogRetentionDays: 90 } }).tf, "entry/access-log-bucket").body.retention_days).toBe(90);
  });

  test("long names stay within the provider's limits: template prefix <= 37, base instance name <= 58", () => {
    const { tf } = serve("production", { config: { project: "abcdefghijklmnop" } });
    expect(at(tf, "app/template").body.name_prefix).toBe("abcdefghijklmnop-production-app-");
    const long = serveStack("production", { config: { project: "abcdefghijklmnop" } });
    new GcpAppTier(long.stack, "a-twenty-one-chars-id", { network: long.network });
    const longTf = synthJson(long.stack);
    expect(at(longTf, "a-twenty-one-chars-id/template").body.name_prefix).toMatch(/^abcdefghijklmnop-production-[a-z0-9-]+-[a-z0-9]{6}-$/);
    for (const t of [tf, longTf]) {
      for (const tpl of allItems(t).filter((i) => i.type === "google_compute_region_instance_template")) expect(tpl.body.name_prefix.length).toBeLessThanOrEqual(37);
      for (const mig of allItems(t).filter((i) => i.type === "google_compute_region_instance_group_manager")) expect(mig.body.base_instance_name.length).toBeLessThanOrEqual(58);
    }
  });
});

describe("fails when", () => {
  test("fails when the network spans more zones than the region has", () => {
    const { stack } = platformStack("gcp", "production", { clouds: ["gcp"], gcp: { projectId: "taskflow-test-123", region: "us-east1", billingAccount: "012345-6789AB-CDEF01" } });
    const network = new GcpNetwork(stack, "network", { zoneCount: 4 });
    const e = validationErrorOf(() => new GcpAppTier(stack, "app", { network }));
    expect(e.issues).toEqual([{ field: "network.zoneCount", value: 4, accepted: expect.stringContaining("at most 3 in us-east1 (its zones: us-east1-b, us-east1-c, us-east1-d)") }]);
  });

  test("fails when the target is not a GCP app tier", () => {
    const { stack, network } = serveStack("production");
    const impostor = Object.assign(new Construct(stack, "impostor"), { cloud: "gcp" as const, port: 8080, healthCheckPath: "/health" }) as any;
    const e = validationErrorOf(() => new GcpHttpsEntry(stack, "other", { network, target: impostor, domain: "app.example.org" }));
    expect(e.issues[0]).toMatchObject({ field: "target", accepted: expect.stringContaining("GcpAppTier") });
  });

  test("fails when the DNS zone does not hold the domain", () => {
    const { stack, network, app } = serveStack("production");
    const e = validationErrorOf(() => new GcpHttpsEntry(stack, "other", { network, target: app, domain: "app.example.org", dnsZone: "example.com" }));
    expect(e.issues.map((i) => i.field)).toEqual(["httpsEntry.dnsZone"]);
  });

  test("fails when a peer is admitted on the entry: Google's load balancer takes the internet by itself", () => {
    const { entry, app } = serveStack("production");
    expect(() => entry.connections.allowFrom(app, 443)).toThrow(ValidationError);
    expect(() => entry.connections.allowFrom(Peer.anyIpv4(), 443)).toThrow(ValidationError);
  });

  test("fails when the scaling is inconsistent (shared validation, every issue at once)", () => {
    const { stack, network } = serveStack("production");
    const e = validationErrorOf(() => new GcpAppTier(stack, "other", { network, scaling: { min: 3, desired: 2, max: 2 }, cpuTargetPercent: 95 }));
    expect(e.issues.map((i) => i.field)).toEqual(["appTier.scaling.max", "appTier.scaling.desired", "appTier.cpuTargetPercent"]);
  });

  test("fails when the region is not in the zone table", () => {
    expect(() => gcpZones("mars-north1", 2, "network.zoneCount")).toThrow(/gcp.region: 'mars-north1' is not valid; accepted: a region of the zone table in constructs\/gcp\/zones.ts/);
  });
});

test("the zone table covers every region the configuration accepts, with at least 3 zones each", () => {
  expect(Object.keys(GCP_REGION_ZONES).sort()).toEqual([...KNOWN_REGIONS.gcp].sort());
  for (const letters of Object.values(GCP_REGION_ZONES)) expect(letters.length).toBeGreaterThanOrEqual(3);
});
