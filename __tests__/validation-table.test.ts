/**
 * Input validation, table-driven: each bad input must fail with a
 * ValidationError naming the field, showing the value and saying what is
 * accepted. Inputs are the same on every cloud (the contracts validate
 * before any cloud code runs); all errors are collected and reported at once,
 * and the app writes nothing when validation fails.
 */
import * as fs from "fs";
import * as path from "path";
import { CLOUDS } from "../constructs/core";
import { validateBudgetProps } from "../constructs/budget";
import { Peer } from "../constructs/connections";
import { KNOWN_REGIONS, PlatformConfigInput, resolveConfig } from "../constructs/config";
import { INetwork, validateNetworkProps } from "../constructs/network";
import { validateObjectStoreProps } from "../constructs/object-store";
import { PostgresDatabaseProps, validatePostgresDatabaseProps } from "../constructs/postgres-database";
import { skuFor } from "../constructs/sizes";
import { VirtualMachineProps, validateVirtualMachineProps } from "../constructs/virtual-machine";
import { TEST_CONFIG, platformStack, runApp, validationErrorOf } from "./helpers";
import { tempDir } from "./workflow-helpers";

const { stack: awsStack, kit: awsKit } = platformStack("aws", "production");
const network: INetwork = new awsKit.Network(awsStack, "network", {});
const vmForPorts = new awsKit.VirtualMachine(awsStack, "vm", { network });
const config = (o: unknown) => () => resolveConfig(typeof o === "object" && o !== null && !Array.isArray(o) ? { ...TEST_CONFIG, ...(o as PlatformConfigInput) } : o);
const vm = (o: Partial<VirtualMachineProps>) => () => validateVirtualMachineProps("aws", "app", { network, ...o });
const db = (o: Partial<PostgresDatabaseProps>) => () => validatePostgresDatabaseProps("aws", "database", { network, ...o });
const port = (cidr: string, p: number) => () => vmForPorts.connections.allowFrom(Peer.ipv4(cidr), p);
const budget = { monthlyLimit: 100, alertEmails: ["ops@example.com"] };

/** [description, action, field, value as shown, text the "accepted" part must contain] */
const BAD_INPUTS: [string, () => unknown, string, unknown, string][] = [
  // configuration: values
  ["project with upper case", config({ project: "TaskFlow" }), "project", "TaskFlow", "lowercase"],
  ["project too long for Azure's 24-character names", config({ project: "a-long-project" }), "project", "a-long-project", "3-12"],
  ["project too long for every cloud", config({ project: "a-very-long-project-name", clouds: ["aws"] }), "project", "a-very-long-project-name", "3-16"],
  ["unknown cloud", config({ clouds: ["oracle" as never] }), "clouds[0]", "oracle", "one of aws, gcp, azure"],
  ["no cloud", config({ clouds: [] }), "clouds", [], "non-empty list"],
  ["the same cloud twice", config({ clouds: ["aws", "aws"] }), "clouds[1]", "aws", "each cloud once"],
  ["an environment list naming a non-built-in profile", config({ environments: ["qa"] }), "environments[0]", "qa", "or write environments as a map"],
  ["an environment name with upper case", config({ environments: { Dev: {} } }), "environments (name)", "Dev", "lowercase letters and digits"],
  ["an environment extending an unknown profile", config({ environments: { dev: { extends: "test" } } }), "environments.dev.extends", "test", "staging, production"],
  ["an environment of the wrong type", config({ environments: { dev: "small" } }), "environments.dev", "small", "an object with keys"],
  ["scaling max below min", config({ environments: { staging: { scaling: { min: 3, max: 2, desired: 3 } } } }), "environments.staging.scaling.max", 2, "at least scaling.min (3)"],
  ["two environments with one short name", config({ environments: { staging: {}, stage: { extends: "staging", shortName: "stg" } } }), "environments.stage.shortName", "stg", "not used by environment 'staging'"],
  ["a production trade-off without accepting it", config({ environments: { production: { deletionProtection: false } } }), "environments.production.deletionProtection", false, "costOverResilience: true"],
  ["monthly budget zero", config({ environments: { staging: { monthlyBudget: 0 } } }), "environments.staging.monthlyBudget", 0, "from 1 to 10000000"],
  ["unknown AWS region", config({ aws: { region: "us-east-9" } }), "aws.region", "us-east-9", "an AWS region such as"],
  ["AZ instead of region", config({ aws: { region: "us-east-1a" } }), "aws.region", "us-east-1a", "KNOWN_REGIONS"],
  ["unknown GCP region", config({ gcp: { ...TEST_CONFIG.gcp, region: "europe-west5" } }), "gcp.region", "europe-west5", "a GCP region such as"],
  ["unknown Azure location", config({ azure: { ...TEST_CONFIG.azure, location: "West Europe" } }), "azure.location", "West Europe", "an Azure location such as"],
  ["an Azure location without zone-redundant PostgreSQL HA for production", config({ azure: { ...TEST_CONFIG.azure, location: "westeurope" } }), "azure.location", "westeurope", "swedencentral"],
  ["backend region unknown", config({ backend: { region: "eu-west-9" } }), "backend.region", "eu-west-9", "KNOWN_REGIONS"],
  ["backend bucket with upper case", config({ backend: { bucket: "My_State" } }), "backend.bucket", "My_State", "S3 bucket name"],
  ["lock table too short", config({ backend: { dynamodbTable: "tf" } }), "backend.dynamodbTable", "tf", "3-255"],
  ["backend endpoint not a URL", config({ backend: { endpoints: { s3: "localhost:4569" } } }), "backend.endpoints.s3", "localhost:4569", "http(s) URL"],
  ["budget currency lower case", config({ budget: { currency: "usd" } }), "budget.currency", "usd", "ISO 4217"],
  ["no alert e-mail", config({ budget: { alertEmails: [] } }), "budget.alertEmails", [], "at least one e-mail"],
  ["bad alert e-mail", config({ budget: { alertEmails: ["ops@localhost"] } }), "budget.alertEmails[0]", "ops@localhost", "e-mail address"],
  ["GCP billing account malformed", config({ gcp: { ...TEST_CONFIG.gcp, billingAccount: "12345" } }), "gcp.billingAccount", "12345", "XXXXXX-XXXXXX-XXXXXX"],
  ["GCP project id too short", config({ gcp: { ...TEST_CONFIG.gcp, projectId: "abc" } }), "gcp.projectId(staging)", "abc", "6-30"],
  ["GCP project id for an environment that does not exist", config({ gcp: { ...TEST_CONFIG.gcp, projectId: { qa: "taskflow-qa-1" } } }), "gcp.projectId.qa", "taskflow-qa-1", "a configured environment"],
  ["Azure subscription not a GUID", config({ azure: { ...TEST_CONFIG.azure, subscriptionId: "sub-1" } }), "azure.subscriptionId", "sub-1", "GUID"],
  ["Network Watcher name with a space", config({ azure: { ...TEST_CONFIG.azure, networkWatcher: { name: "Network Watcher" } } }), "azure.networkWatcher.name", "Network Watcher", "Network Watcher name"],
  ["an Azure deployer range that is private", config({ azure: { ...TEST_CONFIG.azure, deployerIpRanges: ["203.0.113.10", "10.20.0.0/16"] } }), "azure.deployerIpRanges[1]", "10.20.0.0/16", "a public range"],
  ["an Azure deployer range wider than /16", config({ azure: { ...TEST_CONFIG.azure, deployerIpRanges: ["20.0.0.0/8"] } }), "azure.deployerIpRanges[0]", "20.0.0.0/8", "a range of at most /16"],
  ["an Azure deployer range that is no address", config({ azure: { ...TEST_CONFIG.azure, deployerIpRanges: ["github-runners"] } }), "azure.deployerIpRanges[0]", "github-runners", "a public IPv4 address or CIDR block"],
  ["Azure deployer ranges not a list", config({ azure: { ...TEST_CONFIG.azure, deployerIpRanges: "203.0.113.10" as never } }), "azure.deployerIpRanges", "203.0.113.10", "a list of strings"],
  ["a misspelled Azure deployer ranges key", config({ azure: { ...TEST_CONFIG.azure, deployerIpRange: ["203.0.113.10"] } as never }), "azure.deployerIpRange", "(unknown key)", "did you mean 'deployerIpRanges'?"],
  ["tag value too long", config({ tags: { Team: "x".repeat(64) } }), "tags.Team", "x".repeat(64), "at most 63"],
  ["tag key with reserved prefix", config({ tags: { "aws:owner": "me" } }), "tags (key)", "aws:owner", "cloud-reserved prefix"],
  // configuration: shape (strict keys and types, never a crash)
  ["a null configuration", config(null), "(configuration)", null, "a JSON object"],
  ["a list as configuration", config([]), "(configuration)", [], "a JSON object"],
  ["a misspelled top-level key", config({ projct: "x" }), "projct", "(unknown key)", "did you mean 'project'?"],
  ["a misspelled environments key", config({ enviroments: {} }), "enviroments", "(unknown key)", "did you mean 'environments'?"],
  ["a misspelled nested key", config({ aws: { regoin: "us-east-1" } }), "aws.regoin", "(unknown key)", "did you mean 'region'?"],
  ["a misspelled profile key", config({ environments: { staging: { highAvailabilty: true } } }), "environments.staging.highAvailabilty", "(unknown key)", "did you mean 'highAvailability'?"],
  ["the old per-environment budget key", config({ budget: { monthlyLimit: { staging: 1 } } }), "budget.monthlyLimit", "(unknown key)", "environments.<name>.monthlyBudget"],
  ["alert e-mails given as a string", config({ budget: { alertEmails: "ops@example.com" } }), "budget.alertEmails", "ops@example.com", "a list of strings"],
  ["a project given as a number", config({ project: 42 }), "project", 42, "a string"],
  ["a boolean given as a string", config({ environments: { staging: { highAvailability: "no" } } }), "environments.staging.highAvailability", "no", "true or false"],
  ["tags given as a list", config({ tags: ["a"] }), "tags", ["a"], "an object of string values"],
  ["a backend section that is not an object", config({ backend: "s3" }), "backend", "s3", "an object with keys"],
  // network
  ["CIDR syntax", () => validateNetworkProps("aws", "network", { cidr: "10.0.0.0/33" }), "network.cidr", "10.0.0.0/33", "IPv4 CIDR"],
  ["CIDR host bits set", () => validateNetworkProps("aws", "network", { cidr: "10.0.1.0/16" }), "network.cidr", "10.0.1.0/16", "zero host bits"],
  ["CIDR too large", () => validateNetworkProps("aws", "network", { cidr: "10.0.0.0/8" }), "network.cidr", "10.0.0.0/8", "prefix length from /16 to /20"],
  ["CIDR too small", () => validateNetworkProps("aws", "network", { cidr: "10.0.0.0/24" }), "network.cidr", "10.0.0.0/24", "prefix length from /16 to /20"],
  ["CIDR public range", () => validateNetworkProps("aws", "network", { cidr: "8.8.0.0/16" }), "network.cidr", "8.8.0.0/16", "RFC 1918"],
  ["one zone", () => validateNetworkProps("aws", "network", { zoneCount: 1 }), "network.zoneCount", 1, "from 2 to 6"],
  ["NAT mode", () => validateNetworkProps("aws", "network", { natGateways: "none" as never }), "network.natGateways", "none", "per-zone, single"],
  ["flow log retention", () => validateNetworkProps("aws", "network", { flowLogRetentionDays: 30 }), "network.flowLogRetentionDays", "30", "90"],
  ["flow log retention longer than Azure keeps", () => validateNetworkProps("azure", "network", { flowLogRetentionDays: 400 }), "network.flowLogRetentionDays", 400, "not supported on azure"],
  // virtual machine and connections
  ["VM size", vm({ size: "xlarge" as never }), "virtualMachine.size", "xlarge", "small, medium, large"],
  ["root volume too small", vm({ rootVolumeGb: 5 }), "virtualMachine.rootVolumeGb", 5, "from 10 to 1024"],
  ["root volume below the Azure image", () => validateVirtualMachineProps("azure", "app", { network: { ...network, cloud: "azure" } as INetwork, rootVolumeGb: 20 }), "virtualMachine.rootVolumeGb", 20, "not supported on azure"],
  ["SSH key on a cloud with identity-based access", vm({ sshPublicKey: "ssh-ed25519 AAAA" }), "virtualMachine.sshPublicKey", "(set)", "not supported on aws"],
  ["SSH key not OpenSSH", () => validateVirtualMachineProps("azure", "app", { network: { ...network, cloud: "azure" } as INetwork, sshPublicKey: "BEGIN RSA PRIVATE KEY" }), "virtualMachine.sshPublicKey", "BEGIN RSA PRIVATE KEY", "OpenSSH public key"],
  ["port out of range", port("10.0.0.0/16", 70000), "allowFrom(port)", 70000, "from 1 to 65535"],
  ["SSH from the internet", port("0.0.0.0/0", 22), "allowFrom(peer)", "0.0.0.0/0", "narrower range than the whole internet for SSH"],
  ["PostgreSQL from the internet", port("0.0.0.0/0", 5432), "allowFrom(peer)", "0.0.0.0/0", "PostgreSQL"],
  ["peer not a CIDR", port("10.0.0.300/24", 8080), "allowFrom(peer)", "10.0.0.300/24", "IPv4 CIDR"],
  // object store
  ["bucket base name upper case", () => validateObjectStoreProps("aws", "uploads", { baseName: "Uploads" }), "objectStore.baseName", "Uploads", "lowercase"],
  ["bucket base name double hyphen", () => validateObjectStoreProps("aws", "uploads", { baseName: "up--loads" }), "objectStore.baseName", "up--loads", "no consecutive hyphens"],
  ["version expiry", () => validateObjectStoreProps("aws", "uploads", { noncurrentVersionExpirationDays: 0 }), "objectStore.noncurrentVersionExpirationDays", 0, "from 1 to 3650"],
  ["upload abort days Azure cannot choose", () => validateObjectStoreProps("azure", "uploads", { abortIncompleteUploadDays: 3 }), "objectStore.abortIncompleteUploadDays", 3, "not supported on azure"],
  // database
  ["database size", db({ size: "huge" as never }), "database.size", "huge", "small, medium, large"],
  ["engine version", db({ version: "13" as never }), "database.version", "13", "15, 16, 17"],
  ["storage too small", db({ storageGb: 10 }), "database.storageGb", 10, "from 20 to 16384"],
  ["max storage below storage", db({ storageGb: 100, maxStorageGb: 50 }), "database.maxStorageGb", 50, "at least database.storageGb (100)"],
  ["backup retention", db({ backupRetentionDays: 3 }), "database.backupRetentionDays", 3, "from 7 to 35"],
  ["reserved admin user", db({ adminUsername: "postgres" }), "database.adminUsername", "postgres", "not reserved"],
  ["database name", db({ databaseName: "1app" }), "database.databaseName", "1app", "lowercase identifier"],
  ["backup window", db({ backupWindow: "3am" }), "database.backupWindow", "3am", "hh:mm-hh:mm"],
  ["maintenance window", db({ maintenanceWindow: "Monday 04:00" }), "database.maintenanceWindow", "Monday 04:00", "Ddd:hh:mm-Ddd:hh:mm"],
  ["a storage ceiling Azure cannot honour", () => validatePostgresDatabaseProps("azure", "database", { network: { ...network, cloud: "azure" } as INetwork, size: "medium", maxStorageGb: 200 }), "database.maxStorageGb", 200, "not supported on azure"],
  ["HA on an Azure burstable SKU", () => validatePostgresDatabaseProps("azure", "database", { network: { ...network, cloud: "azure" } as INetwork, size: "small" }), "database.highAvailability", true, "burstable"],
  ["a network of another cloud", () => validatePostgresDatabaseProps("gcp", "database", { network }), "database.network", "aws-production/network (aws)", "a gcp network"],
  // budget
  ["budget amount negative", () => validateBudgetProps("aws", "budget", { ...budget, monthlyLimit: -5 }), "budget.monthlyLimit", -5, "from 1 to 10000000"],
  ["budget threshold", () => validateBudgetProps("aws", "budget", { ...budget, actualThresholdPercent: 0 }), "budget.actualThresholdPercent", 0, "from 1 to 1000"],
  ["budget e-mail", () => validateBudgetProps("aws", "budget", { ...budget, alertEmails: ["not-an-email"] }), "budget.alertEmails[0]", "not-an-email", "e-mail address"],
  // size table
  ["size without a mapping", () => skuFor("aws", "gigantic" as never, "virtualMachine.size"), "virtualMachine.size", "gigantic", "one of small, medium, large"],
];

test("at least 30 bad inputs", () => {
  expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(30);
});

describe.each(BAD_INPUTS)("fails when %s", (_name, action, field, value, accepted) => {
  test("with a message naming the field, the value and what is accepted", () => {
    const error = validationErrorOf(action);
    const issue = error.issues.find((i) => i.field === field);
    expect(issue).toMatchObject({ field, value });
    expect(issue!.accepted).toContain(accepted);
    expect(error.message).toContain(`${field}: ${typeof value === "string" ? `'${value}'` : JSON.stringify(value)} is not valid; accepted: `);
  });
});

test("every problem is reported at once, the limits of every enabled cloud included", () => {
  const error = validationErrorOf(config({ project: "X", aws: { region: "mars-1" }, budget: { currency: "usd", alertEmails: ["x"] }, colour: "red" }));
  expect(error.issues.map((i) => i.field)).toEqual(["colour", "project", "backend.bucket", "budget.currency", "budget.alertEmails[0]", "aws.region"]);
});

test("partial objects merge with the defaults", () => {
  const c = resolveConfig({ ...TEST_CONFIG, environments: { staging: { monthlyBudget: 300 }, production: {} }, azure: { location: "francecentral" } });
  expect(c.environments.staging).toMatchObject({ monthlyBudget: 300, highAvailability: false, vmSize: "small", shortName: "stg" });
  expect(c.environments.production).toMatchObject({ monthlyBudget: 2000, highAvailability: true });
  expect(c.azure.networkWatcher).toEqual({ name: "NetworkWatcher_francecentral", resourceGroup: "NetworkWatcherRG" });
  expect(c.budget.alertEmails).toEqual(["platform-team@example.com"]);
});

test("a new environment is configuration only: it starts from production unless it extends another profile", () => {
  const c = resolveConfig({ ...TEST_CONFIG, environments: { staging: {}, dev: { extends: "staging", monthlyBudget: 50 }, qa: {}, production: {} } });
  expect(Object.keys(c.environments)).toEqual(["staging", "dev", "qa", "production"]);
  expect(c.environments.dev).toMatchObject({ highAvailability: false, costOverResilience: true, monthlyBudget: 50, shortName: "dev" });
  expect(c.environments.qa).toMatchObject({ highAvailability: true, deletionProtection: true, costOverResilience: false, shortName: "qa" });
});

test("every region the defaults use is known, and each cloud lists its regions once", () => {
  for (const cloud of CLOUDS) expect(new Set(KNOWN_REGIONS[cloud]).size).toBe(KNOWN_REGIONS[cloud].length);
  expect(() => resolveConfig(TEST_CONFIG)).not.toThrow();
  expect(() => resolveConfig({})).not.toThrow();
});

test("the app exits non-zero on a bad configuration and writes no cdktf.out", () => {
  const run = runApp({ project: "Bad_Project", aws: { region: "us-east-9" }, budget: { alertEmails: ["nobody"] } });
  expect(run.status).not.toBe(0);
  expect(run.stderr).toContain("project: 'Bad_Project' is not valid");
  expect(run.stderr).toContain("aws.region: 'us-east-9' is not valid");
  expect(run.stderr).toContain("budget.alertEmails[0]: 'nobody' is not valid");
  expect(run.stderr).toContain("Nothing was written.");
  expect(run.written).toBeUndefined();
});

test.each([
  ["null", "null"],
  ["a string", JSON.stringify("aws")],
  ["duplicate clouds", JSON.stringify({ clouds: ["aws", "aws"] })],
  ["alertEmails as a string", JSON.stringify({ budget: { alertEmails: "ops@example.com" } })],
])("the app answers a configuration that is %s with a field-level error, not a crash", (_what, text) => {
  const dir = tempDir("cfg");
  try {
    fs.writeFileSync(path.join(dir, "c.json"), text);
    const run = runApp(undefined, { PLATFORM_CONFIG: path.join(dir, "c.json") });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Platform configuration:");
    expect(run.stderr).not.toContain("a bug in this project");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
