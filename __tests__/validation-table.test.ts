/**
 * Input validation, table-driven: each bad input must fail with a
 * ValidationError naming the field, showing the value and saying what is
 * accepted. Inputs are the same on every cloud (the contracts validate
 * before any cloud code runs); all errors are collected and reported at once,
 * and the app writes nothing when validation fails.
 */
import { CLOUDS } from "../constructs/core";
import { validateBudgetProps } from "../constructs/budget";
import { INetwork, validateNetworkProps } from "../constructs/network";
import { validateObjectStoreProps } from "../constructs/object-store";
import { PostgresDatabaseProps, validatePostgresDatabaseProps } from "../constructs/postgres-database";
import { skuFor } from "../constructs/sizes";
import { VirtualMachineProps, validateVirtualMachineProps } from "../constructs/virtual-machine";
import { KNOWN_REGIONS, PlatformConfigInput, resolveConfig, validateConfig } from "../stacks/config";
import { TEST_CONFIG, runApp, validationErrorOf } from "./helpers";

const network = { cloud: "aws", networkId: "n", cidr: "10.0.0.0/16", plan: { public: [], application: [], data: [] } } as INetwork;
const config = (o: PlatformConfigInput) => () => validateConfig(resolveConfig({ ...TEST_CONFIG, ...o }));
const vm = (o: Partial<VirtualMachineProps>) => () => validateVirtualMachineProps("app", { network, ...o });
const db = (o: Partial<PostgresDatabaseProps>) => () => validatePostgresDatabaseProps("database", { network, ...o });
const budget = { monthlyLimit: 100, alertEmails: ["ops@example.com"] };

/** [description, action, field, value as shown, text the "accepted" part must contain] */
const BAD_INPUTS: [string, () => unknown, string, unknown, string][] = [
  // configuration
  ["project with upper case", config({ project: "TaskFlow" }), "project", "TaskFlow", "lowercase"],
  ["project too long", config({ project: "a-very-long-project-name" }), "project", "a-very-long-project-name", "3-16"],
  ["unknown cloud", config({ clouds: ["oracle" as never] }), "clouds[0]", "oracle", "one of aws, gcp, azure"],
  ["no cloud", config({ clouds: [] }), "clouds", [], "non-empty list"],
  ["unknown environment", config({ environments: ["qa" as never] }), "environments[0]", "qa", "one of staging, production"],
  ["unknown AWS region", config({ aws: { region: "us-east-9" } }), "aws.region", "us-east-9", "an AWS region such as"],
  ["AZ instead of region", config({ aws: { region: "us-east-1a" } }), "aws.region", "us-east-1a", "KNOWN_REGIONS"],
  ["unknown GCP region", config({ gcp: { ...TEST_CONFIG.gcp, region: "europe-west5" } }), "gcp.region", "europe-west5", "a GCP region such as"],
  ["unknown Azure location", config({ azure: { ...TEST_CONFIG.azure, location: "West Europe" } }), "azure.location", "West Europe", "an Azure location such as"],
  ["backend region unknown", config({ backend: { region: "eu-west-9" } }), "backend.region", "eu-west-9", "KNOWN_REGIONS"],
  ["backend bucket with upper case", config({ backend: { bucket: "My_State" } }), "backend.bucket", "My_State", "S3 bucket name"],
  ["lock table too short", config({ backend: { dynamodbTable: "tf" } }), "backend.dynamodbTable", "tf", "3-255"],
  ["backend endpoint not a URL", config({ backend: { endpoints: { s3: "localhost:4569" } } }), "backend.endpoints.s3", "localhost:4569", "http(s) URL"],
  ["budget zero", config({ budget: { monthlyLimit: { staging: 0, production: 10 } } }), "budget.monthlyLimit.staging", 0, "from 1 to 10000000"],
  ["budget currency lower case", config({ budget: { currency: "usd" } }), "budget.currency", "usd", "ISO 4217"],
  ["no alert e-mail", config({ budget: { alertEmails: [] } }), "budget.alertEmails", [], "at least one e-mail"],
  ["bad alert e-mail", config({ budget: { alertEmails: ["ops@localhost"] } }), "budget.alertEmails[0]", "ops@localhost", "e-mail address"],
  ["GCP billing account malformed", config({ gcp: { ...TEST_CONFIG.gcp, billingAccount: "12345" } }), "gcp.billingAccount", "12345", "XXXXXX-XXXXXX-XXXXXX"],
  ["GCP project id too short", config({ gcp: { ...TEST_CONFIG.gcp, projectId: "abc" } }), "gcp.projectId(staging)", "abc", "6-30"],
  ["Azure subscription not a GUID", config({ azure: { ...TEST_CONFIG.azure, subscriptionId: "sub-1" } }), "azure.subscriptionId", "sub-1", "GUID"],
  ["Network Watcher name with a space", config({ azure: { ...TEST_CONFIG.azure, networkWatcher: { name: "Network Watcher" } } }), "azure.networkWatcher.name", "Network Watcher", "Network Watcher name"],
  ["tag value too long", config({ tags: { Team: "x".repeat(64) } }), "tags.Team", "x".repeat(64), "at most 63"],
  ["tag key with reserved prefix", config({ tags: { "aws:owner": "me" } }), "tags (key)", "aws:owner", "cloud-reserved prefix"],
  // network
  ["CIDR syntax", () => validateNetworkProps("network", { cidr: "10.0.0.0/33" }), "network.cidr", "10.0.0.0/33", "IPv4 CIDR"],
  ["CIDR host bits set", () => validateNetworkProps("network", { cidr: "10.0.1.0/16" }), "network.cidr", "10.0.1.0/16", "zero host bits"],
  ["CIDR too large", () => validateNetworkProps("network", { cidr: "10.0.0.0/8" }), "network.cidr", "10.0.0.0/8", "prefix length from /16 to /20"],
  ["CIDR too small", () => validateNetworkProps("network", { cidr: "10.0.0.0/24" }), "network.cidr", "10.0.0.0/24", "prefix length from /16 to /20"],
  ["CIDR public range", () => validateNetworkProps("network", { cidr: "8.8.0.0/16" }), "network.cidr", "8.8.0.0/16", "RFC 1918"],
  ["one zone", () => validateNetworkProps("network", { zoneCount: 1 }), "network.zoneCount", 1, "from 2 to 6"],
  ["NAT mode", () => validateNetworkProps("network", { natGateways: "none" as never }), "network.natGateways", "none", "per-zone, single"],
  ["flow log retention", () => validateNetworkProps("network", { flowLogRetentionDays: 30 }), "network.flowLogRetentionDays", "30", "90"],
  // virtual machine
  ["VM size", vm({ size: "xlarge" as never }), "virtualMachine.size", "xlarge", "small, medium, large"],
  ["root volume too small", vm({ rootVolumeGb: 5 }), "virtualMachine.rootVolumeGb", 5, "from 10 to 1024"],
  ["port out of range", vm({ ingress: [{ port: 70000, sources: ["10.0.0.0/16"], description: "app" }] }), "virtualMachine.ingress[0].port", 70000, "from 1 to 65535"],
  ["SSH from the internet", vm({ ingress: [{ port: 22, sources: ["0.0.0.0/0"], description: "ssh" }] }), "virtualMachine.ingress[0].sources[0]", "0.0.0.0/0", "narrower range than the whole internet for SSH"],
  ["PostgreSQL from the internet", vm({ ingress: [{ port: 5432, sources: ["0.0.0.0/0"], description: "db" }] }), "virtualMachine.ingress[0].sources[0]", "0.0.0.0/0", "PostgreSQL"],
  ["ingress source not a CIDR", vm({ ingress: [{ port: 8080, sources: ["10.0.0.300/24"], description: "app" }] }), "virtualMachine.ingress[0].sources[0]", "10.0.0.300/24", "IPv4 CIDR"],
  ["ingress without description", vm({ ingress: [{ port: 8080, sources: ["10.0.0.0/16"], description: "" }] }), "virtualMachine.ingress[0].description", "", "description"],
  ["SSH key not OpenSSH", vm({ sshPublicKey: "BEGIN RSA PRIVATE KEY" }), "virtualMachine.sshPublicKey", "BEGIN RSA PRIVATE KEY", "OpenSSH public key"],
  // object store
  ["bucket base name upper case", () => validateObjectStoreProps("uploads", { baseName: "Uploads" }), "objectStore.baseName", "Uploads", "lowercase"],
  ["bucket base name double hyphen", () => validateObjectStoreProps("uploads", { baseName: "up--loads" }), "objectStore.baseName", "up--loads", "no consecutive hyphens"],
  ["version expiry", () => validateObjectStoreProps("uploads", { noncurrentVersionExpirationDays: 0 }), "objectStore.noncurrentVersionExpirationDays", 0, "from 1 to 3650"],
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
  // budget
  ["budget amount negative", () => validateBudgetProps("budget", { ...budget, monthlyLimit: -5 }), "budget.monthlyLimit", -5, "from 1 to 10000000"],
  ["budget threshold", () => validateBudgetProps("budget", { ...budget, actualThresholdPercent: 0 }), "budget.actualThresholdPercent", 0, "from 1 to 1000"],
  ["budget e-mail", () => validateBudgetProps("budget", { ...budget, alertEmails: ["not-an-email"] }), "budget.alertEmails[0]", "not-an-email", "e-mail address"],
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

test("every problem is reported at once", () => {
  const error = validationErrorOf(config({ project: "X", aws: { region: "mars-1" }, budget: { currency: "usd", alertEmails: ["x"] } }));
  expect(error.issues.map((i) => i.field)).toEqual(["project", "backend.bucket", "budget.currency", "budget.alertEmails[0]", "aws.region"]);
});

test("every region the defaults use is known, and each cloud lists its regions once", () => {
  for (const cloud of CLOUDS) expect(new Set(KNOWN_REGIONS[cloud]).size).toBe(KNOWN_REGIONS[cloud].length);
  expect(() => validateConfig(resolveConfig(TEST_CONFIG))).not.toThrow();
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
