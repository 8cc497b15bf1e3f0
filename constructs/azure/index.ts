/** Azure implementation of the platform contracts: the kit the typed factory picks for `cloud: "azure"`. */
import { CloudKit } from "../platform";
import { AzureAppTier } from "./app-tier";
import { AzureHttpsEntry } from "./https-entry";
import { AzureBudget } from "./budget";
import { AzureComputeIdentity } from "./compute-identity";
import { AzureNetwork } from "./network";
import { AzureObjectStore } from "./object-store";
import { AzurePlatform } from "./platform";
import { AzurePostgresDatabase } from "./postgres-database";
import { AzureVirtualMachine } from "./virtual-machine";

export { AzurePlatform, AzureTagsAspect } from "./platform";
export { AzureConnections } from "./connections";
export { AzureComputeIdentity } from "./compute-identity";
export { AzureNetwork } from "./network";
export { AzureVirtualMachine } from "./virtual-machine";
export { AzureObjectStore } from "./object-store";
export { AzurePostgresDatabase } from "./postgres-database";
export { AzureBudget } from "./budget";
export { AzureKeyVault } from "./key-vault";
export { AzureSecret } from "./secret";
export { AzureBlobAccessLog } from "./access-log";

export { AzureAppTier } from "./app-tier";
export { AzureHttpsEntry } from "./https-entry";

export const AZURE_KIT = {
  cloud: "azure",
  createPlatform: (stack) => new AzurePlatform(stack),
  Network: AzureNetwork,
  ComputeIdentity: AzureComputeIdentity,
  VirtualMachine: AzureVirtualMachine,
  AppTier: AzureAppTier,
  HttpsEntry: AzureHttpsEntry,
  ObjectStore: AzureObjectStore,
  PostgresDatabase: AzurePostgresDatabase,
  Budget: AzureBudget,
} as const satisfies CloudKit;
