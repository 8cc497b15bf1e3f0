/**
 * The policy check run at every synth: every rule of every cloud over the
 * synthesized Terraform JSON of every stack, before anything is written.
 */
import { UserError } from "../core";
import { PolicyContext, PolicyRule, TfJson, TfView, Violation, evaluate, formatViolation } from "./engine";
import { DECISIONS, POLICY_EXEMPTIONS, PolicyExemption } from "./exemptions";
import { AWS_RULES } from "./rules-aws";
import { AZURE_RULES } from "./rules-azure";
import { COMMON_RULES } from "./rules-common";
import { GCP_RULES } from "./rules-gcp";

export * from "./engine";
export { DECISIONS, Decision, POLICY_EXEMPTIONS, PolicyExemption } from "./exemptions";

/** Every rule, in the order docs/policy.md lists them. */
export const ALL_RULES: readonly PolicyRule[] = [...COMMON_RULES, ...AWS_RULES, ...GCP_RULES, ...AZURE_RULES];

export interface ExemptionUse {
  readonly exemption: PolicyExemption;
  readonly violations: readonly Violation[];
}

export interface PolicyReport {
  /** Violations no exemption covers: synth fails when there is any. */
  readonly violations: readonly Violation[];
  /** Exemptions that covered at least one violation. */
  readonly exempted: readonly ExemptionUse[];
  /** Exemptions whose decision is recorded on a checked resource of their rule's cloud, yet that covered nothing: remove them. */
  readonly stale: readonly PolicyExemption[];
  readonly stacksChecked: number;
  readonly rulesChecked: number;
}

export interface CheckPolicyOptions {
  readonly rules?: readonly PolicyRule[];
  readonly exemptions?: readonly PolicyExemption[];
}

/** Thrown when violations remain; the message lists each with rule, control, address, path and fix. */
export class PolicyError extends UserError {
  constructor(public readonly report: PolicyReport) {
    const n = report.violations.length;
    super(
      `Policy check: ${n} violation${n === 1 ? "" : "s"} (see docs/policy.md; exemptions live in constructs/policy/exemptions.ts)\n` +
        report.violations.map(formatViolation).join("\n"),
    );
    this.name = "PolicyError";
  }
}

function covers(e: PolicyExemption, v: Violation): boolean {
  return e.rule === v.rule.id && v.decisions.has(e.decision) && (!e.costTradeOff || v.costOverResilience);
}

/** Checks that exemptions name known rules and decisions and give a reason; throws listing every bad one. */
export function validateExemptions(exemptions: readonly PolicyExemption[], rules: readonly PolicyRule[]): void {
  const ids = new Set(rules.map((r) => r.id));
  const problems = exemptions.flatMap((e, i) => [
    ...(ids.has(e.rule) ? [] : [`exemption ${i}: unknown rule '${e.rule}'`]),
    ...(e.decision in DECISIONS ? [] : [`exemption ${i} (${e.rule}): unknown decision '${e.decision}'`]),
    ...(typeof e.reason === "string" && e.reason.trim().length >= 10 ? [] : [`exemption ${i} (${e.rule}): a reason of at least 10 characters is mandatory`]),
  ]);
  if (problems.length > 0) throw new Error(`Policy exemptions are invalid:\n  - ${problems.join("\n  - ")}`);
}

/** Evaluates already-synthesized JSON documents (the app's check, tests, tools). */
export function checkStacks(docs: readonly { json: TfJson; ctx: PolicyContext }[], options: CheckPolicyOptions = {}): PolicyReport {
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
  // Stale: its decision is recorded on a resource of a stack its rule's cloud checks, yet it covered nothing.
  const cloudOf = new Map(rules.map((r) => [r.id, r.cloud]));
  const recorded = (d: string, cloud: string | undefined) =>
    docs.some(({ json, ctx }) => {
      if (!ctx.decisionsAt || (cloud !== "common" && ctx.cloud !== undefined && ctx.cloud !== cloud)) return false;
      const tf = new TfView(json);
      return Object.keys(json.resource ?? {}).some((type) => tf.resources(type).some((item) => ctx.decisionsAt!(item.path).has(d)));
    });
  const stale = exemptions.filter((e) => uses.get(e)!.length === 0 && recorded(e.decision, cloudOf.get(e.rule)));
  return {
    violations,
    exempted: exemptions.filter((e) => uses.get(e)!.length > 0).map((e) => ({ exemption: e, violations: uses.get(e)! })),
    stale,
    stacksChecked: docs.length,
    rulesChecked: rules.length,
  };
}

/** The check's summary, printed once per synth: one header, one line per decision accepted, one per stale exemption. */
export function summaryLines(report: PolicyReport): string[] {
  const n = report.violations.length;
  const accepted = report.exempted.reduce((sum, u) => sum + u.violations.length, 0);
  const byDecision = new Map<string, ExemptionUse[]>();
  for (const use of report.exempted) byDecision.set(use.exemption.decision, [...(byDecision.get(use.exemption.decision) ?? []), use]);
  return [
    `policy: ${report.stacksChecked} stack${report.stacksChecked === 1 ? "" : "s"} x ${report.rulesChecked} rules: ${n} violation${n === 1 ? "" : "s"}, ${accepted} finding${accepted === 1 ? "" : "s"} accepted by decision`,
    ...[...byDecision.entries()].map(([decision, uses]) => {
      const stacks = [...new Set(uses.flatMap((u) => u.violations.map((v) => v.stack)))].sort();
      return `  accepted ${decision}: ${uses.map((u) => u.exemption.rule).join(", ")} in ${stacks.join(", ")}`;
    }),
    ...report.stale.map((e) => `  STALE exemption ${e.rule} for ${e.decision}: it covers nothing; remove it from constructs/policy/exemptions.ts`),
  ];
}
