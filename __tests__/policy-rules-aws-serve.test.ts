/**
 * Policy rules for serving the application on AWS: every rule passes its
 * good fixture and fails its bad one with exactly that rule on the expected
 * address (fixtures in policy-fixtures-aws-serve.ts), plus the details a
 * one-attribute fixture does not show.
 */
import { ALL_RULES, PolicyContext, TfJson, evaluate, ruleIds } from "../constructs/policy";
import { AWS_SERVE_CASES, PolicyCase, alb, asg, httpRedirect, httpsListener, launchTemplate, tf, webAcl } from "./policy-fixtures-aws-serve";

const SERVE_RULE_IDS = Object.keys(AWS_SERVE_CASES);
const rule = (id: string) => ALL_RULES.find((r) => r.id === id)!;
const only = (id: string) => [rule(id)];
const ctxOf = (c: PolicyCase): PolicyContext => ({ stack: "fixture", environment: c.environment ?? "staging" });

test("every serving rule is in the rule table, for AWS, with scanner controls and a fix", () => {
  for (const id of SERVE_RULE_IDS) {
    expect(rule(id)).toBeDefined();
    expect(rule(id).cloud).toBe("aws");
    expect(rule(id).controls.length).toBeGreaterThan(0);
    expect(rule(id).fix.length).toBeGreaterThan(10);
  }
});

describe.each(SERVE_RULE_IDS.map((id) => [id] as const))("%s", (id) => {
  const c = AWS_SERVE_CASES[id];

  test("passes on the good fixture", () => {
    expect(ruleIds(evaluate(c.good, ctxOf(c), [rule(id)]))).toEqual([]);
  });

  test("fails on the bad fixture with exactly this rule, on the expected address", () => {
    const violations = evaluate(c.bad, ctxOf(c), [rule(id)]);
    expect(ruleIds(violations)).toEqual([id]);
    expect(violations[0].address).toBe(c.address);
  });
});

describe("details that matter", () => {
  const ids = (json: TfJson, id: string) => ruleIds(evaluate(json, { stack: "s" }, only(id)));

  test("an HTTP listener without a default action, or with a redirect to HTTP, fails HTTPS-only", () => {
    expect(ids(tf(["aws_lb", "lb", alb()], ["aws_lb_listener", "l", httpRedirect({ default_action: [] })]), "AWS-LB-HTTPS-ONLY")).toEqual(["AWS-LB-HTTPS-ONLY"]);
    expect(ids(tf(["aws_lb", "lb", alb()], ["aws_lb_listener", "l", httpRedirect({ default_action: [{ type: "redirect", redirect: { protocol: "HTTP", port: "8080" } }] })]), "AWS-LB-HTTPS-ONLY")).toEqual([
      "AWS-LB-HTTPS-ONLY",
    ]);
  });

  test("a listener whose protocol is unset is HTTP; a network load balancer's TCP listener is not asked to redirect", () => {
    expect(ids(tf(["aws_lb", "lb", alb()], ["aws_lb_listener", "l", { load_balancer_arn: "${aws_lb.lb.arn}", default_action: [{ type: "forward" }] }]), "AWS-LB-HTTPS-ONLY")).toEqual(["AWS-LB-HTTPS-ONLY"]);
    expect(ids(tf(["aws_lb", "lb", alb({ load_balancer_type: "network" })], ["aws_lb_listener", "l", { load_balancer_arn: "${aws_lb.lb.arn}", protocol: "TCP", default_action: [{ type: "forward" }] }]), "AWS-LB-HTTPS-ONLY")).toEqual([]);
  });

  test("an HTTPS listener without a TLS policy gets the 2016 default (TLS 1.0) and fails; TLS 1.3-only passes", () => {
    expect(ids(tf(["aws_lb_listener", "l", httpsListener({ ssl_policy: undefined })]), "AWS-LB-TLS-POLICY")).toEqual(["AWS-LB-TLS-POLICY"]);
    expect(ids(tf(["aws_lb_listener", "l", httpsListener({ ssl_policy: "ELBSecurityPolicy-TLS13-1-3-2021-06" })]), "AWS-LB-TLS-POLICY")).toEqual([]);
    expect(ids(tf(["aws_lb_listener", "l", httpsListener({ ssl_policy: "ELBSecurityPolicy-TLS-1-1-2017-01" })]), "AWS-LB-TLS-POLICY")).toEqual(["AWS-LB-TLS-POLICY"]);
  });

  test("an internet-facing load balancer with API deletion protection but without prevent_destroy fails (the listeners would go first); an internal one needs the API's only", () => {
    expect(ids(tf(["aws_lb", "lb", alb({ lifecycle: undefined })]), "AWS-LB-DELETION-PROTECTION")).toEqual(["AWS-LB-DELETION-PROTECTION"]);
    expect(ids(tf(["aws_lb", "lb", alb({ lifecycle: { create_before_destroy: true } })]), "AWS-LB-DELETION-PROTECTION")).toEqual(["AWS-LB-DELETION-PROTECTION"]);
    expect(ids(tf(["aws_lb", "lb", alb({ internal: true, lifecycle: undefined })]), "AWS-LB-DELETION-PROTECTION")).toEqual([]);
    expect(ids(tf(["aws_lb", "lb", alb({ internal: true, enable_deletion_protection: false })]), "AWS-LB-DELETION-PROTECTION")).toEqual(["AWS-LB-DELETION-PROTECTION"]);
  });

  test("an internal load balancer needs no WAF; an internet-facing one does", () => {
    expect(ids(tf(["aws_lb", "lb", alb({ internal: true })]), "AWS-LB-WAF")).toEqual([]);
    expect(ids(tf(["aws_alb", "lb", alb({ load_balancer_type: undefined })]), "AWS-LB-WAF")).toEqual(["AWS-LB-WAF"]);
  });

  test("a web ACL without the known-bad-inputs group fails even when the common group blocks", () => {
    expect(ids(tf(["aws_wafv2_web_acl", "acl", webAcl([["AWSManagedRulesCommonRuleSet"]])]), "AWS-WAF-MANAGED-RULES")).toEqual(["AWS-WAF-MANAGED-RULES"]);
  });

  test("a launch template without any block device mapping leaves the root volume to the account default and fails", () => {
    expect(ids(tf(["aws_launch_template", "lt", launchTemplate({ block_device_mappings: undefined })]), "AWS-LT-VOLUMES-ENCRYPTED")).toEqual(["AWS-LT-VOLUMES-ENCRYPTED"]);
  });

  test("a launch configuration with a public IP fails the no-public-IP rule too", () => {
    expect(ids(tf(["aws_launch_configuration", "lc", { associate_public_ip_address: true }]), "AWS-LT-NO-PUBLIC-IP")).toEqual(["AWS-LT-NO-PUBLIC-IP"]);
  });

  test("a group with inline target groups and EC2 health checks fails; one behind no load balancer may use EC2 checks", () => {
    expect(ids(tf(["aws_autoscaling_group", "g", asg({ health_check_type: undefined, target_group_arns: ["${aws_lb_target_group.tg.arn}"] })]), "AWS-ASG-ELB-HEALTH")).toEqual(["AWS-ASG-ELB-HEALTH"]);
    expect(ids(tf(["aws_autoscaling_group", "g", asg({ health_check_type: "EC2" })]), "AWS-ASG-ELB-HEALTH")).toEqual([]);
  });

  test("a group without instance refresh fails rolling replacement; the maintenance policy's floor counts when the refresh has none", () => {
    expect(ids(tf(["aws_autoscaling_group", "g", asg({ instance_refresh: undefined })]), "AWS-ASG-ROLLING-REPLACEMENT")).toEqual(["AWS-ASG-ROLLING-REPLACEMENT"]);
    const floorOnly = asg({ instance_refresh: { strategy: "Rolling" }, instance_maintenance_policy: { min_healthy_percentage: 100, max_healthy_percentage: 110 } });
    expect(ids(tf(["aws_autoscaling_group", "g", floorOnly]), "AWS-ASG-ROLLING-REPLACEMENT")).toEqual([]);
  });
});
