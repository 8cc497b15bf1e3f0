/**
 * The one stack definition: the reference platform (network, application VM,
 * uploads bucket, PostgreSQL, monthly budget, outputs), written once against
 * the cloud-neutral contracts and built for any cloud and environment. It
 * names no cloud: the kit of its stack picks every implementation, and the
 * environment's profile (constructs/config.ts) decides sizes and protection.
 */
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { Peer } from "../constructs/connections";
import { INetwork } from "../constructs/network";
import { IObjectStore } from "../constructs/object-store";
import { IPostgresDatabase } from "../constructs/postgres-database";
import { CloudStack, CloudStackProps } from "../constructs/stack";
import { IVirtualMachine } from "../constructs/virtual-machine";

/** The port the application listens on behind the load-balancer tier. */
export const APPLICATION_PORT = 8080;

export class PlatformStack extends CloudStack {
  public readonly network: INetwork;
  public readonly app: IVirtualMachine;
  public readonly uploads: IObjectStore;
  public readonly database: IPostgresDatabase;

  constructor(scope: Construct, props: CloudStackProps) {
    super(scope, props);
    const { Network, VirtualMachine, ObjectStore, PostgresDatabase, Budget } = this.kit;
    const profile = this.profile;

    const network = new Network(this, "network", {
      natGateways: profile.natGateways,
      deletionProtection: profile.deletionProtection,
      geoRedundantLogs: profile.geoRedundantStorage,
    });

    const app = new VirtualMachine(this, "app", { network, size: profile.vmSize });
    network.plan.public.forEach((cidr) => app.connections.allowFrom(Peer.ipv4(cidr, "the load-balancer tier"), APPLICATION_PORT, "Application traffic from the load-balancer tier (public subnets)"));

    const uploads = new ObjectStore(this, "uploads", { deletionProtection: profile.deletionProtection, geoRedundant: profile.geoRedundantStorage });
    uploads.grantReadWrite(app);

    const database = new PostgresDatabase(this, "database", {
      network,
      size: profile.databaseSize,
      highAvailability: profile.highAvailability,
      deletionProtection: profile.deletionProtection,
      backupRetentionDays: profile.backupRetentionDays,
      databaseName: this.config.project.replace(/-/g, "_"),
    });
    database.allowConnectionsFrom(app);

    new Budget(this, "budget", {
      monthlyLimit: profile.monthlyBudget,
      currency: this.config.budget.currency,
      alertEmails: this.config.budget.alertEmails,
    });

    this.network = network;
    this.app = app;
    this.uploads = uploads;
    this.database = database;

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
