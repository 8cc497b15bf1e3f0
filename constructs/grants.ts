/**
 * Grants: anything with a cloud identity is `IGrantable`. The resource that is
 * accessed writes the grant (`bucket.grantRead(grantee)`); the grantee only
 * offers its identity. The identity is plain data per cloud (strings that may
 * be Terraform references), so the contract carries no provider type and a
 * grant never downcasts to a compute class.
 *
 * Model: aws-cdk-lib `aws-iam/lib/principals.ts` (`IGrantable`, `grantPrincipal`).
 */
import { IConstruct } from "constructs";
import { Cloud, ValidationError } from "./core";

/** An IAM role that compute assumes (EC2 instance profile, Auto Scaling launch template). */
export interface AwsPrincipal {
  readonly cloud: "aws";
  /** Role name, for inline role policies. */
  readonly roleName: string;
  readonly roleArn: string;
}

/** A service account. */
export interface GcpPrincipal {
  readonly cloud: "gcp";
  readonly email: string;
  /** `serviceAccount:<email>`, for IAM members. */
  readonly member: string;
}

/** A managed identity. */
export interface AzurePrincipal {
  readonly cloud: "azure";
  /** Object id of the identity's service principal, for role assignments. */
  readonly principalId: string;
  /** Client id, for applications that pick the identity explicitly. */
  readonly clientId: string;
}

export type Principal = AwsPrincipal | GcpPrincipal | AzurePrincipal;

/** Anything that has a cloud identity. */
export interface IGrantable extends IConstruct {
  readonly grantPrincipal: Principal;
}

/** The grantee's identity on `cloud`; a grantee of another cloud fails with a message naming both. */
export function principalOn<C extends Cloud>(what: string, grantee: IGrantable, cloud: C): Extract<Principal, { cloud: C }> {
  const p = grantee.grantPrincipal;
  if (p.cloud !== cloud) {
    throw new ValidationError(what, [
      { field: "grantee", value: `${grantee.node.path} (${p.cloud})`, accepted: `an identity on ${cloud}: resources of different clouds cannot be granted to each other` },
    ]);
  }
  return p as Extract<Principal, { cloud: C }>;
}

/** Read-only or read-write data access, the two grants every data store offers. */
export type AccessLevel = "read" | "read-write";
