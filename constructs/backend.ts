/**
 * Remote state for every stack of every cloud: one S3 bucket, encrypted with
 * the customer-managed KMS key the state bootstrap creates (addressed by its
 * alias, which the S3 backend of Terraform 1.11 accepts next to key ids and
 * ARNs), locked by a DynamoDB table and by Terraform's S3-native lock file.
 */
import { S3Backend, TerraformStack } from "cdktf";
import type { BackendConfig } from "./config";

/** True when the backend talks to S3/DynamoDB-compatible services instead of AWS (local development, tests). */
export function usesCustomEndpoints(backend: BackendConfig): boolean {
  return backend.endpoints !== undefined && Object.keys(backend.endpoints).length > 0;
}

/**
 * The alias of the state key: `alias/<bucket>` with dots turned into hyphens (alias names allow
 * letters, digits, `/`, `_` and `-`). Derived from the bucket, so the bootstrap that creates the key
 * and every backend that uses it cannot drift apart.
 */
export function stateKeyAlias(backend: Pick<BackendConfig, "bucket">): string {
  return `alias/${backend.bucket.replace(/\./g, "-")}`;
}

export function addStateBackend(stack: TerraformStack, backend: BackendConfig, key: string): S3Backend {
  const custom = usesCustomEndpoints(backend);
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key,
    region: backend.region,
    encrypt: true,
    // SSE-KMS with the state key; S3 emulators have no KMS, so custom endpoints keep SSE-S3.
    kmsKeyId: custom ? undefined : stateKeyAlias(backend),
    dynamodbTable: backend.dynamodbTable,
    ...(custom
      ? {
          endpoints: backend.endpoints,
          usePathStyle: true,
          skipCredentialsValidation: true,
          skipRegionValidation: true,
          skipRequestingAccountId: true,
          skipMetadataApiCheck: true,
          skipS3Checksum: true,
        }
      : {}),
  });
  // cdktf 0.21 has no typed `use_lockfile` (Terraform >= 1.10): set it next to the DynamoDB table.
  if (backend.useLockfile) stack.addOverride("terraform.backend.s3.use_lockfile", true);
  return s3;
}
