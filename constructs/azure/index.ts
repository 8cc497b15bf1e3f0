/** Placeholder until the azure implementation lands (issue tracker): fails loudly, never silently. */
import { Construct } from "constructs";
import { CloudPlatform, PlatformContext } from "../platform";

export function createAzurePlatform(_stack: Construct, _context: PlatformContext): CloudPlatform {
  throw new Error("cloud: 'azure' is not implemented yet; accepted: aws");
}
