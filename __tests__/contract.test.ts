/**
 * The cloud-neutral contract, table-driven over every cloud: the same stack
 * gives the same outputs and backend everywhere, the same bad input is refused
 * with the same message by every cloud's implementation, grants and
 * connections work for any grantee and peer (not only VMs), the escape hatch
 * reaches every provider resource with full types, and a sealed stack refuses
 * late changes.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { Construct } from "constructs";
import { CLOUDS, Cloud, UserError, cidrSubnet, cidrsOverlap, parseCidr, shortHash } from "../constructs/core";
import { IComputeIdentity } from "../constructs/compute-identity";
import { IConnectable, Peer } from "../constructs/connections";
import { IGrantable } from "../constructs/grants";
import { INetwork, MAX_NETWORK_PREFIX, MAX_ZONES, MIN_NETWORK_PREFIX, planSubnets } from "../constructs/network";
import { onCloud } from "../constructs/on-cloud";
import { privateServicesRange } from "../constructs/gcp/network";
import { SIZE_TABLE, skuFor } from "../constructs/sizes";
import { CloudStack, stackName } from "../constructs/stack";
import { buildApp } from "../stacks/app";
import { APPLICATION_PORT } from "../stacks/platform-stack";
import { TfJson, allItems, at, buildStack, platformStack, refAt, runApp, synthJson, synthStack, testConfig, under, validationErrorOf } from "./helpers";
import { tempDir } from "./workflow-helpers";

const ENVIRONMENTS = ["staging", "production"] as const;
const PLATFORM_OUTPUTS = ["app_tier_id", "app_url", "bucket_name", "database_connection_string", "database_credentials_secret", "database_endpoint", "dns_records", "entry_address", "entry_origin_header", "network_id"];
const cases: Array<[Cloud, string]> = CLOUDS.flatMap((c) => ENVIRONMENTS.map((e) => [c, e] as [Cloud, string]));
const synthesized = new Map<string, TfJson>(cases.map(([c, e]) => [`${c}-${e}`, synthStack(c, e)]));

describe.each(cases)("%s %s: shared contract", (cloud, env) => {
  const tf = synthesized.get(`${cloud}-${env}`)!;

  test("S3 backend, encrypted, DynamoDB lock plus lock file, key naming project, environment and cloud", () => {
    expect(tf.terraform.backend).toEqual({
      s3: {
        bucket: "taskflow-terraform-state",
        key: `taskflow/${env}/${cloud}/terraform.tfstate`,
        region: "us-east-1",
        encrypt: true,
        kms_key_id: "alias/taskflow-terraform-state",
        dynamodb_table: "terraform-locks",
        use_lockfile: true,
      },
    });
  });

  test("the same outputs on every cloud (plus what the worker stack reads); only the connection string and the credentials secret's reference are sensitive, and neither holds a password", () => {
    const outputs = Object.fromEntries(Object.entries(tf.output!).filter(([name]) => !name.startsWith("cross-stack-output-")));
    expect(Object.keys(outputs).sort()).toEqual(PLATFORM_OUTPUTS);
    for (const [name, out] of Object.entries(outputs)) {
      expect(out.sensitive ?? false).toBe(name === "database_connection_string" || name === "database_credentials_secret");
      // Every output is a reference to a real resource attribute, except what is known at synth: the URL of the
      // configured domain, and the fixed note where no origin header is needed.
      if (name === "entry_origin_header" && cloud !== "azure") expect(out.value).toBe("none: the app tier admits the entry only");
      else if (name !== "app_url") expect(JSON.stringify(out.value)).toMatch(/\$\{/);
    }
    // The secret's reference (ARN, secret id, versionless Key Vault id), never its value.
    expect(outputs.database_credentials_secret.value).toMatch(
      { aws: /^\$\{aws_db_instance\.[^.]+\.master_user_secret\[0\]\.secret_arn\}$/, gcp: /^\$\{google_secret_manager_secret\.[^.]+\.id\}$/, azure: /^\$\{azurerm_key_vault_secret\.[^.]+\.versionless_id\}$/ }[cloud],
    );
    const cs = outputs.database_connection_string.value;
    expect(cs).toMatch(/^postgresql:\/\/[a-z_]+@\$\{.+\}:5432\/taskflow\?sslmode=require$/);
    expect(outputs.app_url.value).toBe(`https://${env}.taskflow.example.com`);
    const records = outputs.dns_records.value as unknown as { name: string; type: string; purpose: string }[];
    expect(records.some((r) => r.name === `${env}.taskflow.example.com` && r.purpose === "serve")).toBe(true);
  });

  test("no literal secret anywhere in the JSON", () => {
    const offenders: string[] = [];
    const walk = (v: unknown, where: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`));
      else if (v && typeof v === "object") Object.entries(v).forEach(([k, x]) => walk(x, `${where}.${k}`));
      else if (
        typeof v === "string" &&
        /(password|secret|private_key|access_key)(_wo)?$/i.test(where) &&
        !/^\$\{(var|data|random|ephemeral)\./.test(v) &&
        // A reference to a secret (Secret Manager's `secret` argument of a version) names the secret, it holds no value.
        !/^\$\{google_secret_manager_secret\.[^.}]+\.id\}$/.test(v)
      ) {
        offenders.push(`${where} = ${v}`);
      }
    };
    walk(tf.resource, "resource");
    walk(tf.provider, "provider");
    expect(offenders).toEqual([]);
  });

  test("required Terraform version supports write-only attributes and use_lockfile", () => {
    expect((tf.terraform as { required_version?: string }).required_version).toBe(">= 1.11.0");
  });

  test("the database admits PostgreSQL from the app tier's identity only (and the worker's, written in the worker stack)", () => {
    const dbRules = allItems(tf).filter((i) => i.path.includes("/database/from-") || i.path.includes("/network/data/database-from-"));
    expect(dbRules.map((r) => r.path.split("/").pop())).toEqual([cloud === "azure" ? "database-from-app-identity" : "from-app-identity"]);
    for (const r of dbRules) expect(JSON.stringify(r.body)).toMatch(/5432/);
  });

  test("grantConnect: the app tier's identity reads the credentials secret, and nothing else in the platform stack does (the worker's grant is in its own stack)", () => {
    const grants = allItems(tf).filter((i) => /\/database\/credentials\/(grant-)?read-/.test(i.path));
    expect(grants.map((g) => g.path.split("/").pop())).toEqual([cloud === "aws" ? "grant-read-app" : "read-app"]);
    const [grant] = grants;
    // The grant names the secret the output points at (its resource), and the app tier's identity.
    const secretResource = String(tf.output!.database_credentials_secret.value).replace(/^\$\{/, "").split(".").slice(0, 2).join(".");
    const identity = { aws: "aws_iam_role.app_identity", gcp: "google_service_account.app_identity", azure: "azurerm_user_assigned_identity.app_identity" }[cloud];
    const body = JSON.stringify(grant.body);
    expect(body).toContain(`${secretResource}.`);
    expect(body).toContain(identity);
    // Read only: the role or action that reads a secret's value, nothing that writes or administers it.
    expect(body).toMatch({ aws: /secretsmanager:GetSecretValue/, gcp: /roles\/secretmanager\.secretAccessor/, azure: /Key Vault Secrets User/ }[cloud]);
    expect(body).not.toMatch(/secretsmanager:(Put|Update|Delete)|secretmanager\.admin|Key Vault Secrets Officer|"secretsmanager:\*"/);
  });

  test("the app tier's port is admitted from the HTTPS entry only (and the load balancer's health probes where the cloud needs a rule); no address range in stack code", () => {
    const tierRules = allItems(tf).filter((i) => /\/app\/identity\/from-|\/network\/application\/app-identity-from-/.test(i.path));
    const onAppPort = tierRules.filter((r) => JSON.stringify(r.body).includes(`"${APPLICATION_PORT}"`) || JSON.stringify(r.body).includes(`:${APPLICATION_PORT},`) || r.body.from_port === APPLICATION_PORT);
    const names = onAppPort.map((r) => r.path.split("/").pop()).sort();
    expect(names).toEqual(cloud === "azure" ? ["app-identity-from-app-load-balancer", "app-identity-from-entry"] : ["from-entry"]);
    // What else reaches the tier: SSH for operators only where the profile asks for it, and never from the internet.
    const others = tierRules.filter((r) => !onAppPort.includes(r));
    if (env === "production") expect(others).toEqual([]);
    for (const r of others) expect(JSON.stringify(r.body)).not.toMatch(/0\.0\.0\.0\/0|"Internet"/);
  });
});

/** What each implementation of a contract checks with the shared validation, on every cloud. */
describe.each(CLOUDS)("%s: every implementation calls the shared validation", (cloud) => {
  test("fails when the network CIDR is invalid, too large, or public", () => {
    for (const [cidr, accepted] of [
      ["10.0.0.0/33", "an IPv4 CIDR block with zero host bits"],
      ["10.0.0.1/16", "an IPv4 CIDR block with zero host bits"],
      ["10.0.0.0/12", "a prefix length from /16 to /20"],
      ["8.8.0.0/16", "a private RFC 1918 range"],
    ]) {
      const { stack, kit } = platformStack(cloud);
      const err = validationErrorOf(() => new kit.Network(stack, "net", { cidr }));
      expect(err.message).toContain(`network.cidr: '${cidr}' is not valid; accepted: ${accepted}`);
    }
  });

  test("fails when the VM size has no mapping, and names the sizes that do", () => {
    const { stack, kit } = platformStack(cloud);
    const network = new kit.Network(stack, "net", {});
    const err = validationErrorOf(() => new kit.VirtualMachine(stack, "vm", { network, size: "xlarge" as never }));
    expect(err.message).toContain("virtualMachine.size: 'xlarge' is not valid; accepted: one of small, medium, large");
  });

  test("fails when a sensitive port is opened to the world, and when the port is invalid", () => {
    const { stack, kit } = platformStack(cloud);
    const network = new kit.Network(stack, "net", {});
    const vm = new kit.VirtualMachine(stack, "vm", { network });
    expect(validationErrorOf(() => vm.connections.allowFrom(Peer.anyIpv4(), 22)).message).toContain(
      "allowFrom(peer): '0.0.0.0/0' is not valid; accepted: a narrower range than the whole internet for SSH (port 22)",
    );
    expect(validationErrorOf(() => vm.connections.allowFrom(Peer.ipv4("10.0.0.0/8"), 70000)).message).toContain("allowFrom(port): 70000 is not valid");
    expect(validationErrorOf(() => vm.connections.allowFrom(Peer.ipv4("nope"), 443)).message).toContain("allowFrom(peer): 'nope' is not valid; accepted: an IPv4 CIDR block");
  });

  test("fails when database inputs are out of range, every problem in one error", () => {
    const { stack, kit } = platformStack(cloud);
    const network = new kit.Network(stack, "net", {});
    const err = validationErrorOf(
      () =>
        new kit.PostgresDatabase(stack, "db", {
          network,
          version: "12" as never,
          storageGb: 50,
          backupRetentionDays: 3,
          adminUsername: "postgres",
          maintenanceWindow: "Monday 4am",
        }),
    );
    expect(err.message).toContain("database.version: '12' is not valid; accepted: one of 15, 16, 17");
    expect(err.message).toContain("database.backupRetentionDays: 3 is not valid; accepted: a whole number from 7 to 35");
    expect(err.message).toContain("database.adminUsername: 'postgres' is not valid; accepted: a name that is not reserved");
    expect(err.message).toContain("database.maintenanceWindow: 'Monday 4am' is not valid; accepted: a UTC window 'Ddd:hh:mm-Ddd:hh:mm'");
  });

  test("fails when the bucket base name breaks the shared rules", () => {
    const { stack, kit } = platformStack(cloud);
    const err = validationErrorOf(() => new kit.ObjectStore(stack, "store", { baseName: "Uploads_Bucket" }));
    expect(err.message).toContain("objectStore.baseName: 'Uploads_Bucket' is not valid; accepted: 3-40 lowercase letters, digits and hyphens");
  });

  test("fails when the budget has no recipients or a bad amount", () => {
    const { stack, kit } = platformStack(cloud);
    const err = validationErrorOf(() => new kit.Budget(stack, "budget", { monthlyLimit: -5, alertEmails: ["not-an-email"] }));
    expect(err.message).toContain("budget.monthlyLimit: -5 is not valid; accepted: a number from 1 to 10000000");
    expect(err.message).toContain("budget.alertEmails[0]: 'not-an-email' is not valid; accepted: an e-mail address");
  });

  test("fails when a network of another cloud is passed in, naming both clouds", () => {
    const other = CLOUDS.find((c) => c !== cloud)!;
    const { stack: foreignStack, kit: foreignKit } = platformStack(other);
    const foreign = new foreignKit.Network(foreignStack, "net", {});
    const { stack, kit } = platformStack(cloud);
    expect(validationErrorOf(() => new kit.VirtualMachine(stack, "vm", { network: foreign })).message).toContain(
      `virtualMachine.network: '${foreignStack.node.id}/net (${other})' is not valid; accepted: a ${cloud} network of the same stack`,
    );
  });

  test("fails when a construct of this cloud is built in a stack of another cloud", () => {
    const other = CLOUDS.find((c) => c !== cloud)!;
    const { stack } = platformStack(other);
    const kit = platformStack(cloud).kit;
    expect(validationErrorOf(() => new kit.Network(stack, "net", {})).message).toContain(`accepted: a scope in a ${cloud} stack`);
  });

  test("cloud limits come in the same pass as the shared rules", () => {
    const { stack, kit } = platformStack(cloud);
    const err = validationErrorOf(() => new kit.Network(stack, "net", { cidr: "8.8.0.0/16", flowLogRetentionDays: 3653 }));
    expect(err.issues.map((i) => i.field)).toEqual(cloud === "aws" ? ["network.cidr"] : ["network.cidr", "network.flowLogRetentionDays"]);
  });

  test("every size has a SKU on this cloud", () => {
    for (const size of Object.keys(SIZE_TABLE) as Array<keyof typeof SIZE_TABLE>) {
      expect(skuFor(cloud, size, "size").vm).toMatch(/\S/);
      expect(skuFor(cloud, size, "size").database).toMatch(/\S/);
    }
  });
});

/**
 * A compute kind the platform does not know: it composes a ComputeIdentity and
 * offers its identity and network identity. Grants and connections must work
 * for it exactly as for a VM.
 */
class StandInCompute extends Construct implements IConnectable, IGrantable {
  public readonly identity: IComputeIdentity;
  constructor(scope: Construct, id: string, stack: CloudStack, network: INetwork) {
    super(scope, id);
    this.identity = new stack.kit.ComputeIdentity(this, "identity", { network, name: id });
  }
  public get connections() {
    return this.identity.connections;
  }
  public get grantPrincipal() {
    return this.identity.grantPrincipal;
  }
}

describe.each(CLOUDS)("%s: grants and connections work for any grantee and peer", (cloud) => {
  function build() {
    const { stack, kit } = platformStack(cloud, "production");
    const network = new kit.Network(stack, "network", {});
    const vm = new kit.VirtualMachine(stack, "vm", { network });
    const worker = new StandInCompute(stack, "worker", stack, network);
    const store = new kit.ObjectStore(stack, "store", {});
    const db = new kit.PostgresDatabase(stack, "db", { network, size: "medium" });
    store.grantReadWrite(vm);
    store.grantRead(worker);
    db.allowConnectionsFrom(vm);
    db.allowConnectionsFrom(worker);
    worker.connections.allowFrom(vm, 9000);
    return synthJson(stack);
  }
  const tf = build();
  const principal = {
    aws: (p: string) => refAt(tf, `${p}/identity/Resource`, "name"),
    gcp: (p: string) => refAt(tf, `${p}/identity/Resource`, "member"),
    azure: (p: string) => refAt(tf, `${p}/identity/Resource`, "principal_id"),
  }[cloud];

  test("read-write for the VM and read-only for the stand-in, each on its own identity", () => {
    const grants = under(tf, "store").filter((g) => /grant|read/.test(g.path.split("/").pop()!));
    const byGrantee = (p: string) => grants.filter((g) => JSON.stringify(g.body).includes(principal(p)));
    expect(byGrantee("vm")).toHaveLength(1);
    expect(byGrantee("worker")).toHaveLength(1);
    const vmGrant = JSON.stringify(byGrantee("vm")[0].body);
    const workerGrant = JSON.stringify(byGrantee("worker")[0].body);
    const expected = {
      aws: { rw: ["s3:PutObject", "s3:DeleteObject"], ro: "s3:GetObject", notRo: "s3:PutObject" },
      gcp: { rw: ["roles/storage.objectUser"], ro: "roles/storage.objectViewer", notRo: "roles/storage.objectUser" },
      azure: { rw: ["Storage Blob Data Contributor"], ro: "Storage Blob Data Reader", notRo: "Contributor" },
    }[cloud];
    for (const a of expected.rw) expect(vmGrant).toContain(a);
    expect(workerGrant).toContain(expected.ro);
    expect(workerGrant).not.toContain(expected.notRo);
  });

  test("the database admits both peers on 5432 and nothing else", () => {
    const rules = allItems(tf).filter((i) => /\/db\/from-|\/network\/data\/db-from-/.test(i.path));
    expect(rules.map((r) => r.path.split("/").pop()).sort()).toEqual(["db-from-vm-identity", "db-from-worker-identity"].map((x) => (cloud === "azure" ? x : x.replace(/^db-/, ""))).sort());
    for (const r of rules) expect(JSON.stringify(r.body)).toContain("5432");
  });

  test("one connectable admits another on any port, written on both sides where the cloud has two", () => {
    const ingress = allItems(tf).filter((i) => /worker.*from-vm-identity/.test(i.path));
    expect(ingress).toHaveLength(1);
    expect(JSON.stringify(ingress[0].body)).toContain("9000");
    const egress = allItems(tf).filter((i) => /vm.*to-worker-identity/.test(i.path));
    expect(egress).toHaveLength(cloud === "gcp" ? 0 : 1); // GCP's VPC egress is open by default: one ingress rule says it all
  });

  test("a grantee or peer of another cloud is refused, naming both clouds", () => {
    const other = CLOUDS.find((c) => c !== cloud)!;
    const { stack: os2, kit: ok } = platformStack(other);
    const foreignVm = new ok.VirtualMachine(os2, "vm", { network: new ok.Network(os2, "net", {}) });
    const { stack, kit } = platformStack(cloud);
    const store = new kit.ObjectStore(stack, "store", {});
    const db = new kit.PostgresDatabase(stack, "db", { network: new kit.Network(stack, "net", {}), size: "medium" });
    expect(validationErrorOf(() => store.grantRead(foreignVm)).message).toContain(`accepted: an identity on ${cloud}`);
    expect(validationErrorOf(() => db.allowConnectionsFrom(foreignVm)).message).toContain(`accepted: a peer on ${cloud}`);
  });
});

describe.each(CLOUDS)("%s: escape hatches", (cloud) => {
  test("every construct's main resource has the id Resource, the same field name, and node.defaultChild finds it", () => {
    const { stack, kit } = platformStack(cloud, "production");
    const network = new kit.Network(stack, "network", {});
    const items = [network, new kit.ObjectStore(stack, "store", {}), new kit.PostgresDatabase(stack, "db", { network, size: "medium" }), new kit.VirtualMachine(stack, "vm", { network })];
    for (const c of items) {
      expect(c.resource.node.id).toBe("Resource");
      expect(c.node.defaultChild).toBe(c.resource);
    }
  });

  test("onCloud narrows to the cloud's class and a typed override reaches the JSON of the network, the database and the bucket", () => {
    const { stack, kit } = platformStack(cloud, "production");
    const network = new kit.Network(stack, "network", {});
    const db = new kit.PostgresDatabase(stack, "db", { network, size: "medium" });
    const store = new kit.ObjectStore(stack, "store", {});
    onCloud(network, {
      aws: (n) => n.resource.addOverride("enable_network_address_usage_metrics", true),
      gcp: (n) => n.resource.addOverride("mtu", 1500),
      azure: (n) => n.resource.addOverride("flow_timeout_in_minutes", 10),
    });
    onCloud(db, {
      aws: (d) => {
        d.resource.performanceInsightsRetentionPeriod = 731;
      },
      gcp: (d) => d.resource.addOverride("settings.insights_config.query_string_length", 2048),
      azure: (d) => d.resource.addOverride("create_mode", "Default"),
    });
    const which = onCloud(store, { aws: (s) => s.resource.bucket, gcp: (s) => s.resource.name, azure: (s) => s.resource.name });
    expect(which).toMatch(/\$\{/);
    onCloud(store, {
      aws: (s) => s.resource.addOverride("object_lock_enabled", false),
      gcp: (s) => s.resource.addOverride("default_event_based_hold", false),
      azure: (s) => s.resource.addOverride("large_file_share_enabled", false),
    });
    const tf = synthJson(stack);
    expect(at(tf, "network/Resource").body).toMatchObject({ aws: { enable_network_address_usage_metrics: true }, gcp: { mtu: 1500 }, azure: { flow_timeout_in_minutes: 10 } }[cloud]);
    expect(at(tf, "db/Resource").body).toMatchObject(
      { aws: { performance_insights_retention_period: 731 }, gcp: { settings: { insights_config: { query_string_length: 2048 } } }, azure: { create_mode: "Default" } }[cloud],
    );
    expect(at(tf, "store/Resource").body).toMatchObject({ aws: { object_lock_enabled: false }, gcp: { default_event_based_hold: false }, azure: { large_file_share_enabled: false } }[cloud]);
  });
});

describe("a sealed stack refuses late changes", () => {
  function sealedStack() {
    const stack = buildStack("aws", "staging");
    synthJson(stack);
    return { stack };
  }

  test("an override on a resource after the check throws instead of being dropped", () => {
    const { stack } = sealedStack();
    const db = stack.node.findChild("database").node.defaultChild!;
    expect(() => (db as unknown as { addOverride(p: string, v: unknown): void }).addOverride("multi_az", true)).toThrow(UserError);
    expect(() => (db as unknown as { addOverride(p: string, v: unknown): void }).addOverride("multi_az", true)).toThrow("after the stack was checked and sealed");
  });

  test("a stack override or a new construct after the check throws", () => {
    const { stack } = sealedStack();
    expect(() => stack.addOverride("terraform.required_version", ">= 0.1")).toThrow("after it was checked and sealed");
    expect(() => new Construct(stack, "late")).toThrow(/Cannot add children to "aws-staging" during synthesis/);
  });

  test("synth writes exactly the JSON that was checked", () => {
    const outdir = tempDir("sealed");
    try {
      const { app, stacks } = buildApp({ config: testConfig({ clouds: ["aws"] }), selection: { cloud: "aws", environment: "staging" }, outdir, checkLog: () => undefined });
      app.synth();
      const written = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "aws-staging", "cdk.tf.json"), "utf8"));
      expect(written).toEqual(JSON.parse(JSON.stringify(stacks[0].toTerraform())));
      expect(stacks[0].sealed).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test("a plain cdktf App still runs the check: a violating stack fails its synth before anything is written", () => {
    const outdir = tempDir("plain-app");
    try {
      const app = new App({ outdir });
      const stack = new CloudStack(app, { cloud: "aws", environment: "production", config: testConfig({ clouds: ["aws"] }) });
      const network = new stack.kit.Network(stack, "network", {});
      new stack.kit.PostgresDatabase(stack, "db", { network }).resource.addOverride("storage_encrypted", false);
      const { PolicyError } = require("../constructs/policy") as typeof import("../constructs/policy");
      expect(() => app.synth()).toThrow(PolicyError);
      expect(fs.existsSync(path.join(outdir, "stacks", "aws-production", "cdk.tf.json"))).toBe(false);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("address plan and names", () => {
  test("the subnet plan carves /24s by tier and never overlaps", () => {
    const plan = planSubnets("10.0.0.0/16", 2);
    expect(plan).toEqual({ public: ["10.0.1.0/24", "10.0.2.0/24"], application: ["10.0.10.0/24", "10.0.11.0/24"], data: ["10.0.20.0/24", "10.0.21.0/24"] });
    const all = [...plan.public, ...plan.application, ...plan.data];
    for (const a of all) for (const b of all) if (a !== b) expect(cidrsOverlap(a, b)).toBe(false);
    expect(planSubnets("172.16.0.0/20", 3).data).toEqual(["172.16.1.64/28", "172.16.1.80/28", "172.16.1.96/28"]);
  });

  test("no two ranges of the plan overlap, for every accepted network size and zone count (GCP's private services range included)", () => {
    for (let prefix = MIN_NETWORK_PREFIX; prefix <= MAX_NETWORK_PREFIX; prefix++) {
      const cidr = `10.0.0.0/${prefix}`;
      for (let zones = 2; zones <= MAX_ZONES; zones++) {
        const plan = planSubnets(cidr, zones);
        const ranges = [...plan.public, ...plan.application, ...plan.data, privateServicesRange(cidr)];
        expect(new Set(ranges).size).toBe(ranges.length);
        for (let i = 0; i < ranges.length; i++) {
          for (let j = i + 1; j < ranges.length; j++) {
            if (cidrsOverlap(ranges[i], ranges[j])) throw new Error(`${cidr} with ${zones} zones: ${ranges[i]} overlaps ${ranges[j]}`);
          }
          expect(cidrsOverlap(ranges[i], cidr)).toBe(true); // inside the network
        }
      }
    }
  });

  test("CIDR helpers", () => {
    expect(parseCidr("10.0.0.0/16")).toEqual({ base: 0x0a000000, prefix: 16 });
    expect(parseCidr("10.0.0.256/16")).toBeUndefined();
    expect(cidrSubnet("10.0.0.0/16", 8, 255)).toBe("10.0.255.0/24");
    expect(() => cidrSubnet("10.0.0.0/16", 8, 256)).toThrow("does not fit");
    expect(cidrsOverlap("10.0.0.0/16", "10.0.5.0/24")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/16", "10.1.0.0/16")).toBe(false);
  });

  test("short hashes are stable and differ by input", () => {
    expect(shortHash("a")).toBe(shortHash("a"));
    expect(shortHash("aws/taskflow-staging/uploads")).not.toBe(shortHash("aws/taskflow-production/uploads"));
    expect(shortHash("x")).toMatch(/^[0-9a-z]{6}$/);
  });

  test("stack names say the component, the cloud and the environment", () => {
    expect(CLOUDS.flatMap((c) => ENVIRONMENTS.map((e) => stackName(c, e)))).toEqual(["aws-staging", "aws-production", "gcp-staging", "gcp-production", "azure-staging", "azure-production"]);
    expect(stackName("gcp", "dev", "worker")).toBe("worker-gcp-dev");
  });
});

describe("the app refuses bad input and writes nothing", () => {
  test.each([
    ["an unknown cloud", { clouds: ["aws", "oracle"] }, {}, "clouds[1]: 'oracle' is not valid; accepted: one of aws, gcp, azure"],
    ["an invalid region", { clouds: ["aws"], aws: { region: "us-east" } }, {}, "aws.region: 'us-east' is not valid; accepted: an AWS region"],
    ["an invalid budget e-mail", { budget: { alertEmails: ["ops"] } }, {}, "budget.alertEmails[0]: 'ops' is not valid; accepted: an e-mail address"],
    ["a project name clouds reject", { project: "Task_Flow" }, {}, "project: 'Task_Flow' is not valid; accepted: 3-12 lowercase letters"],
    ["an unknown PLATFORM_CLOUD", { clouds: ["aws"] }, { PLATFORM_CLOUD: "ibm" }, "PLATFORM_CLOUD: 'ibm' is not valid; accepted: one of aws, gcp, azure"],
    ["an unknown PLATFORM_ENVIRONMENT", { clouds: ["aws"] }, { PLATFORM_ENVIRONMENT: "dev" }, "environment: 'dev' is not valid; accepted: an environment of the configuration (staging, production)"],
  ])("fails on %s", (_what, config, env, message) => {
    const r = runApp(config, env);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("Nothing was written.");
    expect(r.stderr).not.toContain("a bug in this project");
    expect(r.written).toBeUndefined();
  });

  test("synthesizes every configured stack when the input is valid, printing only the check's summary", () => {
    const r = runApp({ clouds: ["aws"] });
    const lines = r.stderr.split("\n").filter((l) => l !== "");
    expect(lines[0]).toMatch(/^policy: 5 stacks x \d+ rules: 0 violations, \d+ findings accepted by decision$/);
    // TEMPORARY (issue 11): until the platform stack builds a load balancer, its staging exemption reads as stale.
    const notYetWired = (l: string) => l.startsWith("  STALE exemption AWS-LB-DELETION-PROTECTION for no-deletion-protection:");
    expect(lines.slice(1).every((l) => l.startsWith("  accepted ") || notYetWired(l))).toBe(true);
    expect(r.status).toBe(0);
    expect(r.written).toEqual(["aws-production", "aws-staging", "state-bootstrap", "worker-aws-production", "worker-aws-staging"]);
  });
});
