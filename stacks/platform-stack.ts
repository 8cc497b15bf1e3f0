/**
 * The one stack definition: the reference platform (network, an autoscaled
 * app tier behind a public HTTPS entry, an uploads bucket, PostgreSQL, a
 * monthly budget, outputs), written once against the cloud-neutral contracts
 * and built for any cloud and environment. It names no cloud and no address
 * range: the kit of its stack picks every implementation, the entry admits
 * itself on the app tier, and the environment's profile (constructs/config.ts)
 * decides sizes, scaling and protection.
 */
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { IAppTier } from "../constructs/app-tier";
import { IHttpsEntry } from "../constructs/https-entry";
import { INetwork } from "../constructs/network";
import { IObjectStore } from "../constructs/object-store";
import { IPostgresDatabase } from "../constructs/postgres-database";
import { CloudStack, CloudStackProps } from "../constructs/stack";

/** The port the application listens on behind the HTTPS entry. */
export const APPLICATION_PORT = 8080;

export class PlatformStack extends CloudStack {
  public readonly network: INetwork;
  public readonly app: IAppTier;
  public readonly entry: IHttpsEntry;
  public readonly uploads: IObjectStore;
  public readonly database: IPostgresDatabase;

  constructor(scope: Construct, props: CloudStackProps) {
    super(scope, props);
    const { Network, AppTier, HttpsEntry, ObjectStore, PostgresDatabase, Budget } = this.kit;
    const profile = this.profile;

    const network = new Network(this, "network", {
      natGateways: profile.natGateways,
      deletionProtection: profile.deletionProtection,
      geoRedundantLogs: profile.geoRedundantStorage,
    });

    const app = new AppTier(this, "app", {
      network,
      size: profile.vmSize,
      scaling: profile.scaling,
      port: APPLICATION_PORT,
      operatorAccess: profile.operatorAccess,
    });
    // The entry admits itself, and only itself, on the tier's port.
    const entry = new HttpsEntry(this, "entry", {
      network,
      target: app,
      domain: profile.domain,
      dnsZone: profile.dnsZone,
      webApplicationFirewall: profile.webApplicationFirewall,
      deletionProtection: profile.deletionProtection,
    });

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
    database.grantConnect(app);

    new Budget(this, "budget", {
      monthlyLimit: profile.monthlyBudget,
      currency: this.config.budget.currency,
      alertEmails: this.config.budget.alertEmails,
    });

    this.network = network;
    this.app = app;
    this.entry = entry;
    this.uploads = uploads;
    this.database = database;

    new TerraformOutput(this, "network_id", { value: network.networkId, description: "Id of the private network" });
    new TerraformOutput(this, "app_url", { value: entry.url, description: "Public URL of the application" });
    new TerraformOutput(this, "entry_address", { value: entry.address, description: "Where the domain points: load balancer DNS name, global IP or Front Door host name" });
    new TerraformOutput(this, "dns_records", {
      value: entry.dnsRecords.map((r) => ({ name: r.name, type: r.type, value: r.value, purpose: r.purpose })),
      description: profile.dnsZone ? `Records created in the zone ${profile.dnsZone}` : "Records to create in the domain's DNS zone (no zone is managed here)",
    });
    new TerraformOutput(this, "entry_origin_header", {
      value: entry.originHeader ? `${entry.originHeader.name}: ${entry.originHeader.value}` : "none: the app tier admits the entry only",
      description: "A header the application must require to refuse requests that bypassed the entry",
    });
    new TerraformOutput(this, "app_tier_id", { value: app.resource.getStringAttribute("id"), description: "Id of the app tier's instance group" });
    new TerraformOutput(this, "bucket_name", { value: uploads.bucketName, description: "Name of the uploads bucket" });
    new TerraformOutput(this, "database_endpoint", { value: database.endpoint, description: "Private endpoint of the PostgreSQL server" });
    new TerraformOutput(this, "database_connection_string", {
      value: database.connectionString,
      description: "PostgreSQL connection string (no password: read it from database_credentials_secret)",
      sensitive: true,
    });
    new TerraformOutput(this, "database_credentials_secret", {
      value: database.credentialsSecret.secretRef,
      description: "Where the database credentials are kept: Secrets Manager ARN, Secret Manager secret id or Key Vault secret id (the reference, not the value; marked sensitive because it locates a credential)",
      sensitive: true,
    });
  }
}
