/**
 * Policy fixtures for the AWS rules of serving the application (issue 11):
 * one passing and one failing hand-written Terraform JSON per rule, in the
 * style of policy-rules.test.ts. Not a test file: policy-rules.test.ts adds
 * these cases to its table (every rule has fixtures) and
 * policy-rules-aws-serve.test.ts adds the details. Its `tf` and `ref`
 * builders serve the GCP and Azure policy fixture files too.
 */
import { Environment } from "../constructs/core";
import { TfJson } from "../constructs/policy";

type Body = Record<string, any>;

/** One rule's fixtures (the shape of every policy-rules.test.ts case). */
export interface PolicyCase {
  readonly good: TfJson;
  readonly bad: TfJson;
  /** Address the failing fixture must report. */
  readonly address: string;
  readonly environment?: Environment;
}

/** `{ resource: { type: { name: body } } }` for several resources. */
export function tf(...items: [type: string, name: string, body: Body][]): TfJson {
  const resource: Record<string, Record<string, Body>> = {};
  for (const [type, name, body] of items) (resource[type] ??= {})[name] = body;
  return { resource };
}
/** `${address.attr}`: what a reference to `address` synthesizes to. */
export const ref = (address: string, attr = "id") => `\${${address}.${attr}}`;

// Good baselines; bad fixtures override one attribute.
export const alb = (o: Body = {}): Body => ({
  load_balancer_type: "application",
  internal: false,
  drop_invalid_header_fields: true,
  enable_deletion_protection: true,
  access_logs: { bucket: ref("aws_s3_bucket.logs", "bucket"), enabled: true },
  lifecycle: { prevent_destroy: true },
  ...o,
});
export const httpRedirect = (o: Body = {}): Body => ({
  load_balancer_arn: ref("aws_lb.lb", "arn"),
  port: 80,
  protocol: "HTTP",
  default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
  ...o,
});
export const httpsListener = (o: Body = {}): Body => ({
  load_balancer_arn: ref("aws_lb.lb", "arn"),
  port: 443,
  protocol: "HTTPS",
  ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
  default_action: [{ type: "forward", target_group_arn: ref("aws_lb_target_group.tg", "arn") }],
  ...o,
});
export const webAcl = (groups: [name: string, counted?: boolean][] = [["AWSManagedRulesCommonRuleSet"], ["AWSManagedRulesKnownBadInputsRuleSet"]]): Body => ({
  scope: "REGIONAL",
  rule: groups.map(([name, counted], i) => ({
    name,
    priority: i,
    override_action: counted ? { count: {} } : { none: {} },
    statement: { managed_rule_group_statement: { name, vendor_name: "AWS" } },
  })),
});
export const launchTemplate = (o: Body = {}): Body => ({
  metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
  network_interfaces: [{ device_index: 0, associate_public_ip_address: "false" }],
  block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true" } }],
  ...o,
});
export const asg = (o: Body = {}): Body => ({
  vpc_zone_identifier: [ref("aws_subnet.a"), ref("aws_subnet.b")],
  launch_template: { id: ref("aws_launch_template.lt"), version: ref("aws_launch_template.lt", "latest_version") },
  health_check_type: "ELB",
  instance_refresh: { strategy: "Rolling", preferences: { min_healthy_percentage: 100 } },
  ...o,
});
const attachment: [string, string, Body] = ["aws_autoscaling_attachment", "att", { autoscaling_group_name: ref("aws_autoscaling_group.g", "name"), lb_target_group_arn: ref("aws_lb_target_group.tg", "arn") }];

export const AWS_SERVE_CASES: Record<string, PolicyCase> = {
  "AWS-LB-HTTPS-ONLY": {
    good: tf(["aws_lb", "lb", alb()], ["aws_lb_listener", "http", httpRedirect()], ["aws_lb_listener", "https", httpsListener()]),
    bad: tf(["aws_lb", "lb", alb()], ["aws_lb_listener", "http", httpRedirect({ default_action: [{ type: "forward", target_group_arn: ref("aws_lb_target_group.tg", "arn") }] })]),
    address: "aws_lb_listener.http",
  },
  "AWS-LB-TLS-POLICY": {
    good: tf(["aws_lb_listener", "https", httpsListener()]),
    bad: tf(["aws_lb_listener", "https", httpsListener({ ssl_policy: "ELBSecurityPolicy-2016-08" })]),
    address: "aws_lb_listener.https",
  },
  "AWS-LB-DROP-INVALID-HEADERS": {
    good: tf(["aws_lb", "lb", alb()]),
    bad: tf(["aws_lb", "lb", alb({ drop_invalid_header_fields: false })]),
    address: "aws_lb.lb",
  },
  "AWS-LB-TARGET-HEALTH-CHECK": {
    good: tf(["aws_lb_target_group", "tg", { port: 8080, protocol: "HTTP", health_check: { enabled: true, path: "/health", matcher: "200" } }]),
    bad: tf(["aws_lb_target_group", "tg", { port: 8080, protocol: "HTTP", health_check: { enabled: true } }]),
    address: "aws_lb_target_group.tg",
  },
  "AWS-LB-WAF": {
    good: tf(["aws_lb", "lb", alb()], ["aws_wafv2_web_acl_association", "a", { resource_arn: ref("aws_lb.lb", "arn"), web_acl_arn: ref("aws_wafv2_web_acl.acl", "arn") }]),
    bad: tf(["aws_lb", "lb", alb()]),
    address: "aws_lb.lb",
  },
  "AWS-WAF-MANAGED-RULES": {
    good: tf(["aws_wafv2_web_acl", "acl", webAcl()]),
    bad: tf(["aws_wafv2_web_acl", "acl", webAcl([["AWSManagedRulesCommonRuleSet"], ["AWSManagedRulesKnownBadInputsRuleSet", true]])]),
    address: "aws_wafv2_web_acl.acl",
  },
  "AWS-LT-NO-PUBLIC-IP": {
    good: tf(["aws_launch_template", "lt", launchTemplate()]),
    bad: tf(["aws_launch_template", "lt", launchTemplate({ network_interfaces: [{ device_index: 0, associate_public_ip_address: "true" }] })]),
    address: "aws_launch_template.lt",
  },
  "AWS-LT-VOLUMES-ENCRYPTED": {
    good: tf(["aws_launch_template", "lt", launchTemplate()]),
    bad: tf(["aws_launch_template", "lt", launchTemplate({ block_device_mappings: [{ device_name: "/dev/xvda", ebs: { volume_size: 20 } }] })]),
    address: "aws_launch_template.lt",
  },
  "AWS-LT-IMDS-HOP-LIMIT": {
    good: tf(["aws_launch_template", "lt", launchTemplate()]),
    bad: tf(["aws_launch_template", "lt", launchTemplate({ metadata_options: { http_tokens: "required", http_put_response_hop_limit: 2 } })]),
    address: "aws_launch_template.lt",
  },
  "AWS-ASG-LAUNCH-TEMPLATE": {
    good: tf(["aws_autoscaling_group", "g", asg()]),
    bad: tf(["aws_autoscaling_group", "g", asg({ launch_template: undefined, launch_configuration: "lc" })]),
    address: "aws_autoscaling_group.g",
  },
  "AWS-ASG-ELB-HEALTH": {
    good: tf(["aws_autoscaling_group", "g", asg()], attachment),
    bad: tf(["aws_autoscaling_group", "g", asg({ health_check_type: "EC2" })], attachment),
    address: "aws_autoscaling_group.g",
  },
  "AWS-ASG-MULTI-AZ": {
    good: tf(["aws_autoscaling_group", "g", asg()]),
    bad: tf(["aws_autoscaling_group", "g", asg({ vpc_zone_identifier: [ref("aws_subnet.a")] })]),
    address: "aws_autoscaling_group.g",
  },
  "AWS-ASG-ROLLING-REPLACEMENT": {
    good: tf(["aws_autoscaling_group", "g", asg()]),
    bad: tf(["aws_autoscaling_group", "g", asg({ instance_refresh: { strategy: "Rolling", preferences: { min_healthy_percentage: 0 } } })]),
    address: "aws_autoscaling_group.g",
  },
  "AWS-LB-DELETION-PROTECTION": {
    good: tf(["aws_lb", "lb", alb()]),
    bad: tf(["aws_lb", "lb", alb({ enable_deletion_protection: false })]),
    address: "aws_lb.lb",
    environment: "production",
  },
  "AWS-ACM-CREATE-BEFORE-DESTROY": {
    good: tf(["aws_acm_certificate", "c", { domain_name: "app.example.com", validation_method: "DNS", lifecycle: { create_before_destroy: true } }]),
    bad: tf(["aws_acm_certificate", "c", { domain_name: "app.example.com", validation_method: "DNS" }]),
    address: "aws_acm_certificate.c",
  },
  "AWS-LB-ACCESS-LOGS": {
    good: tf(["aws_lb", "lb", alb()]),
    bad: tf(["aws_lb", "lb", alb({ access_logs: { bucket: "b", enabled: false } })]),
    address: "aws_lb.lb",
  },
  "AWS-WAF-LOGGING": {
    good: tf(["aws_wafv2_web_acl", "acl", webAcl()], ["aws_wafv2_web_acl_logging_configuration", "l", { resource_arn: ref("aws_wafv2_web_acl.acl", "arn"), log_destination_configs: ["arn:aws:logs:us-east-1:1:log-group:aws-waf-logs-x"] }]),
    bad: tf(["aws_wafv2_web_acl", "acl", webAcl()]),
    address: "aws_wafv2_web_acl.acl",
  },
};
