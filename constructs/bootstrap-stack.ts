/**
 * The state backend's own infrastructure: the S3 bucket holding every stack's
 * state and the DynamoDB table locking it. Deployed once, before any cloud
 * (`npm run bootstrap`), with local state because the bucket does not exist yet.
 *
 * Names and region come from the same `backend` configuration that every
 * PlatformStack's S3 backend reads, so the two cannot drift apart.
 */
import * as path from "path";
import { App, LocalBackend, TerraformOutput } from "cdktf";
import { usesCustomEndpoints } from "./backend";
import { CheckedStack, recordDecision } from "./stack";
import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { PlatformConfig } from "./config";

/** Stack name; `scripts/cdktf.js --bootstrap` targets it. */
export const BOOTSTRAP_STACK_NAME = "state-bootstrap";

/** The local state file, at the project root so that `rm -rf cdktf.out` cannot lose it. */
export const BOOTSTRAP_STATE_FILE = `terraform.${BOOTSTRAP_STACK_NAME}.tfstate`;

export interface StateBootstrapStackProps {
  readonly config: PlatformConfig;
  /**
   * Local state path, as Terraform reads it from the stack's directory (`<outdir>/stacks/state-bootstrap`).
   * @default - `terraform.state-bootstrap.tfstate` in the directory the app runs from (the project root), written relative to the stack's directory so the synthesized JSON is the same on every machine
   */
  readonly statePath?: string;
}

export class StateBootstrapStack extends CheckedStack {
  public get cloudName(): "aws" {
    return "aws";
  }

  public readonly bucket: S3Bucket;
  public readonly lockTable: DynamodbTable;

  constructor(scope: Construct, props: StateBootstrapStackProps) {
    super(scope, BOOTSTRAP_STACK_NAME);
    const { config } = props;
    const backend = config.backend;
    const statePath =
      props.statePath ??
      path.relative(path.resolve(App.of(this).outdir, "stacks", BOOTSTRAP_STACK_NAME), path.resolve(BOOTSTRAP_STATE_FILE));

    new LocalBackend(this, { path: statePath });

    const custom = usesCustomEndpoints(backend);
    new AwsProvider(this, "aws", {
      region: backend.region,
      defaultTags: [{ tags: { ...config.tags, Project: config.project, ManagedBy: "cdktf", Purpose: "terraform-state" } }],
      // The same custom endpoints as the backend, so the bootstrap can run against S3/DynamoDB emulators.
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

    this.bucket = new S3Bucket(this, "state-bucket", {
      bucket: backend.bucket,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    new S3BucketVersioningA(this, "state-bucket-versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    // SSE-S3, the algorithm the backend's `encrypt = true` requests for each state object.
    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, "state-bucket-encryption", {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    recordDecision(encryption, "state-bucket-sse-s3");
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
    const denyInsecure = new DataAwsIamPolicyDocument(this, "state-bucket-tls-only", {
      statement: [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new S3BucketPolicy(this, "state-bucket-policy", {
      bucket: this.bucket.id,
      policy: denyInsecure.json,
      // S3 rejects a policy written while the public access block is still being applied.
      dependsOn: [publicAccess],
    });

    this.lockTable = new DynamodbTable(this, "lock-table", {
      name: backend.dynamodbTable,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });

    new TerraformOutput(this, "state_bucket", { value: this.bucket.bucket, description: "S3 bucket holding every stack's state" });
    new TerraformOutput(this, "lock_table", { value: this.lockTable.name, description: "DynamoDB table locking the state" });
    new TerraformOutput(this, "region", { value: backend.region, description: "Region of the state bucket and lock table" });
  }
}
