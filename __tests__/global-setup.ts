/**
 * Jest global setup: starts one AWS provider process (debug mode) that the real-Terraform suites share through
 * TF_REATTACH_PROVIDERS for the commands that never configure it (see SHARED_PROVIDER_ENV in ./terraform).
 * Without terraform or the provider mirror it does nothing: the suites start their own or skip loudly.
 * PLATFORM_TEST_SHARED_PROVIDER=0 turns it off.
 */
import { SHARED_PROVIDER_ENV, awsProviderBinary, startProvider, terraformTools } from "./terraform";

declare global {
  // eslint-disable-next-line no-var
  var __sharedAwsProviderStop: (() => void) | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.PLATFORM_TEST_SHARED_PROVIDER === "0") return;
  const tools = terraformTools();
  if ("missing" in tools) return;
  const binary = awsProviderBinary(tools.pluginDir);
  if (!binary) return;
  try {
    const { reattach, stop } = startProvider(binary);
    process.env[SHARED_PROVIDER_ENV] = reattach;
    globalThis.__sharedAwsProviderStop = stop;
    process.once("exit", stop);
  } catch (e) {
    // The suites then start their own providers: slower, not wrong.
    console.warn(`shared AWS provider not started: ${(e as Error).message}`);
  }
}
