/**
 * Azure secret: one Key Vault secret whose value is written through the
 * write-only `value_wo` (never in the JSON, the plan or the state), rotated by
 * bumping `value_wo_version`. Reading it is the built-in `Key Vault Secrets
 * User` role on this secret only (not the vault), plus the reader's subnet
 * through the vault firewall.
 *
 * Source: azurerm v4.55.0 internal/services/keyvault/key_vault_secret_resource.go
 * (`value_wo` RequiredWith `value_wo_version`, ExactlyOneOf `value`; create,
 * read, update and delete are data-plane calls; a soft-deleted secret of the
 * same name is recovered and overwritten on create).
 */
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Validator } from "../core";
import { displayName, relationshipScope } from "../connections";
import { IGrantable, principalOn } from "../grants";
import { ISecret } from "../secrets";
import { recordDecision } from "../stack";
import { AzureConnections } from "./connections";
import { AzureKeyVault } from "./key-vault";
import { AZURE_NAME_LIMITS } from "./naming";
import { AzurePlatform } from "./platform";

/** The built-in role that reads secret values, and nothing else. */
export const KEY_VAULT_SECRET_READER_ROLE = "Key Vault Secrets User";

export interface AzureSecretProps {
  readonly vault: AzureKeyVault;
  /** The secret's name in the vault (1-127 letters, digits and hyphens). */
  readonly name: string;
  /** The value: an ephemeral value or variable only (it goes to a write-only attribute). */
  readonly valueWo: string;
  /** Bump to write a new value. */
  readonly valueWoVersion: number;
  /** What the value is, for readers (`content_type`). */
  readonly contentType: string;
  /** Terraform refuses to destroy the secret. */
  readonly deletionProtection: boolean;
  /**
   * What must hold the value before the secret does (the database the password belongs to): on a
   * rotation the secret is written last, so it never holds a password its database refused.
   * @default - nothing but the vault's data-plane readiness
   */
  readonly after?: ITerraformDependable[];
}

export class AzureSecret extends Construct implements ISecret {
  public readonly cloud = "azure" as const;
  /** The Key Vault secret. */
  public readonly resource: KeyVaultSecret;
  public readonly vault: AzureKeyVault;
  /** The versionless secret id (`https://<vault>.vault.azure.net/secrets/<name>`): always the current version. */
  public readonly secretRef: string;
  private readonly granted = new Set<string>();

  constructor(scope: Construct, id: string, props: AzureSecretProps) {
    super(scope, id);
    const platform = AzurePlatform.of(this);
    const v = new Validator(`Secret '${id}' (azure)`);
    v.pattern("secret.name", props.name, AZURE_NAME_LIMITS.keyVaultSecret.pattern, "1-127 letters, digits and hyphens");
    v.integer("secret.valueWoVersion", props.valueWoVersion, 1, Number.MAX_SAFE_INTEGER);
    v.throwIfAny();
    this.vault = props.vault;
    this.resource = new KeyVaultSecret(this, "Resource", {
      name: props.name,
      keyVaultId: props.vault.resource.id,
      valueWo: props.valueWo,
      valueWoVersion: props.valueWoVersion,
      contentType: props.contentType,
      tags: platform.tags,
      dependsOn: [...props.vault.dataPlaneReady, ...(props.after ?? [])],
    });
    // No expiration date: an expired credential would lock the application out; rotation is a version bump.
    recordDecision(this.resource, "secret-rotated-by-version");
    if (props.deletionProtection) this.resource.addOverride("lifecycle.prevent_destroy", true);
    else recordDecision(this.resource, "no-deletion-protection");
    this.secretRef = this.resource.versionlessId;
  }

  /**
   * `Key Vault Secrets User` on this secret only for `grantee`'s identity, and, when the grantee
   * is connectable, its subnet through the vault firewall. Across stacks the assignment lives in
   * the grantee's stack (constructs/connections.ts relationshipScope).
   */
  public grantRead(grantee: IGrantable): void {
    const p = principalOn(`Secret '${this.node.path}'.grantRead`, grantee, "azure");
    if (this.granted.has(grantee.node.path)) return;
    this.granted.add(grantee.node.path);
    const { scope, crossStack } = relationshipScope(this, grantee);
    new RoleAssignment(scope, crossStack ? `read-on-${displayName(this)}` : `read-${grantee.node.id}`, {
      // The ARM id of the secret (not the vault): the narrowest scope Key Vault RBAC has.
      scope: this.resource.resourceVersionlessId,
      roleDefinitionName: KEY_VAULT_SECRET_READER_ROLE,
      principalId: p.principalId,
      principalType: "ServicePrincipal",
      description: `'${grantee.node.id}' reads secret '${this.node.scope?.node.id ?? this.node.id}/${this.node.id}' only`,
    });
    const tier = AzureConnections.tierOf(grantee);
    if (tier) this.vault.allowSubnet(tier);
  }
}
