/**
 * Azure VM: an Ubuntu Gen2 image on a trusted-launch Linux VM (secure boot,
 * vTPM), encryption at host, a user-assigned managed identity, SSH keys
 * only, no extension operations, a NIC in the application subnet and no
 * public IP unless asked for. The VM is regional (no zone: `zone` is ForceNew
 * and not computed, so an unset zone never drifts).
 */
import { Fn, TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import { stackVariable } from "../stack-variable";
import { LinuxVirtualMachine, LinuxVirtualMachineConfig } from "@cdktf/provider-azurerm/lib/linux-virtual-machine";
import type { LinuxVirtualMachineScaleSetConfig } from "@cdktf/provider-azurerm/lib/linux-virtual-machine-scale-set";
import { NetworkInterface } from "@cdktf/provider-azurerm/lib/network-interface";
import { NetworkInterfaceApplicationSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/network-interface-application-security-group-association";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { AzureNamedPrincipal } from "./compute-identity";
import { skuFor } from "../sizes";
import { IVirtualMachine, VirtualMachineProps, validateVirtualMachineProps } from "../virtual-machine";
import { AzureComputeIdentity } from "./compute-identity";
import { AzureConnections } from "./connections";
import { AzureNetwork } from "./network";
import { AzurePlatform, dependenciesInStack } from "./platform";

/**
 * Canonical Ubuntu 22.04 LTS, Generation 2 (trusted launch needs a Gen2 image).
 * `latest` keeps new VMs patched; an existing VM is not replaced when it changes.
 */
export const AZURE_VM_IMAGE = { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts-gen2", version: "latest" } as const;

export const AZURE_VM_ADMIN_USERNAME = "azureuser";

/**
 * The settings every Linux VM and scale set of a stack shares: SSH keys only, trusted launch (secure boot,
 * vTPM) on the Gen2 image, encryption at host (temp disk and caches too; needs the EncryptionAtHost feature
 * on the subscription: constructs/azure/prerequisites.ts), managed boot diagnostics (serial console,
 * screenshots) without a storage account of our own.
 */
export const HARDENED_LINUX_VM = {
  adminUsername: AZURE_VM_ADMIN_USERNAME,
  disablePasswordAuthentication: true,
  secureBootEnabled: true,
  vtpmEnabled: true,
  encryptionAtHostEnabled: true,
  sourceImageReference: AZURE_VM_IMAGE,
  bootDiagnostics: {},
} as const satisfies Partial<LinuxVirtualMachineConfig> & Partial<LinuxVirtualMachineScaleSetConfig>;

/** The OS disk of a VM or a scale set's instances (its size comes from the props): Premium SSD, read-write cache. */
export const AZURE_OS_DISK = { caching: "ReadWrite", storageAccountType: "Premium_LRS" } as const;

/** Name of the Terraform variable holding the SSH public key when the props give none. */
export const SSH_PUBLIC_KEY_VARIABLE = "vm_ssh_public_key";

export class AzureVirtualMachine extends Construct implements IVirtualMachine {
  public readonly cloud = "azure" as const;
  /** The VM. */
  public readonly resource: LinuxVirtualMachine;
  public readonly identity: AzureComputeIdentity;
  public readonly connections: AzureConnections;
  public readonly grantPrincipal: AzureNamedPrincipal;
  public readonly instanceId: string;
  public readonly privateIp: string;
  public readonly nic: NetworkInterface;
  public readonly network: AzureNetwork;

  constructor(scope: Construct, id: string, props: VirtualMachineProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const r = validateVirtualMachineProps("azure", id, props);
    this.network = AzureNetwork.of(r.network);
    const sku = skuFor("azure", r.size, "virtualMachine.size");
    const rg = platform.resourceGroup;
    const tags = platform.tags;

    this.identity = new AzureComputeIdentity(this, "identity", { network: this.network, name: id, description: `VM ${id}` });
    this.connections = this.identity.connections;
    this.grantPrincipal = this.identity.grantPrincipal;

    const publicIp = r.publicIp
      ? new PublicIp(this, "public-ip", {
          name: platform.name(`${id}-ip`),
          location: platform.location,
          resourceGroupName: rg.name,
          allocationMethod: "Static",
          sku: "Standard",
          tags,
        })
      : undefined;

    this.nic = new NetworkInterface(this, "nic", {
      name: platform.name(`${id}-nic`),
      location: platform.location,
      resourceGroupName: rg.name,
      ipConfiguration: [
        {
          name: "primary",
          primary: true,
          subnetId: this.network.application.subnet.id,
          privateIpAddressAllocation: "Dynamic",
          publicIpAddressId: publicIp?.id,
        },
      ],
      tags,
    });
    // NSG rules name the identity's application security group; the NIC joins it.
    new NetworkInterfaceApplicationSecurityGroupAssociation(this, "nic-asg", {
      networkInterfaceId: this.nic.id,
      applicationSecurityGroupId: this.identity.applicationSecurityGroup.id,
    });

    const sshKey = r.sshPublicKey ?? sshPublicKeyVariable(this).stringValue;

    this.resource = new LinuxVirtualMachine(this, "Resource", {
      name: platform.name(id),
      computerName: id.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
      location: platform.location,
      resourceGroupName: rg.name,
      size: sku.vm,
      networkInterfaceIds: [this.nic.id],
      ...HARDENED_LINUX_VM,
      adminSshKey: [{ username: AZURE_VM_ADMIN_USERNAME, publicKey: sshKey }],
      identity: { type: "UserAssigned", identityIds: [this.identity.resource.id] },
      // No VM extensions (CKV_AZURE_50): nothing the platform runs needs one yet. Operator login through
      // Entra ID (AADSSHLoginForLinux) will need it back, for that extension only (docs/azure.md).
      allowExtensionOperations: false,
      osDisk: { name: platform.name(`${id}-osdisk`), ...AZURE_OS_DISK, diskSizeGb: r.rootVolumeGb },
      customData: r.userData === undefined ? undefined : customData(r.userData),
      tags,
      // cloud-init needs egress at first boot: wait for the NAT gateway and the NSG of the subnet (when they are
      // in this stack; a network of another stack was applied before this one).
      dependsOn: nonEmpty(dependenciesInStack(this, this.network.applicationReady)),
    });
    this.instanceId = this.resource.id;
    this.privateIp = this.nic.privateIpAddress;
  }
}

/** `custom_data` of a VM or scale set: the user data in base64, encoded at synth when it is a literal, by Terraform when it is a reference. */
export function customData(userData: string): string {
  return Token.isUnresolved(userData) ? Fn.base64encode(userData) : Buffer.from(userData, "utf8").toString("base64");
}

/**
 * The stack's `vm_ssh_public_key` variable: one per stack, shared by every VM and scale set without an
 * explicit key (created by whichever asks first). Azure requires an admin key when password login is
 * off; operators of a scale set sign in with Entra ID through Bastion, not with this key.
 */
export function sshPublicKeyVariable(scope: Construct): TerraformVariable {
  return stackVariable(scope, SSH_PUBLIC_KEY_VARIABLE, {
    type: "string",
    description: "OpenSSH public key of the admin user of the Azure VMs and scale sets (password login is disabled)",
    nullable: false,
  });
}

/** `undefined` for an empty list (no `depends_on: []` in the JSON). */
function nonEmpty<T>(list: readonly T[]): T[] | undefined {
  return list.length > 0 ? [...list] : undefined;
}
