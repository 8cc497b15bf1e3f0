/**
 * Benchmark helper (not product code): synthesizes N copies of the platform stack
 * per configured cloud in one App, to measure the marginal cost of a stack.
 *
 *   node dist/bench/scale.js <copies-per-cloud> [outdir]
 *
 * Copies alternate between the configured environments and get distinct stack ids
 * (`aws-staging-0`, `aws-production-1`, ...). Like buildApp, it runs the policy check on every
 * stack before writing. Prints one JSON line: time to load cdktf and the configuration, time to
 * construct each cloud's first stack (which also loads that cloud's modules), time for the other
 * copies, time of the policy check, time to write everything, modules loaded.
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
  const { loadConfig } = require("../stacks/config") as typeof import("../stacks/config");
  const { PlatformStack } = require("../stacks/platform-stack") as typeof import("../stacks/platform-stack");
  const { enforcePolicy } = require("../constructs/policy") as typeof import("../constructs/policy");
  const config = loadConfig();
  const app = new App({ outdir: process.argv[3] ?? process.env.CDKTF_OUTDIR, skipValidation: false });
  const t1 = performance.now();
  let firstMs = 0;
  let copiesMs = 0;
  const stacks: InstanceType<typeof PlatformStack>[] = [];
  for (const cloud of config.clouds) {
    for (let i = 0; i < copies; i++) {
      const start = performance.now();
      const environment = config.environments[i % config.environments.length];
      stacks.push(new PlatformStack(app, { cloud, environment, config, stackId: `${cloud}-${environment}-${i}` }));
      if (i === 0) firstMs += performance.now() - start;
      else copiesMs += performance.now() - start;
    }
  }
  const t2 = performance.now();
  // As buildApp does; the exemption lines it logs are not wanted here.
  enforcePolicy(
    stacks.map((stack) => ({ stack, environment: stack.platform.context.environment, cloud: stack.platform.cloud })),
    () => undefined,
  );
  const t3 = performance.now();
  app.synth();
  const t4 = performance.now();
  const result = {
    copiesPerCloud: copies,
    clouds: config.clouds,
    stacks: copies * config.clouds.length,
    setupMs: Math.round(t1 - t0),
    firstStacksMs: Math.round(firstMs),
    otherStacksMs: Math.round(copiesMs),
    policyMs: Math.round(t3 - t2),
    synthMs: Math.round(t4 - t3),
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
