/**
 * AWS HTTPS entry: an internet-facing Application Load Balancer in the
 * public subnets, the only thing the app tier admits on its port.
 *
 * - Listeners: 443 with ACM's certificate for `domain` and the TLS 1.3/1.2
 *   policy, HSTS added to every response; 80 answers only with a permanent
 *   redirect to 443. Invalid header fields are dropped.
 * - Backend: one HTTP target group on the tier's port, health-checked on the
 *   tier's path, attached to the tier's Auto Scaling group (whose health
 *   checks then follow it).
 * - Certificate: ACM, DNS validation, replaced before it is destroyed. The
 *   HTTPS listener waits for issuance (`aws_acm_certificate_validation`).
 *   With `dnsZone`, the alias record and the validation record are created in
 *   Route 53; `dnsRecords` always lists what the domain needs.
 * - WAFv2 (REGIONAL) with the AWS managed common, known-bad-inputs and SQL
 *   injection rule groups, associated with the load balancer and logging to
 *   an encrypted `aws-waf-logs-` log group (authorization and cookie headers
 *   redacted).
 * - Access logs to a dedicated bucket ALB log delivery can write (SSE-S3: the
 *   only encryption ALB log delivery supports), versioned, TLS-only, public
 *   access blocked, expired after the retention.
 * - `deletionProtection` turns on the load balancer's deletion protection and
 *   makes Terraform refuse to destroy it (`prevent_destroy`), its access-log
 *   bucket and its WAF log group. The API's protection alone acts only when
 *   DeleteLoadBalancer is called, after Terraform has already destroyed the
 *   listeners and the WAF association; and the domain's record names the load
 *   balancer's DNS name, which a new load balancer does not keep.
 */
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { AutoscalingAttachment } from "@cdktf/provider-aws/lib/autoscaling-attachment";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import { Peer } from "../connections";
import { ValidationError, shortHash } from "../core";
import { DnsRecord, HttpsEntryProps, IHttpsEntry, validateHttpsEntryProps } from "../https-entry";
import { CLOUDWATCH_LOG_RETENTION_DAYS } from "../network";
import { claimName, recordDecision } from "../stack";
import { awsAppTierOf, fitName } from "./app-tier";
import { SecureBucket, secureBucket } from "./bucket";
import { AwsConnections } from "./connections";
import { checkAwsName } from "./naming";
import { AwsNetwork } from "./network";
import { AwsPlatform, policyDocument } from "./platform";

/** TLS 1.3 and 1.2 only, forward-secret AEAD ciphers (AWS's recommended policy for new HTTPS listeners). */
export const AWS_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Strict-Transport-Security the HTTPS listener adds to every response (one year; subdomains are left to their owners). */
export const AWS_HSTS_HEADER = "max-age=31536000";

/** AWS managed rule groups in the web ACL, in evaluation order: the OWASP-style baseline, known bad inputs (Log4j included), SQL injection. */
export const AWS_WAF_MANAGED_RULE_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"] as const;

/** Request headers WAF keeps out of its logs (WAF compares them in lower case). */
export const AWS_WAF_REDACTED_HEADERS = ["authorization", "cookie"] as const;

/**
 * Regions opened before August 2022, where ALB log delivery writes as the region's ELB account (the provider's
 * `aws_elb_service_account` knows its id). Newer regions deliver as the `logdelivery.elasticloadbalancing`
 * service principal, which the bucket policy admits everywhere.
 */
export const AWS_ELB_ACCOUNT_LOG_DELIVERY_REGIONS: ReadonlySet<string> = new Set([
  "af-south-1",
  "ap-east-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ca-central-1",
  "cn-north-1",
  "cn-northwest-1",
  "eu-central-1",
  "eu-north-1",
  "eu-south-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "me-south-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-west-1",
  "us-west-2",
]);

/** Where in the log bucket the load balancer writes (ALB adds `AWSLogs/<account>/...`). */
export const AWS_ACCESS_LOG_PREFIX = "alb";

/** Load balancer and target group names: 1-32 letters, digits and hyphens. */
const LB_NAME_MAX = 32;

export class AwsHttpsEntry extends Construct implements IHttpsEntry {
  public readonly cloud = "aws" as const;
  /** The Application Load Balancer. */
  public readonly resource: Lb;
  public readonly securityGroup: SecurityGroup;
  public readonly connections: AwsConnections;
  public readonly targetGroup: LbTargetGroup;
  public readonly httpsListener: LbListener;
  public readonly httpListener: LbListener;
  public readonly certificate: AcmCertificate;
  public readonly certificateValidation: AcmCertificateValidation;
  public readonly accessLogBucket: S3Bucket;
  /** The web ACL, when `webApplicationFirewall` is on. */
  public readonly webAcl?: Wafv2WebAcl;
  public readonly url: string;
  public readonly address: string;
  public readonly dnsRecords: readonly DnsRecord[];

  constructor(scope: Construct, id: string, props: HttpsEntryProps) {
    super(scope, id);
    const platform = AwsPlatform.of(this);
    const p = validateHttpsEntryProps("aws", id, props);
    const context = `HttpsEntry '${id}' (aws)`;
    const network = AwsNetwork.of(p.network);
    const tier = awsAppTierOf(context, "httpsEntry.target", p.target);
    if (tier.network !== network) {
      throw new ValidationError(context, [{ field: "httpsEntry.target", value: tier.node.path, accepted: `an app tier in the entry's network (${network.node.path})` }]);
    }
    if (!CLOUDWATCH_LOG_RETENTION_DAYS.includes(p.accessLogRetentionDays)) {
      throw new ValidationError(context, [
        {
          field: "httpsEntry.accessLogRetentionDays",
          value: p.accessLogRetentionDays,
          accepted: `a CloudWatch Logs retention period (${CLOUDWATCH_LOG_RETENTION_DAYS.filter((d) => d >= 30 && d <= 3650).join(", ")})`,
        },
      ]);
    }
    const name = `${platform.namePrefix}-${id}`;
    const lbName = claimName(this, "aws:lb", fitName(name, LB_NAME_MAX), "load balancer name");

    // --- network identity: 443 and 80 from the internet, and (below) egress only to the tier on its port --------
    this.securityGroup = new SecurityGroup(this, "sg", {
      name: `${name}-alb`,
      description: `Load balancer ${lbName}: HTTPS and HTTP (redirect) from the internet, out only to its targets`,
      vpcId: network.resource.id,
      tags: { Name: `${name}-alb` },
    });
    this.connections = new AwsConnections(this, this.securityGroup.id);
    this.connections.allowFrom(Peer.anyIpv4(), 443, "HTTPS from the internet");
    this.connections.allowFrom(Peer.anyIpv4(), 80, "HTTP from the internet (redirected to HTTPS)");
    tier.connections.allowFrom(this, tier.port, `port ${tier.port} to the app tier from load balancer ${lbName} (traffic and health checks)`);

    // --- access logs --------------------------------------------------------------------------------------
    const logs = this.accessLogs(platform, name, p.accessLogRetentionDays, p.deletionProtection);
    this.accessLogBucket = logs.bucket;

    // --- load balancer ------------------------------------------------------------------------------------
    this.resource = new Lb(this, "Resource", {
      name: lbName,
      loadBalancerType: "application",
      internal: false,
      ipAddressType: "ipv4",
      subnets: network.subnets.public.map((s) => s.id),
      securityGroups: [this.securityGroup.id],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "defensive",
      enableHttp2: true,
      idleTimeout: 60,
      enableDeletionProtection: p.deletionProtection,
      accessLogs: { bucket: this.accessLogBucket.bucket, prefix: AWS_ACCESS_LOG_PREFIX, enabled: true },
      tags: { Name: lbName },
      // ELB writes a test object when access logs are switched on: the bucket policy must exist first.
      dependsOn: [logs.policy],
      // Refused at plan time, before anything else of the entry is destroyed (the API refuses only at its own delete).
      lifecycle: p.deletionProtection ? { preventDestroy: true } : undefined,
    });
    if (!p.deletionProtection) recordDecision(this.resource, "no-deletion-protection");
    this.address = this.resource.dnsName;
    this.url = `https://${p.domain}`;

    // --- backend ------------------------------------------------------------------------------------------
    this.targetGroup = new LbTargetGroup(this, "target-group", {
      // The port is in the name: a new port is a new target group, created before the old one goes.
      name: claimName(this, "aws:lb-target-group", fitName(`${name}-${tier.port}`, LB_NAME_MAX), "target group name"),
      port: tier.port,
      protocol: "HTTP",
      targetType: "instance",
      vpcId: network.resource.id,
      deregistrationDelay: "30",
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: tier.healthCheckPath,
        matcher: "200",
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      tags: { Name: fitName(`${name}-${tier.port}`, LB_NAME_MAX) },
      lifecycle: { createBeforeDestroy: true },
    });
    new AutoscalingAttachment(this, "target-group-attachment", { autoscalingGroupName: tier.groupName, lbTargetGroupArn: this.targetGroup.arn });

    // --- certificate and DNS ------------------------------------------------------------------------------
    const cert = new Construct(this, "certificate");
    this.certificate = new AcmCertificate(cert, "Resource", {
      domainName: p.domain,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      tags: { Name: p.domain },
      // The listener holds the certificate: a replacement must exist before the old one can be deleted.
      lifecycle: { createBeforeDestroy: true },
    });
    const validation = this.certificate.domainValidationOptions.get(0);
    const zone = p.dnsZone === undefined ? undefined : new DataAwsRoute53Zone(this, "zone", { name: p.dnsZone, privateZone: false });
    const validationRecord = zone
      ? new Route53Record(cert, "validation-record", {
          zoneId: zone.zoneId,
          name: validation.resourceRecordName,
          type: validation.resourceRecordType,
          records: [validation.resourceRecordValue],
          ttl: 300,
          // ACM reuses the same record for a renewed or re-requested certificate of the same name.
          allowOverwrite: true,
        })
      : undefined;
    this.certificateValidation = new AcmCertificateValidation(cert, "validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: validationRecord ? [validationRecord.fqdn] : undefined,
    });
    if (zone) {
      new Route53Record(this, "alias-record", {
        zoneId: zone.zoneId,
        name: p.domain,
        type: "A",
        alias: { name: this.resource.dnsName, zoneId: this.resource.zoneId, evaluateTargetHealth: true },
      });
    }
    this.dnsRecords = [
      zone
        ? { name: p.domain, type: "A", value: this.resource.dnsName, purpose: "serve" }
        : { name: p.domain, type: "CNAME", value: this.resource.dnsName, purpose: "serve" },
      { name: validation.resourceRecordName, type: "CNAME", value: validation.resourceRecordValue, purpose: "certificate-validation" },
    ];

    // --- listeners ----------------------------------------------------------------------------------------
    this.httpsListener = new LbListener(this, "https", {
      loadBalancerArn: this.resource.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: AWS_TLS_POLICY,
      // The validated ARN: the listener is created only once the certificate is issued.
      certificateArn: this.certificateValidation.certificateArn,
      routingHttpResponseStrictTransportSecurityHeaderValue: AWS_HSTS_HEADER,
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      tags: { Name: `${lbName}-https` },
    });
    this.httpListener = new LbListener(this, "http", {
      loadBalancerArn: this.resource.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      tags: { Name: `${lbName}-http` },
    });

    // --- web application firewall -------------------------------------------------------------------------
    if (p.webApplicationFirewall) {
      this.webAcl = this.firewall(platform, name, p.accessLogRetentionDays, p.deletionProtection);
    } else {
      recordDecision(this.resource, "no-web-application-firewall");
    }
  }

  /**
   * The access-log bucket, built like every bucket (constructs/aws/bucket.ts): SSE-S3 (ALB log delivery supports
   * nothing else), versioned, TLS-only, private, expiring, with its own S3 server access logs in the stack's
   * access-log bucket.
   */
  private accessLogs(platform: AwsPlatform, name: string, retentionDays: number, deletionProtection: boolean): SecureBucket {
    const scope = new Construct(this, "access-logs");
    const bucketName = claimName(
      scope,
      "aws:s3-bucket",
      checkAwsName("s3Bucket", "httpsEntry (access-log bucket name)", `${fitName(`${name}-logs`, 55)}-${shortHash(`aws/${platform.namePrefix}/${scope.node.path}`)}`),
      "bucket name",
    );
    // Older regions deliver as their ELB account too (AWS_ELB_ACCOUNT_LOG_DELIVERY_REGIONS).
    const elb = AWS_ELB_ACCOUNT_LOG_DELIVERY_REGIONS.has(platform.region) ? new DataAwsElbServiceAccount(scope, "elb-account", {}) : undefined;
    const parts = secureBucket(scope, {
      name: bucketName,
      versioned: true,
      deletionProtection,
      lifecycleRules: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 7 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        { id: "remove-expired-delete-markers", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ expiredObjectDeleteMarker: true }] },
      ],
      extraPolicyStatements: (bucketArn) => {
        const logs = `${bucketArn}/${AWS_ACCESS_LOG_PREFIX}/AWSLogs/${platform.accountId}/*`;
        return [
          { Sid: "LoadBalancerLogDelivery", Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: logs },
          ...(elb ? [{ Sid: "LoadBalancerLogDeliveryRegionAccount", Effect: "Allow", Principal: { AWS: elb.arn }, Action: "s3:PutObject", Resource: logs }] : []),
        ];
      },
      accessLogs: platform.accessLogs,
    });
    recordDecision(parts.encryption, "log-bucket-sse-s3");
    // Kept in the load balancer's region (no replica); who reads these logs is recorded in the stack's access-log bucket.
    recordDecision(parts.bucket, "log-bucket-sse-s3");
    return parts;
  }

  /** The web ACL with the managed rule groups, associated with the load balancer, logging to CloudWatch Logs. */
  private firewall(platform: AwsPlatform, name: string, retentionDays: number, deletionProtection: boolean): Wafv2WebAcl {
    const scope = new Construct(this, "waf");
    const metric = (suffix: string) => ({ cloudwatchMetricsEnabled: true, metricName: `${name}-${suffix}`, sampledRequestsEnabled: true });
    const acl = new Wafv2WebAcl(scope, "Resource", {
      name: claimName(scope, "aws:wafv2-web-acl", name, "web ACL name"),
      description: `Managed rule groups in front of ${name}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: AWS_WAF_MANAGED_RULE_GROUPS.map((group, i) => ({
        name: group,
        priority: (i + 1) * 10,
        overrideAction: { none: {} },
        statement: { managed_rule_group_statement: { name: group, vendor_name: "AWS" } },
        visibilityConfig: metric(group),
      })),
      visibilityConfig: metric("web-acl"),
      tags: { Name: name },
    });
    new Wafv2WebAclAssociation(scope, "association", { resourceArn: this.resource.arn, webAclArn: acl.arn });

    // WAF delivers only to log groups named aws-waf-logs-*.
    const logGroup = new CloudwatchLogGroup(scope, "log-group", {
      name: `aws-waf-logs-${name}`,
      retentionInDays: retentionDays,
      kmsKeyId: platform.encryptionKey.keyRef,
      lifecycle: deletionProtection ? { preventDestroy: true } : undefined,
    });
    if (!deletionProtection) recordDecision(logGroup, "no-deletion-protection");
    // Explicit delivery permission on this one group (otherwise WAF writes an account-wide resource policy itself).
    const delivery = new CloudwatchLogResourcePolicy(scope, "log-delivery", {
      policyName: `${name}-waf-log-delivery`,
      policyDocument: policyDocument([
        {
          Sid: "WafLogDelivery",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: [`${logGroup.arn}:*`],
          Condition: {
            ArnLike: { "aws:SourceArn": platform.arn("logs", "*") },
            StringEquals: { "aws:SourceAccount": platform.accountId },
          },
        },
      ]),
    });
    new Wafv2WebAclLoggingConfiguration(scope, "logging", {
      resourceArn: acl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: AWS_WAF_REDACTED_HEADERS.map((h) => ({ singleHeader: { name: h } })),
      dependsOn: [delivery],
    });
    return acl;
  }
}
