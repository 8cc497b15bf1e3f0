import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { IComputeIdentity } from "../constructs/compute-identity";
import { IConnectable, Peer } from "../constructs/connections";
import { IGrantable } from "../constructs/grants";
import { INetwork } from "../constructs/network";
import { onCloud } from "../constructs/on-cloud";
import { CloudStack, CloudStackProps } from "../constructs/stack";
import { PlatformStack } from "../stacks/platform-stack";

/**
 * A compute kind the platform does not ship (say, a batch runner on a managed
 * service): it only needs an identity to be granted and connected like a VM.
 */
export class BatchRunner extends Construct implements IConnectable, IGrantable {
  public readonly identity: IComputeIdentity;

  constructor(scope: Construct, id: string, props: { network: INetwork }) {
    super(scope, id);
    const { ComputeIdentity } = CloudStack.of(this).kit;
    this.identity = new ComputeIdentity(this, "identity", { network: props.network, name: id });
  }

  public get connections() {
    return this.identity.connections;
  }

  public get grantPrincipal() {
    return this.identity.grantPrincipal;
  }
}

export interface AnalyticsStackProps extends Omit<CloudStackProps, "cloud" | "environment" | "component"> {
  readonly platform: PlatformStack;
}

/** A stack of your own: `analytics-<cloud>-<environment>`, its own state key and names, the policy check included. */
export class AnalyticsStack extends CloudStack {
  constructor(scope: Construct, props: AnalyticsStackProps) {
    const { platform } = props;
    super(scope, { ...props, cloud: platform.cloud, environment: platform.environment, component: "analytics" });
    const { VirtualMachine, ObjectStore } = this.kit;

    const analyzer = new VirtualMachine(this, "analyzer", { network: platform.network, size: this.profile.vmSize });
    const runner = new BatchRunner(this, "runner", { network: platform.network });
    const reports = new ObjectStore(this, "reports", {
      deletionProtection: this.profile.deletionProtection,
      geoRedundant: this.profile.geoRedundantStorage,
    });

    reports.grantReadWrite(analyzer);
    reports.grantRead(runner);
    platform.uploads.grantRead(analyzer);
    platform.database.allowConnectionsFrom(analyzer);
    platform.database.grantConnect(analyzer);
    runner.connections.allowFrom(analyzer, 9000, "Jobs submitted by the analyzer");
    analyzer.connections.allowFrom(Peer.ipv4("10.20.0.0/16", "the office VPN"), 8443, "Dashboards from the office");

    // What the contract does not expose: reach the provider resource with full types, per cloud.
    onCloud(reports, {
      aws: (b) => b.resource.addOverride("object_lock_enabled", false),
      gcp: (b) => b.resource.addOverride("default_event_based_hold", false),
      azure: (b) => b.resource.addOverride("large_file_share_enabled", false),
    });

    new TerraformOutput(this, "reports_bucket", { value: reports.bucketName });
  }
}
