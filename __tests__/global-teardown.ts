/** Jest global teardown: stops the shared AWS provider of ./global-setup. */
export default async function globalTeardown(): Promise<void> {
  globalThis.__sharedAwsProviderStop?.();
}
