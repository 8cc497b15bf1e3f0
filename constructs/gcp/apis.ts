/**
 * The Google APIs a GCP stack uses, by short name, in a provider-free module
 * (the prerequisites, the provider facts and the platform share it).
 *
 * Two kinds:
 * - `GCP_APIS`: enabled by the stack itself (`google_project_service`, created
 *   lazily by the platform when a construct asks for it); every resource that
 *   calls one of them depends on its enablement.
 * - `GCP_PREREQUISITE_APIS`: the ones Terraform cannot enable for itself.
 *   `google_project_service` reads the project through Cloud Resource Manager
 *   after every create and enables through Service Usage, and the provider
 *   bills every call to the project (`user_project_override`), so both must be
 *   on before the first plan (constructs/gcp/prerequisites.ts).
 */

/** APIs the stack enables with `google_project_service` (never disabled on destroy). */
export const GCP_APIS = {
  compute: "compute.googleapis.com",
  iam: "iam.googleapis.com",
  servicenetworking: "servicenetworking.googleapis.com",
  sqladmin: "sqladmin.googleapis.com",
  storage: "storage.googleapis.com",
  logging: "logging.googleapis.com",
  monitoring: "monitoring.googleapis.com",
  billingbudgets: "billingbudgets.googleapis.com",
  secretmanager: "secretmanager.googleapis.com",
  dns: "dns.googleapis.com",
  iap: "iap.googleapis.com",
} as const;
export type GcpApi = keyof typeof GCP_APIS;

/** APIs that must be enabled before the first plan: Terraform cannot enable them (hashicorp/terraform-provider-google#11435, #16883). */
export const GCP_PREREQUISITE_APIS = {
  cloudresourcemanager: "cloudresourcemanager.googleapis.com",
  serviceusage: "serviceusage.googleapis.com",
} as const;
export type GcpPrerequisiteApi = keyof typeof GCP_PREREQUISITE_APIS;

/** Any API a resource may call. */
export type AnyGcpApi = GcpApi | GcpPrerequisiteApi;

export function isPrerequisiteApi(api: AnyGcpApi): api is GcpPrerequisiteApi {
  return api in GCP_PREREQUISITE_APIS;
}
