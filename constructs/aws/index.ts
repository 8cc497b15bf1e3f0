/** AWS implementation of the platform contracts. */
import { Construct } from "constructs";
import { CloudPlatform, PlatformContext } from "../platform";
import { AwsPlatform } from "./platform";

export { AwsPlatform } from "./platform";
export { AwsNetwork } from "./network";
export { AwsVirtualMachine } from "./virtual-machine";
export { AwsObjectStore } from "./object-store";
export { AwsPostgresDatabase } from "./postgres-database";
export { AwsBudget } from "./budget";

export function createAwsPlatform(stack: Construct, context: PlatformContext): CloudPlatform {
  return new AwsPlatform(stack, context);
}
