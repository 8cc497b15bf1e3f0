/**
 * End to end: the S3 backend of constructs/backend.ts against real terraform,
 * with s3rver (S3) and dynalite (DynamoDB) on loopback.
 *
 * - state lands at the stack's key in the bucket;
 * - a second apply started while the first holds the lock fails with
 *   Terraform's "Error acquiring the state lock" (DynamoDB conditional write);
 * - the same apply succeeds once the first has finished, and the lock is released.
 *
 * The backend is configured only through the configuration file (custom
 * endpoints, bucket, table, `useLockfile: false` because s3rver ignores
 * `If-None-Match`, see docs/workflow.md). No provider is needed: the stack
 * holds a `terraform_data` whose create-time `local-exec` sleeps.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import { AddressInfo } from "net";
import * as path from "path";
import { App, DataResource, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { addStateBackend } from "../constructs/backend";
import { loadConfig } from "../constructs/config";
import { stateKey } from "../constructs/stack";
import { findTerraform, skipLoudly, terraformEnv } from "./terraform";
import { tempDir } from "./workflow-helpers";

/* s3rver and dynalite ship no type declarations: the little used here. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
interface DynaliteServer {
  listen(port: number, host: string, cb: () => void): void;
  address(): AddressInfo;
  close(cb: () => void): void;
}
type Dynalite = (options: Record<string, unknown>) => DynaliteServer;

const BUCKET = "e2e-terraform-state";
const TABLE = "e2e-terraform-locks";
const HOLD_SECONDS = 6;
const STEP_TIMEOUT_MS = 60_000;

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const terraform = findTerraform();
if (!terraform) skipLoudly("state lock end-to-end test", "terraform is not on PATH (install Terraform >= 1.10 to run it)");
const describeIfTerraform = terraform ? describe : describe.skip;

describeIfTerraform("state locking against S3 + DynamoDB (s3rver, dynalite)", () => {
  const started = Date.now();
  let work: string;
  let s3: S3rverInstance | undefined;
  let dynamo: DynaliteServer | undefined;
  let s3Url: string;
  let dynamoUrl: string;
  const children = new Set<ChildProcess>();
  let key: string;
  let dirA: string;
  let dirB: string;
  let env: NodeJS.ProcessEnv;

  /** One DynamoDB JSON call; dynalite wants SigV4-shaped headers but does not check the signature. */
  async function dynamoCall<T>(target: string, body: unknown): Promise<T> {
    const res = await fetch(`${dynamoUrl}/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": `DynamoDB_20120810.${target}`,
        "X-Amz-Date": "20240101T000000Z",
        Authorization: "AWS4-HMAC-SHA256 Credential=S3RVER/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0",
      },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`DynamoDB ${target}: HTTP ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** Runs terraform asynchronously; `onOutput` sees stdout as it arrives. */
  function tf(cwd: string, args: string[], onOutput?: (text: string) => void): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(terraform!, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
      children.add(child);
      let stdout = "";
      let stderr = "";
      const timer = setTimeout(() => child.kill("SIGKILL"), STEP_TIMEOUT_MS);
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        onOutput?.(stdout);
      });
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        children.delete(child);
        resolve({ code, stdout, stderr });
      });
    });
  }

  async function readState(): Promise<{ serial: number; lineage: string; outputs: Record<string, { value: unknown }>; resources: Array<{ type: string; name: string }> }> {
    const res = await fetch(`${s3Url}/${BUCKET}/${key}`);
    expect(res.status).toBe(200);
    return (await res.json()) as never;
  }

  beforeAll(async () => {
    work = tempDir("state-lock-e2e");
    // Servers on loopback, random free ports, data in the temp dir.
    const S3rver = require("s3rver") as S3rverClass;
    s3 = new S3rver({
      address: "127.0.0.1",
      port: 0,
      silent: true,
      directory: path.join(work, "s3"),
      configureBuckets: [{ name: BUCKET }],
    });
    const s3Address = await s3.run();
    s3Url = `http://127.0.0.1:${s3Address.port}`;
    const dynalite = require("dynalite") as Dynalite;
    dynamo = dynalite({ createTableMs: 100 });
    await new Promise<void>((resolve) => dynamo!.listen(0, "127.0.0.1", resolve));
    dynamoUrl = `http://127.0.0.1:${dynamo.address().port}`;

    // The lock table exactly as the bootstrap stack defines it: hash key LockID (S), on demand.
    await dynamoCall("CreateTable", {
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const d = await dynamoCall<{ Table: { TableStatus: string } }>("DescribeTable", { TableName: TABLE });
      if (d.Table.TableStatus === "ACTIVE") break;
      if (Date.now() > deadline) throw new Error(`lock table still ${d.Table.TableStatus} after 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }

    // The backend comes from a configuration file, read by the app's own loader.
    const configFile = path.join(work, "platform.config.json");
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        project: "taskflow",
        clouds: ["aws"],
        backend: { bucket: BUCKET, region: "us-east-1", dynamodbTable: TABLE, endpoints: { s3: s3Url, dynamodb: dynamoUrl }, useLockfile: false },
      }),
    );
    const config = loadConfig({ PLATFORM_CONFIG: configFile });
    key = stateKey(config.project, "staging", "aws");

    // A tiny stack with the real backend: terraform_data needs no provider; its creation holds the lock.
    const outdir = path.join(work, "out");
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "aws-staging");
    addStateBackend(stack, config.backend, key);
    const run = new TerraformVariable(stack, "run", { type: "string", default: "1" });
    const hold = new DataResource(stack, "hold", {
      input: { run: run.stringValue },
      provisioners: [{ type: "local-exec", command: `sleep ${HOLD_SECONDS}` }],
    });
    new TerraformOutput(stack, "run_output", { value: hold.output });
    app.synth();

    const synthesized = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "aws-staging", "cdk.tf.json"), "utf8"));
    expect(synthesized.terraform.backend.s3).toMatchObject({ bucket: BUCKET, key, dynamodb_table: TABLE, endpoints: { s3: s3Url, dynamodb: dynamoUrl } });
    expect(synthesized.terraform.backend.s3.use_lockfile).toBeUndefined();

    // Two working directories of the same stack: two users or two CI jobs.
    dirA = path.join(outdir, "stacks", "aws-staging");
    dirB = path.join(work, "second-user");
    fs.cpSync(dirA, dirB, { recursive: true });

    env = terraformEnv({
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: path.join(work, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(work, "no-aws-credentials"),
    });
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    for (const dir of [dirA, dirB]) {
      const init = await tf(dir, ["init", "-input=false", "-no-color"]);
      if (init.code !== 0) throw new Error(`terraform init failed in ${dir}:\n${init.stdout}\n${init.stderr}`);
    }
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await s3?.close().catch(() => undefined);
    await new Promise<void>((resolve) => (dynamo ? dynamo.close(() => resolve()) : resolve()));
    if (work) fs.rmSync(work, { recursive: true, force: true });
    console.log(`state-lock e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  test("a concurrent apply is refused while the lock is held, and succeeds after", async () => {
    // 1. First apply: wait until it is inside the resource creation (the lock is taken before planning).
    let holding!: () => void;
    const lockHeld = new Promise<void>((resolve) => (holding = resolve));
    const first = tf(dirA, ["apply", "-auto-approve", "-input=false", "-no-color"], (out) => {
      if (out.includes("Provisioning with 'local-exec'")) holding();
    });
    const early = await Promise.race([lockHeld.then(() => undefined), first]);
    if (early) throw new Error(`first apply ended before holding the lock:\n${early.stdout}\n${early.stderr}`);

    // 2. Second apply while the first holds the lock: refused at once (no -lock-timeout).
    const second = await tf(dirB, ["apply", "-auto-approve", "-input=false", "-no-color", "-var", "run=2"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("Error acquiring the state lock");
    expect(second.stderr).toContain("ConditionalCheckFailedException");
    expect(second.stderr).toContain(`Path:      ${BUCKET}/${key}`);

    // 3. The first finishes normally (and releases its lock without error).
    const firstResult = await first;
    expect(firstResult.stderr).toBe("");
    expect(firstResult.code).toBe(0);
    expect(firstResult.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");

    // 4. State is at the stack's key in the bucket.
    const state1 = await readState();
    expect(key).toBe("taskflow/staging/aws/terraform.tfstate");
    expect(state1.outputs.run_output.value).toEqual({ run: "1" });
    expect(state1.resources.map((r) => `${r.type}.${r.name}`)).toEqual(["terraform_data.hold"]);

    // 5. The refused apply now succeeds and writes the next serial of the same state.
    const again = await tf(dirB, ["apply", "-auto-approve", "-input=false", "-no-color", "-var", "run=2"]);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Apply complete! Resources: 0 added, 1 changed, 0 destroyed.");
    const state2 = await readState();
    expect(state2.outputs.run_output.value).toEqual({ run: "2" });
    expect(state2.lineage).toBe(state1.lineage);
    expect(state2.serial).toBeGreaterThan(state1.serial);

    // 6. No lock is left behind: only the state digest item remains in the table.
    const items = await dynamoCall<{ Items: Array<{ LockID: { S: string }; Info?: unknown }> }>("Scan", { TableName: TABLE });
    expect(items.Items.map((i) => i.LockID.S)).toEqual([`${BUCKET}/${key}-md5`]);
  }, 120_000);
});
