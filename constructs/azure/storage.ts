import type { StorageAccountConfig } from "@cdktf/provider-azurerm/lib/storage-account";

/**
 * SAS tokens signed with an account key may live at most one day; longer ones are refused (`Block`).
 * Azure stores the period as written (the provider's acceptance test round-trips `1.15:5:05`).
 */
export const SAS_EXPIRATION_POLICY = { expirationPeriod: "1.00:00:00", expirationAction: "Block" } as const;

/**
 * The settings every storage account of a stack shares (uploads, flow logs): TLS 1.2, HTTPS only, no
 * public blobs, Entra ID by default, infrastructure encryption, no cross-tenant replication, short-lived
 * SAS only, and a public endpoint that the account's firewall (`networkRules`, per account) closes by default.
 * No `queue_properties` or `static_website`: those are data-plane calls the provider skips (and refuses
 * at plan) with `data_plane_available = false` (constructs/azure/platform.ts).
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
  sasPolicy: SAS_EXPIRATION_POLICY,
} as const satisfies Partial<StorageAccountConfig>;

/** Days deleted blobs and containers stay recoverable: longer where the data is protected from deletion. */
export function softDeleteDays(deletionProtection: boolean): number {
  return deletionProtection ? 30 : 7;
}
