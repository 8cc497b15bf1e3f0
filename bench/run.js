#!/usr/bin/env node
/**
 * `npm run bench`: measures synth, build, type-check and test times of this project on the current
 * machine, next to the stock way of writing a cdktf app (bench/baseline/), and writes the results
 * as a markdown table to docs/benchmark.md (also printed).
 *
 *   npm run bench                         everything (about 2-3 minutes on 2 cores)
 *   npm run bench -- --skip-tests         without `npm test`
 *   npm run bench -- --skip-stock         without the stock baseline (then no ratio)
 *   npm run bench -- --runs 5 --stock-runs 1 --cli-runs 3 --scale-runs 3
 *   npm run bench -- --output FILE        write the table elsewhere (--no-write: print only)
 *   npm run bench -- --wait-idle 60       seconds to wait at most for other processes to leave the CPUs (0: don't)
 *
 * Clouds and environments are the app's own (platform.config.json or PLATFORM_CONFIG), so the
 * numbers follow the configuration. Plain Node, no build step of its own: it runs the project's
 * `npm run build` first (so it also works on a fresh clone after `npm ci`). Not part of `npm test`.
 */
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");

const ROOT = path.resolve(__dirname, "..");
const TIME = "/usr/bin/time";
const PROBE = path.join(__dirname, "probe.js");
const SCALE_COPIES = [1, 10, 50];

/** The targets of issue 7, for this project on a 2-core machine. */
const TARGETS = {
  synthWallS: 1.0,
  synthRssMb: 250,
  marginalMsPerStack: 30,
  speedupVsStock: 20,
  testWallS: 90,
};

function parseArgs(argv) {
  const opts = { runs: 5, stockRuns: 1, cliRuns: 3, typecheckRuns: 3, scaleRuns: 3, waitIdle: 60, skipTests: false, skipStock: false, output: "docs/benchmark.md", write: true };
  const numeric = { "--runs": "runs", "--stock-runs": "stockRuns", "--cli-runs": "cliRuns", "--typecheck-runs": "typecheckRuns", "--scale-runs": "scaleRuns", "--wait-idle": "waitIdle" };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag in numeric) {
      const n = Number(value());
      if (!Number.isInteger(n) || n < (flag === "--wait-idle" ? 0 : 1)) fail(`${flag}: '${n}' is not valid; accepted: a positive integer`);
      opts[numeric[flag]] = n;
    } else if (flag === "--skip-tests") opts.skipTests = true;
    else if (flag === "--skip-stock") opts.skipStock = true;
    else if (flag === "--output") opts.output = value();
    else if (flag === "--no-write") opts.write = false;
    else if (flag === "--help" || flag === "-h") {
      process.stdout.write(fs.readFileSync(__filename, "utf8").split("*/")[0].replace(/^#!.*\n\/\*\*\n/, "").replace(/^ \* ?/gm, "") + "\n");
      process.exit(0);
    } else fail(`unknown option '${argv[i]}'; accepted: --skip-tests, --skip-stock, --runs N, --stock-runs N, --cli-runs N, --typecheck-runs N, --scale-runs N, --wait-idle SECONDS, --output FILE, --no-write`);
  }
  return opts;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

/** Busy and total CPU milliseconds of the whole machine so far, all cores. */
function cpuTimes() {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, total };
}

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Waits (at most `maxS` seconds) until the machine has been almost idle for two seconds: other
 * processes (a parallel build or test run) would otherwise inflate every wall time. Returns the busy
 * fraction of the last sample.
 */
function waitForIdle(maxS) {
  const deadline = Date.now() + maxS * 1000;
  let quiet = 0;
  let busy = 0;
  for (;;) {
    const a = cpuTimes();
    sleepMs(1000);
    const b = cpuTimes();
    busy = (b.busy - a.busy) / Math.max(1, b.total - a.total);
    quiet = busy < 0.15 ? quiet + 1 : 0;
    if (quiet >= 2 || Date.now() >= deadline) return busy;
    if (quiet === 0) log(`waiting for an idle machine: ${Math.round(busy * 100)}% of the CPUs busy`);
  }
}

function tempDir(label) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bench-${label}-`));
}

/**
 * Runs `cmd args` once from the project root; returns wall ms, peak RSS (KiB; from /usr/bin/time, else
 * from the probe when the command is `node`), modules loaded (probe, node commands only), exit status.
 */
function measure(cmd, args, { env = {}, probe = false, quiet = true } = {}) {
  const work = tempDir("run");
  const timeOut = path.join(work, "time.txt");
  const probeOut = path.join(work, "probe.json");
  const hasTime = fs.existsSync(TIME);
  const fullArgs = probe ? ["-r", PROBE, ...args] : args;
  const [file, argv] = hasTime ? [TIME, ["-f", "%M %U %S", "-o", timeOut, cmd, ...fullArgs]] : [cmd, fullArgs];
  const start = process.hrtime.bigint();
  const r = spawnSync(file, argv, {
    cwd: ROOT,
    env: { ...process.env, ...env, BENCH_PROBE_OUT: probeOut, BENCH_RUNNING: "1" },
    stdio: quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  let rssKb;
  let cpuMs;
  let modules;
  if (hasTime && fs.existsSync(timeOut)) {
    // The last line: "%M %U %S" (earlier lines are time's own notes, e.g. a non-zero exit status).
    const [rss, user, system] = fs.readFileSync(timeOut, "utf8").trim().split("\n").pop().split(" ").map(Number);
    rssKb = rss || undefined;
    cpuMs = Number.isFinite(user + system) ? (user + system) * 1000 : undefined;
  }
  if (fs.existsSync(probeOut)) {
    const p = JSON.parse(fs.readFileSync(probeOut, "utf8"));
    modules = p.modules;
    if (rssKb === undefined) rssKb = p.maxRssKb;
    if (cpuMs === undefined) cpuMs = p.cpuMs;
  }
  fs.rmSync(work, { recursive: true, force: true });
  const status = r.status ?? 1;
  if (status !== 0 && quiet) {
    const lines = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n");
    const failures = lines.filter((l) => /^\s*(FAIL|●)/.test(l)).slice(0, 20);
    log(`'${cmd} ${args.join(" ")}' exited with ${status}:\n${[...failures, "...", ...lines.slice(-15)].join("\n")}`);
  }
  return { wallMs, cpuMs, rssKb, modules, status, stdout: r.stdout ? r.stdout.toString() : "" };
}

/** Repeats `fn` (which returns a measure() result) `runs` times; medians of wall and RSS. */
function repeat(label, runs, fn) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = fn(i);
    results.push(r);
    log(`${label} ${i + 1}/${runs}: ${sec(r.wallMs)} s wall${r.cpuMs !== undefined ? `, ${sec(r.cpuMs)} s CPU` : ""}${r.rssKb ? `, ${mb(r.rssKb)} MB` : ""}${r.status ? ` (exit ${r.status})` : ""}`);
  }
  const rss = results.map((r) => r.rssKb).filter((x) => x !== undefined);
  const cpu = results.map((r) => r.cpuMs).filter((x) => x !== undefined);
  return {
    cpuMs: cpu.length ? median(cpu) : undefined,
    runs,
    wallMs: median(results.map((r) => r.wallMs)),
    minWallMs: Math.min(...results.map((r) => r.wallMs)),
    maxWallMs: Math.max(...results.map((r) => r.wallMs)),
    rssKb: rss.length ? median(rss) : undefined,
    modules: results[0].modules,
    failed: results.filter((r) => r.status !== 0).length,
    results,
  };
}

const mb = (kib) => Math.round((kib * 1024) / 1e6);
const sec = (ms) => (ms / 1000).toFixed(2);

/** Counts resources and data sources per stack directory of a synth output. */
function countResources(outdir) {
  const stacksDir = path.join(outdir, "stacks");
  const counts = {};
  if (!fs.existsSync(stacksDir)) return counts;
  for (const stack of fs.readdirSync(stacksDir)) {
    const file = path.join(stacksDir, stack, "cdk.tf.json");
    if (!fs.existsSync(file)) continue;
    const tf = JSON.parse(fs.readFileSync(file, "utf8"));
    let n = 0;
    for (const block of ["resource", "data"]) {
      for (const type of Object.values(tf[block] ?? {})) n += Object.keys(type).length;
    }
    counts[stack] = n;
  }
  return counts;
}

function machine() {
  const cpus = os.cpus();
  const tsc = spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--version"], { cwd: ROOT }).stdout;
  const pkg = (name) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
    } catch {
      return "?";
    }
  };
  return {
    cores: cpus.length,
    cpuModel: cpus[0] ? cpus[0].model.trim() : "unknown",
    memoryGb: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    typescript: tsc ? tsc.toString().trim() : "?",
    cdktf: pkg("cdktf"),
    loadAverage: os.loadavg()[0].toFixed(2),
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    commit: gitDescribe(),
  };
}

/** The commit measured, with "+ uncommitted changes" when the work tree differs from it. */
function gitDescribe() {
  const git = (...args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.status !== 0) return "unknown (not a git checkout)";
  const dirty = git("status", "--porcelain", "--untracked-files=no").stdout.trim() !== "";
  return `${head.stdout.trim()}${dirty ? " + uncommitted changes" : ""}`;
}

function build() {
  log("building (npm run build)...");
  const r = spawnSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, BENCH_RUNNING: "1" } });
  const ok = r.status === 0;
  const missing = ["dist/main.js", "dist/stacks/config.js", "dist/bench/scale.js"].filter((f) => !fs.existsSync(path.join(ROOT, f)));
  if (missing.length) fail(`the build did not produce ${missing.join(", ")}; fix the compile errors above and run again`);
  if (!ok) log("warning: tsc reported errors (see above); the emitted JavaScript is benchmarked anyway");
  return ok;
}

/** The app's clouds and environments, read the way the app reads them. */
function appConfig() {
  const { loadConfig } = require(path.join(ROOT, "dist/stacks/config.js"));
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const c = loadConfig();
    return { clouds: [...c.clouds], environments: [...c.environments] };
  } finally {
    process.chdir(cwd);
  }
}

function main() {
  if (process.env.BENCH_RUNNING) fail("already running inside a benchmark; not recursing");
  const opts = parseArgs(process.argv.slice(2));
  const buildOk = build();
  const busyAtStart = opts.waitIdle > 0 ? waitForIdle(opts.waitIdle) : undefined;
  const cpuAtStart = cpuTimes();
  const ownCpuAtStart = process.cpuUsage();
  const m = machine();
  const { clouds, environments } = appConfig();
  const stackCount = clouds.length * environments.length + 1;
  log(`clouds: ${clouds.join(", ")}; environments: ${environments.join(", ")} (${stackCount} stacks with state-bootstrap)`);

  // 1. The app alone: node dist/main.js, every stack, to a fresh directory each run.
  let ourResources = {};
  const synth = repeat("app synth", opts.runs, (i) => {
    const out = tempDir("synth");
    const r = measure(process.execPath, ["dist/main.js"], { env: { CDKTF_OUTDIR: out }, probe: true });
    if (i === 0) ourResources = countResources(out);
    fs.rmSync(out, { recursive: true, force: true });
    return r;
  });

  // 2. Scaling: N copies of the platform stack per cloud in one App.
  const scale = SCALE_COPIES.map((copies) => {
    const inProcess = [];
    const rep = repeat(`scale ${copies}/cloud`, opts.scaleRuns, () => {
      const out = tempDir("scale");
      const r = measure(process.execPath, ["dist/bench/scale.js", String(copies), out], { probe: true });
      fs.rmSync(out, { recursive: true, force: true });
      if (r.status === 0) inProcess.push(JSON.parse(r.stdout.trim().split("\n").pop()));
      return r;
    });
    const phase = (k) => median(inProcess.map((p) => p[k]));
    return {
      copies,
      stacks: copies * clouds.length,
      ...rep,
      setupMs: phase("setupMs"),
      firstStacksMs: phase("firstStacksMs"),
      otherStacksMs: phase("otherStacksMs"),
      policyMs: phase("policyMs"),
      synthMs: phase("synthMs"),
    };
  });
  const marginalMs = slope(scale.map((s) => ({ x: s.stacks, y: s.wallMs })));
  const inProcessMarginalMs = slope(scale.map((s) => ({ x: s.stacks, y: s.firstStacksMs + s.otherStacksMs + s.policyMs + s.synthMs })));
  const cpuMarginalMs = scale.every((s) => s.cpuMs !== undefined) ? slope(scale.map((s) => ({ x: s.stacks, y: s.cpuMs }))) : undefined;

  // 3. The stock way: root-namespace provider imports through ts-node, same clouds x environments.
  let stock;
  let stockResources = {};
  if (!opts.skipStock) {
    stock = repeat("stock (ts-node, root namespaces)", opts.stockRuns, (i) => {
      const out = tempDir("stock");
      const r = measure(process.execPath, ["-r", "ts-node/register", "bench/baseline/main.ts"], {
        env: {
          CDKTF_OUTDIR: out,
          BENCH_CLOUDS: clouds.join(","),
          BENCH_ENVIRONMENTS: environments.join(","),
          TS_NODE_COMPILER: "typescript5",
          TS_NODE_PROJECT: "bench/baseline/tsconfig.json",
        },
        probe: true,
      });
      if (i === 0) stockResources = countResources(out);
      fs.rmSync(out, { recursive: true, force: true });
      return r;
    });
  }

  // 4. `npx cdktf synth` end to end: CLI start, the app command (incremental tsc build + node dist/main.js).
  const cli = repeat("npx cdktf synth", opts.cliRuns, () => {
    const out = tempDir("cli");
    const r = measure("npx", ["--no-install", "cdktf", "synth", "--output", out], { env: { CHECKPOINT_DISABLE: "1", CI: "1" } });
    fs.rmSync(out, { recursive: true, force: true });
    return r;
  });

  // The build step inside it, alone (nothing changed since the last build), to split the CLI's time.
  const incremental = repeat("npm run build (incremental)", opts.cliRuns, () => measure("npm", ["run", "--silent", "build"]));

  // 5. Type-check of the whole project, from scratch (no incremental state), TypeScript 7.
  const typecheck = repeat("tsc --noEmit", opts.typecheckRuns, () =>
    measure(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--noEmit", "--incremental", "false"]),
  );

  // 6. npm test, once (CI=true: jest writes no snapshot files as a side effect).
  const test = opts.skipTests ? undefined : repeat("npm test", 1, () => measure("npm", ["test", "--silent"], { env: { CI: "true" } }));

  const loadAfter = os.loadavg()[0].toFixed(2);
  // CPU that other processes used while the benchmark ran: all busy CPU minus ours and our children's.
  const cpuAtEnd = cpuTimes();
  const own = process.cpuUsage(ownCpuAtStart);
  const children = [synth, ...scale, stock, cli, incremental, typecheck, test]
    .filter((x) => x !== undefined)
    .flatMap((x) => x.results)
    .reduce((a, r) => a + (r.cpuMs ?? 0), 0);
  const othersCpu = Math.max(0, cpuAtEnd.busy - cpuAtStart.busy - children - (own.user + own.system) / 1000);
  const othersShare = othersCpu / Math.max(1, cpuAtEnd.total - cpuAtStart.total);
  const md = report({ m, loadAfter, busyAtStart, othersShare, buildOk, clouds, environments, stackCount, synth, scale, marginalMs, inProcessMarginalMs, cpuMarginalMs, stock, cli, incremental, typecheck, test, ourResources, stockResources, opts });
  process.stdout.write(md);
  if (opts.write) {
    const file = path.resolve(ROOT, opts.output);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, md);
    log(`written to ${path.relative(ROOT, file)}`);
  }
}

function report(r) {
  const { m, synth, scale, stock, cli, incremental, typecheck, test } = r;
  const verdict = (ok) => (ok === undefined ? "n/a" : ok ? "PASS" : "MISS");
  const failedNote = (x) => (x && x.failed ? ` (${x.failed} of ${x.runs} runs failed)` : "");
  const range = (x) => (x.runs > 1 ? ` (${sec(x.minWallMs)}-${sec(x.maxWallMs)})` : "");
  const synthS = synth.wallMs / 1000;
  const synthMb = synth.rssKb !== undefined ? mb(synth.rssKb) : undefined;
  const speedup = stock ? stock.wallMs / synth.wallMs : undefined;
  const memRatio = stock && stock.rssKb && synth.rssKb ? stock.rssKb / synth.rssKb : undefined;
  const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
  const where = `${r.clouds.join(", ")} x ${r.environments.join(", ")}`;
  const L = [];
  L.push("# Benchmark");
  L.push("");
  L.push(`Measured by \`npm run bench\` (bench/run.js) on ${m.date}. Re-run it to refresh this file; numbers are for the machine below.`);
  L.push("");
  L.push("| Machine | |");
  L.push("| --- | --- |");
  L.push(`| CPU | ${m.cpuModel} |`);
  L.push(`| Cores | ${m.cores} |`);
  L.push(`| Memory | ${m.memoryGb} GiB |`);
  L.push(`| Node | ${m.node} |`);
  L.push(`| OS | ${m.platform} |`);
  L.push(`| TypeScript / cdktf | ${m.typescript} / cdktf ${m.cdktf} |`);
  L.push(`| Load average (1 min) at start / end | ${m.loadAverage} / ${r.loadAfter} |`);
  L.push(`| CPU used by other processes during the run | ${Math.round(r.othersShare * 100)}% of the machine${r.busyAtStart !== undefined && r.busyAtStart >= 0.15 ? ` (not idle at start: ${Math.round(r.busyAtStart * 100)}% busy)` : ""} |`);
  L.push(`| Commit | ${m.commit} |`);
  L.push(`| Stacks | ${r.stackCount}: ${where}, plus state-bootstrap |`);
  L.push("");
  L.push("## Targets");
  L.push("");
  L.push("| Target | Goal | Measured | Result |");
  L.push("| --- | --- | --- | --- |");
  L.push(`| All stacks synthesized by the app, wall (median of ${synth.runs}) | ≤ ${TARGETS.synthWallS.toFixed(1)} s | ${synthS.toFixed(2)} s${failedNote(synth)} | ${verdict(!synth.failed && synthS <= TARGETS.synthWallS)} |`);
  L.push(`| All stacks synthesized by the app, peak RSS | ≤ ${TARGETS.synthRssMb} MB | ${synthMb ?? "?"} MB | ${verdict(synthMb === undefined ? undefined : synthMb <= TARGETS.synthRssMb)} |`);
  L.push(`| Marginal cost per stack (slope, 1/10/50 per cloud) | ≤ ${TARGETS.marginalMsPerStack} ms | ${r.marginalMs.toFixed(1)} ms | ${verdict(r.marginalMs <= TARGETS.marginalMsPerStack)} |`);
  L.push(`| Faster than the stock way (wall) | ≥ ${TARGETS.speedupVsStock}x | ${speedup ? `${speedup.toFixed(1)}x` : "skipped"} | ${verdict(speedup === undefined ? undefined : speedup >= TARGETS.speedupVsStock)} |`);
  L.push(`| \`npm test\` wall (once) | ≤ ${TARGETS.testWallS} s | ${test ? `${sec(test.wallMs)} s${test.failed ? " (tests failed)" : ""}` : "skipped"} | ${test && test.failed ? "n/a (failed)" : verdict(test ? test.wallMs / 1000 <= TARGETS.testWallS : undefined)} |`);
  L.push("");
  const notes = [];
  if (synth.cpuMs !== undefined && synthS > TARGETS.synthWallS && synth.cpuMs / 1000 <= TARGETS.synthWallS) {
    notes.push(`App synth wall ${synthS.toFixed(2)} s is over the target while its CPU time is ${sec(synth.cpuMs)} s: the process waited for CPUs that other processes were using (see the load above). Re-run on an idle machine.`);
  }
  if (test && test.failed) notes.push("`npm test` failed (see the benchmark's log for the failing tests), so its time is not judged against the target.");
  if (notes.length) {
    L.push("Notes:");
    L.push("");
    for (const n of notes) L.push(`- ${n}`);
    L.push("");
  }
  L.push("## Measurements");
  L.push("");
  const cpu = (x) => (x && x.cpuMs !== undefined ? `${sec(x.cpuMs)} s` : "?");
  L.push("| What | Runs | Wall, median (min-max) | CPU (user+sys), median | Peak RSS | Modules loaded |");
  L.push("| --- | --- | --- | --- | --- | --- |");
  L.push(`| App synth, all ${r.stackCount} stacks (\`node dist/main.js\`) | ${synth.runs} | ${sec(synth.wallMs)} s${range(synth)} | ${cpu(synth)} | ${synthMb ?? "?"} MB | ${synth.modules ?? "?"} |`);
  if (stock) {
    L.push(`| Stock: root-namespace imports via ts-node (bench/baseline), same clouds x environments | ${stock.runs} | ${sec(stock.wallMs)} s${range(stock)}${failedNote(stock)} | ${cpu(stock)} | ${stock.rssKb ? mb(stock.rssKb) : "?"} MB | ${stock.modules ?? "?"} |`);
    L.push(`| Stock / ours | | ${speedup.toFixed(1)}x | ${stock.cpuMs && synth.cpuMs ? `${(stock.cpuMs / synth.cpuMs).toFixed(1)}x` : "?"} | ${memRatio ? `${memRatio.toFixed(1)}x` : "?"} | |`);
  }
  L.push(`| \`npx cdktf synth\` end to end (CLI + incremental tsc build + app) | ${cli.runs} | ${sec(cli.wallMs)} s${range(cli)}${failedNote(cli)} | ${cpu(cli)} | ${cli.rssKb ? `${mb(cli.rssKb)} MB (largest process)` : "?"} | |`);
  L.push(`| of which \`npm run build\`, incremental, nothing changed | ${incremental.runs} | ${sec(incremental.wallMs)} s${range(incremental)} | ${cpu(incremental)} | ${incremental.rssKb ? `${mb(incremental.rssKb)} MB` : "?"} | |`);
  L.push(`| of which the CLI itself (synth - build - app synth) | | ${sec(Math.max(0, cli.wallMs - incremental.wallMs - synth.wallMs))} s | | | |`);
  L.push(`| Type-check, whole project (\`tsc -p . --noEmit\`, not incremental) | ${typecheck.runs} | ${sec(typecheck.wallMs)} s${range(typecheck)}${failedNote(typecheck)} | ${cpu(typecheck)} | ${typecheck.rssKb ? `${mb(typecheck.rssKb)} MB` : "?"} | |`);
  L.push(`| \`npm test\` (tsc + jest) | ${test ? 1 : 0} | ${test ? `${sec(test.wallMs)} s${test.failed ? " (tests failed)" : ""}` : "skipped (--skip-tests)"} | ${cpu(test)} | ${test && test.rssKb ? `${mb(test.rssKb)} MB (largest process)` : ""} | |`);
  L.push("");
  L.push("## Scaling");
  L.push("");
  L.push(`Copies of the platform stack per cloud in one App (\`node dist/bench/scale.js N\`, median of ${scale[0].runs}), alternating environments. In-process columns split the wall time: loading cdktf and the configuration, the first stack of each cloud (which loads that cloud's modules), the other copies, the policy check that buildApp runs on every stack, and writing everything (\`app.synth()\`).`);
  L.push("");
  L.push("| Per cloud | Stacks | Wall | CPU | Peak RSS | Setup | First stacks | Other copies | Policy check | Synth (write) |");
  L.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const s of scale) {
    L.push(`| ${s.copies} | ${s.stacks} | ${sec(s.wallMs)} s | ${cpu(s)} | ${s.rssKb ? mb(s.rssKb) : "?"} MB | ${s.setupMs} ms | ${s.firstStacksMs} ms | ${s.otherStacksMs} ms | ${s.policyMs} ms | ${s.synthMs} ms |`);
  }
  L.push("");
  const phaseSlope = (k) => slope(scale.map((s) => ({ x: s.stacks, y: s[k] })));
  L.push(`Per stack, by phase (slopes): construction ${phaseSlope("otherStacksMs").toFixed(1)} ms, policy check ${phaseSlope("policyMs").toFixed(1)} ms, \`app.synth()\` ${phaseSlope("synthMs").toFixed(1)} ms.`);
  L.push("");
  L.push(`Marginal cost per stack (least-squares slope of wall time over stacks): **${r.marginalMs.toFixed(1)} ms/stack**; in-process construct + policy + synth only: ${r.inProcessMarginalMs.toFixed(1)} ms/stack${r.cpuMarginalMs !== undefined ? `; CPU time: ${r.cpuMarginalMs.toFixed(1)} ms/stack` : ""}.`);
  L.push("");
  if (stock) {
    L.push("## Comparability of the baseline");
    L.push("");
    L.push("Resources and data sources per stack (first run of each):");
    L.push("");
    L.push("| Stack | Ours | Stock baseline |");
    L.push("| --- | --- | --- |");
    const names = [...new Set([...Object.keys(r.ourResources), ...Object.keys(r.stockResources)])].sort();
    for (const n of names) L.push(`| ${n} | ${r.ourResources[n] ?? "-"} | ${r.stockResources[n] ?? "-"} |`);
    L.push(`| total | ${sum(r.ourResources)} | ${sum(r.stockResources)} |`);
    L.push("");
  }
  L.push("## Method");
  L.push("");
  L.push(`- Peak RSS: ${fs.existsSync(TIME) ? "`/usr/bin/time -f %M` (for npm/npx commands: the largest single process of the tree)" : "`process.resourceUsage().maxRSS` of the node process (bench/probe.js), /usr/bin/time being absent"}. MB = 10^6 bytes. Modules loaded: \`require.cache\` size at exit (bench/probe.js).`);
  L.push("- App synth: `node dist/main.js` with `CDKTF_OUTDIR` set to a fresh temporary directory per run; the app's configuration decides the clouds and environments.");
  L.push("- Stock: bench/baseline/ builds comparable stacks (network, VM, bucket, PostgreSQL, budget) with `import * as aws from \"@cdktf/provider-aws\"` (same for google, azurerm), run as `node -r ts-node/register bench/baseline/main.ts` (type-checking, TypeScript 5.9 as `typescript5`, since ts-node cannot drive TypeScript 7), for the same clouds x environments. It loads only the benchmarked clouds' providers.");
  L.push("- `npx cdktf synth --output <temp dir>` runs cdktf.json's app command, `npm run --silent build && node dist/main.js`; the tsc build is incremental (warm), as for a developer re-running synth.");
  L.push("- `npm test` runs with CI=true, so jest writes no snapshot files.");
  L.push("- The machine may be shared: the load averages above show other work running at the time.");
  if (!r.buildOk) L.push("- **The build reported type errors**: the JavaScript that tsc emitted anyway was measured.");
  L.push("");
  return L.join("\n");
}

main();
