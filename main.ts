/**
 * The cdktf app: builds every configured stack, then writes them to cdktf.out/.
 * Run through `cdktf synth|plan|deploy` (see cdktf.json) or `node dist/main.js`.
 */
import { buildApp, selectionFromEnv } from "./stacks/app";
import { loadConfig } from "./stacks/config";

function main(): void {
  const { app } = buildApp({ config: loadConfig(), selection: selectionFromEnv() });
  app.synth();
}

try {
  main();
} catch (e) {
  // One clear message, no stack trace: these are input errors the user fixes.
  process.stderr.write(`\n${(e as Error).message}\n\nNothing was written.\n`);
  process.exit(1);
}
