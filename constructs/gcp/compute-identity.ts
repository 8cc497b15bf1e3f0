/**
 * GCP compute identity: a dedicated service account holding only what every
 * VM needs to ship its own logs and metrics; firewall rules target it.
 */
import { Construct } from "constructs";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ComputeIdentityProps, IComputeIdentity, validateComputeIdentityProps } from "../compute-identity";
import { GcpPrincipal } from "../grants";
import { claimName } from "../stack";
import { GcpConnections } from "./connections";
import { GcpNetwork } from "./network";
import { GcpPlatform } from "./platform";

/** Project roles every compute identity needs to ship its own logs and metrics (Ops Agent); nothing broader. */
export const GCP_COMPUTE_BASE_ROLES = ["roles/logging.logWriter", "roles/monitoring.metricWriter"];

export class GcpComputeIdentity extends Construct implements IComputeIdentity {
  public readonly cloud = "gcp" as const;
  /** The service account. */
  public readonly resource: ServiceAccount;
  public readonly network: GcpNetwork;
  public readonly connections: GcpConnections;
  public readonly grantPrincipal: GcpPrincipal;

  constructor(scope: Construct, id: string, props: ComputeIdentityProps) {
    super(scope, id);
    const platform = GcpPlatform.of(this);
    const p = validateComputeIdentityProps("gcp", id, props);
    this.network = GcpNetwork.of(p.network);
    const accountId = claimName(
      this,
      `gcp:${platform.projectId}:service-account`,
      platform.name(`ComputeIdentity '${id}'`, "serviceAccountId", { field: "computeIdentity.name", value: p.name }),
      "service account id",
    );
    this.resource = new ServiceAccount(this, "Resource", {
      accountId,
      displayName: `${platform.stack.namePrefix} ${p.name}`,
      description: `${p.description}; holds only the roles this stack grants it`,
      dependsOn: platform.apis("iam"),
    });
    this.grantPrincipal = { cloud: "gcp", email: this.resource.email, member: this.resource.member };
    // Project IAM goes through Cloud Resource Manager, a prerequisite of the project (prerequisites.ts), not an API this stack enables.
    GCP_COMPUTE_BASE_ROLES.forEach((role) => {
      new ProjectIamMember(this, `role-${role.split("/")[1].replace(/\./g, "-")}`, {
        project: platform.projectId,
        role,
        member: this.grantPrincipal.member,
      });
    });
    this.connections = new GcpConnections(this, { network: this.network.networkId, serviceAccounts: [this.resource.email] });
  }
}
