/**
 * Every input a stack requires reaches every CI job that plans or deploys it.
 * cdktf runs Terraform with `-input=false`: a required variable (no default)
 * without a `TF_VAR_<name>` in the job fails the job at "No value for required
 * variable". The required variables are derived from the synthesized JSON of
 * the repository's own configuration, not listed by hand.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CloudStack } from "../constructs/stack";
import { loadConfig } from "../constructs/config";
import { CLOUDS, Cloud } from "../constructs/core";
import { buildApp } from "../stacks/app";
import { DEPLOYER_IP_RANGES_VARIABLE } from "../constructs/azure/deployer-ranges";
import { TfJson, synthJson, testOutdir } from "./helpers";
import { Job, PROJECT_ROOT, Step, WORKFLOW_FILE, Workflow } from "./workflow-helpers";

interface Required {
  stack: string;
  name: string;
  sensitive: boolean;
}

/** The variables without a default, per stack. */
function requiredVariables(stack: string, tf: TfJson): Required[] {
  return Object.entries(tf.variable ?? {})
    .filter(([, v]) => v.default === undefined)
    .map(([name, v]) => ({ stack, name, sensitive: v.sensitive === true }));
}

/** One `npm run plan|deploy` of a job, for one matrix entry: the cloud, the environment, whether all components. */
interface Invocation {
  job: string;
  cloud: Cloud;
  environment: string;
  env: Record<string, string>;
  /** Index of the step in the job. */
  step: number;
}

function invocations(workflow: Pick<Workflow, "env" | "jobs">): Invocation[] {
  const out: Invocation[] = [];
  for (const [name, job] of Object.entries(workflow.jobs)) {
    for (const [index, step] of job.steps.entries()) {
      const m = /npm run (?:plan|deploy) -- (.*)$/.exec(step.run ?? "");
      if (!m) continue;
      const provider = /--provider (\$\{\{[^}]*\}\}|\S+)/.exec(m[1])?.[1];
      const environment = /--env (\S+)/.exec(m[1])?.[1];
      if (!provider || !environment) throw new Error(`${name}: '${step.run}' names no --provider or --env`);
      if (!/(^| )--all( |$)/.test(m[1])) throw new Error(`${name}: '${step.run}' must run every component (--all)`);
      const clouds = (provider === "${{ matrix.provider }}" ? job.strategy?.matrix?.provider : [provider]) as string[];
      const unknown = clouds.filter((c) => !(CLOUDS as readonly string[]).includes(c));
      if (unknown.length > 0) throw new Error(`${name}: '${step.run}' runs on ${unknown.join(", ")}, not a cloud (${CLOUDS.join(", ")})`);
      for (const cloud of clouds as Cloud[]) out.push({ job: name, cloud, environment, env: { ...workflow.env, ...job.env, ...step.env }, step: index });
    }
  }
  return out;
}

/** What is missing: a required variable with no TF_VAR_ in the job, or a sensitive one not taken from a secret. */
function unsupplied(invocation: Invocation, required: Required[]): string[] {
  return required.flatMap((r) => {
    const value = invocation.env[`TF_VAR_${r.name}`];
    const where = `${invocation.job} (${invocation.cloud}, ${invocation.environment}): ${r.stack} requires '${r.name}'`;
    if (value === undefined) return [`${where}, the job sets no TF_VAR_${r.name}`];
    if (!/^\$\{\{ *(secrets|vars)\.[A-Z0-9_]+ *\}\}$/.test(value)) return [`${where}, TF_VAR_${r.name} is not a secret or a variable of the repository`];
    if (r.sensitive && !/secrets\./.test(value)) return [`${where} (sensitive), TF_VAR_${r.name} must come from a secret`];
    return [];
  });
}

/** True when a step with condition `condition` runs for the matrix entry of `cloud` (conditions on matrix.provider only). */
function runsFor(condition: string | undefined, cloud: Cloud): boolean {
  const named = /matrix\.provider == '([a-z]+)'/.exec(condition ?? "");
  return named === null || named[1] === cloud;
}

/**
 * What is missing for an invocation whose stacks declare `azure_deployer_ip_ranges` (a vault behind its
 * firewall): the admit step of its environment before it, the revoke step after it, run always.
 */
function unadmitted(job: Job, invocation: Invocation, declares: boolean): string[] {
  if (!declares) return [];
  const where = `${invocation.job} (${invocation.cloud}, ${invocation.environment})`;
  const steps = job.steps.map((s, i) => ({ ...s, i })).filter((s) => runsFor(s.if, invocation.cloud));
  const admit = steps.find((s) => (s.run ?? "").includes(`node scripts/azure-runner-access.js admit --env ${invocation.environment}`));
  const revoke = steps.find((s) => (s.run ?? "").includes(`node scripts/azure-runner-access.js revoke --env ${invocation.environment}`));
  const problems: string[] = [];
  if (!admit || admit.i > invocation.step) problems.push(`${where}: a stack declares ${DEPLOYER_IP_RANGES_VARIABLE}, but no step admits the runner (azure-runner-access.js admit --env ${invocation.environment}) before Terraform runs`);
  if (!revoke || revoke.i < invocation.step || !/^always\(\)/.test(revoke.if ?? "")) problems.push(`${where}: no step revokes the runner (azure-runner-access.js revoke --env ${invocation.environment}) after Terraform, with if: always()`);
  return problems;
}

const workflow = parse(fs.readFileSync(WORKFLOW_FILE, "utf8")) as Workflow;
const config = loadConfig({ PLATFORM_CONFIG: path.join(PROJECT_ROOT, "platform.config.json") });
const { stacks } = buildApp({ config, outdir: testOutdir(), checkLog: () => undefined });
const synthesized = new Map<CloudStack, TfJson>(stacks.map((s) => [s, synthJson(s)]));
const required = new Map<CloudStack, Required[]>([...synthesized].map(([s, tf]) => [s, requiredVariables(s.node.id, tf)]));

/** Whether a stack of the cloud and environment declares the runner-admission variable (has a vault behind its firewall). */
function declaresAdmission(cloud: Cloud, environment: string): boolean {
  return [...synthesized].some(([s, tf]) => s.cloud === cloud && s.environment === environment && tf.variable?.[DEPLOYER_IP_RANGES_VARIABLE] !== undefined);
}

function requiredFor(cloud: Cloud, environment: string): Required[] {
  return [...required].filter(([s]) => s.cloud === cloud && s.environment === environment).flatMap(([, r]) => r);
}

describe("CI supplies every required variable", () => {
  const all = invocations(workflow);

  test("the workflow plans or deploys every cloud of the configuration in both environments", () => {
    expect(new Set(all.map((i) => i.cloud))).toEqual(new Set(config.clouds));
    expect(new Set(all.map((i) => i.environment))).toEqual(new Set(["staging", "production"]));
    expect(config.clouds).toEqual(expect.arrayContaining([...CLOUDS]));
  });

  test("some stack requires a variable (the derivation sees them)", () => {
    expect([...required.values()].flat().map((r) => r.name)).toContain("vm_ssh_public_key");
  });

  test.each(all.map((i) => [`${i.job} ${i.cloud}-${i.environment}`, i] as const))("%s", (_, invocation) => {
    expect(unsupplied(invocation, requiredFor(invocation.cloud, invocation.environment))).toEqual([]);
  });

  test("the Azure stacks declare the runner-admission variable (the derivation sees it)", () => {
    expect(declaresAdmission("azure", "staging")).toBe(true);
    expect(declaresAdmission("aws", "staging")).toBe(false);
  });

  test.each(all.map((i) => [`${i.job} ${i.cloud}-${i.environment}`, i] as const))("%s: the runner is admitted through the Key Vault firewall before, revoked after (always)", (_, invocation) => {
    expect(unadmitted(workflow.jobs[invocation.job], invocation, declaresAdmission(invocation.cloud, invocation.environment))).toEqual([]);
  });

  describe("the check itself", () => {
    const invocation: Invocation = { job: "deploy", cloud: "aws", environment: "staging", env: { TF_VAR_a: "${{ vars.A }}", TF_VAR_b: "${{ vars.B }}", TF_VAR_c: "literal" }, step: 0 };
    test("names a variable no TF_VAR_ supplies", () => {
      expect(unsupplied(invocation, [{ stack: "s", name: "missing", sensitive: false }])).toEqual([
        "deploy (aws, staging): s requires 'missing', the job sets no TF_VAR_missing",
      ]);
    });
    test("refuses a sensitive variable from a repository variable and a literal value", () => {
      expect(unsupplied(invocation, [{ stack: "s", name: "b", sensitive: true }])[0]).toMatch(/must come from a secret/);
      expect(unsupplied(invocation, [{ stack: "s", name: "c", sensitive: false }])[0]).toMatch(/not a secret or a variable/);
      expect(unsupplied(invocation, [{ stack: "s", name: "a", sensitive: false }])).toEqual([]);
    });
    test("a stack built with a password variable adds a sensitive required variable", () => {
      // What a user's stack with DatabaseCredentials.fromPasswordVariable() emits.
      const tf = { terraform: {}, variable: { db_admin_password: { type: "string", sensitive: true, ephemeral: true }, region: { default: "x" } } } as TfJson;
      expect(requiredVariables("mine", tf)).toEqual([{ stack: "mine", name: "db_admin_password", sensitive: true }]);
    });
    test("names a missing admit step, an admit after the command, and a revoke that does not run always", () => {
      const plan = { run: "npm run plan -- --provider azure --env staging --all" };
      const admit = { if: "matrix.provider == 'azure'", run: "node scripts/azure-runner-access.js admit --env staging" };
      const revoke = { if: "always() && matrix.provider == 'azure'", run: "node scripts/azure-runner-access.js revoke --env staging" };
      const check = (steps: Step[]) => {
        const job: Job = { steps };
        return invocations({ jobs: { plan: job } }).flatMap((i) => unadmitted(job, i, true));
      };
      expect(check([admit, plan, revoke])).toEqual([]);
      expect(check([plan, revoke])[0]).toMatch(/no step admits the runner/);
      expect(check([plan, admit, revoke])[0]).toMatch(/no step admits the runner/);
      expect(check([admit, plan, { ...revoke, if: "matrix.provider == 'azure'" }])[0]).toMatch(/no step revokes the runner .* with if: always\(\)/);
      expect(check([{ ...admit, if: "matrix.provider == 'gcp'" }, plan, revoke])[0]).toMatch(/no step admits the runner/);
      expect(check([{ ...admit, run: "node scripts/azure-runner-access.js admit --env production" }, plan, revoke])[0]).toMatch(/no step admits the runner/);
      expect(unadmitted({ steps: [plan] }, invocations({ jobs: { plan: { steps: [plan] } } })[0], false)).toEqual([]);
    });

    test("refuses a plan without --all (a component would be left out of the check)", () => {
      expect(() => invocations({ jobs: { x: { steps: [{ run: "npm run plan -- --provider aws --env staging" }] } } })).toThrow(/--all/);
    });
  });
});
