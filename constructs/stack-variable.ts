/**
 * A Terraform variable a stack declares once, under its own name, for every construct that needs it
 * (the Azure admin SSH key, the Key Vault's per-run deployer ranges): the first construct that asks creates
 * it, the others get the same variable.
 */
import { TerraformStack, TerraformVariable, TerraformVariableConfig } from "cdktf";
import { IConstruct } from "constructs";

export function stackVariable(scope: IConstruct, name: string, config: TerraformVariableConfig): TerraformVariable {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(name);
  if (existing instanceof TerraformVariable) return existing;
  const v = new TerraformVariable(stack, name, config);
  // `var.<name>` exactly: what TF_VAR_<name> and the docs say.
  v.overrideLogicalId(name);
  return v;
}
