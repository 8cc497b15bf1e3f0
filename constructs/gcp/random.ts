/**
 * The two hashicorp/random pieces the GCP stacks use, written as cdktf
 * elements (there is no prebuilt binding in this project, and cdktf 0.21 has
 * no ephemeral resource type), each with a construct path like any resource:
 *
 * - `RandomProvider`: the provider requirement (`>= 3.7.0`, the first release
 *   with the ephemeral `random_password`) and its empty provider block.
 * - `RandomId` (`random_id`): a suffix kept in state, for names the cloud
 *   reserves after a delete (a Cloud SQL instance name for about a week, a
 *   Cloud Logging bucket id for 7 days): a destroyed stack re-created at once
 *   gets new names instead of failing on the reserved ones. It never changes
 *   while the stack exists (no keepers).
 * - `EphemeralRandomPassword` (`ephemeral "random_password"`, Terraform >= 1.10):
 *   a password generated at each plan and apply and never stored; it may only
 *   flow into write-only attributes (`password_wo`, `secret_data_wo`), which
 *   the provider sends only when their `*_wo_version` changes.
 */
import { Construct } from "constructs";
import { TerraformElement, TerraformProvider, TerraformResource, TerraformStack, Token, ref } from "cdktf";

/** hashicorp/random 3.7.0 added the ephemeral `random_password`; 4.x may change it. */
export const RANDOM_PROVIDER_VERSION = ">= 3.7.0, < 4.0.0";

export class RandomProvider extends TerraformProvider {
  /** The random provider of `stack`, created on first use. */
  public static of(stack: TerraformStack): RandomProvider {
    const existing = stack.node.tryFindChild("random");
    if (existing instanceof RandomProvider) return existing;
    return new RandomProvider(stack, "random");
  }

  private constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: "random",
      terraformGeneratorMetadata: { providerName: "random", providerVersionConstraint: RANDOM_PROVIDER_VERSION },
      terraformProviderSource: "hashicorp/random",
    });
  }
}

export interface RandomIdProps {
  /** Random bytes; the hex form has twice as many characters. */
  readonly byteLength: number;
}

/** `random_id`: random bytes kept in state; `hex` is the lowercase hex form. */
export class RandomId extends TerraformResource {
  public readonly byteLength: number;

  constructor(scope: Construct, id: string, props: RandomIdProps) {
    const provider = RandomProvider.of(TerraformStack.of(scope));
    super(scope, id, {
      terraformResourceType: "random_id",
      terraformGeneratorMetadata: { providerName: "random", providerVersionConstraint: RANDOM_PROVIDER_VERSION },
      provider,
    });
    this.byteLength = props.byteLength;
  }

  /** Lowercase hex, `2 * byteLength` characters. */
  public get hex(): string {
    return this.getStringAttribute("hex");
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { byte_length: this.byteLength };
  }
}

export interface EphemeralRandomPasswordProps {
  readonly length: number;
  /** Special characters allowed; the default set has quotes, `@`, `:` and `/`, which break URIs and shells. */
  readonly overrideSpecial: string;
}

/** `ephemeral "random_password"`: a new password at every plan and apply, never in the plan or the state. */
export class EphemeralRandomPassword extends TerraformElement {
  public static readonly TYPE = "random_password";
  private readonly props: EphemeralRandomPasswordProps;

  constructor(scope: Construct, id: string, props: EphemeralRandomPasswordProps) {
    super(scope, id, `ephemeral.${EphemeralRandomPassword.TYPE}`);
    RandomProvider.of(TerraformStack.of(scope));
    this.props = props;
  }

  /** The password: a reference that only write-only attributes may take. */
  public get result(): string {
    return Token.asString(ref(`ephemeral.${EphemeralRandomPassword.TYPE}.${this.friendlyUniqueId}.result`, this.cdktfStack));
  }

  public toTerraform(): any {
    return {
      ephemeral: {
        [EphemeralRandomPassword.TYPE]: {
          [this.friendlyUniqueId]: {
            length: this.props.length,
            special: true,
            override_special: this.props.overrideSpecial,
            // At least one of each class.
            min_lower: 1,
            min_upper: 1,
            min_numeric: 1,
            min_special: 1,
            ...this.rawOverrides,
            "//": this.constructNodeMetadata,
          },
        },
      },
    };
  }
}
