/**
 * PostgresDatabase contract: a managed PostgreSQL in the data subnets,
 * encrypted, backed up, TLS-only, reachable only from the VMs it is told about.
 */
import { TerraformResource, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { Cloud, POSTGRES_VERSIONS, PostgresVersion, SIZES, Size, ValidationError, Validator } from "./core";
import { IConnectable } from "./connections";
import { IGrantable } from "./grants";
import { CLOUD_LIMITS } from "./limits";
import { INetwork, checkNetworkCloud } from "./network";
import { IEncryptionKey, ISecret } from "./secrets";
import { SIZE_TABLE } from "./sizes";

/** Where the administrator password comes from. */
export class DatabaseCredentials {
  /**
   * Generated, never handed around: a password made at apply time and kept in the cloud's secret store
   * (AWS: the RDS-managed master secret in Secrets Manager; GCP: Secret Manager; Azure: Key Vault), written
   * to the database and the secret through write-only attributes, so it is in neither the JSON, the plan
   * nor the state, and no deployer or CI job supplies it.
   * @param version bump it to rotate: the next apply generates a new password and writes it to both (AWS rotates through Secrets Manager instead).
   */
  public static generated(version = 1): DatabaseCredentials {
    return new DatabaseCredentials("generated", undefined, version);
  }

  /**
   * From a sensitive, ephemeral Terraform variable the deployer supplies (`TF_VAR_<name>`), passed only to
   * write-only attributes, so it is in neither the JSON, the plan nor the state.
   * @param variableName @default - `<database id>_admin_password`
   */
  public static fromPasswordVariable(variableName?: string, version = 1): DatabaseCredentials {
    return new DatabaseCredentials("variable", variableName, version);
  }

  private constructor(
    public readonly kind: "generated" | "variable",
    public readonly variableName?: string,
    /** The `*_wo_version` the password is written with: a new number writes a new password. */
    public readonly version: number = 1,
  ) {}
}

export interface PostgresDatabaseProps {
  readonly network: INetwork;

  /**
   * Administrator credentials.
   * @default - `DatabaseCredentials.generated()` on every cloud: no password is supplied by anyone
   */
  readonly credentials?: DatabaseCredentials;

  /**
   * Customer-managed key for storage, backups and logs.
   * @default - the stack's platform key on AWS (one KMS key per stack); the cloud's own keys on GCP and Azure
   */
  readonly encryptionKey?: IEncryptionKey;

  /**
   * Cloud-neutral size, mapped per cloud in `sizes.ts`.
   * @default "small"
   */
  readonly size?: Size;

  /**
   * PostgreSQL major version.
   * @default "16"
   */
  readonly version?: PostgresVersion;

  /** Initial storage in GB. @default 20 */
  readonly storageGb?: number;

  /** Storage autoscaling ceiling in GB (AWS max_allocated_storage; Azure/GCP auto-grow limit). @default 100 */
  readonly maxStorageGb?: number;

  /** Days of automated backups (point-in-time recovery window). @default 7 */
  readonly backupRetentionDays?: number;

  /**
   * A standby in another zone with automatic failover (Multi-AZ, REGIONAL, zone-redundant HA).
   * @default true
   */
  readonly highAvailability?: boolean;

  /**
   * Refuse deletion by Terraform and by the cloud API, and keep a final snapshot/backup on destroy.
   * @default true
   */
  readonly deletionProtection?: boolean;

  /** Name of the application database. @default "app" */
  readonly databaseName?: string;

  /** Administrator user name. @default "app_admin" */
  readonly adminUsername?: string;

  /** Daily backup window, UTC, `hh:mm-hh:mm`, one hour. @default "03:00-04:00" */
  readonly backupWindow?: string;

  /** Weekly maintenance window, UTC, `ddd:hh:mm-ddd:hh:mm`. @default "Mon:04:00-Mon:05:00" */
  readonly maintenanceWindow?: string;
}

export interface IPostgresDatabase extends IConnectable {
  readonly cloud: Cloud;
  /** The instance / server (construct id `Resource`): the escape hatch to the provider resource. */
  readonly resource: TerraformResource;
  /**
   * The secret holding the administrator credentials in the cloud's secret store (AWS Secrets Manager,
   * GCP Secret Manager, Azure Key Vault). Read it with `grantConnect`; its `secretRef` is what an
   * application passes to the store.
   */
  readonly credentialsSecret: ISecret;
  /** `host:port` (or host) the application connects to. Private address only. */
  readonly endpoint: string;
  readonly port: number;
  readonly databaseName: string;
  readonly adminUsername: string;
  /** `postgresql://user@host:port/db?sslmode=require`, without a password. */
  readonly connectionString: string;
  /** Admits PostgreSQL connections from `peer` (anything connectable); nothing else gets in. */
  allowConnectionsFrom(peer: IConnectable): void;
  /**
   * Lets `grantee` log in: read the credentials secret, and sign in with its own cloud identity where the
   * cloud offers it (AWS IAM database authentication, Cloud SQL IAM users, Microsoft Entra ID). The network
   * path is separate: `allowConnectionsFrom`. Across stacks, the grant is written in the grantee's stack.
   */
  grantConnect(grantee: IGrantable): void;
}

export const POSTGRES_PORT = 5432;

export const POSTGRES_DEFAULTS = {
  size: "small" as Size,
  version: "16" as PostgresVersion,
  storageGb: 20,
  maxStorageGb: 100,
  backupRetentionDays: 7,
  highAvailability: true,
  deletionProtection: true,
  databaseName: "app",
  adminUsername: "app_admin",
  backupWindow: "03:00-04:00",
  maintenanceWindow: "Mon:04:00-Mon:05:00",
};

/** Names PostgreSQL and all three clouds accept, minus reserved ones. */
const IDENTIFIER = /^[a-z][a-z0-9_]{0,30}$/;
const RESERVED_USERS = ["admin", "administrator", "root", "postgres", "rdsadmin", "azure_superuser", "azure_pg_admin", "cloudsqladmin", "guest", "public"];
const DAYS = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const HHMM = "([01]\\d|2[0-3]):[0-5]\\d";

export type ResolvedPostgresDatabaseProps = Omit<Required<PostgresDatabaseProps>, "encryptionKey"> & Pick<PostgresDatabaseProps, "encryptionKey">;

/** The one validation of database props, called by every cloud's implementation, cloud limits included. */
export function validatePostgresDatabaseProps(cloud: Cloud, id: string, props: PostgresDatabaseProps): ResolvedPostgresDatabaseProps {
  const r: ResolvedPostgresDatabaseProps = {
    ...POSTGRES_DEFAULTS,
    credentials: DatabaseCredentials.generated(),
    ...stripUndefined(props),
    network: props.network,
  };
  const limits = CLOUD_LIMITS[cloud].database;
  const v = new Validator(`PostgresDatabase '${id}' (${cloud})`);
  checkNetworkCloud(v, "database.network", r.network, cloud);
  if (r.encryptionKey !== undefined && r.encryptionKey.cloud !== cloud) {
    v.add("database.encryptionKey", `${r.encryptionKey.node.path} (${r.encryptionKey.cloud})`, `a ${cloud} key`);
  }
  if (!limits.maxStorageGb && props.maxStorageGb !== undefined) {
    v.add("database.maxStorageGb", props.maxStorageGb, `unset: a storage ceiling is not supported on ${cloud} (auto-grow has no limit)`);
  }
  if (!limits.backupWindow && props.backupWindow !== undefined) {
    v.add("database.backupWindow", props.backupWindow, `unset: choosing the backup window is not supported on ${cloud} (the service schedules backups)`);
  }
  v.check(typeof r.storageGb !== "number" || r.storageGb <= limits.storageGbMax, "database.storageGb", r.storageGb, `at most ${limits.storageGbMax} on ${cloud}`);
  const sku = SIZE_TABLE[r.size]?.[cloud];
  if (r.highAvailability && sku?.burstableDatabase && !limits.highAvailabilityOnBurstable) {
    v.add(
      "database.highAvailability",
      true,
      `false for size '${r.size}' (${sku.database} is burstable and ${cloud} refuses zone-redundant HA on burstable SKUs), or a non-burstable size such as 'medium'`,
    );
  }
  v.oneOf("database.size", r.size, SIZES);
  v.oneOf("database.version", r.version, POSTGRES_VERSIONS);
  v.integer("database.storageGb", r.storageGb, 20, 16384);
  if (v.integer("database.maxStorageGb", r.maxStorageGb, 20, 16384)) {
    v.check(r.maxStorageGb >= r.storageGb, "database.maxStorageGb", r.maxStorageGb, `at least database.storageGb (${r.storageGb})`);
  }
  v.integer("database.backupRetentionDays", r.backupRetentionDays, 7, 35);
  v.pattern("database.databaseName", r.databaseName, IDENTIFIER, "a lowercase identifier: a letter, then up to 30 letters, digits or underscores");
  if (v.pattern("database.adminUsername", r.adminUsername, IDENTIFIER, "a lowercase identifier: a letter, then up to 30 letters, digits or underscores")) {
    v.check(!RESERVED_USERS.includes(r.adminUsername), "database.adminUsername", r.adminUsername, `a name that is not reserved (${RESERVED_USERS.join(", ")})`);
  }
  v.pattern("database.backupWindow", r.backupWindow, new RegExp(`^${HHMM}-${HHMM}$`), "a UTC window 'hh:mm-hh:mm', e.g. 03:00-04:00");
  v.pattern("database.maintenanceWindow", r.maintenanceWindow, new RegExp(`^${DAYS}:${HHMM}-${DAYS}:${HHMM}$`), "a UTC window 'Ddd:hh:mm-Ddd:hh:mm', e.g. Mon:04:00-Mon:05:00");
  v.throwIfAny();
  return r;
}

/** `{...defaults, ...props}` would let an explicit `undefined` erase a default; this drops them first. */
export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, val]) => val !== undefined)) as Partial<T>;
}

/** Parses the cloud-neutral maintenance window into the parts GCP and Azure need. */
export function parseMaintenanceWindow(window: string): { day: number; dayName: string; hour: number; minute: number } {
  const [dayName, hh, mm] = window.split("-")[0].split(":");
  const order = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  return { day: order.indexOf(dayName), dayName, hour: Number(hh), minute: Number(mm) };
}

export const DB_ADMIN_PASSWORD_LENGTH = { min: 16, max: 128 } as const;

/** `<database id>_admin_password`: the default variable name, one per database (never shared). */
export function defaultPasswordVariableName(databaseId: string): string {
  return `${databaseId.toLowerCase().replace(/[^a-z0-9]+/g, "_")}_admin_password`;
}

/**
 * The administrator-password variable of one database: sensitive, ephemeral and
 * without default. It is passed only to write-only attributes
 * (`password_wo`, `administrator_password_wo`), so the password appears
 * neither in the code, nor in the synthesized JSON, nor in the plan or state.
 * Supply it as `TF_VAR_<name>`; bump the `*_wo_version` to rotate. Two
 * databases asking for the same variable name fail: a password is never
 * silently shared.
 */
export function adminPasswordVariable(database: Construct, credentials: DatabaseCredentials): TerraformVariable {
  const name = credentials.variableName ?? defaultPasswordVariableName(database.node.id);
  const stack = TerraformStack.of(database);
  if (stack.node.tryFindChild(name)) {
    throw new ValidationError(`PostgresDatabase '${database.node.id}'`, [
      { field: "database.credentials", value: name, accepted: "a password variable no other database of the stack uses: DatabaseCredentials.fromPasswordVariable('<own name>')" },
    ]);
  }
  const { min, max } = DB_ADMIN_PASSWORD_LENGTH;
  const v = new TerraformVariable(stack, name, {
    type: "string",
    sensitive: true,
    nullable: false,
    description: `Administrator password of PostgreSQL '${database.node.id}' (${min}-${max} characters; pass as TF_VAR_${name}, never commit it)`,
    validation: [
      {
        condition: `\${length(var.${name}) >= ${min} && length(var.${name}) <= ${max}}`,
        errorMessage: `${name} must be ${min}-${max} characters.`,
      },
    ],
  });
  v.overrideLogicalId(name);
  // Terraform >= 1.10: ephemeral values can only flow into write-only attributes, never into state.
  v.addOverride("ephemeral", true);
  return v;
}
