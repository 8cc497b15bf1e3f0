/**
 * What must exist before the first plan of the AWS stacks and that Terraform
 * cannot create itself (constructs/aws/prerequisites.ts): the list the wrapper
 * checks and docs/aws.md shows, derived from the configuration.
 */
import * as fs from "fs";
import * as path from "path";
import { AWS_OPT_IN_REGIONS, awsPrerequisites } from "../constructs/aws/prerequisites";
import { KNOWN_REGIONS } from "../constructs/config";
import { testConfig } from "./helpers";
import { PROJECT_ROOT } from "./workflow-helpers";

describe("AWS prerequisites", () => {
  test("default configuration: credentials and the state backend block the first plan; the cost allocation tag does not", () => {
    const list = awsPrerequisites(testConfig({ clouds: ["aws"] }));
    expect(list.map((p) => [p.id, p.blocksPlan])).toEqual([
      ["aws-credentials", true],
      ["state-backend", true],
      ["cost-allocation-tag:Project", false],
    ]);
    const backend = list.find((p) => p.id === "state-backend")!;
    expect(backend.check).toBe(
      "aws s3api head-bucket --bucket taskflow-terraform-state --region us-east-1 && aws kms describe-key --key-id alias/taskflow-terraform-state --region us-east-1 && aws dynamodb describe-table --table-name terraform-locks --region us-east-1",
    );
    expect(backend.fix).toBe("npm run bootstrap");
  });

  test("an opt-in region for the stacks, the replica or the backend must be enabled first, once each", () => {
    const list = awsPrerequisites(testConfig({ clouds: ["aws"], aws: { region: "eu-south-1", replicaRegion: "eu-south-2" }, backend: { region: "eu-south-1" } }));
    expect(list.filter((p) => p.id.startsWith("opt-in-region:")).map((p) => [p.id, p.fix])).toEqual([
      ["opt-in-region:eu-south-1", "aws account enable-region --region-name eu-south-1"],
      ["opt-in-region:eu-south-2", "aws account enable-region --region-name eu-south-2"],
    ]);
  });

  test("the replica region counts only when some environment is geo-redundant", () => {
    const list = awsPrerequisites(
      testConfig({ clouds: ["aws"], aws: { region: "eu-west-1", replicaRegion: "eu-south-2" }, environments: { staging: {}, production: { geoRedundantStorage: false, costOverResilience: true } } }),
    );
    expect(list.filter((p) => p.id.startsWith("opt-in-region:"))).toEqual([]);
  });

  test("GCP- or Azure-only configurations still need the AWS state backend, and nothing of the AWS stacks", () => {
    expect(awsPrerequisites(testConfig({ clouds: ["gcp"] })).map((p) => p.id)).toEqual(["aws-credentials", "state-backend"]);
  });

  test("every opt-in region is one the configuration knows", () => {
    expect(AWS_OPT_IN_REGIONS.filter((r) => !KNOWN_REGIONS.aws.includes(r))).toEqual([]);
  });

  test("docs/aws.md lists every prerequisite of the default configuration with its fix", () => {
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "aws.md"), "utf8");
    for (const p of awsPrerequisites(testConfig({ clouds: ["aws"] }))) expect([p.id, doc.includes(p.fix)]).toEqual([p.id, true]);
  });
});
