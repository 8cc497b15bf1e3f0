/**
 * What must hold before the first plan of a cloud's stacks and that Terraform
 * cannot do itself, in one shape for every cloud: the wrapper (scripts/cdktf.js)
 * checks it before plan and deploy, and `npm run prerequisites` prints it.
 *
 * Each cloud keeps its own list, with its evidence (constructs/aws|gcp|azure/
 * prerequisites.ts); this module only says, per item, which CLI checks it, how
 * to read the check's result, and whether a missing item blocks the plan.
 * The state backend (S3 + DynamoDB + KMS, on AWS) is a prerequisite of every
 * cloud's stacks.
 *
 * Provider-free: no binding is loaded (the wrapper runs it before Terraform).
 */
import { awsPrerequisites } from "./aws/prerequisites";
import { azurePrerequisites } from "./azure/prerequisites";
import { usesCustomEndpoints } from "./backend";
import { PlatformConfig } from "./config";
import { Cloud } from "./core";
import { gcpPrerequisites } from "./gcp/prerequisites";

/** A CLI the checks run, and the command that tells whether it can talk to the cloud at all. */
export interface PrerequisiteTool {
  readonly name: "aws" | "gcloud" | "az";
  /** Exits 0 when the CLI has credentials; otherwise the tool's items are reported as not checked. */
  readonly probe: string;
  /** Said when the probe fails. */
  readonly unauthenticated: string;
}

export const PREREQUISITE_TOOLS: Readonly<Record<PrerequisiteTool["name"], PrerequisiteTool>> = {
  aws: { name: "aws", probe: "aws sts get-caller-identity --output text", unauthenticated: "the AWS CLI has no working credentials" },
  gcloud: { name: "gcloud", probe: "gcloud auth print-access-token --quiet", unauthenticated: "gcloud has no active account (gcloud auth login, or setup-gcloud in CI)" },
  az: { name: "az", probe: "az account show --query id -o tsv", unauthenticated: "the Azure CLI is not logged in (az login)" },
};

export interface Prerequisite {
  /** `<cloud>:<the cloud list's id>`, stable. */
  readonly id: string;
  readonly what: string;
  readonly why: string;
  /** The shell command that checks it; undefined when no command can (then it is listed, never checked). */
  readonly check?: string;
  /** The CLI `check` needs. */
  readonly tool?: PrerequisiteTool["name"];
  /** Reads the check's result: true when the prerequisite holds. */
  readonly holds: (result: { readonly status: number; readonly stdout: string }) => boolean;
  /** What makes it hold: a command, or a step. */
  readonly fix: string;
  /** The first plan or apply fails without it; otherwise it is recommended (a warning). */
  readonly blocking: boolean;
  /** Why it is not checked by a command, when it is not. */
  readonly manual?: string;
}

const lines = (stdout: string) =>
  stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/** Everything the stacks of `cloud` in `environment` need before their first plan, the state backend first. */
export function prerequisitesFor(config: PlatformConfig, cloud: Cloud, environment: string): Prerequisite[] {
  const out: Prerequisite[] = [];
  // The state backend is on AWS for every cloud; the AWS stacks add their own items after it.
  const customEndpoints = usesCustomEndpoints(config.backend);
  for (const p of awsPrerequisites(config)) {
    const forStacks = !["aws-credentials", "state-backend"].includes(p.id);
    if (forStacks && cloud !== "aws") continue;
    out.push({
      id: `aws:${p.id}`,
      what: p.what,
      why: p.why,
      check: customEndpoints && !forStacks ? undefined : p.check,
      tool: "aws",
      holds: (r) => r.status === 0,
      fix: p.fix,
      blocking: p.blocksPlan,
      manual: customEndpoints && !forStacks ? "the backend uses custom endpoints (an S3/DynamoDB-compatible service): the AWS CLI would ask AWS" : undefined,
    });
  }
  if (cloud === "gcp") {
    for (const p of gcpPrerequisites(config, environment)) {
      out.push({
        id: `gcp:${p.id}`,
        what: p.what,
        why: p.why,
        check: p.check,
        tool: "gcloud",
        holds: (r) => r.status === 0 && p.expect.every((e) => lines(r.stdout).includes(e)),
        fix: p.fix,
        blocking: p.required,
      });
    }
  }
  if (cloud === "azure") {
    for (const p of azurePrerequisites(config.azure)) {
      // Items whose check needs a value only the operator knows (the deployer's object id) or that no command
      // can decide (which address Terraform runs from) are listed, not checked.
      const checkable = !/<[^>]+>/.test(p.check) && p.kind !== "deployer-network";
      out.push({
        id: `azure:${p.id}`,
        what: p.what,
        why: p.why,
        check: checkable ? p.check : undefined,
        tool: "az",
        holds: (r) => r.status === 0 && r.stdout.trim() === p.expect,
        fix: p.fix,
        // What azurerm registers itself (when the identity may) only warns; the rest fails the first apply.
        blocking: !p.automatic,
        manual: checkable ? undefined : "depends on the identity or the network Terraform runs from: check it by hand",
      });
    }
  }
  return out;
}
