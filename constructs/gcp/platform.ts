/**
 * The GCP platform: configures the Google provider once per stack and owns
 * the pieces every GCP construct shares (API enablement, the zone list, the
 * project number, labels, naming), each created lazily on first use.
 */
import { Fn, ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DataGoogleComputeZones } from "@cdktf/provider-google/lib/data-google-compute-zones";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { BudgetProps, IBudget } from "../budget";
import { Cloud, Validator } from "../core";
import { INetwork, NetworkProps } from "../network";
import { IObjectStore, ObjectStoreProps } from "../object-store";
import { CloudPlatform, PlatformContext } from "../platform";
import { IPostgresDatabase, PostgresDatabaseProps } from "../postgres-database";
import { IVirtualMachine, VirtualMachineProps } from "../virtual-machine";
import { GcpBudget } from "./budget";
import { GcpNameKind, NamePart, gcpLabels, gcpName } from "./naming";
import { GcpNetwork } from "./network";
import { GcpObjectStore } from "./object-store";
import { GcpPostgresDatabase } from "./postgres-database";
import { GcpVirtualMachine } from "./virtual-machine";

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
} as const;
export type GcpApi = keyof typeof GCP_APIS;

/** A GCP project id: 6-30 lowercase letters, digits and hyphens, starting with a letter. */
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

export class GcpPlatform implements CloudPlatform {
  public readonly cloud: Cloud = "gcp";
  public readonly context: PlatformContext;
  public readonly provider: GoogleProvider;
  /** The GCP project every resource is created in. */
  public readonly projectId: string;
  /** `context.tags` normalized to GCP label rules; also the provider's `default_labels`. */
  public readonly labels: Readonly<Record<string, string>>;

  private readonly stack: Construct;
  private readonly services = new Map<GcpApi, ProjectService>();
  private sharedScope?: Construct;
  private zones?: DataGoogleComputeZones;
  private project?: DataGoogleProject;

  constructor(stack: Construct, context: PlatformContext) {
    const v = new Validator("GCP platform");
    v.pattern("gcp.projectId", context.gcpProjectId, PROJECT_ID, "a GCP project id: 6-30 lowercase letters, digits and hyphens, starting with a letter");
    v.throwIfAny();
    this.stack = stack;
    this.context = context;
    this.projectId = context.gcpProjectId as string;
    this.labels = gcpLabels(context.tags);
    this.provider = new GoogleProvider(stack, "google", {
      project: this.projectId,
      region: context.region,
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
    this.zones ??= new DataGoogleComputeZones(this.shared(), "zones", { region: this.context.region, status: "UP", dependsOn: this.apis("compute") });
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
      { field: "project", value: this.context.project },
      { field: "environment", value: this.context.environment },
      ...parts,
    ]);
  }

  public createNetwork(scope: Construct, id: string, props: NetworkProps): INetwork {
    return new GcpNetwork(scope, id, this, props);
  }

  public createVirtualMachine(scope: Construct, id: string, props: VirtualMachineProps): IVirtualMachine {
    return new GcpVirtualMachine(scope, id, this, props);
  }

  public createObjectStore(scope: Construct, id: string, props: ObjectStoreProps): IObjectStore {
    return new GcpObjectStore(scope, id, this, props);
  }

  public createPostgresDatabase(scope: Construct, id: string, props: PostgresDatabaseProps): IPostgresDatabase {
    return new GcpPostgresDatabase(scope, id, this, props);
  }

  public createBudget(scope: Construct, id: string, props: BudgetProps): IBudget {
    return new GcpBudget(scope, id, this, props);
  }

  private shared(): Construct {
    this.sharedScope ??= new Construct(this.stack, "gcp");
    return this.sharedScope;
  }
}
