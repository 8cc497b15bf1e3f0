/**
 * Benchmark helper (not product code): synthesizes N copies of the platform stack
 * per configured cloud in one App, built as the app builds its stacks (buildApp:
 * no per-token stack traces), to measure the marginal cost of a stack.
 *
 *   node dist/bench/scale.js <copies-per-cloud> [outdir]
 *
 * Copies alternate between the configured environments; each is its own component (`c0-aws-staging`,
 * `c1-aws-production`, ...), so state keys and names stay unique as the check demands. `app.synth()`
 * checks every stack before writing, as for the real app. Prints one JSON line: time to load cdktf
 * and the configuration, time to construct each cloud's first stack (which also loads that cloud's
 * modules), time for the other copies, time of the check, the rest of `app.synth()`, modules loaded.
 */
import { performance } from "perf_hooks";

function main(): void {
  const copies = Number(process.argv[2] ?? "1");
  if (!Number.isInteger(copies) || copies < 1) {
    throw new Error(`copies-per-cloud: '${process.argv[2]}' is not valid; accepted: a positive integer such as 10`);
  }
  const t0 = performance.now();
  // Required here rather than imported at the top, so that loading is timed apart from construction.
  const { App } = require("cdktf") as typeof import("cdktf");
  const { loadConfig } = require("../constructs/config") as typeof import("../constructs/config");
  const { checkDurationMs, setCheckLog } = require("../constructs/stack") as typeof import("../constructs/stack");
  const { PlatformStack } = require("../stacks/platform-stack") as typeof import("../stacks/platform-stack");
  const { disableTokenStackTraces } = require("../constructs/token-traces") as typeof import("../constructs/token-traces");
  // As buildApp does for the real app: no stack trace per token, none in the written metadata.
  disableTokenStackTraces();
  const config = loadConfig();
  const environments = Object.keys(config.environments);
  const app = new App({ outdir: process.argv[3] ?? process.env.CDKTF_OUTDIR, skipValidation: false, stackTraces: false });
  setCheckLog(app, () => undefined);
  const t1 = performance.now();
  let firstMs = 0;
  let copiesMs = 0;
  const stacks: InstanceType<typeof PlatformStack>[] = [];
  for (const cloud of config.clouds) {
    for (let i = 0; i < copies; i++) {
      const start = performance.now();
      const environment = environments[i % environments.length];
      stacks.push(new PlatformStack(app, { cloud, environment, config, component: `c${i}` }));
      if (i === 0) firstMs += performance.now() - start;
      else copiesMs += performance.now() - start;
    }
  }
  const t2 = performance.now();
  app.synth();
  const t4 = performance.now();
  const checkMs = checkDurationMs(app) ?? 0;
  const result = {
    copiesPerCloud: copies,
    clouds: config.clouds,
    stacks: copies * config.clouds.length,
    setupMs: Math.round(t1 - t0),
    firstStacksMs: Math.round(firstMs),
    otherStacksMs: Math.round(copiesMs),
    policyMs: Math.round(checkMs),
    synthMs: Math.round(t4 - t2 - checkMs),
    totalMs: Math.round(t4 - t0),
    modules: Object.keys(require.cache).length,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`\n${(e as Error).message}\n`);
  process.exit(1);
}
