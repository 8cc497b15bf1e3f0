/** Placeholder until the gcp implementation lands (issue tracker): fails loudly, never silently. */
import { Construct } from "constructs";
import { CloudPlatform, PlatformContext } from "../platform";

export function createGcpPlatform(_stack: Construct, _context: PlatformContext): CloudPlatform {
  throw new Error("cloud: 'gcp' is not implemented yet; accepted: aws");
}
