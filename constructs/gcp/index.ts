/** The GCP implementation of the cloud-neutral contracts. */
import { Construct } from "constructs";
import { CloudPlatform, PlatformContext } from "../platform";
import { GcpPlatform } from "./platform";

export { GcpPlatform, GCP_APIS } from "./platform";
export { GCP_NAME_RULES } from "./naming";

/** Configures the Google provider in `stack` and returns the platform that creates GCP resources. */
export function createGcpPlatform(stack: Construct, context: PlatformContext): CloudPlatform {
  return new GcpPlatform(stack, context);
}
