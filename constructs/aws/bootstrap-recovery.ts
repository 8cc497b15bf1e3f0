/**
 * Retrying the state bootstrap after a partial failure. A create that fails
 * after AWS made the resource (EnableKeyRotation, PutBucketTagging or
 * UpdateContinuousBackups refused, a timeout) leaves it *tainted*: the next
 * plan wants to replace it and stops at `prevent_destroy` ("Instance cannot be
 * destroyed"), so a plain retry never converges. Every resource type of the
 * bootstrap reapplies each of its settings on update, so the retry untaints
 * them first and lets the next apply finish what the failed create started.
 *
 * Provider-free: the wrapper (scripts/cdktf.js) reads the bootstrap's local
 * state file, turns it into the `terraform show -json` shape (`shownFromState`)
 * and calls `bootstrapUntaintPlan` before deploying the bootstrap again.
 */

import * as path from "path";

/** The bootstrap's local state file, at the project root so that `rm -rf cdktf.out` cannot lose it. */
export const BOOTSTRAP_STATE_FILE = "terraform.state-bootstrap.tfstate";

/** Where the bootstrap's state is: PLATFORM_BOOTSTRAP_STATE, else BOOTSTRAP_STATE_FILE in `cwd` (the project root). */
export function bootstrapStatePath(env: NodeJS.ProcessEnv, cwd: string): string {
  return path.resolve(cwd, env.PLATFORM_BOOTSTRAP_STATE || BOOTSTRAP_STATE_FILE);
}

/**
 * Types whose update path applies every argument a failed create may have missed (read in
 * hashicorp/terraform-provider-aws 5.100.0: kms/key.go resourceKeyUpdate, s3/bucket.go
 * resourceBucketUpdate (tags), dynamodb/table.go resourceTableUpdate (PITR, SSE, deletion
 * protection); the bucket settings resources put their whole configuration on every update).
 */
export const BOOTSTRAP_UNTAINT_TYPES: readonly string[] = [
  "aws_kms_key",
  "aws_kms_alias",
  "aws_s3_bucket",
  "aws_s3_bucket_versioning",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_policy",
  "aws_s3_bucket_lifecycle_configuration",
  "aws_s3_bucket_logging",
  "aws_dynamodb_table",
];

/** A resource of `terraform show -json` output (`values.root_module.resources[]`). */
interface ShownResource {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly tainted?: boolean;
}

export interface UntaintPlan {
  /** Run `terraform untaint <address>` for each, in the bootstrap stack's directory, then apply again. */
  readonly untaint: readonly string[];
  /** Tainted resources of other types: do not untaint, stop and report them. */
  readonly refuse: readonly string[];
}

/** What to untaint before retrying the bootstrap, from `terraform show -json` of its state. */
export function bootstrapUntaintPlan(shown: unknown): UntaintPlan {
  const resources = ((shown as { values?: { root_module?: { resources?: ShownResource[] } } })?.values?.root_module?.resources ?? []).filter(
    (r) => r.mode === "managed" && r.tainted === true,
  );
  return {
    untaint: resources.filter((r) => BOOTSTRAP_UNTAINT_TYPES.includes(r.type)).map((r) => r.address),
    refuse: resources.filter((r) => !BOOTSTRAP_UNTAINT_TYPES.includes(r.type)).map((r) => r.address),
  };
}

/** A resource of a state file (format version 4). */
interface StateResource {
  readonly module?: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly instances?: readonly { readonly index_key?: string | number; readonly status?: string }[];
}

/** A state file (`terraform.tfstate`, version 4) in the shape of `terraform show -json`, as far as `bootstrapUntaintPlan` reads it. */
export function shownFromState(state: unknown): { values: { root_module: { resources: ShownResource[] } } } {
  const resources = ((state as { resources?: StateResource[] })?.resources ?? []).flatMap((r) =>
    (r.instances ?? []).map((i) => ({
      address: `${r.module ? `${r.module}.` : ""}${r.mode === "data" ? "data." : ""}${r.type}.${r.name}${i.index_key === undefined ? "" : `[${JSON.stringify(i.index_key)}]`}`,
      mode: r.mode,
      type: r.type,
      tainted: i.status === "tainted",
    })),
  );
  return { values: { root_module: { resources } } };
}
