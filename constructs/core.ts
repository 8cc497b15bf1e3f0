/**
 * Cloud-neutral vocabulary shared by every contract and every cloud:
 * the clouds and environments we know, sizes, and the validation helpers
 * that collect every problem before anything is synthesized.
 */
import { Token } from "cdktf";
import type { IConstruct } from "constructs";

/** The clouds a stack can target. Adding one here makes the compiler ask for an implementation in `platform.ts`. */
export const CLOUDS = ["aws", "gcp", "azure"] as const;
export type Cloud = (typeof CLOUDS)[number];

/**
 * An environment name. Environments are data (the configuration's `environments`
 * map, resolved by stacks/config.ts), not a fixed list: constructs never ask which
 * environment they are in, they get decisions (sizes, HA, deletion protection) as props.
 */
export type Environment = string;

/** Environment names: lowercase letters and digits, starting with a letter (they go into resource names and state keys). */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{1,11}$/;

/** A DNS name: lowercase labels of letters, digits and hyphens, at least two labels (environment domains, HTTPS entry domains, DNS zones). */
export const DOMAIN_NAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** Cloud-neutral sizes; `sizes.ts` maps each to one SKU per cloud. */
export const SIZES = ["small", "medium", "large"] as const;
export type Size = (typeof SIZES)[number];

/** PostgreSQL major versions offered on all three clouds. */
export const POSTGRES_VERSIONS = ["15", "16", "17"] as const;
export type PostgresVersion = (typeof POSTGRES_VERSIONS)[number];

/**
 * An error in what a user wrote (configuration, props, flags, policy): its
 * message says what to fix, so the app prints it without a stack trace.
 * Anything else reaching main.ts is a bug in this project.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }

  public static isUserError(e: unknown): e is UserError {
    return e instanceof UserError;
  }
}

/** One broken rule: which field, which value, what would be accepted. */
export interface ValidationIssue {
  readonly field: string;
  readonly value: unknown;
  readonly accepted: string;
}

/** Thrown once with every issue found, so a user fixes them all in one go. */
export class ValidationError extends UserError {
  public readonly issues: readonly ValidationIssue[];

  constructor(context: string, issues: readonly ValidationIssue[]) {
    super(
      `${context}: ${issues.length} invalid input${issues.length === 1 ? "" : "s"}\n` +
        issues.map((i) => `  - ${i.field}: ${show(i.value)} is not valid; accepted: ${i.accepted}`).join("\n"),
    );
    this.name = "ValidationError";
    this.issues = issues;
  }
}

/**
 * `value` as the given cloud's class, or a ValidationError naming it (path and cloud) and what is accepted: how a
 * cloud's construct takes a network or an app tier given through a contract.
 */
export function requireKind<T>(kind: abstract new (...args: never[]) => T, value: IConstruct & { readonly cloud: string }, context: string, field: string, accepted: string): T {
  if (!(value instanceof kind)) throw new ValidationError(context, [{ field, value: `${value.node.path} (${value.cloud})`, accepted }]);
  return value;
}

function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (typeof value === "string") return `'${value}'`;
  return JSON.stringify(value);
}

/** True when `value` is a cdktf token that is only known at apply time; such values are not validated. */
export function isUnresolved(value: unknown): boolean {
  return (typeof value === "string" || typeof value === "number") && Token.isUnresolved(value);
}

/**
 * Collects issues, then throws them all at once.
 *
 * ```ts
 * const v = new Validator("VirtualMachine 'app'");
 * v.oneOf("size", props.size, SIZES);
 * v.throwIfAny();
 * ```
 */
export class Validator {
  private readonly issues: ValidationIssue[] = [];

  constructor(private readonly context: string) {}

  /** Records an issue unconditionally. */
  public add(field: string, value: unknown, accepted: string): void {
    this.issues.push({ field, value, accepted });
  }

  /** Records an issue when `ok` is false; returns `ok`. */
  public check(ok: boolean, field: string, value: unknown, accepted: string): boolean {
    if (!ok) this.add(field, value, accepted);
    return ok;
  }

  public oneOf<T extends string>(field: string, value: unknown, accepted: readonly T[]): value is T {
    if (isUnresolved(value)) return true;
    return this.check(typeof value === "string" && (accepted as readonly string[]).includes(value), field, value, `one of ${accepted.join(", ")}`);
  }

  public integer(field: string, value: unknown, min: number, max: number): boolean {
    if (isUnresolved(value)) return true;
    return this.check(
      typeof value === "number" && Number.isInteger(value) && value >= min && value <= max,
      field,
      value,
      `a whole number from ${min} to ${max}`,
    );
  }

  public number(field: string, value: unknown, min: number, max: number): boolean {
    if (isUnresolved(value)) return true;
    return this.check(
      typeof value === "number" && Number.isFinite(value) && value >= min && value <= max,
      field,
      value,
      `a number from ${min} to ${max}`,
    );
  }

  public pattern(field: string, value: unknown, re: RegExp, accepted: string): boolean {
    if (isUnresolved(value)) return true;
    return this.check(typeof value === "string" && re.test(value), field, value, accepted);
  }

  public email(field: string, value: unknown): boolean {
    return this.pattern(field, value, /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/, "an e-mail address such as team@example.com");
  }

  public get count(): number {
    return this.issues.length;
  }

  public throwIfAny(): void {
    if (this.issues.length > 0) throw new ValidationError(this.context, this.issues);
  }
}

// ---------------------------------------------------------------------------
// IPv4 CIDR arithmetic (used by the network contract; no provider involved)
// ---------------------------------------------------------------------------

export interface ParsedCidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`; returns undefined when it is not a canonical IPv4 CIDR (host bits must be zero). */
export function parseCidr(cidr: string): ParsedCidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const hostMask = prefix === 32 ? 0 : 0xffffffff >>> prefix;
  if ((base & hostMask) !== 0) return undefined;
  return { base, prefix };
}

export function formatCidr(c: ParsedCidr): string {
  const b = c.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

/** Like Terraform's `cidrsubnet(prefix, newbits, netnum)`. */
export function cidrSubnet(cidr: string, newBits: number, netNum: number): string {
  const parent = parseCidr(cidr);
  if (!parent) throw new Error(`cidrSubnet: '${cidr}' is not an IPv4 CIDR`);
  const prefix = parent.prefix + newBits;
  if (prefix > 32 || netNum < 0 || netNum >= 2 ** newBits) {
    throw new Error(`cidrSubnet: subnet ${netNum} of /${prefix} does not fit in ${cidr}`);
  }
  return formatCidr({ base: (parent.base + netNum * 2 ** (32 - prefix)) >>> 0, prefix });
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  const size = (c: ParsedCidr) => 2 ** (32 - c.prefix);
  return x.base < y.base + size(y) && y.base < x.base + size(x);
}

/** A short, stable hash (base36) used to make globally unique names deterministic. */
export function shortHash(input: string, length = 6): string {
  // FNV-1a, 32 bit: deterministic across runs and machines, no crypto import needed.
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, "0").slice(0, length);
}
