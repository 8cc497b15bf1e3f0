/**
 * Connections: who may open a TCP connection to whom. Anything with a network
 * identity (a VM, an app tier, a load balancer, a database, a compute identity
 * of your own) is `IConnectable`; `target.connections.allowFrom(peer, port)`
 * writes every rule the cloud needs, on both sides where the cloud has two
 * (an AWS ingress rule on the target's security group and an egress rule on
 * the peer's; a GCP firewall rule targeted at service accounts; an Azure NSG
 * rule between application security groups).
 *
 * The contract never names a compute class: each cloud implements
 * `Connections` once (constructs/<cloud>/connections.ts) for every kind of
 * endpoint, and a peer from another cloud fails with a clear message.
 *
 * Model: aws-cdk-lib `aws-ec2/lib/connections.ts` (`IConnectable`, `Connections`, `Peer`).
 */
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { Cloud, ValidationError, isUnresolved, parseCidr } from "./core";

/** Ports that must never be open to the whole internet. */
export const SENSITIVE_PORTS: Readonly<Record<number, string>> = { 22: "SSH", 3389: "RDP", 5432: "PostgreSQL", 3306: "MySQL" };

/** A source of traffic that is an address range, not a construct: the internet, an office, a partner. */
export class CidrPeer {
  /** @param cidr an IPv4 CIDR block; `0.0.0.0/0` is the whole internet. */
  constructor(
    public readonly cidr: string,
    public readonly label: string,
  ) {}

  /** True for `0.0.0.0/0`. Clouds with a name for it use it (Azure's `Internet` service tag). */
  public get isInternet(): boolean {
    return this.cidr === "0.0.0.0/0";
  }
}

/** Factories for CIDR peers, so stack code says what it means. */
export const Peer = {
  /** Every IPv4 address: for public entry points only (refused for sensitive ports). */
  anyIpv4: (): CidrPeer => new CidrPeer("0.0.0.0/0", "the internet"),
  /** One IPv4 range (an office, a VPN, a partner). */
  ipv4: (cidr: string, label = cidr): CidrPeer => new CidrPeer(cidr, label),
};

/** Anything that has a network identity. */
export interface IConnectable extends IConstruct {
  readonly connections: Connections;
}

/** A peer is another connectable, or an address range. */
export type IPeer = IConnectable | CidrPeer;

export function isConnectable(x: unknown): x is IConnectable {
  return typeof x === "object" && x !== null && (x as Partial<IConnectable>).connections instanceof Connections;
}

/**
 * The network identity of one endpoint and the rules that admit traffic to it.
 * Each cloud subclasses it once; every connectable of that cloud uses the subclass.
 */
export abstract class Connections {
  public abstract readonly cloud: Cloud;
  private readonly admitted = new Set<string>();

  /** @param owner the construct these connections belong to; rules about it are created inside it. */
  constructor(public readonly owner: IConstruct) {}

  /**
   * Admits TCP `port` on this endpoint from `peer`, and nothing else. Writes the
   * rule on this side and, where the cloud filters outbound traffic too, the
   * matching rule on the peer's side. Calling it twice for the same peer and port
   * does nothing the second time.
   */
  public allowFrom(peer: IPeer, port: number, description?: string): void {
    // A peer and the construct that owns its connections (a VM and its identity) are one peer.
    const key = `${peer instanceof CidrPeer ? `cidr:${peer.cidr}` : `node:${peer.connections.owner.node.path}`}:${port}`;
    if (this.admitted.has(key)) return;
    checkPort(this.owner, peer, port);
    const why = description ?? `port ${port} to ${displayName(this.owner)} from ${peer instanceof CidrPeer ? peer.label : displayName(peer.connections.owner)}`;
    if (peer instanceof CidrPeer) {
      this.admitCidr(peer, port, why);
    } else {
      if (peer.connections.cloud !== this.cloud) {
        throw new ValidationError(`Connections of '${this.owner.node.path}'`, [
          {
            field: "allowFrom(peer)",
            value: `${peer.node.path} (${peer.connections.cloud})`,
            accepted: `a peer on ${this.cloud}: resources of different clouds cannot be connected`,
          },
        ]);
      }
      this.admit(peer.connections as this, port, why);
    }
    this.admitted.add(key);
  }

  /** Lets this endpoint open TCP `port` on `peer`: the same rules as `peer.connections.allowFrom(this)`. */
  public allowTo(peer: IConnectable, port: number, description?: string): void {
    peer.connections.allowFrom(this.owner as IConnectable, port, description);
  }

  /** Writes the rules that admit `from` (same cloud, checked) on `port`. */
  protected abstract admit(from: this, port: number, description: string): void;

  /** Writes the rules that admit an address range on `port`. */
  protected abstract admitCidr(from: CidrPeer, port: number, description: string): void;

  /** A construct id for a rule about `peer`, unique within `scope` and stable for the same peer. */
  protected ruleId(scope: IConstruct, prefix: string, peer: IConstruct | CidrPeer, port: number): string {
    const base = peer instanceof CidrPeer ? `${prefix}-${peer.cidr.replace(/[./]/g, "-")}-${port}` : `${prefix}-${displayName(peer)}`;
    if (!scope.node.tryFindChild(base)) return base;
    return `${base}-${port}`;
  }
}

/**
 * Where a relationship between `owner` (what is accessed) and `counterpart`
 * (who accesses it) lives: with the owner when both are in one stack; in the
 * counterpart's stack when they are not, so the dependency runs one way (the
 * stack that asks for access depends on the stack that has the resource, never
 * the other way round, which would be a cycle).
 */
export function relationshipScope(owner: IConstruct, counterpart: IConstruct): { scope: IConstruct; crossStack: boolean } {
  const crossStack = TerraformStack.of(owner) !== TerraformStack.of(counterpart);
  return { scope: crossStack ? counterpart : owner, crossStack };
}

/** A construct's path below its stack, `/` replaced by `-`: `app-identity` (unique in the stack, readable in rule names). */
export function displayName(c: IConstruct): string {
  const scopes = c.node.scopes;
  const stackIndex = scopes.findIndex((s) => TerraformStack.isStack(s));
  const below = stackIndex >= 0 ? scopes.slice(stackIndex + 1) : scopes.slice(1);
  return below.map((s) => s.node.id).join("-").toLowerCase();
}

/** The shared rule: no sensitive port from the whole internet; a CIDR peer must be a valid IPv4 range. */
function checkPort(owner: IConstruct, peer: IPeer, port: number): void {
  const issues = [];
  if (!Number.isInteger(port) || port < 1 || port > 65535) issues.push({ field: "allowFrom(port)", value: port, accepted: "a whole number from 1 to 65535" });
  if (peer instanceof CidrPeer && !isUnresolved(peer.cidr)) {
    const parsed = parseCidr(peer.cidr);
    if (!parsed) issues.push({ field: "allowFrom(peer)", value: peer.cidr, accepted: "an IPv4 CIDR block, e.g. 10.0.0.0/16" });
    else if (parsed.prefix === 0 && SENSITIVE_PORTS[port]) {
      issues.push({ field: "allowFrom(peer)", value: peer.cidr, accepted: `a narrower range than the whole internet for ${SENSITIVE_PORTS[port]} (port ${port})` });
    }
  }
  if (issues.length > 0) throw new ValidationError(`Connections of '${owner.node.path}'`, issues);
}
