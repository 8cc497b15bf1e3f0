/**
 * The typed factory that picks a cloud. `PLATFORMS` is a `Record<Cloud, ...>`:
 * adding a cloud to `CLOUDS` without an implementation, or an implementation
 * without one of the capabilities in `CloudPlatform`, is a compile error.
 *
 * Each cloud's module is required lazily, so a process that builds AWS stacks
 * only never loads the Google or Azure provider bindings.
 */
import { Construct } from "constructs";
import { Cloud, Environment } from "./core";
import { BudgetProps, IBudget } from "./budget";
import { INetwork, NetworkProps } from "./network";
import { IObjectStore, ObjectStoreProps } from "./object-store";
import { IPostgresDatabase, PostgresDatabaseProps } from "./postgres-database";
import { IVirtualMachine, VirtualMachineProps } from "./virtual-machine";

/** What every cloud needs to know about the stack it builds into. */
export interface PlatformContext {
  /** Project name, lowercase letters, digits and hyphens. */
  readonly project: string;
  readonly environment: Environment;
  /** The cloud's region (AWS region, GCP region, Azure location). */
  readonly region: string;
  /** Tags/labels for every taggable resource, before each cloud's normalization. */
  readonly tags: Readonly<Record<string, string>>;
  /** GCP project id; required when the cloud is gcp. */
  readonly gcpProjectId?: string;
  /** GCP billing account id (for the budget); required when the cloud is gcp. */
  readonly gcpBillingAccount?: string;
  /** Azure subscription id; when omitted the provider reads ARM_SUBSCRIPTION_ID. */
  readonly azureSubscriptionId?: string;
  /** Azure Network Watcher (name and resource group) that VNet flow logs belong to. @default - `NetworkWatcher_<region>` in `NetworkWatcherRG` */
  readonly azureNetworkWatcher?: { readonly name: string; readonly resourceGroup: string };
}

/** The capabilities every cloud provides. One instance per stack. */
export interface CloudPlatform {
  readonly cloud: Cloud;
  readonly context: PlatformContext;
  createNetwork(scope: Construct, id: string, props: NetworkProps): INetwork;
  createVirtualMachine(scope: Construct, id: string, props: VirtualMachineProps): IVirtualMachine;
  createObjectStore(scope: Construct, id: string, props: ObjectStoreProps): IObjectStore;
  createPostgresDatabase(scope: Construct, id: string, props: PostgresDatabaseProps): IPostgresDatabase;
  createBudget(scope: Construct, id: string, props: BudgetProps): IBudget;
}

/** Builds a cloud's platform inside `stack`: configures its provider(s) and shared resources. */
export type CloudPlatformFactory = (stack: Construct, context: PlatformContext) => CloudPlatform;

export const PLATFORMS: Record<Cloud, () => CloudPlatformFactory> = {
  aws: () => (require("./aws") as typeof import("./aws")).createAwsPlatform,
  gcp: () => (require("./gcp") as typeof import("./gcp")).createGcpPlatform,
  azure: () => (require("./azure") as typeof import("./azure")).createAzurePlatform,
};

export function createPlatform(cloud: Cloud, stack: Construct, context: PlatformContext): CloudPlatform {
  return PLATFORMS[cloud]()(stack, context);
}

/** Narrows a cloud-neutral resource to one cloud's class, failing clearly when clouds are mixed. */
export function requireSameCloud<T>(
  what: string,
  value: { readonly cloud: Cloud },
  cls: abstract new (...args: never[]) => T,
  expected: Cloud,
): T {
  if (value.cloud !== expected || !(value instanceof cls)) {
    throw new Error(`${what}: a ${value.cloud} resource cannot be used by a ${expected} resource; accepted: a resource created by the ${expected} platform of the same stack`);
  }
  return value as T;
}
