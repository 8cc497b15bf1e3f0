/** Azure implementation of the platform contracts: the kit the typed factory picks for `cloud: "azure"`. */
import { CloudKit } from "../platform";
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

export const AZURE_KIT = {
  cloud: "azure",
  createPlatform: (stack) => new AzurePlatform(stack),
  Network: AzureNetwork,
  ComputeIdentity: AzureComputeIdentity,
  VirtualMachine: AzureVirtualMachine,
  ObjectStore: AzureObjectStore,
  PostgresDatabase: AzurePostgresDatabase,
  Budget: AzureBudget,
} as const satisfies CloudKit;
