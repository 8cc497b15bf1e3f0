/**
 * Azure object store: a StorageV2 account (Entra ID only: shared keys off,
 * TLS 1.2, HTTPS only, infrastructure encryption, no public blobs) with one
 * private blob container, versioning, soft delete and a lifecycle rule that
 * deletes old versions.
 *
 * Network access: the account firewall denies by default; each
 * `grantReadWrite(vm)` admits the VM's subnet through its Microsoft.Storage
 * service endpoint (trusted Azure services bypass). No public blob access.
 *
 * Every blob read, write and delete is recorded in a Log Analytics workspace
 * of the account (`access-log`, AzureBlobAccessLog). With deletionProtection
 * the account, its container and the workspace refuse `terraform destroy`;
 * without it `destroy` removes them with every blob (Azure has no "only when
 * empty" check for accounts, so there is nothing to empty first).
 */
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageManagementPolicy } from "@cdktf/provider-azurerm/lib/storage-management-policy";
import { displayName, relationshipScope } from "../connections";
import { AccessLevel, IGrantable, principalOn } from "../grants";
import { IObjectStore, ObjectStoreProps, validateObjectStoreProps } from "../object-store";
import { claimName, recordDecision } from "../stack";
import { AzureBlobAccessLog } from "./access-log";
import { AzureConnections } from "./connections";
import { storageAccountName } from "./naming";
import { SECURE_STORAGE_ACCOUNT, softDeleteDays } from "./storage";
import { AzurePlatform } from "./platform";

/** The built-in data-plane role per access level on the container, nothing else. */
export const BLOB_ROLES: Record<AccessLevel, string> = { read: "Storage Blob Data Reader", "read-write": "Storage Blob Data Contributor" };

export class AzureObjectStore extends Construct implements IObjectStore {
  public readonly cloud = "azure" as const;
  /** `<storage account>/<container>`. */
  public readonly bucketName: string;
  public readonly accountName: string;
  public readonly containerName: string;
  /** The storage account. */
  public readonly resource: StorageAccount;
  public readonly container: StorageContainer;
  /** Blob reads, writes and deletes, recorded in a Log Analytics workspace. */
  public readonly accessLog: AzureBlobAccessLog;
  /** Subnets admitted by the account firewall, by the subnet tier's construct path (a reference renders anew each time it is read). */
  private readonly allowedSubnets = new Map<string, string>();
  private readonly granted = new Set<string>();

  constructor(scope: Construct, id: string, props: ObjectStoreProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const r = validateObjectStoreProps("azure", id, props);
    this.accountName = claimName(this, "azure:storage-account", storageAccountName(platform, r.baseName, this.node.path), "storage account name");
    this.containerName = r.baseName;
    const retention = softDeleteDays(r.deletionProtection);

    this.resource = new StorageAccount(this, "Resource", {
      name: this.accountName,
      location: platform.location,
      resourceGroupName: platform.resourceGroup.name,
      ...SECURE_STORAGE_ACCOUNT,
      accountReplicationType: r.geoRedundant ? "GRS" : "LRS",
      sharedAccessKeyEnabled: false,
      // Reachable only through the firewall: the subnets of granted VMs and trusted Azure services.
      networkRules: {
        defaultAction: "Deny",
        bypass: ["AzureServices"],
        virtualNetworkSubnetIds: Lazy.listValue({ produce: () => [...this.allowedSubnets.values()] }),
      },
      blobProperties: {
        versioningEnabled: r.versioned,
        deleteRetentionPolicy: { days: retention },
        containerDeleteRetentionPolicy: { days: retention },
      },
      tags: platform.tags,
    });
    if (r.deletionProtection) {
      // Azure deletes an account with its blobs and has no "only when empty" check: refuse any Terraform destroy instead.
      this.resource.addOverride("lifecycle.prevent_destroy", true);
    } else recordDecision(this.resource, "no-deletion-protection");
    if (!r.geoRedundant) recordDecision(this.resource, "locally-redundant-storage");

    this.container = new StorageContainer(this, "container", {
      name: this.containerName,
      storageAccountId: this.resource.id,
      containerAccessType: "private",
    });
    if (r.deletionProtection) this.container.addOverride("lifecycle.prevent_destroy", true);
    else recordDecision(this.container, "no-deletion-protection");
    this.accessLog = new AzureBlobAccessLog(this, "access-log", {
      account: this.resource,
      what: id,
      categories: ["StorageRead", "StorageWrite", "StorageDelete"],
      deletionProtection: r.deletionProtection,
    });

    // References, not literals, so whatever reads it (outputs) depends on the account and container.
    this.bucketName = `${this.resource.name}/${this.container.name}`;

    if (r.versioned) {
      new StorageManagementPolicy(this, "lifecycle", {
        storageAccountId: this.resource.id,
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
    return `${this.resource.id}/blobServices/default/containers/${this.containerName}`;
  }

  public grantRead(grantee: IGrantable): void {
    this.grant(grantee, "read");
  }

  public grantReadWrite(grantee: IGrantable): void {
    this.grant(grantee, "read-write");
  }

  /**
   * The level's data-plane role on the container only; and, when the grantee is
   * connectable, its subnet through the account firewall (service endpoint).
   */
  private grant(grantee: IGrantable, level: AccessLevel): void {
    const p = principalOn(`ObjectStore '${this.node.id}'.grant`, grantee, "azure");
    const key = `${grantee.node.path}:${level}`;
    if (this.granted.has(key)) return;
    this.granted.add(key);
    const { scope, crossStack } = relationshipScope(this, grantee);
    new RoleAssignment(scope, crossStack ? `${level}-on-${displayName(this)}` : `${level}-${grantee.node.id}`, {
      scope: this.containerScope,
      roleDefinitionName: BLOB_ROLES[level],
      principalId: p.principalId,
      principalType: "ServicePrincipal",
      description: `'${grantee.node.id}' ${level === "read" ? "reads" : "reads and writes"} blobs of container '${this.containerName}' only`,
      // The role's scope names the container: in this stack, wait for it (across stacks it exists already).
      dependsOn: crossStack ? undefined : [this.container],
    });
    const tier = AzureConnections.tierOf(grantee);
    if (tier !== undefined) this.allowedSubnets.set(tier.node.path, tier.subnet.id);
  }
}
