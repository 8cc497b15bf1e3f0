/**
 * GCP connections. Firewall rules live in the VPC network and select
 * instances by service account, so an endpoint is described by:
 * - `serviceAccounts`: compute that runs as them (VMs, instance groups) can be
 *   a target (INGRESS allow) and a source (`source_service_accounts`);
 * - `sourceRanges`: where traffic from a managed service comes from (the
 *   external Application Load Balancer's Google front ends and health checkers);
 * - `destinationRanges`: where a managed service lives outside our subnets
 *   (Cloud SQL in the private services range): admitting a peer there is an
 *   EGRESS allow from the peer's service accounts, above the database's deny.
 */
import { ComputeFirewall } from "@cdktf/provider-google/lib/compute-firewall";
import { IConstruct } from "constructs";
import { CidrPeer, Connections, displayName, relationshipScope } from "../connections";
import { ValidationError, cidrsOverlap, isUnresolved, parseCidr } from "../core";
import { GcpPlatform } from "./platform";

/** Source range of Identity-Aware Proxy TCP forwarding: the only range allowed to reach SSH/RDP. */
export const IAP_TCP_FORWARDING_RANGE = "35.235.240.0/20";
/** Ports that may only be opened to IAP on GCP. */
const ADMIN_PORTS = [22, 3389];

export interface GcpEndpoint {
  /** The VPC network (id) the rules go into. */
  readonly network: string;
  readonly serviceAccounts?: readonly string[];
  readonly sourceRanges?: readonly string[];
  readonly destinationRanges?: readonly string[];
}

export class GcpConnections extends Connections {
  public readonly cloud = "gcp" as const;

  constructor(
    owner: IConstruct,
    public readonly endpoint: GcpEndpoint,
  ) {
    super(owner);
  }

  protected admit(from: GcpConnections, port: number, description: string): void {
    const e = this.endpoint;
    const f = from.endpoint;
    // Across stacks the rule lives in the peer's stack (constructs/connections.ts relationshipScope).
    const { scope, crossStack } = relationshipScope(this.owner, from.owner);
    const prefix = crossStack ? `ingress-at-${displayName(this.owner)}` : "from";
    if (!e.serviceAccounts && !e.destinationRanges) {
      this.refuse(from.owner.node.path, "nothing: this endpoint is only a source of traffic (a Google-managed load balancer takes the internet by itself; no rule can target it)");
    }
    if (!f.serviceAccounts && !(f.sourceRanges && f.sourceRanges.length > 0)) {
      this.refuse(from.owner.node.path, "a peer that runs as a service account or has known source ranges (a managed database is never a source)");
    }
    if (e.serviceAccounts) {
      if (!f.serviceAccounts) this.checkAdminPort(port, f.sourceRanges!);
      this.firewall(scope, prefix, from.owner, port, description, {
        direction: "INGRESS",
        targetServiceAccounts: [...e.serviceAccounts],
        ...(f.serviceAccounts ? { sourceServiceAccounts: [...f.serviceAccounts] } : { sourceRanges: [...(f.sourceRanges ?? [])] }),
      });
    }
    if (e.destinationRanges) {
      if (!f.serviceAccounts) this.refuse(from.owner.node.path, "a peer that runs as a service account (egress rules select sources by service account)");
      this.firewall(scope, prefix, from.owner, port, description, {
        direction: "EGRESS",
        targetServiceAccounts: [...f.serviceAccounts!],
        destinationRanges: [...e.destinationRanges],
      });
    }
  }

  protected admitCidr(from: CidrPeer, port: number, description: string): void {
    if (!this.endpoint.serviceAccounts) this.refuse(from.cidr, "a connectable peer: this endpoint is outside the VPC's subnets, so only egress rules from service accounts reach it");
    this.checkAdminPort(port, [from.cidr]);
    this.firewall(this.owner, "from", from, port, description, {
      direction: "INGRESS",
      targetServiceAccounts: [...this.endpoint.serviceAccounts!],
      sourceRanges: [from.cidr],
    });
  }

  /** SSH and RDP only from the IAP TCP forwarding range, whatever the ranges come from. */
  private checkAdminPort(port: number, ranges: readonly string[]): void {
    if (!ADMIN_PORTS.includes(port)) return;
    for (const cidr of ranges) {
      if (isUnresolved(cidr)) continue;
      const parsed = parseCidr(cidr);
      if (!parsed || parsed.prefix < 20 || !cidrsOverlap(cidr, IAP_TCP_FORWARDING_RANGE)) {
        this.refuse(cidr, `on gcp, port ${port} only from the IAP TCP forwarding range ${IAP_TCP_FORWARDING_RANGE}`);
      }
    }
  }

  private refuse(value: string, accepted: string): never {
    throw new ValidationError(`Connections of '${this.owner.node.path}' (gcp)`, [{ field: "allowFrom(peer)", value, accepted }]);
  }

  private firewall(
    scope: IConstruct,
    prefix: string,
    peer: IConstruct | CidrPeer,
    port: number,
    description: string,
    rule: { direction: "INGRESS" | "EGRESS"; targetServiceAccounts: string[]; sourceServiceAccounts?: string[]; sourceRanges?: string[]; destinationRanges?: string[] },
  ): void {
    const platform = GcpPlatform.of(scope);
    const id = this.ruleId(scope, prefix, peer, port);
    const peerName = peer instanceof CidrPeer ? peer.cidr.replace(/[./]/g, "-") : displayName(peer);
    new ComputeFirewall(scope, id, {
      name: platform.name(
        `Connections of '${scope.node.path}'`,
        "resource",
        { field: "construct id", value: displayName(this.owner) },
        { field: "peer id", value: peerName },
        { field: "suffix", value: `allow-${port}` },
      ),
      network: this.endpoint.network,
      description,
      direction: rule.direction,
      priority: 1000,
      allow: [{ protocol: "tcp", ports: [String(port)] }],
      targetServiceAccounts: rule.targetServiceAccounts,
      sourceServiceAccounts: rule.sourceServiceAccounts,
      sourceRanges: rule.sourceRanges,
      destinationRanges: rule.destinationRanges,
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
    });
  }
}
