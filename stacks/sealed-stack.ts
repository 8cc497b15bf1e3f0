/**
 * A stack whose Terraform JSON is resolved once, checked, and then written
 * exactly as checked. cdktf resolves a stack every time `toTerraform()` is
 * called; the policy check needs the JSON before `app.synth()` writes it, and
 * resolving it a second time for the write costs ~9 ms per stack and could,
 * in principle, differ from what was checked. `seal()` is called by the
 * policy check (constructs/policy `stackJson`) after the aspects ran.
 */
import { TerraformStack } from "cdktf";

export abstract class SealedStack extends TerraformStack {
  private sealedJson?: Record<string, unknown>;

  /** Resolves the stack once and keeps the result; later `toTerraform()` calls (synth) return it. */
  public seal(): Record<string, unknown> {
    this.sealedJson ??= super.toTerraform() as Record<string, unknown>;
    return this.sealedJson;
  }

  public get sealed(): boolean {
    return this.sealedJson !== undefined;
  }

  public toTerraform(): any {
    return this.sealedJson ?? super.toTerraform();
  }
}
