/**
 * Policy rules: one passing and one failing hand-written Terraform JSON
 * fixture per rule (the style checkov and Trivy use for their own checks).
 * Each fixture is evaluated with its rule alone; the failing one must yield
 * exactly that rule id, once, on the expected address.
 */
import { ALL_RULES as EVERY_RULE, PolicyContext, TfJson, evaluate, ruleIds } from "../constructs/policy";
import { GCP_SERVE_RULES } from "../constructs/policy/rules-gcp";
import { AZURE_SERVE_RULE_IDS } from "../constructs/policy/rules-azure";
import { AWS_SERVE_CASES, PolicyCase, ref, tf } from "./policy-fixtures-aws-serve";

/** The rules whose fixtures live here; the served-application rules of Azure have theirs in policy-rules-azure-serve.test.ts. */
const ALL_RULES = EVERY_RULE.filter((r) => !AZURE_SERVE_RULE_IDS.has(r.id));

type Body = Record<string, any>;


// Good baselines, one per resource type; bad fixtures override one attribute.
const rds = (o: Body = {}): Body => ({
  engine: "postgres",
  storage_encrypted: true,
  publicly_accessible: false,
  multi_az: true,
  deletion_protection: true,
  skip_final_snapshot: false,
  backup_retention_period: 7,
  iam_database_authentication_enabled: true,
  manage_master_user_password: true,
  enabled_cloudwatch_logs_exports: ["postgresql"],
  parameter_group_name: ref("aws_db_parameter_group.pg", "name"),
  ...o,
});
const pgParams = (o: Record<string, string> = {}): Body => ({
  name: "pg",
  parameter: Object.entries({ "rds.force_ssl": "1", log_connections: "1", log_disconnections: "1", log_min_duration_statement: "1000", ...o }).map(([name, value]) => ({ name, value })),
});
const rdsTf = (db: Body = {}, params: Record<string, string> = {}) => tf(["aws_db_instance", "db", rds(db)], ["aws_db_parameter_group", "pg", pgParams(params)]);

const bucket = "aws_s3_bucket.b";
const s3 = (extra: [string, string, Body][] = [], skip: string[] = []): TfJson =>
  tf(
    ["aws_s3_bucket", "b", { bucket: "b" }],
    ...(
      [
        ["aws_s3_bucket_server_side_encryption_configuration", "enc", { bucket: ref(bucket), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.k.arn}" } }] }],
        ["aws_s3_bucket_versioning", "ver", { bucket: ref(bucket), versioning_configuration: { status: "Enabled" } }],
        ["aws_s3_bucket_public_access_block", "pab", { bucket: ref(bucket), block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }],
        [
          "aws_s3_bucket_policy",
          "pol",
          {
            bucket: ref(bucket),
            policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["${aws_s3_bucket.b.arn}"], Condition: { Bool: { "aws:SecureTransport": "false" } } }] }),
          },
        ],
      ] as [string, string, Body][]
    ).filter(([t]) => !skip.includes(t)),
    ...extra,
  );
const ec2 = (o: Body = {}): Body => ({ associate_public_ip_address: false, metadata_options: { http_tokens: "required" }, root_block_device: { encrypted: true }, ...o });
const dynamo = (o: Body = {}): Body => ({ point_in_time_recovery: { enabled: true }, server_side_encryption: { enabled: true }, deletion_protection_enabled: true, ...o });
const vpc = (extra: [string, string, Body][] = []): TfJson =>
  tf(["aws_vpc", "v", { cidr_block: "10.0.0.0/16" }], ["aws_flow_log", "fl", { vpc_id: ref("aws_vpc.v") }], ["aws_default_security_group", "d", { vpc_id: ref("aws_vpc.v") }], ...extra);
const rolePolicy = (statements: Body[]) => tf(["aws_iam_role_policy", "p", { policy: JSON.stringify({ Statement: statements }) }]);

const sqlInstance = (settings: Body = {}, o: Body = {}): Body => ({
  database_version: "POSTGRES_16",
  deletion_protection: true,
  settings: {
    availability_type: "REGIONAL",
    deletion_protection_enabled: true,
    retain_backups_on_delete: true,
    ip_configuration: { ipv4_enabled: false, ssl_mode: "ENCRYPTED_ONLY" },
    backup_configuration: { enabled: true, point_in_time_recovery_enabled: true },
    database_flags: Object.entries({
      log_checkpoints: "on",
      log_connections: "on",
      log_disconnections: "on",
      log_lock_waits: "on",
      log_temp_files: "0",
      log_statement: "ddl",
      "cloudsql.enable_pgaudit": "on",
      "cloudsql.iam_authentication": "on",
    }).map(([name, value]) => ({ name, value })),
    ...settings,
  },
  ...o,
});
const withoutFlag = (flag: string) => sqlInstance({ database_flags: sqlInstance().settings.database_flags.filter((f: Body) => f.name !== flag) });
const sql = (i: Body) => tf(["google_sql_database_instance", "db", i]);
const gvm = (o: Body = {}): Body => ({
  metadata: { "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE", "serial-port-enable": "FALSE" },
  network_interface: [{ subnetwork: ref("google_compute_subnetwork.s") }],
  service_account: { email: ref("google_service_account.sa", "email"), scopes: ["cloud-platform"] },
  shielded_instance_config: { enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true },
  ...o,
});
const gbucket = (o: Body = {}): Body => ({ uniform_bucket_level_access: true, public_access_prevention: "enforced", versioning: { enabled: true }, ...o });
const gsubnet = (o: Body = {}): Body => ({ network: ref("google_compute_network.n"), private_ip_google_access: true, log_config: { flow_sampling: 1 }, ...o });
const gcpNetwork = (withNat: boolean) =>
  tf(
    ["google_compute_network", "n", {}],
    ["google_compute_subnetwork", "s", gsubnet()],
    ["google_compute_instance", "vm", gvm()],
    ["google_compute_router", "r", { network: ref("google_compute_network.n") }],
    ...(withNat ? [["google_compute_router_nat", "nat", { router: ref("google_compute_router.r", "name") }] as [string, string, Body]] : []),
  );
const firewall = (o: Body = {}) => tf(["google_compute_firewall", "fw", { direction: "INGRESS", source_ranges: ["10.0.1.0/24"], allow: [{ protocol: "tcp", ports: ["22"] }], ...o }]);

const account = (o: Body = {}): Body => ({
  tags: { Project: "p", Environment: "staging", ManagedBy: "cdktf" },
  account_replication_type: "GRS",
  allow_nested_items_to_be_public: false,
  https_traffic_only_enabled: true,
  min_tls_version: "TLS1_2",
  infrastructure_encryption_enabled: true,
  shared_access_key_enabled: false,
  network_rules: { default_action: "Deny" },
  blob_properties: { versioning_enabled: true, delete_retention_policy: { days: 7 }, container_delete_retention_policy: { days: 7 } },
  ...o,
});
const avm = (o: Body = {}): Body => ({
  disable_password_authentication: true,
  admin_ssh_key: [{ username: "azureuser", public_key: "${var.key}" }],
  encryption_at_host_enabled: true,
  identity: { type: "SystemAssigned" },
  ...o,
});
const server = "azurerm_postgresql_flexible_server.db";
const pgServer = (o: Body = {}, params: Record<string, string> = {}, lock = true): TfJson =>
  tf(
    [
      "azurerm_postgresql_flexible_server",
      "db",
      {
        public_network_access_enabled: false,
        delegated_subnet_id: ref("azurerm_subnet.data"),
        geo_redundant_backup_enabled: true,
        backup_retention_days: 7,
        high_availability: { mode: "ZoneRedundant" },
        lifecycle: { prevent_destroy: true },
        ...o,
      },
    ],
    ...Object.entries({ require_secure_transport: "on", log_checkpoints: "on", log_connections: "on", log_disconnections: "on", "connection_throttle.enable": "on", ...params }).map(
      ([name, value], i) => ["azurerm_postgresql_flexible_server_configuration", `c${i}`, { name, value, server_id: ref(server) }] as [string, string, Body],
    ),
    ...(lock ? [["azurerm_management_lock", "lock", { scope: ref(server), lock_level: "CanNotDelete" }] as [string, string, Body]] : []),
  );
const nsgRule = (o: Body = {}) =>
  tf(["azurerm_network_security_rule", "r", { name: "r", access: "Allow", direction: "Inbound", source_address_prefix: "10.0.1.0/24", destination_port_range: "22", ...o }]);
const asubnet = (o: Body = {}, assoc: string[] = ["nsg", "nat"]): TfJson =>
  tf(
    ["azurerm_subnet", "app", { name: "app", default_outbound_access_enabled: false, ...o }],
    ["azurerm_network_interface", "nic", { ip_configuration: [{ subnet_id: ref("azurerm_subnet.app") }] }],
    ...(assoc.includes("nsg") ? [["azurerm_subnet_network_security_group_association", "a", { subnet_id: ref("azurerm_subnet.app") }] as [string, string, Body]] : []),
    ...(assoc.includes("nat") ? [["azurerm_subnet_nat_gateway_association", "n", { subnet_id: ref("azurerm_subnet.app") }] as [string, string, Body]] : []),
  );
const vnet = (flowLog?: Body): TfJson =>
  tf(
    ["azurerm_virtual_network", "v", { tags: {} }],
    ...(flowLog ? [["azurerm_network_watcher_flow_log", "fl", { target_resource_id: ref("azurerm_virtual_network.v"), enabled: true, ...flowLog }] as [string, string, Body]] : []),
  );

const akv = (o: Body = {}): Body => ({
  rbac_authorization_enabled: true,
  purge_protection_enabled: true,
  network_acls: { default_action: "Deny", bypass: "AzureServices" },
  lifecycle: { prevent_destroy: true },
  ...o,
});
const akvs = (o: Body = {}): Body => ({ key_vault_id: ref("azurerm_key_vault.kv"), value_wo: "${ephemeral.random_password.p.result}", value_wo_version: 1, content_type: "password", ...o });
const blobLogs = (categories: string[], retention: number): TfJson =>
  tf(
    ["azurerm_storage_account", "sa", account()],
    ["azurerm_log_analytics_workspace", "ws", { retention_in_days: retention }],
    [
      "azurerm_monitor_diagnostic_setting",
      "d",
      { target_resource_id: `${ref("azurerm_storage_account.sa")}/blobServices/default`, log_analytics_workspace_id: ref("azurerm_log_analytics_workspace.ws"), enabled_log: categories.map((category) => ({ category })) },
    ],
  );

const CASES: Record<string, PolicyCase> = {
  // --- common -------------------------------------------------------------
  "COMMON-TAGS": {
    good: { provider: { aws: [{ default_tags: [{ tags: { Project: "p", Environment: "production", ManagedBy: "cdktf" } }] }] } },
    bad: { provider: { aws: [{ default_tags: [{ tags: { Project: "p" } }] }] } },
    address: "provider.aws",
    environment: "production",
  },
  "COMMON-NO-LITERAL-SECRETS": {
    good: tf(["google_sql_user", "u", { name: "app", password: "${var.db_password}" }]),
    bad: tf(["google_sql_user", "u", { name: "app", password: "hunter2-hunter2" }]),
    address: "google_sql_user.u",
  },
  "COMMON-SENSITIVE-VALUES": {
    good: { output: { database_connection_string: { value: "postgresql://x", sensitive: true }, vm_private_ip: { value: "${aws_instance.x.private_ip}" } } },
    bad: { output: { database_connection_string: { value: "postgresql://x" } } },
    address: "output.database_connection_string",
  },
  "COMMON-STATE-ENCRYPTED": {
    good: { terraform: { backend: { s3: { bucket: "b", key: "k", encrypt: true, use_lockfile: true } } } },
    bad: { terraform: { backend: { s3: { bucket: "b", key: "k", encrypt: true } } } },
    address: "terraform.backend.s3",
  },
  // --- AWS ----------------------------------------------------------------
  "AWS-RDS-ENCRYPTED": { good: rdsTf(), bad: rdsTf({ storage_encrypted: false }), address: "aws_db_instance.db" },
  "AWS-EC2-VOLUMES-ENCRYPTED": {
    good: tf(["aws_instance", "vm", ec2()], ["aws_ebs_volume", "v", { encrypted: true }]),
    bad: tf(["aws_instance", "vm", ec2()], ["aws_ebs_volume", "v", { size: 10 }]),
    address: "aws_ebs_volume.v",
  },
  "AWS-S3-ENCRYPTED": { good: s3(), bad: s3([], ["aws_s3_bucket_server_side_encryption_configuration"]), address: bucket },
  "AWS-S3-KMS": {
    good: s3(),
    bad: tf(["aws_s3_bucket_server_side_encryption_configuration", "enc", { bucket: ref(bucket), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] }]),
    address: "aws_s3_bucket_server_side_encryption_configuration.enc",
  },
  "AWS-DYNAMODB-ENCRYPTED": { good: tf(["aws_dynamodb_table", "t", dynamo()]), bad: tf(["aws_dynamodb_table", "t", dynamo({ server_side_encryption: undefined })]), address: "aws_dynamodb_table.t" },
  "AWS-LOG-GROUP-KMS": {
    good: tf(["aws_cloudwatch_log_group", "g", { kms_key_id: "${aws_kms_key.k.arn}", retention_in_days: 365 }]),
    bad: tf(["aws_cloudwatch_log_group", "g", { retention_in_days: 365 }]),
    address: "aws_cloudwatch_log_group.g",
  },
  "AWS-KMS-ROTATION": { good: tf(["aws_kms_key", "k", { enable_key_rotation: true }]), bad: tf(["aws_kms_key", "k", { description: "k" }]), address: "aws_kms_key.k" },
  "AWS-RDS-PRIVATE": { good: rdsTf(), bad: rdsTf({ publicly_accessible: true }), address: "aws_db_instance.db" },
  "AWS-EC2-NO-PUBLIC-IP": { good: tf(["aws_instance", "vm", ec2()]), bad: tf(["aws_instance", "vm", ec2({ associate_public_ip_address: true })]), address: "aws_instance.vm" },
  "AWS-SUBNET-NO-AUTO-PUBLIC-IP": {
    good: tf(["aws_subnet", "s", { map_public_ip_on_launch: false }]),
    bad: tf(["aws_subnet", "s", { map_public_ip_on_launch: true }]),
    address: "aws_subnet.s",
  },
  "AWS-S3-PUBLIC-ACCESS-BLOCK": {
    good: s3(),
    bad: s3([["aws_s3_bucket_public_access_block", "pab", { bucket: ref(bucket), block_public_acls: true, block_public_policy: false, ignore_public_acls: true, restrict_public_buckets: true }]]),
    address: bucket,
  },
  "AWS-S3-NO-PUBLIC-ACL": {
    good: tf(["aws_s3_bucket_acl", "acl", { bucket: ref(bucket), acl: "private" }]),
    bad: tf(["aws_s3_bucket_acl", "acl", { bucket: ref(bucket), acl: "public-read" }]),
    address: "aws_s3_bucket_acl.acl",
  },
  "AWS-SG-NO-WORLD-ADMIN-PORTS": {
    good: tf(["aws_vpc_security_group_ingress_rule", "r", { from_port: 443, to_port: 443, ip_protocol: "tcp", cidr_ipv4: "0.0.0.0/0" }]),
    bad: tf(["aws_vpc_security_group_ingress_rule", "r", { from_port: 22, to_port: 22, ip_protocol: "tcp", cidr_ipv4: "0.0.0.0/0" }]),
    address: "aws_vpc_security_group_ingress_rule.r",
  },
  "AWS-RDS-TLS": { good: rdsTf(), bad: rdsTf({}, { "rds.force_ssl": "0" }), address: "aws_db_instance.db" },
  "AWS-S3-DENY-NON-TLS": { good: s3(), bad: s3([], ["aws_s3_bucket_policy"]), address: bucket },
  "AWS-VPC-FLOW-LOGS": {
    good: vpc(),
    bad: tf(["aws_vpc", "v", {}], ["aws_default_security_group", "d", { vpc_id: ref("aws_vpc.v") }]),
    address: "aws_vpc.v",
  },
  "AWS-VPC-DEFAULT-SG-CLOSED": {
    good: vpc(),
    bad: tf(["aws_vpc", "v", {}], ["aws_flow_log", "fl", { vpc_id: ref("aws_vpc.v") }], ["aws_default_security_group", "d", { vpc_id: ref("aws_vpc.v"), ingress: [{ protocol: -1, self: true }] }]),
    address: "aws_default_security_group.d",
  },
  "AWS-NAT-PRIVATE-EGRESS": {
    good: tf(
      ["aws_internet_gateway", "igw", {}],
      ["aws_route_table", "pub", {}],
      ["aws_route", "r", { route_table_id: ref("aws_route_table.pub"), gateway_id: ref("aws_internet_gateway.igw") }],
      ["aws_subnet", "pub", { tags: { Tier: "public" } }],
      ["aws_route_table_association", "a", { subnet_id: ref("aws_subnet.pub"), route_table_id: ref("aws_route_table.pub") }],
      ["aws_subnet", "app", { tags: { Tier: "application" } }],
      ["aws_nat_gateway", "nat", {}],
    ),
    bad: tf(
      ["aws_internet_gateway", "igw", {}],
      ["aws_route_table", "rt", {}],
      ["aws_route", "r", { route_table_id: ref("aws_route_table.rt"), gateway_id: ref("aws_internet_gateway.igw") }],
      ["aws_subnet", "app", { tags: { Tier: "application" } }],
      ["aws_route_table_association", "a", { subnet_id: ref("aws_subnet.app"), route_table_id: ref("aws_route_table.rt") }],
      ["aws_nat_gateway", "nat", {}],
    ),
    address: "aws_subnet.app",
  },
  "AWS-EC2-IMDSV2": {
    good: tf(["aws_instance", "vm", ec2()]),
    bad: tf(["aws_instance", "vm", ec2({ metadata_options: { http_tokens: "optional" } })]),
    address: "aws_instance.vm",
  },
  "AWS-RDS-IAM-AUTH": { good: rdsTf(), bad: rdsTf({ iam_database_authentication_enabled: false }), address: "aws_db_instance.db" },
  "AWS-IAM-NO-WILDCARD-ACTIONS": {
    good: rolePolicy([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["${aws_s3_bucket.b.arn}/*"] }]),
    bad: rolePolicy([{ Effect: "Allow", Action: ["s3:*"], Resource: ["${aws_s3_bucket.b.arn}/*"] }]),
    address: "aws_iam_role_policy.p",
  },
  "AWS-IAM-GRANTS-SCOPED": {
    good: rolePolicy([{ Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["${aws_s3_bucket.b.arn}"] }, { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["${aws_s3_bucket.b.arn}/*"] }]),
    bad: rolePolicy([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::*"] }]),
    address: "aws_iam_role_policy.p",
  },
  "AWS-RDS-BACKUP-RETENTION": { good: rdsTf(), bad: rdsTf({ backup_retention_period: 1 }), address: "aws_db_instance.db" },
  "AWS-RDS-MULTI-AZ": { good: rdsTf(), bad: rdsTf({ multi_az: false }), address: "aws_db_instance.db" },
  "AWS-DYNAMODB-PITR": { good: tf(["aws_dynamodb_table", "t", dynamo()]), bad: tf(["aws_dynamodb_table", "t", dynamo({ point_in_time_recovery: { enabled: false } })]), address: "aws_dynamodb_table.t" },
  "AWS-S3-VERSIONING": { good: s3(), bad: s3([], ["aws_s3_bucket_versioning"]), address: bucket },
  "AWS-RDS-DELETION-PROTECTION": { good: rdsTf(), bad: rdsTf({ deletion_protection: false }), address: "aws_db_instance.db", environment: "production" },
  "AWS-DYNAMODB-DELETION-PROTECTION": {
    good: tf(["aws_dynamodb_table", "t", dynamo()]),
    bad: tf(["aws_dynamodb_table", "t", dynamo({ deletion_protection_enabled: false })]),
    address: "aws_dynamodb_table.t",
    environment: "production",
  },
  "AWS-RDS-LOG-EXPORTS": { good: rdsTf(), bad: rdsTf({ enabled_cloudwatch_logs_exports: ["upgrade"] }), address: "aws_db_instance.db" },
  "AWS-RDS-LOG-PARAMETERS": { good: rdsTf(), bad: rdsTf({}, { log_connections: "0" }), address: "aws_db_instance.db" },
  "AWS-LOG-GROUP-RETENTION": {
    good: tf(["aws_cloudwatch_log_group", "g", { kms_key_id: "k", retention_in_days: 365 }]),
    bad: tf(["aws_cloudwatch_log_group", "g", { kms_key_id: "k", retention_in_days: 30 }]),
    address: "aws_cloudwatch_log_group.g",
  },
  "AWS-RDS-MANAGED-PASSWORD": { good: rdsTf(), bad: rdsTf({ manage_master_user_password: undefined, password: "${var.pw}" }), address: "aws_db_instance.db" },
  "AWS-SECRET-KMS": {
    good: tf(["aws_secretsmanager_secret", "s", { name: "db-admin", kms_key_id: "${aws_kms_key.k.arn}" }]),
    bad: tf(["aws_secretsmanager_secret", "s", { name: "db-admin" }]),
    address: "aws_secretsmanager_secret.s",
  },
  "AWS-S3-REPLICATION": {
    good: s3([
      ["aws_s3_bucket", "r", { bucket: "r" }],
      ["aws_s3_bucket_replication_configuration", "rep", { bucket: ref(bucket), rule: [{ status: "Enabled", destination: { bucket: ref("aws_s3_bucket.r", "arn") } }] }],
    ]),
    bad: s3(),
    address: bucket,
  },
  "AWS-STATEFUL-PREVENT-DESTROY": {
    good: tf(["aws_kms_key", "k", { enable_key_rotation: true, lifecycle: { prevent_destroy: true } }]),
    bad: tf(["aws_kms_key", "k", { enable_key_rotation: true }]),
    address: "aws_kms_key.k",
    environment: "production",
  },
  "AWS-RDS-AUDIT-LOGGING": {
    good: rdsTf({}, { log_statement: "ddl", shared_preload_libraries: "pg_stat_statements,pgaudit", "pgaudit.log": "ddl,role" }),
    bad: rdsTf({}, { log_statement: "ddl", shared_preload_libraries: "pg_stat_statements", "pgaudit.log": "ddl,role" }),
    address: "aws_db_instance.db",
  },
  "AWS-S3-ACCESS-LOGGING": {
    good: s3([["aws_s3_bucket_logging", "log", { bucket: ref(bucket), target_bucket: "logs", target_prefix: "b/" }]]),
    bad: s3(),
    address: bucket,
  },
  // --- GCP ----------------------------------------------------------------
  "GCP-SQL-TLS": { good: sql(sqlInstance()), bad: sql(sqlInstance({ ip_configuration: { ipv4_enabled: false, ssl_mode: "ALLOW_UNENCRYPTED_AND_ENCRYPTED" } })), address: "google_sql_database_instance.db" },
  "GCP-SQL-NO-PUBLIC-IP": { good: sql(sqlInstance()), bad: sql(sqlInstance({ ip_configuration: { ssl_mode: "ENCRYPTED_ONLY" } })), address: "google_sql_database_instance.db" },
  "GCP-SQL-NO-WORLD-NETWORKS": {
    good: sql(sqlInstance({ ip_configuration: { ipv4_enabled: false, authorized_networks: [{ value: "203.0.113.0/24" }] } })),
    bad: sql(sqlInstance({ ip_configuration: { ipv4_enabled: true, authorized_networks: [{ value: "0.0.0.0/0" }] } })),
    address: "google_sql_database_instance.db",
  },
  "GCP-VM-NO-PUBLIC-IP": {
    good: tf(["google_compute_instance", "vm", gvm()]),
    bad: tf(["google_compute_instance", "vm", gvm({ network_interface: [{ subnetwork: "s", access_config: [{}] }] })]),
    address: "google_compute_instance.vm",
  },
  "GCP-FIREWALL-NO-WORLD-ADMIN-PORTS": { good: firewall(), bad: firewall({ source_ranges: ["0.0.0.0/0"] }), address: "google_compute_firewall.fw" },
  "GCP-BUCKET-UNIFORM-ACCESS": { good: tf(["google_storage_bucket", "b", gbucket()]), bad: tf(["google_storage_bucket", "b", gbucket({ uniform_bucket_level_access: false })]), address: "google_storage_bucket.b" },
  "GCP-BUCKET-PUBLIC-ACCESS-PREVENTION": {
    good: tf(["google_storage_bucket", "b", gbucket()]),
    bad: tf(["google_storage_bucket", "b", gbucket({ public_access_prevention: "inherited" })]),
    address: "google_storage_bucket.b",
  },
  "GCP-BUCKET-NO-PUBLIC-MEMBERS": {
    good: tf(["google_storage_bucket_iam_member", "m", { role: "roles/storage.objectUser", member: "serviceAccount:a@p.iam.gserviceaccount.com" }]),
    bad: tf(["google_storage_bucket_iam_member", "m", { role: "roles/storage.objectViewer", member: "allUsers" }]),
    address: "google_storage_bucket_iam_member.m",
  },
  "GCP-SUBNET-FLOW-LOGS": { good: tf(["google_compute_subnetwork", "s", gsubnet()]), bad: tf(["google_compute_subnetwork", "s", gsubnet({ log_config: undefined })]), address: "google_compute_subnetwork.s" },
  "GCP-SUBNET-PRIVATE-GOOGLE-ACCESS": {
    good: tf(["google_compute_subnetwork", "s", gsubnet()]),
    bad: tf(["google_compute_subnetwork", "s", gsubnet({ private_ip_google_access: false })]),
    address: "google_compute_subnetwork.s",
  },
  "GCP-NAT-PRIVATE-EGRESS": { good: gcpNetwork(true), bad: gcpNetwork(false), address: "google_compute_network.n" },
  "GCP-VM-NO-DEFAULT-SERVICE-ACCOUNT": {
    good: tf(["google_compute_instance", "vm", gvm()]),
    bad: tf(["google_compute_instance", "vm", gvm({ service_account: { email: "123-compute@developer.gserviceaccount.com", scopes: ["cloud-platform"] } })]),
    address: "google_compute_instance.vm",
  },
  "GCP-VM-OS-LOGIN": {
    good: tf(["google_compute_instance", "vm", gvm()]),
    bad: tf(["google_compute_instance", "vm", gvm({ metadata: { "enable-oslogin": "TRUE" } })]),
    address: "google_compute_instance.vm",
  },
  "GCP-VM-NO-SERIAL-PORT": {
    good: tf(["google_compute_instance", "vm", gvm()]),
    bad: tf(["google_compute_instance", "vm", gvm({ metadata: { "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE", "serial-port-enable": "TRUE" } })]),
    address: "google_compute_instance.vm",
  },
  "GCP-VM-NO-IP-FORWARDING": { good: tf(["google_compute_instance", "vm", gvm()]), bad: tf(["google_compute_instance", "vm", gvm({ can_ip_forward: true })]), address: "google_compute_instance.vm" },
  "GCP-VM-SHIELDED": { good: tf(["google_compute_instance", "vm", gvm()]), bad: tf(["google_compute_instance", "vm", gvm({ shielded_instance_config: undefined })]), address: "google_compute_instance.vm" },
  "GCP-IAM-GRANTS-SCOPED": {
    good: tf(["google_project_iam_member", "m", { role: "roles/logging.logWriter", member: "serviceAccount:a@p.iam.gserviceaccount.com" }]),
    bad: tf(["google_project_iam_member", "m", { role: "roles/storage.objectAdmin", member: "serviceAccount:a@p.iam.gserviceaccount.com" }]),
    address: "google_project_iam_member.m",
  },
  "GCP-SQL-BACKUPS": {
    good: sql(sqlInstance()),
    bad: sql(sqlInstance({ backup_configuration: { enabled: true, point_in_time_recovery_enabled: false } })),
    address: "google_sql_database_instance.db",
  },
  "GCP-SQL-HIGH-AVAILABILITY": { good: sql(sqlInstance()), bad: sql(sqlInstance({ availability_type: "ZONAL" })), address: "google_sql_database_instance.db" },
  "GCP-SQL-DELETION-PROTECTION": {
    good: sql(sqlInstance()),
    bad: sql(sqlInstance({}, { deletion_protection: false })),
    address: "google_sql_database_instance.db",
    environment: "production",
  },
  "GCP-BUCKET-VERSIONING": { good: tf(["google_storage_bucket", "b", gbucket()]), bad: tf(["google_storage_bucket", "b", gbucket({ versioning: { enabled: false } })]), address: "google_storage_bucket.b" },
  "GCP-SQL-LOG-CHECKPOINTS": { good: sql(sqlInstance()), bad: sql(withoutFlag("log_checkpoints")), address: "google_sql_database_instance.db" },
  "GCP-SQL-LOG-CONNECTIONS": { good: sql(sqlInstance()), bad: sql(withoutFlag("log_connections")), address: "google_sql_database_instance.db" },
  "GCP-SQL-LOG-DISCONNECTIONS": { good: sql(sqlInstance()), bad: sql(withoutFlag("log_disconnections")), address: "google_sql_database_instance.db" },
  "GCP-SQL-LOG-LOCK-WAITS": { good: sql(sqlInstance()), bad: sql(withoutFlag("log_lock_waits")), address: "google_sql_database_instance.db" },
  "GCP-SQL-LOG-TEMP-FILES": { good: sql(sqlInstance()), bad: sql(withoutFlag("log_temp_files")), address: "google_sql_database_instance.db" },
  "GCP-SQL-LOG-STATEMENT": { good: sql(sqlInstance()), bad: sql(withoutFlag("log_statement")), address: "google_sql_database_instance.db" },
  "GCP-SQL-PGAUDIT": { good: sql(sqlInstance()), bad: sql(withoutFlag("cloudsql.enable_pgaudit")), address: "google_sql_database_instance.db" },
  "GCP-SQL-IAM-AUTHENTICATION": { good: sql(sqlInstance()), bad: sql(withoutFlag("cloudsql.iam_authentication")), address: "google_sql_database_instance.db" },
  "GCP-SQL-AUTOGROW-NO-REPLACE": {
    good: sql(sqlInstance({ disk_size: 20, disk_autoresize: true }, { lifecycle: { ignore_changes: ["settings[0].disk_size"] } })),
    bad: sql(sqlInstance({ disk_size: 20, disk_autoresize: true })),
    address: "google_sql_database_instance.db",
  },
  "GCP-STATEFUL-PREVENT-DESTROY": {
    good: tf(["google_secret_manager_secret", "s", { secret_id: "s", lifecycle: { prevent_destroy: true } }]),
    bad: tf(["google_secret_manager_secret", "s", { secret_id: "s" }]),
    address: "google_secret_manager_secret.s",
    environment: "production",
  },
  "GCP-BUCKET-ACCESS-LOGGED": {
    good: tf(["google_storage_bucket", "b", gbucket()], ["google_project_iam_audit_config", "a", { service: "storage.googleapis.com", audit_log_config: [{ log_type: "DATA_READ" }, { log_type: "DATA_WRITE" }] }]),
    bad: tf(["google_storage_bucket", "b", gbucket()], ["google_project_iam_audit_config", "a", { service: "storage.googleapis.com", audit_log_config: [{ log_type: "ADMIN_READ" }] }]),
    address: "google_storage_bucket.b",
  },
  // --- Azure --------------------------------------------------------------
  "AZ-VM-ENCRYPTION-AT-HOST": {
    good: tf(["azurerm_linux_virtual_machine", "vm", avm()]),
    bad: tf(["azurerm_linux_virtual_machine", "vm", avm({ encryption_at_host_enabled: false })]),
    address: "azurerm_linux_virtual_machine.vm",
  },
  "AZ-STORAGE-INFRASTRUCTURE-ENCRYPTION": {
    good: tf(["azurerm_storage_account", "sa", account()]),
    bad: tf(["azurerm_storage_account", "sa", account({ infrastructure_encryption_enabled: false })]),
    address: "azurerm_storage_account.sa",
  },
  "AZ-STORAGE-NO-PUBLIC-BLOBS": {
    good: tf(["azurerm_storage_account", "sa", account()]),
    bad: tf(["azurerm_storage_account", "sa", account({ allow_nested_items_to_be_public: true })]),
    address: "azurerm_storage_account.sa",
  },
  "AZ-STORAGE-NETWORK-DENY": {
    good: tf(["azurerm_storage_account", "sa", account()]),
    bad: tf(["azurerm_storage_account", "sa", account({ network_rules: { default_action: "Allow" } })]),
    address: "azurerm_storage_account.sa",
  },
  "AZ-CONTAINER-PRIVATE": {
    good: tf(["azurerm_storage_container", "c", { container_access_type: "private" }]),
    bad: tf(["azurerm_storage_container", "c", { container_access_type: "blob" }]),
    address: "azurerm_storage_container.c",
  },
  "AZ-NIC-NO-PUBLIC-IP": {
    good: tf(["azurerm_network_interface", "nic", { ip_configuration: [{ subnet_id: "s" }] }]),
    bad: tf(["azurerm_network_interface", "nic", { ip_configuration: [{ subnet_id: "s", public_ip_address_id: ref("azurerm_public_ip.ip") }] }]),
    address: "azurerm_network_interface.nic",
  },
  "AZ-NSG-NO-WORLD-ADMIN-PORTS": { good: nsgRule(), bad: nsgRule({ source_address_prefix: "Internet" }), address: "azurerm_network_security_rule.r" },
  "AZ-PG-NO-PUBLIC-ACCESS": { good: pgServer(), bad: pgServer({ public_network_access_enabled: true, delegated_subnet_id: undefined }), address: server },
  "AZ-STORAGE-HTTPS-ONLY": {
    good: tf(["azurerm_storage_account", "sa", account()]),
    bad: tf(["azurerm_storage_account", "sa", account({ https_traffic_only_enabled: false })]),
    address: "azurerm_storage_account.sa",
  },
  "AZ-STORAGE-MIN-TLS": {
    good: tf(["azurerm_storage_account", "sa", account()]),
    bad: tf(["azurerm_storage_account", "sa", account({ min_tls_version: "TLS1_0" })]),
    address: "azurerm_storage_account.sa",
  },
  "AZ-PG-TLS": { good: pgServer(), bad: pgServer({}, { require_secure_transport: "off" }), address: server },
  "AZ-SUBNET-NSG": { good: asubnet(), bad: asubnet({}, ["nat"]), address: "azurerm_subnet.app" },
  "AZ-SUBNET-NAT-EGRESS": { good: asubnet(), bad: asubnet({}, ["nsg"]), address: "azurerm_subnet.app" },
  "AZ-VNET-FLOW-LOGS": {
    good: vnet({ retention_policy: { enabled: true, days: 90 } }),
    bad: vnet(),
    address: "azurerm_virtual_network.v",
  },
  "AZ-VM-SSH-KEYS-ONLY": {
    good: tf(["azurerm_linux_virtual_machine", "vm", avm()]),
    bad: tf(["azurerm_linux_virtual_machine", "vm", avm({ disable_password_authentication: false, admin_password: "${var.pw}" })]),
    address: "azurerm_linux_virtual_machine.vm",
  },
  "AZ-VM-MANAGED-IDENTITY": {
    good: tf(["azurerm_linux_virtual_machine", "vm", avm()]),
    bad: tf(["azurerm_linux_virtual_machine", "vm", avm({ identity: undefined })]),
    address: "azurerm_linux_virtual_machine.vm",
  },
  "AZ-STORAGE-NO-SHARED-KEY": {
    good: tf(["azurerm_storage_account", "sa", account()]),
    bad: tf(["azurerm_storage_account", "sa", account({ shared_access_key_enabled: true })]),
    address: "azurerm_storage_account.sa",
  },
  "AZ-ROLE-SCOPED": {
    good: tf(["azurerm_role_assignment", "ra", { role_definition_name: "Storage Blob Data Contributor", scope: "${azurerm_storage_account.sa.id}/blobServices/default/containers/uploads" }]),
    bad: tf(["azurerm_role_assignment", "ra", { role_definition_name: "Storage Blob Data Contributor", scope: "${azurerm_storage_account.sa.id}" }]),
    address: "azurerm_role_assignment.ra",
  },
  "AZ-PG-GEO-BACKUP": { good: pgServer(), bad: pgServer({ geo_redundant_backup_enabled: false }), address: server },
  "AZ-PG-BACKUP-RETENTION": { good: pgServer(), bad: pgServer({ backup_retention_days: 3 }), address: server },
  "AZ-PG-HIGH-AVAILABILITY": { good: pgServer(), bad: pgServer({ high_availability: undefined }), address: server },
  "AZ-STORAGE-GEO-REPLICATION": {
    good: tf(["azurerm_storage_account", "sa", account()]),
    bad: tf(["azurerm_storage_account", "sa", account({ account_replication_type: "LRS" })]),
    address: "azurerm_storage_account.sa",
  },
  "AZ-STORAGE-SOFT-DELETE": {
    good: tf(["azurerm_storage_account", "sa", account()]),
    bad: tf(["azurerm_storage_account", "sa", account({ blob_properties: { versioning_enabled: true } })]),
    address: "azurerm_storage_account.sa",
  },
  "AZ-PG-DELETION-LOCK": { good: pgServer(), bad: pgServer({}, {}, false), address: server, environment: "production" },
  "AZ-PG-LOG-PARAMETERS": { good: pgServer(), bad: pgServer({}, { log_disconnections: "off" }), address: server },
  "AZ-PG-CONNECTION-THROTTLING": { good: pgServer(), bad: pgServer({}, { "connection_throttle.enable": "off" }), address: server },
  // Azure, issues 10 and 12 (phase A)
  "AZ-VM-NO-EXTENSIONS": {
    good: tf(["azurerm_linux_virtual_machine", "vm", avm({ allow_extension_operations: false })]),
    bad: tf(["azurerm_linux_virtual_machine", "vm", avm()]),
    address: "azurerm_linux_virtual_machine.vm",
  },
  "AZ-KEYVAULT-RBAC": { good: tf(["azurerm_key_vault", "kv", akv()]), bad: tf(["azurerm_key_vault", "kv", akv({ rbac_authorization_enabled: false })]), address: "azurerm_key_vault.kv" },
  "AZ-KEYVAULT-RECOVERABLE": { good: tf(["azurerm_key_vault", "kv", akv()]), bad: tf(["azurerm_key_vault", "kv", akv({ purge_protection_enabled: false })]), address: "azurerm_key_vault.kv" },
  "AZ-KEYVAULT-NETWORK-DENY": {
    good: tf(["azurerm_key_vault", "kv", akv()]),
    bad: tf(["azurerm_key_vault", "kv", akv({ network_acls: { default_action: "Allow", bypass: "AzureServices" } })]),
    address: "azurerm_key_vault.kv",
  },
  "AZ-KEYVAULT-SECRET-CONTENT-TYPE": { good: tf(["azurerm_key_vault_secret", "s", akvs()]), bad: tf(["azurerm_key_vault_secret", "s", akvs({ content_type: undefined })]), address: "azurerm_key_vault_secret.s" },
  "AZ-KEYVAULT-SECRET-EXPIRY": {
    good: tf(["azurerm_key_vault_secret", "s", akvs({ expiration_date: "2030-01-01T00:00:00Z" })]),
    bad: tf(["azurerm_key_vault_secret", "s", akvs()]),
    address: "azurerm_key_vault_secret.s",
  },
  "AZ-KEYVAULT-SECRET-WRITE-ONLY": {
    good: tf(["azurerm_key_vault_secret", "s", akvs()]),
    bad: tf(["azurerm_key_vault_secret", "s", akvs({ value: "${var.pw}", value_wo: undefined, value_wo_version: undefined })]),
    address: "azurerm_key_vault_secret.s",
  },
  "AZ-DELETION-PROTECTION": {
    good: tf(["azurerm_key_vault", "kv", akv()]),
    bad: tf(["azurerm_key_vault", "kv", akv({ lifecycle: undefined })]),
    address: "azurerm_key_vault.kv",
    environment: "production",
  },
  "AZ-PG-LOG-STATEMENT": { good: pgServer({}, { log_statement: "ddl" }), bad: pgServer({}, { log_statement: "none" }), address: server },
  "AZ-PG-PGAUDIT": {
    good: pgServer({}, { "azure.extensions": "PGAUDIT", shared_preload_libraries: "pg_cron,pg_stat_statements,pgaudit", "pgaudit.log": "ddl,role" }),
    bad: pgServer({}, { "azure.extensions": "PGAUDIT", shared_preload_libraries: "pg_cron,pg_stat_statements", "pgaudit.log": "ddl,role" }),
    address: server,
  },
  "AZ-STORAGE-BLOB-ACCESS-LOGS": { good: blobLogs(["StorageRead", "StorageWrite"], 365), bad: blobLogs(["StorageWrite"], 365), address: "azurerm_storage_account.sa" },
  "AZ-STORAGE-SAS-EXPIRATION": {
    good: tf(["azurerm_storage_account", "sa", account({ shared_access_key_enabled: true, sas_policy: { expiration_period: "1.00:00:00", expiration_action: "Block" } })]),
    bad: tf(["azurerm_storage_account", "sa", account({ shared_access_key_enabled: true })]),
    address: "azurerm_storage_account.sa",
  },
};
// Fixtures of rules added for serving the application live next to their own tests.
Object.assign(CASES, AWS_SERVE_CASES);

const ctxOf = (c: PolicyCase): PolicyContext => ({ stack: "fixture", environment: c.environment ?? "staging" });

/** Rules whose fixtures live in their own file (policy-rules-gcp-serve.test.ts). */
const FIXTURES_ELSEWHERE = new Set(GCP_SERVE_RULES.map((r) => r.id));
const RULES_HERE = ALL_RULES.filter((r) => !FIXTURES_ELSEWHERE.has(r.id));

test("every rule has a passing and a failing fixture, and every fixture names a rule", () => {
  expect(Object.keys(CASES).sort()).toEqual(RULES_HERE.map((r) => r.id).sort());
});

test("rule ids are unique and every rule names a scanner control and a fix", () => {
  const ids = EVERY_RULE.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const r of EVERY_RULE) {
    expect(r.controls.length).toBeGreaterThan(0);
    expect(r.fix.length).toBeGreaterThan(10);
  }
});

test("at least 50 rules over the three clouds", () => {
  const perCloud = (c: string) => ALL_RULES.filter((r) => r.cloud === c).length;
  expect(ALL_RULES.length).toBeGreaterThanOrEqual(50);
  expect(Math.min(perCloud("aws"), perCloud("gcp"), perCloud("azure"))).toBeGreaterThanOrEqual(15);
});

describe.each(RULES_HERE.map((r) => [r.id, r] as const))("%s", (id, rule) => {
  const c = CASES[id];

  test("passes on the good fixture", () => {
    expect(ruleIds(evaluate(c.good, ctxOf(c), [rule]))).toEqual([]);
  });

  test("fails on the bad fixture with exactly this rule, on the expected address", () => {
    const violations = evaluate(c.bad, ctxOf(c), [rule]);
    expect(ruleIds(violations)).toEqual([id]);
    expect(violations[0].address).toBe(c.address);
  });
});

describe("no rule depends on the environment's name", () => {
  test.each(["AWS-RDS-DELETION-PROTECTION", "AWS-DYNAMODB-DELETION-PROTECTION", "GCP-SQL-DELETION-PROTECTION", "AZ-PG-DELETION-LOCK"])("%s applies in staging as anywhere (exemptions attach to decisions)", (id) => {
    const rule = ALL_RULES.find((r) => r.id === id)!;
    expect(ruleIds(evaluate(CASES[id].bad, { stack: "s", environment: "staging" }, [rule]))).toEqual([id]);
    expect(ruleIds(evaluate(CASES[id].bad, { stack: "s", environment: "production" }, [rule]))).toEqual([id]);
  });
});

describe("details that matter", () => {
  const only = (id: string) => [ALL_RULES.find((r) => r.id === id)!];
  test("world-open SSH in an inline AWS security group ingress block fails", () => {
    const json = tf(["aws_security_group", "sg", { ingress: [{ from_port: 0, to_port: 65535, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"] }] }]);
    expect(ruleIds(evaluate(json, { stack: "s" }, only("AWS-SG-NO-WORLD-ADMIN-PORTS")))).toEqual(["AWS-SG-NO-WORLD-ADMIN-PORTS"]);
  });

  test("a bucket policy from an aws_iam_policy_document data source is read", () => {
    const json: TfJson = {
      resource: { aws_s3_bucket: { b: {} }, aws_s3_bucket_policy: { p: { bucket: "${aws_s3_bucket.b.id}", policy: "${data.aws_iam_policy_document.d.json}" } } },
      data: { aws_iam_policy_document: { d: { statement: [{ effect: "Deny", actions: ["s3:*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] }] } } },
    };
    expect(ruleIds(evaluate(json, { stack: "s" }, only("AWS-S3-DENY-NON-TLS")))).toEqual([]);
  });

  test("literal secrets in a provider block and in a secret variable's default fail", () => {
    const json: TfJson = { provider: { aws: [{ access_key: "AKIAEXAMPLE", secret_key: "abc" }] }, variable: { db_password: { type: "string", default: "x", sensitive: true } } };
    expect(ruleIds(evaluate(json, { stack: "s" }, only("COMMON-NO-LITERAL-SECRETS")))).toEqual(["COMMON-NO-LITERAL-SECRETS", "COMMON-NO-LITERAL-SECRETS", "COMMON-NO-LITERAL-SECRETS"]);
  });

  test("GCP labels are checked in their normalized form, on the provider and on Cloud SQL user labels", () => {
    const good: TfJson = {
      provider: { google: [{ default_labels: { project: "p", environment: "staging", "managed-by": "cdktf" } }] },
      resource: { google_sql_database_instance: { db: { settings: { user_labels: { project: "p" } } } } },
    };
    const violations = evaluate(good, { stack: "s", environment: "staging" }, only("COMMON-TAGS"));
    expect(violations.map((v) => [v.address, v.message])).toEqual([["google_sql_database_instance.db", "user labels lack managed-by, environment"]]);
  });

  test("Azure resources that take no tags (subnets) are not asked for tags", () => {
    const json = tf(["azurerm_subnet", "s", {}], ["azurerm_resource_group", "rg", { tags: { Project: "p", ManagedBy: "cdktf" } }]);
    expect(ruleIds(evaluate(json, { stack: "s" }, only("COMMON-TAGS")))).toEqual([]);
  });
});
