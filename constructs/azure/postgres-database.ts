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
import { IConnectable } from "../connections";
import { IPostgresDatabase, POSTGRES_PORT, PostgresDatabaseProps, adminPasswordVariable, parseMaintenanceWindow, validatePostgresDatabaseProps } from "../postgres-database";
import { skuFor } from "../sizes";
import { claimName, recordDecision } from "../stack";
import { AzureConnections } from "./connections";
import { postgresServerName } from "./naming";
import { AzureNetwork } from "./network";
import { AzurePlatform } from "./platform";

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


/** The smallest accepted size that holds `storageGb` (the shared validation caps storageGb at the largest, constructs/limits.ts). */
export function azureStorageMb(storageGb: number): number {
  const wanted = storageGb * 1024;
  return AZURE_POSTGRES_STORAGE_MB.find((mb) => mb >= wanted) ?? AZURE_POSTGRES_STORAGE_MB[AZURE_POSTGRES_STORAGE_MB.length - 1];
}

export class AzurePostgresDatabase extends Construct implements IPostgresDatabase {
  public readonly cloud = "azure" as const;
  public readonly endpoint: string;
  public readonly port = POSTGRES_PORT;
  public readonly databaseName: string;
  public readonly adminUsername: string;
  public readonly connectionString: string;
  /** The flexible server. */
  public readonly resource: PostgresqlFlexibleServer;
  /** Inbound rules on the delegated data subnet's NSG (the server cannot join an application security group). */
  public readonly connections: AzureConnections;
  public readonly network: AzureNetwork;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const r = validatePostgresDatabaseProps("azure", id, props);
    this.network = AzureNetwork.of(r.network);
    const sku = skuFor("azure", r.size, "database.size");

    const rg = platform.resourceGroup;
    const tags = platform.tags;
    const serverName = claimName(this, "azure:postgres-server", postgresServerName(platform, id, this.node.path), "PostgreSQL server name");
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
      virtualNetworkId: this.network.resource.id,
      registrationEnabled: false,
      tags,
    });

    const mw = parseMaintenanceWindow(r.maintenanceWindow);
    this.resource = new PostgresqlFlexibleServer(this, "Resource", {
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
      administratorPasswordWo: adminPasswordVariable(this, r.credentials).stringValue,
      administratorPasswordWoVersion: 1,
      authentication: { passwordAuthEnabled: true, activeDirectoryAuthEnabled: false },
      maintenanceWindow: { dayOfWeek: mw.day, startHour: mw.hour, startMinute: mw.minute },
      tags,
      dependsOn: [dnsLink],
      // Azure picks the zones; after a failover primary and standby swap them, which is not drift.
      lifecycle: { ignoreChanges: ["zone", "high_availability[0].standby_availability_zone"] },
    });
    if (!r.highAvailability) recordDecision(this.resource, "single-zone-database");
    if (!r.deletionProtection) recordDecision(this.resource, "no-deletion-protection");
    if (r.deletionProtection) {
      this.resource.addOverride("lifecycle.prevent_destroy", true);
      new ManagementLock(this, "delete-lock", {
        name: `${serverName}-cannot-delete`,
        scope: this.resource.id,
        lockLevel: "CanNotDelete",
        notes: "Deletion protection of the production database (remove the lock deliberately before deleting)",
      });
    }

    for (const [name, value] of Object.entries(AZURE_POSTGRES_PARAMETERS)) {
      new PostgresqlFlexibleServerConfiguration(this, `param-${name.replace(/[^a-z0-9_]/g, "-")}`, { name, value, serverId: this.resource.id });
    }

    new PostgresqlFlexibleServerDatabase(this, "database", {
      name: r.databaseName,
      serverId: this.resource.id,
      charset: "UTF8",
      collation: "en_US.utf8",
    });

    this.endpoint = this.resource.fqdn;
    this.connectionString = `postgresql://${r.adminUsername}@${this.resource.fqdn}:${POSTGRES_PORT}/${r.databaseName}?sslmode=require`;
    this.connections = new AzureConnections(this, { tier: this.network.data, addressPrefixes: [this.network.data.cidr] });
  }

  /** Admits PostgreSQL from `peer` only: inbound on the data subnet's NSG, outbound on the peer's. */
  public allowConnectionsFrom(peer: IConnectable): void {
    this.connections.allowFrom(peer, POSTGRES_PORT, `PostgreSQL (${POSTGRES_PORT}) to database '${this.node.id}' from '${peer.node.id}' only`);
  }
}
