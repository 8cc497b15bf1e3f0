/** Baseline AWS stack: the stock root-namespace import (see main.ts). Comparable resources, not a copy of constructs/aws. */
import * as aws from "@cdktf/provider-aws";
import { Fn, TerraformOutput, TerraformStack } from "cdktf";

const trust = (service: string): string =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

export function buildAws(stack: TerraformStack, environment: string): void {
  const production = environment === "production";
  const name = `taskflow-${environment}`;
  const tags = { Project: "taskflow", Environment: environment, ManagedBy: "cdktf" };
  new aws.provider.AwsProvider(stack, "aws", { region: "us-east-1", defaultTags: [{ tags }] });

  const zones = new aws.dataAwsAvailabilityZones.DataAwsAvailabilityZones(stack, "zones", { state: "available" });
  const key = new aws.kmsKey.KmsKey(stack, "key", { description: `${name} data`, enableKeyRotation: true, deletionWindowInDays: 30 });
  new aws.kmsAlias.KmsAlias(stack, "key-alias", { name: `alias/${name}`, targetKeyId: key.keyId });

  // Network: three tiers over two zones, NAT per zone in production.
  const vpc = new aws.vpc.Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } });
  new aws.defaultSecurityGroup.DefaultSecurityGroup(stack, "default-sg", { vpcId: vpc.id });
  const tiers = ["public", "application", "data"];
  const subnets: Record<string, aws.subnet.Subnet[]> = {};
  tiers.forEach((tier, t) => {
    subnets[tier] = [0, 1].map(
      (z) =>
        new aws.subnet.Subnet(stack, `${tier}-${z}`, {
          vpcId: vpc.id,
          cidrBlock: `10.0.${t * 16 + z * 8}.0/21`,
          availabilityZone: Fn.element(zones.names, z),
          tags: { Name: `${name}-${tier}-${z}` },
        }),
    );
  });
  const igw = new aws.internetGateway.InternetGateway(stack, "igw", { vpcId: vpc.id });
  const publicRt = new aws.routeTable.RouteTable(stack, "public-rt", { vpcId: vpc.id });
  new aws.route.Route(stack, "public-route", { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
  subnets.public.forEach((s, i) => new aws.routeTableAssociation.RouteTableAssociation(stack, `public-rta-${i}`, { subnetId: s.id, routeTableId: publicRt.id }));
  const nats = (production ? [0, 1] : [0]).map((i) => {
    const ip = new aws.eip.Eip(stack, `nat-ip-${i}`, { domain: "vpc" });
    return new aws.natGateway.NatGateway(stack, `nat-${i}`, { allocationId: ip.allocationId, subnetId: subnets.public[i].id, dependsOn: [igw] });
  });
  subnets.application.forEach((s, i) => {
    const rt = new aws.routeTable.RouteTable(stack, `app-rt-${i}`, { vpcId: vpc.id });
    new aws.route.Route(stack, `app-route-${i}`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[i % nats.length].id });
    new aws.routeTableAssociation.RouteTableAssociation(stack, `app-rta-${i}`, { subnetId: s.id, routeTableId: rt.id });
  });
  const dataRt = new aws.routeTable.RouteTable(stack, "data-rt", { vpcId: vpc.id });
  subnets.data.forEach((s, i) => new aws.routeTableAssociation.RouteTableAssociation(stack, `data-rta-${i}`, { subnetId: s.id, routeTableId: dataRt.id }));
  const flowLogs = new aws.cloudwatchLogGroup.CloudwatchLogGroup(stack, "flow-logs", { name: `/vpc/${name}`, retentionInDays: 90, kmsKeyId: key.arn });
  const flowRole = new aws.iamRole.IamRole(stack, "flow-role", { name: `${name}-flow`, assumeRolePolicy: trust("vpc-flow-logs.amazonaws.com") });
  new aws.iamRolePolicy.IamRolePolicy(stack, "flow-policy", {
    role: flowRole.id,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["logs:PutLogEvents", "logs:CreateLogStream"], Resource: `${flowLogs.arn}:*` }] }),
  });
  new aws.flowLog.FlowLog(stack, "flow-log", { vpcId: vpc.id, trafficType: "ALL", logDestination: flowLogs.arn, iamRoleArn: flowRole.arn });

  // Application VM.
  const ami = new aws.dataAwsAmi.DataAwsAmi(stack, "ami", { mostRecent: true, owners: ["amazon"], filter: [{ name: "name", values: ["al2023-ami-2023.*-x86_64"] }] });
  const vmRole = new aws.iamRole.IamRole(stack, "vm-role", { name: `${name}-vm`, assumeRolePolicy: trust("ec2.amazonaws.com") });
  const profile = new aws.iamInstanceProfile.IamInstanceProfile(stack, "vm-profile", { name: `${name}-vm`, role: vmRole.name });
  const vmSg = new aws.securityGroup.SecurityGroup(stack, "vm-sg", { name: `${name}-vm`, vpcId: vpc.id });
  subnets.public.forEach(
    (s, i) =>
      new aws.vpcSecurityGroupIngressRule.VpcSecurityGroupIngressRule(stack, `vm-in-${i}`, {
        securityGroupId: vmSg.id, ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: s.cidrBlock,
      }),
  );
  new aws.vpcSecurityGroupEgressRule.VpcSecurityGroupEgressRule(stack, "vm-out", { securityGroupId: vmSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
  const vm = new aws.instance.Instance(stack, "vm", {
    ami: ami.id,
    instanceType: production ? "t3.large" : "t3.small",
    subnetId: subnets.application[0].id,
    vpcSecurityGroupIds: [vmSg.id],
    iamInstanceProfile: profile.name,
    metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
    rootBlockDevice: { encrypted: true, kmsKeyId: key.arn, volumeType: "gp3", volumeSize: 30 },
    tags: { Name: `${name}-app` },
  });

  // Uploads bucket.
  const bucket = new aws.s3Bucket.S3Bucket(stack, "uploads", { bucket: `${name}-uploads` });
  new aws.s3BucketVersioning.S3BucketVersioningA(stack, "uploads-versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  new aws.s3BucketServerSideEncryptionConfiguration.S3BucketServerSideEncryptionConfigurationA(stack, "uploads-encryption", {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
  });
  const block = new aws.s3BucketPublicAccessBlock.S3BucketPublicAccessBlock(stack, "uploads-block", {
    bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  });
  new aws.s3BucketOwnershipControls.S3BucketOwnershipControls(stack, "uploads-ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
  new aws.s3BucketPolicy.S3BucketPolicy(stack, "uploads-policy", {
    bucket: bucket.id,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: `${bucket.arn}/*`, Condition: { Bool: { "aws:SecureTransport": "false" } } }] }),
    dependsOn: [block],
  });
  new aws.s3BucketLifecycleConfiguration.S3BucketLifecycleConfiguration(stack, "uploads-lifecycle", {
    bucket: bucket.id,
    rule: [{ id: "abort-uploads", status: "Enabled", filter: [{ prefix: "" }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] }],
  });
  new aws.iamRolePolicy.IamRolePolicy(stack, "vm-uploads", {
    role: vmRole.id,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `${bucket.arn}/*` }] }),
  });

  // PostgreSQL.
  const dbSubnets = new aws.dbSubnetGroup.DbSubnetGroup(stack, "db-subnets", { name: `${name}-db`, subnetIds: subnets.data.map((s) => s.id) });
  const dbSg = new aws.securityGroup.SecurityGroup(stack, "db-sg", { name: `${name}-db`, vpcId: vpc.id });
  new aws.vpcSecurityGroupIngressRule.VpcSecurityGroupIngressRule(stack, "db-in", { securityGroupId: dbSg.id, referencedSecurityGroupId: vmSg.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
  new aws.vpcSecurityGroupEgressRule.VpcSecurityGroupEgressRule(stack, "vm-to-db", { securityGroupId: vmSg.id, referencedSecurityGroupId: dbSg.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 });
  const params = new aws.dbParameterGroup.DbParameterGroup(stack, "db-params", { name: `${name}-pg16`, family: "postgres16", parameter: [{ name: "rds.force_ssl", value: "1" }] });
  const dbLogs = ["postgresql", "upgrade"].map((log) => new aws.cloudwatchLogGroup.CloudwatchLogGroup(stack, `db-log-${log}`, { name: `/rds/${name}/${log}`, retentionInDays: 365, kmsKeyId: key.arn }));
  const monitoring = new aws.iamRole.IamRole(stack, "db-monitoring", { name: `${name}-rds-monitoring`, assumeRolePolicy: trust("monitoring.rds.amazonaws.com") });
  new aws.iamRolePolicyAttachment.IamRolePolicyAttachment(stack, "db-monitoring-policy", { role: monitoring.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" });
  const db = new aws.dbInstance.DbInstance(stack, "db", {
    identifier: `${name}-db`,
    engine: "postgres",
    engineVersion: "16",
    instanceClass: production ? "db.m6g.large" : "db.t4g.small",
    allocatedStorage: 20,
    storageEncrypted: true,
    kmsKeyId: key.arn,
    dbName: "taskflow",
    username: "taskflow_admin",
    manageMasterUserPassword: true,
    dbSubnetGroupName: dbSubnets.name,
    vpcSecurityGroupIds: [dbSg.id],
    parameterGroupName: params.name,
    multiAz: production,
    deletionProtection: production,
    skipFinalSnapshot: !production,
    backupRetentionPeriod: production ? 14 : 7,
    monitoringInterval: 60,
    monitoringRoleArn: monitoring.arn,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    dependsOn: dbLogs,
  });

  new aws.budgetsBudget.BudgetsBudget(stack, "budget", {
    name: `${name}-monthly`,
    budgetType: "COST",
    timeUnit: "MONTHLY",
    limitAmount: production ? "2000" : "200",
    limitUnit: "USD",
    notification: [{ comparisonOperator: "GREATER_THAN", notificationType: "ACTUAL", threshold: 80, thresholdType: "PERCENTAGE", subscriberEmailAddresses: ["platform-team@example.com"] }],
  });

  new TerraformOutput(stack, "vm_private_ip", { value: vm.privateIp });
  new TerraformOutput(stack, "bucket_name", { value: bucket.bucket });
  new TerraformOutput(stack, "database_endpoint", { value: db.endpoint });
}
