/**
 * ObjectStore contract: a private, encrypted, versioned bucket. Nobody can read
 * or write it until a grant says so (`grantRead`, `grantReadWrite`), and a
 * grant names an identity, never a compute class.
 */
import { TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { Cloud, Validator, isUnresolved } from "./core";
import { IGrantable } from "./grants";
import { CLOUD_LIMITS } from "./limits";

export interface ObjectStoreProps {
  /**
   * Base of the bucket name. Each cloud turns it into a globally unique name
   * that fits its rules (see `bucketName` in each implementation); the base
   * itself must be 3-40 lowercase letters, digits and hyphens.
   * @default - the construct id
   */
  readonly baseName?: string;

  /**
   * Keep old versions of overwritten or deleted objects.
   * @default true
   */
  readonly versioned?: boolean;

  /**
   * Days after which non-current object versions are deleted.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;

  /**
   * Days after which incomplete multipart uploads are aborted.
   * @default 7
   */
  readonly abortIncompleteUploadDays?: number;

  /**
   * Refuse deletion: Terraform refuses to destroy the store (`prevent_destroy`)
   * and the cloud never deletes objects with it. When false, `destroy` removes
   * the store with every object in it (versions included).
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * Keep a copy of the data in a second region (Azure GRS; GCS multi-region
   * location). When false the data lives in one region.
   * @default true
   */
  readonly geoRedundant?: boolean;
}

export interface IObjectStore extends IGrantableStore, IConstruct {
  readonly cloud: Cloud;
  /** The bucket / storage account (construct id `Resource`): the escape hatch to the provider resource. */
  readonly resource: TerraformResource;
  /** The bucket (or storage account/container) name as the application uses it. */
  readonly bucketName: string;
}

/** A data store that grants read-only and read-write access to identities. */
export interface IGrantableStore {
  /** Lets `grantee` list and read objects of this store only. */
  grantRead(grantee: IGrantable): void;
  /** Lets `grantee` read, write and delete objects of this store only. */
  grantReadWrite(grantee: IGrantable): void;
}

export const OBJECT_STORE_DEFAULTS = {
  versioned: true,
  noncurrentVersionExpirationDays: 90,
  abortIncompleteUploadDays: 7,
  deletionProtection: true,
  geoRedundant: true,
};

/** The base name is cloud-neutral: it must survive the strictest cloud (Azure storage accounts strip hyphens). */
export const OBJECT_STORE_BASE_NAME = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;

export type ResolvedObjectStoreProps = Required<ObjectStoreProps>;

/** The one validation of object-store props, called by every cloud's implementation, cloud limits included. */
export function validateObjectStoreProps(cloud: Cloud, id: string, props: ObjectStoreProps): ResolvedObjectStoreProps {
  const fixedAbort = CLOUD_LIMITS[cloud].objectStore.fixedAbortIncompleteUploadDays;
  const r: ResolvedObjectStoreProps = {
    baseName: props.baseName ?? id.toLowerCase(),
    versioned: props.versioned ?? OBJECT_STORE_DEFAULTS.versioned,
    noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays ?? OBJECT_STORE_DEFAULTS.noncurrentVersionExpirationDays,
    abortIncompleteUploadDays: props.abortIncompleteUploadDays ?? fixedAbort ?? OBJECT_STORE_DEFAULTS.abortIncompleteUploadDays,
    deletionProtection: props.deletionProtection ?? OBJECT_STORE_DEFAULTS.deletionProtection,
    geoRedundant: props.geoRedundant ?? OBJECT_STORE_DEFAULTS.geoRedundant,
  };
  const v = new Validator(`ObjectStore '${id}' (${cloud})`);
  if (!isUnresolved(r.baseName)) {
    v.pattern("objectStore.baseName", r.baseName, OBJECT_STORE_BASE_NAME, "3-40 lowercase letters, digits and hyphens, starting and ending with a letter or digit");
    v.check(!r.baseName.includes("--"), "objectStore.baseName", r.baseName, "no consecutive hyphens");
  }
  v.integer("objectStore.noncurrentVersionExpirationDays", r.noncurrentVersionExpirationDays, 1, 3650);
  if (v.integer("objectStore.abortIncompleteUploadDays", r.abortIncompleteUploadDays, 1, 365) && fixedAbort !== undefined) {
    v.check(
      r.abortIncompleteUploadDays === fixedAbort,
      "objectStore.abortIncompleteUploadDays",
      r.abortIncompleteUploadDays,
      `${fixedAbort} or unset: a different value is not supported on ${cloud} (uncommitted blocks are always discarded after ${fixedAbort} days)`,
    );
  }
  v.throwIfAny();
  return r;
}
