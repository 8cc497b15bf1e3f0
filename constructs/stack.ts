/**
 * The stack bases every platform stack extends.
 *
 * `CheckedStack`: a stack whose Terraform JSON is resolved once, checked, and
 * then written exactly as checked. Every checked stack of an App is checked
 * together, after cdktf prepared the last of them and before it writes the
 * first: the policy rules, the uniqueness of state keys and of names the
 * clouds want unique. One error lists every problem; nothing is written.
 * This runs inside cdktf's own `App.synth()`, so there is no way to build a
 * checked stack that skips it. After the check the stack is sealed: an
 * override or a new construct throws instead of being silently dropped.
 *
 * `CloudStack`: a checked stack for one cloud and one environment. It owns the
 * S3 backend (state key from the stack's identity), the required Terraform
 * version, the cloud's platform (provider, shared lazy resources) and the
 * typed construct kit, and finds itself from any scope with `CloudStack.of`.
 * Model: TerraConstructs `AwsStack`.
 */
import { performance } from "perf_hooks";
import { TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
// cdktf's own resolver and merge, used exactly as TerraformStack.toTerraform uses them (see CheckedStack.seal).
import { resolve } from "cdktf/lib/_tokens";
import { deepMerge } from "cdktf/lib/util";
// cdktf's synthesizer applies a stack's aspects with it at write time; they run here first, so they must be idempotent.
import { invokeAspects } from "cdktf/lib/synthesize/synthesizer";
import { resolveFast } from "./fast-resolve";
import { Construct, IConstruct } from "constructs";
import { Cloud, UserError, ValidationError, ValidationIssue, Validator } from "./core";
import { EnvironmentProfile, PlatformConfig, profileOf, regionOf } from "./config";
import { addStateBackend } from "./backend";
import { CloudKit, CloudPlatform, KITS } from "./platform";
import { checkStacks, PolicyError, PolicyReport, summaryLines } from "./policy";

/** 1.11: write-only attributes keep database passwords out of the state (1.10: ephemeral values, S3 use_lockfile). */
export const TERRAFORM_REQUIRED_VERSION = ">= 1.11.0";

// ---------------------------------------------------------------------------
// Per-App registry: claimed names, policy decisions, where the summary goes
// ---------------------------------------------------------------------------

/** A name that must be unique within a cloud namespace (global bucket names, account-wide role names, ...). */
interface NameClaim {
  readonly namespace: string;
  readonly name: string;
  readonly path: string;
  readonly field: string;
}

interface AppRegistry {
  readonly names: NameClaim[];
  /** Construct path of a resource -> decisions recorded on it (see `recordDecision`). */
  readonly decisions: Map<string, Set<string>>;
  readonly prepared: Set<CheckedStack>;
  /** Every checked stack of the App, in construction order. */
  readonly stacks: CheckedStack[];
  checked: boolean;
  /** How long the last check took (benchmarks report it apart from cdktf's own work). */
  checkMs?: number;
  log: (line: string) => void;
}

const registries = new WeakMap<IConstruct, AppRegistry>();

function registry(scope: IConstruct): AppRegistry {
  const root = scope.node.root;
  let r = registries.get(root);
  if (!r) {
    r = { names: [], decisions: new Map(), prepared: new Set(), stacks: [], checked: false, log: (line) => process.stderr.write(`${line}\n`) };
    registries.set(root, r);
  }
  return r;
}

/** How long the app-wide check of this App took, once it ran (bench/scale.ts). */
export function checkDurationMs(app: IConstruct): number | undefined {
  return registry(app).checkMs;
}

/** Where the check's summary lines go for this App (default: stderr). */
export function setCheckLog(app: IConstruct, log: (line: string) => void): void {
  registry(app).log = log;
}

/**
 * Claims `name` in `namespace` (e.g. `aws:s3-bucket`, `azure:storage-account`)
 * for the construct at `scope`. Two claims of the same name in one namespace
 * fail the App's check, naming both construct paths.
 */
export function claimName(scope: IConstruct, namespace: string, name: string, field: string): string {
  registry(scope).names.push({ namespace, name, path: scope.node.path, field });
  return name;
}

/**
 * Records on `resource` a decision that deliberately trades a secure default
 * for cost or a cloud limitation (e.g. `single-zone-database`). Policy
 * exemptions attach to these decisions, not to construct paths or
 * environment names (constructs/policy/exemptions.ts).
 */
export function recordDecision(resource: IConstruct, decision: string): void {
  const decisions = registry(resource).decisions;
  const set = decisions.get(resource.node.path) ?? new Set<string>();
  set.add(decision);
  decisions.set(resource.node.path, set);
}

/** The decisions recorded on the resource at `path` (for the policy check and tests). */
export function decisionsAt(scope: IConstruct, path: string): ReadonlySet<string> {
  return registry(scope).decisions.get(path) ?? new Set();
}

// ---------------------------------------------------------------------------
// CheckedStack
// ---------------------------------------------------------------------------

export abstract class CheckedStack extends TerraformStack {
  private sealedJson?: Record<string, unknown>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    registry(this).stacks.push(this);
  }

  /** Whether trade-off decisions are accepted here (constructs/config.ts `costOverResilience`). Shared stacks accept none. */
  public get costOverResilience(): boolean {
    return false;
  }

  /** Environment, for the policy report. Shared stacks have none. */
  public get environmentName(): string | undefined {
    return undefined;
  }

  public get cloudName(): Cloud | undefined {
    return undefined;
  }

  /** Each element's Terraform JSON from the preparing resolve, reused when the stack is sealed. */
  private readonly preparedFragments = new Map<TerraformElement, unknown>();

  /**
   * cdktf prepares every stack before it writes any: the last checked stack to be prepared checks them all.
   *
   * What TerraformStack.prepareStack does (a backend, then a "preparing" resolve of every element, which
   * creates the outputs and remote-state lookups of cross-stack references), keeping each element's
   * result: a preparing resolve returns exactly what the later resolve of `toTerraform` would (only
   * cross-stack references behave differently while preparing, and they resolve to the same text), so
   * sealing does not resolve every element a second time.
   */
  public prepareStack(): void {
    // Prepared and checked already (an App that prepares its stacks before cdktf's synth prepares them again).
    if (this.sealed) return;
    // Aspects first: what they change must be in the resolved fragments (cdktf runs them again at write time).
    invokeAspects(this);
    this.ensureBackendExists();
    for (const element of terraformElementsOf(this)) this.preparedFragments.set(element, resolveFast(this, element.toTerraform(), true));
    const r = registry(this);
    r.prepared.add(this);
    if (!r.checked && r.prepared.size === r.stacks.length && r.stacks.every((s) => r.prepared.has(s))) {
      r.checked = true;
      checkApp(this.node.root, r.stacks);
    }
  }

  /** Resolves the stack once and keeps the result; later `toTerraform()` calls (synth) return it. Locks the stack. */
  public seal(): Record<string, unknown> {
    if (this.sealedJson) return this.sealedJson;
    this.sealedJson = this.resolveOnce();
    const refuse = (what: string) => () => {
      throw new UserError(
        `${what} on '${this.node.path}' after the stack was checked and sealed: it would not reach the written Terraform. Make changes in the stack's constructor (or in an Aspect), before synth.`,
      );
    };
    for (const el of this.node.findAll().filter((c): c is TerraformElement => c instanceof TerraformElement)) {
      Object.assign(el, { addOverride: refuse("addOverride"), overrideLogicalId: refuse("overrideLogicalId"), resetOverrideLogicalId: refuse("resetOverrideLogicalId") });
    }
    this.node.lock();
    return this.sealedJson;
  }

  /**
   * TerraformStack.toTerraform, step for step, with the prepared fragments in place of a second resolve of
   * each element (elements added while other stacks were prepared, cross-stack outputs and remote-state
   * lookups, are resolved here), and without a third resolve of what is resolved already. __tests__/stack-seal.test.ts holds it equal to `super.toTerraform()`.
   */
  private resolveOnce(): Record<string, unknown> {
    if (this.preparedFragments.size === 0) return super.toTerraform() as Record<string, unknown>;
    const self = this as unknown as { cdktfVersion: string; rawOverrides: Record<string, unknown> };
    const metadata: Record<string, unknown> = {
      version: self.cdktfVersion,
      stackName: this.node.id,
      backend: "local",
      cloud: undefined,
      ...(Object.keys(self.rawOverrides).length > 0 ? { overrides: { stack: Object.keys(self.rawOverrides) } } : {}),
    };
    const elements = terraformElementsOf(this);
    for (const e of elements) deepMerge(metadata, resolve(this, e.toMetadata()));
    const outputs: Record<string, unknown> = {};
    for (const e of elements) {
      if (!TerraformOutput.isTerraformOutput(e)) continue;
      deepMerge(
        outputs,
        e.node.path.split("/").reduceRight<Record<string, unknown>>((inner, part) => (Object.keys(inner).length === 0 ? { [part]: e.friendlyUniqueId } : { [part]: inner }), {}),
      );
    }
    const tf: Record<string, unknown> = { "//": { metadata, outputs } };
    for (const e of elements) deepMerge(tf, this.preparedFragments.has(e) ? this.preparedFragments.get(e) : resolveFast(this, e.toTerraform()));
    deepMerge(tf, self.rawOverrides);
    this.preparedFragments.clear();
    // cdktf resolves the whole merged document once more; everything in it is resolved already except what the
    // stack's raw overrides put there (resolving resolved JSON returns it unchanged), so only those blocks are.
    for (const key of Object.keys(self.rawOverrides)) {
      if (tf[key] !== undefined) tf[key] = resolveFast(this, tf[key]);
    }
    return tf;
  }

  public get sealed(): boolean {
    return this.sealedJson !== undefined;
  }

  public addOverride(path: string, value: unknown): void {
    if (this.sealed) {
      throw new UserError(`addOverride('${path}') on stack '${this.node.id}' after it was checked and sealed: make it in the stack's constructor, before synth.`);
    }
    super.addOverride(path, value);
  }

  public toTerraform(): any {
    return this.sealedJson ?? super.toTerraform();
  }
}

/** The Terraform elements of `stack`, not of stacks nested in it: cdktf's own order (depth first, children in order). */
function terraformElementsOf(scope: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(scope)) into.push(scope);
  for (const child of scope.node.children) if (!TerraformStack.isStack(child)) terraformElementsOf(child, into);
  return into;
}

/** Thrown when checked stacks conflict (state keys, names): every conflict at once. */
export class StackConflictError extends ValidationError {}

/**
 * Seals every checked stack (aspects applied), then checks them together:
 * unique state keys, unique claimed names, and the policy rules. Throws one
 * error with everything found; prints the policy summary once.
 */
export function checkApp(root: IConstruct, stacks: readonly CheckedStack[]): PolicyReport {
  const started = performance.now();
  const r = registry(root);
  for (const s of stacks) invokeAspects(s);
  const issues: ValidationIssue[] = [];

  const keys = new Map<string, CloudStack>();
  for (const s of stacks) {
    if (!(s instanceof CloudStack)) continue;
    const other = keys.get(s.stateKey);
    if (other) issues.push({ field: `state key of stack '${s.node.id}'`, value: s.stateKey, accepted: `a key no other stack uses ('${other.node.id}' uses it): give the stack its own component name` });
    keys.set(s.stateKey, s);
  }
  const seen = new Map<string, NameClaim>();
  for (const c of r.names) {
    const k = `${c.namespace}\u0000${c.name}`;
    const other = seen.get(k);
    if (other && other.path !== c.path) {
      issues.push({ field: `${c.field} at ${c.path}`, value: c.name, accepted: `a name not already taken by ${other.path} (${c.namespace} names must be unique): give one stack its own component name, or the construct another id` });
    } else seen.set(k, c);
  }
  if (issues.length > 0) throw new StackConflictError("Stacks of this app", issues);

  const report = checkStacks(
    stacks.map((s) => ({
      json: s.seal(),
      ctx: { stack: s.node.id, environment: s.environmentName, cloud: s.cloudName, costOverResilience: s.costOverResilience, decisionsAt: (p: string) => decisionsAt(root, p) },
    })),
  );
  r.checkMs = performance.now() - started;
  summaryLines(report).forEach(r.log);
  if (report.violations.length > 0) throw new PolicyError(report);
  return report;
}

// ---------------------------------------------------------------------------
// CloudStack
// ---------------------------------------------------------------------------

export interface CloudStackProps {
  readonly cloud: Cloud;
  /** An environment of the configuration (its profile drives sizes, HA, protection). */
  readonly environment: string;
  readonly config: PlatformConfig;
  /**
   * What this stack deploys, when a cloud and environment hold more than one
   * stack (e.g. `worker`). It is part of the stack name (`worker-aws-staging`),
   * the state key and every resource name, so two stacks never collide.
   * @default - none: the stack is `<cloud>-<environment>`
   */
  readonly component?: string;
  /**
   * The stack's construct id (its directory under `cdktf.out/stacks/`), for programs that build many copies.
   * @default - `stackName(cloud, environment, component)`
   */
  readonly stackId?: string;
}

/** `[<component>-]<cloud>-<environment>`: `aws-staging`, `worker-gcp-production`. */
export function stackName(cloud: Cloud, environment: string, component?: string): string {
  return component ? `${component}-${cloud}-${environment}` : `${cloud}-${environment}`;
}

/** `<project>/<environment>/<cloud>/[<component>/]terraform.tfstate`: unique per stack identity, readable in the bucket. */
export function stateKey(project: string, environment: string, cloud: Cloud, component?: string): string {
  return `${project}/${environment}/${cloud}/${component ? `${component}/` : ""}terraform.tfstate`;
}

const COMPONENT = /^[a-z][a-z0-9]{1,11}$/;

export class CloudStack extends CheckedStack {
  /** The CloudStack that `scope` belongs to; fails clearly when it is in none (plain TerraformStack). */
  public static of(scope: IConstruct): CloudStack {
    let c: IConstruct | undefined = scope;
    while (c) {
      if (c instanceof CloudStack) return c;
      c = c.node.scope;
    }
    throw new ValidationError(`Construct '${scope.node.path}'`, [
      { field: "scope", value: scope.node.path, accepted: "a scope inside a CloudStack (extend CloudStack for your stack: it brings the provider, backend and policy check)" },
    ]);
  }

  public readonly cloud: Cloud;
  public readonly environment: string;
  public readonly profile: EnvironmentProfile;
  public readonly config: PlatformConfig;
  public readonly component?: string;
  /** `<project>-[<component>-]<environment>`: the prefix of every name this stack gives a resource. */
  public readonly namePrefix: string;
  public readonly stateKey: string;
  /** The cloud's region (AWS region, GCP region, Azure location). */
  public readonly region: string;
  /** Tags/labels for every taggable resource, before each cloud's normalization. */
  public readonly tags: Readonly<Record<string, string>>;
  /** The cloud's platform: provider and shared resources (narrow with `cloud` or use `onCloud`). */
  public readonly platform: CloudPlatform;
  /** The cloud's implementation of every contract: `const { Network } = this.kit; new Network(this, "network", {...})`. */
  public readonly kit: CloudKit;

  constructor(scope: Construct, props: CloudStackProps) {
    const v = new Validator("Stack");
    if (props.component !== undefined) v.pattern("component", props.component, COMPONENT, "2-12 lowercase letters and digits, starting with a letter");
    v.check(props.config.clouds.includes(props.cloud), "cloud", props.cloud, `a cloud enabled in the configuration (${props.config.clouds.join(", ")})`);
    v.throwIfAny();
    super(scope, props.stackId ?? stackName(props.cloud, props.environment, props.component));
    const { cloud, environment, config, component } = props;
    this.cloud = cloud;
    this.environment = environment;
    this.profile = profileOf(config, environment);
    this.config = config;
    this.component = component;
    this.namePrefix = component ? `${config.project}-${component}-${environment}` : `${config.project}-${environment}`;
    this.stateKey = stateKey(config.project, environment, cloud, component);
    this.region = regionOf(config, cloud);
    this.tags = {
      ...config.tags,
      Project: config.project,
      Environment: environment,
      ...(component ? { Component: component } : {}),
      ManagedBy: "cdktf",
    };

    addStateBackend(this, config.backend, this.stateKey);
    this.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);

    this.kit = KITS[cloud]();
    this.platform = this.kit.createPlatform(this);
  }

  public get costOverResilience(): boolean {
    return this.profile.costOverResilience;
  }

  public get environmentName(): string {
    return this.environment;
  }

  public get cloudName(): Cloud {
    return this.cloud;
  }
}
