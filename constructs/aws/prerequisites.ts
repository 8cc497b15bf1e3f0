/**
 * What must exist before the first `plan` of an AWS stack and that Terraform
 * cannot create for itself, with the command that checks it and the one that
 * provides it. Provider-free: the wrapper (scripts/cdktf.js) can check these
 * before it runs Terraform, and the docs list them (docs/aws.md).
 */
import { PlatformConfig } from "../config";
import { stateKeyAlias } from "../backend";

export interface AwsPrerequisite {
  /** Stable id, e.g. `state-backend`, `opt-in-region:af-south-1`. */
  readonly id: string;
  /** What must exist. */
  readonly what: string;
  /** Why Terraform cannot create it itself, and what fails without it. */
  readonly why: string;
  /** The first plan fails without it (true), or the stack deploys but something stays degraded (false). */
  readonly blocksPlan: boolean;
  /** A read-only command that succeeds (exit code 0) when it is in place. */
  readonly check: string;
  /** The command (or step) that puts it in place. */
  readonly fix: string;
}

/**
 * Regions an AWS account must opt into before anything, Terraform's own data sources
 * included, can be used there (AWS "opt-in regions"; the rest are enabled by default).
 */
export const AWS_OPT_IN_REGIONS: readonly string[] = [
  "af-south-1",
  "ap-east-1",
  "ap-south-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ca-west-1",
  "eu-central-2",
  "eu-south-1",
  "eu-south-2",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
];

/** The prerequisites of the AWS stacks of `config` (and of the state backend every cloud's stacks use). */
export function awsPrerequisites(config: PlatformConfig): AwsPrerequisite[] {
  const b = config.backend;
  const out: AwsPrerequisite[] = [
    {
      id: "aws-credentials",
      what: "AWS credentials for the account that holds the state (and the AWS stacks)",
      why: "every stack's S3 backend, and the AWS data sources read at every plan (STS, EC2), call AWS",
      blocksPlan: true,
      check: "aws sts get-caller-identity",
      fix: "configure credentials (OIDC role in CI, `aws sso login` or a profile locally)",
    },
    {
      id: "state-backend",
      what: `state bucket ${b.bucket}, its KMS key ${stateKeyAlias(b)} and lock table ${b.dynamodbTable} in ${b.region}`,
      why: "a backend cannot create its own bucket: `terraform init` of every stack reads and locks state there",
      blocksPlan: true,
      check: `aws s3api head-bucket --bucket ${b.bucket} --region ${b.region} && aws kms describe-key --key-id ${stateKeyAlias(b)} --region ${b.region} && aws dynamodb describe-table --table-name ${b.dynamodbTable} --region ${b.region}`,
      fix: "npm run bootstrap",
    },
  ];
  if (config.clouds.includes("aws")) {
    const geo = Object.values(config.environments).some((p) => p.geoRedundantStorage);
    const regions = [...new Set([b.region, config.aws.region, ...(geo ? [config.aws.replicaRegion] : [])])];
    for (const region of regions.filter((r) => AWS_OPT_IN_REGIONS.includes(r))) {
      out.push({
        id: `opt-in-region:${region}`,
        what: `the opt-in region ${region} enabled for the account`,
        why: "an account cannot use an opt-in region before it is enabled (account-level, takes minutes to hours); the stacks' data sources fail at the first plan",
        blocksPlan: true,
        check: `aws account get-region-opt-status --region-name ${region} --query RegionOptStatus --output text | grep -q '^ENABLED'`,
        fix: `aws account enable-region --region-name ${region}`,
      });
    }
    out.push({
      id: "cost-allocation-tag:Project",
      what: "the Project tag activated as a cost allocation tag in the payer (management) account",
      why: "the budgets filter on it (TagKeyValue user:Project$<project>); AWS lists a tag for activation only after resources carried it for about a day, so it follows the first deploy; until then the budget sees no cost",
      blocksPlan: false,
      check: "aws ce list-cost-allocation-tags --tag-keys Project --query 'CostAllocationTags[0].Status' --output text | grep -q Active",
      fix: "aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=Project,Status=Active",
    });
  }
  return out;
}
