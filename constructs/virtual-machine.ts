/**
 * VirtualMachine contract: one Linux VM in the application subnets, with its
 * own identity (a ComputeIdentity), no public address, and no inbound traffic
 * until a connection admits it (`vm.connections.allowFrom(peer, port)`).
 */
import { TerraformResource } from "cdktf";
import { Cloud, SIZES, Size, ValidationIssue, Validator, isUnresolved } from "./core";
import { COMPUTE_IDENTITY_NAME, IComputeIdentity } from "./compute-identity";
import { IConnectable } from "./connections";
import { IGrantable } from "./grants";
import { CLOUD_LIMITS, unsupported } from "./limits";
import { INetwork, checkNetworkCloud } from "./network";

export interface VirtualMachineProps {
  readonly network: INetwork;

  /**
   * Cloud-neutral size, mapped per cloud in `sizes.ts`.
   * @default "small"
   */
  readonly size?: Size;

  /**
   * Give the VM a public address. Opting in is explicit and visible in the stack.
   * @default false
   */
  readonly publicIp?: boolean;

  /**
   * Size of the encrypted root disk in GB.
   * @default 20 (raised to the image's minimum where the cloud needs more: Azure 30)
   */
  readonly rootVolumeGb?: number;

  /**
   * OpenSSH public key for the admin user, on clouds that need one (Azure).
   * AWS (SSM Session Manager) and GCP (OS Login) use identity-based access and refuse a key.
   * @default - a Terraform variable `vm_ssh_public_key` on Azure
   */
  readonly sshPublicKey?: string;

  /**
   * cloud-init user data (plain text, not secret).
   * @default - none
   */
  readonly userData?: string;
}

/** The VM as other constructs see it: connectable and grantable through its identity. */
export interface IVirtualMachine extends IConnectable, IGrantable {
  readonly cloud: Cloud;
  /** The instance (construct id `Resource`): the escape hatch to the provider resource. */
  readonly resource: TerraformResource;
  /** The identity it runs as. */
  readonly identity: IComputeIdentity;
  readonly instanceId: string;
  readonly privateIp: string;
}

export const VIRTUAL_MACHINE_DEFAULTS = {
  size: "small" as Size,
  publicIp: false,
  rootVolumeGb: 20,
};

export type ResolvedVirtualMachineProps = Omit<Required<VirtualMachineProps>, "sshPublicKey" | "userData"> &
  Pick<VirtualMachineProps, "sshPublicKey" | "userData">;

/** The root disk rule of VMs and app tiers: 10-1024 GB, and at least the cloud image's own disk size. */
export function checkRootVolumeGb(v: Validator, field: string, cloud: Cloud, gb: number): void {
  const min = CLOUD_LIMITS[cloud].virtualMachine.minRootVolumeGb;
  if (v.integer(field, gb, 10, 1024) && gb < min) {
    v.add(field, gb, `at least ${min} on ${cloud} (the image's disk size); smaller is not supported on ${cloud}`);
  }
}

/** The one validation of VM props, called by every cloud's implementation, cloud limits included. */
export function validateVirtualMachineProps(cloud: Cloud, id: string, props: VirtualMachineProps): ResolvedVirtualMachineProps {
  const limits = CLOUD_LIMITS[cloud].virtualMachine;
  const r: ResolvedVirtualMachineProps = {
    network: props.network,
    size: props.size ?? VIRTUAL_MACHINE_DEFAULTS.size,
    publicIp: props.publicIp ?? VIRTUAL_MACHINE_DEFAULTS.publicIp,
    // The default is raised to the image's minimum; an explicit smaller size is an error below.
    rootVolumeGb: props.rootVolumeGb ?? Math.max(VIRTUAL_MACHINE_DEFAULTS.rootVolumeGb, limits.minRootVolumeGb),
    sshPublicKey: props.sshPublicKey,
    userData: props.userData,
  };
  const v = new Validator(`VirtualMachine '${id}' (${cloud})`);
  checkNetworkCloud(v, "virtualMachine.network", r.network, cloud);
  v.pattern("virtualMachine (construct id)", id, COMPUTE_IDENTITY_NAME, "2-21 lowercase letters, digits and hyphens, starting with a letter (it names the VM's identity: role, service account, managed identity)");
  v.oneOf("virtualMachine.size", r.size, SIZES);
  checkRootVolumeGb(v, "virtualMachine.rootVolumeGb", cloud, r.rootVolumeGb);
  if (r.sshPublicKey !== undefined) {
    if (!limits.sshPublicKey) {
      const issue: ValidationIssue = unsupported(cloud, "virtualMachine.sshPublicKey", "(set)", "leave it unset; access is through OS Login and IAP, which need no key in metadata");
      v.add(issue.field, issue.value, issue.accepted);
    } else if (!isUnresolved(r.sshPublicKey)) {
      v.pattern("virtualMachine.sshPublicKey", r.sshPublicKey, /^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+( .*)?$/, "an OpenSSH public key (ssh-ed25519 / ssh-rsa / ecdsa-sha2-*)");
    }
  }
  v.throwIfAny();
  return r;
}
