/**
 * PostgresDatabase contract: a managed PostgreSQL in the data subnets,
 * encrypted, backed up, TLS-only, reachable only from the VMs it is told about.
 */
import { TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { Cloud, POSTGRES_VERSIONS, PostgresVersion, SIZES, Size, Validator } from "./core";
import { INetwork } from "./network";
import { IVirtualMachine } from "./virtual-machine";

export interface PostgresDatabaseProps {
  readonly network: INetwork;

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

export interface IPostgresDatabase {
  readonly cloud: Cloud;
  /** `host:port` (or host) the application connects to. Private address only. */
  readonly endpoint: string;
  readonly port: number;
  readonly databaseName: string;
  readonly adminUsername: string;
  /** `postgresql://user@host:port/db?sslmode=require`, without a password. */
  readonly connectionString: string;
  /** Admits PostgreSQL connections from `vm` and from nothing else. */
  allowConnectionsFrom(vm: IVirtualMachine): void;
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

export type ResolvedPostgresDatabaseProps = Required<PostgresDatabaseProps>;

/** The one validation of database props, called by every cloud's implementation. */
export function validatePostgresDatabaseProps(id: string, props: PostgresDatabaseProps): ResolvedPostgresDatabaseProps {
  const r: ResolvedPostgresDatabaseProps = { ...POSTGRES_DEFAULTS, ...stripUndefined(props), network: props.network };
  const v = new Validator(`PostgresDatabase '${id}'`);
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

/** Terraform variable holding the administrator password on clouds that need one (GCP, Azure). AWS generates it. */
export const DB_ADMIN_PASSWORD_VARIABLE = "db_admin_password";
export const DB_ADMIN_PASSWORD_LENGTH = { min: 16, max: 128 } as const;

/**
 * The stack's one administrator-password variable: sensitive, ephemeral and
 * without default. It is passed only to write-only attributes
 * (`password_wo`, `administrator_password_wo`), so the password appears
 * neither in the code, nor in the synthesized JSON, nor in the plan or state.
 * Supply it as `TF_VAR_db_admin_password`; bump the `*_wo_version` to rotate.
 */
export function adminPasswordVariable(scope: Construct): TerraformVariable {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(DB_ADMIN_PASSWORD_VARIABLE);
  if (existing instanceof TerraformVariable) return existing;
  const { min, max } = DB_ADMIN_PASSWORD_LENGTH;
  const v = new TerraformVariable(stack, DB_ADMIN_PASSWORD_VARIABLE, {
    type: "string",
    sensitive: true,
    nullable: false,
    description: `Administrator password of the PostgreSQL server (${min}-${max} characters; pass as TF_VAR_${DB_ADMIN_PASSWORD_VARIABLE}, never commit it)`,
    validation: [
      {
        condition: `\${length(var.${DB_ADMIN_PASSWORD_VARIABLE}) >= ${min} && length(var.${DB_ADMIN_PASSWORD_VARIABLE}) <= ${max}}`,
        errorMessage: `${DB_ADMIN_PASSWORD_VARIABLE} must be ${min}-${max} characters.`,
      },
    ],
  });
  v.overrideLogicalId(DB_ADMIN_PASSWORD_VARIABLE);
  // Terraform >= 1.10: ephemeral values can only flow into write-only attributes, never into state.
  v.addOverride("ephemeral", true);
  return v;
}
