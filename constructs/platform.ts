/**
 * The typed factory that picks a cloud. `KITS` is a `Record<Cloud, ...>` of
 * `CloudKit`s: each kit holds that cloud's construct classes, one per
 * contract, all with the same `(scope, id, props)` constructor. Adding a
 * cloud to `CLOUDS` without a kit, or a kit without one of the contracts, is
 * a compile error. Stack code uses the kit of its stack:
 *
 * ```ts
 * const { Network, ObjectStore } = this.kit;
 * const network = new Network(this, "network", { natGateways: "single" });
 * ```
 *
 * Each cloud's module is required lazily, so a process that builds AWS
 * stacks only never loads the Google or Azure provider bindings.
 */
import type { Construct, IConstruct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { Cloud, ValidationError } from "./core";
import type { AppTierProps, IAppTier } from "./app-tier";
import type { BudgetProps, IBudget } from "./budget";
import type { HttpsEntryProps, IHttpsEntry } from "./https-entry";
import type { ComputeIdentityProps, IComputeIdentity } from "./compute-identity";
import type { INetwork, NetworkProps } from "./network";
import type { IObjectStore, ObjectStoreProps } from "./object-store";
import type { IPostgresDatabase, PostgresDatabaseProps } from "./postgres-database";
import type { IVirtualMachine, VirtualMachineProps } from "./virtual-machine";
import type { CloudStack } from "./stack";

/** A construct class with the one constructor shape every contract uses. */
export type ConstructClass<Props, Contract> = new (scope: Construct, id: string, props: Props) => Contract;

/** A cloud's provider and the resources every construct of a stack shares (created once, lazily). */
export interface CloudPlatform {
  readonly cloud: Cloud;
  readonly stack: CloudStack;
  readonly provider: TerraformProvider;
}

/** One cloud's implementation of every contract. */
export interface CloudKit {
  readonly cloud: Cloud;
  /** Configures the provider(s) in `stack`; called once by CloudStack. */
  createPlatform(stack: CloudStack): CloudPlatform;
  readonly Network: ConstructClass<NetworkProps, INetwork>;
  readonly ComputeIdentity: ConstructClass<ComputeIdentityProps, IComputeIdentity>;
  readonly VirtualMachine: ConstructClass<VirtualMachineProps, IVirtualMachine>;
  readonly AppTier: ConstructClass<AppTierProps, IAppTier>;
  readonly HttpsEntry: ConstructClass<HttpsEntryProps, IHttpsEntry>;
  readonly ObjectStore: ConstructClass<ObjectStoreProps, IObjectStore>;
  readonly PostgresDatabase: ConstructClass<PostgresDatabaseProps, IPostgresDatabase>;
  readonly Budget: ConstructClass<BudgetProps, IBudget>;
}

export const KITS: Record<Cloud, () => CloudKit> = {
  aws: () => (require("./aws") as typeof import("./aws")).AWS_KIT,
  gcp: () => (require("./gcp") as typeof import("./gcp")).GCP_KIT,
  azure: () => (require("./azure") as typeof import("./azure")).AZURE_KIT,
};

/** The platform of `cloud` that `scope` belongs to, typed; fails clearly when the stack is of another cloud. */
export function platformOf<P extends CloudPlatform>(scope: IConstruct, cloud: Cloud, stack: CloudStack): P {
  if (stack.cloud !== cloud) {
    throw new ValidationError(`Construct '${scope.node.path}'`, [
      { field: "scope", value: `${stack.node.id} (${stack.cloud})`, accepted: `a scope in a ${cloud} stack: a ${cloud} construct cannot be built in a ${stack.cloud} stack` },
    ]);
  }
  return stack.platform as P;
}
