/**
 * GCP object store: a regional Cloud Storage bucket with uniform access,
 * public access prevention, versioning and lifecycle rules; access is granted
 * per VM service account on this bucket only.
 */
import { Construct } from "constructs";
import { StorageBucket, StorageBucketLifecycleRule } from "@cdktf/provider-google/lib/storage-bucket";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { Cloud, shortHash } from "../core";
import { IObjectStore, ObjectStoreProps, validateObjectStoreProps } from "../object-store";
import { requireSameCloud } from "../platform";
import { IVirtualMachine } from "../virtual-machine";
import { GcpPlatform } from "./platform";
import { GcpVirtualMachine } from "./virtual-machine";

/** Read, write, list and delete objects; no bucket administration (no IAM or settings changes). */
export const GCP_BUCKET_READ_WRITE_ROLE = "roles/storage.objectUser";

export class GcpObjectStore extends Construct implements IObjectStore {
  public readonly cloud: Cloud = "gcp";
  public readonly bucketName: string;
  public readonly resource: StorageBucket;
  /** Names of the VMs granted read/write, in grant order. */
  public readonly grantedTo: string[] = [];

  constructor(scope: Construct, id: string, platform: GcpPlatform, props: ObjectStoreProps) {
    super(scope, id);
    const r = validateObjectStoreProps(id, props);
    const { project, environment } = platform.context;
    // Bucket names are global: the hash of project id, environment and base name makes it unique and stable.
    const bucketName = platform.name(
      `ObjectStore '${id}'`,
      "bucket",
      { field: "objectStore.baseName", value: r.baseName },
      { field: "hash", value: shortHash(`${platform.projectId}/${project}/${environment}/${r.baseName}`) },
    );

    const lifecycleRule: StorageBucketLifecycleRule[] = [
      { condition: { age: r.abortIncompleteUploadDays }, action: { type: "AbortIncompleteMultipartUpload" } },
    ];
    if (r.versioned) {
      lifecycleRule.push({ condition: { daysSinceNoncurrentTime: r.noncurrentVersionExpirationDays, withState: "ARCHIVED" }, action: { type: "Delete" } });
    }

    this.resource = new StorageBucket(this, "Resource", {
      name: bucketName,
      location: platform.context.region.toUpperCase(),
      storageClass: "STANDARD",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: r.versioned },
      lifecycleRule,
      forceDestroy: r.forceDestroy,
      // Encrypted at rest with Google-managed keys (the GCP default); CMEK would go in `encryption`.
      dependsOn: platform.apis("storage"),
    });
    // A reference, not the literal, so whatever reads it (outputs, grants) depends on the bucket.
    this.bucketName = this.resource.name;
  }

  public grantReadWrite(vm: IVirtualMachine): void {
    const gcpVm = requireSameCloud("objectStore.grantReadWrite(vm)", vm, GcpVirtualMachine, "gcp");
    if (this.grantedTo.includes(gcpVm.name)) return;
    new StorageBucketIamMember(this, `read-write-${gcpVm.name}`, {
      bucket: this.resource.name,
      role: GCP_BUCKET_READ_WRITE_ROLE,
      member: gcpVm.serviceAccountMember,
    });
    this.grantedTo.push(gcpVm.name);
  }
}
