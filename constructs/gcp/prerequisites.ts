/**
 * What must exist in a GCP project before the first `plan`, and what
 * Terraform cannot create itself: provider-free data, so the wrapper
 * (scripts/cdktf.js) can check it and the docs can list it.
 *
 * Why each is needed (terraform-provider-google v6.50.0):
 * - The provider runs with `user_project_override = true` and
 *   `billing_project = <project>` (transport/config.go `LoadAndValidate`):
 *   every request carries `X-Goog-User-Project: <project>`, so every API the
 *   provider calls must be enabled in the project itself.
 * - `data.google_project` (the budget's project number) calls Cloud Resource
 *   Manager `projects.get` at plan time; every `google_project_service` calls it
 *   in Read after enabling (resourcemanager/resource_google_project_service.go),
 *   and enables through Service Usage. Neither API can therefore be enabled by
 *   `google_project_service` (hashicorp/terraform-provider-google#11435, #16883).
 * - The provider does not retry `403 SERVICE_DISABLED` (transport/error_retry_predicates.go):
 *   an API enabled by the stack seconds before its first use may still refuse
 *   it while the enablement propagates. Enabling the stack's APIs up front with
 *   gcloud (which waits for the operation) removes that race; it is recommended,
 *   not required (a re-run converges).
 * - The project and its billing link are not created by these stacks.
 */
import { PlatformConfig, gcpProjectId } from "../config";
import { GCP_APIS, GCP_PREREQUISITE_APIS } from "./apis";

export interface GcpPrerequisite {
  /** Stable id, for the wrapper's messages (`gcp-apis`, ...). */
  readonly id: string;
  /** What must be true. */
  readonly what: string;
  /** Why Terraform cannot do it itself, or what fails without it. */
  readonly why: string;
  /** A command that prints `expect` (exactly, one value per line, in any order) when the prerequisite holds. */
  readonly check: string;
  readonly expect: readonly string[];
  /** The command that makes it hold. */
  readonly fix: string;
  /** Required: the first plan fails without it. Otherwise recommended (the first apply may need a re-run). */
  readonly required: boolean;
}

/** The prerequisites of the GCP stacks of `environment`, in the order to satisfy them. */
export function gcpPrerequisites(config: PlatformConfig, environment: string): GcpPrerequisite[] {
  const project = gcpProjectId(config, environment);
  const prerequisiteApis = Object.values(GCP_PREREQUISITE_APIS);
  const stackApis = Object.values(GCP_APIS);
  const enabledFilter = (apis: readonly string[]) => apis.map((a) => `config.name=${a}`).join(" OR ");
  return [
    {
      id: "gcp-project-billing",
      what: `project ${project} exists and is linked to billing account ${config.gcp.billingAccount}`,
      why: "the stacks create resources in an existing project; Cloud SQL, Compute Engine and the budget need billing",
      check: `gcloud billing projects describe ${project} --format="value(billingEnabled)"`,
      expect: ["True"],
      fix: `gcloud billing projects link ${project} --billing-account=${config.gcp.billingAccount}`,
      required: true,
    },
    {
      id: "gcp-billing-currency",
      what: `billing account ${config.gcp.billingAccount} is billed in ${config.budget.currency} (budget.currency)`,
      why: "the budget's amount is sent with budget.currency, and the Budget API refuses (400) a currency other than the billing account's: the budget alone would fail at apply",
      check: `gcloud billing accounts describe ${config.gcp.billingAccount} --format="value(currencyCode)"`,
      expect: [config.budget.currency],
      fix: `set budget.currency to the billing account's currency in platform.config.json`,
      required: false,
    },
    {
      id: "gcp-bootstrap-apis",
      what: `${prerequisiteApis.join(" and ")} are enabled in ${project}`,
      why: "the provider needs Cloud Resource Manager at plan time (data.google_project) and after every API enablement, and enables APIs through Service Usage; google_project_service cannot enable either",
      check: `gcloud services list --enabled --project=${project} --filter="${enabledFilter(prerequisiteApis)}" --format="value(config.name)"`,
      expect: prerequisiteApis,
      fix: `gcloud services enable ${prerequisiteApis.join(" ")} --project=${project}`,
      required: true,
    },
    {
      id: "gcp-stack-apis",
      what: `the APIs the stacks enable are already on in ${project}: ${stackApis.join(", ")}`,
      why: "the provider does not retry an API that is still being enabled: the first apply on a fresh project may fail once and need a re-run without this",
      check: `gcloud services list --enabled --project=${project} --filter="${enabledFilter(stackApis)}" --format="value(config.name)"`,
      expect: stackApis,
      fix: `gcloud services enable ${stackApis.join(" ")} --project=${project}`,
      required: false,
    },
  ];
}

/**
 * What a full destroy of a GCP platform stack leaves behind, and how to remove it.
 *
 * `google_service_networking_connection` is abandoned on destroy (`deletion_policy = "ABANDON"`):
 * the API refuses to delete the connection while Cloud SQL still holds producer resources, which it
 * keeps for days after the instance is deleted (so the instance can be restored), and v6.50.0 has no
 * delete that removes only the peering. The VPC peering `servicenetworking-googleapis-com` therefore
 * stays on the network, and the delete of the private services range and of the network fails until
 * it is removed. Removing it from the consumer side is always allowed: run this after the destroy
 * stopped at the network (or before it, once the database is gone), then run the destroy again.
 */
export function gcpServiceNetworkingTeardown(projectId: string, networkName: string): string {
  return `gcloud compute networks peerings delete servicenetworking-googleapis-com --network=${networkName} --project=${projectId} --quiet`;
}
