/**
 * The one stack definition: the reference platform (network, application VM,
 * uploads bucket, PostgreSQL, monthly budget, outputs), written once against
 * the cloud-neutral contracts and built for any cloud and environment.
 */
import { TerraformOutput } from "cdktf";
import { SealedStack } from "./sealed-stack";
import { Construct } from "constructs";
import { Cloud, Environment } from "../constructs/core";
import { CloudPlatform, createPlatform } from "../constructs/platform";
import { addStateBackend, stateKey } from "./backend";
import { PlatformConfig, gcpProjectId, regionOf } from "./config";
import { ENVIRONMENT_PROFILES } from "./environments";

export interface PlatformStackProps {
  readonly cloud: Cloud;
  readonly environment: Environment;
  readonly config: PlatformConfig;
  /**
   * The stack's construct id, which is also its directory under `cdktf.out/stacks/`.
   * Only for programs that build several stacks of the same cloud and environment (bench/scale.ts).
   * @default - `stackName(cloud, environment)`, e.g. `aws-staging`
   */
  readonly stackId?: string;
}

/** 1.11: write-only attributes keep database passwords out of the state (1.10: ephemeral variables, S3 use_lockfile). */
export const TERRAFORM_REQUIRED_VERSION = ">= 1.11.0";

/** The port the application listens on behind the (future) load balancer tier. */
export const APPLICATION_PORT = 8080;

/** Stack names say the cloud and the environment: `aws-staging`, `gcp-production`, ... */
export function stackName(cloud: Cloud, environment: Environment): string {
  return `${cloud}-${environment}`;
}

export class PlatformStack extends SealedStack {
  public readonly platform: CloudPlatform;

  constructor(scope: Construct, props: PlatformStackProps) {
    const { cloud, environment, config } = props;
    super(scope, props.stackId ?? stackName(cloud, environment));
    const profile = ENVIRONMENT_PROFILES[environment];

    addStateBackend(this, config.backend, stateKey(config.project, environment, cloud));
    // use_lockfile in the backend needs Terraform 1.10 or later.
    this.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);

    this.platform = createPlatform(cloud, this, {
      project: config.project,
      environment,
      region: regionOf(config, cloud),
      tags: { ...config.tags, Project: config.project, Environment: environment, ManagedBy: "cdktf" },
      gcpProjectId: gcpProjectId(config, environment),
      gcpBillingAccount: config.gcp.billingAccount,
      azureSubscriptionId: config.azure.subscriptionId,
      azureNetworkWatcher: config.azure.networkWatcher,
    });
    const p = this.platform;

    const network = p.createNetwork(this, "network", { natGateways: profile.natGateways });

    const app = p.createVirtualMachine(this, "app", {
      network,
      size: profile.vmSize,
      ingress: [
        { port: APPLICATION_PORT, sources: [...network.plan.public], description: "Application traffic from the load-balancer tier (public subnets)" },
      ],
    });

    const uploads = p.createObjectStore(this, "uploads", {});
    uploads.grantReadWrite(app);

    const database = p.createPostgresDatabase(this, "database", {
      network,
      size: profile.databaseSize,
      highAvailability: profile.highAvailability,
      deletionProtection: profile.deletionProtection,
      backupRetentionDays: profile.backupRetentionDays,
      databaseName: config.project.replace(/-/g, "_"),
    });
    database.allowConnectionsFrom(app);

    p.createBudget(this, "budget", {
      monthlyLimit: config.budget.monthlyLimit[environment],
      currency: config.budget.currency,
      alertEmails: config.budget.alertEmails,
    });

    new TerraformOutput(this, "network_id", { value: network.networkId, description: "Id of the private network" });
    new TerraformOutput(this, "vm_id", { value: app.instanceId, description: "Id of the application VM" });
    new TerraformOutput(this, "vm_private_ip", { value: app.privateIp, description: "Private address of the application VM" });
    new TerraformOutput(this, "bucket_name", { value: uploads.bucketName, description: "Name of the uploads bucket" });
    new TerraformOutput(this, "database_endpoint", { value: database.endpoint, description: "Private endpoint of the PostgreSQL server" });
    new TerraformOutput(this, "database_connection_string", {
      value: database.connectionString,
      description: "PostgreSQL connection string (no password: fetch it from the cloud's secret store)",
      sensitive: true,
    });
  }
}
