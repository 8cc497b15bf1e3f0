/**
 * Small cloud-neutral contracts for what protects data: a secret (credentials
 * in the cloud's secret store) and an encryption key (customer-managed).
 * Both are granted like data stores: the resource writes the grant, the
 * grantee offers its identity.
 *
 * Model: aws-cdk-lib `aws-rds/lib/props.ts` (`Credentials.fromGeneratedSecret`,
 * `encryptionKey?: IKey`).
 */
import { TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { Cloud } from "./core";
import { IGrantable } from "./grants";

/** A secret in the cloud's secret store (Secrets Manager, Secret Manager, Key Vault). */
export interface ISecret extends IConstruct {
  readonly cloud: Cloud;
  /** What an application passes to the secret store: ARN (AWS), secret id (GCP), versionless secret id (Azure). */
  readonly secretRef: string;
  /** Lets `grantee` read the secret's value, and nothing else. */
  grantRead(grantee: IGrantable): void;
}

/** A customer-managed encryption key (KMS key, Cloud KMS crypto key, Key Vault key). */
export interface IEncryptionKey extends IConstruct {
  readonly cloud: Cloud;
  /** The key (construct id `Resource`). */
  readonly resource: TerraformResource;
  /** ARN (AWS), crypto key id (GCP), versionless key id (Azure). */
  readonly keyRef: string;
  /** Lets `grantee` encrypt and decrypt with the key, and nothing else. */
  grantEncryptDecrypt(grantee: IGrantable): void;
}
