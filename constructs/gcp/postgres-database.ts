/**
 * GCP PostgreSQL: a Cloud SQL instance with a private IP only (through
 * private services access), TLS required, backups with point-in-time
 * recovery, and connection logging. Reachability is limited by VPC egress
 * firewall rules: only VMs granted with `allowConnectionsFrom` may open
 * connections to port 5432 in the private services range.
 */
import { TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { ComputeFirewall } from "@cdktf/provider-google/lib/compute-firewall";
import { SqlDatabase } from "@cdktf/provider-google/lib/sql-database";
import { SqlDatabaseInstance } from "@cdktf/provider-google/lib/sql-database-instance";
import { SqlUser } from "@cdktf/provider-google/lib/sql-user";
import { IConnectable } from "../connections";
import { IPostgresDatabase, POSTGRES_PORT, PostgresDatabaseProps, adminPasswordVariable, parseMaintenanceWindow, validatePostgresDatabaseProps } from "../postgres-database";
import { skuFor } from "../sizes";
import { claimName, recordDecision } from "../stack";
import { GcpConnections } from "./connections";
import { GcpNetwork } from "./network";
import { GcpPlatform } from "./platform";

/** Flags that log what an auditor asks for: checkpoints, connections, lock waits and every temp file. */
export const GCP_POSTGRES_FLAGS: Readonly<Record<string, string>> = {
  log_checkpoints: "on",
  log_connections: "on",
  log_disconnections: "on",
  log_lock_waits: "on",
  log_temp_files: "0",
};

/** Cloud SQL Enterprise edition keeps at most this many days of transaction logs (PITR window). */
const MAX_TRANSACTION_LOG_DAYS = 7;

export class GcpPostgresDatabase extends Construct implements IPostgresDatabase {
  public readonly cloud = "gcp" as const;
  public readonly endpoint: string;
  public readonly port = POSTGRES_PORT;
  public readonly databaseName: string;
  public readonly adminUsername: string;
  public readonly connectionString: string;
  /** The Cloud SQL instance. */
  public readonly resource: SqlDatabaseInstance;
  /** Egress rules from peers' service accounts to the private services range, above the deny below. */
  public readonly connections: GcpConnections;
  /** The sensitive variable (no default) that supplies the admin password at plan/apply time; never a literal. */
  public readonly adminPassword: TerraformVariable;

  private readonly network: GcpNetwork;
  private readonly context: string;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const platform = GcpPlatform.of(this);
    const r = validatePostgresDatabaseProps("gcp", id, props);
    this.context = `PostgresDatabase '${id}'`;
    this.network = GcpNetwork.of(r.network);
    this.databaseName = r.databaseName;
    this.adminUsername = r.adminUsername;
    const window = parseMaintenanceWindow(r.maintenanceWindow);

    this.resource = new SqlDatabaseInstance(this, "Resource", {
      name: claimName(this, `gcp:${platform.projectId}:sql-instance`, platform.name(this.context, "resource", { field: "database id", value: id }), "Cloud SQL instance name"),
      databaseVersion: `POSTGRES_${r.version}`,
      region: platform.region,
      deletionProtection: r.deletionProtection,
      settings: {
        // PostgreSQL 16+ defaults to Enterprise Plus, which refuses db-custom tiers: say which edition we size for.
        edition: "ENTERPRISE",
        tier: skuFor("gcp", r.size, "database.size").database,
        availabilityType: r.highAvailability ? "REGIONAL" : "ZONAL",
        deletionProtectionEnabled: r.deletionProtection,
        retainBackupsOnDelete: r.deletionProtection,
        diskType: "PD_SSD",
        diskSize: r.storageGb,
        diskAutoresize: true,
        diskAutoresizeLimit: r.maxStorageGb,
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: this.network.networkId,
          allocatedIpRange: this.network.privateServicesRangeName,
          sslMode: "ENCRYPTED_ONLY",
        },
        backupConfiguration: {
          enabled: true,
          startTime: r.backupWindow.split("-")[0],
          pointInTimeRecoveryEnabled: true,
          transactionLogRetentionDays: Math.min(r.backupRetentionDays, MAX_TRANSACTION_LOG_DAYS),
          backupRetentionSettings: { retainedBackups: r.backupRetentionDays, retentionUnit: "COUNT" },
        },
        // Cloud SQL counts days 1 (Monday) to 7 (Sunday); parseMaintenanceWindow counts Sunday as 0.
        maintenanceWindow: { day: window.day === 0 ? 7 : window.day, hour: window.hour, updateTrack: "stable" },
        databaseFlags: Object.entries(GCP_POSTGRES_FLAGS).map(([name, value]) => ({ name, value })),
        insightsConfig: { queryInsightsEnabled: true, recordClientAddress: true },
        userLabels: { ...platform.labels },
      },
      dependsOn: [...platform.apis("sqladmin"), this.network.privateServicesConnection],
    });

    new SqlDatabase(this, "database", { name: r.databaseName, instance: this.resource.name });

    // The password is never a literal and never stored: an ephemeral variable into a write-only attribute.
    this.adminPassword = adminPasswordVariable(this, r.credentials);
    new SqlUser(this, "admin-user", {
      name: r.adminUsername,
      instance: this.resource.name,
      type: "BUILT_IN",
      passwordWo: this.adminPassword.stringValue,
      passwordWoVersion: 1,
    });

    if (!r.highAvailability) recordDecision(this.resource, "single-zone-database");
    if (!r.deletionProtection) recordDecision(this.resource, "no-deletion-protection");
    else this.resource.addOverride("lifecycle.prevent_destroy", true);

    const host = this.resource.privateIpAddress;
    this.endpoint = `${host}:${POSTGRES_PORT}`;
    this.connectionString = `postgresql://${r.adminUsername}@${host}:${POSTGRES_PORT}/${r.databaseName}?sslmode=require`;

    // Nothing in the VPC reaches PostgreSQL in the private services range unless a grant allows it.
    new ComputeFirewall(this, "deny-others", {
      name: platform.name(this.context, "resource", { field: "database id", value: id }, { field: "suffix", value: "deny-5432" }),
      network: this.network.networkId,
      description: `Deny PostgreSQL to the private services range (${this.context}) except for connected peers`,
      direction: "EGRESS",
      priority: 65000,
      destinationRanges: [this.network.privateServicesCidr],
      deny: [{ protocol: "tcp", ports: [String(POSTGRES_PORT)] }],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
    });
    this.connections = new GcpConnections(this, { network: this.network.networkId, destinationRanges: [this.network.privateServicesCidr] });
  }

  /** Admits PostgreSQL from `peer`'s service accounts (an egress allow above the deny); nothing else gets in. */
  public allowConnectionsFrom(peer: IConnectable): void {
    this.connections.allowFrom(peer, POSTGRES_PORT, `PostgreSQL to ${this.context} from ${peer.node.id}`);
  }
}
