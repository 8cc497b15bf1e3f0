/**
 * The policy check run at every synth: every rule of every cloud over the
 * synthesized Terraform JSON of every stack, before anything is written.
 */
import { Aspects, IAspect, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { Cloud, Environment } from "../core";
import { PolicyContext, PolicyRule, TfJson, Violation, evaluate, formatViolation } from "./engine";
import { POLICY_EXEMPTIONS, PolicyExemption } from "./exemptions";
import { AWS_RULES } from "./rules-aws";
import { AZURE_RULES } from "./rules-azure";
import { COMMON_RULES } from "./rules-common";
import { GCP_RULES } from "./rules-gcp";

export * from "./engine";
export { POLICY_EXEMPTIONS, PolicyExemption } from "./exemptions";

/** Every rule, in the order docs/policy.md lists them. */
export const ALL_RULES: readonly PolicyRule[] = [...COMMON_RULES, ...AWS_RULES, ...GCP_RULES, ...AZURE_RULES];

/** A stack to check and the environment it belongs to (none for shared stacks). */
export interface PolicyTarget {
  readonly stack: TerraformStack;
  readonly environment?: Environment;
  readonly cloud?: Cloud;
}

/** A stack that can keep its resolved JSON so synth writes exactly what was checked (stacks/sealed-stack.ts). */
interface Sealable {
  seal(): Record<string, unknown>;
}
const isSealable = (stack: TerraformStack): stack is TerraformStack & Sealable => typeof (stack as Partial<Sealable>).seal === "function";

/** The JSON of one stack, in memory, exactly as `app.synth()` will write it (aspects applied; sealed when the stack can be). */
export function stackJson(stack: TerraformStack): TfJson {
  invokeAspects(stack);
  return (isSealable(stack) ? stack.seal() : stack.toTerraform()) as TfJson;
}

/**
 * Applies the stack's aspects (cdktf runs them again in `app.synth()`, so they
 * must be idempotent, as the tagging aspects are). Same order as cdktf's own
 * synthesizer: parents first, inherited aspects before local ones.
 */
function invokeAspects(root: TerraformStack): void {
  const visit = (node: IConstruct, inherited: readonly IAspect[]) => {
    const all = [...inherited, ...Aspects.of(node).all];
    for (const aspect of all) aspect.visit(node);
    for (const child of node.node.children) visit(child, all);
  };
  visit(root, []);
}

export interface ExemptionUse {
  readonly exemption: PolicyExemption;
  readonly violations: readonly Violation[];
}

export interface PolicyReport {
  /** Violations no exemption covers: synth fails when there is any. */
  readonly violations: readonly Violation[];
  /** Exemptions that covered at least one violation. */
  readonly exempted: readonly ExemptionUse[];
  /** Exemptions in scope of a checked stack that matched nothing: remove them. */
  readonly stale: readonly PolicyExemption[];
  readonly stacksChecked: number;
  readonly rulesChecked: number;
}

export interface CheckPolicyOptions {
  readonly rules?: readonly PolicyRule[];
  readonly exemptions?: readonly PolicyExemption[];
}

/** Thrown when violations remain; the message lists each with rule, control, address, path and fix. */
export class PolicyError extends Error {
  constructor(public readonly report: PolicyReport) {
    const n = report.violations.length;
    super(
      `Policy check: ${n} violation${n === 1 ? "" : "s"} (see docs/policy.md; exemptions live in constructs/policy/exemptions.ts)\n` +
        report.violations.map(formatViolation).join("\n"),
    );
    this.name = "PolicyError";
  }
}

const glob = (pattern: string) => new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);

function inScope(e: PolicyExemption, ctx: PolicyContext): boolean {
  return (e.environment === undefined || e.environment === ctx.environment) && (e.stack === undefined || e.stack === ctx.stack);
}

function covers(e: PolicyExemption, v: Violation): boolean {
  return (
    e.rule === v.rule.id &&
    inScope(e, { stack: v.stack, environment: v.environment }) &&
    (e.path === undefined || glob(e.path).test(v.path)) &&
    (e.address === undefined || glob(e.address).test(v.address))
  );
}

/** Checks that exemptions name known rules and give a reason; throws listing every bad one. */
export function validateExemptions(exemptions: readonly PolicyExemption[], rules: readonly PolicyRule[]): void {
  const ids = new Set(rules.map((r) => r.id));
  const problems = exemptions.flatMap((e, i) => [
    ...(ids.has(e.rule) ? [] : [`exemption ${i}: unknown rule '${e.rule}'`]),
    ...(typeof e.reason === "string" && e.reason.trim().length >= 10 ? [] : [`exemption ${i} (${e.rule}): a reason of at least 10 characters is mandatory`]),
  ]);
  if (problems.length > 0) throw new Error(`Policy exemptions are invalid:\n  - ${problems.join("\n  - ")}`);
}

/** Evaluates already-synthesized JSON documents (tests, tools). */
export function checkJson(docs: readonly { json: TfJson; ctx: PolicyContext }[], options: CheckPolicyOptions = {}): PolicyReport {
  const rules = options.rules ?? ALL_RULES;
  const exemptions = options.exemptions ?? POLICY_EXEMPTIONS;
  validateExemptions(exemptions, rules);
  const all = docs.flatMap(({ json, ctx }) => evaluate(json, ctx, rules));
  const uses = new Map<PolicyExemption, Violation[]>(exemptions.map((e) => [e, []]));
  const violations = all.filter((v) => {
    const e = exemptions.find((x) => covers(x, v));
    if (e) uses.get(e)!.push(v);
    return !e;
  });
  // Stale: could have applied to a checked stack (same scope, same cloud as its rule) yet matched nothing.
  const cloudOf = new Map(rules.map((r) => [r.id, r.cloud]));
  const sameCloud = (e: PolicyExemption, ctx: PolicyContext) => cloudOf.get(e.rule) === "common" || ctx.cloud === undefined || cloudOf.get(e.rule) === ctx.cloud;
  const stale = exemptions.filter((e) => uses.get(e)!.length === 0 && docs.some(({ ctx }) => inScope(e, ctx) && sameCloud(e, ctx)));
  return {
    violations,
    exempted: exemptions.filter((e) => uses.get(e)!.length > 0).map((e) => ({ exemption: e, violations: uses.get(e)! })),
    stale,
    stacksChecked: docs.length,
    rulesChecked: rules.length,
  };
}

/** Synthesizes each target in memory and checks it. */
export function checkStacks(targets: readonly PolicyTarget[], options: CheckPolicyOptions = {}): PolicyReport {
  return checkJson(
    targets.map((t) => ({ json: stackJson(t.stack), ctx: { stack: t.stack.node.id, environment: t.environment, cloud: t.cloud } })),
    options,
  );
}

/** The lines printed at synth: one per exemption in force, one per stale exemption. */
export function reportLines(report: PolicyReport): string[] {
  const scope = (e: PolicyExemption) => [e.stack, e.environment, e.path ?? e.address].filter((x) => x !== undefined).join(" ") || "everywhere";
  return [
    ...report.exempted.map(
      ({ exemption: e, violations }) =>
        `policy: exemption ${e.rule} [${scope(e)}] covers ${violations.length} finding${violations.length === 1 ? "" : "s"} (${violations.map((v) => `${v.stack}:${v.address}`).join(", ")}): ${e.reason}`,
    ),
    ...report.stale.map((e) => `policy: STALE exemption ${e.rule} [${scope(e)}] matches nothing: remove it from constructs/policy/exemptions.ts`),
  ];
}

/**
 * The synth-time entry point: checks every target, prints the exemption lines
 * through `log`, and throws a PolicyError when violations remain.
 */
export function enforcePolicy(targets: readonly PolicyTarget[], log: (line: string) => void, options: CheckPolicyOptions = {}): PolicyReport {
  const report = checkStacks(targets, options);
  reportLines(report).forEach(log);
  if (report.violations.length > 0) throw new PolicyError(report);
  return report;
}
