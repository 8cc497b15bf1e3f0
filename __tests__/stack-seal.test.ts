/**
 * CheckedStack resolves each element once (the preparing resolve, kept) instead of
 * twice: what it writes must be exactly what cdktf's own TerraformStack.toTerraform
 * gives for the same stack, cross-stack outputs and remote-state lookups included.
 */
import { Aspects, IAspect, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { CheckedStack } from "../constructs/stack";
import { buildApp } from "../stacks/app";
import { buildStacks, synthJson, testConfig, testOutdir } from "./helpers";

describe("a sealed stack is what cdktf would have written", () => {
  const { app } = buildApp({ config: testConfig(), outdir: testOutdir(), checkLog: () => undefined });
  const stacks = app.node.findAll().filter((c): c is CheckedStack => c instanceof CheckedStack);
  stacks.forEach((s) => s.prepareStack());

  test("every stack of every cloud is checked and sealed, workers (cross-stack references) and the bootstrap included", () => {
    expect(stacks.length).toBeGreaterThanOrEqual(13);
    expect(stacks.every((s) => s.sealed)).toBe(true);
    expect(stacks.map((s) => s.node.id)).toEqual(expect.arrayContaining(["state-bootstrap", "worker-aws-staging", "worker-gcp-production", "worker-azure-staging"]));
  });

  test.each(stacks.map((s) => [s.node.id, s] as const))("%s", (_, stack) => {
    const sealed = JSON.stringify(stack.toTerraform());
    // cdktf's own method on the same (already prepared) stack: the second resolve of every element.
    const cdktf = JSON.stringify(TerraformStack.prototype.toTerraform.call(stack));
    expect(sealed).toBe(cdktf);
    expect(sealed.length).toBeGreaterThan(1000);
  });

  test("a worker stack's JSON holds the remote-state lookup its preparation created", () => {
    const worker = stacks.find((s) => s.node.id === "worker-aws-staging")!;
    expect(JSON.stringify(worker.toTerraform())).toContain("cross-stack-reference-input-aws-staging");
    const platform = stacks.find((s) => s.node.id === "aws-staging")!;
    expect(Object.keys((platform.toTerraform() as { output: object }).output).some((k) => k.startsWith("cross-stack-output-"))).toBe(true);
  });
});

describe("aspects change what is written", () => {
  test("an aspect on a stack reaches the sealed JSON (it runs before the resolve that the seal keeps)", () => {
    const { platform, worker } = buildStacks("aws", "staging");
    const tagAll: IAspect = {
      visit(node: IConstruct) {
        if (TerraformResource.isTerraformResource(node) && node.terraformResourceType === "aws_s3_bucket") node.addOverride("tags.Aspect", "visited");
      },
    };
    Aspects.of(platform).add(tagAll);
    const buckets = Object.values(synthJson(platform).resource!.aws_s3_bucket);
    expect(buckets.length).toBeGreaterThan(0);
    for (const b of buckets) expect(b.tags?.Aspect).toBe("visited");
    // The worker stack has no aspect: untouched.
    for (const b of Object.values(synthJson(worker).resource!.aws_s3_bucket)) expect(b.tags?.Aspect).toBeUndefined();
  });
});
