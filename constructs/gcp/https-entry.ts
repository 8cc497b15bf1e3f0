/**
 * GCP HTTPS entry: a global external Application Load Balancer
 * (`EXTERNAL_MANAGED`, Envoy-based) on one global IPv4 address.
 *
 * - 443: forwarding rule -> target HTTPS proxy (Google-managed certificate for
 *   `domain`, SSL policy TLS 1.2+ RESTRICTED) -> URL map (`Resource`) ->
 *   backend service (HTTP to the tier's named port, health check on its path,
 *   every request logged, Cloud Armor policy attached).
 * - 80: forwarding rule -> target HTTP proxy -> a URL map that only answers
 *   301 to https (no backend behind it).
 * - Cloud Armor: the preconfigured OWASP CRS 3.3 rules (stable versions) and
 *   the Log4j rule deny with 403; everything else is allowed by the explicit
 *   default rule.
 * - Access logs: the backend service logs every request to Cloud Logging; a
 *   sink routes the entry's request logs to a dedicated log bucket that keeps
 *   them `accessLogRetentionDays`.
 * - DNS: when `dnsZone` is set, the A record goes into the Cloud DNS public
 *   zone of that name (found by DNS name in the project); `dnsRecords` always
 *   lists it. A Google-managed certificate needs no validation record: it is
 *   issued once the A record points at the address.
 *
 * Its connections are the Google front ends and health checkers: the entry
 * admits itself on the tier's port, and nothing else reaches the tier.
 */
import { Construct } from "constructs";
import { ComputeBackendService } from "@cdktf/provider-google/lib/compute-backend-service";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { ComputeGlobalForwardingRule } from "@cdktf/provider-google/lib/compute-global-forwarding-rule";
import { ComputeManagedSslCertificate } from "@cdktf/provider-google/lib/compute-managed-ssl-certificate";
import { ComputeSecurityPolicy, ComputeSecurityPolicyRule } from "@cdktf/provider-google/lib/compute-security-policy";
import { ComputeSslPolicy } from "@cdktf/provider-google/lib/compute-ssl-policy";
import { ComputeTargetHttpProxy } from "@cdktf/provider-google/lib/compute-target-http-proxy";
import { ComputeTargetHttpsProxy } from "@cdktf/provider-google/lib/compute-target-https-proxy";
import { ComputeUrlMap } from "@cdktf/provider-google/lib/compute-url-map";
import { DataGoogleDnsManagedZones } from "@cdktf/provider-google/lib/data-google-dns-managed-zones";
import { DnsRecordSet } from "@cdktf/provider-google/lib/dns-record-set";
import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config";
import { LoggingProjectSink } from "@cdktf/provider-google/lib/logging-project-sink";
import { shortHash } from "../core";
import { DnsRecord, HttpsEntryProps, IHttpsEntry, validateHttpsEntryProps } from "../https-entry";
import { recordDecision } from "../stack";
import { GcpAppTier } from "./app-tier";
import { GcpConnections } from "./connections";
import { GcpNetwork, gcpLogBucket } from "./network";
import { GcpPlatform } from "./platform";

/**
 * Where a global external Application Load Balancer's traffic and health checks come from
 * (Google front ends and health checkers): the entry's network identity on the tier.
 */
export const GOOGLE_FRONT_END_RANGES: readonly string[] = ["35.191.0.0/16", "130.211.0.0/22"];

/** One preconfigured Cloud Armor WAF rule: the ModSecurity CRS 3.3 set it evaluates and how strictly. */
export interface GcpWafRule {
  readonly ruleSet: string;
  /** 1 (fewest false positives) to 4; undefined evaluates the set as the scanners expect it. */
  readonly sensitivity?: number;
  readonly description: string;
}

/**
 * The OWASP rules in front of the app (CRS 3.3, stable versions), each denying with 403. Left out on
 * purpose: `methodenforcement` (refuses PUT/PATCH/DELETE, which REST APIs use) and the language-specific
 * sets (php, java, nodejs), which depend on the application; add them to this list when they apply.
 */
export const GCP_WAF_RULES: readonly GcpWafRule[] = [
  { ruleSet: "sqli-v33-stable", sensitivity: 1, description: "SQL injection" },
  { ruleSet: "xss-v33-stable", sensitivity: 1, description: "Cross-site scripting" },
  { ruleSet: "lfi-v33-stable", sensitivity: 1, description: "Local file inclusion" },
  { ruleSet: "rfi-v33-stable", sensitivity: 1, description: "Remote file inclusion" },
  { ruleSet: "rce-v33-stable", sensitivity: 1, description: "Remote code execution" },
  { ruleSet: "scannerdetection-v33-stable", sensitivity: 1, description: "Scanner detection" },
  { ruleSet: "protocolattack-v33-stable", sensitivity: 1, description: "Protocol attacks" },
  { ruleSet: "sessionfixation-v33-stable", sensitivity: 1, description: "Session fixation" },
  // Log4j (CVE-2021-44228): written as checkov's CKV_GCP_73 looks for it.
  { ruleSet: "cve-canary", description: "Log4j and other critical CVEs" },
];

/** Priorities of the WAF rules: the first, and the step between two. The default rule is the lowest (2147483647). */
const WAF_PRIORITY = { first: 1000, step: 10 } as const;
/** The priority Cloud Armor reserves for the default rule (it must exist and match "*"). */
export const DEFAULT_RULE_PRIORITY = 2147483647;

/** TTL of the A record, in seconds. */
const DNS_TTL = 300;
/** Seconds a removed instance keeps finishing its requests (the provider's default, 300, slows every rolling update). */
const CONNECTION_DRAINING_SEC = 60;

/** The CEL expression of a preconfigured WAF rule. */
export function wafExpression(rule: GcpWafRule): string {
  return rule.sensitivity === undefined
    ? `evaluatePreconfiguredWaf('${rule.ruleSet}')`
    : `evaluatePreconfiguredWaf('${rule.ruleSet}', {'sensitivity': ${rule.sensitivity}})`;
}

export class GcpHttpsEntry extends Construct implements IHttpsEntry {
  public readonly cloud = "gcp" as const;
  /** The URL map that routes HTTPS requests to the backend service. */
  public readonly resource: ComputeUrlMap;
  public readonly url: string;
  /** The global IPv4 address the domain must point at. */
  public readonly address: string;
  public readonly dnsRecords: readonly DnsRecord[];
  /** The Google front ends and health checkers (source ranges of the load balancer's traffic). */
  public readonly connections: GcpConnections;

  public readonly globalAddress: ComputeGlobalAddress;
  public readonly backendService: ComputeBackendService;
  public readonly certificate: ComputeManagedSslCertificate;
  public readonly sslPolicy: ComputeSslPolicy;
  public readonly httpsProxy: ComputeTargetHttpsProxy;
  public readonly httpsForwardingRule: ComputeGlobalForwardingRule;
  public readonly redirectUrlMap: ComputeUrlMap;
  public readonly httpProxy: ComputeTargetHttpProxy;
  public readonly httpForwardingRule: ComputeGlobalForwardingRule;
  /** Cloud Armor policy, when `webApplicationFirewall`. */
  public readonly securityPolicy?: ComputeSecurityPolicy;
  public readonly accessLogBucket: LoggingProjectBucketConfig;
  public readonly accessLogSink: LoggingProjectSink;
  /** The A record, when `dnsZone` is set. */
  public readonly dnsRecord?: DnsRecordSet;

  constructor(scope: Construct, id: string, props: HttpsEntryProps) {
    super(scope, id);
    const platform = GcpPlatform.of(this);
    const r = validateHttpsEntryProps("gcp", id, props);
    const network = GcpNetwork.of(r.network);
    const tier = GcpAppTier.of(r.target);
    const context = `HttpsEntry '${id}'`;
    const name = (suffix?: string) =>
      platform.name(context, "resource", { field: "httpsEntry id", value: id }, ...(suffix ? [{ field: "suffix", value: suffix }] : []));
    const compute = platform.apis("compute");
    this.connections = new GcpConnections(this, { network: network.networkId, sourceRanges: [...GOOGLE_FRONT_END_RANGES] });

    // The address the domain points at. Its description is ForceNew: keep it constant.
    this.globalAddress = new ComputeGlobalAddress(this, "address", {
      name: name("ip"),
      description: "Public address of the HTTPS entry",
      addressType: "EXTERNAL",
      ipVersion: "IPV4",
      lifecycle: r.deletionProtection ? { preventDestroy: true } : undefined,
      dependsOn: compute,
    });
    if (!r.deletionProtection) recordDecision(this.globalAddress, "no-deletion-protection");
    this.address = this.globalAddress.address;
    this.url = `https://${r.domain}`;

    if (r.webApplicationFirewall) {
      const rules: ComputeSecurityPolicyRule[] = GCP_WAF_RULES.map((w, i) => ({
        priority: WAF_PRIORITY.first + i * WAF_PRIORITY.step,
        description: w.description,
        action: "deny(403)",
        preview: false,
        match: { expr: { expression: wafExpression(w) } },
      }));
      rules.push({
        priority: DEFAULT_RULE_PRIORITY,
        description: "Default: allow what no rule above denies",
        action: "allow",
        preview: false,
        match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
      });
      this.securityPolicy = new ComputeSecurityPolicy(this, "waf", {
        name: name("waf"),
        description: `OWASP CRS 3.3 rules in front of ${context}`,
        type: "CLOUD_ARMOR",
        rule: rules,
        // JSON bodies are inspected too; verbose logs name the rule that matched.
        advancedOptionsConfig: { jsonParsing: "STANDARD", logLevel: "VERBOSE" },
        adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true } },
        dependsOn: compute,
      });
    }

    this.backendService = new ComputeBackendService(this, "backend", {
      name: name("backend"),
      description: `${tier.node.id} instances on port ${tier.port}`,
      loadBalancingScheme: "EXTERNAL_MANAGED",
      protocol: "HTTP",
      portName: tier.portName,
      timeoutSec: 30,
      connectionDrainingTimeoutSec: CONNECTION_DRAINING_SEC,
      healthChecks: [tier.healthCheck.id],
      backend: [{ group: tier.instanceGroup, balancingMode: "UTILIZATION", maxUtilization: 0.8, capacityScaler: 1 }],
      logConfig: { enable: true, sampleRate: 1 },
      securityPolicy: this.securityPolicy?.id,
      customResponseHeaders: ["Strict-Transport-Security: max-age=31536000"],
      dependsOn: compute,
    });
    if (!r.webApplicationFirewall) recordDecision(this.backendService, "no-web-application-firewall");

    const urlMapName = name();
    this.resource = new ComputeUrlMap(this, "Resource", {
      name: urlMapName,
      description: `HTTPS routes of ${context}`,
      defaultService: this.backendService.id,
      dependsOn: compute,
    });

    // Every property is ForceNew: a new domain is a new certificate, created (under a name derived from the
    // domain) before the old one is detached from the proxy and deleted.
    this.certificate = new ComputeManagedSslCertificate(this, "certificate", {
      name: name(`cert-${shortHash(r.domain, 6)}`),
      description: `Google-managed certificate for ${r.domain}`,
      type: "MANAGED",
      managed: { domains: [r.domain] },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: compute,
    });

    this.sslPolicy = new ComputeSslPolicy(this, "tls-policy", {
      name: name("tls"),
      description: "TLS 1.2 or later, AEAD cipher suites only",
      minTlsVersion: "TLS_1_2",
      profile: "RESTRICTED",
      dependsOn: compute,
    });

    this.httpsProxy = new ComputeTargetHttpsProxy(this, "https-proxy", {
      name: name("https"),
      urlMap: this.resource.id,
      sslCertificates: [this.certificate.id],
      sslPolicy: this.sslPolicy.id,
      dependsOn: compute,
    });
    this.httpsForwardingRule = new ComputeGlobalForwardingRule(this, "https-rule", {
      name: name("https"),
      loadBalancingScheme: "EXTERNAL_MANAGED",
      ipProtocol: "TCP",
      ipAddress: this.globalAddress.address,
      portRange: "443",
      target: this.httpsProxy.id,
      dependsOn: compute,
    });

    // Port 80 only answers a redirect to https: its URL map has no backend at all.
    this.redirectUrlMap = new ComputeUrlMap(this, "redirect", {
      name: name("redirect"),
      description: `Redirects http to https for ${context}`,
      defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT" },
      dependsOn: compute,
    });
    this.httpProxy = new ComputeTargetHttpProxy(this, "http-proxy", {
      name: name("http"),
      urlMap: this.redirectUrlMap.id,
      dependsOn: compute,
    });
    this.httpForwardingRule = new ComputeGlobalForwardingRule(this, "http-rule", {
      name: name("http"),
      loadBalancingScheme: "EXTERNAL_MANAGED",
      ipProtocol: "TCP",
      ipAddress: this.globalAddress.address,
      portRange: "80",
      target: this.httpProxy.id,
      dependsOn: compute,
    });

    // Request logs (Cloud Armor verdicts included) kept for the contract's retention in their own bucket.
    this.accessLogBucket = gcpLogBucket(this, "access-log-bucket", {
      context,
      parts: [{ field: "httpsEntry id", value: id }, { field: "suffix", value: "access-logs" }],
      description: "Load balancer request logs",
      retentionDays: r.accessLogRetentionDays,
      deletionProtection: r.deletionProtection,
    });
    this.accessLogSink = new LoggingProjectSink(this, "access-log-sink", {
      name: name("access-logs"),
      destination: `logging.googleapis.com/${this.accessLogBucket.id}`,
      filter: `resource.type="http_load_balancer" AND log_id("requests") AND resource.labels.url_map_name="${urlMapName}"`,
      uniqueWriterIdentity: true,
      dependsOn: platform.apis("logging"),
    });

    const record: DnsRecord = { name: r.domain, type: "A", value: this.address, purpose: "serve" };
    this.dnsRecords = [record];
    if (r.dnsZone !== undefined) {
      this.dnsRecord = new DnsRecordSet(this, "dns-record", {
        managedZone: publicZoneNamed(this, r.dnsZone),
        name: `${r.domain}.`,
        type: record.type,
        ttl: DNS_TTL,
        rrdatas: [this.address],
        dependsOn: platform.apis("dns"),
      });
    }

    // Only the load balancer reaches the tier, on the tier's port.
    tier.connections.allowFrom(this, tier.port, `Port ${tier.port} of ${tier.node.id} from ${context} (Google front ends and health checks)`);
  }
}

/**
 * The name of the Cloud DNS public zone whose DNS name is `dnsZone`, in the stack's project. At the pinned
 * provider a zone is looked up by its resource name only (`google_dns_managed_zone`), so the zones of the
 * project are listed (`google_dns_managed_zones`) and filtered by DNS name; a postcondition stops the plan
 * with a clear message when there is no such public zone (or more than one). The data source has no
 * `depends_on`: the zone already exists, so its API is on, and a deferred read would make the record's
 * ForceNew `managed_zone` unknown and replace the record on a plan where anything it depended on changed.
 */
function publicZoneNamed(scope: Construct, dnsZone: string): string {
  const dnsName = `${dnsZone}.`;
  const match = (list: string) => `[for z in ${list} : z.name if z.dns_name == "${dnsName}" && z.visibility == "public"]`;
  const zones = new DataGoogleDnsManagedZones(scope, "dns-zones", {
    lifecycle: {
      postcondition: [
        {
          condition: `\${length(${match("self.managed_zones")}) == 1}`,
          errorMessage: `Exactly one public Cloud DNS zone named '${dnsName}' must exist in the project (httpsEntry.dnsZone '${dnsZone}'). Create it, or leave dnsZone unset and create the records listed in dns_records.`,
        },
      ],
    },
  });
  return `\${one(${match(`${zones.fqn}.managed_zones`)})}`;
}
