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
import { IObjectStore, ObjectStoreProps, validateObjectStoreProps } from "../object-store";
import { requireSameCloud } from "../platform";
import { IVirtualMachine } from "../virtual-machine";
import { checkAwsName } from "./naming";
import { AwsPlatform } from "./platform";
import { AwsVirtualMachine } from "./virtual-machine";

export class AwsObjectStore extends Construct implements IObjectStore {
  public readonly cloud = "aws" as const;
  public readonly bucket: S3Bucket;
  public readonly bucketName: string;
  private readonly platform: AwsPlatform;
  private readonly granted = new Set<string>();

  constructor(scope: Construct, id: string, platform: AwsPlatform, props: ObjectStoreProps) {
    super(scope, id);
    const p = validateObjectStoreProps(id, props);
    this.platform = platform;
    // Bucket names are global: a short hash of project/environment/path keeps them unique and stable.
    const name = checkAwsName(
      "s3Bucket",
      "objectStore.baseName",
      `${platform.namePrefix}-${p.baseName}-${shortHash(`aws/${platform.namePrefix}/${this.node.path}`)}`,
    );

    this.bucket = new S3Bucket(this, "Resource", { bucket: name, forceDestroy: p.forceDestroy, tags: { Name: name } });
    this.bucketName = this.bucket.bucket;

    if (p.versioned) {
      new S3BucketVersioningA(this, "versioning", { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } });
    }
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: platform.encryptionKey.arn },
          bucketKeyEnabled: true,
        },
      ],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
      dependsOn: [publicAccess],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
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

  /** Read/write/delete on objects of this bucket and list of this bucket, nothing else; KMS use only through S3. */
  public grantReadWrite(vm: IVirtualMachine): void {
    const target = requireSameCloud("objectStore.grantReadWrite(vm)", vm, AwsVirtualMachine, "aws");
    if (this.granted.has(target.node.path)) return;
    this.granted.add(target.node.path);
    new IamRolePolicy(this, `grant-${target.name}`, {
      name: `${this.node.id}-read-write`,
      role: target.role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "ListThisBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [this.bucket.arn] },
          {
            Sid: "ReadWriteObjectsOfThisBucket",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
            Resource: [`${this.bucket.arn}/*`],
          },
          {
            Sid: "UseTheBucketKeyThroughS3Only",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: [this.platform.encryptionKey.arn],
            Condition: { StringEquals: { "kms:ViaService": `s3.${this.platform.context.region}.amazonaws.com` } },
          },
        ],
      }),
    });
  }
}
