/**
 * Policy engine: the real stacks of every cloud pass with only the listed
 * exemptions; exemptions are scoped, listed and reported when stale; a
 * violation fails with rule id, control, address, construct path and fix;
 * docs/policy.md lists every rule.
 */
import * as fs from "fs";
import { TerraformResource, Testing } from "cdktf";
import { ENVIRONMENTS } from "../constructs/core";
import {
  ALL_RULES,
  POLICY_EXEMPTIONS,
  PolicyError,
  PolicyExemption,
  TfJson,
  checkJson,
  checkStacks,
  enforcePolicy,
  reportLines,
  validateExemptions,
} from "../constructs/policy";
import { buildApp } from "../stacks/app";
import { PlatformStack } from "../stacks/platform-stack";
import { resolveConfig, validateConfig } from "../stacks/config";
import { POLICY_DOC, README, renderPolicyDoc, withReadmeRules } from "../scripts/policy-doc";
import { TEST_CONFIG } from "./helpers";

const config = validateConfig(resolveConfig(TEST_CONFIG));
const lines: string[] = [];
const built = buildApp({ config, outdir: "/nonexistent-test-outdir", policyLog: (l) => lines.push(l) });
const targets = [
  ...built.stacks.map((stack) => ({ stack, environment: stack.platform.context.environment, cloud: stack.platform.cloud })),
  { stack: built.bootstrap!, cloud: "aws" as const },
];

describe("the real stacks", () => {
  const report = checkStacks(targets);

  test("every stack of every cloud and environment is checked", () => {
    expect(report.stacksChecked).toBe(config.clouds.length * ENVIRONMENTS.length + 1);
    expect(report.rulesChecked).toBe(ALL_RULES.length);
  });

  test("no violation is left", () => {
    expect(report.violations.map((v) => `${v.rule.id} ${v.stack} ${v.address}`)).toEqual([]);
  });

  test("every exemption is used, none is stale", () => {
    expect(report.stale).toEqual([]);
    expect(report.exempted.map((u) => u.exemption)).toEqual([...POLICY_EXEMPTIONS]);
  });

  test("staging-only exemptions cover staging stacks only", () => {
    for (const use of report.exempted.filter((u) => u.exemption.environment === "staging")) {
      expect(use.violations.map((v) => v.environment)).toEqual(use.violations.map(() => "staging"));
    }
  });

  test("buildApp printed one line per exemption in force, naming rule, scope and reason", () => {
    expect(lines).toHaveLength(POLICY_EXEMPTIONS.length);
    POLICY_EXEMPTIONS.forEach((e, i) => {
      expect(lines[i]).toContain(`policy: exemption ${e.rule} [`);
      expect(lines[i]).toContain(e.reason);
    });
  });
});

const dbFixture = (multiAz: boolean): TfJson => ({
  resource: {
    aws_db_instance: {
      db: {
        multi_az: multiAz,
        "//": { metadata: { path: "aws-staging/database/Resource", uniqueId: "db" } },
      },
    },
  },
});
const multiAzRule = ALL_RULES.filter((r) => r.id === "AWS-RDS-MULTI-AZ");

describe("exemptions", () => {
  const stagingOnly: PolicyExemption = { rule: "AWS-RDS-MULTI-AZ", environment: "staging", path: "*/database/Resource", reason: "single-AZ staging on purpose" };

  test("an environment-scoped exemption covers that environment only", () => {
    const staging = checkJson([{ json: dbFixture(false), ctx: { stack: "aws-staging", environment: "staging" } }], { rules: multiAzRule, exemptions: [stagingOnly] });
    expect(staging.violations).toEqual([]);
    expect(staging.exempted.map((u) => u.violations.map((v) => v.path))).toEqual([["aws-staging/database/Resource"]]);
    const prod = checkJson([{ json: dbFixture(false), ctx: { stack: "aws-production", environment: "production" } }], { rules: multiAzRule, exemptions: [stagingOnly] });
    expect(prod.violations.map((v) => v.rule.id)).toEqual(["AWS-RDS-MULTI-AZ"]);
  });

  test("a path glob that does not match leaves the violation", () => {
    const other = { ...stagingOnly, path: "*/other/Resource" };
    const r = checkJson([{ json: dbFixture(false), ctx: { stack: "aws-staging", environment: "staging" } }], { rules: multiAzRule, exemptions: [other] });
    expect(r.violations.map((v) => v.rule.id)).toEqual(["AWS-RDS-MULTI-AZ"]);
  });

  test("an exemption that matches nothing is reported stale", () => {
    const r = checkJson([{ json: dbFixture(true), ctx: { stack: "aws-staging", environment: "staging", cloud: "aws" } }], { rules: multiAzRule, exemptions: [stagingOnly] });
    expect(r.stale).toEqual([stagingOnly]);
    expect(reportLines(r)).toEqual(["policy: STALE exemption AWS-RDS-MULTI-AZ [staging */database/Resource] matches nothing: remove it from constructs/policy/exemptions.ts"]);
  });

  test("an exemption for another cloud's rule is not stale on a stack of this cloud", () => {
    const gcp: PolicyExemption = { rule: "GCP-SQL-HIGH-AVAILABILITY", environment: "staging", reason: "zonal staging on purpose" };
    const r = checkJson([{ json: dbFixture(true), ctx: { stack: "aws-staging", environment: "staging", cloud: "aws" } }], { exemptions: [gcp] });
    expect(r.stale).toEqual([]);
  });

  test("fails when an exemption names an unknown rule or gives no reason", () => {
    expect(() => validateExemptions([{ rule: "NOPE", reason: "a good long reason" }, { rule: "AWS-RDS-MULTI-AZ", reason: " " }], ALL_RULES)).toThrow(
      /unknown rule 'NOPE'[\s\S]*AWS-RDS-MULTI-AZ\): a reason of at least 10 characters is mandatory/,
    );
  });
});

describe("a violation", () => {
  test("fails the check with rule id, scanner control, address, construct path and fix", () => {
    // A fresh stack: those built by buildApp are sealed after their check (stacks/sealed-stack.ts).
    const stack = new PlatformStack(Testing.app(), { cloud: "aws", environment: "production", config });
    const db = stack.node.findChild("database").node.findChild("Resource") as TerraformResource;
    db.addOverride("storage_encrypted", false);
    let error: unknown;
    try {
      enforcePolicy([{ stack, environment: "production", cloud: "aws" }], () => {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    const message = (error as PolicyError).message;
    expect((error as PolicyError).report.violations.map((v) => v.rule.id)).toEqual(["AWS-RDS-ENCRYPTED"]);
    expect(message).toContain("Policy check: 1 violation");
    expect(message).toMatch(/AWS-RDS-ENCRYPTED \[CKV_AWS_16, AVD-AWS-0080\] aws_db_instance\.database_[0-9A-F]{8}/);
    expect(message).toContain("at aws-production/database/Resource (stack aws-production)");
    expect(message).toContain("fix: set storageEncrypted: true");
  });
});

test("the README lists every rule with the controls it mirrors, as generated", () => {
  const readme = fs.readFileSync(README, "utf8");
  expect(readme).toBe(withReadmeRules(readme));
  for (const r of ALL_RULES) expect(readme).toContain(`| \`${r.id}\` |`);
});

test("docs/policy.md is generated from the rule table and lists every rule id with its controls", () => {
  const doc = fs.readFileSync(POLICY_DOC, "utf8");
  expect(doc).toBe(renderPolicyDoc());
  for (const r of ALL_RULES) expect(doc).toContain(`| \`${r.id}\` |`);
});
