/**
 * The one way this project builds an S3 bucket: versioned, default-encrypted,
 * every public access block on, ACLs disabled (BucketOwnerEnforced), a policy
 * that refuses requests without TLS, a lifecycle that cleans up incomplete
 * uploads and old versions, and (for every bucket that holds data) server
 * access logs. Used by the object store (its bucket and its cross-region
 * replica), by the access-log buckets themselves and by the load balancer's
 * log bucket (https-entry.ts), so every bucket of a stack meets the same bar.
 * The state bootstrap (constructs/bootstrap-stack.ts) keeps its own construct
 * ids but follows the same rules.
 *
 * Server access logs, not CloudTrail data events: they are free (storage
 * only), per bucket, and record requester, operation, key and status of every
 * request; a trail with S3 data events costs per event and is an account-wide
 * decision that an organization trail usually makes already. S3 delivers
 * server access logs only to buckets with SSE-S3 default encryption, in the
 * same region and account, authorised by a bucket policy for
 * `logging.s3.amazonaws.com` (ACL-based delivery is impossible with
 * BucketOwnerEnforced).
 */
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Lazy, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { recordDecision } from "../stack";

/** Days S3 server access logs are kept (the flow logs' default retention: a year of audit evidence). */
export const ACCESS_LOG_RETENTION_DAYS = 365;

/** Where S3 server access logs of a bucket go, and how their object keys are laid out. */
export const ACCESS_LOG_KEY_FORMAT = { partitionedPrefix: { partitionDateSource: "EventTime" } } as const;

/** The standard lifecycle rules: incomplete uploads aborted, old versions expired (and current objects, with `expirationDays`). */
export interface SecureBucketCleanup {
  readonly noncurrentVersionExpirationDays: number;
  readonly abortIncompleteUploadDays: number;
  /** Current objects expire after this many days (log buckets). @default - never */
  readonly expirationDays?: number;
}

interface SecureBucketSettings {
  /** The bucket name (checked by the caller). */
  readonly name: string;
  /** @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /**
   * Default encryption with this customer-managed KMS key (ARN), bucket keys on.
   * @default - SSE-S3 (only for access-log destinations, which S3 requires to be SSE-S3)
   */
  readonly kmsKeyArn?: string;
  readonly versioned: boolean;
  /**
   * Terraform refuses to destroy the bucket (`prevent_destroy`, no `force_destroy`). When false,
   * destroy empties it (every version) and deletes it, and `no-deletion-protection` is recorded.
   */
  readonly deletionProtection: boolean;
  /** More bucket-policy statements (about the bucket of `bucketArn`), produced at synth time (so they can grow after the bucket is built). */
  readonly extraPolicyStatements?: (bucketArn: string) => readonly Record<string, unknown>[];
  /** Writes the bucket's server access logs there. @default - no access logs (only access-log destinations themselves) */
  readonly accessLogs?: AwsAccessLogBucket;
}

/** A bucket's settings, and its lifecycle: the standard cleanup, or rules of its own (the load balancer's log bucket). */
export type SecureBucketSpec = SecureBucketSettings & (SecureBucketCleanup | { readonly lifecycleRules: S3BucketLifecycleConfigurationRule[] });

/** The resources of one bucket, each at a fixed construct id below the scope it was built in. */
export interface SecureBucket {
  /** `Resource` */
  readonly bucket: S3Bucket;
  /** `versioning` (when versioned) */
  readonly versioning?: S3BucketVersioningA;
  /** `encryption` */
  readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  /** `public-access` */
  readonly publicAccess: S3BucketPublicAccessBlock;
  /** `policy` */
  readonly policy: S3BucketPolicy;
  /** `lifecycle` */
  readonly lifecycle: S3BucketLifecycleConfiguration;
  /** `access-logging` (when `accessLogs` is set) */
  readonly logging?: S3BucketLoggingA;
}

/** The statement every bucket policy starts with: no request without TLS, for anyone. */
export function denyInsecureTransport(bucketArn: string): Record<string, unknown> {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** Builds a bucket and its settings in `scope` (construct ids: Resource, versioning, encryption, ...). */
export function secureBucket(scope: Construct, spec: SecureBucketSpec): SecureBucket {
  const provider = spec.provider;
  const bucket = new S3Bucket(scope, "Resource", {
    provider,
    bucket: spec.name,
    // Without protection, destroy empties the bucket (every version) first; with it, Terraform refuses to destroy.
    forceDestroy: !spec.deletionProtection,
    tags: { Name: spec.name },
    lifecycle: spec.deletionProtection ? { preventDestroy: true } : undefined,
  });
  if (!spec.deletionProtection) recordDecision(bucket, "no-deletion-protection");

  const versioning = spec.versioned
    ? new S3BucketVersioningA(scope, "versioning", { provider, bucket: bucket.id, versioningConfiguration: { status: "Enabled" } })
    : undefined;
  const encryption = new S3BucketServerSideEncryptionConfigurationA(scope, "encryption", {
    provider,
    bucket: bucket.id,
    rule: [
      spec.kmsKeyArn
        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: spec.kmsKeyArn }, bucketKeyEnabled: true }
        : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ],
  });
  const publicAccess = new S3BucketPublicAccessBlock(scope, "public-access", {
    provider,
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, "ownership", { provider, bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
  const document = () => JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecureTransport(bucket.arn), ...(spec.extraPolicyStatements?.(bucket.arn) ?? [])] });
  const policy = new S3BucketPolicy(scope, "policy", {
    provider,
    bucket: bucket.id,
    policy: spec.extraPolicyStatements ? Lazy.stringValue({ produce: document }) : document(),
    // S3 rejects a policy written while the public access block is still being applied.
    dependsOn: [publicAccess],
  });
  const lifecycle = new S3BucketLifecycleConfiguration(scope, "lifecycle", { provider, bucket: bucket.id, rule: "lifecycleRules" in spec ? spec.lifecycleRules : cleanupRules(spec) });
  const logging = spec.accessLogs?.logsOf(scope, bucket, spec.name, provider);
  return { bucket, versioning, encryption, publicAccess, policy, lifecycle, logging };
}

/** The rules SecureBucketCleanup describes. */
function cleanupRules(spec: SecureBucketCleanup): S3BucketLifecycleConfigurationRule[] {
  const rules: S3BucketLifecycleConfigurationRule[] = [
    {
      id: "abort-incomplete-uploads",
      status: "Enabled",
      filter: [{ prefix: "" }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: spec.abortIncompleteUploadDays }],
    },
    {
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: [{ prefix: "" }],
      noncurrentVersionExpiration: [{ noncurrentDays: spec.noncurrentVersionExpirationDays }],
    },
  ];
  if (spec.expirationDays !== undefined) {
    rules.push({ id: "expire-objects", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: spec.expirationDays }] });
  }
  return rules;
}

export interface AwsAccessLogBucketProps {
  readonly name: string;
  /** @default - the stack's default AWS provider (the log bucket must be in the region of the buckets it logs) */
  readonly provider?: TerraformProvider;
  readonly deletionProtection: boolean;
  /** The account whose buckets may deliver logs here (`aws:SourceAccount`). @default - any bucket named in `logsOf` (its ARN alone) */
  readonly sourceAccount?: string;
  /** @default ACCESS_LOG_RETENTION_DAYS */
  readonly retentionDays?: number;
}

/**
 * A bucket that receives S3 server access logs of other buckets of its region,
 * each under `<source bucket>/`. Its policy lets `logging.s3.amazonaws.com`
 * write exactly those prefixes, for exactly those source buckets. It is the
 * end of the chain: it logs nothing itself and is SSE-S3 encrypted (the only
 * encryption S3 log delivery accepts), which it records as the decision
 * `access-log-destination`.
 */
export class AwsAccessLogBucket extends Construct {
  public readonly bucket: SecureBucket;
  public readonly bucketName: string;
  private readonly sources: { readonly arn: string; readonly prefix: string }[] = [];
  private readonly sourceAccount?: string;

  constructor(scope: Construct, id: string, props: AwsAccessLogBucketProps) {
    super(scope, id);
    this.sourceAccount = props.sourceAccount;
    this.bucketName = props.name;
    this.bucket = secureBucket(this, {
      name: props.name,
      provider: props.provider,
      versioned: true,
      deletionProtection: props.deletionProtection,
      noncurrentVersionExpirationDays: 30,
      abortIncompleteUploadDays: 7,
      expirationDays: props.retentionDays ?? ACCESS_LOG_RETENTION_DAYS,
      extraPolicyStatements: () => this.deliveryStatements(),
    });
    // On the bucket (logging, replication) and on its encryption settings (SSE-S3).
    recordDecision(this.bucket.bucket, "access-log-destination");
    recordDecision(this.bucket.encryption, "access-log-destination");
  }

  /**
   * Sends the server access logs of `source` (named `sourceName`) here, under `<sourceName>/`;
   * the logging resource is built in `scope` with construct id `id`.
   */
  public logsOf(scope: Construct, source: S3Bucket, sourceName: string, provider?: TerraformProvider, id = "access-logging"): S3BucketLoggingA {
    const prefix = `${sourceName}/`;
    this.sources.push({ arn: source.arn, prefix });
    return new S3BucketLoggingA(scope, id, {
      provider,
      bucket: source.id,
      targetBucket: this.bucket.bucket.id,
      targetPrefix: prefix,
      targetObjectKeyFormat: ACCESS_LOG_KEY_FORMAT,
      // The delivery policy must exist before S3 checks it.
      dependsOn: [this.bucket.policy],
    });
  }

  private deliveryStatements(): Record<string, unknown>[] {
    if (this.sources.length === 0) return [];
    const arn = this.bucket.bucket.arn;
    return [
      {
        Sid: "S3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: this.sources.map((s) => `${arn}/${s.prefix}*`),
        Condition: {
          ArnLike: { "aws:SourceArn": this.sources.map((s) => s.arn) },
          ...(this.sourceAccount ? { StringEquals: { "aws:SourceAccount": this.sourceAccount } } : {}),
        },
      },
    ];
  }
}
