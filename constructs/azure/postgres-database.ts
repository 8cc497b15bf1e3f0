/**
 * Azure Database for PostgreSQL flexible server, VNet-integrated: it lives in
 * the delegated data subnet, resolves through a private DNS zone linked to the
 * VNet, and has no public endpoint. TLS is required; checkpoints, connections
 * and disconnections are logged; connection throttling is on.
 *
 * Production (highAvailability): zone-redundant standby and geo-redundant
 * backups; deletionProtection adds a CanNotDelete lock (cloud API) and
 * `prevent_destroy` (Terraform).
 *
 * The administrator password comes from the stack's ephemeral, sensitive
 * `db_admin_password` variable into the write-only `administrator_password_wo`:
 * never a literal, never in the synthesized JSON, the plan or the state.
 */
import { Construct } from "constructs";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { PostgresqlFlexibleServer } from "@cdktf/provider-azurerm/lib/postgresql-flexible-server";
import { PostgresqlFlexibleServerConfiguration } from "@cdktf/provider-azurerm/lib/postgresql-flexible-server-configuration";
import { PostgresqlFlexibleServerDatabase } from "@cdktf/provider-azurerm/lib/postgresql-flexible-server-database";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { Cloud, ValidationError, ValidationIssue } from "../core";
import { requireSameCloud } from "../platform";
import {
  IPostgresDatabase,
  POSTGRES_PORT,
  PostgresDatabaseProps,
  parseMaintenanceWindow,
  validatePostgresDatabaseProps,
  adminPasswordVariable,
} from "../postgres-database";
import { skuFor } from "../sizes";
import { IVirtualMachine } from "../virtual-machine";
import { postgresServerName } from "./naming";
import { AzureNetwork } from "./network";
import type { AzurePlatform } from "./platform";
import { AzureVirtualMachine } from "./virtual-machine";

/** Storage sizes (MB) a flexible server accepts; `storage_mb` must be one of them. */
export const AZURE_POSTGRES_STORAGE_MB = [32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4193280, 4194304, 8388608, 16777216, 33553408] as const;

/** Server parameters set on every server (names as Azure spells them). */
export const AZURE_POSTGRES_PARAMETERS: Readonly<Record<string, string>> = {
  require_secure_transport: "on",
  log_checkpoints: "on",
  log_connections: "on",
  log_disconnections: "on",
  "connection_throttle.enable": "on",
};


/** The smallest accepted size that holds `storageGb`. */
export function azureStorageMb(storageGb: number): number {
  const wanted = storageGb * 1024;
  const fit = AZURE_POSTGRES_STORAGE_MB.find((mb) => mb >= wanted);
  if (fit === undefined) {
    throw new ValidationError("PostgresDatabase (azure)", [
      { field: "database.storageGb", value: storageGb, accepted: `at most ${AZURE_POSTGRES_STORAGE_MB[AZURE_POSTGRES_STORAGE_MB.length - 1] / 1024} on azure` },
    ]);
  }
  return fit;
}

export class AzurePostgresDatabase extends Construct implements IPostgresDatabase {
  public readonly cloud: Cloud = "azure";
  public readonly endpoint: string;
  public readonly port = POSTGRES_PORT;
  public readonly databaseName: string;
  public readonly adminUsername: string;
  public readonly connectionString: string;
  public readonly server: PostgresqlFlexibleServer;
  public readonly network: AzureNetwork;
  private readonly allowed = new Set<string>();

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps, platform: AzurePlatform) {
    super(scope, id);
    const r = validatePostgresDatabaseProps(id, props);
    this.network = requireSameCloud("database.network", r.network, AzureNetwork, "azure");
    const sku = skuFor("azure", r.size, "database.size");

    const issues: ValidationIssue[] = [];
    if (r.highAvailability && sku.burstableDatabase) {
      issues.push({
        field: "database.highAvailability",
        value: true,
        accepted: `false for size '${r.size}' (${sku.database} is burstable and Azure refuses zone-redundant HA on burstable SKUs), or a non-burstable size such as 'medium'`,
      });
    }
    if (props.maxStorageGb !== undefined) {
      issues.push({ field: "database.maxStorageGb", value: props.maxStorageGb, accepted: "unset: a storage ceiling is not supported on azure (auto-grow has no limit)" });
    }
    if (props.backupWindow !== undefined) {
      issues.push({ field: "database.backupWindow", value: props.backupWindow, accepted: "unset: choosing the backup window is not supported on azure (the service schedules backups)" });
    }
    if (issues.length > 0) throw new ValidationError(`PostgresDatabase '${id}' (azure)`, issues);

    const rg = platform.resourceGroup;
    const tags = platform.tags;
    const serverName = postgresServerName(platform.context.project, platform.context.environment, id, this.node.path);
    this.databaseName = r.databaseName;
    this.adminUsername = r.adminUsername;

    const dnsZone = new PrivateDnsZone(this, "dns-zone", {
      name: `${serverName}.private.postgres.database.azure.com`,
      resourceGroupName: rg.name,
      tags,
    });
    const dnsLink = new PrivateDnsZoneVirtualNetworkLink(this, "dns-link", {
      name: `${serverName}-vnet-link`,
      resourceGroupName: rg.name,
      privateDnsZoneName: dnsZone.name,
      virtualNetworkId: this.network.vnet.id,
      registrationEnabled: false,
      tags,
    });

    const mw = parseMaintenanceWindow(r.maintenanceWindow);
    this.server = new PostgresqlFlexibleServer(this, "Resource", {
      name: serverName,
      location: platform.location,
      resourceGroupName: rg.name,
      version: r.version,
      skuName: sku.database,
      storageMb: azureStorageMb(r.storageGb),
      autoGrowEnabled: true,
      backupRetentionDays: r.backupRetentionDays,
      geoRedundantBackupEnabled: r.highAvailability,
      highAvailability: r.highAvailability ? { mode: "ZoneRedundant" } : undefined,
      delegatedSubnetId: this.network.data.subnet.id,
      privateDnsZoneId: dnsZone.id,
      publicNetworkAccessEnabled: false,
      administratorLogin: r.adminUsername,
      administratorPasswordWo: adminPasswordVariable(this).stringValue,
      administratorPasswordWoVersion: 1,
      authentication: { passwordAuthEnabled: true, activeDirectoryAuthEnabled: false },
      maintenanceWindow: { dayOfWeek: mw.day, startHour: mw.hour, startMinute: mw.minute },
      tags,
      dependsOn: [dnsLink],
      // Azure picks the zones; after a failover primary and standby swap them, which is not drift.
      lifecycle: { ignoreChanges: ["zone", "high_availability[0].standby_availability_zone"] },
    });
    if (r.deletionProtection) {
      this.server.addOverride("lifecycle.prevent_destroy", true);
      new ManagementLock(this, "delete-lock", {
        name: `${serverName}-cannot-delete`,
        scope: this.server.id,
        lockLevel: "CanNotDelete",
        notes: "Deletion protection of the production database (remove the lock deliberately before deleting)",
      });
    }

    for (const [name, value] of Object.entries(AZURE_POSTGRES_PARAMETERS)) {
      new PostgresqlFlexibleServerConfiguration(this, `param-${name.replace(/[^a-z0-9_]/g, "-")}`, { name, value, serverId: this.server.id });
    }

    new PostgresqlFlexibleServerDatabase(this, "database", {
      name: r.databaseName,
      serverId: this.server.id,
      charset: "UTF8",
      collation: "en_US.utf8",
    });

    this.endpoint = this.server.fqdn;
    this.connectionString = `postgresql://${r.adminUsername}@${this.server.fqdn}:${POSTGRES_PORT}/${r.databaseName}?sslmode=require`;
  }

  /**
   * Admits PostgreSQL from `vm` only: an inbound rule on the database subnet's NSG
   * (source: the VM's private IP) and the matching outbound rule on the application subnet's NSG.
   */
  public allowConnectionsFrom(vm: IVirtualMachine): void {
    const azureVm = requireSameCloud("database.allowConnectionsFrom(vm)", vm, AzureVirtualMachine, "azure");
    if (this.allowed.has(azureVm.name)) return;
    this.allowed.add(azureVm.name);
    const port = String(POSTGRES_PORT);
    this.network.data.allow(`${this.node.id}-from-${azureVm.name}`, {
      name: `allow-postgres-from-${azureVm.name}`,
      description: `PostgreSQL (${port}) to database '${this.node.id}' from VM '${azureVm.name}' only`,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefixes: [azureVm.privateIp],
      destinationAddressPrefixes: [this.network.data.cidr],
      destinationPortRanges: [port],
    });
    this.network.application.allow(`${this.node.id}-to-${azureVm.name}`, {
      name: `allow-postgres-to-${this.node.id}`,
      description: `VM '${azureVm.name}' connects to PostgreSQL (${port}) of database '${this.node.id}'`,
      direction: "Outbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefixes: [azureVm.privateIp],
      destinationAddressPrefixes: [this.network.data.cidr],
      destinationPortRanges: [port],
    });
  }
}
