/**
 * Azure object store: a StorageV2 account (Entra ID only: shared keys off,
 * TLS 1.2, HTTPS only, infrastructure encryption, no public blobs) with one
 * private blob container, versioning, soft delete and a lifecycle rule that
 * deletes old versions.
 *
 * Network access: the account firewall denies by default; each
 * `grantReadWrite(vm)` admits the VM's subnet through its Microsoft.Storage
 * service endpoint (trusted Azure services bypass). No public blob access.
 */
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageManagementPolicy } from "@cdktf/provider-azurerm/lib/storage-management-policy";
import { Cloud, Environment, ValidationError } from "../core";
import { IObjectStore, OBJECT_STORE_DEFAULTS, ObjectStoreProps, validateObjectStoreProps } from "../object-store";
import { requireSameCloud } from "../platform";
import { IVirtualMachine } from "../virtual-machine";
import { storageAccountName } from "./naming";
import { SECURE_STORAGE_ACCOUNT } from "./storage";
import type { AzurePlatform } from "./platform";
import { AzureVirtualMachine } from "./virtual-machine";

/** Azure discards uncommitted blocks (the equivalent of incomplete multipart uploads) after 7 days; it cannot be changed. */
export const AZURE_UNCOMMITTED_BLOCK_DAYS = 7;

/** Replication per environment: staging is disposable (LRS); production keeps a copy in the paired region (GRS). */
export const STORAGE_REPLICATION: Record<Environment, string> = { staging: "LRS", production: "GRS" };

/** Days deleted blobs and containers stay recoverable (soft delete). */
export const STORAGE_SOFT_DELETE_DAYS: Record<Environment, number> = { staging: 7, production: 30 };

/** The built-in role that reads, writes and deletes blobs (data plane), nothing else. */
export const BLOB_READ_WRITE_ROLE = "Storage Blob Data Contributor";

export class AzureObjectStore extends Construct implements IObjectStore {
  public readonly cloud: Cloud = "azure";
  /** `<storage account>/<container>`. */
  public readonly bucketName: string;
  public readonly accountName: string;
  public readonly containerName: string;
  public readonly account: StorageAccount;
  public readonly container: StorageContainer;
  private readonly allowedSubnetIds = new Set<string>();
  private readonly grantees = new Set<string>();

  constructor(scope: Construct, id: string, props: ObjectStoreProps, platform: AzurePlatform) {
    super(scope, id);
    const r = validateObjectStoreProps(id, props);
    if (props.abortIncompleteUploadDays !== undefined && r.abortIncompleteUploadDays !== AZURE_UNCOMMITTED_BLOCK_DAYS) {
      throw new ValidationError(`ObjectStore '${id}' (azure)`, [
        {
          field: "objectStore.abortIncompleteUploadDays",
          value: r.abortIncompleteUploadDays,
          accepted: `${AZURE_UNCOMMITTED_BLOCK_DAYS} or unset: a different value is not supported on azure (uncommitted blocks are always discarded after ${AZURE_UNCOMMITTED_BLOCK_DAYS} days)`,
        },
      ]);
    }
    const env = platform.context.environment;
    this.accountName = storageAccountName(platform.context.project, env, r.baseName, this.node.path);
    this.containerName = r.baseName;
    const softDeleteDays = STORAGE_SOFT_DELETE_DAYS[env];

    this.account = new StorageAccount(this, "Resource", {
      name: this.accountName,
      location: platform.location,
      resourceGroupName: platform.resourceGroup.name,
      ...SECURE_STORAGE_ACCOUNT,
      accountReplicationType: STORAGE_REPLICATION[env],
      sharedAccessKeyEnabled: false,
      // Reachable only through the firewall: the subnets of granted VMs and trusted Azure services.
      networkRules: {
        defaultAction: "Deny",
        bypass: ["AzureServices"],
        virtualNetworkSubnetIds: Lazy.listValue({ produce: () => [...this.allowedSubnetIds] }),
      },
      blobProperties: {
        versioningEnabled: r.versioned,
        deleteRetentionPolicy: { days: softDeleteDays },
        containerDeleteRetentionPolicy: { days: softDeleteDays },
      },
      tags: platform.tags,
    });
    if (!(props.forceDestroy ?? OBJECT_STORE_DEFAULTS.forceDestroy)) {
      // Azure deletes an account with its blobs and has no "only when empty" check: refuse any Terraform destroy instead.
      this.account.addOverride("lifecycle.prevent_destroy", true);
    }

    this.container = new StorageContainer(this, "container", {
      name: this.containerName,
      storageAccountId: this.account.id,
      containerAccessType: "private",
    });
    // References, not literals, so whatever reads it (outputs) depends on the account and container.
    this.bucketName = `${this.account.name}/${this.container.name}`;

    if (r.versioned) {
      new StorageManagementPolicy(this, "lifecycle", {
        storageAccountId: this.account.id,
        rule: [
          {
            name: "delete-old-versions",
            enabled: true,
            filters: { blobTypes: ["blockBlob"] },
            actions: { version: { deleteAfterDaysSinceCreation: r.noncurrentVersionExpirationDays } },
          },
        ],
      });
    }
  }

  /** ARM id of the container: the narrowest scope a data-plane role can have here. */
  public get containerScope(): string {
    return `${this.account.id}/blobServices/default/containers/${this.containerName}`;
  }

  public grantReadWrite(vm: IVirtualMachine): void {
    const azureVm = requireSameCloud("objectStore.grantReadWrite(vm)", vm, AzureVirtualMachine, "azure");
    if (this.grantees.has(azureVm.name)) return;
    this.grantees.add(azureVm.name);
    new RoleAssignment(this, `read-write-${azureVm.name}`, {
      scope: this.containerScope,
      roleDefinitionName: BLOB_READ_WRITE_ROLE,
      principalId: azureVm.principalId,
      principalType: "ServicePrincipal",
      description: `VM '${azureVm.name}' reads and writes blobs of container '${this.containerName}' only`,
      dependsOn: [this.container],
    });
    this.allowedSubnetIds.add(azureVm.network.application.subnet.id);
  }
}
