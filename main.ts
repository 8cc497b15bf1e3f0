/**
 * The cdktf app: builds every configured stack, checks them, then writes them to cdktf.out/.
 * Run through `cdktf synth|plan|deploy` (see cdktf.json) or `node dist/main.js`.
 */
import * as fs from "fs";
import { buildApp, selectionFromEnv } from "./stacks/app";
import { loadConfig } from "./stacks/config";

function main(): void {
  const { app } = buildApp({ config: loadConfig(), selection: selectionFromEnv() });
  app.synth();
}

/** Input and policy errors say what to fix (they all end with what is accepted); a stack trace would only hide that. */
function isUserError(e: unknown): e is Error {
  return e instanceof Error && (["ValidationError", "PolicyError"].includes(e.name) || /accepted: /.test(e.message));
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
  const text = isUserError(e) ? e.message : `Unexpected error (a bug in this project, please report it):\n${(e as Error).stack ?? String(e)}`;
  process.stderr.write(`\n${text}\n\nNothing was written.\n`);
  process.exit(1);
}
