/**
 * AWS PostgreSQL: RDS in the data subnets, reachable only from the security
 * groups it is told about; KMS-encrypted gp3 storage with autoscaling; an
 * AWS-managed master password in Secrets Manager (never in the Terraform
 * JSON, plan or state); TLS forced and an audit trail (log_statement = ddl,
 * pgAudit) set by the parameter group; backups, Performance Insights,
 * enhanced monitoring, IAM authentication and log exports to encrypted
 * log groups. Multi-AZ, deletion protection and a final snapshot follow props.
 *
 * Credentials: `credentialsSecret` is the RDS-managed master secret
 * (generated, the default) or, for a password variable, a Secrets Manager
 * secret written through `secret_string_wo` with the same `*_wo_version` as
 * the database. `grantConnect(grantee)` lets compute read that secret and
 * log in with IAM database authentication as its own database user
 * (`rds-db:connect`); the SQL that creates that user is documented in
 * docs/aws.md, not run by Terraform.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { IConnectable, displayName, relationshipScope } from "../connections";
import { IGrantable, principalOn } from "../grants";
import { IPostgresDatabase, POSTGRES_PORT, PostgresDatabaseProps, adminPasswordVariable, validatePostgresDatabaseProps } from "../postgres-database";
import { skuFor } from "../sizes";
import { claimName, recordDecision } from "../stack";
import { AwsConnections } from "./connections";
import { checkAwsName } from "./naming";
import { AwsNetwork } from "./network";
import { AwsPlatform, assumeRolePolicy, policyDocument } from "./platform";
import { AwsSecret } from "./secret";

/**
 * Parameters set on every instance: TLS only, the logging a DBA needs to investigate, and the
 * audit trail (every DDL statement; pgAudit session logging of DDL and role changes). pgAudit
 * also needs `CREATE EXTENSION pgaudit;` once in the database (docs/aws.md). All are applied
 * `pending-reboot` (static ones must be; changes take effect at the next reboot).
 */
export const AWS_POSTGRES_PARAMETERS: Readonly<Record<string, string>> = {
  "rds.force_ssl": "1",
  log_connections: "1",
  log_disconnections: "1",
  log_checkpoints: "1",
  log_lock_waits: "1",
  log_temp_files: "0",
  log_min_duration_statement: "1000",
  log_statement: "ddl",
  // pg_stat_statements is RDS's own default; pgaudit is added to it.
  shared_preload_libraries: "pg_stat_statements,pgaudit",
  "pgaudit.log": "ddl,role",
};

/** Days Secrets Manager keeps a deleted secret recoverable (production); staging deletes at once so the name can be reused. */
export const SECRET_RECOVERY_WINDOW_DAYS = 30;

/** Log types exported to CloudWatch Logs. */
export const AWS_POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

export class AwsPostgresDatabase extends Construct implements IPostgresDatabase {
  public readonly cloud = "aws" as const;
  /** The RDS instance. */
  public readonly resource: DbInstance;
  public readonly securityGroup: SecurityGroup;
  public readonly connections: AwsConnections;
  /** The administrator credentials in Secrets Manager: the RDS-managed master secret, or the secret the password variable is written to. */
  public readonly credentialsSecret: AwsSecret;
  public readonly endpoint: string;
  public readonly port = POSTGRES_PORT;
  public readonly databaseName: string;
  public readonly adminUsername: string;
  public readonly connectionString: string;
  private readonly connectGranted = new Set<string>();

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
    const logGroups = AWS_POSTGRES_LOG_EXPORTS.map((log) => {
      const group = new CloudwatchLogGroup(this, `log-${log}`, {
        name: `/aws/rds/instance/${identifier}/${log}`,
        retentionInDays: 365,
        kmsKeyId: key,
        // The audit trail: with deletion protection Terraform refuses to destroy it.
        lifecycle: p.deletionProtection ? { preventDestroy: true } : undefined,
      });
      if (!p.deletionProtection) recordDecision(group, "no-deletion-protection");
      return group;
    });

    const monitoringRole = new IamRole(this, "monitoring-role", {
      name: `${identifier}-rds-monitoring`,
      assumeRolePolicy: assumeRolePolicy("monitoring.rds.amazonaws.com"),
    });
    new IamRolePolicyAttachment(this, "monitoring-policy", {
      role: monitoringRole.name,
      policyArn: `arn:${platform.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });

    const generated = p.credentials.kind === "generated";
    const password = generated ? undefined : adminPasswordVariable(this, p.credentials);
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
      passwordWo: password?.stringValue,
      passwordWoVersion: password ? p.credentials.version : undefined,
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
    if (password) {
      // The variable's password also goes to Secrets Manager, write-only: the app reads it there like the managed one.
      const secret = new SecretsmanagerSecret(this, "credentials-secret", {
        name: `${identifier}-admin`,
        description: `Administrator credentials of PostgreSQL ${identifier} (username, password)`,
        kmsKeyId: key,
        recoveryWindowInDays: p.deletionProtection ? SECRET_RECOVERY_WINDOW_DAYS : 0,
        tags: { Name: `${identifier}-admin` },
        lifecycle: p.deletionProtection ? { preventDestroy: true } : undefined,
      });
      if (!p.deletionProtection) recordDecision(secret, "no-deletion-protection");
      new SecretsmanagerSecretVersion(this, "credentials-value", {
        secretId: secret.id,
        secretStringWo: Fn.jsonencode({ username: p.adminUsername, password: password.stringValue }),
        secretStringWoVersion: p.credentials.version,
      });
      this.credentialsSecret = new AwsSecret(this, "credentials", { secretArn: secret.arn, kmsKeyArn: key });
    } else {
      this.credentialsSecret = new AwsSecret(this, "credentials", { secretArn: this.resource.masterUserSecret.get(0).secretArn, kmsKeyArn: key });
    }
    this.endpoint = this.resource.endpoint;
    this.connectionString = `postgresql://${p.adminUsername}@${this.resource.address}:${POSTGRES_PORT}/${p.databaseName}?sslmode=require`;
  }

  /** Admits PostgreSQL from `peer`'s security group (and lets the peer out to it); nothing else gets in. */
  public allowConnectionsFrom(peer: IConnectable): void {
    this.connections.allowFrom(peer, POSTGRES_PORT, `PostgreSQL to ${this.node.id} from ${peer.node.id}`);
  }

  /**
   * The database user `grantee` logs in as with IAM database authentication: its IAM role's name
   * (a reference). Create it once, quoted because of the hyphens:
   * `CREATE USER "<role name>"; GRANT rds_iam TO "<role name>";` plus the grants it needs (docs/aws.md).
   */
  public databaseUserFor(grantee: IGrantable): string {
    return principalOn(`PostgresDatabase '${this.node.id}'.databaseUserFor`, grantee, "aws").roleName;
  }

  /**
   * This compute may read the database credentials: `GetSecretValue` on `credentialsSecret` (and
   * `kms:Decrypt` through Secrets Manager only), and `rds-db:connect` as its own database user
   * (`databaseUserFor`). Across stacks both policies live in the grantee's stack.
   */
  public grantConnect(grantee: IGrantable): void {
    this.credentialsSecret.grantRead(grantee);
    const p = principalOn(`PostgresDatabase '${this.node.id}'.grantConnect`, grantee, "aws");
    if (this.connectGranted.has(grantee.node.path)) return;
    this.connectGranted.add(grantee.node.path);
    const { scope, crossStack } = relationshipScope(this, grantee);
    // Account and partition of the grantee's own stack: the same account, without a cross-stack lookup.
    const platform = AwsPlatform.of(scope);
    const dbUser = `arn:${platform.partition}:rds-db:${platform.region}:${platform.accountId}:dbuser:${this.resource.resourceId}/${this.databaseUserFor(grantee)}`;
    new IamRolePolicy(scope, crossStack ? `grant-connect-on-${displayName(this)}` : `grant-connect-${grantee.node.id}`, {
      name: `${this.node.id}-connect`,
      role: p.roleName,
      policy: policyDocument([{ Sid: "ConnectAsItsOwnDatabaseUser", Effect: "Allow", Action: ["rds-db:connect"], Resource: [dbUser] }]),
    });
  }
}
