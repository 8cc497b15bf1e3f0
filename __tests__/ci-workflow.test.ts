/**
 * .github/workflows/platform.yml: structure of the user's CI/CD, checked
 * against what the project actually offers (npm scripts, clouds, environments).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CLOUDS } from "../constructs/core";
import { Job, PROJECT_ROOT, Step, WORKFLOW_FILE, Workflow } from "./workflow-helpers";

const workflow = parse(fs.readFileSync(WORKFLOW_FILE, "utf8")) as Workflow;
const scripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

const runs = (job: Job): string[] => job.steps.flatMap((s) => (s.run ? [s.run] : []));
const uses = (job: Job, action: string): Step[] => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));
const CLOUD_JOBS = ["plan", "deploy-staging", "deploy-production"];
/** The condition of the steps that must run after the terraform command, whatever happened. */
const AZURE_ALWAYS = "always() && matrix.provider == 'azure'";
/** The environment a job plans or deploys (its `--env`). */
const envOf = (job: Job): string => /npm run (?:plan|deploy) -- .*--env (\S+)/.exec(runs(job).join("\n"))![1];

describe("CI workflow", () => {
  test("runs on pull requests and on pushes to main", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["pull_request", "push"]));
    expect(workflow.on.push).toEqual({ branches: ["main"] });
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  test("has exactly the test, plan and deploy jobs", () => {
    expect(Object.keys(workflow.jobs).sort()).toEqual(["deploy-production", "deploy-staging", "plan", "test"]);
  });

  test("the test job installs, synthesizes everything and runs the tests, with terraform for the e2e test", () => {
    const job = workflow.jobs.test;
    expect(runs(job)).toEqual(["npm ci", "npm run synth", "npm test"]);
    expect(uses(job, "hashicorp/setup-terraform")[0]?.with).toEqual({ terraform_version: "${{ env.TERRAFORM_VERSION }}", terraform_wrapper: false });
    expect(workflow.env?.TERRAFORM_VERSION).toMatch(/^1\.(1[0-9]|[2-9][0-9])\.\d+$/); // use_lockfile needs >= 1.10
  });

  test("every `npm run` in the workflow is a script of package.json", () => {
    const used = Object.values(workflow.jobs)
      .flatMap(runs)
      .flatMap((r) => [...r.matchAll(/npm run (\S+)/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(Object.keys(scripts)).toContain(name);
    expect(scripts.plan).toBe("node scripts/cdktf.js plan");
    expect(scripts.deploy).toBe("node scripts/cdktf.js deploy");
  });

  test("plan runs on same-repository pull requests, once per cloud, for staging", () => {
    const job = workflow.jobs.plan;
    expect(job.needs).toBe("test");
    expect(job.if).toContain("github.event_name == 'pull_request'");
    expect(job.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(job.strategy?.matrix).toEqual({ provider: [...CLOUDS] });
    expect(runs(job)).toContain("npm run plan -- --provider ${{ matrix.provider }} --env staging --all --no-color");
    expect(job.environment).toBeUndefined();
  });

  test("deploy runs only on main: staging first, then production behind the production environment", () => {
    const staging = workflow.jobs["deploy-staging"];
    const production = workflow.jobs["deploy-production"];
    for (const job of [staging, production]) {
      expect(job.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
      expect(job.strategy?.matrix).toEqual({ provider: [...CLOUDS] });
      expect(job.concurrency?.["cancel-in-progress"]).toBe(false);
    }
    expect(staging.needs).toBe("test");
    expect(staging.environment).toBe("staging");
    expect(production.needs).toBe("deploy-staging");
    expect(production.environment).toBe("production");
    expect(runs(staging)).toContain("npm run deploy -- --provider ${{ matrix.provider }} --env staging --all --auto-approve --no-color");
    expect(runs(production)).toContain("npm run deploy -- --provider ${{ matrix.provider }} --env production --all --auto-approve --no-color");
  });

  describe.each(CLOUD_JOBS)("credentials of %s", (name) => {
    const job = workflow.jobs[name];

    test("OIDC tokens may be requested", () => {
      expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    });

    test("AWS credentials are always configured (the state backend), from a secret role", () => {
      const aws = uses(job, "aws-actions/configure-aws-credentials");
      expect(aws).toHaveLength(1);
      expect(aws[0].if).toBeUndefined();
      expect(aws[0].with?.["role-to-assume"]).toBe("${{ secrets.AWS_ROLE_ARN }}");
    });

    test("GCP workload identity only for the gcp matrix entry", () => {
      const gcp = uses(job, "google-github-actions/auth");
      expect(gcp).toHaveLength(1);
      expect(gcp[0].if).toBe("matrix.provider == 'gcp'");
      expect(gcp[0].with).toEqual({
        workload_identity_provider: "${{ secrets.GCP_WORKLOAD_IDENTITY_PROVIDER }}",
        service_account: "${{ secrets.GCP_SERVICE_ACCOUNT }}",
      });
    });

    test("Azure through ARM_* variables from secrets, with OIDC; the required inputs as TF_VAR_* (ci-variables.test.ts)", () => {
      expect(job.env).toEqual({
        ARM_CLIENT_ID: "${{ secrets.AZURE_CLIENT_ID }}",
        ARM_TENANT_ID: "${{ secrets.AZURE_TENANT_ID }}",
        ARM_SUBSCRIPTION_ID: "${{ secrets.AZURE_SUBSCRIPTION_ID }}",
        ARM_USE_OIDC: "true",
        TF_VAR_vm_ssh_public_key: "${{ vars.VM_SSH_PUBLIC_KEY }}",
      });
    });

    test("credentials come before the terraform command, and only the Azure clean-up, run always, follows it", () => {
      const steps = job.steps;
      const credentials = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      const command = steps.findIndex((s) => /npm run (plan|deploy)/.test(s.run ?? ""));
      expect(steps.filter((s) => /npm run (plan|deploy)/.test(s.run ?? ""))).toHaveLength(1);
      expect(credentials).toBeGreaterThan(steps.findIndex((s) => s.run === "npm ci"));
      expect(command).toBeGreaterThan(credentials);
      // After the command: signing the Azure CLI in again and revoking the runner's Key Vault rule, nothing else.
      const after = steps.slice(command + 1);
      expect(after.map((s) => s.if)).toEqual([AZURE_ALWAYS, AZURE_ALWAYS]);
      expect(after.map((s) => s.uses ?? s.run)).toEqual([expect.stringMatching(/^azure\/login@v2$/), `node scripts/azure-runner-access.js revoke --env ${envOf(job)}`]);
    });
  });

  describe.each(CLOUD_JOBS)("Azure Key Vault firewall in %s (docs/azure.md \"Key Vault\")", (name) => {
    const job = workflow.jobs[name];
    const steps = job.steps;
    const command = steps.findIndex((s) => /npm run (plan|deploy)/.test(s.run ?? ""));
    const env = envOf(job);
    const admit = steps.findIndex((s) => /azure-runner-access\.js admit/.test(s.run ?? ""));
    const revoke = steps.findIndex((s) => /azure-runner-access\.js revoke/.test(s.run ?? ""));
    const logins = steps.flatMap((s, i) => (s.uses?.startsWith("azure/login@") ? [i] : []));

    test("the Azure CLI signs in with the identity Terraform uses (OIDC), for the azure matrix entry only", () => {
      expect(logins).toHaveLength(2);
      for (const i of logins) {
        expect(steps[i].with).toEqual({ "client-id": "${{ secrets.AZURE_CLIENT_ID }}", "tenant-id": "${{ secrets.AZURE_TENANT_ID }}", "subscription-id": "${{ secrets.AZURE_SUBSCRIPTION_ID }}" });
        expect(steps[i].if).toMatch(/matrix\.provider == 'azure'$/);
      }
      expect([job.env?.ARM_CLIENT_ID, job.env?.ARM_TENANT_ID, job.env?.ARM_SUBSCRIPTION_ID]).toEqual(logins.slice(0, 1).flatMap((i) => Object.values(steps[i].with ?? {})));
    });

    test("the runner is admitted before the terraform command, only for azure, for the command's environment, after synthesizing it", () => {
      expect(admit).toBeGreaterThan(logins[0]);
      expect(admit).toBeLessThan(command);
      expect(steps[admit].if).toBe("matrix.provider == 'azure'");
      expect(steps[admit].run).toBe(`npm run synth -- --provider azure --env ${env} && node scripts/azure-runner-access.js admit --env ${env}`);
      expect(steps.filter((s) => /azure-runner-access/.test(s.run ?? ""))).toHaveLength(2);
    });

    test("the rule is revoked after the terraform command, always (failure and cancellation included), signed in again first", () => {
      expect(revoke).toBe(steps.length - 1);
      expect(revoke).toBeGreaterThan(command);
      expect(steps[revoke].if).toBe(AZURE_ALWAYS);
      expect(logins[1]).toBe(revoke - 1);
      expect(steps[revoke - 1].if).toBe(AZURE_ALWAYS);
    });

    test("the admitted address reaches Terraform only through the script ($GITHUB_ENV), never from the job", () => {
      expect(Object.keys(job.env ?? {})).not.toContain("TF_VAR_azure_deployer_ip_ranges");
      expect(steps.every((s) => s.env?.TF_VAR_azure_deployer_ip_ranges === undefined)).toBe(true);
    });
  });
});
