/**
 * Azure naming rules in one place. Every Azure resource name this project
 * emits comes from the helpers below, so a limit is written down once.
 */
import { ValidationError, shortHash } from "../core";

/**
 * The Azure name limits we rely on (Azure "naming rules and restrictions" for each resource type).
 * `maxLength` is the documented maximum; `pattern` is what we generate and what Azure accepts.
 */
export const AZURE_NAME_LIMITS = {
  /** Resource group: 1-90 letters, digits, `._-()`, not ending with `.`. */
  resourceGroup: { maxLength: 90, pattern: /^[a-zA-Z0-9._()-]{0,89}[a-zA-Z0-9_()-]$/ },
  /** Storage account: globally unique, 3-24 lowercase letters and digits, nothing else. */
  storageAccount: { minLength: 3, maxLength: 24, pattern: /^[a-z0-9]{3,24}$/ },
  /** Blob container: 3-63 lowercase letters, digits and single hyphens, starting with a letter or digit. */
  storageContainer: { maxLength: 63, pattern: /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/ },
  /** PostgreSQL flexible server: globally unique (DNS), 3-63 lowercase letters, digits and hyphens. */
  postgresServer: { maxLength: 63, pattern: /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/ },
  /** Linux VM name: 1-64 characters; computer (host) name: 1-64 characters, no dots/underscores. */
  linuxVm: { maxLength: 64, pattern: /^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/ },
  /** Most network resources (VNet, subnet, NSG, NIC, NAT gateway, public IP): 1-80 characters. */
  network: { maxLength: 80, pattern: /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_]$/ },
  /**
   * Key Vault: globally unique (DNS, soft-deleted vaults included), 3-24 letters, digits and single
   * hyphens, starting with a letter. We generate lowercase letters and digits only.
   */
  keyVault: { minLength: 3, maxLength: 24, pattern: /^[a-z][a-z0-9]{2,23}$/ },
  /** Key Vault secret: 1-127 letters, digits and hyphens. */
  keyVaultSecret: { maxLength: 127, pattern: /^[a-zA-Z0-9-]{1,127}$/ },
  /** Log Analytics workspace: 4-63 letters, digits and hyphens, starting and ending with a letter or digit. */
  logAnalyticsWorkspace: { maxLength: 63, pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$/ },
} as const;

/** Characters of the storage-account name reserved for the uniqueness hash. */
export const STORAGE_ACCOUNT_HASH_LENGTH = 6;
/** The base name must keep at least this many characters in the storage-account name, or it is unreadable. */
export const STORAGE_ACCOUNT_MIN_BASE_CHARS = 3;

/** What the storage-account name needs from the stack: the project, the environment's short name, and a hash seed. */
export interface StorageNamingContext {
  readonly stack: { readonly config: { readonly project: string }; readonly profile: { readonly shortName: string }; readonly environment: string; readonly namePrefix: string };
}

/** `<name prefix>-<suffix>`: the readable name of a regional resource (not globally unique). */
export function resourceName(namePrefix: string, suffix: string): string {
  const name = `${namePrefix}-${suffix}`;
  if (name.length > AZURE_NAME_LIMITS.network.maxLength) {
    throw new ValidationError("Azure naming", [{ field: "name", value: name, accepted: `at most ${AZURE_NAME_LIMITS.network.maxLength} characters` }]);
  }
  return name;
}

/**
 * A storage account name: `<project><env short name><base>` without hyphens, truncated so a
 * 6-character hash of the full identity (stack prefix and construct path) fits in 24 characters.
 * The hash keeps the name globally unique and stable (it only depends on the inputs).
 * Fails when the project and environment leave fewer than 3 characters of the base.
 */
export function storageAccountName(
  ctx: StorageNamingContext,
  baseName: string,
  path: string,
  /** Who the name is for, in the error (the field a user changes, and its value). @default - the object store's baseName */
  owner: { readonly what: string; readonly field: string; readonly value: string } = { what: `ObjectStore '${baseName}' (azure)`, field: "objectStore.baseName", value: baseName },
): string {
  return compactGlobalName(ctx, baseName, path, AZURE_NAME_LIMITS.storageAccount.maxLength, "a storage account name", owner);
}

/**
 * A Key Vault name: `<project><env short name><base><hash>`, lowercase letters and digits, at most
 * 24 characters (the storage-account scheme: both are global DNS names of 24 characters). The hash
 * seed differs from the storage accounts' (`vault:` prefix), so a vault never shares a name with an account.
 */
export function keyVaultName(ctx: StorageNamingContext, baseName: string, path: string, owner: { readonly what: string; readonly field: string; readonly value: string }): string {
  return compactGlobalName(ctx, baseName, `vault:${path}`, AZURE_NAME_LIMITS.keyVault.maxLength, "a Key Vault name", owner);
}

function compactGlobalName(
  ctx: StorageNamingContext,
  baseName: string,
  path: string,
  maxLength: number,
  kind: string,
  owner: { readonly what: string; readonly field: string; readonly value: string },
): string {
  const strip = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  const prefix = strip(ctx.stack.config.project) + ctx.stack.profile.shortName;
  const base = strip(baseName);
  const room = maxLength - STORAGE_ACCOUNT_HASH_LENGTH - prefix.length;
  const kept = Math.min(base.length, room);
  if (kept < Math.min(STORAGE_ACCOUNT_MIN_BASE_CHARS, base.length)) {
    throw new ValidationError(owner.what, [
      {
        field: owner.field,
        value: owner.value,
        accepted:
          `${kind} of at most ${maxLength} lowercase letters and digits; ` +
          `'${prefix}' (project + environment) and a ${STORAGE_ACCOUNT_HASH_LENGTH}-character hash leave ${Math.max(room, 0)} characters ` +
          `for the base name, at least ${STORAGE_ACCOUNT_MIN_BASE_CHARS} are needed: shorten the project name`,
      },
    ]);
  }
  return prefix + base.slice(0, kept) + shortHash(`${ctx.stack.config.project}/${ctx.stack.environment}/${path}/${baseName}`, STORAGE_ACCOUNT_HASH_LENGTH);
}

/** Where a stack finds the regional Network Watcher its VNet flow log belongs to. */
export interface AzureNetworkWatcherRef {
  readonly name: string;
  readonly resourceGroup: string;
}

/** The resource group Azure puts the Network Watchers it creates itself in. */
export const AZURE_NETWORK_WATCHER_RESOURCE_GROUP = "NetworkWatcherRG";

/**
 * The Network Watcher Azure creates itself (`NetworkWatcher_<location>` in `NetworkWatcherRG`) the first
 * time a VNet is created in a region of a subscription, unless the subscription opted out.
 */
export function defaultNetworkWatcher(location: string): AzureNetworkWatcherRef {
  return { name: `NetworkWatcher_${location}`, resourceGroup: AZURE_NETWORK_WATCHER_RESOURCE_GROUP };
}

/** A globally unique PostgreSQL server name: `<name prefix>-<id>-<hash>`, at most 63 characters. */
export function postgresServerName(ctx: StorageNamingContext, id: string, path: string): string {
  const hash = shortHash(`${ctx.stack.config.project}/${ctx.stack.environment}/${path}`, 6);
  const readable = `${ctx.stack.namePrefix}-${id.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`;
  const room = AZURE_NAME_LIMITS.postgresServer.maxLength - hash.length - 1;
  return `${readable.slice(0, room).replace(/-+$/, "")}-${hash}`;
}
