/**
 * Remote state for every stack of every cloud: one S3 bucket, encrypted,
 * locked by a DynamoDB table and by Terraform's S3-native lock file.
 */
import { S3Backend, TerraformStack } from "cdktf";
import type { BackendConfig } from "./config";

/** True when the backend talks to S3/DynamoDB-compatible services instead of AWS (local development, tests). */
export function usesCustomEndpoints(backend: BackendConfig): boolean {
  return backend.endpoints !== undefined && Object.keys(backend.endpoints).length > 0;
}

export function addStateBackend(stack: TerraformStack, backend: BackendConfig, key: string): S3Backend {
  const custom = usesCustomEndpoints(backend);
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key,
    region: backend.region,
    encrypt: true,
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
