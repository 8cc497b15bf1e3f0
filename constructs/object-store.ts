/**
 * ObjectStore contract: a private, encrypted, versioned bucket that grants
 * read/write to one VM identity at a time and to nobody else.
 */
import { Cloud, Validator, isUnresolved } from "./core";
import { IVirtualMachine } from "./virtual-machine";

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
   * Allow `terraform destroy` to delete a bucket that still holds objects.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

export interface IObjectStore {
  readonly cloud: Cloud;
  /** The bucket (or storage account/container) name as the application uses it. */
  readonly bucketName: string;
  /** Lets `vm`'s identity read, write and delete objects in this store only. */
  grantReadWrite(vm: IVirtualMachine): void;
}

export const OBJECT_STORE_DEFAULTS = {
  versioned: true,
  noncurrentVersionExpirationDays: 90,
  abortIncompleteUploadDays: 7,
  forceDestroy: false,
};

/** The base name is cloud-neutral: it must survive the strictest cloud (Azure storage accounts strip hyphens). */
export const OBJECT_STORE_BASE_NAME = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;

export type ResolvedObjectStoreProps = Required<ObjectStoreProps>;

/** The one validation of object-store props, called by every cloud's implementation. */
export function validateObjectStoreProps(id: string, props: ObjectStoreProps): ResolvedObjectStoreProps {
  const r: ResolvedObjectStoreProps = {
    baseName: props.baseName ?? id.toLowerCase(),
    versioned: props.versioned ?? OBJECT_STORE_DEFAULTS.versioned,
    noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays ?? OBJECT_STORE_DEFAULTS.noncurrentVersionExpirationDays,
    abortIncompleteUploadDays: props.abortIncompleteUploadDays ?? OBJECT_STORE_DEFAULTS.abortIncompleteUploadDays,
    forceDestroy: props.forceDestroy ?? OBJECT_STORE_DEFAULTS.forceDestroy,
  };
  const v = new Validator(`ObjectStore '${id}'`);
  if (!isUnresolved(r.baseName)) {
    v.pattern("objectStore.baseName", r.baseName, OBJECT_STORE_BASE_NAME, "3-40 lowercase letters, digits and hyphens, starting and ending with a letter or digit");
    v.check(!r.baseName.includes("--"), "objectStore.baseName", r.baseName, "no consecutive hyphens");
  }
  v.integer("objectStore.noncurrentVersionExpirationDays", r.noncurrentVersionExpirationDays, 1, 3650);
  v.integer("objectStore.abortIncompleteUploadDays", r.abortIncompleteUploadDays, 1, 365);
  v.throwIfAny();
  return r;
}
