/**
 * scripts/cdktf.js and the npx path: selection (cloud and environment, stack names, --all, --bootstrap),
 * validation, the direct synth (identical to `cdktf synth`, narrowed synth keeps other stacks), the refusal of
 * placeholders before plan and deploy, pass-through of every other cdktf flag, exit codes and signals. A fake
 * cdktf (via PLATFORM_CDKTF_BIN) records what it received; the real app synthesizes into a temporary outdir;
 * the real cdktf CLI runs against a fake terraform to prove `npx cdktf deploy --provider ...` narrows too.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CLOUDS } from "../constructs/core";
import { ENVIRONMENT_DEFAULTS } from "../constructs/config";
import { VALUE_OPTIONS, environmentForCdktfSelection, parseCdktfArgs, selectionFromCdktfAncestor } from "../stacks/cli-args";
import { selectionFromEnv } from "../stacks/app";
import { PROJECT_ROOT, WRAPPER, tempDir, writeExecutable } from "./workflow-helpers";
import { testConfig } from "./helpers";
import { PREREQUISITE_TOOLS, prerequisitesFor } from "../constructs/prerequisites";

interface Decision {
  command?: string;
  env: Record<string, string>;
  stacks?: string[];
  all: boolean;
  rest: string[];
}
interface Evaluated {
  p: { id: string; blocking: boolean };
  state: "holds" | "missing" | "unchecked";
  reason?: string;
}
interface WrapperModule {
  evaluatePrerequisites(list: unknown[], tools: unknown, envPath: string, exec: (command: string) => { status: number; stdout: string; stderr?: string }): Evaluated[];
  CLOUDS: string[];
  DEFAULT_ENVIRONMENTS: string[];
  VALUE_OPTIONS: string[];
  parseArgs(argv: string[], environments?: string[]): unknown;
  decide(parsed: unknown, environments?: string[]): Decision;
}
const wrapper = require(WRAPPER) as WrapperModule;
const decide = (args: string[], environments = ["staging", "production"]) => wrapper.decide(wrapper.parseArgs(args, environments), environments);

/** What the fake cdktf saw, one entry per call. */
interface Recorded {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

const RECORDED_ENV = ["PLATFORM_CLOUD", "PLATFORM_ENVIRONMENT", "PLATFORM_BOOTSTRAP", "PLATFORM_STACKS", "PLATFORM_CONFIG", "CHECKPOINT_DISABLE"];

/** A configuration without placeholders: what plan and deploy accept. */
const REAL_CONFIG = {
  project: "taskflow",
  environments: { staging: { domain: "staging.taskflow.acme.test" }, production: { domain: "app.taskflow.acme.test" } },
  budget: { alertEmails: ["platform@acme.test"] },
  gcp: { billingAccount: "012345-6789AB-CDEF01" },
  azure: { subscriptionId: "00000000-0000-0000-0000-000000000000" },
};

let dir: string;
let bin: string;
let fakeCdktf: string;
let record: string;
let realConfig: string;

beforeAll(() => {
  dir = tempDir("cli-test");
  bin = path.join(dir, "bin");
  record = path.join(dir, "cdktf-record.jsonl");
  realConfig = path.join(dir, "real.config.json");
  fs.writeFileSync(realConfig, JSON.stringify(REAL_CONFIG));
  fakeCdktf = writeExecutable(
    path.join(dir, "fake-cdktf"),
    `#!${process.execPath}
const fs = require("fs");
const env = Object.fromEntries(${JSON.stringify(RECORDED_ENV)}.map((k) => [k, process.env[k]]));
fs.appendFileSync(process.env.FAKE_RECORD, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), env }) + "\\n");
if (process.env.FAKE_WAIT) {
  process.on("SIGTERM", () => { fs.writeFileSync(process.env.FAKE_RECORD + ".signal", "SIGTERM"); process.exit(143); });
  setInterval(() => {}, 1000);
} else {
  process.exit(Number(process.env.FAKE_EXIT || 0));
}
`,
  );
  writeExecutable(path.join(bin, "terraform"), "#!/bin/sh\nexit 0\n");
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeEach(() => fs.rmSync(record, { force: true }));

function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("PLATFORM_") && !k.startsWith("npm_") && !k.startsWith("CDKTF_") && k !== "TERRAFORM_BINARY_NAME") env[k] = v;
  }
  return {
    ...env,
    PATH: `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin`,
    PLATFORM_CDKTF_BIN: fakeCdktf,
    PLATFORM_CONFIG: realConfig,
    CDKTF_OUTDIR: path.join(dir, "out"),
    FAKE_RECORD: record,
    // The prerequisite checks would call the clouds' CLIs installed here; their own tests fake those CLIs.
    PLATFORM_SKIP_PREREQUISITES: "1",
    ...extra,
  };
}

function run(args: string[], extra: NodeJS.ProcessEnv = {}, cwd = PROJECT_ROOT) {
  const r = spawnSync(process.execPath, [WRAPPER, ...args], { env: baseEnv(extra), cwd, encoding: "utf8", timeout: 60_000 });
  const recorded = fs.existsSync(record)
    ? fs.readFileSync(record, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Recorded)
    : undefined;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, recorded };
}

describe("the accepted values", () => {
  test("match CLOUDS of constructs/core.ts and the built-in environment profiles", () => {
    expect(wrapper.CLOUDS).toEqual([...CLOUDS]);
    expect(wrapper.DEFAULT_ENVIRONMENTS).toEqual(Object.keys(ENVIRONMENT_DEFAULTS));
  });
});

describe("selection", () => {
  test.each<[string, string[], Partial<Decision>]>([
    ["a stack command acts on the <cloud>-<environment> stack", ["deploy", "--provider", "aws", "--env", "staging"], { stacks: ["aws-staging"], env: { PLATFORM_CLOUD: "aws", PLATFORM_ENVIRONMENT: "staging" } }],
    ["a component name picks that component's stack", ["plan", "--provider", "gcp", "--env", "production", "worker"], { stacks: ["worker-gcp-production"] }],
    ["a full stack name is kept", ["plan", "--provider", "gcp", "--env", "production", "worker-gcp-production"], { stacks: ["worker-gcp-production"] }],
    ["a full stack name alone implies its cloud and environment", ["destroy", "worker-azure-staging"], { stacks: ["worker-azure-staging"], env: { PLATFORM_CLOUD: "azure", PLATFORM_ENVIRONMENT: "staging" } }],
    ["--all leaves the stack list to the synthesized selection", ["deploy", "--provider", "aws", "--env", "staging", "--all"], { stacks: undefined, all: true }],
    ["--bootstrap picks the state stack alone", ["deploy", "--bootstrap", "--auto-approve"], { stacks: ["state-bootstrap"], env: { PLATFORM_BOOTSTRAP: "true" } }],
    ["synth without anything narrows nothing", ["synth"], { stacks: undefined, env: {} }],
    ["synth with a cloud narrows to it", ["synth", "--provider", "aws"], { stacks: undefined, env: { PLATFORM_CLOUD: "aws" } }],
    ["synth with names writes only those", ["synth", "--provider", "aws", "--env", "staging", "worker"], { stacks: ["worker-aws-staging"], env: { PLATFORM_CLOUD: "aws", PLATFORM_ENVIRONMENT: "staging", PLATFORM_STACKS: "worker-aws-staging" } }],
  ])("%s", (_what, args, expected) => {
    expect(decide(args)).toMatchObject(expected);
  });

  test("an environment added to the configuration is accepted without touching the wrapper", () => {
    expect(decide(["plan", "--provider", "aws", "--env", "dev"], ["staging", "dev", "production"]).stacks).toEqual(["aws-dev"]);
  });

  test("cdktf flags pass through untouched, values of value-taking flags are never stack names", () => {
    const d = decide(["deploy", "--provider", "aws", "--auto-approve", "--var", "a=b", "--var", "c=d e", "--env", "staging", "--parallelism", "2", "--outputs-file", "out.json", "--", "--provider", "gcp"]);
    expect(d.stacks).toEqual(["aws-staging"]);
    expect(d.rest).toEqual(["--auto-approve", "--var", "a=b", "--var", "c=d e", "--parallelism", "2", "--outputs-file", "out.json", "--", "--provider", "gcp"]);
  });

  test("the wrapper and the app know the same value-taking cdktf flags", () => {
    expect([...wrapper.VALUE_OPTIONS].sort()).toEqual([...VALUE_OPTIONS].sort());
    const d = decide(["plan", "--provider", "aws", "--env", "staging", "--experimental-provider-schema-cache-path", "worker"]);
    expect(d.stacks).toEqual(["aws-staging"]);
    expect(parseCdktfArgs(["plan", "--provider", "aws", "--env", "staging", "--experimental-provider-schema-cache-path", "worker"]).stacks).toEqual([]);
  });
});

describe("the wrapper end to end (real synth into a temporary outdir, fake cdktf)", () => {
  test("deploy synthesizes the cloud and environment, then runs cdktf on the chosen stack with --skip-synth", () => {
    const r = run(["deploy", "--provider", "aws", "--env", "staging", "--auto-approve", "--var", "x=y"]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, "out", "stacks")).sort()).toEqual(expect.arrayContaining(["aws-staging", "worker-aws-staging"]));
    expect(r.recorded).toHaveLength(1);
    expect(r.recorded![0].argv).toEqual(["deploy", "aws-staging", "--skip-synth", "--auto-approve", "--var", "x=y"]);
    expect(r.recorded![0].cwd).toBe(PROJECT_ROOT);
    expect(r.recorded![0].env).toMatchObject({ PLATFORM_CLOUD: "aws", PLATFORM_ENVIRONMENT: "staging", CHECKPOINT_DISABLE: "1" });
  });

  test("--all deploys every stack of the selection in one cdktf call (cdktf orders them by dependency)", () => {
    const r = run(["deploy", "--provider", "gcp", "--env", "staging", "--all"]);
    expect(r.status).toBe(0);
    expect(r.recorded!.map((x) => x.argv)).toEqual([["deploy", "gcp-staging", "worker-gcp-staging", "--skip-synth"]]);
  });

  test("plan runs once per stack, because cdktf plans one stack at a time", () => {
    const r = run(["plan", "--provider", "azure", "--env", "staging", "--all", "--no-color"]);
    expect(r.status).toBe(0);
    expect(r.recorded!.map((x) => x.argv)).toEqual([
      ["plan", "azure-staging", "--skip-synth", "--no-color"],
      ["plan", "worker-azure-staging", "--skip-synth", "--no-color"],
    ]);
  });

  test("fails when a named stack is not in the selection, listing the ones that are", () => {
    const r = run(["plan", "--provider", "aws", "--env", "staging", "analytics"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("stack: 'analytics-aws-staging' is not a stack of the selection; accepted: aws-staging, worker-aws-staging");
    expect(r.recorded).toBeUndefined();
  });

  test("fails when plan or deploy meet placeholders, naming every field; synth only notes them", () => {
    const placeholders = path.join(dir, "placeholders.json");
    fs.writeFileSync(placeholders, JSON.stringify({ gcp: { billingAccount: "000000-000000-000000" } }));
    for (const command of ["plan", "deploy"]) {
      const r = run([command, "--provider", "gcp", "--env", "production"], { PLATFORM_CONFIG: placeholders });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`Refusing to ${command} gcp-production: the configuration still holds placeholders`);
      expect(r.stderr).toContain("gcp.billingAccount: \"000000-000000-000000\" is not valid");
      expect(r.stderr).toContain("budget.alertEmails[0]: \"platform-team@example.com\" is not valid");
      expect(r.stderr).toContain("environments.production.domain: \"production.taskflow.example.com\" is not valid");
      expect(r.recorded).toBeUndefined();
    }
    const azure = run(["deploy", "--provider", "azure", "--env", "staging"], { PLATFORM_CONFIG: placeholders, ARM_SUBSCRIPTION_ID: "" });
    expect(azure.stderr).toContain("azure.subscriptionId: \"(missing)\" is not valid; accepted: a subscription GUID in the configuration, or ARM_SUBSCRIPTION_ID");
    const synth = run(["synth", "--provider", "gcp"], { PLATFORM_CONFIG: placeholders });
    expect(synth.status).toBe(0);
    expect(synth.stdout).toContain("Note: placeholders that plan and deploy refuse until replaced: ");
  });

  test("a narrowed synth leaves the other stacks' output and manifest entries as they were", () => {
    const out = path.join(dir, "narrow");
    expect(run(["synth"], { CDKTF_OUTDIR: out }).status).toBe(0);
    const before = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    const awsJson = fs.readFileSync(path.join(out, "stacks", "aws-staging", "cdk.tf.json"), "utf8");
    const r = run(["synth", "--provider", "gcp", "--env", "staging"], { CDKTF_OUTDIR: out });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Generated Terraform code for the stacks: gcp-staging, worker-gcp-staging (other stacks in cdktf.out/ were left as they were)");
    const after = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(Object.keys(after.stacks).sort()).toEqual(Object.keys(before.stacks).sort());
    expect(fs.readFileSync(path.join(out, "stacks", "aws-staging", "cdk.tf.json"), "utf8")).toBe(awsJson);
  });

  test("the direct synth writes exactly what `cdktf synth` writes", () => {
    const direct = path.join(dir, "direct");
    const viaCli = path.join(dir, "via-cli");
    expect(run(["synth"], { CDKTF_OUTDIR: direct }).status).toBe(0);
    const env = baseEnv({ CHECKPOINT_DISABLE: "1" });
    delete env.CDKTF_OUTDIR;
    delete env.TF_CLI_CONFIG_FILE;
    env.PATH = `${path.dirname(process.execPath)}${path.delimiter}/usr/bin${path.delimiter}/bin`;
    const cli = spawnSync(path.join(PROJECT_ROOT, "node_modules", ".bin", "cdktf"), ["synth", "--output", viaCli], { env, cwd: PROJECT_ROOT, encoding: "utf8", timeout: 120_000 });
    expect(cli.status).toBe(0);
    const files = (root: string) =>
      fs
        .readdirSync(path.join(root, "stacks"))
        .sort()
        .map((s) => [s, fs.readFileSync(path.join(root, "stacks", s, "cdk.tf.json"), "utf8")]);
    expect(files(direct)).toEqual(files(viaCli));
    const manifest = (root: string) => JSON.parse(fs.readFileSync(path.join(root, "manifest.json"), "utf8")).stacks;
    expect(manifest(direct)).toEqual(manifest(viaCli));
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
    ["when --all is combined with stack names", ["deploy", "--provider", "aws", "--env", "staging", "--all", "worker"], [/--all: cannot be combined with stack names/]],
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
    const r = run(["deploy"], { npm_lifecycle_event: "deploy", npm_config_provider: "true", npm_config_env: "true" });
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
    const r = run(["plan", "--provider", "aws", "--env", "staging"], { PLATFORM_CDKTF_BIN: path.join(dir, "no-such-cdktf") });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/The cdktf CLI was not found at .*no-such-cdktf.*npm ci/);
  });
});

describe("process behaviour", () => {
  test("propagates cdktf's exit code", () => {
    const r = run(["plan", "--provider", "aws", "--env", "staging"], { FAKE_EXIT: "7" });
    expect(r.recorded?.[0].argv).toEqual(["plan", "aws-staging", "--skip-synth"]);
    expect(r.status).toBe(7);
  });

  test("forwards SIGTERM to cdktf and exits with its status", async () => {
    const child: ChildProcess = spawn(process.execPath, [WRAPPER, "deploy", "--provider", "aws", "--env", "staging"], { env: baseEnv({ FAKE_WAIT: "1" }), stdio: "ignore" });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(record) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(fs.readFileSync(`${record}.signal`, "utf8")).toBe("SIGTERM");
  });

  test("the project-local ./cdktf behaves the same", () => {
    const r = spawnSync(path.join(PROJECT_ROOT, "cdktf"), ["plan", "--provider", "aws", "--env", "staging", "--no-color"], {
      env: baseEnv({ PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}/usr/bin${path.delimiter}/bin` }),
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    const recorded = JSON.parse(fs.readFileSync(record, "utf8").trim().split("\n")[0]) as Recorded;
    expect(recorded.argv).toEqual(["plan", "aws-staging", "--skip-synth", "--no-color"]);
  });
});

describe("plain cdktf commands select like ./cdktf (the app reads the cdktf command line)", () => {
  test("parses the cdktf command line: command, --provider, --env, stack names, value flags", () => {
    expect(parseCdktfArgs(["deploy", "--provider", "aws", "--var", "x=y", "--env=staging", "--auto-approve"])).toEqual({ command: "deploy", provider: "aws", environment: "staging", stacks: [] });
    expect(parseCdktfArgs(["plan", "worker-gcp-production", "--environment", "production", "--provider=gcp"])).toEqual({ command: "plan", provider: "gcp", environment: "production", stacks: ["worker-gcp-production"] });
  });

  test("a stack command without a stack name writes only the <cloud>-<environment> stack; with names, cdktf picks", () => {
    expect(environmentForCdktfSelection({ command: "deploy", provider: "aws", environment: "staging", stacks: [] })).toEqual({ PLATFORM_CLOUD: "aws", PLATFORM_ENVIRONMENT: "staging", PLATFORM_STACKS: "aws-staging" });
    expect(environmentForCdktfSelection({ command: "deploy", provider: "aws", environment: "staging", stacks: ["worker-aws-staging"] })).toEqual({ PLATFORM_CLOUD: "aws", PLATFORM_ENVIRONMENT: "staging" });
    expect(environmentForCdktfSelection({ command: "synth", provider: "gcp", stacks: [] })).toEqual({ PLATFORM_CLOUD: "gcp" });
  });

  test("finds the nearest cdktf ancestor, and PLATFORM_* variables win over it", () => {
    const table: Record<number, { ppid: number; argv: string[] }> = {
      30: { ppid: 20, argv: ["/bin/sh", "-c", "node scripts/app.js"] },
      20: { ppid: 10, argv: ["node", "/p/node_modules/.bin/cdktf", "deploy", "--provider", "azure", "--env", "production"] },
      10: { ppid: 1, argv: ["npm", "exec", "cdktf"] },
    };
    const ancestor = () => selectionFromCdktfAncestor((pid) => table[pid], 30);
    expect(ancestor()).toEqual({ command: "deploy", provider: "azure", environment: "production", stacks: [] });
    expect(selectionFromEnv({ CDKTF_OUTDIR: "x" }, ancestor)).toEqual({ cloud: "azure", environment: "production", bootstrap: false, stacks: ["azure-production"] });
    expect(selectionFromEnv({ CDKTF_OUTDIR: "x", PLATFORM_CLOUD: "aws" }, ancestor)).toEqual({ cloud: "aws", environment: undefined, bootstrap: false });
    expect(selectionFromEnv({}, ancestor)).toEqual({ cloud: undefined, environment: undefined, bootstrap: false });
  });

  test("`cdktf deploy --provider aws --env staging` with the real CLI and a fake terraform runs terraform in that stack only", () => {
    const tfLog = path.join(dir, "terraform.log");
    const fakeTf = path.join(dir, "tf-bin");
    writeExecutable(
      path.join(fakeTf, "terraform"),
      `#!/bin/sh
printf '%s|%s\\n' "$PWD" "$*" >> '${tfLog}'
case "$1" in
  version) echo '{"terraform_version":"1.11.4","platform":"linux_amd64","provider_selections":{},"terraform_outdated":false}' ;;
  output) echo '{}' ;;
esac
exit 0
`,
    );
    const out = path.join(dir, "npx-out");
    const env = baseEnv({ CHECKPOINT_DISABLE: "1", CI: "1" });
    for (const k of ["PLATFORM_CDKTF_BIN", "CDKTF_OUTDIR", "TF_CLI_CONFIG_FILE"]) delete env[k];
    env.PATH = `${fakeTf}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}/usr/bin${path.delimiter}/bin`;
    const r = spawnSync(path.join(PROJECT_ROOT, "node_modules", ".bin", "cdktf"), ["deploy", "--provider", "aws", "--env", "staging", "--auto-approve", "--output", out], {
      env,
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(out, "stacks"))).toEqual(["aws-staging"]);
    const calls = fs.readFileSync(tfLog, "utf8").trim().split("\n").map((l) => l.split("|"));
    const inStacks = calls.filter(([cwd]) => cwd.startsWith(path.join(out, "stacks")));
    expect(new Set(inStacks.map(([cwd]) => cwd))).toEqual(new Set([path.join(out, "stacks", "aws-staging")]));
    expect(inStacks.find(([, args]) => args.startsWith("apply"))?.[1]).toMatch(/-auto-approve/);
  });
});

describe("prerequisites: checked before plan and deploy with the clouds' CLIs (faked here)", () => {
  /** A fake CLI: answers each command line from FAKE_CLI_ANSWERS ([pattern, stdout, status][]), logs every call. */
  let cliDir: string;
  let shOnly: string;
  let cliLog: string;
  beforeAll(() => {
    cliDir = path.join(dir, "cli-bin");
    shOnly = path.join(dir, "sh-only");
    cliLog = path.join(dir, "cli.log");
    fs.mkdirSync(shOnly, { recursive: true });
    fs.symlinkSync("/bin/sh", path.join(shOnly, "sh"));
    fs.copyFileSync(path.join(bin, "terraform"), path.join(shOnly, "terraform"));
    fs.chmodSync(path.join(shOnly, "terraform"), 0o755);
    for (const name of ["aws", "gcloud", "az"]) {
      writeExecutable(
        path.join(cliDir, name),
        `#!${process.execPath}
const fs = require("fs");
const line = [${JSON.stringify(name)}, ...process.argv.slice(2)].join(" ");
fs.appendFileSync(process.env.FAKE_CLI_LOG, line + "\\n");
for (const [pattern, stdout, status] of JSON.parse(process.env.FAKE_CLI_ANSWERS || "[]")) {
  if (new RegExp(pattern).test(line)) { process.stdout.write(stdout); process.exit(status); }
}
process.exit(0);
`,
      );
    }
  });
  beforeEach(() => fs.rmSync(cliLog, { force: true }));

  const withClis = (answers: [string, string, number][], extra: NodeJS.ProcessEnv = {}) => ({
    PATH: `${cliDir}${path.delimiter}${shOnly}`,
    PLATFORM_SKIP_PREREQUISITES: "",
    FAKE_CLI_LOG: cliLog,
    FAKE_CLI_ANSWERS: JSON.stringify(answers),
    ...extra,
  });
  const calls = () => (fs.existsSync(cliLog) ? fs.readFileSync(cliLog, "utf8").trim().split("\n") : []);
  /** What a fully prepared GCP project answers. */
  const gcpReady: [string, string, number][] = [
    ["billing projects describe", "True\n", 0],
    ["billing accounts describe", "USD\n", 0],
    ["services list --enabled .*cloudresourcemanager", "cloudresourcemanager.googleapis.com\nserviceusage.googleapis.com\n", 0],
  ];

  test("a blocking prerequisite missing: plan and deploy refuse before cdktf runs, naming it, why, and the fix", () => {
    // Billing linked, but Cloud Resource Manager and Service Usage are off.
    const answers: [string, string, number][] = [["billing projects describe", "True\n", 0], ["billing accounts describe", "USD\n", 0], ["services list", "", 0]];
    for (const command of ["plan", "deploy"]) {
      const r = run([command, "--provider", "gcp", "--env", "staging"], withClis(answers));
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`Refusing to ${command} gcp-staging: what Terraform cannot create is missing`);
      expect(r.stderr).toContain("MISSING gcp:gcp-bootstrap-apis");
      expect(r.stderr).toContain("fix: gcloud services enable cloudresourcemanager.googleapis.com serviceusage.googleapis.com --project=");
      expect(r.stderr).toContain("--skip-prerequisite-checks");
      expect(r.recorded).toBeUndefined();
    }
    // The state backend was checked with the AWS CLI first, for a GCP stack too.
    expect(calls()).toEqual(expect.arrayContaining(["aws sts get-caller-identity --output text", expect.stringMatching(/^aws s3api head-bucket --bucket taskflow-terraform-state/)]));
  });

  test("everything blocking holds: the plan runs, and a recommended item that is missing is a warning", () => {
    const r = run(["plan", "--provider", "gcp", "--env", "staging"], withClis(gcpReady));
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/Warning: missing gcp:gcp-stack-apis: .* \(recommended\)/);
    expect(r.recorded!.map((x) => x.argv)).toEqual([["plan", "gcp-staging", "--skip-synth"]]);
  });

  test("the state backend missing refuses every cloud's plan, with the bootstrap as the fix", () => {
    const r = run(["plan", "--provider", "azure", "--env", "staging"], withClis([["s3api head-bucket", "", 254]]));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("MISSING aws:state-backend");
    expect(r.stderr).toContain("fix: npm run bootstrap");
  });

  test("--skip-prerequisite-checks (or PLATFORM_SKIP_PREREQUISITES=1) skips them: no CLI is called", () => {
    const r = run(["plan", "--provider", "gcp", "--env", "staging", "--skip-prerequisite-checks"], withClis([["", "", 1]]));
    expect(r.status).toBe(0);
    expect(calls()).toEqual([]);
    expect(r.recorded![0].argv).toEqual(["plan", "gcp-staging", "--skip-synth"]);
  });

  test("a CLI that is not signed in leaves its items unchecked: a note, not a refusal", () => {
    const r = run(["plan", "--provider", "azure", "--env", "staging"], withClis([["az account show", "", 1]]));
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/Note: \d+ prerequisite\(s\) of azure-staging not checked/);
    expect(calls().filter((c) => c.startsWith("az "))).toEqual(["az account show --query id -o tsv"]);
  });

  test("`prerequisites` prints every item with its state and fix, and exits 1 while a blocking one is missing", () => {
    const missing = run(["prerequisites", "--provider", "azure", "--env", "production"], withClis([["az feature show", "NotRegistered\n", 0], ["az provider show", "Registered\n", 0]]));
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain("Prerequisites of azure-production");
    expect(missing.stdout).toContain("MISSING azure:subscription-feature:Microsoft.Compute/EncryptionAtHost");
    expect(missing.stdout).toContain("fix: az feature register --namespace Microsoft.Compute --name EncryptionAtHost");
    expect(missing.stdout).toMatch(/\n {2}ok +azure:resource-provider:Microsoft\.KeyVault: /);
    expect(missing.stdout).toMatch(/\n {2}\? +azure:deployer-role:subscription: .*\n +not checked: depends on the identity/);
    expect(missing.recorded).toBeUndefined();
    const ready = run(["prerequisites", "--provider", "gcp", "--env", "staging"], withClis(gcpReady));
    expect(ready.status).toBe(0);
  });

  describe("evaluatePrerequisites (pure)", () => {
    const list = prerequisitesFor(testConfig({ clouds: ["gcp"] }), "gcp", "staging");

    test("a CLI that is not installed leaves its items unchecked, and is never called", () => {
      const exec = jest.fn(() => ({ status: 0, stdout: "" }));
      const results = wrapper.evaluatePrerequisites(list, PREREQUISITE_TOOLS, "/nonexistent", exec);
      expect(exec).not.toHaveBeenCalled();
      expect(new Set(results.map((r) => [r.state, r.reason].join(": ")))).toEqual(new Set(["unchecked: aws is not installed", "unchecked: gcloud is not installed"]));
    });

    test("a check the identity may not run is unchecked, not missing (no false refusal)", () => {
      const exec = (command: string) =>
        /billing projects describe/.test(command) ? { status: 1, stdout: "", stderr: "ERROR: (gcloud.billing.projects.describe) PERMISSION_DENIED: The caller does not have permission\n" } : { status: 0, stdout: "True\nUSD\n" };
      const billing = wrapper.evaluatePrerequisites(list, PREREQUISITE_TOOLS, `${cliDir}`, exec).find((r) => r.p.id === "gcp:gcp-project-billing")!;
      expect(billing).toMatchObject({ state: "unchecked", reason: expect.stringContaining("the check was not permitted (ERROR: (gcloud.billing.projects.describe) PERMISSION_DENIED") });
    });

    test("GCP: every expected value must be printed; one API missing is a missing item", () => {
      const exec = (command: string) => ({ status: 0, stdout: /services list.*cloudresourcemanager/.test(command) ? "serviceusage.googleapis.com\n" : "True\nUSD\n" });
      const results = wrapper.evaluatePrerequisites(list, PREREQUISITE_TOOLS, `${cliDir}`, exec);
      expect(results.find((r) => r.p.id === "gcp:gcp-bootstrap-apis")!.state).toBe("missing");
      expect(results.find((r) => r.p.id === "gcp:gcp-project-billing")!.state).toBe("holds");
    });
  });
});

describe("deploy --bootstrap retries a failed run: untaints what converges, refuses what does not", () => {
  let tfDir: string;
  let tfLog: string;
  beforeAll(() => {
    tfDir = path.join(dir, "tf-untaint");
    tfLog = path.join(dir, "tf-untaint.log");
    writeExecutable(path.join(tfDir, "terraform"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${tfLog}'\nexit 0\n`);
  });
  beforeEach(() => fs.rmSync(tfLog, { force: true }));

  const state = (tainted: { type: string; name: string }[]) => ({
    version: 4,
    terraform_version: "1.11.4",
    resources: [
      { mode: "managed", type: "aws_s3_bucket", name: "state-bucket", instances: [{ attributes: {} }] },
      ...tainted.map((t) => ({ mode: "managed", type: t.type, name: t.name, instances: [{ status: "tainted", attributes: {} }] })),
    ],
  });
  const bootstrap = (tainted: { type: string; name: string }[]) => {
    const stateFile = path.join(dir, `bootstrap-${tainted.length}-${tainted[0]?.type ?? "none"}.tfstate`);
    fs.writeFileSync(stateFile, JSON.stringify(state(tainted)));
    const out = path.join(dir, "bootstrap-out");
    return { out, r: run(["deploy", "--bootstrap", "--auto-approve"], { PATH: `${tfDir}${path.delimiter}/usr/bin${path.delimiter}/bin`, PLATFORM_BOOTSTRAP_STATE: stateFile, CDKTF_OUTDIR: out }) };
  };
  const tfCalls = () => (fs.existsSync(tfLog) ? fs.readFileSync(tfLog, "utf8").trim().split("\n") : []);

  test("tainted resources of types that converge on update are untainted (after init), then cdktf deploys", () => {
    const { out, r } = bootstrap([{ type: "aws_dynamodb_table", name: "lock-table" }, { type: "aws_kms_key", name: "state-key" }]);
    expect(r.status).toBe(0);
    const chdir = `-chdir=${path.join(out, "stacks", "state-bootstrap")}`;
    expect(tfCalls()).toEqual([`${chdir} init -input=false`, `${chdir} untaint -allow-missing aws_dynamodb_table.lock-table`, `${chdir} untaint -allow-missing aws_kms_key.state-key`]);
    expect(r.stdout).toContain("A failed run left 2 resource(s) tainted");
    expect(r.recorded!.map((x) => x.argv)).toEqual([["deploy", "state-bootstrap", "--skip-synth", "--auto-approve"]]);
  });

  test("nothing tainted: no terraform call before cdktf", () => {
    const { r } = bootstrap([]);
    expect(r.status).toBe(0);
    expect(tfCalls()).toEqual([]);
    expect(r.recorded).toHaveLength(1);
  });

  test("a tainted resource of a type not known to converge: refused, nothing untainted, cdktf not run", () => {
    const { r } = bootstrap([{ type: "aws_dynamodb_table", name: "lock-table" }, { type: "aws_iam_role", name: "odd" }]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Refusing to retry the bootstrap");
    expect(r.stderr).toContain("  - aws_iam_role.odd");
    expect(tfCalls()).toEqual([]);
    expect(r.recorded).toBeUndefined();
  });
});
