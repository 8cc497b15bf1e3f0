/**
 * Baseline for `npm run bench`: the stock way to write a cdktf app, as the cdktf docs and the
 * `cdktf init` template do it: providers imported through their root namespaces
 * (`import * as aws from "@cdktf/provider-aws"`), run through ts-node (which type-checks).
 *
 * It builds comparable stacks (network, VM, bucket, PostgreSQL, budget; about the same number
 * of resources) for the same clouds x environments as the app. It is not a faithful copy of the
 * platform and is never deployed. Clouds and environments come from BENCH_CLOUDS and
 * BENCH_ENVIRONMENTS (comma-separated; bench/run.js passes the app's), the output directory from
 * CDKTF_OUTDIR. Each cloud's file is loaded only if that cloud is benchmarked, as a stock project
 * that targets fewer clouds would simply not import the others.
 */
import { App, S3Backend, TerraformStack } from "cdktf";
import { Construct } from "constructs";

type Builder = (stack: TerraformStack, environment: string) => void;

// `require` typed `any` on purpose: a `typeof import("./aws")` would make ts-node type-check
// every cloud's file (and load every provider's declarations) even when it is not benchmarked.

function builder(cloud: string): Builder {
  switch (cloud) {
    case "aws":
      return require("./aws").buildAws as Builder;
    case "gcp":
      return require("./gcp").buildGcp as Builder;
    case "azure":
      return require("./azure").buildAzure as Builder;
    default:
      throw new Error(`BENCH_CLOUDS: '${cloud}' is not a cloud; accepted: aws, gcp, azure`);
  }
}

class BaselineStack extends TerraformStack {
  constructor(scope: Construct, id: string, build: Builder, environment: string) {
    super(scope, id);
    new S3Backend(this, { bucket: "taskflow-terraform-state", key: `taskflow/${id}/terraform.tfstate`, region: "us-east-1", encrypt: true, dynamodbTable: "terraform-locks" });
    build(this, environment);
  }
}

const list = (value: string | undefined, fallback: string): string[] =>
  (value || fallback).split(",").map((s) => s.trim()).filter((s) => s.length > 0);

const clouds = list(process.env.BENCH_CLOUDS, "aws,gcp,azure");
const environments = list(process.env.BENCH_ENVIRONMENTS, "staging,production");
const app = new App();
for (const cloud of clouds) {
  const build = builder(cloud);
  for (const environment of environments) {
    new BaselineStack(app, `${cloud}-${environment}`, build, environment);
  }
}
app.synth();
