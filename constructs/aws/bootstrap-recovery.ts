/**
 * Retrying the state bootstrap after a partial failure. A create that fails
 * after AWS made the resource (EnableKeyRotation, PutBucketTagging or
 * UpdateContinuousBackups refused, a timeout) leaves it *tainted*: the next
 * plan wants to replace it and stops at `prevent_destroy` ("Instance cannot be
 * destroyed"), so a plain retry never converges. Every resource type of the
 * bootstrap reapplies each of its settings on update, so the retry untaints
 * them first and lets the next apply finish what the failed create started.
 *
 * Provider-free: the wrapper (scripts/cdktf.js) reads the bootstrap's state
 * with `terraform show -json` and calls `bootstrapUntaintPlan`.
 */

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
