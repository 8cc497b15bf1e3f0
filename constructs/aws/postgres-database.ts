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
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { requireSameCloud } from "../platform";
import { IPostgresDatabase, POSTGRES_PORT, PostgresDatabaseProps, validatePostgresDatabaseProps } from "../postgres-database";
import { skuFor } from "../sizes";
import { IVirtualMachine } from "../virtual-machine";
import { checkAwsName } from "./naming";
import { AwsNetwork } from "./network";
import { AwsPlatform, assumeRolePolicy } from "./platform";
import { AwsVirtualMachine } from "./virtual-machine";

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
  public readonly instance: DbInstance;
  public readonly securityGroup: SecurityGroup;
  public readonly endpoint: string;
  public readonly port = POSTGRES_PORT;
  public readonly databaseName: string;
  public readonly adminUsername: string;
  public readonly connectionString: string;
  private readonly allowed = new Set<string>();

  constructor(scope: Construct, id: string, platform: AwsPlatform, props: PostgresDatabaseProps) {
    super(scope, id);
    const p = validatePostgresDatabaseProps(id, props);
    const network = requireSameCloud("database.network", p.network, AwsNetwork, "aws");
    const sku = skuFor("aws", p.size, "database.size");
    const identifier = checkAwsName("rdsIdentifier", "database (identifier)", `${platform.namePrefix}-${id}`);
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
      vpcId: network.vpc.id,
      tags: { Name: `${identifier}-db` },
    });

    const parameters = new DbParameterGroup(this, "parameters", {
      name: `${identifier}-pg${p.version}`,
      family: `postgres${p.version}`,
      description: `TLS-only, logging parameters for ${identifier}`,
      parameter: Object.entries(AWS_POSTGRES_PARAMETERS).map(([name, value]) => ({ name, value, applyMethod: "pending-reboot" })),
      lifecycle: { createBeforeDestroy: true },
    });

    // Created before the instance so RDS does not create them unencrypted and without retention.
    const logGroups = AWS_POSTGRES_LOG_EXPORTS.map(
      (log) =>
        new CloudwatchLogGroup(this, `log-${log}`, {
          name: `/aws/rds/instance/${identifier}/${log}`,
          retentionInDays: 365,
          kmsKeyId: platform.encryptionKey.arn,
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

    const key = platform.encryptionKey.arn;
    this.instance = new DbInstance(this, "Resource", {
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
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: key,
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
    this.endpoint = this.instance.endpoint;
    this.connectionString = `postgresql://${p.adminUsername}@${this.instance.address}:${POSTGRES_PORT}/${p.databaseName}?sslmode=require`;
  }

  /** Opens 5432 from `vm`'s security group to this database, and from the VM to it; nothing else gets in. */
  public allowConnectionsFrom(vm: IVirtualMachine): void {
    const source = requireSameCloud("database.allowConnectionsFrom(vm)", vm, AwsVirtualMachine, "aws");
    if (this.allowed.has(source.node.path)) return;
    this.allowed.add(source.node.path);
    new VpcSecurityGroupIngressRule(this, `from-${source.name}`, {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: source.securityGroup.id,
      ipProtocol: "tcp",
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      description: `PostgreSQL from VM ${source.name}`,
    });
    new VpcSecurityGroupEgressRule(source, `to-${this.node.id}`, {
      securityGroupId: source.securityGroup.id,
      referencedSecurityGroupId: this.securityGroup.id,
      ipProtocol: "tcp",
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      description: `PostgreSQL to database ${this.node.id}`,
    });
  }
}
