/**
 * The cdktf app: builds every configured stack; `app.synth()` checks them all
 * (policy, state keys, names) and only then writes them to cdktf.out/.
 * Run through `cdktf synth|plan|deploy` (see cdktf.json) or `node dist/main.js`.
 */
import * as fs from "fs";
import { loadConfig } from "./constructs/config";
import { UserError } from "./constructs/core";
import { buildApp, selectionFromEnv } from "./stacks/app";

function main(): void {
  const { app } = buildApp({ config: loadConfig(), selection: selectionFromEnv() });
  app.synth();
}

function holdsNoFile(dir: string): boolean {
  return fs.readdirSync(dir, { withFileTypes: true }).every((e) => e.isDirectory() && holdsNoFile(`${dir}/${e.name}`));
}

/** cdktf's App creates its output directory (and `stacks/` in it) as soon as it is constructed, before any check ran. */
const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
const outdirExisted = fs.existsSync(outdir);

try {
  main();
} catch (e) {
  // Leave no trace of a failed run: remove the directories the App created, if no file is in them.
  if (!outdirExisted && fs.existsSync(outdir) && holdsNoFile(outdir)) fs.rmSync(outdir, { recursive: true });
  // Input, policy and conflict errors say what to fix; anything else is a bug and keeps its stack trace.
  const text = UserError.isUserError(e) ? e.message : `Unexpected error (a bug in this project, please report it):\n${(e as Error).stack ?? String(e)}`;
  process.stderr.write(`\n${text}\n\nNothing was written.\n`);
  process.exit(1);
}
