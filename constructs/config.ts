/**
 * The platform configuration (`platform.config.json`, or the file named by
 * PLATFORM_CONFIG): project, clouds, environments, backend, budgets and each
 * cloud's own settings. Read strictly: an unknown key is an error with a
 * "did you mean", a wrong type is a field-level error, partial objects merge
 * with the defaults, and every limit of every enabled cloud is checked in the
 * same pass, so all errors come at once.
 *
 * Environments are data: each one is a profile (sizes, HA, deletion
 * protection, backups, NAT, scaling, budget, and whether cost trade-offs are
 * accepted). A new environment such as `dev` is a configuration change only.
 * Nothing here is a secret.
 */
import * as fs from "fs";
import * as path from "path";
import { CLOUDS, Cloud, DOMAIN_NAME, ENVIRONMENT_NAME, SIZES, Size, UserError, ValidationError, ValidationIssue, Validator } from "./core";
import { ScalingProps, checkScaling } from "./app-tier";
import { CLOUD_LIMITS, projectMaxLength } from "./limits";
import { NAT_GATEWAY_MODES, NatGatewayMode } from "./network";
// Naming rules only (no provider binding is loaded).
import { AZURE_NAME_LIMITS, defaultNetworkWatcher } from "./azure/naming";
import { AZURE_LOCATIONS } from "./azure/locations";
import { DEPLOYER_IP_RANGES_FIELD, checkDeployerIpRanges } from "./azure/deployer-ranges";
import { AWS_REPLICA_REGIONS } from "./aws/regions";

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/** How many application instances run, per environment: the app tier's scaling. */
export type ScalingProfile = ScalingProps;

/** Everything that differs between environments, as data. */
export interface EnvironmentProfile {
  /** Size of application compute. */
  readonly vmSize: Size;
  readonly databaseSize: Size;
  /** Standby database in a second zone with automatic failover. */
  readonly highAvailability: boolean;
  /** Terraform refuses to destroy stateful resources, and the clouds refuse to delete them where they can. Off: destroy removes them, data included. */
  readonly deletionProtection: boolean;
  readonly backupRetentionDays: number;
  readonly natGateways: NatGatewayMode;
  /** Object storage replicated to a second region (Azure GRS, GCS dual-region is not used: see README). */
  readonly geoRedundantStorage: boolean;
  /** Application instances. */
  readonly scaling: ScalingProfile;
  /** Monthly budget in `budget.currency`. */
  readonly monthlyBudget: number;
  /**
   * This environment accepts the documented trade-offs that save cost at the
   * expense of availability and durability (single-zone database, locally
   * redundant storage, no deletion protection). The policy check allows those
   * decisions only where this is true.
   */
  readonly costOverResilience: boolean;
  /** 1-3 lowercase letters or digits, used where names are tight (Azure storage accounts). @default - "stg"/"prd" for the built-ins, else the first 3 letters of the name */
  readonly shortName: string;
  /**
   * The domain the public HTTPS entry serves; the managed certificate is issued for it.
   * @default "<environment>.<project>.example.com" (a placeholder: plan and deploy refuse it)
   */
  readonly domain: string;
  /**
   * A DNS zone managed in the cloud's DNS service that holds `domain` (its DNS name, e.g. "example.com").
   * When set, the stack creates the records (and certificate validation records); when not, the
   * `dns_records` output lists exactly which records to create elsewhere.
   * @default - none
   */
  readonly dnsZone?: string;
  /** The cloud's web application firewall with its managed OWASP rule set in front of the entry. */
  readonly webApplicationFirewall: boolean;
  /** Operator shell access to the app tier without public SSH, audited (SSM Session Manager, IAP + OS Login, Azure Bastion + Entra ID). */
  readonly operatorAccess: boolean;
}

export interface BackendConfig {
  /** S3 bucket holding the state of every stack. @default "<project>-terraform-state" */
  readonly bucket: string;
  /** Region of the state bucket and lock table. @default "us-east-1" */
  readonly region: string;
  /** DynamoDB table used for state locking. @default "terraform-locks" */
  readonly dynamodbTable: string;
  /**
   * Custom endpoints for S3-compatible/DynamoDB-compatible services (local development, tests).
   * Setting any of them also turns on path-style S3 and skips AWS account checks.
   * @default - the AWS endpoints
   */
  readonly endpoints?: { readonly s3?: string; readonly dynamodb?: string; readonly sts?: string };
  /**
   * Also lock with Terraform's S3 lock file (`use_lockfile`, conditional writes), next to the DynamoDB table.
   * Turn it off for S3 emulators that ignore `If-None-Match` (s3rver): there, a second run overwrites and
   * deletes the first run's lock file, and the first run then fails with "Error releasing the state lock".
   * @default true
   */
  readonly useLockfile: boolean;
}

export interface BudgetConfig {
  /** ISO currency of the billing account. @default "USD" */
  readonly currency: string;
  /** Who receives budget alerts. @default ["platform-team@example.com"] (a placeholder: plan and deploy refuse it) */
  readonly alertEmails: readonly string[];
}

export interface AwsSettings {
  /** @default "us-east-1" */
  readonly region: string;
  /** Where geo-redundant object storage is replicated to. @default - the region's pair in constructs/aws/regions.ts */
  readonly replicaRegion: string;
}

export interface GcpSettings {
  /** GCP project id; one per environment is common, so it may be a map. @default "<project>-<environment>" */
  readonly projectId?: string | Readonly<Record<string, string>>;
  /** @default "us-central1" */
  readonly region: string;
  /** Billing account id `XXXXXX-XXXXXX-XXXXXX` for the budget. @default "000000-000000-000000" (a placeholder: plan and deploy refuse it) */
  readonly billingAccount: string;
}

export interface AzureNetworkWatcherConfig {
  /** @default "NetworkWatcher_<location>" */
  readonly name: string;
  /** @default "NetworkWatcherRG" */
  readonly resourceGroup: string;
}

export interface AzureSettings {
  /** @default "swedencentral" (new zone-redundant PostgreSQL HA is available there; see constructs/azure/locations.ts) */
  readonly location: string;
  /** Subscription id. @default - read by the provider from ARM_SUBSCRIPTION_ID (plan and deploy refuse to run without one of the two) */
  readonly subscriptionId?: string;
  /**
   * The existing Network Watcher of the location, which the VNet flow logs belong to (the stacks do not create one).
   * @default { name: "NetworkWatcher_<location>", resourceGroup: "NetworkWatcherRG" } (the one Azure creates itself)
   */
  readonly networkWatcher: AzureNetworkWatcherConfig;
  /**
   * Fixed public IPv4 addresses or CIDR blocks (at most /16, no private ranges) Terraform runs from: a
   * self-hosted runner, a runner with a static egress address, an operator's network. The Key Vault
   * firewall admits them for good. A runner without a fixed address (GitHub-hosted) is admitted per run
   * by scripts/azure-runner-access.js instead (docs/azure.md "Key Vault").
   * @default [] (no public address is admitted for good)
   */
  readonly deployerIpRanges: readonly string[];
}

export interface PlatformConfig {
  /** Lowercase project name used in every resource name and tag. @default "taskflow" */
  readonly project: string;
  /** Clouds that get stacks. @default ["aws", "gcp", "azure"] */
  readonly clouds: readonly Cloud[];
  /** Environments, in order, with their resolved profiles. @default staging and production (ENVIRONMENT_DEFAULTS) */
  readonly environments: Readonly<Record<string, EnvironmentProfile>>;
  /** Extra tags on every resource (Project, Environment, ManagedBy are always set). @default {} */
  readonly tags: Readonly<Record<string, string>>;
  readonly backend: BackendConfig;
  readonly budget: BudgetConfig;
  readonly aws: AwsSettings;
  readonly gcp: GcpSettings;
  readonly azure: AzureSettings;
}

/** An environment entry as written in the file: any profile field, plus the built-in profile it starts from. */
export type EnvironmentInput = Partial<Omit<EnvironmentProfile, "scaling">> & {
  /** Built-in profile to start from. @default - the built-in of the same name, else "production" (secure by default) */
  readonly extends?: string;
  readonly scaling?: Partial<ScalingProfile>;
};

/** What a user may write: every field optional; partial objects merge with the defaults. */
export interface PlatformConfigInput {
  readonly project?: string;
  readonly clouds?: readonly Cloud[];
  /** A list of built-in environment names, or a map of environment name to (partial) profile. */
  readonly environments?: readonly string[] | Readonly<Record<string, EnvironmentInput>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly backend?: Partial<BackendConfig>;
  readonly budget?: Partial<BudgetConfig>;
  readonly aws?: Partial<AwsSettings>;
  readonly gcp?: Partial<GcpSettings>;
  readonly azure?: Partial<Omit<AzureSettings, "networkWatcher">> & { readonly networkWatcher?: Partial<AzureNetworkWatcherConfig> };
}

// ---------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------

export const DEFAULT_PROJECT = "taskflow";

/**
 * The built-in profiles. Staging opts out of HA, deletion protection and geo
 * redundancy on purpose (cheaper, disposable) and says so with
 * `costOverResilience`; production keeps every protection.
 */
export const ENVIRONMENT_DEFAULTS: Readonly<Record<"staging" | "production", EnvironmentProfile>> = {
  staging: {
    vmSize: "small",
    databaseSize: "small",
    highAvailability: false,
    deletionProtection: false,
    backupRetentionDays: 7,
    natGateways: "single",
    geoRedundantStorage: false,
    scaling: { min: 1, desired: 1, max: 2 },
    monthlyBudget: 200,
    costOverResilience: true,
    shortName: "stg",
    domain: "",
    webApplicationFirewall: true,
    operatorAccess: true,
  },
  production: {
    vmSize: "medium",
    databaseSize: "medium",
    highAvailability: true,
    deletionProtection: true,
    backupRetentionDays: 14,
    natGateways: "per-zone",
    geoRedundantStorage: true,
    scaling: { min: 2, desired: 2, max: 6 },
    monthlyBudget: 2000,
    costOverResilience: false,
    shortName: "prd",
    domain: "",
    webApplicationFirewall: true,
    operatorAccess: false,
  },
};

const BUILT_IN_ENVIRONMENTS = Object.keys(ENVIRONMENT_DEFAULTS) as (keyof typeof ENVIRONMENT_DEFAULTS)[];

/** Placeholders that synth accepts (with a warning) and plan/deploy refuse (scripts/cdktf.js `checkDeployable`). */
export const PLACEHOLDERS = {
  gcpBillingAccount: "000000-000000-000000",
  alertEmailDomain: "example.com",
  /** Default domains are `<environment>.<project>.example.com`. */
  domainSuffix: "example.com",
} as const;

/** Example regions per cloud, quoted in the error for an unknown region. */
const REGION_EXAMPLES: Record<Cloud, string> = { aws: "us-east-1, eu-west-1", gcp: "us-central1, europe-west4", azure: "swedencentral, francecentral" };

/**
 * The regions each cloud knows, in one place: a region outside this list fails at synth with the
 * accepted values instead of at apply. Add a region here when a cloud opens one. AWS regions come from
 * the replication table in constructs/aws/regions.ts, Azure locations from the capability table in
 * constructs/azure/locations.ts.
 */
export const KNOWN_REGIONS: Readonly<Record<Cloud, readonly string[]>> = {
  // The regions with a replication partner: one table, so a region cannot be accepted without one.
  aws: Object.keys(AWS_REPLICA_REGIONS),
  gcp: [
    "us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1", "us-west2", "us-west3", "us-west4", "northamerica-northeast1",
    "northamerica-northeast2", "northamerica-south1", "southamerica-east1", "southamerica-west1", "europe-central2", "europe-north1", "europe-north2",
    "europe-southwest1", "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6", "europe-west8", "europe-west9", "europe-west10",
    "europe-west12", "me-central1", "me-central2", "me-west1", "africa-south1", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2",
    "asia-northeast3", "asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2", "australia-southeast1", "australia-southeast2",
  ],
  azure: Object.keys(AZURE_LOCATIONS),
};

// ---------------------------------------------------------------------------
// Strict reading
// ---------------------------------------------------------------------------

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** The closest known key, when it is close enough to be a typo. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const dd = distance(key.toLowerCase(), k.toLowerCase());
    if (dd < bestD) [best, bestD] = [k, dd];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads one JSON object strictly, recording every problem in `v`. */
class StrictObject {
  constructor(
    private readonly v: Validator,
    private readonly at: string,
    public readonly value: Record<string, unknown>,
    known: readonly string[],
    hints: Readonly<Record<string, string>> = {},
  ) {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const field = at ? `${at}.${key}` : key;
      const guess = hints[key] ?? (didYouMean(key, known) ? `did you mean '${didYouMean(key, known)}'?` : undefined);
      v.add(field, "(unknown key)", `one of ${known.join(", ")}${guess ? ` (${guess})` : ""}`);
    }
  }

  private field(key: string): string {
    return this.at ? `${this.at}.${key}` : key;
  }

  public has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  /** The value at `key` when `ok` accepts it; undefined when it is missing, or (recorded as an issue) when it is not accepted. */
  private read<T>(key: string, ok: (x: unknown) => boolean, accepted: string): T | undefined {
    const x = this.value[key];
    if (x === undefined) return undefined;
    if (!ok(x)) {
      this.v.add(this.field(key), x, accepted);
      return undefined;
    }
    return x as T;
  }

  public string(key: string): string | undefined {
    return this.read(key, (x) => typeof x === "string", "a string");
  }

  public number(key: string): number | undefined {
    return this.read(key, (x) => typeof x === "number" && Number.isFinite(x), "a number");
  }

  public boolean(key: string): boolean | undefined {
    return this.read(key, (x) => typeof x === "boolean", "true or false");
  }

  public strings(key: string): string[] | undefined {
    return this.read(key, (x) => Array.isArray(x) && x.every((e) => typeof e === "string"), "a list of strings");
  }

  public object(key: string, known: readonly string[], hints?: Readonly<Record<string, string>>): StrictObject | undefined {
    const x = this.read<Record<string, unknown>>(key, isPlainObject, `an object with keys ${known.join(", ")}`);
    return x === undefined ? undefined : new StrictObject(this.v, this.field(key), x, known, hints);
  }

  /** A map of free-form keys to strings (tags). */
  public stringMap(key: string): Record<string, string> | undefined {
    return this.read(key, (x) => isPlainObject(x) && Object.values(x).every((e) => typeof e === "string"), "an object of string values");
  }
}

const PROFILE_KEYS = [
  "extends",
  "vmSize",
  "databaseSize",
  "highAvailability",
  "deletionProtection",
  "backupRetentionDays",
  "natGateways",
  "geoRedundantStorage",
  "scaling",
  "monthlyBudget",
  "costOverResilience",
  "shortName",
  "domain",
  "dnsZone",
  "webApplicationFirewall",
  "operatorAccess",
] as const;

/** Reads one environment entry over its base profile. */
function readProfile(v: Validator, name: string, entry: StrictObject | undefined, project: string): EnvironmentProfile {
  const base = entry?.string("extends") ?? (BUILT_IN_ENVIRONMENTS.includes(name as "staging") ? name : "production");
  if (!BUILT_IN_ENVIRONMENTS.includes(base as "staging")) {
    v.add(`environments.${name}.extends`, base, `one of the built-in profiles ${BUILT_IN_ENVIRONMENTS.join(", ")}`);
  }
  const b = ENVIRONMENT_DEFAULTS[base as "staging"] ?? ENVIRONMENT_DEFAULTS.production;
  const e = entry;
  const scaling = e?.object("scaling", ["min", "desired", "max"]);
  const defaultShort = BUILT_IN_ENVIRONMENTS.includes(name as "staging") ? ENVIRONMENT_DEFAULTS[name as "staging"].shortName : name.slice(0, 3);
  return {
    vmSize: (e?.string("vmSize") as Size | undefined) ?? b.vmSize,
    databaseSize: (e?.string("databaseSize") as Size | undefined) ?? b.databaseSize,
    highAvailability: e?.boolean("highAvailability") ?? b.highAvailability,
    deletionProtection: e?.boolean("deletionProtection") ?? b.deletionProtection,
    backupRetentionDays: e?.number("backupRetentionDays") ?? b.backupRetentionDays,
    natGateways: (e?.string("natGateways") as NatGatewayMode | undefined) ?? b.natGateways,
    geoRedundantStorage: e?.boolean("geoRedundantStorage") ?? b.geoRedundantStorage,
    scaling: {
      min: scaling?.number("min") ?? b.scaling.min,
      desired: scaling?.number("desired") ?? b.scaling.desired,
      max: scaling?.number("max") ?? b.scaling.max,
    },
    monthlyBudget: e?.number("monthlyBudget") ?? b.monthlyBudget,
    costOverResilience: e?.boolean("costOverResilience") ?? b.costOverResilience,
    shortName: e?.string("shortName") ?? defaultShort,
    domain: e?.string("domain") ?? `${name}.${project}.${PLACEHOLDERS.domainSuffix}`,
    dnsZone: e?.string("dnsZone"),
    webApplicationFirewall: e?.boolean("webApplicationFirewall") ?? b.webApplicationFirewall,
    operatorAccess: e?.boolean("operatorAccess") ?? b.operatorAccess,
  };
}

function readEnvironments(v: Validator, root: StrictObject, project: string): Record<string, EnvironmentProfile> {
  const raw = root.value.environments;
  if (raw === undefined) return Object.fromEntries(BUILT_IN_ENVIRONMENTS.map((n) => [n, readProfile(v, n, undefined, project)]));
  if (Array.isArray(raw)) {
    const out: Record<string, EnvironmentProfile> = {};
    raw.forEach((name, i) => {
      if (typeof name !== "string" || !BUILT_IN_ENVIRONMENTS.includes(name as "staging")) {
        v.add(`environments[${i}]`, name, `one of the built-in environments ${BUILT_IN_ENVIRONMENTS.join(", ")}, or write environments as a map of name to profile to add your own`);
        return;
      }
      if (out[name]) v.add(`environments[${i}]`, name, "each environment once");
      out[name] = readProfile(v, name, undefined, project);
    });
    if (raw.length === 0) v.add("environments", raw, "at least one environment");
    return out;
  }
  if (!isPlainObject(raw)) {
    v.add("environments", raw, "a list of built-in environment names, or a map of environment name to profile");
    return {};
  }
  const out: Record<string, EnvironmentProfile> = {};
  for (const [name, entry] of Object.entries(raw)) {
    if (!ENVIRONMENT_NAME.test(name)) {
      v.add(`environments (name)`, name, "2-12 lowercase letters and digits, starting with a letter (it goes into resource names and state keys)");
      continue;
    }
    if (entry !== null && entry !== undefined && !isPlainObject(entry)) {
      v.add(`environments.${name}`, entry, `an object with keys ${PROFILE_KEYS.join(", ")} (all optional)`);
      continue;
    }
    const strict = isPlainObject(entry) ? new StrictObject(v, `environments.${name}`, entry, PROFILE_KEYS) : undefined;
    out[name] = readProfile(v, name, strict, project);
  }
  if (Object.keys(raw).length === 0) v.add("environments", raw, "at least one environment");
  return out;
}

/**
 * Reads a parsed JSON value into a configuration: strict keys and types,
 * defaults for everything missing, then every rule of every enabled cloud.
 * Throws one ValidationError listing every problem.
 */
export function resolveConfig(input: unknown = {}): PlatformConfig {
  const v = new Validator("Platform configuration");
  if (!isPlainObject(input)) {
    v.add("(configuration)", input, "a JSON object such as the one in platform.config.json");
    v.throwIfAny();
  }
  const root = new StrictObject(v, "", input as Record<string, unknown>, [
    "project",
    "clouds",
    "environments",
    "tags",
    "backend",
    "budget",
    "aws",
    "gcp",
    "azure",
  ]);
  const project = root.string("project") ?? DEFAULT_PROJECT;

  const cloudsRaw = root.value.clouds;
  let clouds: Cloud[] = [...CLOUDS];
  if (cloudsRaw !== undefined) {
    if (!Array.isArray(cloudsRaw) || cloudsRaw.length === 0) {
      v.add("clouds", cloudsRaw, `a non-empty list of ${CLOUDS.join(", ")}`);
    } else {
      clouds = [];
      cloudsRaw.forEach((c, i) => {
        if (!v.oneOf(`clouds[${i}]`, c, CLOUDS)) return;
        if (clouds.includes(c as Cloud)) v.add(`clouds[${i}]`, c, "each cloud once");
        else clouds.push(c as Cloud);
      });
    }
  }

  const environments = readEnvironments(v, root, project);
  const tags = root.stringMap("tags") ?? {};

  const backendIn = root.object("backend", ["bucket", "region", "dynamodbTable", "endpoints", "useLockfile"]);
  const endpointsIn = backendIn?.object("endpoints", ["s3", "dynamodb", "sts"]);
  const endpoints = endpointsIn
    ? Object.fromEntries((["s3", "dynamodb", "sts"] as const).map((k) => [k, endpointsIn.string(k)]).filter(([, url]) => url !== undefined))
    : undefined;
  const backend: BackendConfig = {
    bucket: backendIn?.string("bucket") ?? `${project}-terraform-state`,
    region: backendIn?.string("region") ?? "us-east-1",
    dynamodbTable: backendIn?.string("dynamodbTable") ?? "terraform-locks",
    endpoints: endpoints && Object.keys(endpoints).length > 0 ? endpoints : undefined,
    useLockfile: backendIn?.boolean("useLockfile") ?? true,
  };

  const budgetIn = root.object("budget", ["currency", "alertEmails"], {
    monthlyLimit: "the monthly budget is per environment now: environments.<name>.monthlyBudget",
  });
  const budget: BudgetConfig = {
    currency: budgetIn?.string("currency") ?? "USD",
    alertEmails: budgetIn?.strings("alertEmails") ?? [`platform-team@${PLACEHOLDERS.alertEmailDomain}`],
  };

  const awsIn = root.object("aws", ["region", "replicaRegion"]);
  const awsRegion = awsIn?.string("region") ?? "us-east-1";
  const aws: AwsSettings = { region: awsRegion, replicaRegion: awsIn?.string("replicaRegion") ?? AWS_REPLICA_REGIONS[awsRegion] ?? "" };

  const gcpIn = root.object("gcp", ["projectId", "region", "billingAccount"]);
  let projectId: GcpSettings["projectId"];
  const pid = gcpIn?.value.projectId;
  if (pid !== undefined) {
    if (typeof pid === "string") projectId = pid;
    else if (isPlainObject(pid) && Object.values(pid).every((x) => typeof x === "string")) {
      projectId = pid as Record<string, string>;
      for (const env of Object.keys(pid)) {
        if (!environments[env]) v.add(`gcp.projectId.${env}`, pid[env], `a key that is a configured environment (${Object.keys(environments).join(", ")})`);
      }
    } else v.add("gcp.projectId", pid, "a project id, or a map of environment name to project id");
  }
  const gcp: GcpSettings = {
    projectId,
    region: gcpIn?.string("region") ?? "us-central1",
    billingAccount: gcpIn?.string("billingAccount") ?? PLACEHOLDERS.gcpBillingAccount,
  };

  const azureIn = root.object("azure", ["location", "subscriptionId", "networkWatcher", "deployerIpRanges"]);
  const location = azureIn?.string("location") ?? "swedencentral";
  const watcherIn = azureIn?.object("networkWatcher", ["name", "resourceGroup"]);
  const azure: AzureSettings = {
    location,
    subscriptionId: azureIn?.string("subscriptionId"),
    networkWatcher: {
      ...defaultNetworkWatcher(location),
      ...(watcherIn?.string("name") !== undefined ? { name: watcherIn.string("name")! } : {}),
      ...(watcherIn?.string("resourceGroup") !== undefined ? { resourceGroup: watcherIn.string("resourceGroup")! } : {}),
    },
    deployerIpRanges: azureIn?.strings("deployerIpRanges") ?? [],
  };

  const config: PlatformConfig = { project, clouds, environments, tags, backend, budget, aws, gcp, azure };
  checkRules(v, config);
  v.throwIfAny();
  return config;
}

/** Records an issue unless `region` is one `cloud` knows. */
function checkRegion(v: Validator, field: string, cloud: Cloud, region: unknown): void {
  const what: Record<Cloud, string> = { aws: "an AWS region", gcp: "a GCP region", azure: "an Azure location" };
  const where: Record<Cloud, string> = { aws: "KNOWN_REGIONS in constructs/config.ts", gcp: "KNOWN_REGIONS in constructs/config.ts", azure: "AZURE_LOCATIONS in constructs/azure/locations.ts" };
  v.check(typeof region === "string" && KNOWN_REGIONS[cloud].includes(region), field, region, `${what[cloud]} such as ${REGION_EXAMPLES[cloud]} (one of ${where[cloud]})`);
}

/** Every value rule, for every enabled cloud, in one pass. */
function checkRules(v: Validator, c: PlatformConfig): void {
  const limit = projectMaxLength(c.clouds);
  const lengthReason = limit.cloud ? `; ${limit.cloud}: ${CLOUD_LIMITS[limit.cloud].projectMaxLengthReason}` : "";
  const projectOk = v.pattern(
    "project",
    c.project,
    new RegExp(`^[a-z][a-z0-9-]{1,${limit.max - 2}}[a-z0-9]$`),
    `3-${limit.max} lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit (it prefixes every resource name${lengthReason})`,
  );
  v.check(!c.project.includes("--"), "project", c.project, "no consecutive hyphens");

  Object.entries(c.tags).forEach(([k, val]) => v.check(typeof val === "string" && val.length <= 63, `tags.${k}`, val, "a string of at most 63 characters"));
  Object.keys(c.tags).forEach((k) =>
    v.check(
      /^[A-Za-z][A-Za-z0-9 _.:/=+@-]{0,62}$/.test(k) && !/^(aws|azure|microsoft|windows|goog)/i.test(k),
      `tags (key)`,
      k,
      "a key of 1-63 letters, digits and ' _.:/=+@-', starting with a letter, without a cloud-reserved prefix (aws, azure, microsoft, windows, goog)",
    ),
  );

  const b = c.backend;
  v.pattern("backend.bucket", b.bucket, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens");
  checkRegion(v, "backend.region", "aws", b.region);
  v.pattern("backend.dynamodbTable", b.dynamodbTable, /^[A-Za-z0-9_.-]{3,255}$/, "a DynamoDB table name: 3-255 letters, digits, '_', '-', '.'");
  for (const [k, url] of Object.entries(b.endpoints ?? {})) {
    v.pattern(`backend.endpoints.${k}`, url, /^https?:\/\/[^\s/]+(\/.*)?$/, "an http(s) URL such as http://127.0.0.1:4569");
  }

  const shortNames = new Map<string, string>();
  for (const [name, p] of Object.entries(c.environments)) {
    const f = `environments.${name}`;
    v.oneOf(`${f}.vmSize`, p.vmSize, SIZES);
    v.oneOf(`${f}.databaseSize`, p.databaseSize, SIZES);
    v.integer(`${f}.backupRetentionDays`, p.backupRetentionDays, 7, 35);
    v.oneOf(`${f}.natGateways`, p.natGateways, NAT_GATEWAY_MODES);
    v.number(`${f}.monthlyBudget`, p.monthlyBudget, 1, 10_000_000);
    checkScaling(v, `${f}.scaling`, p.scaling);
    if (v.pattern(`${f}.shortName`, p.shortName, /^[a-z0-9]{1,3}$/, "1-3 lowercase letters or digits (used where names are tight)")) {
      const other = shortNames.get(p.shortName);
      v.check(other === undefined, `${f}.shortName`, p.shortName, `a short name not used by environment '${other}' too`);
      shortNames.set(p.shortName, name);
    }
    // The default domain is derived from the project: an invalid project is reported once, above.
    if (projectOk) v.pattern(`${f}.domain`, p.domain, DOMAIN_NAME, "a DNS name such as app.example.com (lowercase labels of letters, digits and hyphens)");
    if (p.dnsZone !== undefined && v.pattern(`${f}.dnsZone`, p.dnsZone, DOMAIN_NAME, "a DNS zone name such as example.com")) {
      v.check(p.domain === p.dnsZone || p.domain.endsWith(`.${p.dnsZone}`), `${f}.dnsZone`, p.dnsZone, `a zone that holds the domain ${p.domain}`);
    }
    if (!p.costOverResilience) {
      // The trade-offs are allowed only where the profile says so: refuse them up front, with the field to change.
      for (const [key, bad] of [
        ["highAvailability", p.highAvailability === false],
        ["deletionProtection", p.deletionProtection === false],
        ["geoRedundantStorage", p.geoRedundantStorage === false],
        ["webApplicationFirewall", p.webApplicationFirewall === false],
      ] as const) {
        if (bad) v.add(`${f}.${key}`, false, `true, or costOverResilience: true to accept the trade-off in '${name}' (the policy check allows it only there)`);
      }
    }
  }

  v.pattern("budget.currency", c.budget.currency, /^[A-Z]{3}$/, "an ISO 4217 currency code such as USD or EUR");
  if (Array.isArray(c.budget.alertEmails)) {
    v.check(c.budget.alertEmails.length > 0, "budget.alertEmails", c.budget.alertEmails, "at least one e-mail address");
    c.budget.alertEmails.forEach((e, i) => v.email(`budget.alertEmails[${i}]`, e));
  }

  if (c.clouds.includes("aws")) {
    checkRegion(v, "aws.region", "aws", c.aws.region);
    if (KNOWN_REGIONS.aws.includes(c.aws.region)) {
      checkRegion(v, "aws.replicaRegion", "aws", c.aws.replicaRegion);
      v.check(c.aws.replicaRegion !== c.aws.region, "aws.replicaRegion", c.aws.replicaRegion, `a region other than aws.region (${c.aws.region})`);
    }
  }
  if (c.clouds.includes("gcp")) {
    checkRegion(v, "gcp.region", "gcp", c.gcp.region);
    v.pattern("gcp.billingAccount", c.gcp.billingAccount, /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/, "a billing account id XXXXXX-XXXXXX-XXXXXX");
    for (const env of Object.keys(c.environments)) {
      v.pattern(`gcp.projectId(${env})`, gcpProjectId(c, env), /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "a GCP project id: 6-30 lowercase letters, digits and hyphens, starting with a letter");
    }
  }
  if (c.clouds.includes("azure")) {
    checkRegion(v, "azure.location", "azure", c.azure.location);
    if (c.azure.subscriptionId !== undefined) {
      v.pattern("azure.subscriptionId", c.azure.subscriptionId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a subscription GUID");
    }
    v.pattern("azure.networkWatcher.name", c.azure.networkWatcher.name, AZURE_NAME_LIMITS.network.pattern, "a Network Watcher name: 1-80 letters, digits, '.', '_', '-' (Azure's own is NetworkWatcher_<location>)");
    v.pattern("azure.networkWatcher.resourceGroup", c.azure.networkWatcher.resourceGroup, AZURE_NAME_LIMITS.resourceGroup.pattern, "a resource group name: 1-90 letters, digits, '._-()', not ending with '.'");
    checkDeployerIpRanges(v, c.azure.deployerIpRanges, DEPLOYER_IP_RANGES_FIELD);
    const loc = AZURE_LOCATIONS[c.azure.location];
    if (loc) {
      for (const [name, p] of Object.entries(c.environments)) {
        if (p.highAvailability && !loc.zoneRedundantPostgresHa) {
          const ok = Object.entries(AZURE_LOCATIONS).filter(([, l]) => l.zoneRedundantPostgresHa).map(([k]) => k);
          v.add("azure.location", c.azure.location, `a location where new PostgreSQL flexible servers get zone-redundant HA, which environment '${name}' needs (${ok.join(", ")})`);
          break;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------

export function gcpProjectId(c: PlatformConfig, env: string): string {
  const p = c.gcp.projectId;
  if (typeof p === "string") return p;
  return p?.[env] ?? `${c.project}-${env}`;
}

export function regionOf(c: PlatformConfig, cloud: Cloud): string {
  const regions: Record<Cloud, string> = { aws: c.aws.region, gcp: c.gcp.region, azure: c.azure.location };
  return regions[cloud];
}

/** The profile of `environment`, failing with the configured ones when it does not exist. */
export function profileOf(c: PlatformConfig, environment: string): EnvironmentProfile {
  const p = c.environments[environment];
  if (!p) {
    throw new ValidationError("Stack", [{ field: "environment", value: environment, accepted: `an environment of the configuration (${Object.keys(c.environments).join(", ")})` }]);
  }
  return p;
}

/** The file read by `loadConfig`: PLATFORM_CONFIG, else `platform.config.json` in the working directory. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.PLATFORM_CONFIG ?? "platform.config.json");
}

/**
 * Backend settings from the environment, applied over the file (CI, local emulators, tests):
 * PLATFORM_BACKEND_BUCKET, _REGION, _DYNAMODB_TABLE, _USE_LOCKFILE (true|false),
 * _S3_ENDPOINT, _DYNAMODB_ENDPOINT, _STS_ENDPOINT. Unset or empty variables change nothing.
 */
export function backendFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<BackendConfig> {
  const get = (name: string): string | undefined => env[`PLATFORM_BACKEND_${name}`] || undefined;
  const lockfile = get("USE_LOCKFILE");
  if (lockfile !== undefined && lockfile !== "true" && lockfile !== "false") {
    const v = new Validator("Platform configuration");
    v.add("PLATFORM_BACKEND_USE_LOCKFILE", lockfile, "true or false");
    v.throwIfAny();
  }
  const endpoints = Object.fromEntries(
    (["s3", "dynamodb", "sts"] as const).map((k) => [k, get(`${k.toUpperCase()}_ENDPOINT`)]).filter(([, url]) => url !== undefined),
  ) as BackendConfig["endpoints"];
  const out: { -readonly [K in keyof BackendConfig]?: BackendConfig[K] } = {};
  if (get("BUCKET") !== undefined) out.bucket = get("BUCKET");
  if (get("REGION") !== undefined) out.region = get("REGION");
  if (get("DYNAMODB_TABLE") !== undefined) out.dynamodbTable = get("DYNAMODB_TABLE");
  if (lockfile !== undefined) out.useLockfile = lockfile === "true";
  if (Object.keys(endpoints ?? {}).length > 0) out.endpoints = endpoints;
  return out;
}

/** Reads, defaults and validates the configuration; a missing default file means "all defaults". */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const file = configPath(env);
  let input: unknown = {};
  if (fs.existsSync(file)) {
    try {
      input = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new UserError(`${file}: not valid JSON (${(e as Error).message}); accepted: a JSON object as in platform.config.json`);
    }
  } else if (env.PLATFORM_CONFIG) {
    throw new UserError(`PLATFORM_CONFIG: '${env.PLATFORM_CONFIG}' does not exist; accepted: the path of a JSON configuration file`);
  }
  const fromEnv = backendFromEnv(env);
  if (isPlainObject(input) && Object.keys(fromEnv).length > 0) {
    const backendIn = isPlainObject(input.backend) ? input.backend : {};
    const endpoints = { ...(isPlainObject(backendIn.endpoints) ? backendIn.endpoints : {}), ...fromEnv.endpoints };
    input = { ...input, backend: { ...backendIn, ...fromEnv, ...(Object.keys(endpoints).length > 0 ? { endpoints } : {}) } };
  }
  return resolveConfig(input);
}

/** Issues that make a configuration unfit for plan/deploy (placeholders), for the wrapper's pre-flight check. */
export function placeholderIssues(c: PlatformConfig, cloud: Cloud, environment: string, env: NodeJS.ProcessEnv = process.env): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  c.budget.alertEmails.forEach((e, i) => {
    if (e.toLowerCase().endsWith(`@${PLACEHOLDERS.alertEmailDomain}`)) {
      issues.push({ field: `budget.alertEmails[${i}]`, value: e, accepted: "a real mailbox of your team (example.com is a placeholder)" });
    }
  });
  const domain = c.environments[environment]?.domain;
  if (domain !== undefined && (domain === PLACEHOLDERS.domainSuffix || domain.endsWith(`.${PLACEHOLDERS.domainSuffix}`))) {
    issues.push({ field: `environments.${environment}.domain`, value: domain, accepted: "the domain your app serves (example.com is a placeholder): the managed certificate is issued for it" });
  }
  if (cloud === "gcp" && c.gcp.billingAccount === PLACEHOLDERS.gcpBillingAccount) {
    issues.push({ field: "gcp.billingAccount", value: c.gcp.billingAccount, accepted: "your billing account id (000000-000000-000000 is a placeholder)" });
  }
  if (cloud === "azure" && c.azure.subscriptionId === undefined && !env.ARM_SUBSCRIPTION_ID) {
    issues.push({ field: "azure.subscriptionId", value: undefined, accepted: "a subscription GUID in the configuration, or ARM_SUBSCRIPTION_ID in the environment" });
  }
  return issues;
}
