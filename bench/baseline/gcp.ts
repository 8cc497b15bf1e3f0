/** Baseline GCP stack: the stock root-namespace import (see main.ts). Comparable resources, not a copy of constructs/gcp. */
import * as google from "@cdktf/provider-google";
import { TerraformOutput, TerraformStack } from "cdktf";

export function buildGcp(stack: TerraformStack, environment: string): void {
  const production = environment === "production";
  const project = `taskflow-${environment}`;
  const region = "us-central1";
  const labels = { project: "taskflow", environment, managedby: "cdktf" };
  new google.provider.GoogleProvider(stack, "google", { project, region, defaultLabels: labels });

  const apis = ["compute", "sqladmin", "servicenetworking", "monitoring", "logging", "billingbudgets"].map(
    (api) => new google.projectService.ProjectService(stack, `api-${api}`, { service: `${api}.googleapis.com`, disableOnDestroy: false }),
  );
  const projectData = new google.dataGoogleProject.DataGoogleProject(stack, "project", { projectId: project });
  const zones = new google.dataGoogleComputeZones.DataGoogleComputeZones(stack, "zones", { region });

  // Network: custom-mode VPC, application and data subnetworks, Cloud NAT, private services access.
  const network = new google.computeNetwork.ComputeNetwork(stack, "network", { name: `${project}-vpc`, autoCreateSubnetworks: false, dependsOn: apis });
  const app = new google.computeSubnetwork.ComputeSubnetwork(stack, "app-subnet", {
    name: `${project}-app`, network: network.id, ipCidrRange: "10.0.0.0/20", region, privateIpGoogleAccess: true,
    logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
  });
  new google.computeSubnetwork.ComputeSubnetwork(stack, "data-subnet", { name: `${project}-data`, network: network.id, ipCidrRange: "10.0.16.0/20", region, privateIpGoogleAccess: true });
  const router = new google.computeRouter.ComputeRouter(stack, "router", { name: `${project}-router`, network: network.id, region });
  new google.computeRouterNat.ComputeRouterNat(stack, "nat", {
    name: `${project}-nat`, router: router.name, region, natIpAllocateOption: "AUTO_ONLY",
    sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS", subnetwork: [{ name: app.id, sourceIpRangesToNat: ["ALL_IP_RANGES"] }],
    logConfig: { enable: true, filter: "ALL" },
  });
  const logBucket = new google.loggingProjectBucketConfig.LoggingProjectBucketConfig(stack, "log-bucket", { project, location: "global", bucketId: "network-logs", retentionDays: 90 });
  new google.loggingProjectSink.LoggingProjectSink(stack, "log-sink", {
    name: "network-logs", destination: `logging.googleapis.com/${logBucket.id}`, filter: 'resource.type="gce_subnetwork"', uniqueWriterIdentity: true,
  });
  new google.computeFirewall.ComputeFirewall(stack, "deny-all-in", { name: `${project}-deny-in`, network: network.name, direction: "INGRESS", priority: 65534, deny: [{ protocol: "all" }], sourceRanges: ["0.0.0.0/0"] });
  new google.computeFirewall.ComputeFirewall(stack, "app-in", { name: `${project}-app-in`, network: network.name, direction: "INGRESS", allow: [{ protocol: "tcp", ports: ["8080"] }], sourceRanges: ["10.0.0.0/20"], targetTags: ["app"] });
  const range = new google.computeGlobalAddress.ComputeGlobalAddress(stack, "services-range", {
    name: `${project}-services`, purpose: "VPC_PEERING", addressType: "INTERNAL", address: "10.1.0.0", prefixLength: 20, network: network.id,
  });
  const peering = new google.serviceNetworkingConnection.ServiceNetworkingConnection(stack, "services-peering", {
    network: network.id, service: "servicenetworking.googleapis.com", reservedPeeringRanges: [range.name],
  });

  // Application VM with its own service account.
  const sa = new google.serviceAccount.ServiceAccount(stack, "vm-sa", { accountId: `${project}-app`.slice(0, 28), displayName: "Application VM" });
  ["roles/logging.logWriter", "roles/monitoring.metricWriter"].forEach(
    (role, i) => new google.projectIamMember.ProjectIamMember(stack, `vm-role-${i}`, { project, role, member: sa.member }),
  );
  const vm = new google.computeInstance.ComputeInstance(stack, "vm", {
    name: `${project}-app`,
    machineType: production ? "e2-standard-2" : "e2-small",
    zone: `\${${zones.fqn}.names[0]}`,
    bootDisk: { autoDelete: true, initializeParams: { image: "debian-cloud/debian-12", size: 30, type: "pd-balanced" } },
    networkInterface: [{ subnetwork: app.id }],
    serviceAccount: { email: sa.email, scopes: ["cloud-platform"] },
    shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
    metadata: { "block-project-ssh-keys": "true" },
    tags: ["app"],
  });

  // Uploads bucket.
  const bucket = new google.storageBucket.StorageBucket(stack, "uploads", {
    name: `${project}-uploads`, location: "US-CENTRAL1", uniformBucketLevelAccess: true, publicAccessPrevention: "enforced",
    versioning: { enabled: true }, lifecycleRule: [{ action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } }],
  });
  new google.storageBucketIamMember.StorageBucketIamMember(stack, "vm-uploads", { bucket: bucket.name, role: "roles/storage.objectUser", member: sa.member });

  // PostgreSQL with a private IP only.
  const db = new google.sqlDatabaseInstance.SqlDatabaseInstance(stack, "db", {
    name: `${project}-db`,
    databaseVersion: "POSTGRES_16",
    region,
    deletionProtection: production,
    settings: {
      edition: "ENTERPRISE",
      tier: production ? "db-custom-2-8192" : "db-custom-1-3840",
      availabilityType: production ? "REGIONAL" : "ZONAL",
      diskType: "PD_SSD",
      ipConfiguration: { ipv4Enabled: false, privateNetwork: network.id, sslMode: "ENCRYPTED_ONLY" },
      backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true, backupRetentionSettings: { retainedBackups: production ? 14 : 7 } },
      databaseFlags: [{ name: "log_connections", value: "on" }],
    },
    dependsOn: [peering],
  });
  new google.sqlDatabase.SqlDatabase(stack, "db-database", { name: "taskflow", instance: db.name });
  new google.sqlUser.SqlUser(stack, "db-user", { name: sa.email, instance: db.name, type: "CLOUD_IAM_SERVICE_ACCOUNT" });
  new google.projectIamMember.ProjectIamMember(stack, "vm-db", { project, role: "roles/cloudsql.client", member: sa.member });

  // Budget with e-mail alerts.
  const channel = new google.monitoringNotificationChannel.MonitoringNotificationChannel(stack, "alerts", {
    displayName: "Budget alerts", type: "email", labels: { email_address: "platform-team@example.com" },
  });
  new google.billingBudget.BillingBudget(stack, "budget", {
    billingAccount: "000000-000000-000000",
    displayName: `${project} monthly`,
    amount: { specifiedAmount: { currencyCode: "USD", units: production ? "2000" : "200" } },
    budgetFilter: { projects: [`projects/${projectData.number}`], calendarPeriod: "MONTH" },
    thresholdRules: [{ thresholdPercent: 0.8 }, { thresholdPercent: 1, spendBasis: "FORECASTED_SPEND" }],
    allUpdatesRule: { monitoringNotificationChannels: [channel.id], disableDefaultIamRecipients: true },
  });

  new TerraformOutput(stack, "vm_private_ip", { value: vm.networkInterface.get(0).networkIp });
  new TerraformOutput(stack, "bucket_name", { value: bucket.name });
  new TerraformOutput(stack, "database_endpoint", { value: db.privateIpAddress });
}
