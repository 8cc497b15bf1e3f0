/**
 * VirtualMachine contract: one Linux VM in the application subnets, with its
 * own identity, no public address and only the inbound ports the stack asks for.
 */
import { Cloud, SIZES, Size, Validator, isUnresolved, parseCidr } from "./core";
import { INetwork } from "./network";

export interface IngressRule {
  /** TCP port to open. */
  readonly port: number;
  /** Source ranges (IPv4 CIDR). `0.0.0.0/0` is refused for SSH (22) and database ports. */
  readonly sources: readonly string[];
  /** Why the port is open; every cloud puts it on the rule. */
  readonly description: string;
}

export interface VirtualMachineProps {
  readonly network: INetwork;

  /**
   * Cloud-neutral size, mapped per cloud in `sizes.ts`.
   * @default "small"
   */
  readonly size?: Size;

  /**
   * Inbound rules. Nothing else is reachable.
   * @default [] - no inbound traffic
   */
  readonly ingress?: readonly IngressRule[];

  /**
   * Give the VM a public address. Opting in is explicit and visible in the stack.
   * @default false
   */
  readonly publicIp?: boolean;

  /**
   * Size of the encrypted root disk in GB.
   * @default 20
   */
  readonly rootVolumeGb?: number;

  /**
   * OpenSSH public key for the admin user, on clouds that require one (Azure).
   * AWS and GCP use their own identity-based access (SSM, OS Login) instead.
   * @default - a Terraform variable `vm_ssh_public_key` where a key is needed
   */
  readonly sshPublicKey?: string;

  /**
   * cloud-init user data (plain text, not secret).
   * @default - none
   */
  readonly userData?: string;
}

/** The VM as other constructs see it (bucket grants, database access). */
export interface IVirtualMachine {
  readonly cloud: Cloud;
  /** Short name of the VM (the construct id); used to name derived resources. */
  readonly name: string;
  readonly instanceId: string;
  readonly privateIp: string;
}

export const VIRTUAL_MACHINE_DEFAULTS = {
  size: "small" as Size,
  publicIp: false,
  rootVolumeGb: 20,
};

/** Ports that must never be open to the whole internet. */
export const SENSITIVE_PORTS: Record<number, string> = { 22: "SSH", 3389: "RDP", 5432: "PostgreSQL", 3306: "MySQL" };

export type ResolvedVirtualMachineProps = Omit<Required<VirtualMachineProps>, "sshPublicKey" | "userData"> &
  Pick<VirtualMachineProps, "sshPublicKey" | "userData">;

/** The one validation of VM props, called by every cloud's implementation. */
export function validateVirtualMachineProps(id: string, props: VirtualMachineProps): ResolvedVirtualMachineProps {
  const r: ResolvedVirtualMachineProps = {
    network: props.network,
    size: props.size ?? VIRTUAL_MACHINE_DEFAULTS.size,
    ingress: props.ingress ?? [],
    publicIp: props.publicIp ?? VIRTUAL_MACHINE_DEFAULTS.publicIp,
    rootVolumeGb: props.rootVolumeGb ?? VIRTUAL_MACHINE_DEFAULTS.rootVolumeGb,
    sshPublicKey: props.sshPublicKey,
    userData: props.userData,
  };
  const v = new Validator(`VirtualMachine '${id}'`);
  v.oneOf("virtualMachine.size", r.size, SIZES);
  v.integer("virtualMachine.rootVolumeGb", r.rootVolumeGb, 10, 1024);
  r.ingress.forEach((rule, i) => {
    const f = `virtualMachine.ingress[${i}]`;
    v.integer(`${f}.port`, rule.port, 1, 65535);
    v.check(typeof rule.description === "string" && rule.description.trim().length >= 3, `${f}.description`, rule.description, "a description of why the port is open (3+ characters)");
    v.check(Array.isArray(rule.sources) && rule.sources.length > 0, `${f}.sources`, rule.sources, "at least one source CIDR");
    (rule.sources ?? []).forEach((src, j) => {
      if (isUnresolved(src)) return;
      const parsed = parseCidr(src);
      if (!v.check(parsed !== undefined, `${f}.sources[${j}]`, src, "an IPv4 CIDR block, e.g. 10.0.0.0/16")) return;
      if (parsed!.prefix === 0 && SENSITIVE_PORTS[rule.port]) {
        v.add(`${f}.sources[${j}]`, src, `a narrower range than the whole internet for ${SENSITIVE_PORTS[rule.port]} (port ${rule.port})`);
      }
    });
  });
  if (r.sshPublicKey !== undefined && !isUnresolved(r.sshPublicKey)) {
    v.pattern("virtualMachine.sshPublicKey", r.sshPublicKey, /^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+( .*)?$/, "an OpenSSH public key (ssh-ed25519 / ssh-rsa / ecdsa-sha2-*)");
  }
  v.throwIfAny();
  return r;
}
