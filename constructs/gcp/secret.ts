/**
 * GCP secret: a Secret Manager secret with replicas in the stack's region
 * only, and one version written through the write-only `secret_data_wo`, so
 * the value is in neither the JSON, the plan nor the state. Reading it is
 * granted per identity with `roles/secretmanager.secretAccessor` on this one
 * secret, never at project level.
 *
 * Rotation: a new `version` replaces the secret version (`secret_data_wo_version`
 * forces a new version), with whatever value the write-only source holds in
 * that apply; the new version is added before the old one is deleted.
 */
import { Construct } from "constructs";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version";
import { displayName, relationshipScope } from "../connections";
import { Validator } from "../core";
import { IGrantable, principalOn } from "../grants";
import { ISecret } from "../secrets";
import { claimName, recordDecision } from "../stack";
import { GcpPlatform } from "./platform";

/** The one role a reader gets, on the secret only: access to the payload, nothing else (no IAM, no versions management). */
export const GCP_SECRET_READ_ROLE = "roles/secretmanager.secretAccessor";

export interface GcpSecretProps {
  /** Secret id, unique in the project (claimed, so two constructs cannot take the same one). */
  readonly secretId: string;
  /** The value: a reference to an ephemeral value (ephemeral resource or variable), which only write-only attributes accept. */
  readonly value: string;
  /** `secret_data_wo_version`: a new number writes a new version. */
  readonly version: number;
  /** Terraform refuses to destroy the secret (prevent_destroy and the provider's deletion_protection). */
  readonly deletionProtection: boolean;
}

export class GcpSecret extends Construct implements ISecret {
  public readonly cloud = "gcp" as const;
  /** The secret. */
  public readonly resource: SecretManagerSecret;
  /** The version holding the current value. */
  public readonly currentVersion: SecretManagerSecretVersion;
  /** `projects/<project>/secrets/<id>`: what clients pass to Secret Manager (append `/versions/latest` to access). */
  public readonly secretRef: string;
  private readonly granted = new Set<string>();

  constructor(scope: Construct, id: string, props: GcpSecretProps) {
    super(scope, id);
    const platform = GcpPlatform.of(this);
    const v = new Validator(`Secret '${id}' (gcp)`);
    v.pattern("secret.secretId", props.secretId, /^[a-zA-Z0-9_-]{1,255}$/, "1-255 letters, digits, hyphens and underscores");
    v.integer("secret.version", props.version, 1, 2 ** 31 - 1);
    v.throwIfAny();

    this.resource = new SecretManagerSecret(this, "Resource", {
      secretId: claimName(this, `gcp:${platform.projectId}:secret`, props.secretId, "secret id"),
      // In the stack's region only, like the data it unlocks (replication cannot change later: it forces a new secret).
      replication: { userManaged: { replicas: [{ location: platform.region }] } },
      deletionProtection: props.deletionProtection,
      lifecycle: props.deletionProtection ? { preventDestroy: true } : undefined,
      dependsOn: platform.apis("secretmanager"),
    });
    if (!props.deletionProtection) recordDecision(this.resource, "no-deletion-protection");

    this.currentVersion = new SecretManagerSecretVersion(this, "version", {
      secret: this.resource.id,
      secretDataWo: props.value,
      secretDataWoVersion: props.version,
      deletionPolicy: "DELETE",
      // A new version replaces this one: add it before the old one goes, so the secret always has an enabled version.
      lifecycle: { createBeforeDestroy: true },
    });
    this.secretRef = this.resource.id;
  }

  /** `roles/secretmanager.secretAccessor` on this secret for the grantee's service account; in the grantee's stack when the two differ. */
  public grantRead(grantee: IGrantable): void {
    const p = principalOn(`Secret '${this.node.path}'.grantRead`, grantee, "gcp");
    if (this.granted.has(grantee.node.path)) return;
    this.granted.add(grantee.node.path);
    const { scope, crossStack } = relationshipScope(this, grantee);
    new SecretManagerSecretIamMember(scope, crossStack ? `secret-read-on-${displayName(this)}` : `read-${displayName(grantee)}`, {
      secretId: this.secretRef,
      role: GCP_SECRET_READ_ROLE,
      member: p.member,
    });
  }
}
