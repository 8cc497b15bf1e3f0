/** Azure implementation of the cloud-neutral contracts (provider azurerm 4.x). */
import { Construct } from "constructs";
import { CloudPlatform, PlatformContext } from "../platform";
import { AzurePlatform } from "./platform";

export { AzurePlatform } from "./platform";
export { AzureNetwork } from "./network";
export { AzureVirtualMachine } from "./virtual-machine";
export { AzureObjectStore } from "./object-store";
export { AzurePostgresDatabase } from "./postgres-database";
export { AzureBudget } from "./budget";

/** Builds the Azure platform of `stack`: provider, shared resource group, tags. */
export function createAzurePlatform(stack: Construct, context: PlatformContext): CloudPlatform {
  return new AzurePlatform(stack, context);
}
