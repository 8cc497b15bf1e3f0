/**
 * Azure HTTPS entry: Azure Front Door Premium in front of the app tier's
 * Standard public load balancer.
 *
 * Why Front Door and not Application Gateway: Front Door is the only Azure entry
 * with a free, auto-renewed managed certificate for a custom domain (Application
 * Gateway needs a certificate you bring, in Key Vault, and renew), and Premium
 * carries Microsoft's managed rule sets (Default Rule Set 2.1, Bot Manager) in its
 * WAF policy.
 *
 * - TLS: the custom domain has a Front Door managed certificate, minimum TLS 1.2.
 * - Routes: one route for the custom domain only (not the azurefd.net host name),
 *   HTTP and HTTPS accepted, HTTP answered with a redirect to HTTPS, forwarded to
 *   the origin over HTTP on the tier's port; no caching (dynamic application).
 * - Origin: the load balancer's public IP, Host header = the domain; the origin
 *   group probes the tier's health path.
 * - WAF (webApplicationFirewall): a Premium WAF policy in Prevention mode with
 *   Microsoft_DefaultRuleSet 2.1 (OWASP-based) and Microsoft_BotManagerRuleSet 1.1,
 *   attached to the custom domain by a security policy.
 * - Access, health-probe and WAF logs: a diagnostic setting on the profile to a Log
 *   Analytics workspace kept `accessLogRetentionDays`.
 * - DNS (dnsZone): the zone is looked up by name in the subscription; the
 *   `_dnsauth` TXT record validates the certificate, a CNAME (an alias A record at
 *   the apex) points the domain at the endpoint. Without a zone, `dnsRecords`
 *   lists the same records to create elsewhere.
 * - Deletion protection: a CanNotDelete lock on the profile (its children inherit it) and `prevent_destroy`
 *   on the profile (its Front Door id) and the custom domain (its validation and certificate). The
 *   endpoint's host name survives a re-creation under the same name (Azure's default TenantReuse scope).
 * - Network path: the tier admits its port from the `AzureFrontDoor.Backend`
 *   service tag only. That tag covers every Front Door of every customer, so the
 *   application must also check the `X-Azure-FDID` header against `frontDoorId`
 *   (this profile's id): see docs/azure.md.
 */
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { CdnFrontdoorCustomDomain } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-custom-domain";
import { CdnFrontdoorEndpoint } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-endpoint";
import { CdnFrontdoorFirewallPolicy } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-firewall-policy";
import { CdnFrontdoorOrigin } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-origin";
import { CdnFrontdoorOriginGroup } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-origin-group";
import { CdnFrontdoorProfile } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-profile";
import { CdnFrontdoorRoute } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-route";
import { CdnFrontdoorSecurityPolicy } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-security-policy";
import { DataAzurermDnsZone } from "@cdktf/provider-azurerm/lib/data-azurerm-dns-zone";
import { DnsARecord } from "@cdktf/provider-azurerm/lib/dns-a-record";
import { DnsCnameRecord } from "@cdktf/provider-azurerm/lib/dns-cname-record";
import { DnsTxtRecord } from "@cdktf/provider-azurerm/lib/dns-txt-record";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { Validator, shortHash } from "../core";
import { DnsRecord, HttpsEntryProps, IHttpsEntry, validateHttpsEntryProps } from "../https-entry";
import { recordDecision } from "../stack";
import { AzureAppTier } from "./app-tier";
import { AzureConnections } from "./connections";
import { AzureLogWorkspace } from "./log-workspace";
import { AzureNetwork } from "./network";
import { AzurePlatform } from "./platform";

/** Premium: managed WAF rule sets (Standard takes custom rules only) and Private Link origins. */
export const FRONT_DOOR_SKU = "Premium_AzureFrontDoor";
/** The service tag of Front Door's back end: where its requests to an origin come from. */
export const FRONT_DOOR_SERVICE_TAG = "AzureFrontDoor.Backend";
/** The header Front Door adds to every request to an origin: the id of the profile that sent it. */
export const FRONT_DOOR_ID_HEADER = "X-Azure-FDID";
/** The managed rule sets of the WAF policy (type, version, action when matched). */
export const FRONT_DOOR_MANAGED_RULES = [
  { type: "Microsoft_DefaultRuleSet", version: "2.1", action: "Block" },
  { type: "Microsoft_BotManagerRuleSet", version: "1.1", action: "Block" },
] as const;
/** What the profile's diagnostic setting sends to the workspace. */
export const FRONT_DOOR_LOG_CATEGORIES = ["FrontDoorAccessLog", "FrontDoorHealthProbeLog", "FrontDoorWebApplicationFirewallLog"] as const;
/** Front Door probes the origin from every edge location: once a minute each is plenty. */
export const ORIGIN_PROBE_INTERVAL_SECONDS = 60;
/** TTLs of the records in Azure DNS. */
export const DNS_TTL = { serve: 300, validation: 3600 } as const;
/** Endpoint names: 2-46 letters, digits and hyphens (Front Door appends a hash to make the host name). */
export const FRONT_DOOR_ENDPOINT_MAX_LENGTH = 46;

export class AzureHttpsEntry extends Construct implements IHttpsEntry {
  public readonly cloud = "azure" as const;
  /** The Front Door profile. */
  public readonly resource: CdnFrontdoorProfile;
  public readonly url: string;
  /** The endpoint's host name (`<name>-<hash>.z01.azurefd.net`): where the domain's CNAME points. */
  public readonly address: string;
  public readonly dnsRecords: readonly DnsRecord[];
  /** A source only: Front Door's requests come from the `AzureFrontDoor.Backend` service tag. */
  public readonly connections: AzureConnections;
  /** The profile's Front Door id: the value of the `X-Azure-FDID` header the application must require. */
  public readonly frontDoorId: string;
  /** The header the origin must check and the value it must have (only this profile's requests carry it). */
  public readonly originHeader: { readonly name: string; readonly value: string };
  public readonly endpoint: CdnFrontdoorEndpoint;
  public readonly originGroup: CdnFrontdoorOriginGroup;
  public readonly origin: CdnFrontdoorOrigin;
  public readonly customDomain: CdnFrontdoorCustomDomain;
  public readonly route: CdnFrontdoorRoute;
  public readonly firewallPolicy?: CdnFrontdoorFirewallPolicy;
  public readonly securityPolicy?: CdnFrontdoorSecurityPolicy;
  public readonly logs: AzureLogWorkspace;

  constructor(scope: Construct, id: string, props: HttpsEntryProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const r = validateHttpsEntryProps("azure", id, props);
    AzureNetwork.of(r.network);
    const tier = AzureAppTier.of(r.target);
    const apex = r.dnsZone !== undefined && r.domain === r.dnsZone;
    const v = new Validator(`HttpsEntry '${id}' (azure)`);
    v.check(
      r.dnsZone !== undefined || r.domain.split(".").length > 2,
      "httpsEntry.domain",
      r.domain,
      "a subdomain such as app.example.com, or an apex domain together with dnsZone: Front Door has no fixed address, so an apex needs an alias record, which only Azure DNS can create here; an apex without dnsZone is not supported on azure",
    );
    v.throwIfAny();

    const rg = platform.resourceGroup;
    const tags = platform.tags;
    const profileName = platform.name(`${id}-fd`);

    this.resource = new CdnFrontdoorProfile(this, "Resource", {
      name: profileName,
      resourceGroupName: rg.name,
      skuName: FRONT_DOOR_SKU,
      tags,
    });
    this.frontDoorId = this.resource.resourceGuid;
    this.originHeader = { name: FRONT_DOOR_ID_HEADER, value: this.frontDoorId };

    this.endpoint = new CdnFrontdoorEndpoint(this, "endpoint", {
      name: endpointName(platform.stack.namePrefix, id, platform.stack.config.project, platform.stack.environment),
      cdnFrontdoorProfileId: this.resource.id,
      enabled: true,
      tags,
    });
    this.originGroup = new CdnFrontdoorOriginGroup(this, "origin-group", {
      name: `${tier.node.id}-origins`,
      cdnFrontdoorProfileId: this.resource.id,
      // Stateless instances behind one load balancer: no stickiness at the edge.
      sessionAffinityEnabled: false,
      loadBalancing: { sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 50 },
      healthProbe: { protocol: "Http", path: tier.healthCheckPath, requestType: "GET", intervalInSeconds: ORIGIN_PROBE_INTERVAL_SECONDS },
    });
    this.origin = new CdnFrontdoorOrigin(this, "origin", {
      name: tier.node.id,
      cdnFrontdoorOriginGroupId: this.originGroup.id,
      hostName: tier.loadBalancer.publicIp.ipAddress,
      httpPort: tier.port,
      // The application sees its own domain in Host, not the load balancer's address.
      originHostHeader: r.domain,
      // Explicit: when `enabled` is left out the provider creates the origin disabled (docs/azure-serve-review.md).
      enabled: true,
      // Only used for HTTPS to the origin; true keeps Private Link possible.
      certificateNameCheckEnabled: true,
      priority: 1,
      weight: 1000,
    });

    const zone = r.dnsZone === undefined ? undefined : new DataAzurermDnsZone(this, "dns-zone", { name: r.dnsZone });
    this.customDomain = new CdnFrontdoorCustomDomain(this, "domain", {
      name: r.domain.replace(/\./g, "-"),
      cdnFrontdoorProfileId: this.resource.id,
      hostName: r.domain,
      dnsZoneId: zone?.id,
      tls: { certificateType: "ManagedCertificate", minimumTlsVersion: "TLS12" },
    });
    this.route = new CdnFrontdoorRoute(this, "route", {
      name: "https",
      cdnFrontdoorEndpointId: this.endpoint.id,
      cdnFrontdoorOriginGroupId: this.originGroup.id,
      cdnFrontdoorOriginIds: [this.origin.id],
      cdnFrontdoorCustomDomainIds: [this.customDomain.id],
      // Only the custom domain serves (with its WAF); the azurefd.net host name answers nothing.
      linkToDefaultDomain: false,
      supportedProtocols: ["Http", "Https"],
      httpsRedirectEnabled: true,
      forwardingProtocol: "HttpOnly",
      patternsToMatch: ["/*"],
      enabled: true,
    });

    if (r.webApplicationFirewall) {
      this.firewallPolicy = new CdnFrontdoorFirewallPolicy(this, "waf", {
        name: `${platform.stack.namePrefix}${id}waf`.replace(/[^A-Za-z0-9]/g, ""),
        resourceGroupName: rg.name,
        skuName: FRONT_DOOR_SKU,
        enabled: true,
        mode: "Prevention",
        requestBodyCheckEnabled: true,
        customBlockResponseStatusCode: 403,
        managedRule: FRONT_DOOR_MANAGED_RULES.map((m) => ({ ...m })),
        tags,
      });
      this.securityPolicy = new CdnFrontdoorSecurityPolicy(this, "waf-association", {
        name: `${id}-waf`,
        cdnFrontdoorProfileId: this.resource.id,
        securityPolicies: {
          firewall: {
            cdnFrontdoorFirewallPolicyId: this.firewallPolicy.id,
            association: {
              // The domain that serves (the endpoint's own host name is linked to no route).
              domain: [{ cdnFrontdoorDomainId: this.customDomain.id }],
              patternsToMatch: ["/*"],
            },
          },
        },
      });
    } else recordDecision(this.resource, "no-web-application-firewall");

    this.logs = new AzureLogWorkspace(this, "logs", {
      name: platform.name(`${id}-logs`),
      retentionDays: r.accessLogRetentionDays,
      deletionProtection: r.deletionProtection,
      owner: { what: `HttpsEntry '${id}' (azure)`, field: "httpsEntry.accessLogRetentionDays" },
    });
    const accessLogs = this.logs.collect(this, "access-logs", { name: "front-door-logs", resourceId: this.resource.id, categories: FRONT_DOOR_LOG_CATEGORIES });

    // DNS: the records the domain needs, created in the zone when there is one.
    const validationName = `_dnsauth.${r.domain}`;
    this.dnsRecords = [
      apex
        ? { name: r.domain, type: "A", value: this.endpoint.id, purpose: "serve" }
        : { name: r.domain, type: "CNAME", value: this.endpoint.hostName, purpose: "serve" },
      { name: validationName, type: "TXT", value: this.customDomain.validationToken, purpose: "certificate-validation" },
    ];
    if (zone !== undefined) {
      // A name below the zone, relative to it (the domain is the zone or inside it: validateHttpsEntryProps).
      const relative = (name: string) => name.slice(0, -(r.dnsZone!.length + 1));
      new DnsTxtRecord(this, "dns-validation", {
        name: relative(validationName),
        zoneName: zone.name,
        resourceGroupName: zone.resourceGroupName,
        ttl: DNS_TTL.validation,
        record: [{ value: this.customDomain.validationToken }],
        tags,
        // Written once: Front Door renews its certificate through the CNAME, and a token that changes or is
        // cleared after approval must not fail the next plan (docs/azure-serve-review.md).
        lifecycle: { ignoreChanges: ["record"] },
      });
      // Front Door must know the domain's route and WAF before the name points at it (provider docs).
      const after: ITerraformDependable[] = [this.route, ...(this.securityPolicy ? [this.securityPolicy] : [])];
      if (apex) {
        new DnsARecord(this, "dns-record", { name: "@", zoneName: zone.name, resourceGroupName: zone.resourceGroupName, ttl: DNS_TTL.serve, targetResourceId: this.endpoint.id, tags, dependsOn: after });
      } else {
        new DnsCnameRecord(this, "dns-record", { name: relative(r.domain), zoneName: zone.name, resourceGroupName: zone.resourceGroupName, ttl: DNS_TTL.serve, record: this.endpoint.hostName, tags, dependsOn: after });
      }
    }

    if (r.deletionProtection) {
      // Terraform refuses, at plan, to destroy or replace what cannot come back as it was: the profile (its
      // Front Door id is the X-Azure-FDID value the application checks) and the custom domain (a new one has a
      // new validation token: the certificate waits until the _dnsauth record is rewritten).
      for (const kept of [this.resource, this.customDomain]) kept.addOverride("lifecycle.prevent_destroy", true);
      // A lock on the profile also protects its children: it goes first on destroy, so it depends on them.
      new ManagementLock(this, "delete-lock", {
        name: `${profileName}-cannot-delete`,
        scope: this.resource.id,
        lockLevel: "CanNotDelete",
        notes: "Deletion protection of the public entry (remove the lock deliberately before deleting)",
        dependsOn: [this.endpoint, this.originGroup, this.origin, this.customDomain, this.route, accessLogs, ...(this.securityPolicy ? [this.securityPolicy] : [])],
      });
    } else for (const disposable of [this.resource, this.customDomain]) recordDecision(disposable, "no-deletion-protection");

    this.url = `https://${r.domain}`;
    this.address = this.endpoint.hostName;
    this.connections = new AzureConnections(this, { serviceTags: [FRONT_DOOR_SERVICE_TAG] });
    // The tier admits its port from Front Door and nothing else public.
    tier.connections.allowFrom(this, tier.port, `Application traffic to '${tier.node.id}' from Front Door '${id}' (${FRONT_DOOR_SERVICE_TAG}; the app checks ${FRONT_DOOR_ID_HEADER})`);
  }
}

/** `<name prefix>-<id>`, shortened with a stable hash to fit Front Door's 46 characters. */
function endpointName(namePrefix: string, id: string, project: string, environment: string): string {
  const full = `${namePrefix}-${id}`;
  if (full.length <= FRONT_DOOR_ENDPOINT_MAX_LENGTH) return full;
  const hash = shortHash(`${project}/${environment}/${full}`, 6);
  return `${full.slice(0, FRONT_DOOR_ENDPOINT_MAX_LENGTH - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}
