/**
 * HttpsEntry contract: the application's public front door. It listens on
 * 443 with TLS 1.2 or better and a managed certificate for `domain`; port 80
 * only redirects to 443. It forwards to an app tier on the tier's port and
 * health-checks `healthCheckPath`; it admits itself, and only itself, on the
 * tier (`target.connections.allowFrom(entry, port)`). A web application
 * firewall with the cloud's managed OWASP rules sits in front, access logs go
 * to the cloud's log store with retention, and deletion protection is on
 * where the cloud has it.
 *
 * - AWS: an Application Load Balancer, ACM (DNS validation), WAFv2 managed rule groups, Route 53.
 * - GCP: a global external Application Load Balancer, a Google-managed certificate, Cloud Armor, Cloud DNS.
 * - Azure: Front Door Premium (managed certificate, WAF policy with the managed rule set) in front of a
 *   Standard Load Balancer, Azure DNS. See docs/azure.md for why Front Door and not Application Gateway.
 *
 * When `dnsZone` is set the records (and certificate validation records) are created in the cloud's DNS
 * service; when it is not, `dnsRecords` says exactly which records to create elsewhere.
 */
import { TerraformResource } from "cdktf";
import { Cloud, DOMAIN_NAME, Validator } from "./core";
import { IAppTier } from "./app-tier";
import { IConnectable } from "./connections";
import { INetwork, checkNetworkCloud } from "./network";

export interface HttpsEntryProps {
  readonly network: INetwork;
  /** The app tier the entry forwards to (its port and health-check path). */
  readonly target: IAppTier;
  /** The domain the entry serves, e.g. "app.example.com"; the managed certificate is issued for it. */
  readonly domain: string;
  /** The DNS name of a zone in the cloud's DNS service that holds `domain`. @default - none: create the records elsewhere (see `dnsRecords`) */
  readonly dnsZone?: string;
  /** WAF with the cloud's managed OWASP rule set. @default true */
  readonly webApplicationFirewall?: boolean;
  /** Refuse deletion of the load balancer where the cloud has a switch for it (AWS). @default true */
  readonly deletionProtection?: boolean;
  /** Days to keep access logs. @default 365 */
  readonly accessLogRetentionDays?: number;
}

/** A DNS record the domain needs. Values may be Terraform references (known after apply: see the output). */
export interface DnsRecord {
  readonly name: string;
  readonly type: "A" | "AAAA" | "CNAME" | "TXT";
  readonly value: string;
  /** What the record is for: serving the domain, or validating the certificate. */
  readonly purpose: "serve" | "certificate-validation";
}

export interface IHttpsEntry extends IConnectable {
  readonly cloud: Cloud;
  /** The load balancer / URL map / Front Door profile (construct id `Resource`). */
  readonly resource: TerraformResource;
  /** `https://<domain>`. */
  readonly url: string;
  /** Where the domain must point: the load balancer's DNS name (AWS), its global IP (GCP), the Front Door endpoint host name (Azure). */
  readonly address: string;
  /** The records the domain needs; created in the zone when `dnsZone` is set. */
  readonly dnsRecords: readonly DnsRecord[];
  /**
   * A request header the application must require to refuse traffic that did not come through this entry, where
   * the network alone cannot tell (Azure: the tier's origin is reachable from every Front Door, so the app checks
   * `X-Azure-FDID`). Undefined where the tier admits the entry only.
   */
  readonly originHeader?: { readonly name: string; readonly value: string };
}

export const HTTPS_ENTRY_DEFAULTS = { webApplicationFirewall: true, deletionProtection: true, accessLogRetentionDays: 365 };

export type ResolvedHttpsEntryProps = Omit<Required<HttpsEntryProps>, "dnsZone"> & Pick<HttpsEntryProps, "dnsZone">;

/** The one validation of entry props, called by every cloud's implementation. */
export function validateHttpsEntryProps(cloud: Cloud, id: string, props: HttpsEntryProps): ResolvedHttpsEntryProps {
  const r: ResolvedHttpsEntryProps = {
    network: props.network,
    target: props.target,
    domain: props.domain,
    dnsZone: props.dnsZone,
    webApplicationFirewall: props.webApplicationFirewall ?? HTTPS_ENTRY_DEFAULTS.webApplicationFirewall,
    deletionProtection: props.deletionProtection ?? HTTPS_ENTRY_DEFAULTS.deletionProtection,
    accessLogRetentionDays: props.accessLogRetentionDays ?? HTTPS_ENTRY_DEFAULTS.accessLogRetentionDays,
  };
  const v = new Validator(`HttpsEntry '${id}' (${cloud})`);
  checkNetworkCloud(v, "httpsEntry.network", r.network, cloud);
  v.check(r.target?.cloud === cloud, "httpsEntry.target", r.target ? `${r.target.node.path} (${r.target.cloud})` : undefined, `a ${cloud} app tier`);
  v.pattern("httpsEntry.domain", r.domain, DOMAIN_NAME, "a DNS name such as app.example.com");
  if (r.dnsZone !== undefined && v.pattern("httpsEntry.dnsZone", r.dnsZone, DOMAIN_NAME, "a DNS zone name such as example.com")) {
    v.check(r.domain === r.dnsZone || r.domain.endsWith(`.${r.dnsZone}`), "httpsEntry.dnsZone", r.dnsZone, `a zone that holds ${r.domain}`);
  }
  v.integer("httpsEntry.accessLogRetentionDays", r.accessLogRetentionDays, 30, 3650);
  v.throwIfAny();
  return r;
}
