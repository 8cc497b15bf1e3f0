/**
 * AWS object store: an S3 bucket that is versioned, KMS-encrypted, fully
 * blocked from public access, owner-enforced (no ACLs), TLS-only, that
 * cleans up incomplete uploads and old versions, and whose server access
 * logs go to the stack's access-log bucket (constructs/aws/bucket.ts).
 *
 * Geo-redundant (the default): S3 Cross-Region Replication of every object
 * version, delete markers included, to a replica bucket in the stack's
 * replica region (`aws.replicaRegion`, through the aliased provider
 * `aws.replica`), held to the same bar with that region's own KMS key and
 * access-log bucket. A dedicated role replicates: it may read versions of
 * this bucket and replicate into the replica only, and use each key only
 * through S3 for that bucket. Not geo-redundant: the decision
 * `locally-redundant-storage` is recorded.
 *
 * Grants are inline role policies scoped to this bucket (and its key,
 * through S3 only).
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { Construct } from "constructs";
import { ValidationError, shortHash } from "../core";
import { displayName, relationshipScope } from "../connections";
import { AccessLevel, IGrantable, principalOn } from "../grants";
import { IObjectStore, ObjectStoreProps, validateObjectStoreProps } from "../object-store";
import { claimName, recordDecision } from "../stack";
import { SecureBucket, secureBucket } from "./bucket";
import { checkAwsName } from "./naming";
import { AwsPlatform, assumeRolePolicy, policyDocument } from "./platform";

/** What each access level may do with objects of the bucket. */
const OBJECT_ACTIONS: Record<AccessLevel, string[]> = {
  read: ["s3:GetObject"],
  "read-write": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
};
const KEY_ACTIONS: Record<AccessLevel, string[]> = { read: ["kms:Decrypt"], "read-write": ["kms:Decrypt", "kms:GenerateDataKey"] };

/** The replica of a geo-redundant store: the bucket in the replica region, the role and the replication rule. */
export interface AwsObjectStoreReplica {
  readonly region: string;
  readonly bucket: SecureBucket;
  readonly role: IamRole;
  readonly replication: S3BucketReplicationConfigurationA;
}

export class AwsObjectStore extends Construct implements IObjectStore {
  public readonly cloud = "aws" as const;
  /** The S3 bucket. */
  public readonly resource: S3Bucket;
  public readonly bucketName: string;
  /** The bucket and its settings (construct ids below this store). */
  public readonly parts: SecureBucket;
  /** The cross-region replica, when geo-redundant. */
  public readonly replica?: AwsObjectStoreReplica;
  private readonly platform: AwsPlatform;
  private readonly granted = new Set<string>();

  constructor(scope: Construct, id: string, props: ObjectStoreProps) {
    super(scope, id);
    const platform = AwsPlatform.of(this);
    const p = validateObjectStoreProps("aws", id, props);
    this.platform = platform;
    if (p.geoRedundant && !p.versioned) {
      throw new ValidationError(`ObjectStore '${id}' (aws)`, [
        { field: "objectStore.versioned", value: false, accepted: "true when geoRedundant is true (S3 replication copies object versions), or geoRedundant: false" },
      ]);
    }
    // Bucket names are global: a short hash of project/environment/path keeps them unique and stable.
    const name = claimName(
      this,
      "aws:s3-bucket",
      checkAwsName("s3Bucket", "objectStore.baseName", `${platform.namePrefix}-${p.baseName}-${shortHash(`aws/${platform.namePrefix}/${this.node.path}`)}`),
      "bucket name",
    );
    this.parts = secureBucket(this, {
      name,
      kmsKeyArn: platform.encryptionKey.keyRef,
      versioned: p.versioned,
      deletionProtection: p.deletionProtection,
      noncurrentVersionExpirationDays: p.noncurrentVersionExpirationDays,
      abortIncompleteUploadDays: p.abortIncompleteUploadDays,
      accessLogs: platform.accessLogs,
    });
    this.resource = this.parts.bucket;
    this.bucketName = this.resource.bucket;

    if (p.geoRedundant) {
      const replicaName = claimName(
        this,
        "aws:s3-bucket",
        checkAwsName("s3Bucket", "objectStore.baseName", `${platform.namePrefix}-${p.baseName}-r-${shortHash(`aws/${platform.namePrefix}/${this.node.path}/replica`)}`),
        "replica bucket name",
      );
      this.replica = this.replicate(id, replicaName, p);
    } else {
      recordDecision(this.resource, "locally-redundant-storage");
    }
  }

  public grantRead(grantee: IGrantable): void {
    this.grant(grantee, "read");
  }

  public grantReadWrite(grantee: IGrantable): void {
    this.grant(grantee, "read-write");
  }

  /** The replica bucket in the replica region, and the role and rule that copy every version there. */
  private replicate(id: string, replicaName: string, p: ReturnType<typeof validateObjectStoreProps>): AwsObjectStoreReplica {
    const platform = this.platform;
    const target = platform.replica;
    const bucket = secureBucket(new Construct(this, "replica"), {
      name: replicaName,
      provider: target.provider,
      kmsKeyArn: target.encryptionKey.keyRef,
      versioned: true,
      deletionProtection: p.deletionProtection,
      noncurrentVersionExpirationDays: p.noncurrentVersionExpirationDays,
      abortIncompleteUploadDays: p.abortIncompleteUploadDays,
      accessLogs: target.accessLogs,
    });
    const source = this.resource.arn;
    const destination = bucket.bucket.arn;
    const roleName = claimName(this, "aws:iam-role", checkAwsName("iamRole", "objectStore (replication role name)", `${platform.namePrefix}-${id}-replication`), "IAM role name");
    const role = new IamRole(this, "replication-role", {
      name: roleName,
      description: `S3 replication of ${this.resource.bucket} to ${replicaName} (${target.region})`,
      assumeRolePolicy: assumeRolePolicy("s3.amazonaws.com"),
    });
    const throughS3 = (region: string, bucketArn: string) => ({
      StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] },
    });
    new IamRolePolicy(this, "replication-policy", {
      name: "replicate-to-replica",
      role: role.id,
      policy: policyDocument([
        { Sid: "ReadReplicationConfigurationOfThisBucket", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [source] },
        {
          Sid: "ReadVersionsOfThisBucket",
          Effect: "Allow",
          Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
          Resource: [`${source}/*`],
        },
        { Sid: "ReplicateIntoTheReplica", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: [`${destination}/*`] },
        { Sid: "DecryptSourceObjectsThroughS3", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [platform.encryptionKey.keyRef], Condition: throughS3(platform.region, source) },
        {
          Sid: "EncryptReplicasThroughS3",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:GenerateDataKey"],
          Resource: [target.encryptionKey.keyRef],
          Condition: throughS3(target.region, destination),
        },
      ]),
    });
    const replication = new S3BucketReplicationConfigurationA(this, "replication", {
      bucket: this.resource.id,
      role: role.arn,
      rule: [
        {
          id: "replicate-every-version",
          status: "Enabled",
          filter: { prefix: "" },
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: { bucket: destination, storageClass: "STANDARD", encryptionConfiguration: { replicaKmsKeyId: target.encryptionKey.keyRef } },
        },
      ],
      // S3 refuses a replication rule unless both buckets are versioned.
      dependsOn: [this.parts.versioning!, bucket.versioning!],
    });
    return { region: target.region, bucket, role, replication };
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
