/**
 * GCP virtual machine: a Shielded VM with its own service account, OS Login
 * instead of SSH keys, no external address unless asked for, and one
 * firewall rule per contract ingress rule targeted at its service account.
 */
import { Construct } from "constructs";
import { ComputeFirewall } from "@cdktf/provider-google/lib/compute-firewall";
import { ComputeInstance } from "@cdktf/provider-google/lib/compute-instance";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { Cloud, Validator, cidrsOverlap, isUnresolved, parseCidr } from "../core";
import { requireSameCloud } from "../platform";
import { skuFor } from "../sizes";
import { IVirtualMachine, VirtualMachineProps, validateVirtualMachineProps } from "../virtual-machine";
import { GcpNetwork } from "./network";
import { GcpPlatform } from "./platform";

/** Source range of Identity-Aware Proxy TCP forwarding: the only range allowed to reach SSH/RDP. */
export const IAP_TCP_FORWARDING_RANGE = "35.235.240.0/20";
/** Ports that may only be opened to IAP on GCP. */
const ADMIN_PORTS = [22, 3389];

/**
 * Image family (never a pinned image): Ubuntu LTS, because it ships cloud-init,
 * which the contract's `userData` needs, plus Google's guest agent for OS Login.
 */
export const GCP_VM_IMAGE = "projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64";

/**
 * Access scopes: `cloud-platform` with IAM doing the restriction, as Google
 * recommends; the service account holds only the roles granted to it below
 * and by grants (bucket, database).
 */
export const GCP_VM_SCOPES = ["cloud-platform"];

/** Project roles every VM needs to ship its own logs and metrics (Ops Agent); nothing broader. */
export const GCP_VM_BASE_ROLES = ["roles/logging.logWriter", "roles/monitoring.metricWriter"];

export class GcpVirtualMachine extends Construct implements IVirtualMachine {
  public readonly cloud: Cloud = "gcp";
  public readonly name: string;
  public readonly instanceId: string;
  public readonly privateIp: string;
  public readonly resource: ComputeInstance;
  public readonly serviceAccount: ServiceAccount;
  /** E-mail of the VM's dedicated service account (firewall targets and IAM members use it). */
  public readonly serviceAccountEmail: string;
  /** `serviceAccount:<email>`, for IAM bindings. */
  public readonly serviceAccountMember: string;

  constructor(scope: Construct, id: string, platform: GcpPlatform, props: VirtualMachineProps) {
    super(scope, id);
    const r = validateVirtualMachineProps(id, props);
    const network = requireSameCloud("virtualMachine.network", r.network, GcpNetwork, "gcp");

    const v = new Validator(`VirtualMachine '${id}' (gcp)`);
    if (r.sshPublicKey !== undefined) {
      v.add("virtualMachine.sshPublicKey", "(set)", "not supported on gcp: leave it unset; access is through OS Login and IAP, which need no key in metadata");
    }
    r.ingress.forEach((rule, i) => {
      if (!ADMIN_PORTS.includes(rule.port)) return;
      rule.sources.forEach((src, j) => {
        if (isUnresolved(src) || !parseCidr(src)) return;
        const inside = parseCidr(src)!.prefix >= 20 && cidrsOverlap(src, IAP_TCP_FORWARDING_RANGE);
        v.check(inside, `virtualMachine.ingress[${i}].sources[${j}]`, src, `on gcp, port ${rule.port} only from the IAP TCP forwarding range ${IAP_TCP_FORWARDING_RANGE}`);
      });
    });
    v.throwIfAny();

    this.name = id;
    const context = `VirtualMachine '${id}'`;
    const idPart = { field: "virtualMachine id", value: id };

    this.serviceAccount = new ServiceAccount(this, "service-account", {
      accountId: platform.name(context, "serviceAccountId", idPart),
      displayName: `${platform.context.project} ${platform.context.environment} ${id} VM`,
      description: `Identity of the ${id} VM; holds only the roles this stack grants it`,
      dependsOn: platform.apis("iam"),
    });
    this.serviceAccountEmail = this.serviceAccount.email;
    this.serviceAccountMember = this.serviceAccount.member;
    GCP_VM_BASE_ROLES.forEach((role) => {
      new ProjectIamMember(this, `role-${role.split("/")[1].replace(/\./g, "-")}`, {
        project: platform.projectId,
        role,
        member: this.serviceAccountMember,
      });
    });

    const metadata: Record<string, string> = {
      "enable-oslogin": "TRUE",
      "block-project-ssh-keys": "TRUE",
      "serial-port-enable": "FALSE",
    };
    if (r.userData !== undefined) metadata["user-data"] = r.userData;

    this.resource = new ComputeInstance(this, "Resource", {
      name: platform.name(context, "resource", idPart),
      machineType: skuFor("gcp", r.size, "virtualMachine.size").vm,
      zone: platform.primaryZone,
      bootDisk: {
        autoDelete: true,
        // Encrypted at rest with Google-managed keys (the GCP default); CMEK would go in kmsKeySelfLink.
        initializeParams: { image: GCP_VM_IMAGE, size: r.rootVolumeGb, type: "pd-balanced" },
      },
      networkInterface: [
        {
          subnetwork: network.applicationSubnetwork.id,
          accessConfig: r.publicIp ? [{ networkTier: "PREMIUM" }] : undefined,
        },
      ],
      serviceAccount: { email: this.serviceAccountEmail, scopes: GCP_VM_SCOPES },
      shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
      metadata,
      allowStoppingForUpdate: true,
      dependsOn: platform.apis("compute"),
    });
    this.instanceId = this.resource.instanceId;
    this.privateIp = this.resource.networkInterface.get(0).networkIp;

    r.ingress.forEach((rule, i) => {
      new ComputeFirewall(this, `ingress-${i}`, {
        name: platform.name(context, "resource", idPart, { field: "suffix", value: `allow-${rule.port}` }),
        network: network.networkId,
        description: rule.description,
        direction: "INGRESS",
        priority: 1000,
        sourceRanges: [...rule.sources],
        allow: [{ protocol: "tcp", ports: [String(rule.port)] }],
        targetServiceAccounts: [this.serviceAccountEmail],
        logConfig: { metadata: "INCLUDE_ALL_METADATA" },
      });
    });
  }
}
