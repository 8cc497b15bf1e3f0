/** GCP implementation of the platform contracts: the kit the typed factory picks for `cloud: "gcp"`. */
import { CloudKit } from "../platform";
import { GcpAppTier } from "./app-tier";
import { GcpHttpsEntry } from "./https-entry";
import { GcpBudget } from "./budget";
import { GcpComputeIdentity } from "./compute-identity";
import { GcpNetwork } from "./network";
import { GcpObjectStore } from "./object-store";
import { GcpPlatform } from "./platform";
import { GcpPostgresDatabase } from "./postgres-database";
import { GcpVirtualMachine } from "./virtual-machine";

export { GcpPlatform, GCP_APIS } from "./platform";
export { GCP_NAME_RULES } from "./naming";
export { GcpConnections } from "./connections";
export { GcpComputeIdentity } from "./compute-identity";
export { GcpNetwork } from "./network";
export { GcpVirtualMachine } from "./virtual-machine";
export { GcpObjectStore } from "./object-store";
export { GcpPostgresDatabase } from "./postgres-database";
export { GcpBudget } from "./budget";
export { GcpSecret } from "./secret";

export { GcpAppTier } from "./app-tier";
export { GcpHttpsEntry } from "./https-entry";

export const GCP_KIT = {
  cloud: "gcp",
  createPlatform: (stack) => new GcpPlatform(stack),
  Network: GcpNetwork,
  ComputeIdentity: GcpComputeIdentity,
  VirtualMachine: GcpVirtualMachine,
  AppTier: GcpAppTier,
  HttpsEntry: GcpHttpsEntry,
  ObjectStore: GcpObjectStore,
  PostgresDatabase: GcpPostgresDatabase,
  Budget: GcpBudget,
} as const satisfies CloudKit;
