/**
 * The mocked AWS provider of the real-Terraform tests (`terraform test` with `mock_provider "aws"`): the
 * provider's own validation runs on mocked values, so data sources and ARNs need realistic shapes.
 */
export function awsMockProvider(o: { readonly alias?: string; readonly region: string; readonly certificateDomain: string }): string {
  const { alias, region } = o;
  const certificate = o.certificateDomain;
  return `
mock_provider "aws" {${alias ? `
  alias = "${alias}"` : ""}
  mock_data "aws_availability_zones" {
    defaults = { names = ["${region}a", "${region}b", "${region}c"] }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}" }
  }
  mock_data "aws_elb_service_account" {
    defaults = { arn = "arn:aws:iam::127311923021:root" }
  }
  mock_data "aws_route53_zone" {
    defaults = { zone_id = "Z0123456789ABCDEFGHIJ" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:${region}:123456789012:key/00000000-0000-0000-0000-000000000000", key_id = "00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::123456789012:instance-profile/mock" }
  }
  mock_resource "aws_iam_service_linked_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:${region}:123456789012:log-group:mock" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock-bucket" }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      resource_id        = "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:${region}:123456789012:secret:rds!db-mock-AbCdEf", kms_key_id = "arn:aws:kms:${region}:123456789012:key/00000000-0000-0000-0000-000000000000", secret_status = "active" }]
    }
  }
  mock_resource "aws_launch_template" {
    defaults = { id = "lt-0123456789abcdef0", latest_version = 1 }
  }
  mock_resource "aws_lb" {
    defaults = {
      arn      = "arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/app/mock/0123456789abcdef"
      dns_name = "mock-123456789.${region}.elb.amazonaws.com"
      zone_id  = "Z35SXDOTRQ7X7K"
    }
  }
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:${region}:123456789012:targetgroup/mock/0123456789abcdef" }
  }
  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:${region}:123456789012:certificate/00000000-0000-0000-0000-000000000000"
      domain_validation_options = [{
        domain_name           = "${certificate}"
        resource_record_name  = "_0123456789abcdef.${certificate}."
        resource_record_type  = "CNAME"
        resource_record_value = "_fedcba9876543210.acm-validations.aws."
      }]
    }
  }
  mock_resource "aws_acm_certificate_validation" {
    defaults = { certificate_arn = "arn:aws:acm:${region}:123456789012:certificate/00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_wafv2_web_acl" {
    defaults = { arn = "arn:aws:wafv2:${region}:123456789012:regional/webacl/mock/00000000-0000-0000-0000-000000000000" }
  }
}
`;
}

/** A `terraform test` assertion: an HCL condition and the message it fails with. */
export type Assertion = [condition: string, message: string];

/** The `run "mock_apply"` block: a mocked apply, then every assertion, evaluated on resolved values. */
export function mockApplyRun(asserts: readonly Assertion[]): string {
  const body = asserts.map(([condition, message]) => `  assert {\n    condition     = ${condition}\n    error_message = ${JSON.stringify(message)}\n  }`).join("\n");
  return `run "mock_apply" {\n  command = apply\n${body}\n}\n`;
}
