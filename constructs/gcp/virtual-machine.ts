/**
 * GCP virtual machine: a Shielded VM running as its own compute identity
 * (a dedicated service account that firewall rules target), OS Login instead
 * of SSH keys, no external address unless asked for.
 */
import { Construct } from "constructs";
import { ComputeInstance } from "@cdktf/provider-google/lib/compute-instance";
import { GcpPrincipal } from "../grants";
import { skuFor } from "../sizes";
import { IVirtualMachine, VirtualMachineProps, validateVirtualMachineProps } from "../virtual-machine";
import { GcpComputeIdentity } from "./compute-identity";
import { GcpConnections } from "./connections";
import { GcpNetwork } from "./network";
import { GcpPlatform } from "./platform";

/**
 * Image family (never a pinned image): Ubuntu LTS, because it ships cloud-init,
 * which the contract's `userData` needs, plus Google's guest agent for OS Login.
 */
export const GCP_VM_IMAGE = "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64";

/**
 * Access scopes: `cloud-platform` with IAM doing the restriction, as Google
 * recommends; the service account holds only the roles granted to it.
 */
export const GCP_VM_SCOPES = ["cloud-platform"];

/** Shielded VM on every instance: Secure Boot, vTPM and integrity monitoring. */
export const GCP_VM_SHIELDED = { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true } as const;

/** Metadata on every VM: OS Login, no project-wide SSH keys, no serial port. */
export const GCP_VM_METADATA: Readonly<Record<string, string>> = {
  "enable-oslogin": "TRUE",
  "block-project-ssh-keys": "TRUE",
  "serial-port-enable": "FALSE",
};

export class GcpVirtualMachine extends Construct implements IVirtualMachine {
  public readonly cloud = "gcp" as const;
  /** The instance. */
  public readonly resource: ComputeInstance;
  public readonly identity: GcpComputeIdentity;
  public readonly connections: GcpConnections;
  public readonly grantPrincipal: GcpPrincipal;
  public readonly instanceId: string;
  public readonly privateIp: string;

  constructor(scope: Construct, id: string, props: VirtualMachineProps) {
    super(scope, id);
    const platform = GcpPlatform.of(this);
    const r = validateVirtualMachineProps("gcp", id, props);
    const network = GcpNetwork.of(r.network);
    const context = `VirtualMachine '${id}'`;

    this.identity = new GcpComputeIdentity(this, "identity", { network, name: id, description: `Identity of the ${id} VM` });
    this.connections = this.identity.connections;
    this.grantPrincipal = this.identity.grantPrincipal;

    const metadata: Record<string, string> = { ...GCP_VM_METADATA };
    if (r.userData !== undefined) metadata["user-data"] = r.userData;

    this.resource = new ComputeInstance(this, "Resource", {
      name: platform.name(context, "resource", { field: "virtualMachine id", value: id }),
      machineType: skuFor("gcp", r.size, "virtualMachine.size").vm,
      zone: platform.primaryZone,
      bootDisk: {
        autoDelete: true,
        // Encrypted at rest with Google-managed keys (the GCP default).
        initializeParams: { image: GCP_VM_IMAGE, size: r.rootVolumeGb, type: "pd-balanced" },
      },
      networkInterface: [
        {
          subnetwork: network.applicationSubnetwork.id,
          accessConfig: r.publicIp ? [{ networkTier: "PREMIUM" }] : undefined,
        },
      ],
      serviceAccount: { email: this.grantPrincipal.email, scopes: GCP_VM_SCOPES },
      shieldedInstanceConfig: GCP_VM_SHIELDED,
      metadata,
      allowStoppingForUpdate: true,
      dependsOn: platform.apis("compute"),
    });
    this.instanceId = this.resource.instanceId;
    this.privateIp = this.resource.networkInterface.get(0).networkIp;
  }
}
