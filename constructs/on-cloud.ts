/**
 * The typed escape hatch: narrow a cloud-neutral construct to its cloud's
 * class and reach the provider resource with full types. Every cloud must
 * be handled (the handler object is exhaustive), so adding a cloud makes
 * the compiler point at every escape hatch that needs a new branch.
 *
 * ```ts
 * onCloud(network, {
 *   aws: (n) => n.resource.addOverride("enable_network_address_usage_metrics", true),
 *   gcp: (n) => n.resource.addOverride("delete_default_routes_on_create", false),
 *   azure: (n) => n.resource.addOverride("dns_servers", ["10.0.0.4"]),
 * });
 * ```
 *
 * Only types are imported here, so no provider binding is loaded by this module.
 */
import type { AwsAppTier, AwsBudget, AwsComputeIdentity, AwsHttpsEntry, AwsNetwork, AwsObjectStore, AwsPostgresDatabase, AwsVirtualMachine } from "./aws";
import type { AzureAppTier, AzureBudget, AzureComputeIdentity, AzureHttpsEntry, AzureNetwork, AzureObjectStore, AzurePostgresDatabase, AzureVirtualMachine } from "./azure";
import type { GcpAppTier, GcpBudget, GcpComputeIdentity, GcpHttpsEntry, GcpNetwork, GcpObjectStore, GcpPostgresDatabase, GcpVirtualMachine } from "./gcp";
import type { IAppTier } from "./app-tier";
import type { IHttpsEntry } from "./https-entry";
import type { IBudget } from "./budget";
import type { IComputeIdentity } from "./compute-identity";
import type { Cloud } from "./core";
import type { INetwork } from "./network";
import type { IObjectStore } from "./object-store";
import type { IPostgresDatabase } from "./postgres-database";
import type { IVirtualMachine } from "./virtual-machine";

/** One handler per cloud, each receiving the cloud's class. */
export interface CloudHandlers<A, G, Z, R> {
  aws(x: A): R;
  gcp(x: G): R;
  azure(x: Z): R;
}

export function onCloud<R>(x: IHttpsEntry, h: CloudHandlers<AwsHttpsEntry, GcpHttpsEntry, AzureHttpsEntry, R>): R;
export function onCloud<R>(x: IAppTier, h: CloudHandlers<AwsAppTier, GcpAppTier, AzureAppTier, R>): R;
export function onCloud<R>(x: IVirtualMachine, h: CloudHandlers<AwsVirtualMachine, GcpVirtualMachine, AzureVirtualMachine, R>): R;
export function onCloud<R>(x: IPostgresDatabase, h: CloudHandlers<AwsPostgresDatabase, GcpPostgresDatabase, AzurePostgresDatabase, R>): R;
export function onCloud<R>(x: IObjectStore, h: CloudHandlers<AwsObjectStore, GcpObjectStore, AzureObjectStore, R>): R;
export function onCloud<R>(x: INetwork, h: CloudHandlers<AwsNetwork, GcpNetwork, AzureNetwork, R>): R;
export function onCloud<R>(x: IComputeIdentity, h: CloudHandlers<AwsComputeIdentity, GcpComputeIdentity, AzureComputeIdentity, R>): R;
export function onCloud<R>(x: IBudget, h: CloudHandlers<AwsBudget, GcpBudget, AzureBudget, R>): R;
export function onCloud<R>(x: { readonly cloud: Cloud }, h: CloudHandlers<never, never, never, R>): R {
  return (h[x.cloud] as (v: unknown) => R)(x);
}
