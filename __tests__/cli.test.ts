/**
 * scripts/cdktf.js: `--provider` / `--env` parsing, validation, pass-through
 * of every other cdktf flag, exit codes and signals. A fake cdktf (via
 * PLATFORM_CDKTF_BIN) records exactly what it received; one test runs the
 * real cdktf CLI against a fake terraform.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CLOUDS } from "../constructs/core";
import { ENVIRONMENT_DEFAULTS } from "../constructs/config";
import { PROJECT_ROOT, WRAPPER, tempDir, writeExecutable } from "./workflow-helpers";

interface WrapperModule {
  CLOUDS: string[];
  DEFAULT_ENVIRONMENTS: string[];
  parseArgs(argv: string[]): { provider?: string; environment?: string; bootstrap: boolean; command?: string; rest: string[] };
}

/** What the fake cdktf saw. */
interface Recorded {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

const RECORDED_ENV = ["PLATFORM_CLOUD", "PLATFORM_ENVIRONMENT", "PLATFORM_BOOTSTRAP", "PLATFORM_CONFIG"];

let dir: string;
let bin: string;
let fakeCdktf: string;
let record: string;

beforeAll(() => {
  dir = tempDir("cli-test");
  bin = path.join(dir, "bin");
  record = path.join(dir, "cdktf-record.json");
  fakeCdktf = writeExecutable(
    path.join(dir, "fake-cdktf"),
    `#!${process.execPath}
const fs = require("fs");
const env = Object.fromEntries(${JSON.stringify(RECORDED_ENV)}.map((k) => [k, process.env[k]]));
if (process.env.FAKE_WAIT) {
  process.on("SIGTERM", () => { fs.writeFileSync(process.env.FAKE_RECORD + ".signal", "SIGTERM"); process.exit(143); });
  setInterval(() => {}, 1000);
}
fs.writeFileSync(process.env.FAKE_RECORD, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), env }));
if (!process.env.FAKE_WAIT) {
  process.exit(Number(process.env.FAKE_EXIT || 0));
}
`,
  );
  writeExecutable(path.join(bin, "terraform"), "#!/bin/sh\nexit 0\n");
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeEach(() => fs.rmSync(record, { force: true }));

/** A clean environment: no PLATFORM_* or npm_* leaking from the test runner. */
function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("PLATFORM_") && !k.startsWith("npm_") && k !== "TERRAFORM_BINARY_NAME") env[k] = v;
  }
  return { ...env, PATH: `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin`, PLATFORM_CDKTF_BIN: fakeCdktf, FAKE_RECORD: record, ...extra };
}

function run(args: string[], extra: NodeJS.ProcessEnv = {}, cwd = PROJECT_ROOT) {
  const r = spawnSync(process.execPath, [WRAPPER, ...args], { env: baseEnv(extra), cwd, encoding: "utf8", timeout: 30_000 });
  const recorded = fs.existsSync(record) ? (JSON.parse(fs.readFileSync(record, "utf8")) as Recorded) : undefined;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, recorded };
}

describe("the accepted values", () => {
  test("match CLOUDS of constructs/core.ts and the built-in environment profiles", () => {
    const wrapper = require(WRAPPER) as WrapperModule;
    expect(wrapper.CLOUDS).toEqual([...CLOUDS]);
    expect(wrapper.DEFAULT_ENVIRONMENTS).toEqual(Object.keys(ENVIRONMENT_DEFAULTS));
  });
});

describe("stack commands act on exactly one stack", () => {
  const cases: Array<[string, string[], string[], Record<string, string>]> = [
    ["deploy", ["deploy", "--provider", "aws", "--env", "staging"], ["deploy", "aws-staging"], { PLATFORM_CLOUD: "aws", PLATFORM_ENVIRONMENT: "staging" }],
    ["plan", ["plan", "--provider", "gcp", "--env", "production"], ["plan", "gcp-production"], { PLATFORM_CLOUD: "gcp", PLATFORM_ENVIRONMENT: "production" }],
    ["destroy", ["destroy", "--provider=azure", "--environment=staging"], ["destroy", "azure-staging"], { PLATFORM_CLOUD: "azure", PLATFORM_ENVIRONMENT: "staging" }],
    ["flags before the command's own", ["deploy", "--env=production", "--provider", "aws"], ["deploy", "aws-production"], { PLATFORM_CLOUD: "aws", PLATFORM_ENVIRONMENT: "production" }],
    ["output", ["output", "--provider", "aws", "--environment", "staging"], ["output", "aws-staging"], { PLATFORM_CLOUD: "aws", PLATFORM_ENVIRONMENT: "staging" }],
  ];
  test.each(cases)("%s", (_name, args, argv, env) => {
    const r = run(args);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.recorded?.argv).toEqual(argv);
    expect(r.recorded?.cwd).toBe(PROJECT_ROOT);
    expect(r.recorded?.env).toEqual({ PLATFORM_CLOUD: undefined, PLATFORM_ENVIRONMENT: undefined, PLATFORM_BOOTSTRAP: undefined, PLATFORM_CONFIG: undefined, ...env });
  });

  test("passes every other cdktf flag through untouched, stack name right after the command", () => {
    const r = run([
      "deploy", "--provider", "aws", "--auto-approve", "--var", "a=b", "--var", "c=d e", "--env", "staging",
      "--parallelism", "2", "--outputs-file", "out.json", "--", "--provider", "gcp",
    ]);
    expect(r.status).toBe(0);
    // `--var` is an array flag in cdktf: the stack must not come after it, or it would become a variable.
    expect(r.recorded?.argv).toEqual([
      "deploy", "aws-staging", "--auto-approve", "--var", "a=b", "--var", "c=d e", "--parallelism", "2", "--outputs-file", "out.json", "--", "--provider", "gcp",
    ]);
  });

  test("--bootstrap targets the state-bootstrap stack alone", () => {
    const r = run(["deploy", "--bootstrap", "--auto-approve"]);
    expect(r.status).toBe(0);
    expect(r.recorded?.argv).toEqual(["deploy", "state-bootstrap", "--auto-approve"]);
    expect(r.recorded?.env.PLATFORM_BOOTSTRAP).toBe("true");
    expect(r.recorded?.env.PLATFORM_CLOUD).toBeUndefined();
  });

  test("a relative PLATFORM_CONFIG keeps meaning the caller's file", () => {
    const r = run(["plan", "--provider", "aws", "--env", "staging"], { PLATFORM_CONFIG: "my.config.json" }, dir);
    expect(r.status).toBe(0);
    expect(r.recorded?.env.PLATFORM_CONFIG).toBe(path.join(dir, "my.config.json"));
    expect(r.recorded?.cwd).toBe(PROJECT_ROOT);
  });

  test("the project-local ./cdktf behaves the same", () => {
    const r = spawnSync(path.join(PROJECT_ROOT, "cdktf"), ["plan", "--provider", "aws", "--env", "staging", "--no-color"], {
      env: baseEnv({ PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}/usr/bin${path.delimiter}/bin` }),
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    const recorded = JSON.parse(fs.readFileSync(record, "utf8")) as Recorded;
    expect(recorded.argv).toEqual(["plan", "aws-staging", "--no-color"]);
  });
});

describe("synth", () => {
  test("without --provider synthesizes everything: no narrowing, no stack name", () => {
    const r = run(["synth", "--hcl"]);
    expect(r.status).toBe(0);
    expect(r.recorded?.argv).toEqual(["synth", "--hcl"]);
    expect(r.recorded?.env).toEqual({ PLATFORM_CLOUD: undefined, PLATFORM_ENVIRONMENT: undefined, PLATFORM_BOOTSTRAP: undefined, PLATFORM_CONFIG: undefined });
  });

  test("with --provider narrows the app to that cloud (both environments)", () => {
    const r = run(["synth", "--provider", "aws"]);
    expect(r.status).toBe(0);
    expect(r.recorded?.argv).toEqual(["synth"]);
    expect(r.recorded?.env.PLATFORM_CLOUD).toBe("aws");
    expect(r.recorded?.env.PLATFORM_ENVIRONMENT).toBeUndefined();
  });

  test("does not need terraform", () => {
    const r = run(["synth"], { PATH: path.join(dir, "empty") });
    expect(r.status).toBe(0);
    expect(r.recorded?.argv).toEqual(["synth"]);
  });
});

describe("fails before running anything", () => {
  const cases: Array<[string, string[], RegExp[]]> = [
    ["when the provider is unknown", ["deploy", "--provider", "aws2", "--env", "staging"], [/--provider: 'aws2' is not valid; accepted: aws, gcp, azure/]],
    ["when the environment is unknown", ["plan", "--provider", "aws", "--env", "prod"], [/--env: 'prod' is not valid; accepted: staging, production/]],
    ["when the provider is missing", ["deploy", "--env", "staging"], [/--provider: missing; accepted: aws, gcp, azure/]],
    ["when the environment is missing (production is never a default)", ["deploy", "--provider", "aws"], [/--env: missing \(production is never chosen by default\); accepted: staging, production/]],
    ["when both are missing", ["destroy", "--auto-approve"], [/--provider: missing/, /--env: missing/]],
    ["when a flag has no value", ["plan", "--provider", "--env", "staging"], [/--provider needs a value; accepted: aws, gcp, azure/]],
    ["when a flag is given twice", ["plan", "--provider", "aws", "--provider", "gcp", "--env", "staging"], [/--provider is given twice/]],
    ["when --bootstrap is combined with a provider", ["deploy", "--bootstrap", "--provider", "aws"], [/--bootstrap: cannot be combined/]],
    ["when the command is missing", ["--provider", "aws", "--env", "staging"], [/command: missing/]],
  ];
  test.each(cases)("fails %s", (_name, args, messages) => {
    const r = run(args);
    expect(r.status).toBe(2);
    for (const m of messages) expect(r.stderr).toMatch(m);
    expect(r.stderr).toMatch(/Usage:/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.recorded).toBeUndefined();
  });

  test("fails when npm swallowed the flags (missing `--`) and says how to type it", () => {
    const r = run(["deploy", "aws", "staging"], { npm_lifecycle_event: "deploy", npm_config_provider: "true", npm_config_env: "true" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/npm took --provider, --env as its own option/);
    expect(r.stderr).toContain("npm run deploy -- --provider aws --env staging");
    expect(r.recorded).toBeUndefined();
  });

  test.each(["plan", "deploy", "destroy"])("fails when terraform is not on PATH (%s), with a clear message", (command) => {
    const r = run([command, "--provider", "aws", "--env", "staging"], { PATH: path.join(dir, "empty") });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/'terraform' was not found on PATH/);
    expect(r.stderr).toMatch(/TERRAFORM_BINARY_NAME/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.recorded).toBeUndefined();
  });

  test("fails when the cdktf CLI is missing, naming the fix", () => {
    const r = run(["synth"], { PLATFORM_CDKTF_BIN: path.join(dir, "no-such-cdktf") });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/The cdktf CLI was not found at .*no-such-cdktf.*npm ci/);
  });
});

describe("process behaviour", () => {
  test("propagates cdktf's exit code", () => {
    const r = run(["plan", "--provider", "aws", "--env", "staging"], { FAKE_EXIT: "7" });
    expect(r.recorded?.argv).toEqual(["plan", "aws-staging"]);
    expect(r.status).toBe(7);
  });

  test("forwards SIGTERM to cdktf and exits with its status", async () => {
    const child: ChildProcess = spawn(process.execPath, [WRAPPER, "deploy", "--provider", "aws", "--env", "staging"], {
      env: baseEnv({ FAKE_WAIT: "1" }),
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(record) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(fs.readFileSync(`${record}.signal`, "utf8")).toBe("SIGTERM");
  });
});

describe("with the real cdktf CLI and a fake terraform", () => {
  test("deploy runs terraform in the selected stack's directory only", () => {
    const tfLog = path.join(dir, "terraform.log");
    const appLog = path.join(dir, "app.log");
    writeExecutable(
      path.join(bin, "terraform"),
      `#!/bin/sh
printf '%s|%s\\n' "$PWD" "$*" >> '${tfLog}'
case "$1" in
  version) echo '{"terraform_version":"1.11.4","platform":"linux_amd64","provider_selections":{},"terraform_outdated":false}' ;;
  output) echo '{}' ;;
esac
exit 0
`,
    );
    // A stand-in app with two stacks, passed through cdktf's own --app flag: the wrapper must narrow to one.
    const app = path.join(dir, "app.js");
    fs.writeFileSync(
      app,
      `const { App, TerraformStack } = require(${JSON.stringify(require.resolve("cdktf"))});
require("fs").writeFileSync(${JSON.stringify(appLog)}, JSON.stringify([process.env.PLATFORM_CLOUD, process.env.PLATFORM_ENVIRONMENT]));
const app = new App();
for (const name of ["aws-staging", "aws-production"]) new TerraformStack(app, name);
app.synth();
`,
    );
    const out = path.join(dir, "out");
    const env = baseEnv({ CHECKPOINT_DISABLE: "1", CI: "1" });
    delete env.PLATFORM_CDKTF_BIN;
    delete env.TF_CLI_CONFIG_FILE;
    env.PATH = `${bin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}/usr/bin${path.delimiter}/bin`;
    const r = spawnSync(process.execPath, [WRAPPER, "deploy", "--provider", "aws", "--env", "staging", "--auto-approve", "--app", `${process.execPath} ${app}`, "--output", out], {
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(appLog, "utf8"))).toEqual(["aws", "staging"]);
    const calls = fs.readFileSync(tfLog, "utf8").trim().split("\n").map((l) => l.split("|"));
    const inStacks = calls.filter(([cwd]) => cwd.startsWith(path.join(out, "stacks")));
    expect(new Set(inStacks.map(([cwd]) => cwd))).toEqual(new Set([path.join(out, "stacks", "aws-staging")]));
    expect(inStacks.map(([, args]) => args.split(" ")[0])).toEqual(expect.arrayContaining(["init", "apply"]));
    expect(inStacks.find(([, args]) => args.startsWith("apply"))?.[1]).toMatch(/-auto-approve/);
  });
});
