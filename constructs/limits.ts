/**
 * What each cloud supports, in one table read by the shared validators. A
 * prop a cloud cannot honour fails in the same pass as every other invalid
 * prop, with "not supported on <cloud>", instead of in a second round after
 * the shared checks passed (or, worse, being dropped).
 *
 * Name limits that depend on the project name are summarized here too
 * (`projectMaxLength`), so the configuration refuses a project name that
 * would break a cloud's names before any construct is built.
 */
import { Cloud, ValidationIssue } from "./core";

export interface CloudLimits {
  /** Longest project name that still leaves room in this cloud's tightest generated name. */
  readonly projectMaxLength: number;
  /** Why `projectMaxLength` is what it is. */
  readonly projectMaxLengthReason: string;
  /** Longest flow-log retention the cloud's log store accepts, in days. */
  readonly flowLogRetentionMaxDays: number;
  readonly flowLogRetentionReason: string;
  readonly database: {
    /** A storage ceiling for auto-grow can be chosen. */
    readonly maxStorageGb: boolean;
    /** The daily backup window can be chosen. */
    readonly backupWindow: boolean;
    /** Largest initial storage, in GB. */
    readonly storageGbMax: number;
    /** Standby HA is refused on burstable SKUs. */
    readonly highAvailabilityOnBurstable: boolean;
  };
  readonly objectStore: {
    /** Fixed number of days after which incomplete uploads are dropped, or undefined when any value works. */
    readonly fixedAbortIncompleteUploadDays?: number;
  };
  readonly virtualMachine: {
    /** An SSH public key can be placed on the VM (else access is identity-based only). */
    readonly sshPublicKey: boolean;
    /** Smallest root disk the image accepts, in GB. */
    readonly minRootVolumeGb: number;
  };
}

export const CLOUD_LIMITS: Readonly<Record<Cloud, CloudLimits>> = {
  aws: {
    projectMaxLength: 16,
    projectMaxLengthReason: "names are '<project>-<environment>-<id>' and RDS, IAM and S3 names must stay within 63-64 characters",
    flowLogRetentionMaxDays: 3653,
    flowLogRetentionReason: "CloudWatch Logs retention",
    database: { maxStorageGb: true, backupWindow: true, storageGbMax: 65536, highAvailabilityOnBurstable: true },
    objectStore: {},
    virtualMachine: { sshPublicKey: false, minRootVolumeGb: 8 },
  },
  gcp: {
    projectMaxLength: 16,
    projectMaxLengthReason: "service account ids have 30 characters and keep the project readable in them",
    flowLogRetentionMaxDays: 3650,
    flowLogRetentionReason: "Cloud Logging bucket retention limit",
    database: { maxStorageGb: true, backupWindow: true, storageGbMax: 65536, highAvailabilityOnBurstable: true },
    objectStore: {},
    virtualMachine: { sshPublicKey: false, minRootVolumeGb: 10 },
  },
  azure: {
    projectMaxLength: 12,
    projectMaxLengthReason:
      "storage account and Key Vault names have 24 characters: the project, a 1-3 character environment short name, 3 characters of the base name and a 6-character hash",
    flowLogRetentionMaxDays: 365,
    flowLogRetentionReason: "Network Watcher retention policy limit",
    database: { maxStorageGb: false, backupWindow: false, storageGbMax: 32767, highAvailabilityOnBurstable: false },
    objectStore: { fixedAbortIncompleteUploadDays: 7 },
    virtualMachine: { sshPublicKey: true, minRootVolumeGb: 30 },
  },
};

/** An issue for a prop `cloud` cannot honour. */
export function unsupported(cloud: Cloud, field: string, value: unknown, instead: string): ValidationIssue {
  return { field, value, accepted: `${instead}: this is not supported on ${cloud}` };
}

/** The smallest `projectMaxLength` over `clouds`, and the cloud that sets it. */
export function projectMaxLength(clouds: readonly Cloud[]): { max: number; cloud?: Cloud } {
  return clouds.reduce<{ max: number; cloud?: Cloud }>(
    (acc, c) => (CLOUD_LIMITS[c] && CLOUD_LIMITS[c].projectMaxLength < acc.max ? { max: CLOUD_LIMITS[c].projectMaxLength, cloud: c } : acc),
    { max: 16 },
  );
}
