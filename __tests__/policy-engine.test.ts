/**
 * Policy engine: the real stacks of every cloud pass with only the listed
 * exemptions; exemptions accept a rule for a *decision* recorded on the
 * resource, cost trade-offs only where the profile accepts them; stale ones
 * are reported; a violation fails with rule id, control, address, construct
 * path and fix; docs/policy.md lists every rule.
 */
import * as fs from "fs";
import { App, TerraformResource } from "cdktf";
import { ALL_RULES, POLICY_EXEMPTIONS, PolicyError, PolicyExemption, TfJson, checkStacks, summaryLines, validateExemptions } from "../constructs/policy";
import { CheckedStack, checkApp } from "../constructs/stack";
import { buildApp } from "../stacks/app";
import { PlatformStack } from "../stacks/platform-stack";
import { POLICY_DOC, README, renderPolicyDoc, withReadmeRules } from "../scripts/policy-doc";
import { synthJson, testConfig, testOutdir } from "./helpers";

const config = testConfig();

const lines: string[] = [];
const built = buildApp({ config, outdir: testOutdir(), checkLog: (l) => lines.push(l) });
synthJson(built.stacks[0]);
const synthLines = [...lines];
const allStacks = built.app.node.findAll().filter((c): c is CheckedStack => c instanceof CheckedStack);

describe("the real stacks", () => {
  const report = checkApp(built.app, allStacks);

  test("every stack of every cloud and environment is checked", () => {
    // A platform and a worker stack per cloud and environment, plus the state bootstrap.
    expect(report.stacksChecked).toBe(config.clouds.length * Object.keys(config.environments).length * 2 + 1);
    expect(report.rulesChecked).toBe(ALL_RULES.length);
  });

  test("no violation is left", () => {
    expect(report.violations.map((v) => `${v.rule.id} ${v.stack} ${v.address}`)).toEqual([]);
  });

  test("none is stale, and every exemption is used by the default stacks or by a profile that accepts every trade-off", () => {
    expect(report.stale).toEqual([]);
    // A lab environment that turns off everything a profile may turn off (only possible with costOverResilience).
    const lab = buildApp({
      config: testConfig({ environments: { lab: { extends: "staging", webApplicationFirewall: false } } }),
      outdir: testOutdir(),
      checkLog: () => undefined,
    });
    synthJson(lab.stacks[0]);
    const labReport = checkApp(lab.app, lab.app.node.findAll().filter((c): c is CheckedStack => c instanceof CheckedStack));
    expect(labReport.violations).toEqual([]);
    const used = new Set([...report.exempted, ...labReport.exempted].map((u) => u.exemption));
    expect(POLICY_EXEMPTIONS.filter((e) => !used.has(e))).toEqual([]);
  });

  test("cost trade-offs are accepted only in stacks whose profile says costOverResilience (staging), never in production", () => {
    const tradeOffs = report.exempted.filter((u) => u.exemption.costTradeOff);
    expect(tradeOffs.length).toBeGreaterThan(0);
    for (const use of tradeOffs) {
      expect(use.violations.map((v) => v.environment)).toEqual(use.violations.map(() => "staging"));
      expect(use.violations.every((v) => v.costOverResilience)).toBe(true);
    }
  });

  test("the synth printed one summary: a header, then one line per accepted decision", () => {
    expect(synthLines[0]).toMatch(new RegExp(`^policy: 13 stacks x ${ALL_RULES.length} rules: 0 violations, \\d+ findings accepted by decision$`));
    const decisions = [...new Set(report.exempted.map((u) => u.exemption.decision))];
    expect(synthLines.slice(1).map((l) => l.match(/^ {2}accepted ([a-z0-9-]+):/)?.[1]).sort()).toEqual(decisions.sort());
    expect(new Set(synthLines).size).toBe(synthLines.length);
  });
});

/** A one-database fixture: the database at `path`, with or without Multi-AZ. */
const dbFixture = (multiAz: boolean, path = "aws-staging/database/Resource"): TfJson => ({
  resource: { aws_db_instance: { db: { multi_az: multiAz, "//": { metadata: { path, uniqueId: "db" } } } } },
});
const multiAzRule = ALL_RULES.filter((r) => r.id === "AWS-RDS-MULTI-AZ");
const singleZone: PolicyExemption = { rule: "AWS-RDS-MULTI-AZ", decision: "single-zone-database", costTradeOff: true, reason: "single-AZ on purpose where cost wins" };
const decided = (path: string, ...d: string[]) => (p: string) => new Set(p === path ? d : []);

describe("exemptions attach to decisions", () => {
  test("a recorded cost decision is accepted where the profile accepts cost trade-offs", () => {
    const r = checkStacks(
      [{ json: dbFixture(false), ctx: { stack: "any-name", environment: "anything", costOverResilience: true, decisionsAt: decided("aws-staging/database/Resource", "single-zone-database") } }],
      { rules: multiAzRule, exemptions: [singleZone] },
    );
    expect(r.violations).toEqual([]);
    expect(r.exempted.map((u) => u.violations.map((v) => v.path))).toEqual([["aws-staging/database/Resource"]]);
  });

  test("the same decision is a violation where the profile does not accept cost trade-offs, whatever the environment is called", () => {
    const r = checkStacks(
      [{ json: dbFixture(false), ctx: { stack: "aws-staging", environment: "staging", costOverResilience: false, decisionsAt: decided("aws-staging/database/Resource", "single-zone-database") } }],
      { rules: multiAzRule, exemptions: [singleZone] },
    );
    expect(r.violations.map((v) => v.rule.id)).toEqual(["AWS-RDS-MULTI-AZ"]);
  });

  test("without the decision on the resource nothing is accepted, whatever the path or environment", () => {
    const r = checkStacks([{ json: dbFixture(false), ctx: { stack: "aws-staging", environment: "staging", costOverResilience: true, decisionsAt: decided("elsewhere") } }], {
      rules: multiAzRule,
      exemptions: [singleZone],
    });
    expect(r.violations.map((v) => v.rule.id)).toEqual(["AWS-RDS-MULTI-AZ"]);
  });

  test("an exemption whose decision is recorded but that covers nothing is reported stale", () => {
    const r = checkStacks(
      [{ json: dbFixture(true), ctx: { stack: "aws-staging", cloud: "aws", costOverResilience: true, decisionsAt: decided("aws-staging/database/Resource", "single-zone-database") } }],
      { rules: multiAzRule, exemptions: [singleZone] },
    );
    expect(r.stale).toEqual([singleZone]);
    expect(summaryLines(r)).toContain("  STALE exemption AWS-RDS-MULTI-AZ for single-zone-database: it covers nothing; remove it from constructs/policy/exemptions.ts");
  });

  test("an exemption for another cloud's rule is not stale on a stack of this cloud", () => {
    const gcp: PolicyExemption = { rule: "GCP-SQL-HIGH-AVAILABILITY", decision: "single-zone-database", costTradeOff: true, reason: "zonal on purpose where cost wins" };
    const r = checkStacks([{ json: dbFixture(true), ctx: { stack: "aws-staging", cloud: "aws", decisionsAt: decided("aws-staging/database/Resource", "single-zone-database") } }], {
      exemptions: [gcp],
    });
    expect(r.stale).toEqual([]);
  });

  test("fails when an exemption names an unknown rule or decision, or gives no reason", () => {
    expect(() =>
      validateExemptions(
        [
          { rule: "NOPE", decision: "single-zone-database", costTradeOff: true, reason: "a good long reason" },
          { rule: "AWS-RDS-MULTI-AZ", decision: "made-up" as never, costTradeOff: true, reason: "a good long reason" },
          { rule: "AWS-RDS-MULTI-AZ", decision: "single-zone-database", costTradeOff: true, reason: " " },
        ],
        ALL_RULES,
      ),
    ).toThrow(/unknown rule 'NOPE'[\s\S]*unknown decision 'made-up'[\s\S]*AWS-RDS-MULTI-AZ\): a reason of at least 10 characters is mandatory/);
  });
});

describe("a violation", () => {
  test("fails the synth with rule id, scanner control, address, construct path and fix", () => {
    const stack = new PlatformStack(new App({ outdir: testOutdir() }), { cloud: "aws", environment: "production", config });
    const db = stack.node.findChild("database").node.findChild("Resource") as TerraformResource;
    db.addOverride("storage_encrypted", false);
    let error: unknown;
    try {
      synthJson(stack);
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

  test("a production profile that turns HA off fails at the configuration, naming the field and the way out", () => {
    expect(() => testConfig({ environments: { production: { highAvailability: false } } })).toThrow(
      "environments.production.highAvailability: false is not valid; accepted: true, or costOverResilience: true to accept the trade-off in 'production'",
    );
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
