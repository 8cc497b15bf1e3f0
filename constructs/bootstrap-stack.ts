/**
 * The state backend's own infrastructure: the S3 bucket holding every stack's
 * state, the customer-managed KMS key it is encrypted with, the bucket that
 * records who read or wrote it (S3 server access logs) and the DynamoDB table
 * locking it. Deployed once, before any cloud (`npm run bootstrap`), with
 * local state because the bucket does not exist yet.
 *
 * Names and region come from the same `backend` configuration that every
 * CloudStack's S3 backend reads (the key's alias is derived from the bucket
 * name in constructs/backend.ts), so the two cannot drift apart.
 *
 * Deletion safety, twice: Terraform refuses to destroy the bucket, the key,
 * the log bucket and the table (`prevent_destroy`), and the cloud refuses too
 * where its API allows it: the bucket policy denies `s3:DeleteBucket`, the key
 * policy denies `kms:ScheduleKeyDeletion`, the table has deletion protection.
 * Removing the state store is a deliberate manual act.
 *
 * Partial failures: a create that fails after AWS made the resource (a
 * post-create call such as EnableKeyRotation, PutBucketTagging or
 * UpdateContinuousBackups refused) leaves it tainted, and the retry then stops
 * at `prevent_destroy` instead of replacing it. Every resource here reapplies
 * each of its settings on update, so untainting it converges
 * (`BOOTSTRAP_UNTAINT_TYPES` in constructs/aws/bootstrap-recovery.ts, which the
 * wrapper uses; docs/workflow.md has the manual steps and the adoption of an
 * existing bucket or table).
 */
import * as path from "path";
import { App, LocalBackend, TerraformOutput } from "cdktf";
import { stateKeyAlias, usesCustomEndpoints } from "./backend";
import { CheckedStack, recordDecision } from "./stack";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { bootstrapStatePath } from "./aws/bootstrap-recovery";
import { AwsAccessLogBucket } from "./aws/bucket";
import { KMS_DELETION_WINDOW_DAYS } from "./aws/encryption-key";
import { PlatformConfig } from "./config";
import { shortHash } from "./core";

/** Stack name; `scripts/cdktf.js --bootstrap` targets it. */
export const BOOTSTRAP_STACK_NAME = "state-bootstrap";

export { BOOTSTRAP_STATE_FILE } from "./aws/bootstrap-recovery";

/** `<bucket>-access-logs`, or a shortened name with a hash when that would pass the 63 characters S3 allows. */
export function stateAccessLogBucketName(bucket: string): string {
  const name = `${bucket}-access-logs`;
  if (name.length <= 63) return name;
  const suffix = `-${shortHash(bucket)}-access-logs`;
  return `${bucket.slice(0, 63 - suffix.length).replace(/[.-]+$/, "")}${suffix}`;
}

export interface StateBootstrapStackProps {
  readonly config: PlatformConfig;
  /**
   * Local state path, as Terraform reads it from the stack's directory (`<outdir>/stacks/state-bootstrap`).
   * @default - PLATFORM_BOOTSTRAP_STATE, else `terraform.state-bootstrap.tfstate` in the directory the app runs from (the project root), written relative to the stack's directory so the synthesized JSON is the same on every machine
   */
  readonly statePath?: string;
}

export class StateBootstrapStack extends CheckedStack {
  public get cloudName(): "aws" {
    return "aws";
  }

  public readonly bucket: S3Bucket;
  public readonly key: KmsKey;
  public readonly accessLogs: AwsAccessLogBucket;
  public readonly lockTable: DynamodbTable;

  constructor(scope: Construct, props: StateBootstrapStackProps) {
    super(scope, BOOTSTRAP_STACK_NAME);
    const { config } = props;
    const backend = config.backend;
    const statePath =
      props.statePath ??
      path.relative(path.resolve(App.of(this).outdir, "stacks", BOOTSTRAP_STACK_NAME), bootstrapStatePath(process.env, process.cwd()));

    new LocalBackend(this, { path: statePath });

    const custom = usesCustomEndpoints(backend);
    new AwsProvider(this, "aws", {
      region: backend.region,
      defaultTags: [{ tags: { ...config.tags, Project: config.project, ManagedBy: "cdktf", Purpose: "terraform-state" } }],
      // The same custom endpoints as the backend (S3/DynamoDB-compatible services); see docs/workflow.md for what emulators cannot do.
      ...(custom
        ? {
            endpoints: [{ s3: backend.endpoints?.s3, dynamodb: backend.endpoints?.dynamodb, sts: backend.endpoints?.sts }],
            s3UsePathStyle: true,
            skipCredentialsValidation: true,
            skipRequestingAccountId: true,
            skipMetadataApiCheck: "true",
          }
        : {}),
    });

    // The state key: every state object, lock file and lock-table item is encrypted with it.
    const account = new DataAwsCallerIdentity(this, "caller");
    const partition = new DataAwsPartition(this, "partition");
    const keyPolicy = new DataAwsIamPolicyDocument(this, "state-key-policy", {
      statement: [
        {
          sid: "AccountAdministersKeyThroughIam",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:${partition.partition}:iam::${account.accountId}:root`] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "NobodySchedulesTheStateKeysDeletion",
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: ["kms:ScheduleKeyDeletion"],
          resources: ["*"],
        },
      ],
    });
    this.key = new KmsKey(this, "state-key", {
      description: `${stateKeyAlias(backend)}: encryption of the Terraform state in ${backend.bucket}`,
      enableKeyRotation: true,
      deletionWindowInDays: KMS_DELETION_WINDOW_DAYS,
      policy: keyPolicy.json,
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "state-key-alias", { name: stateKeyAlias(backend), targetKeyId: this.key.keyId });

    this.bucket = new S3Bucket(this, "state-bucket", {
      bucket: backend.bucket,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    recordDecision(this.bucket, "state-bucket-single-region");
    new S3BucketVersioningA(this, "state-bucket-versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    // SSE-KMS with the state key (the backend also asks for it, `kms_key_id`); bucket keys keep KMS calls few.
    new S3BucketServerSideEncryptionConfigurationA(this, "state-bucket-encryption", {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn }, bucketKeyEnabled: true }],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "state-bucket-public-access", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "state-bucket-ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const bucketPolicy = new DataAwsIamPolicyDocument(this, "state-bucket-tls-only", {
      statement: [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        {
          sid: "NobodyDeletesTheStateBucket",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:DeleteBucket"],
          resources: [this.bucket.arn],
        },
      ],
    });
    new S3BucketPolicy(this, "state-bucket-policy", {
      bucket: this.bucket.id,
      policy: bucketPolicy.json,
      // S3 rejects a policy written while the public access block is still being applied.
      dependsOn: [publicAccess],
    });

    // Who read or wrote which state object: S3 server access logs, kept a year, in a bucket of their own.
    this.accessLogs = new AwsAccessLogBucket(this, "state-access-logs", { name: stateAccessLogBucketName(backend.bucket), deletionProtection: true });
    this.accessLogs.logsOf(this, this.bucket, backend.bucket, undefined, "state-bucket-logging");

    this.lockTable = new DynamodbTable(this, "lock-table", {
      name: backend.dynamodbTable,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });

    new TerraformOutput(this, "state_bucket", { value: this.bucket.bucket, description: "S3 bucket holding every stack's state" });
    new TerraformOutput(this, "state_key", { value: stateKeyAlias(backend), description: "Alias of the KMS key encrypting the state (the backends' kms_key_id)" });
    new TerraformOutput(this, "state_access_logs", { value: this.accessLogs.bucketName, description: "S3 bucket with the state bucket's server access logs" });
    new TerraformOutput(this, "lock_table", { value: this.lockTable.name, description: "DynamoDB table locking the state" });
    new TerraformOutput(this, "region", { value: backend.region, description: "Region of the state bucket and lock table" });
  }
}
