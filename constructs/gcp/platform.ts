/**
 * The GCP platform: configures the Google provider once per stack and owns
 * the pieces every GCP construct shares (API enablement, the zone list, the
 * project number, labels, naming), each created lazily on first use.
 */
import { Fn, ITerraformDependable } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { DataGoogleComputeZones } from "@cdktf/provider-google/lib/data-google-compute-zones";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { gcpProjectId } from "../config";
import { CloudPlatform, platformOf } from "../platform";
import { CloudStack } from "../stack";
import { GcpNameKind, NamePart, gcpLabels, gcpName } from "./naming";

/**
 * Google APIs the platform may enable, by short name. Only the APIs a stack
 * actually uses are enabled (each construct asks for its own).
 */
export const GCP_APIS = {
  compute: "compute.googleapis.com",
  iam: "iam.googleapis.com",
  cloudresourcemanager: "cloudresourcemanager.googleapis.com",
  servicenetworking: "servicenetworking.googleapis.com",
  sqladmin: "sqladmin.googleapis.com",
  storage: "storage.googleapis.com",
  logging: "logging.googleapis.com",
  monitoring: "monitoring.googleapis.com",
  billingbudgets: "billingbudgets.googleapis.com",
  dns: "dns.googleapis.com",
  iap: "iap.googleapis.com",
} as const;
export type GcpApi = keyof typeof GCP_APIS;

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

  private readonly services = new Map<GcpApi, ProjectService>();
  private sharedScope?: Construct;
  private zones?: DataGoogleComputeZones;
  private project?: DataGoogleProject;

  /** The configuration validated the project id and billing account (constructs/config.ts). */
  constructor(public readonly stack: CloudStack) {
    this.projectId = gcpProjectId(stack.config, stack.environment);
    this.region = stack.region;
    this.labels = gcpLabels(stack.tags);
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

  /** First zone that is UP in the region (never a hard-coded zone letter). */
  public get primaryZone(): string {
    this.zones ??= new DataGoogleComputeZones(this.shared(), "zones", { region: this.region, status: "UP", dependsOn: this.apis("compute") });
    return Fn.element(this.zones.names, 0);
  }

  /** The project number (budget filters and some IAM members need it instead of the id). */
  public get projectNumber(): string {
    this.project ??= new DataGoogleProject(this.shared(), "project", { projectId: this.projectId });
    return this.project.number;
  }

  /** `<project>-<environment>-<parts...>`, checked against the GCP rules for `kind` and shortened with a hash when too long. */
  public name(context: string, kind: GcpNameKind, ...parts: NamePart[]): string {
    return gcpName(context, kind, [
      { field: "project", value: this.stack.config.project },
      ...(this.stack.component ? [{ field: "component", value: this.stack.component }] : []),
      { field: "environment", value: this.stack.environment },
      ...parts,
    ]);
  }

  private shared(): Construct {
    this.sharedScope ??= new Construct(this.stack, "gcp");
    return this.sharedScope;
  }
}
