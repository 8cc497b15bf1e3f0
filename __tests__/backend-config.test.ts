/**
 * Pointing the state backend elsewhere without editing code: the `backend`
 * section of the configuration file, PLATFORM_BACKEND_* overrides, and the
 * `useLockfile` switch, down to the synthesized `terraform.backend.s3` block.
 */
import * as fs from "fs";
import * as path from "path";
import { TerraformStack, Testing } from "cdktf";
import { addStateBackend, stateKeyAlias } from "../constructs/backend";
import { BackendConfig, backendFromEnv, loadConfig } from "../constructs/config";
import { TfJson } from "./helpers";
import { tempDir } from "./workflow-helpers";

function s3Block(backend: BackendConfig): Record<string, unknown> {
  const stack = new TerraformStack(Testing.app(), "aws-staging");
  addStateBackend(stack, backend, "taskflow/staging/aws/terraform.tfstate");
  const tf = JSON.parse(Testing.synth(stack)) as TfJson;
  const s3 = tf.terraform.backend?.s3;
  if (!s3) throw new Error("no s3 backend");
  return s3;
}

let dir: string;
let file: string;
beforeAll(() => {
  dir = tempDir("backend-config");
  file = path.join(dir, "platform.config.json");
  fs.writeFileSync(
    file,
    JSON.stringify({ backend: { bucket: "file-bucket", region: "eu-west-1", dynamodbTable: "file-locks", endpoints: { s3: "http://127.0.0.1:1111" } } }),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("backend configuration", () => {
  test("defaults: AWS endpoints, SSE-KMS with the state key, DynamoDB lock and the S3 lock file", () => {
    const empty = path.join(dir, "empty.json");
    fs.writeFileSync(empty, "{}");
    const s3 = s3Block(loadConfig({ PLATFORM_CONFIG: empty }).backend);
    expect(s3).toMatchObject({
      bucket: "taskflow-terraform-state",
      region: "us-east-1",
      dynamodb_table: "terraform-locks",
      encrypt: true,
      kms_key_id: "alias/taskflow-terraform-state",
      use_lockfile: true,
    });
    expect(s3.endpoints).toBeUndefined();
    expect(s3.use_path_style).toBeUndefined();
  });

  test("the state key's alias follows the bucket name, in the form Terraform's S3 backend accepts (alias/[a-zA-Z0-9/_-]+)", () => {
    const backend = { ...loadConfig({ PLATFORM_CONFIG: file }).backend, endpoints: undefined, bucket: "acme.terraform-state" };
    expect(stateKeyAlias(backend)).toBe("alias/acme-terraform-state");
    expect(s3Block(backend).kms_key_id).toBe("alias/acme-terraform-state");
    expect(stateKeyAlias(backend)).toMatch(/^alias\/[a-zA-Z0-9/_-]+$/);
  });

  test("custom endpoints (S3 emulators have no KMS) keep SSE-S3: no kms_key_id", () => {
    expect(s3Block(loadConfig({ PLATFORM_CONFIG: file }).backend).kms_key_id).toBeUndefined();
  });

  test("the configuration file sets bucket, region, table and custom endpoints", () => {
    const s3 = s3Block(loadConfig({ PLATFORM_CONFIG: file }).backend);
    expect(s3).toMatchObject({
      bucket: "file-bucket",
      region: "eu-west-1",
      dynamodb_table: "file-locks",
      endpoints: { s3: "http://127.0.0.1:1111" },
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
    });
  });

  test("PLATFORM_BACKEND_* variables override the file, endpoints merged per service", () => {
    const config = loadConfig({
      PLATFORM_CONFIG: file,
      PLATFORM_BACKEND_BUCKET: "env-bucket",
      PLATFORM_BACKEND_REGION: "us-west-2",
      PLATFORM_BACKEND_DYNAMODB_TABLE: "env-locks",
      PLATFORM_BACKEND_DYNAMODB_ENDPOINT: "http://127.0.0.1:2222",
      PLATFORM_BACKEND_USE_LOCKFILE: "false",
    });
    expect(config.backend).toEqual({
      bucket: "env-bucket",
      region: "us-west-2",
      dynamodbTable: "env-locks",
      endpoints: { s3: "http://127.0.0.1:1111", dynamodb: "http://127.0.0.1:2222" },
      useLockfile: false,
    });
  });

  test("empty variables change nothing", () => {
    expect(backendFromEnv({ PLATFORM_BACKEND_BUCKET: "", PLATFORM_BACKEND_S3_ENDPOINT: "" })).toEqual({});
  });

  test("useLockfile: false drops use_lockfile and keeps the DynamoDB lock", () => {
    const base = loadConfig({ PLATFORM_CONFIG: file }).backend;
    const s3 = s3Block({ ...base, useLockfile: false });
    expect(s3.use_lockfile).toBeUndefined();
    expect(s3.dynamodb_table).toBe("file-locks");
  });

  test("fails when PLATFORM_BACKEND_USE_LOCKFILE is not true or false", () => {
    expect(() => loadConfig({ PLATFORM_CONFIG: file, PLATFORM_BACKEND_USE_LOCKFILE: "no" })).toThrow(
      /PLATFORM_BACKEND_USE_LOCKFILE: 'no' is not valid; accepted: true or false/,
    );
  });

  test("fails when an endpoint from the environment is not a URL", () => {
    expect(() => loadConfig({ PLATFORM_CONFIG: file, PLATFORM_BACKEND_S3_ENDPOINT: "localhost:4569" })).toThrow(/backend\.endpoints\.s3: 'localhost:4569' is not valid/);
  });

  test("fails when useLockfile in the file is not a boolean", () => {
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ backend: { useLockfile: "yes" } }));
    expect(() => loadConfig({ PLATFORM_CONFIG: bad })).toThrow(/backend\.useLockfile: 'yes' is not valid; accepted: true or false/);
  });
});
