/**
 * Azure VM: an Ubuntu Gen2 image on a trusted-launch Linux VM (secure boot,
 * vTPM), encryption at host, a system-assigned managed identity, SSH keys
 * only, a NIC in the application subnet and no public IP unless asked for.
 * The contract's ingress rules become rules on the application subnet's NSG.
 */
import { Fn, TerraformStack, TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import { LinuxVirtualMachine } from "@cdktf/provider-azurerm/lib/linux-virtual-machine";
import { NetworkInterface } from "@cdktf/provider-azurerm/lib/network-interface";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { Cloud, ValidationError } from "../core";
import { requireSameCloud } from "../platform";
import { skuFor } from "../sizes";
import { IVirtualMachine, VIRTUAL_MACHINE_DEFAULTS, VirtualMachineProps, validateVirtualMachineProps } from "../virtual-machine";
import { AzureNetwork } from "./network";
import type { AzurePlatform } from "./platform";

/**
 * Canonical Ubuntu 22.04 LTS, Generation 2 (trusted launch needs a Gen2 image).
 * `latest` keeps new VMs patched; an existing VM is not replaced when it changes.
 */
export const AZURE_VM_IMAGE = { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts-gen2", version: "latest" } as const;

/** The Ubuntu image's OS disk is 30 GB; Azure refuses a smaller disk. */
export const AZURE_IMAGE_MIN_DISK_GB = 30;

export const AZURE_VM_ADMIN_USERNAME = "azureuser";

/** Name of the Terraform variable holding the SSH public key when the props give none. */
export const SSH_PUBLIC_KEY_VARIABLE = "vm_ssh_public_key";

export class AzureVirtualMachine extends Construct implements IVirtualMachine {
  public readonly cloud: Cloud = "azure";
  public readonly name: string;
  public readonly instanceId: string;
  public readonly privateIp: string;
  public readonly vm: LinuxVirtualMachine;
  public readonly nic: NetworkInterface;
  public readonly network: AzureNetwork;
  /** Object id of the VM's system-assigned managed identity (for role assignments). */
  public readonly principalId: string;

  constructor(scope: Construct, id: string, props: VirtualMachineProps, platform: AzurePlatform) {
    super(scope, id);
    const r = validateVirtualMachineProps(id, props);
    this.name = id;
    this.network = requireSameCloud("virtualMachine.network", r.network, AzureNetwork, "azure");
    const diskGb = azureOsDiskGb(id, props.rootVolumeGb, r.rootVolumeGb);
    const sku = skuFor("azure", r.size, "virtualMachine.size");
    const rg = platform.resourceGroup;
    const tags = platform.tags;

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

    const sshKey = r.sshPublicKey ?? this.sshKeyVariable().stringValue;

    this.vm = new LinuxVirtualMachine(this, "Resource", {
      name: platform.name(id),
      computerName: id.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
      location: platform.location,
      resourceGroupName: rg.name,
      size: sku.vm,
      networkInterfaceIds: [this.nic.id],
      adminUsername: AZURE_VM_ADMIN_USERNAME,
      disablePasswordAuthentication: true,
      adminSshKey: [{ username: AZURE_VM_ADMIN_USERNAME, publicKey: sshKey }],
      identity: { type: "SystemAssigned" },
      secureBootEnabled: true,
      vtpmEnabled: true,
      // Temp disk and caches are encrypted on the host too (needs the EncryptionAtHost feature on the subscription: docs/azure.md).
      encryptionAtHostEnabled: true,
      osDisk: { name: platform.name(`${id}-osdisk`), caching: "ReadWrite", storageAccountType: "Premium_LRS", diskSizeGb: diskGb },
      sourceImageReference: { ...AZURE_VM_IMAGE },
      // Managed boot diagnostics (serial console, screenshots) without a storage account of our own.
      bootDiagnostics: {},
      customData: r.userData === undefined ? undefined : Token.isUnresolved(r.userData) ? Fn.base64encode(r.userData) : Buffer.from(r.userData, "utf8").toString("base64"),
      tags,
      // cloud-init needs egress at first boot: wait for the NAT gateway and the NSG of the subnet.
      dependsOn: this.network.applicationReady,
    });
    this.instanceId = this.vm.id;
    this.privateIp = this.nic.privateIpAddress;
    this.principalId = this.vm.identity.principalId;

    r.ingress.forEach((rule, i) => {
      this.network.application.allow(`${id}-ingress-${i}`, {
        name: `${id}-ingress-${rule.port}-${i}`,
        description: rule.description,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefixes: [...rule.sources],
        destinationAddressPrefixes: [this.privateIp],
        destinationPortRanges: [String(rule.port)],
      });
    });
  }

  /** One `vm_ssh_public_key` variable per stack, shared by every VM without an explicit key. */
  private sshKeyVariable(): TerraformVariable {
    const stack = TerraformStack.of(this);
    const existing = stack.node.tryFindChild(SSH_PUBLIC_KEY_VARIABLE);
    if (existing instanceof TerraformVariable) return existing;
    const v = new TerraformVariable(stack, SSH_PUBLIC_KEY_VARIABLE, {
      type: "string",
      description: "OpenSSH public key of the admin user of the Azure VMs (password login is disabled)",
      nullable: false,
    });
    v.overrideLogicalId(SSH_PUBLIC_KEY_VARIABLE);
    return v;
  }
}

/** The OS disk size: the contract's default is raised to the image's minimum; an explicit smaller size fails. */
function azureOsDiskGb(id: string, requested: number | undefined, resolved: number): number {
  if (requested === undefined) return Math.max(VIRTUAL_MACHINE_DEFAULTS.rootVolumeGb, AZURE_IMAGE_MIN_DISK_GB);
  if (resolved < AZURE_IMAGE_MIN_DISK_GB) {
    throw new ValidationError(`VirtualMachine '${id}' (azure)`, [
      { field: "virtualMachine.rootVolumeGb", value: resolved, accepted: `at least ${AZURE_IMAGE_MIN_DISK_GB} on azure (the Ubuntu image's disk size); smaller is not supported on azure` },
    ]);
  }
  return resolved;
}
