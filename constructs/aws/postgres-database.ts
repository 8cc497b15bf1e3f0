/**
 * AWS PostgreSQL: RDS in the data subnets, reachable only from the security
 * groups it is told about; KMS-encrypted gp3 storage with autoscaling; an
 * AWS-managed master password in Secrets Manager (never in the Terraform
 * JSON); TLS forced by the parameter group; backups, Performance Insights,
 * enhanced monitoring, IAM authentication and log exports to encrypted
 * log groups. Multi-AZ, deletion protection and a final snapshot follow props.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { IConnectable } from "../connections";
import { IPostgresDatabase, POSTGRES_PORT, PostgresDatabaseProps, adminPasswordVariable, validatePostgresDatabaseProps } from "../postgres-database";
import { skuFor } from "../sizes";
import { claimName, recordDecision } from "../stack";
import { AwsConnections } from "./connections";
import { checkAwsName } from "./naming";
import { AwsNetwork } from "./network";
import { AwsPlatform, assumeRolePolicy } from "./platform";
import { AwsSecret } from "./secret";

/** Parameters set on every instance: TLS only, and the logging a DBA needs to investigate. */
export const AWS_POSTGRES_PARAMETERS: Readonly<Record<string, string>> = {
  "rds.force_ssl": "1",
  log_connections: "1",
  log_disconnections: "1",
  log_checkpoints: "1",
  log_lock_waits: "1",
  log_temp_files: "0",
  log_min_duration_statement: "1000",
};

/** Log types exported to CloudWatch Logs. */
export const AWS_POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

export class AwsPostgresDatabase extends Construct implements IPostgresDatabase {
  public readonly cloud = "aws" as const;
  /** The RDS instance. */
  public readonly resource: DbInstance;
  public readonly securityGroup: SecurityGroup;
  public readonly connections: AwsConnections;
  /** The RDS-managed master secret in Secrets Manager (generated credentials only). */
  public readonly credentialsSecret?: AwsSecret;
  public readonly endpoint: string;
  public readonly port = POSTGRES_PORT;
  public readonly databaseName: string;
  public readonly adminUsername: string;
  public readonly connectionString: string;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const platform = AwsPlatform.of(this);
    const p = validatePostgresDatabaseProps("aws", id, props);
    const network = AwsNetwork.of(p.network);
    const sku = skuFor("aws", p.size, "database.size");
    const identifier = claimName(this, "aws:rds-instance", checkAwsName("rdsIdentifier", "database (identifier)", `${platform.namePrefix}-${id}`), "RDS identifier");
    this.databaseName = p.databaseName;
    this.adminUsername = p.adminUsername;

    const subnetGroup = new DbSubnetGroup(this, "subnets", {
      name: identifier,
      description: `Data subnets of ${identifier}`,
      subnetIds: network.subnets.data.map((s) => s.id),
      tags: { Name: identifier },
    });

    this.securityGroup = new SecurityGroup(this, "sg", {
      name: `${identifier}-db`,
      description: `PostgreSQL ${identifier}: admits ${POSTGRES_PORT} from allowed application security groups only`,
      vpcId: network.resource.id,
      tags: { Name: `${identifier}-db` },
    });
    this.connections = new AwsConnections(this, this.securityGroup.id);

    const parameters = new DbParameterGroup(this, "parameters", {
      name: `${identifier}-pg${p.version}`,
      family: `postgres${p.version}`,
      description: `TLS-only, logging parameters for ${identifier}`,
      parameter: Object.entries(AWS_POSTGRES_PARAMETERS).map(([name, value]) => ({ name, value, applyMethod: "pending-reboot" })),
      lifecycle: { createBeforeDestroy: true },
    });

    const key = (p.encryptionKey ?? platform.encryptionKey).keyRef;
    // Created before the instance so RDS does not create them unencrypted and without retention.
    const logGroups = AWS_POSTGRES_LOG_EXPORTS.map(
      (log) =>
        new CloudwatchLogGroup(this, `log-${log}`, {
          name: `/aws/rds/instance/${identifier}/${log}`,
          retentionInDays: 365,
          kmsKeyId: key,
        }),
    );

    const monitoringRole = new IamRole(this, "monitoring-role", {
      name: `${identifier}-rds-monitoring`,
      assumeRolePolicy: assumeRolePolicy("monitoring.rds.amazonaws.com"),
    });
    new IamRolePolicyAttachment(this, "monitoring-policy", {
      role: monitoringRole.name,
      policyArn: `arn:${platform.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });

    const generated = p.credentials.kind === "generated";
    this.resource = new DbInstance(this, "Resource", {
      identifier,
      engine: "postgres",
      engineVersion: p.version,
      instanceClass: sku.database,
      allocatedStorage: p.storageGb,
      maxAllocatedStorage: p.maxStorageGb,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: key,
      dbName: p.databaseName,
      username: p.adminUsername,
      // Generated: RDS keeps the password in Secrets Manager. Variable: write-only, never in the state.
      manageMasterUserPassword: generated ? true : undefined,
      masterUserSecretKmsKeyId: generated ? key : undefined,
      passwordWo: generated ? undefined : adminPasswordVariable(this, p.credentials).stringValue,
      passwordWoVersion: generated ? undefined : 1,
      port: POSTGRES_PORT,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      parameterGroupName: parameters.name,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: p.backupRetentionDays,
      backupWindow: p.backupWindow,
      maintenanceWindow: p.maintenanceWindow.toLowerCase(),
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      multiAz: p.highAvailability,
      deletionProtection: p.deletionProtection,
      skipFinalSnapshot: !p.deletionProtection,
      finalSnapshotIdentifier: p.deletionProtection ? `${identifier}-final` : undefined,
      deleteAutomatedBackups: !p.deletionProtection,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: key,
      performanceInsightsRetentionPeriod: 7,
      monitoringInterval: 60,
      monitoringRoleArn: monitoringRole.arn,
      enabledCloudwatchLogsExports: [...AWS_POSTGRES_LOG_EXPORTS],
      applyImmediately: false,
      tags: { Name: identifier },
      dependsOn: logGroups,
    });
    if (!p.highAvailability) recordDecision(this.resource, "single-zone-database");
    if (!p.deletionProtection) recordDecision(this.resource, "no-deletion-protection");
    else this.resource.addOverride("lifecycle.prevent_destroy", true);
    if (generated) {
      this.credentialsSecret = new AwsSecret(this, "credentials", { secretArn: this.resource.masterUserSecret.get(0).secretArn, kmsKeyArn: key });
    }
    this.endpoint = this.resource.endpoint;
    this.connectionString = `postgresql://${p.adminUsername}@${this.resource.address}:${POSTGRES_PORT}/${p.databaseName}?sslmode=require`;
  }

  /** Admits PostgreSQL from `peer`'s security group (and lets the peer out to it); nothing else gets in. */
  public allowConnectionsFrom(peer: IConnectable): void {
    this.connections.allowFrom(peer, POSTGRES_PORT, `PostgreSQL to ${this.node.id} from ${peer.node.id}`);
  }
}
