import type { StorageAccountConfig } from "@cdktf/provider-azurerm/lib/storage-account";

/**
 * The settings every storage account of a stack shares (uploads, flow logs): TLS 1.2, HTTPS only, no
 * public blobs, Entra ID by default, infrastructure encryption, no cross-tenant replication, and a
 * public endpoint that the account's firewall (`networkRules`, per account) closes by default.
 */
export const SECURE_STORAGE_ACCOUNT = {
  accountKind: "StorageV2",
  accountTier: "Standard",
  accessTier: "Hot",
  minTlsVersion: "TLS1_2",
  httpsTrafficOnlyEnabled: true,
  allowNestedItemsToBePublic: false,
  defaultToOauthAuthentication: true,
  infrastructureEncryptionEnabled: true,
  crossTenantReplicationEnabled: false,
  publicNetworkAccessEnabled: true,
} as const satisfies Partial<StorageAccountConfig>;

/** Days deleted blobs and containers stay recoverable: longer where the data is protected from deletion. */
export function softDeleteDays(deletionProtection: boolean): number {
  return deletionProtection ? 30 : 7;
}
