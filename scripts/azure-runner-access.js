#!/usr/bin/env node
/**
 * Admits the machine Terraform runs on through the Key Vault firewall of an Azure environment for one
 * run, and takes it out again afterwards. For CI runners without a fixed egress address (GitHub-hosted):
 * the vaults deny by default, and azurerm reads and writes the credentials secret on the vault's data
 * plane at every plan (refresh), apply and destroy. A runner with a fixed address belongs in the
 * configuration instead (`azure.deployerIpRanges`). See docs/azure.md "Key Vault".
 *
 *   node scripts/azure-runner-access.js admit  --env <environment> [--ip <address>] [--timeout <s>] [--interval <s>] [--state <file>]
 *   node scripts/azure-runner-access.js revoke --env <environment> [--ip <address>] [--state <file>]
 *
 * admit, before Terraform (after `npm run synth -- --provider azure --env <environment>`):
 *   1. reads the synthesized Azure stacks of the environment in cdktf.out/ (CDKTF_OUTDIR): the vaults'
 *      names and resource groups (literal there), their configured ranges and the provider's subscription;
 *   2. finds this machine's public IPv4 address (--ip, else PLATFORM_PUBLIC_IP_URL, https://api.ipify.org);
 *   3. for each vault that exists and does not admit the address yet: `az keyvault network-rule add
 *      --ip-address <address>/32`, `az keyvault network-rule wait --updated`, then reads the vault's data
 *      plane until it no longer answers ForbiddenByFirewall (rule changes are not instant);
 *   4. prints `TF_VAR_azure_deployer_ip_ranges=["<address>/32"]` on stdout (and appends it to $GITHUB_ENV when
 *      set): Terraform then wants exactly the rule that was added (no change in the plan), and a vault that does
 *      not exist yet (first deploy) is created admitting the runner. Empty (`[]`) when a configured range holds it.
 *   What it changed is written to the state file (--state, else $RUNNER_TEMP or .tmp/, one per environment).
 * revoke, after Terraform, also when it failed (`if: always()`):
 *   removes exactly what admit recorded: the runner's own /32 rule, on the vaults where admit added it or
 *   where Terraform created the vault with it; never a rule that was there before (another job's, a
 *   configured range). With --ip and no state file: removes that address from the environment's vaults
 *   (cleaning up after a runner that vanished).
 *
 * Needs the Azure CLI signed in to the subscription (azure/login in CI) with Microsoft.KeyVault/vaults/write
 * on the vaults (Contributor on the stack's resource group has it). Plain JavaScript, provider-free.
 * Exit codes: 0 done, 1 failed (message on stderr), 2 usage error.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const PROJECT_ROOT = path.resolve(__dirname, "..");
/** Must match DEPLOYER_IP_RANGES_VARIABLE in constructs/azure/deployer-ranges.ts (a test checks it). */
const VARIABLE = "azure_deployer_ip_ranges";
/** Must match ENVIRONMENT_NAME in constructs/core.ts (a test checks it). */
const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{1,11}$/;
const DEFAULT_IP_URL = "https://api.ipify.org";
const DEFAULT_TIMEOUT_S = 300;
const DEFAULT_INTERVAL_S = 10;

const USAGE = [
  "Usage: node scripts/azure-runner-access.js admit  --env <environment> [--ip <address>] [--timeout <seconds>] [--interval <seconds>] [--state <file>]",
  "       node scripts/azure-runner-access.js revoke --env <environment> [--ip <address>] [--state <file>]",
  "  admit:  adds this machine's public address (/32) to the Key Vault firewall of the environment's existing vaults,",
  "          waits until the vaults let it through, prints TF_VAR_" + VARIABLE + " (and appends it to $GITHUB_ENV)",
  "  revoke: removes what admit added (run it even when Terraform failed)",
  "  --env:  the environment whose synthesized Azure stacks (cdktf.out/) hold the vaults; synthesize them first:",
  "          npm run synth -- --provider azure --env <environment>",
  "  --ip:   the public IPv4 address to admit or revoke (default: asked from " + DEFAULT_IP_URL + ", or PLATFORM_PUBLIC_IP_URL)",
].join("\n");

class UsageError extends Error {}
class AccessError extends Error {}

const log = (line) => process.stderr.write(`azure-runner-access: ${line}\n`);

/** Parses the command line. Pure. */
function parseArgs(argv) {
  const out = { command: undefined, env: undefined, ip: undefined, timeout: DEFAULT_TIMEOUT_S, interval: DEFAULT_INTERVAL_S, state: undefined };
  const problems = [];
  const value = (flag, i) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) {
      problems.push(`${flag} needs a value`);
      return undefined;
    }
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^(--[a-z]+)=(.*)$/.exec(a);
    const [flag, inline] = m ? [m[1], m[2]] : [a, undefined];
    const take = () => (inline !== undefined ? inline : value(flag, i++));
    if (flag === "--env" || flag === "--environment") out.env = take();
    else if (flag === "--ip") out.ip = take();
    else if (flag === "--state") out.state = take();
    else if (flag === "--timeout" || flag === "--interval") {
      const raw = take();
      const n = Number(raw);
      if (raw !== undefined && !(Number.isFinite(n) && n >= 0)) problems.push(`${flag}: '${raw}' is not valid; accepted: a number of seconds`);
      else if (raw !== undefined) out[flag.slice(2)] = n;
    } else if (a.startsWith("-")) problems.push(`${a}: unknown option; accepted: --env, --ip, --timeout, --interval, --state`);
    else if (out.command === undefined) out.command = a;
    else problems.push(`'${a}': unexpected argument`);
  }
  if (out.command === undefined) problems.push("command: missing; accepted: admit, revoke");
  else if (!["admit", "revoke"].includes(out.command)) problems.push(`command: '${out.command}' is not valid; accepted: admit, revoke`);
  if (out.env === undefined) problems.push("--env: missing (production is never chosen by default); accepted: an environment of the configuration");
  else if (!ENVIRONMENT_NAME.test(out.env)) problems.push(`--env: '${out.env}' is not valid; accepted: an environment name (2-12 lowercase letters and digits)`);
  if (out.ip !== undefined && parseIpv4(out.ip) === undefined) problems.push(`--ip: '${out.ip}' is not valid; accepted: a public IPv4 address such as 203.0.113.10`);
  if (problems.length > 0) throw new UsageError(problems.map((p) => `  - ${p}`).join("\n"));
  return out;
}

// ---------------------------------------------------------------------------
// IPv4 arithmetic
// ---------------------------------------------------------------------------

/** `203.0.113.10` -> its 32-bit value, or undefined. */
function parseIpv4(text) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(String(text).trim());
  if (!m) return undefined;
  const o = m.slice(1).map(Number);
  if (o.some((x) => x > 255)) return undefined;
  return ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
}

/** `203.0.113.0/28` or `203.0.113.10` -> { base, prefix }, or undefined. */
function parseRange(text) {
  const [addr, bits = "32"] = String(text).split("/");
  const base = parseIpv4(addr);
  const prefix = Number(bits);
  if (base === undefined || !/^\d{1,2}$/.test(bits) || prefix > 32) return undefined;
  return { base, prefix };
}

/** True when `range` (address or CIDR block) holds the address `ip`. */
function rangeHolds(range, ip) {
  const r = parseRange(range);
  const a = parseIpv4(ip);
  if (!r || a === undefined) return false;
  const mask = r.prefix === 0 ? 0 : (0xffffffff << (32 - r.prefix)) >>> 0;
  return ((r.base & mask) >>> 0) === ((a & mask) >>> 0);
}

const NON_PUBLIC = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10", "0.0.0.0/8", "224.0.0.0/3"];
const isPublic = (ip) => !NON_PUBLIC.some((r) => rangeHolds(r, ip));

// ---------------------------------------------------------------------------
// The synthesized stacks
// ---------------------------------------------------------------------------

/** The cdktf output directory, as the wrapper (scripts/cdktf.js) writes it. */
function outdirOf(env) {
  return path.resolve(PROJECT_ROOT, env.CDKTF_OUTDIR || "cdktf.out");
}

/**
 * The Key Vaults of the environment's Azure stacks in `outdir`: name, resource group, subscription and the
 * configured ranges, read from the synthesized JSON. Throws an AccessError saying what to do when it cannot.
 */
function vaultsOf(outdir, environment, env) {
  const manifestFile = path.join(outdir, "manifest.json");
  const synthHint = `synthesize first: npm run synth -- --provider azure --env ${environment}`;
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  } catch (e) {
    throw new AccessError(`${manifestFile} cannot be read (${e.code || e.message}): ${synthHint}`);
  }
  const suffix = `azure-${environment}`;
  const stacks = Object.entries(manifest.stacks || {}).filter(([name]) => name === suffix || name.endsWith(`-${suffix}`));
  if (stacks.length === 0) throw new AccessError(`${manifestFile} lists no stack of ${suffix}: ${synthHint}`);
  const vaults = [];
  for (const [stack, entry] of stacks.sort(([a], [b]) => a.localeCompare(b))) {
    const file = path.join(outdir, entry.synthesizedStackPath);
    let tf;
    try {
      tf = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new AccessError(`${file} cannot be read (${e.code || e.message}): ${synthHint}`);
    }
    const provider = [].concat((tf.provider || {}).azurerm || [])[0] || {};
    const literal = (v) => typeof v === "string" && v !== "" && !v.includes("${");
    const subscription = literal(provider.subscription_id) ? provider.subscription_id : env.ARM_SUBSCRIPTION_ID || undefined;
    for (const [id, body] of Object.entries((tf.resource || {}).azurerm_key_vault || {})) {
      const where = `${stack}: azurerm_key_vault.${id}`;
      if (!literal(body.name)) throw new AccessError(`${where}: the vault name is not literal in ${file} (${JSON.stringify(body.name)}); accepted: a name known at synth (constructs/azure/naming.ts keyVaultName)`);
      let resourceGroup = body.resource_group_name;
      const ref = /^\$\{azurerm_resource_group\.([A-Za-z0-9_-]+)\.name\}$/.exec(String(resourceGroup));
      if (ref) resourceGroup = (((tf.resource || {}).azurerm_resource_group || {})[ref[1]] || {}).name;
      if (!literal(resourceGroup)) throw new AccessError(`${where}: its resource group is not literal in ${file} (${JSON.stringify(body.resource_group_name)}); accepted: a name, or a reference to an azurerm_resource_group of the stack with a literal name`);
      const configured = configuredRanges((body.network_acls || {}).ip_rules, where);
      if (!(tf.variable || {})[VARIABLE]) throw new AccessError(`${where}: the stack declares no variable ${VARIABLE}; accepted: a stack synthesized by this project's AzureKeyVault`);
      vaults.push({ stack, name: body.name, resourceGroup, subscription, configured });
    }
  }
  return vaults;
}

/** The configured ranges of a vault: the literal list concatenated with the variable in `ip_rules`. */
function configuredRanges(ipRules, where) {
  const m = new RegExp(`^\\$\\{concat\\((\\[[^\\]]*\\]), var\\.${VARIABLE}\\)\\}$`).exec(String(ipRules));
  if (!m) throw new AccessError(`${where}: ip_rules is ${JSON.stringify(ipRules)}; accepted: concat([<configured ranges>], var.${VARIABLE}) as constructs/azure/key-vault.ts writes it`);
  return JSON.parse(m[1]);
}

// ---------------------------------------------------------------------------
// Azure CLI
// ---------------------------------------------------------------------------

/** Runs `az <args>`; returns { status, stdout, stderr }. */
function az(args, env) {
  const r = spawnSync("az", args, { encoding: "utf8", env, maxBuffer: 16 * 1024 * 1024 });
  if (r.error && r.error.code === "ENOENT") {
    throw new AccessError("the Azure CLI (az) was not found on PATH: install it, and sign in (az login, or azure/login in CI) before this script runs");
  }
  if (r.error) throw new AccessError(`az ${args.slice(0, 3).join(" ")} could not run: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout || "", stderr: r.stderr || "" };
}

const vaultArgs = (v) => ["--name", v.name, "--resource-group", v.resourceGroup, ...(v.subscription ? ["--subscription", v.subscription] : [])];
const firstLines = (text) => text.trim().split("\n").filter((l) => l.trim() !== "").slice(0, 3).join(" | ");
const NOT_FOUND = /ResourceNotFound|ResourceGroupNotFound|VaultNotFound|was not found|could not be found/i;
const FIREWALL = /ForbiddenByFirewall|Client address is not authorized/i;

/** The vault's IP rules (as Key Vault stores them), or undefined when the vault (or its resource group) does not exist. */
function ipRulesOf(v, env) {
  const r = az(["keyvault", "show", ...vaultArgs(v), "--query", "properties.networkAcls", "--output", "json"], env);
  if (r.status !== 0) {
    if (NOT_FOUND.test(r.stderr)) return undefined;
    throw new AccessError(`az keyvault show --name ${v.name} failed (exit ${r.status}): ${firstLines(r.stderr)}`);
  }
  let acls;
  try {
    acls = JSON.parse(r.stdout || "null");
  } catch {
    throw new AccessError(`az keyvault show --name ${v.name} printed no JSON: ${firstLines(r.stdout)}`);
  }
  return ((acls && acls.ipRules) || []).map((rule) => rule.value);
}

/** Reads the vault's data plane until it stops answering ForbiddenByFirewall (or `timeout` seconds pass). */
function waitForDataPlane(v, env, opts) {
  const deadline = Date.now() + opts.timeout * 1000;
  for (let attempt = 1; ; attempt++) {
    const r = az(["keyvault", "secret", "list", "--vault-name", v.name, "--maxresults", "1", "--output", "none"], env);
    if (r.status === 0) return;
    if (!FIREWALL.test(r.stderr)) {
      // Past the firewall: a role problem (ForbiddenByRbac) is Terraform's to report, not ours.
      log(`${v.name}: the firewall lets this runner through (the vault answered: ${firstLines(r.stderr)})`);
      return;
    }
    if (Date.now() >= deadline) {
      throw new AccessError(`${v.name}: the rule is in place but the vault still answers ForbiddenByFirewall after ${opts.timeout} s (${attempt} attempts); accepted: a longer --timeout, or check that this runner's egress address is ${opts.address}`);
    }
    // `network-rule add` rewrites the whole vault (GET, then PUT): a concurrent change (another job's rule, an apply) can drop ours.
    const rules = ipRulesOf(v, env);
    if (rules === undefined) throw new AccessError(`${v.name} disappeared while this runner was being admitted`);
    if (!rules.includes(opts.address)) {
      log(`${v.name}: ${opts.address} is no longer in the firewall (a concurrent change of the vault): adding it again`);
      addRule(v, opts.address, env);
      continue;
    }
    log(`${v.name}: the rule is not in effect yet (ForbiddenByFirewall), retrying in ${opts.interval} s`);
    sleep(opts.interval);
  }
}

/** `az keyvault network-rule add`, then waits for the vault's provisioning to succeed. */
function addRule(v, address, env) {
  const add = az(["keyvault", "network-rule", "add", ...vaultArgs(v), "--ip-address", address, "--output", "none"], env);
  if (add.status !== 0) throw new AccessError(`az keyvault network-rule add --name ${v.name} failed (exit ${add.status}): ${firstLines(add.stderr)}; the identity needs Microsoft.KeyVault/vaults/write on the vault (e.g. Contributor on ${v.resourceGroup})`);
  const wait = az(["keyvault", "network-rule", "wait", ...vaultArgs(v), "--updated"], env);
  if (wait.status !== 0) throw new AccessError(`az keyvault network-rule wait --name ${v.name} failed (exit ${wait.status}): ${firstLines(wait.stderr)}`);
}

function sleep(seconds) {
  if (seconds > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

// ---------------------------------------------------------------------------
// This machine's public address
// ---------------------------------------------------------------------------

/** Asks `url` (default https://api.ipify.org) for this machine's public IPv4 address, in a child process (the script stays synchronous). */
function discoverAddress(env) {
  const url = env.PLATFORM_PUBLIC_IP_URL || DEFAULT_IP_URL;
  const child = `
    const u = new URL(${JSON.stringify(url)});
    const req = require(u.protocol === "http:" ? "http" : "https").get(u, { timeout: 10000 }, (res) => {
      let body = ""; res.setEncoding("utf8"); res.on("data", (c) => (body += c));
      res.on("end", () => { process.stdout.write(body); process.exit(res.statusCode === 200 ? 0 : 3); });
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", (e) => { process.stderr.write(e.message); process.exit(4); });`;
  const r = spawnSync(process.execPath, ["-e", child], { encoding: "utf8", env });
  const text = (r.stdout || "").trim();
  if (r.status !== 0 || parseIpv4(text) === undefined) {
    throw new AccessError(`this machine's public address could not be read from ${url} (${r.status === 0 ? `answer '${text.slice(0, 60)}'` : (r.stderr || `HTTP error, answer '${text.slice(0, 60)}'`).trim()}); accepted: --ip <address>, or PLATFORM_PUBLIC_IP_URL naming a service that answers with the address`);
  }
  return text;
}

// ---------------------------------------------------------------------------
// State between admit and revoke
// ---------------------------------------------------------------------------

function stateFileOf(opts, env) {
  if (opts.state) return path.resolve(opts.state);
  const dir = env.RUNNER_TEMP || path.join(PROJECT_ROOT, ".tmp");
  return path.join(dir, `azure-runner-access-${opts.env}.json`);
}

function readState(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    if (e.code === "ENOENT") return undefined;
    throw new AccessError(`${file} cannot be read (${e.message}); accepted: the file admit wrote, or none`);
  }
}

function writeState(file, state) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

function admit(opts, env) {
  const vaults = vaultsOf(outdirOf(env), opts.env, env);
  const ip = opts.ip || discoverAddress(env);
  if (!isPublic(ip)) throw new AccessError(`this machine's address ${ip} is not public; accepted: a public IPv4 address (inside the VNet, Terraform reaches the vault through an admitted subnet: nothing to admit)`);
  const address = `${ip}/32`;
  const stateFile = stateFileOf(opts, env);
  const previous = readState(stateFile);
  const state = { environment: opts.env, address, vaults: previous && previous.address === address ? previous.vaults : [] };
  const record = (v, how) => {
    if (!state.vaults.some((x) => x.name === v.name)) state.vaults.push({ stack: v.stack, name: v.name, resourceGroup: v.resourceGroup, subscription: v.subscription, how });
    writeState(stateFile, state);
  };
  const configured = [...new Set(vaults.flatMap((v) => v.configured))].filter((r) => rangeHolds(r, ip));
  if (vaults.length === 0) log(`the azure-${opts.env} stacks have no Key Vault: nothing to admit`);
  for (const v of vaults) {
    const holder = v.configured.find((r) => rangeHolds(r, ip));
    if (holder) {
      log(`${v.name}: ${ip} is in azure.deployerIpRanges (${holder}): admitted by the configuration`);
      continue;
    }
    const rules = ipRulesOf(v, env);
    if (rules === undefined) {
      // First deploy: Terraform creates the vault with the variable's address; revoke takes it out afterwards.
      log(`${v.name} does not exist yet (resource group ${v.resourceGroup}): Terraform creates it admitting ${address}`);
      record(v, "terraform-adds");
      continue;
    }
    if (rules.includes(address) || rules.includes(ip)) {
      // Another job's rule for the same address (or a left-over): not ours to remove.
      log(`${v.name}: ${address} is already admitted; left as it is`);
      continue;
    }
    const wider = rules.find((r) => rangeHolds(r, ip));
    if (wider) {
      // Admitted by a rule outside the configuration: Terraform writes the /32 itself (and may drop the wider rule).
      log(`${v.name}: ${ip} is admitted by ${wider}, which is not in azure.deployerIpRanges; Terraform adds ${address}`);
      record(v, "terraform-adds");
      continue;
    }
    // Recorded before the call: a revoke after a failure here still removes a rule that got in.
    record(v, "rule-added");
    log(`${v.name}: adding ${address} to the firewall (resource group ${v.resourceGroup})`);
    addRule(v, address, env);
    waitForDataPlane(v, env, { ...opts, address });
    log(`${v.name}: ${address} admitted`);
  }
  // Held by a configured range: nothing for this run (the configured range already is in ip_rules).
  const value = JSON.stringify(configured.length > 0 ? [] : [address]);
  const line = `TF_VAR_${VARIABLE}=${value}`;
  if (env.GITHUB_ENV) fs.appendFileSync(env.GITHUB_ENV, `${line}\n`);
  process.stdout.write(`${line}\n`);
}

function revoke(opts, env) {
  const stateFile = stateFileOf(opts, env);
  const state = readState(stateFile);
  let targets;
  let address;
  if (state && (opts.ip === undefined || `${opts.ip}/32` === state.address)) {
    address = state.address;
    targets = state.vaults;
  } else if (opts.ip !== undefined) {
    // No record of this address: an explicit clean-up of the environment's vaults.
    address = `${opts.ip}/32`;
    const vaults = vaultsOf(outdirOf(env), opts.env, env);
    const holder = vaults.flatMap((v) => v.configured).find((r) => rangeHolds(r, opts.ip));
    if (holder) throw new AccessError(`--ip: '${opts.ip}' is in azure.deployerIpRanges (${holder}); accepted: an address admitted for a run (remove a configured range from the configuration instead)`);
    targets = vaults;
  } else {
    log(`nothing to revoke: this runner admitted nothing for ${opts.env} (no ${stateFile})`);
    return;
  }
  const failures = [];
  for (const v of targets) {
    try {
      const rules = ipRulesOf(v, env);
      if (rules === undefined) {
        log(`${v.name} does not exist (any more): nothing to remove`);
        continue;
      }
      const present = rules.filter((r) => r === address || r === address.replace(/\/32$/, ""));
      if (present.length === 0) {
        log(`${v.name}: ${address} is not admitted (any more): nothing to remove`);
        continue;
      }
      const rm = az(["keyvault", "network-rule", "remove", ...vaultArgs(v), "--ip-address", present[0], "--output", "none"], env);
      if (rm.status !== 0) throw new AccessError(`az keyvault network-rule remove --name ${v.name} failed (exit ${rm.status}): ${firstLines(rm.stderr)}`);
      log(`${v.name}: ${address} removed from the firewall`);
    } catch (e) {
      if (!(e instanceof AccessError)) throw e;
      failures.push(e.message);
    }
  }
  if (failures.length > 0) throw new AccessError(`${failures.join("\n")}\nthe state file ${stateFile} is kept: run revoke again`);
  if (state && fs.existsSync(stateFile)) fs.rmSync(stateFile);
}

function main(argv = process.argv.slice(2), env = process.env) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`Invalid arguments:\n${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    if (opts.command === "admit") admit(opts, env);
    else revoke(opts, env);
    return 0;
  } catch (e) {
    if (!(e instanceof AccessError)) throw e;
    log(`${opts.command} failed: ${e.message}`);
    return 1;
  }
}

module.exports = { VARIABLE, ENVIRONMENT_NAME, parseArgs, rangeHolds, configuredRanges, vaultsOf, main };

if (require.main === module) process.exitCode = main();
