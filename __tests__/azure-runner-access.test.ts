/**
 * scripts/azure-runner-access.js: admitting a CI runner through the Key Vault firewall of an Azure environment
 * for one run. The script reads real synthesized stacks (the app, written to a temporary cdktf.out) and talks to
 * a fake `az` on PATH that keeps the vaults' firewall rules in a JSON file and records every call. The variable
 * it prints is checked by real Terraform against the stack's own variable block and ip_rules expression.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { ENVIRONMENT_NAME } from "../constructs/core";
import { DEPLOYER_IP_RANGES_VARIABLE } from "../constructs/azure/deployer-ranges";
import { PlatformConfigInput } from "../constructs/config";
import { buildApp } from "../stacks/app";
import { testConfig } from "./helpers";
import { PROJECT_ROOT, tempDir as newTempDir, writeExecutable } from "./workflow-helpers";
import { findTerraform, skipLoudly, terraformEnv } from "./terraform";

const SCRIPT = path.join(PROJECT_ROOT, "scripts", "azure-runner-access.js");
const script = require(SCRIPT) as { VARIABLE: string; ENVIRONMENT_NAME: RegExp };
const RUNNER = "203.0.113.7";
const RULE = `${RUNNER}/32`;
const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

/** What the fake az keeps: vault name -> its IP rules and how it answers on the data plane. */
interface FakeVault {
  ipRules: string[];
  /** How many data-plane reads still answer ForbiddenByFirewall. */
  firewallDenials?: number;
  /** The data plane answers ForbiddenByRbac (the firewall let the caller through). */
  rbacDenied?: boolean;
  /** The data plane answers ForbiddenByFirewall while the runner's rule is not in ipRules. */
  enforce?: boolean;
  /** How many `network-rule add` calls succeed but are lost (a concurrent PUT of the vault won). */
  lostAdds?: number;
}
interface FakeAz {
  vaults: Record<string, FakeVault>;
  /** `az keyvault network-rule add` fails with this message. */
  addFails?: string;
  /** Every call fails with this message (not signed in, say). */
  allFail?: string;
}

const FAKE_AZ = `#!${process.execPath}
const fs = require("fs");
const file = process.env.FAKE_AZ_STATE;
const state = JSON.parse(fs.readFileSync(file, "utf8"));
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_AZ_LOG, JSON.stringify(args) + "\\n");
const opt = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const save = () => fs.writeFileSync(file, JSON.stringify(state));
const fail = (text, code = 1) => { process.stderr.write("ERROR: " + text + "\\n"); process.exit(code); };
if (state.allFail) fail(state.allFail);
const cmd = args.slice(0, 3).join(" ");
const name = opt("--name") || opt("--vault-name");
const vault = state.vaults[name];
const missing = () => fail("(ResourceNotFound) The Resource 'Microsoft.KeyVault/vaults/" + name + "' under resource group '" + opt("--resource-group") + "' was not found.\\nCode: ResourceNotFound", 3);
if (cmd === "keyvault show --name") {
  if (!vault) missing();
  process.stdout.write(JSON.stringify({ bypass: "AzureServices", defaultAction: "Deny", ipRules: vault.ipRules.map((value) => ({ value })), virtualNetworkRules: [] }));
} else if (cmd === "keyvault network-rule add") {
  if (!vault) missing();
  if (state.addFails) fail(state.addFails);
  if (vault.lostAdds > 0) vault.lostAdds--;
  else vault.ipRules.push(opt("--ip-address"));
  save();
} else if (cmd === "keyvault network-rule remove") {
  if (!vault) missing();
  vault.ipRules = vault.ipRules.filter((r) => r !== opt("--ip-address")); save();
} else if (cmd === "keyvault network-rule wait") {
  if (!vault) missing();
} else if (cmd === "keyvault secret list") {
  if (vault.enforce && !vault.ipRules.includes("${RULE}")) fail("(Forbidden) Client address is not authorized and caller is not a trusted service.\\r\\nClient address: ${RUNNER}\\nInner error: {\\"code\\":\\"ForbiddenByFirewall\\"}");
  if (vault.firewallDenials > 0) {
    vault.firewallDenials--; save();
    fail("(Forbidden) Client address is not authorized and caller is not a trusted service.\\r\\nClient address: ${RUNNER}\\nInner error: {\\"code\\":\\"ForbiddenByFirewall\\"}");
  }
  if (vault.rbacDenied) fail("(Forbidden) Caller is not authorized to perform action on resource.\\nInner error: {\\"code\\":\\"ForbiddenByRbac\\"}");
} else fail("fake az: unexpected command " + args.join(" "), 2);
`;

let dir: string;
let bin: string;
const scratch: string[] = [];

/** A temporary directory, removed after the suite. */
function tempDir(prefix: string): string {
  const d = newTempDir(prefix);
  scratch.push(d);
  return d;
}

/** Synthesizes the Azure stacks of the test configuration (plus overrides) into a fresh cdktf.out; returns its path. */
function synthesize(overrides: PlatformConfigInput = {}): string {
  const outdir = path.join(tempDir("runner-access-out"), "cdktf.out");
  const { app } = buildApp({ config: testConfig({ ...overrides, clouds: ["azure"] }), selection: { cloud: "azure" }, outdir, checkLog: () => undefined });
  app.synth();
  return outdir;
}

/** The one vault of the environment's platform stack in `outdir`: name and resource group, as synthesized. */
function vaultIn(outdir: string, environment: string): { name: string; resourceGroup: string; ipRules: string } {
  const tf = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", `azure-${environment}`, "cdk.tf.json"), "utf8"));
  const vaults = Object.values(tf.resource.azurerm_key_vault) as { name: string; network_acls: { ip_rules: string } }[];
  expect(vaults).toHaveLength(1);
  return { name: vaults[0].name, resourceGroup: (Object.values(tf.resource.azurerm_resource_group)[0] as { name: string }).name, ipRules: vaults[0].network_acls.ip_rules };
}

let out: string;
let staging: { name: string; resourceGroup: string; ipRules: string };
let production: { name: string; resourceGroup: string; ipRules: string };

beforeAll(() => {
  dir = tempDir("runner-access");
  bin = path.join(dir, "bin");
  writeExecutable(path.join(bin, "az"), FAKE_AZ);
  out = synthesize();
  staging = vaultIn(out, "staging");
  production = vaultIn(out, "production");
});

afterAll(() => scratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** One scenario: a fresh fake-az state, call log, GITHUB_ENV file and runner temp dir. */
class Scenario {
  public readonly root = tempDir("runner-access-case");
  public readonly stateFile = path.join(this.root, "az-state.json");
  public readonly logFile = path.join(this.root, "az-calls.jsonl");
  public readonly githubEnv = path.join(this.root, "github-env");
  public readonly runnerTemp = path.join(this.root, "runner-temp");

  constructor(az: FakeAz, private readonly outdir = out) {
    fs.writeFileSync(this.stateFile, JSON.stringify(az));
    fs.writeFileSync(this.logFile, "");
    fs.mkdirSync(this.runnerTemp);
  }

  public env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, CDKTF_OUTDIR: this.outdir, RUNNER_TEMP: this.runnerTemp, GITHUB_ENV: this.githubEnv };
    env.FAKE_AZ_STATE = this.stateFile;
    env.FAKE_AZ_LOG = this.logFile;
    delete env.ARM_SUBSCRIPTION_ID;
    delete env.PLATFORM_PUBLIC_IP_URL;
    return { ...env, ...extra };
  }

  public run(args: string[], extra: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8", env: this.env(extra) });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Every az call, in order. */
  public get calls(): string[][] {
    return fs.readFileSync(this.logFile, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
  }

  /** The az calls that change a vault. */
  public get changes(): string[][] {
    return this.calls.filter((c) => c[1] === "network-rule" && (c[2] === "add" || c[2] === "remove"));
  }

  public get az(): FakeAz {
    return JSON.parse(fs.readFileSync(this.stateFile, "utf8"));
  }

  public set az(value: FakeAz) {
    fs.writeFileSync(this.stateFile, JSON.stringify(value));
  }

  public get admitted(): string | undefined {
    return fs.existsSync(this.githubEnv) ? fs.readFileSync(this.githubEnv, "utf8") : undefined;
  }
}

const vaultArgs = (v: { name: string; resourceGroup: string }) => ["--name", v.name, "--resource-group", v.resourceGroup, "--subscription", SUBSCRIPTION];
const variableLine = (value: string[]) => `TF_VAR_${DEPLOYER_IP_RANGES_VARIABLE}=${JSON.stringify(value)}`;

test("the script's constants are the project's", () => {
  expect(script.VARIABLE).toBe(DEPLOYER_IP_RANGES_VARIABLE);
  expect(script.ENVIRONMENT_NAME.source).toBe(ENVIRONMENT_NAME.source);
});

test("the vault name and resource group are literal in cdktf.out (nothing random to look up)", () => {
  expect(staging.name).toMatch(/^taskflowstgvault[a-z0-9]{6}$/);
  expect(staging.resourceGroup).toBe("taskflow-staging-rg");
  expect(staging.ipRules).toBe(`\${concat([], var.${DEPLOYER_IP_RANGES_VARIABLE})}`);
  // Deterministic: a second synth names the same vault.
  expect(vaultIn(synthesize(), "staging").name).toBe(staging.name);
});

describe("admit", () => {
  test("on an existing vault: adds this runner's /32, waits for it, prints and exports the variable", () => {
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: [] }, [production.name]: { ipRules: [] } } });
    const r = s.run(["admit", "--env", "staging", "--ip", RUNNER, "--interval", "0"]);
    expect(r.stderr).toContain(`${staging.name}: ${RULE} admitted`);
    expect(r.status).toBe(0);
    expect(s.calls).toEqual([
      ["keyvault", "show", ...vaultArgs(staging), "--query", "properties.networkAcls", "--output", "json"],
      ["keyvault", "network-rule", "add", ...vaultArgs(staging), "--ip-address", RULE, "--output", "none"],
      ["keyvault", "network-rule", "wait", ...vaultArgs(staging), "--updated"],
      ["keyvault", "secret", "list", "--vault-name", staging.name, "--maxresults", "1", "--output", "none"],
    ]);
    expect(s.az.vaults[staging.name].ipRules).toEqual([RULE]);
    expect(s.az.vaults[production.name].ipRules).toEqual([]);
    // The exact string Key Vault stores for the rule: Terraform wants what is there, the plan shows no change.
    expect(r.stdout).toBe(`${variableLine([RULE])}\n`);
    expect(s.admitted).toBe(`${variableLine([RULE])}\n`);
  });

  test("waits while the vault still answers ForbiddenByFirewall, then goes on", () => {
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: [], firewallDenials: 2 } } });
    const r = s.run(["admit", "--env", "staging", "--ip", RUNNER, "--interval", "0"]);
    expect(r.status).toBe(0);
    expect(s.calls.filter((c) => c[1] === "secret")).toHaveLength(3);
    expect(r.stderr.match(/not in effect yet \(ForbiddenByFirewall\)/g)).toHaveLength(2);
  });

  test("adds the rule again when a concurrent change of the vault dropped it (add rewrites the whole vault)", () => {
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: [], enforce: true, lostAdds: 1 } } });
    const r = s.run(["admit", "--env", "staging", "--ip", RUNNER, "--interval", "0"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${staging.name}: ${RULE} is no longer in the firewall (a concurrent change of the vault): adding it again`);
    expect(s.changes).toEqual([
      ["keyvault", "network-rule", "add", ...vaultArgs(staging), "--ip-address", RULE, "--output", "none"],
      ["keyvault", "network-rule", "add", ...vaultArgs(staging), "--ip-address", RULE, "--output", "none"],
    ]);
    expect(s.az.vaults[staging.name].ipRules).toEqual([RULE]);
  });

  test("a role problem behind the firewall is Terraform's to report: the runner is through", () => {
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: [], rbacDenied: true } } });
    const r = s.run(["admit", "--env", "staging", "--ip", RUNNER]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("the firewall lets this runner through (the vault answered: ERROR: (Forbidden) Caller is not authorized");
  });

  test("fails when the rule does not take effect in time, saying what to do", () => {
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: [], firewallDenials: 1000 } } });
    const r = s.run(["admit", "--env", "staging", "--ip", RUNNER, "--timeout", "0", "--interval", "0"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${staging.name}: the rule is in place but the vault still answers ForbiddenByFirewall after 0 s`);
    expect(r.stderr).toContain("accepted: a longer --timeout");
    expect(s.admitted).toBeUndefined();
  });

  test("no vault yet (first deploy): changes nothing, still prints the variable so Terraform creates the vault admitting the runner", () => {
    const s = new Scenario({ vaults: {} });
    const r = s.run(["admit", "--env", "staging", "--ip", RUNNER]);
    expect(r.status).toBe(0);
    expect(s.changes).toEqual([]);
    expect(s.calls.map((c) => c.slice(0, 2).join(" "))).toEqual(["keyvault show"]);
    expect(r.stderr).toContain(`${staging.name} does not exist yet (resource group taskflow-staging-rg): Terraform creates it admitting ${RULE}`);
    expect(r.stdout).toBe(`${variableLine([RULE])}\n`);
  });

  test("touches only the vaults of its environment (staging and production runs are independent)", () => {
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: [] }, [production.name]: { ipRules: [] } } });
    expect(s.run(["admit", "--env", "production", "--ip", RUNNER]).status).toBe(0);
    expect(s.calls.every((c) => !c.includes(staging.name))).toBe(true);
    expect(s.az.vaults).toEqual({ [staging.name]: { ipRules: [] }, [production.name]: { ipRules: [RULE] } });
  });

  test("an address a configured range holds: no rule added, an empty variable (the range already is in ip_rules)", () => {
    const configured = synthesize({ azure: { location: "swedencentral", subscriptionId: SUBSCRIPTION, deployerIpRanges: ["203.0.113.0/28"] } });
    const vault = vaultIn(configured, "staging");
    expect(vault.ipRules).toBe(`\${concat(["203.0.113.0/28"], var.${DEPLOYER_IP_RANGES_VARIABLE})}`);
    const s = new Scenario({ vaults: { [vault.name]: { ipRules: ["203.0.113.0/28"] } } }, configured);
    const r = s.run(["admit", "--env", "staging", "--ip", RUNNER]);
    expect(r.status).toBe(0);
    expect(s.calls).toEqual([]);
    expect(r.stdout).toBe(`${variableLine([])}\n`);
    expect(r.stderr).toContain(`${RUNNER} is in azure.deployerIpRanges (203.0.113.0/28)`);
  });

  test("asks a public-address service when no --ip is given", async () => {
    const server = http.createServer((_req, res) => res.end(`${RUNNER}\n`));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const s = new Scenario({ vaults: { [staging.name]: { ipRules: [] } } });
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
      const r = await runAsync(["admit", "--env", "staging"], s.env({ PLATFORM_PUBLIC_IP_URL: url }));
      expect(r.stderr).toBe(`azure-runner-access: ${staging.name}: adding ${RULE} to the firewall (resource group taskflow-staging-rg)\nazure-runner-access: ${staging.name}: ${RULE} admitted\n`);
      expect(r.stdout).toBe(`${variableLine([RULE])}\n`);
    } finally {
      server.close();
    }
  });

  test("fails when the public-address service answers something else, pointing at --ip", async () => {
    const server = http.createServer((_req, res) => res.end("<html>rate limited</html>"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const s = new Scenario({ vaults: { [staging.name]: { ipRules: [] } } });
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
      const r = await runAsync(["admit", "--env", "staging"], s.env({ PLATFORM_PUBLIC_IP_URL: url }));
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`this machine's public address could not be read from ${url} (answer '<html>rate limited</html>'); accepted: --ip <address>`);
      expect(s.calls).toEqual([]);
    } finally {
      server.close();
    }
  });
});

describe("revoke", () => {
  test("removes exactly this runner's rule, never another job's or a configured one", () => {
    const others = ["198.51.100.9/32", "192.0.2.0/28"];
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: [...others] } } });
    expect(s.run(["admit", "--env", "staging", "--ip", RUNNER]).status).toBe(0);
    // Another job of the same environment admits itself meanwhile.
    s.az = { vaults: { [staging.name]: { ipRules: [...s.az.vaults[staging.name].ipRules, "198.51.100.77/32"] } } };
    const before = s.calls.length;
    const r = s.run(["revoke", "--env", "staging"]);
    expect(r.status).toBe(0);
    expect(s.calls.slice(before)).toEqual([
      ["keyvault", "show", ...vaultArgs(staging), "--query", "properties.networkAcls", "--output", "json"],
      ["keyvault", "network-rule", "remove", ...vaultArgs(staging), "--ip-address", RULE, "--output", "none"],
    ]);
    expect(s.az.vaults[staging.name].ipRules).toEqual([...others, "198.51.100.77/32"]);
    // Done: a second revoke has nothing left to do.
    const again = s.run(["revoke", "--env", "staging"]);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain("nothing to revoke: this runner admitted nothing for staging");
  });

  test("leaves a rule for the same address that was there before admit (another job's)", () => {
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: [RULE] } } });
    const admit = s.run(["admit", "--env", "staging", "--ip", RUNNER]);
    expect(admit.stderr).toContain(`${staging.name}: ${RULE} is already admitted; left as it is`);
    expect(admit.stdout).toBe(`${variableLine([RULE])}\n`);
    expect(s.run(["revoke", "--env", "staging"]).status).toBe(0);
    expect(s.changes).toEqual([]);
    expect(s.az.vaults[staging.name].ipRules).toEqual([RULE]);
  });

  test("after a first deploy: removes the rule Terraform created the vault with", () => {
    const s = new Scenario({ vaults: {} });
    expect(s.run(["admit", "--env", "staging", "--ip", RUNNER]).status).toBe(0);
    // What the deploy did: the vault now exists, admitting the runner through the variable.
    s.az = { vaults: { [staging.name]: { ipRules: [RULE] } } };
    expect(s.run(["revoke", "--env", "staging"]).status).toBe(0);
    expect(s.changes).toEqual([["keyvault", "network-rule", "remove", ...vaultArgs(staging), "--ip-address", RULE, "--output", "none"]]);
    expect(s.az.vaults[staging.name].ipRules).toEqual([]);
  });

  test("after a destroy (the vault is gone) or a plan of a stack never deployed: nothing to remove, success", () => {
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: [] } } });
    expect(s.run(["admit", "--env", "staging", "--ip", RUNNER]).status).toBe(0);
    s.az = { vaults: {} };
    const r = s.run(["revoke", "--env", "staging"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${staging.name} does not exist (any more): nothing to remove`);
    expect(s.changes.filter((c) => c[2] === "remove")).toEqual([]);
  });

  test("when admit failed after recording the vault, revoke still removes a rule that got in", () => {
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: [], firewallDenials: 1000 } } });
    expect(s.run(["admit", "--env", "staging", "--ip", RUNNER, "--timeout", "0"]).status).toBe(1);
    expect(s.run(["revoke", "--env", "staging"]).status).toBe(0);
    expect(s.az.vaults[staging.name].ipRules).toEqual([]);
  });

  test("with --ip and no record: removes that address from the environment's vaults (clean-up after a vanished runner)", () => {
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: ["198.51.100.9/32", RULE] }, [production.name]: { ipRules: [RULE] } } });
    expect(s.run(["revoke", "--env", "staging", "--ip", RUNNER]).status).toBe(0);
    expect(s.az.vaults).toEqual({ [staging.name]: { ipRules: ["198.51.100.9/32"] }, [production.name]: { ipRules: [RULE] } });
  });

  test("fails when --ip names a configured range, and keeps the state file when a removal fails", () => {
    const configured = synthesize({ azure: { location: "swedencentral", subscriptionId: SUBSCRIPTION, deployerIpRanges: [RUNNER] } });
    const s = new Scenario({ vaults: {} }, configured);
    const r = s.run(["revoke", "--env", "staging", "--ip", RUNNER]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`--ip: '${RUNNER}' is in azure.deployerIpRanges (${RUNNER}/32)`);

    const t = new Scenario({ vaults: { [staging.name]: { ipRules: [] } } });
    expect(t.run(["admit", "--env", "staging", "--ip", RUNNER]).status).toBe(0);
    t.az = { ...t.az, allFail: "(AuthorizationFailed) The client does not have authorization to perform action 'Microsoft.KeyVault/vaults/read'" };
    const failed = t.run(["revoke", "--env", "staging"]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`az keyvault show --name ${staging.name} failed (exit 1): ERROR: (AuthorizationFailed)`);
    expect(failed.stderr).toContain("is kept: run revoke again");
    expect(fs.existsSync(path.join(t.runnerTemp, "azure-runner-access-staging.json"))).toBe(true);
  });
});

describe("clear errors", () => {
  test.each([
    [[], "command: missing; accepted: admit, revoke"],
    [["admit"], "--env: missing (production is never chosen by default)"],
    [["grant", "--env", "staging"], "command: 'grant' is not valid; accepted: admit, revoke"],
    [["admit", "--env", "Staging"], "--env: 'Staging' is not valid"],
    [["admit", "--env", "staging", "--ip", "10.0.0.4/32"], "--ip: '10.0.0.4/32' is not valid; accepted: a public IPv4 address"],
    [["admit", "--env", "staging", "--timeout", "soon"], "--timeout: 'soon' is not valid; accepted: a number of seconds"],
    [["admit", "--env", "staging", "--vault", "x"], "--vault: unknown option"],
  ])("usage: %j", (args, message) => {
    const r = new Scenario({ vaults: {} }).run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("Usage: node scripts/azure-runner-access.js admit");
  });

  test("fails when this machine's address is not public (inside the VNet nothing needs admitting)", () => {
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: [] } } });
    const r = s.run(["admit", "--env", "staging", "--ip", "10.0.1.4"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("this machine's address 10.0.1.4 is not public");
    expect(s.calls).toEqual([]);
  });

  test("fails when nothing was synthesized for the environment, with the command that does it", () => {
    const s = new Scenario({ vaults: {} }, path.join(dir, "no-such-out"));
    const r = s.run(["admit", "--env", "staging", "--ip", RUNNER]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("synthesize first: npm run synth -- --provider azure --env staging");
    const t = new Scenario({ vaults: {} });
    expect(t.run(["admit", "--env", "qa", "--ip", RUNNER]).stderr).toContain("lists no stack of azure-qa: synthesize first: npm run synth -- --provider azure --env qa");
  });

  test("fails when az is missing, or not signed in, naming the cause", () => {
    const s = new Scenario({ vaults: {} });
    const noAz = s.run(["admit", "--env", "staging", "--ip", RUNNER], { PATH: path.join(dir, "no-az-here") });
    expect(noAz.status).toBe(1);
    expect(noAz.stderr).toContain("the Azure CLI (az) was not found on PATH");
    s.az = { vaults: {}, allFail: "Please run 'az login' to setup account." };
    const notSignedIn = s.run(["admit", "--env", "staging", "--ip", RUNNER]);
    expect(notSignedIn.status).toBe(1);
    expect(notSignedIn.stderr).toContain(`az keyvault show --name ${staging.name} failed (exit 1): ERROR: Please run 'az login' to setup account.`);
  });

  test("fails when the identity may not change the vault, naming the role", () => {
    const s = new Scenario({ vaults: { [staging.name]: { ipRules: [] } }, addFails: "(AuthorizationFailed) The client does not have authorization to perform action 'Microsoft.KeyVault/vaults/write'" });
    const r = s.run(["admit", "--env", "staging", "--ip", RUNNER]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the identity needs Microsoft.KeyVault/vaults/write on the vault (e.g. Contributor on taskflow-staging-rg)");
    expect(s.admitted).toBeUndefined();
  });

  test("fails when a vault's name or resource group is not literal in cdktf.out", () => {
    const copy = path.join(tempDir("runner-access-bad"), "cdktf.out");
    fs.cpSync(out, copy, { recursive: true });
    const file = path.join(copy, "stacks", "azure-staging", "cdk.tf.json");
    const tf = JSON.parse(fs.readFileSync(file, "utf8"));
    const id = Object.keys(tf.resource.azurerm_key_vault)[0];
    tf.resource.azurerm_key_vault[id].name = "${random_string.vault.result}";
    fs.writeFileSync(file, JSON.stringify(tf));
    const r = new Scenario({ vaults: {} }, copy).run(["admit", "--env", "staging", "--ip", RUNNER]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`azure-staging: azurerm_key_vault.${id}: the vault name is not literal`);
  });
});

/** The script with a non-blocking spawn (the test's own HTTP server must keep answering). */
function runAsync(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("with real Terraform: the printed variable passes the stack's validation and ip_rules holds exactly the admitted rule", () => {
  const terraform = findTerraform();
  if (!terraform) skipLoudly("real-Terraform checks of azure_deployer_ip_ranges", "terraform is not on PATH");
  const run = terraform ? test : test.skip;

  /** A configuration of just the stack's variable and the vault's ip_rules expression, evaluated with TF_VAR_ set to `value`. */
  function evaluate(outdir: string, value: string): { status: number | null; output: string; ipRules?: string[] } {
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "azure-staging", "cdk.tf.json"), "utf8"));
    const cwd = tempDir("runner-access-tf");
    const ipRules = vaultIn(outdir, "staging").ipRules;
    fs.writeFileSync(path.join(cwd, "main.tf.json"), JSON.stringify({ variable: { [DEPLOYER_IP_RANGES_VARIABLE]: tf.variable[DEPLOYER_IP_RANGES_VARIABLE] }, output: { ip_rules: { value: ipRules } } }));
    const env = terraformEnv({ [`TF_VAR_${DEPLOYER_IP_RANGES_VARIABLE}`]: value });
    const apply = spawnSync(terraform!, ["apply", "-auto-approve", "-input=false", "-no-color"], { cwd, env, encoding: "utf8" });
    const output = `${apply.stdout}${apply.stderr}`;
    if (apply.status !== 0) return { status: apply.status, output };
    const shown = spawnSync(terraform!, ["output", "-json", "ip_rules"], { cwd, env, encoding: "utf8" });
    return { status: apply.status, output, ipRules: JSON.parse(shown.stdout) };
  }

  run("the value admit prints is accepted, and ip_rules is the configured ranges plus exactly the rule admit added", () => {
    const configured = synthesize({ azure: { location: "swedencentral", subscriptionId: SUBSCRIPTION, deployerIpRanges: ["198.51.100.0/28", "192.0.2.10"] } });
    const printed = new Scenario({ vaults: {} }, configured).run(["admit", "--env", "staging", "--ip", RUNNER]).stdout.trim();
    const value = printed.slice(`TF_VAR_${DEPLOYER_IP_RANGES_VARIABLE}=`.length);
    const r = evaluate(configured, value);
    expect(r.output).not.toContain("Error");
    expect(r.ipRules).toEqual(["198.51.100.0/28", "192.0.2.10/32", RULE]);
    expect(evaluate(configured, "[]").ipRules).toEqual(["198.51.100.0/28", "192.0.2.10/32"]);
  });

  run.each([["10.1.2.3"], ["0.0.0.0/0"], ["203.0.113.5/28"], ["runner"], ["2001:db8::1/128"]])("fails when the variable holds %s (refused before any provider call)", (bad) => {
    const r = evaluate(out, JSON.stringify([RULE, bad]));
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("Invalid value for variable");
    expect(r.output).toContain(`Each element of ${DEPLOYER_IP_RANGES_VARIABLE} must be a public IPv4 address or CIDR block of at most /16`);
  });
});
