/** Baseline Azure stack: the stock root-namespace import (see main.ts). Comparable resources, not a copy of constructs/azure. */
import * as azurerm from "@cdktf/provider-azurerm";
import { Fn, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";

export function buildAzure(stack: TerraformStack, environment: string): void {
  const production = environment === "production";
  const name = `taskflow-${environment}`;
  const location = "westeurope";
  const tags = { Project: "taskflow", Environment: environment, ManagedBy: "cdktf" };
  new azurerm.provider.AzurermProvider(stack, "azurerm", { features: [{}], storageUseAzuread: true });

  const rg = new azurerm.resourceGroup.ResourceGroup(stack, "rg", { name: `rg-${name}`, location, tags });
  const inRg = { location, resourceGroupName: rg.name, tags };

  // Network: one virtual network, application and data subnets, NAT for the application subnet.
  const vnet = new azurerm.virtualNetwork.VirtualNetwork(stack, "vnet", { ...inRg, name: `vnet-${name}`, addressSpace: ["10.0.0.0/16"] });
  const subnet = (tier: string, cidr: string, delegate: boolean) => {
    const s = new azurerm.subnet.Subnet(stack, `${tier}-subnet`, {
      name: `snet-${tier}`, resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefixes: [cidr],
      defaultOutboundAccessEnabled: false,
      delegation: delegate
        ? [{ name: "postgres", serviceDelegation: { name: "Microsoft.DBforPostgreSQL/flexibleServers", actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] } }]
        : undefined,
    });
    const nsg = new azurerm.networkSecurityGroup.NetworkSecurityGroup(stack, `${tier}-nsg`, { ...inRg, name: `nsg-${name}-${tier}` });
    new azurerm.subnetNetworkSecurityGroupAssociation.SubnetNetworkSecurityGroupAssociation(stack, `${tier}-nsg-association`, { subnetId: s.id, networkSecurityGroupId: nsg.id });
    return { s, nsg };
  };
  const app = subnet("app", "10.0.0.0/20", false);
  const data = subnet("data", "10.0.16.0/20", true);
  new azurerm.networkSecurityRule.NetworkSecurityRule(stack, "app-in", {
    name: "app-in", resourceGroupName: rg.name, networkSecurityGroupName: app.nsg.name, priority: 100, direction: "Inbound", access: "Allow",
    protocol: "Tcp", sourcePortRange: "*", destinationPortRange: "8080", sourceAddressPrefix: "10.0.0.0/16", destinationAddressPrefix: "*",
  });
  new azurerm.networkSecurityRule.NetworkSecurityRule(stack, "db-in", {
    name: "db-in", resourceGroupName: rg.name, networkSecurityGroupName: data.nsg.name, priority: 100, direction: "Inbound", access: "Allow",
    protocol: "Tcp", sourcePortRange: "*", destinationPortRange: "5432", sourceAddressPrefix: "10.0.0.0/20", destinationAddressPrefix: "*",
  });
  const ip = new azurerm.publicIp.PublicIp(stack, "nat-ip", { ...inRg, name: `pip-${name}-nat`, allocationMethod: "Static", sku: "Standard" });
  const nat = new azurerm.natGateway.NatGateway(stack, "nat", { ...inRg, name: `ng-${name}`, skuName: "Standard", idleTimeoutInMinutes: 10 });
  new azurerm.natGatewayPublicIpAssociation.NatGatewayPublicIpAssociation(stack, "nat-ip-association", { natGatewayId: nat.id, publicIpAddressId: ip.id });
  new azurerm.subnetNatGatewayAssociation.SubnetNatGatewayAssociation(stack, "nat-association", { subnetId: app.s.id, natGatewayId: nat.id });

  // Application VM.
  const sshKey = new TerraformVariable(stack, "ssh_public_key", { type: "string", description: "SSH public key of the VM's admin" });
  const nic = new azurerm.networkInterface.NetworkInterface(stack, "vm-nic", {
    ...inRg, name: `nic-${name}-app`, ipConfiguration: [{ name: "primary", subnetId: app.s.id, privateIpAddressAllocation: "Dynamic" }],
  });
  const vm = new azurerm.linuxVirtualMachine.LinuxVirtualMachine(stack, "vm", {
    ...inRg,
    name: `vm-${name}-app`,
    size: production ? "Standard_D2s_v5" : "Standard_B2s",
    networkInterfaceIds: [nic.id],
    adminUsername: "azureuser",
    disablePasswordAuthentication: true,
    adminSshKey: [{ username: "azureuser", publicKey: sshKey.stringValue }],
    identity: { type: "SystemAssigned" },
    secureBootEnabled: true,
    vtpmEnabled: true,
    osDisk: { caching: "ReadWrite", storageAccountType: "Premium_LRS", diskSizeGb: 30 },
    sourceImageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
  });

  // Uploads: storage account and private container.
  const account = new azurerm.storageAccount.StorageAccount(stack, "uploads", {
    ...inRg, name: `st${environment}uploads`.slice(0, 24), accountKind: "StorageV2", accountTier: "Standard",
    accountReplicationType: production ? "ZRS" : "LRS", minTlsVersion: "TLS1_2", httpsTrafficOnlyEnabled: true,
    allowNestedItemsToBePublic: false, sharedAccessKeyEnabled: false, infrastructureEncryptionEnabled: true,
    blobProperties: { versioningEnabled: true, deleteRetentionPolicy: { days: 7 } },
  });
  new azurerm.storageContainer.StorageContainer(stack, "uploads-container", { name: "uploads", storageAccountId: account.id, containerAccessType: "private" });
  new azurerm.storageManagementPolicy.StorageManagementPolicy(stack, "uploads-lifecycle", {
    storageAccountId: account.id,
    rule: [{ name: "old-versions", enabled: true, filters: { blobTypes: ["blockBlob"] }, actions: { version: { deleteAfterDaysSinceCreation: 30 } } }],
  });
  new azurerm.roleAssignment.RoleAssignment(stack, "vm-uploads", {
    scope: account.id, roleDefinitionName: "Storage Blob Data Contributor", principalId: vm.identity.principalId,
  });

  // PostgreSQL flexible server in the delegated data subnet.
  const dns = new azurerm.privateDnsZone.PrivateDnsZone(stack, "db-dns", { name: `${name}.postgres.database.azure.com`, resourceGroupName: rg.name });
  const link = new azurerm.privateDnsZoneVirtualNetworkLink.PrivateDnsZoneVirtualNetworkLink(stack, "db-dns-link", {
    name: "vnet", resourceGroupName: rg.name, privateDnsZoneName: dns.name, virtualNetworkId: vnet.id,
  });
  const db = new azurerm.postgresqlFlexibleServer.PostgresqlFlexibleServer(stack, "db", {
    ...inRg,
    name: `psql-${name}`,
    version: "16",
    skuName: production ? "GP_Standard_D2ds_v5" : "B_Standard_B1ms",
    storageMb: 32768,
    backupRetentionDays: production ? 14 : 7,
    highAvailability: production ? { mode: "ZoneRedundant" } : undefined,
    delegatedSubnetId: data.s.id,
    privateDnsZoneId: dns.id,
    publicNetworkAccessEnabled: false,
    authentication: { activeDirectoryAuthEnabled: true, passwordAuthEnabled: false },
    dependsOn: [link],
  });
  new azurerm.postgresqlFlexibleServerDatabase.PostgresqlFlexibleServerDatabase(stack, "db-database", { name: "taskflow", serverId: db.id });
  new azurerm.postgresqlFlexibleServerConfiguration.PostgresqlFlexibleServerConfiguration(stack, "db-tls", { name: "require_secure_transport", serverId: db.id, value: "on" });
  if (production) {
    new azurerm.managementLock.ManagementLock(stack, "db-lock", { name: "no-delete", scope: db.id, lockLevel: "CanNotDelete" });
  }

  new azurerm.consumptionBudgetResourceGroup.ConsumptionBudgetResourceGroup(stack, "budget", {
    name: `budget-${name}`,
    resourceGroupId: rg.id,
    amount: production ? 2000 : 200,
    timeGrain: "Monthly",
    timePeriod: { startDate: Fn.formatdate("YYYY-MM-01'T'00:00:00Z", Fn.timestamp()) },
    notification: [{ enabled: true, thresholdType: "Actual", operator: "GreaterThanOrEqualTo", threshold: 80, contactEmails: ["platform-team@example.com"] }],
    lifecycle: { ignoreChanges: ["time_period"] },
  });

  new TerraformOutput(stack, "vm_private_ip", { value: vm.privateIpAddress });
  new TerraformOutput(stack, "bucket_name", { value: account.name });
  new TerraformOutput(stack, "database_endpoint", { value: db.fqdn });
}
