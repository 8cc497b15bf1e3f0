/** AWS implementation of the platform contracts: the kit the typed factory picks for `cloud: "aws"`. */
import { CloudKit } from "../platform";
import { AwsAppTier } from "./app-tier";
import { AwsHttpsEntry } from "./https-entry";
import { AwsBudget } from "./budget";
import { AwsComputeIdentity } from "./compute-identity";
import { AwsNetwork } from "./network";
import { AwsObjectStore } from "./object-store";
import { AwsPlatform } from "./platform";
import { AwsPostgresDatabase } from "./postgres-database";
import { AwsVirtualMachine } from "./virtual-machine";

export { AwsPlatform } from "./platform";
export { AwsConnections } from "./connections";
export { AwsComputeIdentity } from "./compute-identity";
export { AwsEncryptionKey } from "./encryption-key";
export { AwsSecret } from "./secret";
export { AwsAccessLogBucket, secureBucket } from "./bucket";
export { AwsNetwork } from "./network";
export { AwsVirtualMachine } from "./virtual-machine";
export { AwsObjectStore } from "./object-store";
export { AwsPostgresDatabase } from "./postgres-database";
export { AwsBudget } from "./budget";
export { AwsAppTier } from "./app-tier";
export { AwsHttpsEntry } from "./https-entry";

export const AWS_KIT = {
  cloud: "aws",
  createPlatform: (stack) => new AwsPlatform(stack),
  Network: AwsNetwork,
  ComputeIdentity: AwsComputeIdentity,
  VirtualMachine: AwsVirtualMachine,
  AppTier: AwsAppTier,
  HttpsEntry: AwsHttpsEntry,
  ObjectStore: AwsObjectStore,
  PostgresDatabase: AwsPostgresDatabase,
  Budget: AwsBudget,
} as const satisfies CloudKit;
