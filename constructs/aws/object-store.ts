/**
 * AWS object store: an S3 bucket that is versioned, KMS-encrypted, fully
 * blocked from public access, owner-enforced (no ACLs), TLS-only, and that
 * cleans up incomplete uploads and old versions. Grants are inline role
 * policies scoped to this bucket (and its key, through S3 only).
 */
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { shortHash } from "../core";
import { displayName, relationshipScope } from "../connections";
import { AccessLevel, IGrantable, principalOn } from "../grants";
import { IObjectStore, ObjectStoreProps, validateObjectStoreProps } from "../object-store";
import { claimName, recordDecision } from "../stack";
import { checkAwsName } from "./naming";
import { AwsPlatform, policyDocument } from "./platform";

/** What each access level may do with objects of the bucket. */
const OBJECT_ACTIONS: Record<AccessLevel, string[]> = {
  read: ["s3:GetObject"],
  "read-write": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
};
const KEY_ACTIONS: Record<AccessLevel, string[]> = { read: ["kms:Decrypt"], "read-write": ["kms:Decrypt", "kms:GenerateDataKey"] };

export class AwsObjectStore extends Construct implements IObjectStore {
  public readonly cloud = "aws" as const;
  /** The S3 bucket. */
  public readonly resource: S3Bucket;
  public readonly bucketName: string;
  private readonly platform: AwsPlatform;
  private readonly granted = new Set<string>();

  constructor(scope: Construct, id: string, props: ObjectStoreProps) {
    super(scope, id);
    const platform = AwsPlatform.of(this);
    const p = validateObjectStoreProps("aws", id, props);
    this.platform = platform;
    // Bucket names are global: a short hash of project/environment/path keeps them unique and stable.
    const name = claimName(
      this,
      "aws:s3-bucket",
      checkAwsName("s3Bucket", "objectStore.baseName", `${platform.namePrefix}-${p.baseName}-${shortHash(`aws/${platform.namePrefix}/${this.node.path}`)}`),
      "bucket name",
    );

    this.resource = new S3Bucket(this, "Resource", {
      bucket: name,
      // Without protection, destroy empties the bucket (every version) first; with it, Terraform refuses to destroy.
      forceDestroy: !p.deletionProtection,
      tags: { Name: name },
      lifecycle: p.deletionProtection ? { preventDestroy: true } : undefined,
    });
    if (!p.deletionProtection) recordDecision(this.resource, "no-deletion-protection");
    this.bucketName = this.resource.bucket;
    const bucket = this.resource;
    if (p.versioned) {
      new S3BucketVersioningA(this, "versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
    }
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: platform.encryptionKey.keyRef },
          bucketKeyEnabled: true,
        },
      ],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketPolicy(this, "policy", {
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, `${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
      dependsOn: [publicAccess],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "abort-incomplete-uploads",
          status: "Enabled",
          filter: [{ prefix: "" }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: p.abortIncompleteUploadDays }],
        },
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: p.noncurrentVersionExpirationDays }],
        },
      ],
    });
  }

  public grantRead(grantee: IGrantable): void {
    this.grant(grantee, "read");
  }

  public grantReadWrite(grantee: IGrantable): void {
    this.grant(grantee, "read-write");
  }

  /** List of this bucket and the level's object actions on its objects, nothing else; KMS use only through S3. */
  private grant(grantee: IGrantable, level: AccessLevel): void {
    const p = principalOn(`ObjectStore '${this.node.id}'.grant`, grantee, "aws");
    const key = `${grantee.node.path}:${level}`;
    if (this.granted.has(key)) return;
    this.granted.add(key);
    // Across stacks the policy lives in the grantee's stack (constructs/connections.ts relationshipScope).
    const { scope, crossStack } = relationshipScope(this, grantee);
    new IamRolePolicy(scope, crossStack ? `grant-${level}-on-${displayName(this)}` : `grant-${level}-${grantee.node.id}`, {
      name: `${this.node.id}-${level}`,
      role: p.roleName,
      policy: policyDocument([
        { Sid: "ListThisBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [this.resource.arn] },
        { Sid: level === "read" ? "ReadObjectsOfThisBucket" : "ReadWriteObjectsOfThisBucket", Effect: "Allow", Action: OBJECT_ACTIONS[level], Resource: [`${this.resource.arn}/*`] },
        {
          Sid: "UseTheBucketKeyThroughS3Only",
          Effect: "Allow",
          Action: KEY_ACTIONS[level],
          Resource: [this.platform.encryptionKey.keyRef],
          Condition: { StringEquals: { "kms:ViaService": `s3.${this.platform.region}.amazonaws.com` } },
        },
      ]),
    });
  }
}
