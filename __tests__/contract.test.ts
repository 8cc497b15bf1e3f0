/**
 * The cloud-neutral contract, table-driven over every cloud: the same stack
 * gives the same outputs and backend everywhere, and the same bad input is
 * refused with the same message by every cloud's implementation.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CLOUDS, Cloud, ENVIRONMENTS, Environment, cidrSubnet, cidrsOverlap, parseCidr, shortHash } from "../constructs/core";
import { MAX_NETWORK_PREFIX, MAX_ZONES, MIN_NETWORK_PREFIX, planSubnets } from "../constructs/network";
import { privateServicesRange } from "../constructs/gcp/network";
import { SIZE_TABLE, skuFor } from "../constructs/sizes";
import { buildApp } from "../stacks/app";
import { resolveConfig, validateConfig } from "../stacks/config";
import { stackName } from "../stacks/platform-stack";
import { TEST_CONFIG, TfJson, platformStack, runApp, synthStack, validationErrorOf } from "./helpers";

const CLOUDS_UNDER_TEST: readonly Cloud[] = CLOUDS;
const cases: Array<[Cloud, Environment]> = CLOUDS_UNDER_TEST.flatMap((c) => ENVIRONMENTS.map((e) => [c, e] as [Cloud, Environment]));
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
        dynamodb_table: "terraform-locks",
        use_lockfile: true,
      },
    });
  });

  test("the same six outputs; only the connection string is sensitive and it holds no password", () => {
    const outputs = tf.output!;
    expect(Object.keys(outputs).sort()).toEqual(["bucket_name", "database_connection_string", "database_endpoint", "network_id", "vm_id", "vm_private_ip"]);
    for (const [name, out] of Object.entries(outputs)) {
      expect(out.sensitive ?? false).toBe(name === "database_connection_string");
      expect(out.value).toMatch(/\$\{/); // every output is a reference to a real resource attribute
    }
    const cs = outputs.database_connection_string.value;
    expect(cs).toMatch(/^postgresql:\/\/[a-z_]+@\$\{.+\}:5432\/taskflow\?sslmode=require$/);
  });

  test("no literal secret anywhere in the JSON", () => {
    const offenders: string[] = [];
    const walk = (v: unknown, at: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
      else if (v && typeof v === "object") Object.entries(v).forEach(([k, x]) => walk(x, `${at}.${k}`));
      else if (typeof v === "string" && /(password|secret|private_key|access_key)(_wo)?$/i.test(at) && !/^\$\{(var|data|random|ephemeral)\./.test(v)) {
        offenders.push(`${at} = ${v}`);
      }
    };
    walk(tf.resource, "resource");
    walk(tf.provider, "provider");
    expect(offenders).toEqual([]);
  });

  test("required Terraform version supports write-only attributes and use_lockfile", () => {
    expect((tf.terraform as { required_version?: string }).required_version).toBe(">= 1.11.0");
  });
});

describe.each(CLOUDS_UNDER_TEST)("%s: every implementation calls the shared validation", (cloud) => {
  test("fails when the network CIDR is invalid, too large, or public", () => {
    for (const [cidr, accepted] of [
      ["10.0.0.0/33", "an IPv4 CIDR block with zero host bits"],
      ["10.0.0.1/16", "an IPv4 CIDR block with zero host bits"],
      ["10.0.0.0/12", "a prefix length from /16 to /20"],
      ["8.8.0.0/16", "a private RFC 1918 range"],
    ]) {
      const { stack, platform } = platformStack(cloud);
      const err = validationErrorOf(() => platform.createNetwork(stack, "net", { cidr }));
      expect(err.message).toContain(`network.cidr: '${cidr}' is not valid; accepted: ${accepted}`);
    }
  });

  test("fails when the VM size has no mapping, and names the sizes that do", () => {
    const { stack, platform } = platformStack(cloud);
    const network = platform.createNetwork(stack, "net", {});
    const err = validationErrorOf(() => platform.createVirtualMachine(stack, "vm", { network, size: "xlarge" as never }));
    expect(err.message).toContain("virtualMachine.size: 'xlarge' is not valid; accepted: one of small, medium, large");
  });

  test("fails when SSH is open to the world, and collects every error at once", () => {
    const { stack, platform } = platformStack(cloud);
    const network = platform.createNetwork(stack, "net", {});
    const err = validationErrorOf(() =>
      platform.createVirtualMachine(stack, "vm", {
        network,
        rootVolumeGb: 5,
        ingress: [{ port: 22, sources: ["0.0.0.0/0"], description: "ssh" }, { port: 70000, sources: ["nope"], description: "" }],
      }),
    );
    expect(err.issues.map((i) => i.field)).toEqual([
      "virtualMachine.rootVolumeGb",
      "virtualMachine.ingress[0].sources[0]",
      "virtualMachine.ingress[1].port",
      "virtualMachine.ingress[1].description",
      "virtualMachine.ingress[1].sources[0]",
    ]);
    expect(err.message).toContain("virtualMachine.ingress[0].sources[0]: '0.0.0.0/0' is not valid; accepted: a narrower range than the whole internet for SSH (port 22)");
  });

  test("fails when database inputs are out of range", () => {
    const { stack, platform } = platformStack(cloud);
    const network = platform.createNetwork(stack, "net", {});
    const err = validationErrorOf(() =>
      platform.createPostgresDatabase(stack, "db", {
        network,
        version: "12" as never,
        storageGb: 50,
        maxStorageGb: 30,
        backupRetentionDays: 3,
        adminUsername: "postgres",
        maintenanceWindow: "Monday 4am",
      }),
    );
    expect(err.message).toContain("database.version: '12' is not valid; accepted: one of 15, 16, 17");
    expect(err.message).toContain("database.maxStorageGb: 30 is not valid; accepted: at least database.storageGb (50)");
    expect(err.message).toContain("database.backupRetentionDays: 3 is not valid; accepted: a whole number from 7 to 35");
    expect(err.message).toContain("database.adminUsername: 'postgres' is not valid; accepted: a name that is not reserved");
    expect(err.message).toContain("database.maintenanceWindow: 'Monday 4am' is not valid; accepted: a UTC window 'Ddd:hh:mm-Ddd:hh:mm'");
  });

  test("fails when the bucket base name breaks the shared rules", () => {
    const { stack, platform } = platformStack(cloud);
    const err = validationErrorOf(() => platform.createObjectStore(stack, "store", { baseName: "Uploads_Bucket" }));
    expect(err.message).toContain("objectStore.baseName: 'Uploads_Bucket' is not valid; accepted: 3-40 lowercase letters, digits and hyphens");
  });

  test("fails when the budget has no recipients or a bad amount", () => {
    const { stack, platform } = platformStack(cloud);
    const err = validationErrorOf(() => platform.createBudget(stack, "budget", { monthlyLimit: -5, alertEmails: ["not-an-email"] }));
    expect(err.message).toContain("budget.monthlyLimit: -5 is not valid; accepted: a number from 1 to 10000000");
    expect(err.message).toContain("budget.alertEmails[0]: 'not-an-email' is not valid; accepted: an e-mail address");
  });

  test("fails when a resource of another cloud is passed in", () => {
    const other = CLOUDS.find((c) => c !== cloud)!;
    const { stack, platform } = platformStack(cloud);
    const foreign = { cloud: other, networkId: "x", cidr: "10.0.0.0/16", plan: planSubnets("10.0.0.0/16", 2) };
    expect(() => platform.createVirtualMachine(stack, "vm", { network: foreign })).toThrow(
      `virtualMachine.network: a ${other} resource cannot be used by a ${cloud} resource`,
    );
  });

  test("every size has a SKU on this cloud", () => {
    for (const size of Object.keys(SIZE_TABLE) as Array<keyof typeof SIZE_TABLE>) {
      expect(skuFor(cloud, size, "size").vm).toMatch(/\S/);
      expect(skuFor(cloud, size, "size").database).toMatch(/\S/);
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

  test("stack names say the cloud and the environment", () => {
    expect(CLOUDS.flatMap((c) => ENVIRONMENTS.map((e) => stackName(c, e)))).toEqual([
      "aws-staging",
      "aws-production",
      "gcp-staging",
      "gcp-production",
      "azure-staging",
      "azure-production",
    ]);
  });
});

describe("the app refuses bad input and writes nothing", () => {
  test.each([
    ["an unknown cloud", { clouds: ["aws", "oracle"] }, {}, "clouds[1]: 'oracle' is not valid; accepted: one of aws, gcp, azure"],
    ["an unknown environment", { environments: ["qa"] }, {}, "environments[0]: 'qa' is not valid; accepted: one of staging, production"],
    ["an invalid region", { clouds: ["aws"], aws: { region: "us-east" } }, {}, "aws.region: 'us-east' is not valid; accepted: an AWS region"],
    ["an invalid budget e-mail", { budget: { alertEmails: ["ops"] } }, {}, "budget.alertEmails[0]: 'ops' is not valid; accepted: an e-mail address"],
    ["a project name clouds reject", { project: "Task_Flow" }, {}, "project: 'Task_Flow' is not valid; accepted: 3-16 lowercase letters"],
    [
      "a project name too long for an Azure storage account (found while building the stack)",
      { project: "abcdefghijklmnop", clouds: ["azure"] },
      {},
      "project: 'abcdefghijklmnop' is not valid; accepted: a storage account name of at most 24 lowercase letters and digits",
    ],
    ["an unknown PLATFORM_CLOUD", { clouds: ["aws"] }, { PLATFORM_CLOUD: "ibm" }, "PLATFORM_CLOUD: 'ibm' is not valid; accepted: one of aws, gcp, azure"],
    ["an unknown PLATFORM_ENVIRONMENT", { clouds: ["aws"] }, { PLATFORM_ENVIRONMENT: "dev" }, "PLATFORM_ENVIRONMENT: 'dev' is not valid; accepted: one of staging, production"],
  ])("fails on %s", (_what, config, env, message) => {
    const r = runApp(config, env);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("Nothing was written.");
    expect(r.written).toBeUndefined();
  });

  test("synthesizes every configured stack when the input is valid", () => {
    const r = runApp({ clouds: ["aws"] });
    // The only stderr output of a valid run: the policy check's one line per exemption in force.
    expect(r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("policy: exemption "))).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.written).toEqual(["aws-production", "aws-staging", "state-bootstrap"]);
  });
});

describe("what is checked is what is written", () => {
  test("buildApp seals every stack after the policy check, and synth writes exactly the sealed JSON", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "sealed-"));
    try {
      const config = validateConfig(resolveConfig({ ...TEST_CONFIG, clouds: ["aws"], environments: ["staging"] }));
      const { app, stacks } = buildApp({ config, outdir, policyLog: () => undefined });
      expect(stacks.map((s) => s.sealed)).toEqual([true]);
      const checked = stacks[0].seal();
      // A change after the check does not reach the output: the written JSON is the checked JSON.
      stacks[0].addOverride("terraform.required_version", ">= 0.1");
      app.synth();
      const written = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "aws-staging", "cdk.tf.json"), "utf8"));
      expect(written).toEqual(JSON.parse(JSON.stringify(checked)));
      expect(written.terraform.required_version).toBe(">= 1.11.0");
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
