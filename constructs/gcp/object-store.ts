/**
 * GCP object store: a Cloud Storage bucket with uniform access, public access
 * prevention, versioning and lifecycle rules; access is granted per service
 * account on this bucket only, and every object read and write is recorded by
 * the project's Data Access audit logs for Cloud Storage (written by the stack
 * that owns the project's settings: GcpPlatform.storageAccessAudit).
 */
import { Construct } from "constructs";
import { StorageBucket, StorageBucketLifecycleRule } from "@cdktf/provider-google/lib/storage-bucket";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { ValidationError, shortHash } from "../core";
import { displayName, relationshipScope } from "../connections";
import { AccessLevel, IGrantable, principalOn } from "../grants";
import { IObjectStore, ObjectStoreProps, validateObjectStoreProps } from "../object-store";
import { claimName, recordDecision } from "../stack";
import { GcpPlatform } from "./platform";

/** The predefined role per access level: objects only, no bucket administration (no IAM or settings changes). */
export const GCP_BUCKET_ROLES: Record<AccessLevel, string> = { read: "roles/storage.objectViewer", "read-write": "roles/storage.objectUser" };

/**
 * The multi-region a region belongs to, for geo-redundant buckets (GCS keeps copies in at least two
 * regions of it). Only the US, EU and ASIA multi-regions exist: a region outside them (Canada,
 * Australia, the Middle East, Africa, South America) has no multi-region that keeps the data in its
 * jurisdiction, so geo-redundancy there fails at synth instead of moving the data abroad.
 */
export function gcsMultiRegion(region: string): string | undefined {
  if (region.startsWith("us-")) return "US";
  if (region.startsWith("europe-")) return "EU";
  if (region.startsWith("asia-")) return "ASIA";
  return undefined;
}

export class GcpObjectStore extends Construct implements IObjectStore {
  public readonly cloud = "gcp" as const;
  public readonly bucketName: string;
  /** The bucket. */
  public readonly resource: StorageBucket;
  private readonly granted = new Set<string>();

  constructor(scope: Construct, id: string, props: ObjectStoreProps) {
    super(scope, id);
    const platform = GcpPlatform.of(this);
    const r = validateObjectStoreProps("gcp", id, props);
    const multiRegion = gcsMultiRegion(platform.region);
    if (r.geoRedundant && multiRegion === undefined) {
      throw new ValidationError(`ObjectStore '${id}' (gcp)`, [
        {
          field: "objectStore.geoRedundant",
          value: true,
          accepted: `false in ${platform.region}: no GCS multi-region (US, EU, ASIA) holds it, so geo-redundancy is not supported on gcp there without moving the data abroad`,
        },
      ]);
    }
    // Bucket names are global: the hash of project id, stack and construct path makes it unique and stable.
    const bucketName = claimName(
      this,
      "gcp:storage-bucket",
      platform.name(
        `ObjectStore '${id}'`,
        "bucket",
        { field: "objectStore.baseName", value: r.baseName },
        { field: "hash", value: shortHash(`${platform.projectId}/${this.node.path}/${r.baseName}`) },
      ),
      "bucket name",
    );

    const lifecycleRule: StorageBucketLifecycleRule[] = [
      { condition: { age: r.abortIncompleteUploadDays }, action: { type: "AbortIncompleteMultipartUpload" } },
    ];
    if (r.versioned) {
      lifecycleRule.push({ condition: { daysSinceNoncurrentTime: r.noncurrentVersionExpirationDays, withState: "ARCHIVED" }, action: { type: "Delete" } });
    }

    // Who reads and writes objects: Data Access audit logs (DATA_READ, DATA_WRITE) for Cloud Storage,
    // a project-wide setting. The stack that owns the project's settings writes it; the buckets of
    // other stacks in the project are covered by it (recorded, and accepted by the policy check).
    const accessAudit = platform.storageAccessAudit();

    this.resource = new StorageBucket(this, "Resource", {
      name: bucketName,
      location: r.geoRedundant && multiRegion ? multiRegion : platform.region.toUpperCase(),
      storageClass: "STANDARD",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: r.versioned },
      lifecycleRule,
      // Without protection, destroy deletes every object (and version) first; with it, Terraform refuses to destroy.
      forceDestroy: !r.deletionProtection,
      lifecycle: r.deletionProtection ? { preventDestroy: true } : undefined,
      // Encrypted at rest with Google-managed keys (the GCP default; docs/gcp.md says why not CMEK).
      // Created after the audit setting, so no object is ever read unlogged.
      dependsOn: [...platform.apis("storage"), ...(accessAudit ? [accessAudit] : [])],
    });
    if (!accessAudit) recordDecision(this.resource, "storage-audit-in-owner-stack");
    // A reference, not the literal, so whatever reads it (outputs, grants) depends on the bucket.
    if (!r.deletionProtection) recordDecision(this.resource, "no-deletion-protection");
    if (!r.geoRedundant) recordDecision(this.resource, "locally-redundant-storage");
    this.bucketName = this.resource.name;
  }

  public grantRead(grantee: IGrantable): void {
    this.grant(grantee, "read");
  }

  public grantReadWrite(grantee: IGrantable): void {
    this.grant(grantee, "read-write");
  }

  /** Bucket-level IAM for the grantee's service account only: the level's predefined role on this bucket. */
  private grant(grantee: IGrantable, level: AccessLevel): void {
    const p = principalOn(`ObjectStore '${this.node.id}'.grant`, grantee, "gcp");
    const key = `${grantee.node.path}:${level}`;
    if (this.granted.has(key)) return;
    this.granted.add(key);
    const { scope, crossStack } = relationshipScope(this, grantee);
    new StorageBucketIamMember(scope, crossStack ? `${level}-on-${displayName(this)}` : `${level}-${grantee.node.id}`, { bucket: this.resource.name, role: GCP_BUCKET_ROLES[level], member: p.member });
  }
}
