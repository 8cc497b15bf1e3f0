/**
 * ComputeIdentity contract: the identity and network identity that compute
 * runs as. A VM, an app tier, or a compute kind of your own composes one and
 * exposes it, so every grant (`bucket.grantRead(x)`) and every connection
 * (`database.allowConnectionsFrom(x)`) works for it on every cloud without
 * knowing what kind of compute it is.
 *
 * - AWS: an IAM role (with an instance profile) and a security group in the VPC.
 * - GCP: a service account; firewall rules target it.
 * - Azure: a user-assigned managed identity and an application security group.
 *
 * It starts with no permissions and admits no traffic: both come only from
 * grants and connections.
 */
import { TerraformResource } from "cdktf";
import { Cloud, Validator } from "./core";
import { IConnectable } from "./connections";
import { IGrantable } from "./grants";
import { INetwork, checkNetworkCloud } from "./network";

export interface ComputeIdentityProps {
  /** The network the compute runs in (its security group / firewall rules / NSG rules live there). */
  readonly network: INetwork;
  /**
   * Short name of what runs as this identity, used in its cloud names (role, service account, identity).
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * What runs as this identity, for the descriptions the clouds show.
   * @default - "Identity of <name>"
   */
  readonly description?: string;
}

export interface IComputeIdentity extends IConnectable, IGrantable {
  readonly cloud: Cloud;
  /** The IAM role / service account / managed identity (construct id `Resource`). */
  readonly resource: TerraformResource;
  readonly network: INetwork;
}

/** A compute identity's name (it goes into role, service account and identity names); a VM's or app tier's id is one. */
export const COMPUTE_IDENTITY_NAME = /^[a-z][a-z0-9-]{0,19}[a-z0-9]$/;

export type ResolvedComputeIdentityProps = Required<ComputeIdentityProps>;

/** The one validation of identity props, called by every cloud's implementation. */
export function validateComputeIdentityProps(cloud: Cloud, id: string, props: ComputeIdentityProps): ResolvedComputeIdentityProps {
  const name = props.name ?? id;
  const r: ResolvedComputeIdentityProps = { network: props.network, name, description: props.description ?? `Identity of ${name}` };
  const v = new Validator(`ComputeIdentity '${id}' (${cloud})`);
  checkNetworkCloud(v, "computeIdentity.network", r.network, cloud);
  v.pattern("computeIdentity.name", r.name, COMPUTE_IDENTITY_NAME, "2-21 lowercase letters, digits and hyphens, starting with a letter (it goes into role, service account and identity names)");
  v.check(typeof r.description === "string" && r.description.length > 0 && r.description.length <= 200, "computeIdentity.description", r.description, "1-200 characters");
  v.throwIfAny();
  return r;
}
