/**
 * GCP PostgreSQL: a Cloud SQL instance with a private IP only (through
 * private services access), TLS required, backups with point-in-time
 * recovery, connection, DDL and pgAudit logging, and IAM database
 * authentication. Reachability is limited by VPC egress firewall rules: only
 * identities admitted with `allowConnectionsFrom` may open connections to port
 * 5432 in the private services range.
 *
 * Credentials: the administrator password is generated at apply time
 * (ephemeral `random_password`) or taken from an ephemeral variable, and
 * written through write-only attributes to both the built-in user and a
 * Secret Manager secret, with the same `*_wo_version`. `grantConnect` lets a
 * compute identity read that secret and log in as its own IAM database user.
 */
import { Fn, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { ComputeFirewall } from "@cdktf/provider-google/lib/compute-firewall";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { SqlDatabase } from "@cdktf/provider-google/lib/sql-database";
import { SqlDatabaseInstance } from "@cdktf/provider-google/lib/sql-database-instance";
import { SqlUser } from "@cdktf/provider-google/lib/sql-user";
import { IConnectable, displayName, relationshipScope } from "../connections";
import { IGrantable, principalOn } from "../grants";
import { IPostgresDatabase, POSTGRES_PORT, PostgresDatabaseProps, adminPasswordVariable, parseMaintenanceWindow, validatePostgresDatabaseProps } from "../postgres-database";
import { skuFor } from "../sizes";
import { claimName, recordDecision } from "../stack";
import { GcpConnections } from "./connections";
import { GCP_NAME_SUFFIX_BYTES, GCP_NAME_SUFFIX_LENGTH, GcpNetwork } from "./network";
import { GcpPlatform } from "./platform";
import { EphemeralRandomPassword, RandomId } from "./random";
import { GcpSecret } from "./secret";

/**
 * Flags on every instance: what an auditor asks for (checkpoints, connections, lock waits, every temp
 * file, every DDL statement, pgAudit for DDL and role changes) and IAM database authentication.
 * pgAudit also needs `CREATE EXTENSION pgaudit;` in each database (SQL, not Terraform: docs/gcp.md).
 */
export const GCP_POSTGRES_FLAGS: Readonly<Record<string, string>> = {
  log_checkpoints: "on",
  log_connections: "on",
  log_disconnections: "on",
  log_lock_waits: "on",
  log_temp_files: "0",
  log_statement: "ddl",
  "cloudsql.enable_pgaudit": "on",
  "pgaudit.log": "ddl,role",
  "cloudsql.iam_authentication": "on",
};

/** Cloud SQL Enterprise edition keeps at most this many days of transaction logs (PITR window). */
const MAX_TRANSACTION_LOG_DAYS = 7;

/** The generated administrator password: 32 characters, with specials that need no quoting in URIs and shells. */
export const GCP_ADMIN_PASSWORD = { length: 32, overrideSpecial: "-_.~" } as const;

/**
 * Project roles `grantConnect` gives, each conditioned on the one instance: connect through the
 * Cloud SQL connectors / Auth Proxy (`cloudsql.instances.connect`, `.get`) and log in as an IAM
 * database user (`cloudsql.instances.login`). Cloud SQL has no instance-level IAM policy.
 */
export const GCP_DATABASE_CONNECT_ROLES = ["roles/cloudsql.client", "roles/cloudsql.instanceUser"] as const;

/** What Cloud SQL wants as the name of a service account's database user on PostgreSQL: the e-mail without this suffix. */
const SERVICE_ACCOUNT_EMAIL_SUFFIX = ".gserviceaccount.com";

export class GcpPostgresDatabase extends Construct implements IPostgresDatabase {
  public readonly cloud = "gcp" as const;
  public readonly endpoint: string;
  public readonly port = POSTGRES_PORT;
  public readonly databaseName: string;
  public readonly adminUsername: string;
  public readonly connectionString: string;
  /** The Cloud SQL instance. */
  public readonly resource: SqlDatabaseInstance;
  /** `<project>:<region>:<instance>`, what the Cloud SQL connectors and the Auth Proxy take. */
  public readonly instanceConnectionName: string;
  /** Egress rules from peers' service accounts to the private services range, above the deny below. */
  public readonly connections: GcpConnections;
  /** The Secret Manager secret holding the administrator password (readable by exactly the identities granted). */
  public readonly credentialsSecret: GcpSecret;
  /** The sensitive variable that supplies the admin password, with `DatabaseCredentials.fromPasswordVariable()` only. */
  public readonly adminPassword?: TerraformVariable;

  private readonly network: GcpNetwork;
  private readonly context: string;
  private readonly projectId: string;
  private readonly connectGranted = new Set<string>();

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const platform = GcpPlatform.of(this);
    const r = validatePostgresDatabaseProps("gcp", id, props);
    this.context = `PostgresDatabase '${id}'`;
    this.network = GcpNetwork.of(r.network);
    this.projectId = platform.projectId;
    this.databaseName = r.databaseName;
    this.adminUsername = r.adminUsername;
    const window = parseMaintenanceWindow(r.maintenanceWindow);

    // A deleted instance's name stays reserved for about a week: a suffix kept in state lets a destroyed
    // stack be re-created at once. It is the same whatever deletionProtection is, so turning protection
    // off (to destroy) never renames, and so never replaces, the instance.
    const base = claimName(
      this,
      `gcp:${platform.projectId}:sql-instance`,
      platform.nameWithRoom(this.context, "resource", GCP_NAME_SUFFIX_LENGTH, { field: "database id", value: id }),
      "Cloud SQL instance name",
    );
    const suffix = new RandomId(this, "name-suffix", { byteLength: GCP_NAME_SUFFIX_BYTES });

    this.resource = new SqlDatabaseInstance(this, "Resource", {
      name: `${base}-${suffix.hex}`,
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
        // The initial size only: auto-grow raises it, and a lower size in the config would force a new
        // instance (CustomizeDiff ForceNewIfChange IsDiskShrinkage), so the lifecycle below ignores it.
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
      lifecycle: { preventDestroy: r.deletionProtection ? true : undefined, ignoreChanges: ["settings[0].disk_size"] },
      dependsOn: [...platform.apis("sqladmin"), this.network.privateServicesConnection],
    });
    this.instanceConnectionName = this.resource.connectionName;

    // Dropping a database with open connections fails, and the instance's delete removes it anyway.
    const database = new SqlDatabase(this, "database", {
      name: r.databaseName,
      instance: this.resource.name,
      deletionPolicy: "ABANDON",
      lifecycle: r.deletionProtection ? { preventDestroy: true } : undefined,
    });
    if (!r.deletionProtection) recordDecision(database, "no-deletion-protection");

    // The password is never a literal and never stored: an ephemeral value into write-only attributes,
    // the secret's version first, so the user is only created once the secret holds the same value.
    let password: string;
    if (r.credentials.kind === "variable") {
      this.adminPassword = adminPasswordVariable(this, r.credentials);
      password = this.adminPassword.stringValue;
    } else {
      password = new EphemeralRandomPassword(this, "admin-password", GCP_ADMIN_PASSWORD).result;
    }
    this.credentialsSecret = new GcpSecret(this, "credentials", {
      secretId: platform.name(this.context, "secretId", { field: "database id", value: id }, { field: "suffix", value: "admin-password" }),
      value: password,
      version: r.credentials.version,
      deletionProtection: r.deletionProtection,
    });
    new SqlUser(this, "admin-user", {
      name: r.adminUsername,
      instance: this.resource.name,
      type: "BUILT_IN",
      passwordWo: password,
      passwordWoVersion: r.credentials.version,
      // Postgres refuses to drop a role that owns objects; the instance's delete removes the user anyway.
      deletionPolicy: "ABANDON",
      dependsOn: [this.credentialsSecret.currentVersion],
    });

    if (!r.highAvailability) recordDecision(this.resource, "single-zone-database");
    if (!r.deletionProtection) recordDecision(this.resource, "no-deletion-protection");

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

  /**
   * Lets `grantee` read the database credentials: `secretAccessor` on the credentials secret, a Cloud SQL
   * IAM database user for its service account (PostgreSQL wants the e-mail without `.gserviceaccount.com`),
   * and `roles/cloudsql.client` + `roles/cloudsql.instanceUser` conditioned on this instance. What the user
   * may do inside PostgreSQL is SQL (`GRANT ... TO "<sa>@<project>.iam"`), run by the administrator: docs/gcp.md.
   * Network access is `allowConnectionsFrom`. Across stacks the grants live in the grantee's stack.
   */
  public grantConnect(grantee: IGrantable): void {
    const p = principalOn(`${this.context}.grantConnect`, grantee, "gcp");
    if (this.connectGranted.has(grantee.node.path)) return;
    this.connectGranted.add(grantee.node.path);
    this.credentialsSecret.grantRead(grantee);
    const { scope, crossStack } = relationshipScope(this, grantee);
    const id = (what: string) => (crossStack ? `db-${what}-on-${displayName(this)}` : `${what}-${displayName(grantee)}`);
    new SqlUser(scope, id("iam-user"), {
      name: Fn.trimsuffix(p.email, SERVICE_ACCOUNT_EMAIL_SUFFIX),
      instance: this.resource.name,
      type: "CLOUD_IAM_SERVICE_ACCOUNT",
      // Postgres refuses to drop a role that was granted privileges (docs/gcp.md: what to run before re-creating it).
      deletionPolicy: "ABANDON",
    });
    const instance = `projects/${this.projectId}/instances/${this.resource.name}`;
    for (const role of GCP_DATABASE_CONNECT_ROLES) {
      new ProjectIamMember(scope, id(role.split("/")[1].replace(/\./g, "-")), {
        project: this.projectId,
        role,
        member: p.member,
        condition: {
          title: `only ${displayName(this)}`.slice(0, 100),
          description: `${role} on the Cloud SQL instance of ${this.context} only`,
          expression: `resource.name == '${instance}' && resource.service == 'sqladmin.googleapis.com'`,
        },
      });
    }
  }
}
