/**
 * A second, different stack, written the way a platform team writes its own:
 * a background worker with its own results bucket, reading the uploads and
 * the database of the platform stack of the same cloud and environment. It
 * extends CloudStack and names no cloud; its state key, resource names and
 * policy check come from the base.
 *
 * Relationships with the platform stack are written in this stack (the one
 * that asks for access), so it depends on the platform stack and never the
 * other way round: deploy the platform first, destroy the worker first.
 */
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { ValidationError } from "../constructs/core";
import { IObjectStore } from "../constructs/object-store";
import { CloudStack, CloudStackProps } from "../constructs/stack";
import { IVirtualMachine } from "../constructs/virtual-machine";
import { PlatformStack } from "./platform-stack";

export interface WorkerStackProps extends Omit<CloudStackProps, "cloud" | "environment" | "component"> {
  /** The platform stack whose network, uploads and database the worker uses (same cloud and environment). */
  readonly platform: PlatformStack;
}

/** The component name of the worker stacks: `worker-<cloud>-<environment>`. */
export const WORKER_COMPONENT = "worker";

export class WorkerStack extends CloudStack {
  public readonly worker: IVirtualMachine;
  public readonly results: IObjectStore;

  constructor(scope: Construct, props: WorkerStackProps) {
    const { platform } = props;
    if (platform.config !== props.config) {
      throw new ValidationError("WorkerStack", [{ field: "platform", value: platform.node.id, accepted: "a platform stack built from the same configuration" }]);
    }
    super(scope, { ...props, cloud: platform.cloud, environment: platform.environment, component: WORKER_COMPONENT });
    const { VirtualMachine, ObjectStore } = this.kit;
    const profile = this.profile;

    this.worker = new VirtualMachine(this, "worker", { network: platform.network, size: profile.vmSize });
    this.results = new ObjectStore(this, "results", { deletionProtection: profile.deletionProtection, geoRedundant: profile.geoRedundantStorage });
    this.results.grantReadWrite(this.worker);
    platform.uploads.grantRead(this.worker);
    platform.database.allowConnectionsFrom(this.worker);
    platform.database.grantConnect(this.worker);

    new TerraformOutput(this, "worker_id", { value: this.worker.instanceId, description: "Id of the worker VM" });
    new TerraformOutput(this, "results_bucket_name", { value: this.results.bucketName, description: "Name of the worker's results bucket" });
  }
}
