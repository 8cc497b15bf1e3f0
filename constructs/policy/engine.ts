/**
 * The policy engine: evaluates the synthesized Terraform JSON of a stack
 * against the rule table (rules-*.ts), applies the explicit exemptions
 * (exemptions.ts) and reports what is left. It works on plain JSON only and
 * imports no provider binding, so the same rules run in tests on
 * hand-written fixtures and at synth on the real stacks.
 */
import { Cloud } from "../core";

/** Terraform JSON as cdktf writes it (`//` keys hold cdktf metadata such as the construct path). */
export interface TfJson {
  readonly terraform?: Record<string, any>;
  readonly provider?: Record<string, Record<string, any>[]>;
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly output?: Record<string, Record<string, any>>;
  readonly variable?: Record<string, Record<string, any>>;
}

export type RuleCategory =
  | "encryption-at-rest"
  | "public-exposure"
  | "encryption-in-transit"
  | "network"
  | "identity"
  | "backup"
  | "deletion-safety"
  | "logging"
  | "tagging"
  | "secrets";

/** Where a rule is evaluated. */
export interface PolicyContext {
  /** Stack name (`aws-staging`, `state-bootstrap`, ...). */
  readonly stack: string;
  /** The stack's environment; undefined for shared stacks such as the state bootstrap. */
  readonly environment?: string;
  /** The cloud the stack deploys to (only used to tell whether an exemption could apply). */
  readonly cloud?: Cloud;
  /** The stack's profile accepts cost trade-offs (constructs/config.ts `costOverResilience`). @default false */
  readonly costOverResilience?: boolean;
  /** Decisions recorded on the resource at a construct path (constructs/stack.ts `recordDecision`). @default - none anywhere */
  readonly decisionsAt?: (path: string) => ReadonlySet<string>;
}

/** One resource (or data source, output, variable, provider) as the rules see it. */
export interface TfItem {
  readonly kind: "resource" | "data" | "output" | "variable" | "provider" | "terraform";
  readonly type: string;
  readonly name: string;
  /** Terraform address: `type.name`, `data.type.name`, `output.name`, `var.name`, `provider.aws`. */
  readonly address: string;
  /** Construct path from the cdktf metadata, or the address when there is none (fixtures). */
  readonly path: string;
  readonly body: Record<string, any>;
}

/** What a rule's check returns for each problem: the offending item and what is wrong with it. */
export interface Finding {
  readonly item: TfItem;
  readonly message: string;
}

export interface PolicyRule {
  /** Stable id, e.g. `AWS-RDS-ENCRYPTED`. Referenced by exemptions and docs/policy.md. */
  readonly id: string;
  readonly cloud: Cloud | "common";
  readonly category: RuleCategory;
  readonly title: string;
  /** The scanner controls this rule mirrors (checkov / Trivy ids), or "project rule" when none exists. */
  readonly controls: readonly string[];
  /** How to fix a violation. */
  readonly fix: string;
  check(tf: TfView, ctx: PolicyContext): Finding[];
}

export interface Violation {
  readonly rule: PolicyRule;
  readonly stack: string;
  readonly environment?: string;
  readonly address: string;
  readonly path: string;
  readonly message: string;
  /** Decisions recorded on the offending resource (what an exemption can accept). */
  readonly decisions: ReadonlySet<string>;
  /** Whether the stack's profile accepts cost trade-offs. */
  readonly costOverResilience: boolean;
}

// ---------------------------------------------------------------------------
// A read-only view over the JSON with the lookups rules need
// ---------------------------------------------------------------------------

export class TfView {
  private readonly byType = new Map<string, TfItem[]>();
  private readonly byAddress = new Map<string, TfItem>();

  constructor(public readonly json: TfJson) {
    for (const [kind, section] of [["resource", json.resource], ["data", json.data]] as const) {
      for (const [type, named] of Object.entries(section ?? {})) {
        for (const [name, body] of Object.entries(named ?? {})) {
          const address = kind === "data" ? `data.${type}.${name}` : `${type}.${name}`;
          const item: TfItem = { kind, type, name, address, path: metaPath(body) ?? address, body };
          const key = kind === "data" ? `data.${type}` : type;
          if (!this.byType.has(key)) this.byType.set(key, []);
          this.byType.get(key)!.push(item);
          this.byAddress.set(address, item);
        }
      }
    }
  }

  /** Every resource of the given types. */
  public resources(...types: string[]): TfItem[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  /** Every data source of the given types. */
  public data(...types: string[]): TfItem[] {
    return types.flatMap((t) => this.byType.get(`data.${t}`) ?? []);
  }

  /** Every resource whose type starts with `prefix` (e.g. `azurerm_`). */
  public resourcesWithPrefix(prefix: string): TfItem[] {
    return [...this.byType.entries()].filter(([t]) => t.startsWith(prefix)).flatMap(([, items]) => items);
  }

  public get(address: string): TfItem | undefined {
    return this.byAddress.get(address);
  }

  /** Resources of `type` one of whose attributes references `target` (`${target.<attr>}`), e.g. a versioning resource for a bucket. */
  public referencing(type: string, target: TfItem, attributes: readonly string[]): TfItem[] {
    return this.resources(type).filter((r) => attributes.some((a) => refersTo(r.body[a], target)));
  }

  /** The item a `${type.name.attr}` expression points at. */
  public deref(expr: unknown): TfItem | undefined {
    if (typeof expr !== "string") return undefined;
    const m = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_]+(?:\[\d+\])?(?:\.[a-z0-9_]+)*\}$/.exec(expr);
    return m ? this.byAddress.get(m[1]) : undefined;
  }

  public providers(name: string): TfItem[] {
    return (this.json.provider?.[name] ?? []).map((body, i) => ({
      kind: "provider" as const,
      type: name,
      name: String(body.alias ?? i),
      address: `provider.${name}${body.alias ? `.${body.alias}` : ""}`,
      path: metaPath(body) ?? `provider.${name}`,
      body,
    }));
  }

  public outputs(): TfItem[] {
    // cdktf records output paths in the top-level metadata: { "//": { outputs: { stack: { id: "id" } } } }.
    const paths = new Map<string, string>();
    const walkPaths = (node: unknown, prefix: string[]) => {
      if (typeof node === "string") paths.set(node, prefix.join("/"));
      else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walkPaths(v, [...prefix, k]);
    };
    walkPaths((this.json as { "//"?: { outputs?: unknown } })["//"]?.outputs, []);
    return Object.entries(this.json.output ?? {}).map(([name, body]) => ({
      kind: "output" as const,
      type: "output",
      name,
      address: `output.${name}`,
      path: paths.get(name) ?? `output.${name}`,
      body,
    }));
  }

  public variables(): TfItem[] {
    return Object.entries(this.json.variable ?? {}).map(([name, body]) => ({
      kind: "variable" as const,
      type: "variable",
      name,
      address: `var.${name}`,
      path: metaPath(body) ?? `var.${name}`,
      body,
    }));
  }
}

function metaPath(body: unknown): string | undefined {
  const meta = (body as { "//"?: { metadata?: { path?: unknown } } } | undefined)?.["//"];
  const p = meta?.metadata?.path;
  return typeof p === "string" ? p : undefined;
}

// ---------------------------------------------------------------------------
// Small helpers shared by the rule files
// ---------------------------------------------------------------------------

/** A nested block: cdktf writes single blocks as objects and repeated ones as arrays; this returns the first. */
export function block(v: unknown): Record<string, any> | undefined {
  if (Array.isArray(v)) return v.length > 0 && v[0] && typeof v[0] === "object" ? v[0] : undefined;
  return v && typeof v === "object" ? (v as Record<string, any>) : undefined;
}

/** Every element of a nested block list (object -> one element). */
export function blocks(v: unknown): Record<string, any>[] {
  if (Array.isArray(v)) return v.filter((x) => x && typeof x === "object");
  return v && typeof v === "object" ? [v as Record<string, any>] : [];
}

/** True when `v` is a Terraform expression (reference, function call) rather than a literal. */
export function isExpression(v: unknown): boolean {
  return typeof v === "string" && v.includes("${");
}

/** True when `expr` is a reference to `target` (any attribute of it). */
export function refersTo(expr: unknown, target: TfItem): boolean {
  if (typeof expr !== "string") return false;
  return expr.includes(`\${${target.address}.`) || expr === `\${${target.address}}`;
}

/** True for `true` or the string "true"/"TRUE" (metadata values are strings). */
export function isTrue(v: unknown): boolean {
  return v === true || (typeof v === "string" && v.toLowerCase() === "true");
}

/** A list-or-scalar attribute as a list of strings. */
export function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return typeof v === "string" ? [v] : [];
}

export const WORLD = ["0.0.0.0/0", "::/0", "*", "Internet", "Any", "any", "internet"];

/** Ports that must never be reachable from the whole internet. */
export const SENSITIVE_PORTS: Readonly<Record<number, string>> = { 22: "SSH", 3389: "RDP", 5432: "PostgreSQL", 3306: "MySQL", 1433: "SQL Server" };

/** True when the port range `from`-`to` (inclusive) contains a sensitive port; returns that port. */
export function sensitivePortIn(from: number, to: number): number | undefined {
  return Object.keys(SENSITIVE_PORTS)
    .map(Number)
    .find((p) => p >= from && p <= to);
}

/** Parses `"22"`, `"20-25"`, `"*"` into a range. */
export function portRange(spec: unknown): [number, number] | undefined {
  if (typeof spec === "number") return [spec, spec];
  if (typeof spec !== "string") return undefined;
  if (spec === "*") return [0, 65535];
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

/** IAM-style policy statements from a literal JSON string, an object, or an `aws_iam_policy_document` data source. */
export function policyStatements(tf: TfView, policy: unknown): Record<string, any>[] | undefined {
  if (typeof policy === "string" && policy.trimStart().startsWith("{")) {
    // A literal JSON document; references inside its strings (`${aws_s3_bucket.x.arn}`) are fine.
    try {
      return blocks(JSON.parse(policy).Statement);
    } catch {
      return undefined;
    }
  }
  if (policy && typeof policy === "object") return blocks((policy as Record<string, any>).Statement);
  const doc = tf.deref(policy);
  if (doc?.type === "aws_iam_policy_document") {
    // Normalize the data source's HCL blocks to the JSON policy shape.
    return blocks(doc.body.statement).map((s) => ({
      Effect: s.effect ?? "Allow",
      Action: s.actions,
      Resource: s.resources,
      Principal: blocks(s.principals).map((p) => ({ [p.type]: p.identifiers })),
      Condition: Object.fromEntries(blocks(s.condition).map((c) => [c.test, { [c.variable]: c.values }])),
    }));
  }
  // A policy built with jsonencode() or another expression cannot be read at synth.
  return undefined;
}

/**
 * A rule that looks at each resource of some types on its own: `test` returns
 * a message when the resource violates the rule, or undefined.
 */
export function resourceRule(
  meta: Omit<PolicyRule, "check">,
  types: readonly string[],
  test: (r: TfItem, tf: TfView, ctx: PolicyContext) => string | undefined,
): PolicyRule {
  return {
    ...meta,
    check: (tf, ctx) =>
      tf.resources(...types).flatMap((item) => {
        const message = test(item, tf, ctx);
        return message === undefined ? [] : [{ item, message }];
      }),
  };
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

const NO_DECISIONS: ReadonlySet<string> = new Set();

/** Evaluates `rules` on one stack's JSON. */
export function evaluate(json: TfJson, ctx: PolicyContext, rules: readonly PolicyRule[]): Violation[] {
  const tf = new TfView(json);
  const out: Violation[] = [];
  for (const rule of rules) {
    for (const f of rule.check(tf, ctx)) {
      out.push({
        rule,
        stack: ctx.stack,
        environment: ctx.environment,
        address: f.item.address,
        path: f.item.path,
        message: f.message,
        decisions: ctx.decisionsAt?.(f.item.path) ?? NO_DECISIONS,
        costOverResilience: ctx.costOverResilience ?? false,
      });
    }
  }
  return out;
}

/** Ids of the violations, in order (for tests and summaries). */
export function ruleIds(violations: readonly Violation[]): string[] {
  return violations.map((v) => v.rule.id);
}

export function formatViolation(v: Violation): string {
  return (
    `  - ${v.rule.id} [${v.rule.controls.join(", ")}] ${v.address}\n` +
    `      at ${v.path} (stack ${v.stack})\n` +
    `      ${v.message}\n` +
    `      fix: ${v.rule.fix}`
  );
}
