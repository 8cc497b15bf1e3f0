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
import { Cloud } from "../core";
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
import { GcpNetwork } from "./network";
import { GcpPlatform } from "./platform";
import { GcpVirtualMachine } from "./virtual-machine";

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
  public readonly cloud: Cloud = "gcp";
  public readonly endpoint: string;
  public readonly port = POSTGRES_PORT;
  public readonly databaseName: string;
  public readonly adminUsername: string;
  public readonly connectionString: string;
  public readonly resource: SqlDatabaseInstance;
  /** The sensitive variable (no default) that supplies the admin password at plan/apply time; never a literal. */
  public readonly adminPassword: TerraformVariable;
  /** Names of the VMs allowed to connect, in grant order. */
  public readonly allowedVms: string[] = [];

  private readonly network: GcpNetwork;
  private readonly platform: GcpPlatform;
  private readonly context: string;

  constructor(scope: Construct, id: string, platform: GcpPlatform, props: PostgresDatabaseProps) {
    super(scope, id);
    const r = validatePostgresDatabaseProps(id, props);
    this.context = `PostgresDatabase '${id}'`;
    this.network = requireSameCloud("database.network", r.network, GcpNetwork, "gcp");
    this.platform = platform;
    this.databaseName = r.databaseName;
    this.adminUsername = r.adminUsername;
    const window = parseMaintenanceWindow(r.maintenanceWindow);

    this.resource = new SqlDatabaseInstance(this, "Resource", {
      name: platform.name(this.context, "resource", { field: "database id", value: id }),
      databaseVersion: `POSTGRES_${r.version}`,
      region: platform.context.region,
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
    this.adminPassword = adminPasswordVariable(this);
    new SqlUser(this, "admin-user", {
      name: r.adminUsername,
      instance: this.resource.name,
      type: "BUILT_IN",
      passwordWo: this.adminPassword.stringValue,
      passwordWoVersion: 1,
    });

    const host = this.resource.privateIpAddress;
    this.endpoint = `${host}:${POSTGRES_PORT}`;
    this.connectionString = `postgresql://${r.adminUsername}@${host}:${POSTGRES_PORT}/${r.databaseName}?sslmode=require`;

    // Nothing in the VPC reaches PostgreSQL in the private services range unless a grant allows it.
    new ComputeFirewall(this, "deny-others", {
      name: platform.name(this.context, "resource", { field: "database id", value: id }, { field: "suffix", value: "deny-5432" }),
      network: this.network.networkId,
      description: `Deny PostgreSQL to the private services range (${this.context}) except for granted VMs`,
      direction: "EGRESS",
      priority: 65000,
      destinationRanges: [this.network.privateServicesCidr],
      deny: [{ protocol: "tcp", ports: [String(POSTGRES_PORT)] }],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
    });
  }

  public allowConnectionsFrom(vm: IVirtualMachine): void {
    const gcpVm = requireSameCloud("database.allowConnectionsFrom(vm)", vm, GcpVirtualMachine, "gcp");
    if (this.allowedVms.includes(gcpVm.name)) return;
    new ComputeFirewall(this, `allow-${gcpVm.name}`, {
      name: this.platform.name(this.context, "resource", { field: "database id", value: this.node.id }, { field: "virtualMachine id", value: gcpVm.name }, { field: "suffix", value: "allow-5432" }),
      network: this.network.networkId,
      description: `Allow PostgreSQL from VM '${gcpVm.name}' (its service account) to ${this.context}`,
      direction: "EGRESS",
      priority: 1000,
      destinationRanges: [this.network.privateServicesCidr],
      targetServiceAccounts: [gcpVm.serviceAccountEmail],
      allow: [{ protocol: "tcp", ports: [String(POSTGRES_PORT)] }],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
    });
    this.allowedVms.push(gcpVm.name);
  }
}
