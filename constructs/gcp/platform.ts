/**
 * The GCP platform: configures the Google provider once per stack and owns
 * the pieces every GCP construct shares (API enablement, the zones, the
 * project number, the project-wide storage and IAP audit settings, labels, naming),
 * each created lazily on first use.
 */
import { ITerraformDependable } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import { ProjectIamAuditConfig } from "@cdktf/provider-google/lib/project-iam-audit-config";
import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { PlatformConfig, gcpProjectId } from "../config";
import { CloudPlatform, platformOf } from "../platform";
import { CloudStack } from "../stack";
import { GCP_APIS, GcpApi } from "./apis";
import { GcpNameKind, NamePart, gcpLabels, gcpName } from "./naming";
import { gcpZones } from "./zones";

export { GCP_APIS, GcpApi } from "./apis";

/** The Data Access audit logs that record who reads and writes objects (Cloud Storage's own audit service). */
export const GCP_STORAGE_AUDIT = { service: "storage.googleapis.com", logTypes: ["DATA_READ", "DATA_WRITE"] } as const;

/** The audit logs that record who opened which IAP TCP forwarding tunnel (operator access). */
export const GCP_IAP_AUDIT = { service: "iap.googleapis.com", logTypes: ["ADMIN_READ", "DATA_READ"] } as const;

/**
 * The environment whose primary stack writes the project-wide settings of `projectId`
 * (`google_project_iam_audit_config` is authoritative per service: two stacks writing it
 * would undo each other on destroy). Among the environments deployed into the project,
 * the first with deletion protection, else the first; component stacks (`worker`) never do.
 */
export function projectSettingsOwner(config: PlatformConfig, projectId: string): string | undefined {
  const envs = environmentsOf(config, projectId);
  return envs.find((e) => config.environments[e].deletionProtection) ?? envs[0];
}

/** Whether an environment deployed into `projectId` gives operators access (its profile's `operatorAccess`). */
export function projectHasOperatorAccess(config: PlatformConfig, projectId: string): boolean {
  return environmentsOf(config, projectId).some((e) => config.environments[e].operatorAccess);
}

function environmentsOf(config: PlatformConfig, projectId: string): string[] {
  return Object.keys(config.environments).filter((e) => gcpProjectId(config, e) === projectId);
}

export class GcpPlatform implements CloudPlatform {
  /** The GCP platform of the stack `scope` is in; fails when the stack is not a GCP CloudStack. */
  public static of(scope: IConstruct): GcpPlatform {
    return platformOf<GcpPlatform>(scope, "gcp", CloudStack.of(scope));
  }

  public readonly cloud = "gcp" as const;
  public readonly provider: GoogleProvider;
  public readonly region: string;
  /** The GCP project every resource is created in. */
  public readonly projectId: string;
  /** `context.tags` normalized to GCP label rules; also the provider's `default_labels`. */
  public readonly labels: Readonly<Record<string, string>>;

  /** The region's zones, from the zone table (constructs/gcp/zones.ts): the same on every plan. */
  public readonly zones: readonly string[];

  private readonly services = new Map<GcpApi, ProjectService>();
  private sharedScope?: Construct;
  private project?: DataGoogleProject;
  private storageAudit?: ProjectIamAuditConfig;
  private iapAudit?: ProjectIamAuditConfig;

  /** The configuration validated the project id and billing account (constructs/config.ts). */
  constructor(public readonly stack: CloudStack) {
    this.projectId = gcpProjectId(stack.config, stack.environment);
    this.region = stack.region;
    this.labels = gcpLabels(stack.tags);
    this.zones = gcpZones(this.region);
    this.provider = new GoogleProvider(stack, "google", {
      project: this.projectId,
      region: stack.region,
      // Budgets and other billing-side APIs need a quota project when run with user credentials.
      userProjectOverride: true,
      billingProject: this.projectId,
    });
    // Set as an override: cdktf snake-cases the keys of provider maps (managed-by would become managed_by).
    this.provider.addOverride("default_labels", { ...this.labels });
  }

  /** Enables the given APIs (each once per stack) and returns them, for `dependsOn`. */
  public apis(...names: GcpApi[]): ITerraformDependable[] {
    return names.map((name) => {
      let service = this.services.get(name);
      if (!service) {
        service = new ProjectService(this.shared(), `api-${name}`, {
          service: GCP_APIS[name],
          // Turning an API off on destroy breaks other users of the project and in-flight deletes.
          disableOnDestroy: false,
          disableDependentServices: false,
        });
        this.services.set(name, service);
      }
      return service;
    });
  }

  /**
   * The zone single-zone resources go into: the first of the region's zone table. A constant,
   * so a zone outage or a deferred data source read never plans a replacement (zone is ForceNew).
   */
  public get primaryZone(): string {
    return this.zones[0];
  }

  /**
   * The project number (budget filters need it instead of the id). Read at plan time through
   * Cloud Resource Manager, which is a prerequisite (prerequisites.ts), so it depends on no API resource.
   */
  public get projectNumber(): string {
    this.project ??= new DataGoogleProject(this.shared(), "project", { projectId: this.projectId });
    return this.project.number;
  }

  /** Whether this stack writes the project-wide settings of its project (`projectSettingsOwner`). */
  public get ownsProjectSettings(): boolean {
    return this.stack.component === undefined && projectSettingsOwner(this.stack.config, this.projectId) === this.stack.environment;
  }

  /**
   * Data Access audit logs (DATA_READ, DATA_WRITE) for Cloud Storage in the project: every object
   * read and write is logged with the caller's identity. Written once per project, by the stack that
   * owns the project settings; returns undefined in the other stacks (their buckets are covered by
   * the owner's setting).
   */
  public storageAccessAudit(): ProjectIamAuditConfig | undefined {
    if (!this.ownsProjectSettings) return undefined;
    this.storageAudit ??= this.auditConfig("storage-data-access-audit", GCP_STORAGE_AUDIT);
    return this.storageAudit;
  }

  /**
   * Data Access audit logs of IAP (ADMIN_READ, DATA_READ) for the project: who opened which TCP forwarding
   * tunnel. Project-wide and authoritative per service like the storage setting, so one stack per project
   * writes it, and destroying another stack never turns it off:
   * - the stack that owns the project settings, when a tier of it asks for operator access or when any
   *   environment deployed into the project has operator access in its profile (the owner writes it for
   *   them: call this from every app tier, `asked` or not);
   * - else the stack of a tier that asks, when no profile of the project has operator access (no owner
   *   would write it).
   * Returns undefined when this stack does not write it.
   */
  public operatorAccessAudit(asked: boolean): ProjectIamAuditConfig | undefined {
    const byProfile = projectHasOperatorAccess(this.stack.config, this.projectId);
    const writes = this.ownsProjectSettings ? asked || byProfile : asked && !byProfile;
    if (!writes) return undefined;
    this.iapAudit ??= this.auditConfig("iap-data-access-audit", GCP_IAP_AUDIT);
    return this.iapAudit;
  }

  /** `<project>-<environment>-<parts...>`, checked against the GCP rules for `kind` and shortened with a hash when too long. */
  public name(context: string, kind: GcpNameKind, ...parts: NamePart[]): string {
    return this.nameWithRoom(context, kind, 0, ...parts);
  }

  /** Like `name`, leaving `reserve` characters free for a suffix added at apply time. */
  public nameWithRoom(context: string, kind: GcpNameKind, reserve: number, ...parts: NamePart[]): string {
    return gcpName(
      context,
      kind,
      [
        { field: "project", value: this.stack.config.project },
        ...(this.stack.component ? [{ field: "component", value: this.stack.component }] : []),
        { field: "environment", value: this.stack.environment },
        ...parts,
      ],
      reserve,
    );
  }

  /** The project's audit log setting for one service (authoritative per service: one writer per project). */
  private auditConfig(id: string, audit: { readonly service: string; readonly logTypes: readonly string[] }): ProjectIamAuditConfig {
    return new ProjectIamAuditConfig(this.shared(), id, {
      project: this.projectId,
      service: audit.service,
      auditLogConfig: audit.logTypes.map((logType) => ({ logType })),
    });
  }

  private shared(): Construct {
    this.sharedScope ??= new Construct(this.stack, "gcp");
    return this.sharedScope;
  }
}
