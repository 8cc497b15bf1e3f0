/**
 * The cdktf app: builds every configured stack; `app.synth()` checks them all
 * (policy, state keys, names) and only then writes them to cdktf.out/.
 * Run through `cdktf synth|plan|deploy` (cdktf.json runs scripts/app.js, which
 * builds when needed and calls `runApp`), through scripts/cdktf.js, or with
 * `node dist/main.js`.
 */
// Before anything loads cdktf or a provider binding: load them without their inline source maps (scripts/lean-require.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
require("../scripts/lean-require.js");
import * as fs from "fs";
import { loadConfig } from "./constructs/config";
import { UserError } from "./constructs/core";
import { buildApp, selectionFromEnv } from "./stacks/app";

function holdsNoFile(dir: string): boolean {
  return fs.readdirSync(dir, { withFileTypes: true }).every((e) => e.isDirectory() && holdsNoFile(`${dir}/${e.name}`));
}

/**
 * Synthesizes the selection of `env` (PLATFORM_CONFIG, PLATFORM_CLOUD, PLATFORM_ENVIRONMENT, PLATFORM_STACKS,
 * PLATFORM_BOOTSTRAP; CDKTF_OUTDIR) and returns the exit code. On an error nothing is written: the message
 * goes to stderr (input, policy and conflict errors say what to fix; anything else is a bug and keeps its stack).
 */
export function runApp(env: NodeJS.ProcessEnv = process.env): number {
  // cdktf's App creates its output directory (and `stacks/` in it) as soon as it is constructed, before any check ran.
  const outdir = env.CDKTF_OUTDIR ?? "cdktf.out";
  const outdirExisted = fs.existsSync(outdir);
  try {
    const { app } = buildApp({ config: loadConfig(env), selection: selectionFromEnv(env), outdir });
    app.synth();
    return 0;
  } catch (e) {
    // Leave no trace of a failed run: remove the directories the App created, if no file is in them.
    if (!outdirExisted && fs.existsSync(outdir) && holdsNoFile(outdir)) fs.rmSync(outdir, { recursive: true });
    const text = UserError.isUserError(e) ? e.message : `Unexpected error (a bug in this project, please report it):\n${(e as Error).stack ?? String(e)}`;
    process.stderr.write(`\n${text}\n\nNothing was written.\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = runApp();
