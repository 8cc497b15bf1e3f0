#!/usr/bin/env node
/**
 * `npm run bench`: the performance targets of this project, measured on the current machine, each as a
 * ratio to a reference measured in the same run, interleaved with it, so that machine noise cancels.
 *
 *   npm run bench                        every measurement, 5 runs each (about 5-7 minutes on 2 cores)
 *   npm run bench -- --runs 7            more runs (at least 5 for the medians the targets are judged on)
 *   npm run bench -- --skip-tests        without `npm test` (its target is then not judged)
 *   npm run bench -- --skip-stock        without the stock baseline (its target is then not judged)
 *   npm run bench -- --output FILE       where the report goes (default: bench/results/<UTC time>-<commit>.md,
 *                                        untracked; bench/results/latest.md is a copy of the last one)
 *   npm run bench -- --wait-idle 60      seconds to wait at most for other processes to leave the CPUs (0: don't)
 *
 * Prints the table, writes the report, and exits 1 when a target is missed (2 on a usage error), so a
 * regression is visible. The reference is `node -e 'require("cdktf")'`: what any cdktf app pays before it
 * does anything. Plain Node; it builds the project first (`node scripts/build.js`, then `tsc -p
 * tsconfig.json` for bench/scale.ts). Not part of `npm test`.
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
const REFERENCE = ["-e", 'require("cdktf")'];

/** Issue 14's targets. Ratios are to the reference run interleaved with each measurement. */
const TARGETS = {
  appRatio: 3,
  appRssMb: 150,
  synthRatio: 4,
  marginalMs: 15,
  testWallS: 30,
  stockSpeedup: 40,
};

function parseArgs(argv) {
  const opts = { runs: 5, waitIdle: 60, skipTests: false, skipStock: false, output: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === "--runs" || flag === "--wait-idle") {
      const n = Number(value());
      const min = flag === "--runs" ? 5 : 0;
      if (!Number.isInteger(n) || n < min) fail(`${flag}: '${n}' is not valid; accepted: an integer of at least ${min}`);
      opts[flag === "--runs" ? "runs" : "waitIdle"] = n;
    } else if (flag === "--skip-tests") opts.skipTests = true;
    else if (flag === "--skip-stock") opts.skipStock = true;
    else if (flag === "--output") opts.output = value();
    else if (flag === "--help" || flag === "-h") {
      process.stdout.write(fs.readFileSync(__filename, "utf8").split("*/")[0].replace(/^#!.*\n\/\*\*\n/, "").replace(/^ \* ?/gm, "") + "\n");
      process.exit(0);
    } else fail(`unknown option '${argv[i]}'; accepted: --runs N, --skip-tests, --skip-stock, --output FILE, --wait-idle SECONDS`);
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

/** Waits (at most `maxS` seconds) for two almost idle seconds in a row; returns the last busy share. */
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
 * Runs `cmd args` once from the project root: wall ms, CPU ms, peak RSS in KiB (/usr/bin/time: for a
 * tree of processes, the largest single one; else the probe, node commands only), exit status.
 */
function measure(cmd, args, { env = {}, probe = false } = {}) {
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
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  let rssKb;
  let cpuMs;
  if (hasTime && fs.existsSync(timeOut)) {
    const [rss, user, system] = fs.readFileSync(timeOut, "utf8").trim().split("\n").pop().split(" ").map(Number);
    rssKb = rss || undefined;
    cpuMs = Number.isFinite(user + system) ? (user + system) * 1000 : undefined;
  }
  if (fs.existsSync(probeOut)) {
    const p = JSON.parse(fs.readFileSync(probeOut, "utf8"));
    if (rssKb === undefined) rssKb = p.maxRssKb;
    if (cpuMs === undefined) cpuMs = p.cpuMs;
  }
  fs.rmSync(work, { recursive: true, force: true });
  const status = r.status ?? 1;
  if (status !== 0) {
    const lines = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n");
    const failures = lines.filter((l) => /^\s*(FAIL|●)/.test(l)).slice(0, 20);
    log(`'${cmd} ${args.join(" ")}' exited with ${status}:\n${[...failures, "...", ...lines.slice(-15)].join("\n")}`);
  }
  return { wallMs, cpuMs, rssKb, status, stdout: r.stdout ? r.stdout.toString() : "" };
}

const reference = () => measure(process.execPath, REFERENCE);

/**
 * `runs` times: the reference, then `fn()`. Returns the medians of both walls, the median of the
 * per-pair ratios (each measurement over the reference run just before it), RSS and CPU medians.
 */
function interleaved(label, runs, fn) {
  const pairs = [];
  for (let i = 0; i < runs; i++) {
    const ref = reference();
    const x = fn(i);
    pairs.push({ ref, x });
    log(`${label} ${i + 1}/${runs}: ${sec(x.wallMs)} s (reference ${sec(ref.wallMs)} s, ${(x.wallMs / ref.wallMs).toFixed(2)}x)${x.rssKb ? `, ${mb(x.rssKb)} MB` : ""}${x.status ? ` (exit ${x.status})` : ""}`);
  }
  const xs = pairs.map((p) => p.x);
  const defined = (k) => xs.map((x) => x[k]).filter((v) => v !== undefined);
  return {
    runs,
    wallMs: median(xs.map((x) => x.wallMs)),
    minWallMs: Math.min(...xs.map((x) => x.wallMs)),
    maxWallMs: Math.max(...xs.map((x) => x.wallMs)),
    refWallMs: median(pairs.map((p) => p.ref.wallMs)),
    ratio: median(pairs.map((p) => p.x.wallMs / p.ref.wallMs)),
    cpuMs: defined("cpuMs").length ? median(defined("cpuMs")) : undefined,
    rssKb: defined("rssKb").length ? median(defined("rssKb")) : undefined,
    maxRssKb: defined("rssKb").length ? Math.max(...defined("rssKb")) : undefined,
    failed: xs.filter((x) => x.status !== 0).length,
    results: xs,
  };
}

const mb = (kib) => Math.round((kib * 1024) / 1e6);
const sec = (ms) => (ms / 1000).toFixed(2);

function countResources(outdir) {
  const stacksDir = path.join(outdir, "stacks");
  const counts = {};
  if (!fs.existsSync(stacksDir)) return counts;
  for (const stack of fs.readdirSync(stacksDir)) {
    const file = path.join(stacksDir, stack, "cdk.tf.json");
    if (!fs.existsSync(file)) continue;
    const tf = JSON.parse(fs.readFileSync(file, "utf8"));
    let n = 0;
    for (const block of ["resource", "data"]) for (const type of Object.values(tf[block] ?? {})) n += Object.keys(type).length;
    counts[stack] = n;
  }
  return counts;
}

function gitDescribe() {
  const git = (...args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.status !== 0) return { commit: "unknown", dirty: false };
  return { commit: head.stdout.trim(), dirty: git("status", "--porcelain", "--untracked-files=no").stdout.trim() !== "" };
}

function machine() {
  const cpus = os.cpus();
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
    typescript: pkg("typescript"),
    cdktf: pkg("cdktf"),
    loadAverage: os.loadavg()[0].toFixed(2),
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    ...gitDescribe(),
  };
}

function build() {
  log("building (node scripts/build.js; tsc -p tsconfig.json for bench/scale.ts)...");
  const app = spawnSync(process.execPath, ["scripts/build.js"], { cwd: ROOT, stdio: "inherit" });
  if (app.status !== 0) fail("the app does not build: fix the errors above");
  const all = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { cwd: ROOT, stdio: "inherit" });
  if (all.status !== 0 || !fs.existsSync(path.join(ROOT, "dist/bench/scale.js"))) fail("tsc -p tsconfig.json failed: fix the errors above");
}

function appConfig() {
  const { loadConfig } = require(path.join(ROOT, "dist/constructs/config.js"));
  const c = loadConfig({ ...process.env, PLATFORM_CONFIG: process.env.PLATFORM_CONFIG || path.join(ROOT, "platform.config.json") });
  return { clouds: [...c.clouds], environments: Object.keys(c.environments) };
}

/** The cdktf.json app command, as cdktf runs it. */
function appCommand() {
  const app = JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")).app;
  const [cmd, ...args] = app.split(/\s+/);
  return { cmd: cmd === "node" ? process.execPath : cmd, args, text: app };
}

function main() {
  if (process.env.BENCH_RUNNING) fail("already running inside a benchmark; not recursing");
  const opts = parseArgs(process.argv.slice(2));
  build();
  const busyAtStart = opts.waitIdle > 0 ? waitForIdle(opts.waitIdle) : undefined;
  const m = machine();
  const { clouds, environments } = appConfig();
  const app = appCommand();

  // Warm the file cache (and the build stamp) once, unmeasured.
  const warm = tempDir("warm");
  measure(app.cmd, app.args, { env: { CDKTF_OUTDIR: warm } });
  const ourResources = countResources(warm);
  fs.rmSync(warm, { recursive: true, force: true });
  const stackCount = Object.keys(ourResources).length;
  log(`clouds: ${clouds.join(", ")}; environments: ${environments.join(", ")}; ${stackCount} stacks`);

  // 1. The app command of cdktf.json (build check included), every stack, to a fresh directory each run.
  const appRun = interleaved(`app command (${app.text})`, opts.runs, () => {
    const out = tempDir("app");
    const r = measure(app.cmd, app.args, { env: { CDKTF_OUTDIR: out }, probe: app.cmd === process.execPath });
    fs.rmSync(out, { recursive: true, force: true });
    return r;
  });

  // 2. `npm run synth` end to end (npm, the wrapper, the app), every stack.
  const synthRun = interleaved("npm run synth", opts.runs, () => {
    const out = tempDir("synth");
    const r = measure("npm", ["run", "--silent", "synth"], { env: { CDKTF_OUTDIR: out } });
    fs.rmSync(out, { recursive: true, force: true });
    return r;
  });

  // 3. Marginal cost of a stack: N copies of the platform stack per cloud in one App.
  const scale = SCALE_COPIES.map((copies) => {
    const inProcess = [];
    const rep = interleaved(`scale ${copies}/cloud`, opts.runs, () => {
      const out = tempDir("scale");
      const r = measure(process.execPath, ["-r", "./scripts/lean-require.js", "dist/bench/scale.js", String(copies), out], { probe: true });
      fs.rmSync(out, { recursive: true, force: true });
      if (r.status === 0) inProcess.push(JSON.parse(r.stdout.trim().split("\n").pop()));
      return r;
    });
    const phase = (k) => median(inProcess.map((p) => p[k]));
    return { copies, stacks: copies * clouds.length, ...rep, setupMs: phase("setupMs"), firstStacksMs: phase("firstStacksMs"), otherStacksMs: phase("otherStacksMs"), policyMs: phase("policyMs"), synthMs: phase("synthMs") };
  });
  const marginalMs = slope(scale.map((s) => ({ x: s.stacks, y: s.wallMs })));

  // 4. The stock way: root-namespace provider imports through ts-node, same clouds x environments.
  let stock;
  let stockResources = {};
  if (!opts.skipStock) {
    stock = interleaved("stock (ts-node, root namespaces)", opts.runs, (i) => {
      const out = tempDir("stock");
      const r = measure(process.execPath, ["-r", "ts-node/register", "bench/baseline/main.ts"], {
        env: { CDKTF_OUTDIR: out, BENCH_CLOUDS: clouds.join(","), BENCH_ENVIRONMENTS: environments.join(","), TS_NODE_COMPILER: "typescript5", TS_NODE_PROJECT: "bench/baseline/tsconfig.json" },
        probe: true,
      });
      if (i === 0) stockResources = countResources(out);
      fs.rmSync(out, { recursive: true, force: true });
      return r;
    });
  }

  // 5. npm test, end to end, real-Terraform suites included (CI=true: jest writes no snapshot files).
  const test = opts.skipTests ? undefined : interleaved("npm test", opts.runs, () => measure("npm", ["test", "--silent"], { env: { CI: "true", REQUIRE_TERRAFORM: "1", AWS_EC2_METADATA_DISABLED: "true" } }));

  const results = { m, busyAtStart, loadAfter: os.loadavg()[0].toFixed(2), clouds, environments, stackCount, app, appRun, synthRun, scale, marginalMs, stock, test, ourResources, stockResources, opts };
  const { markdown, missed } = report(results);
  process.stdout.write(markdown);
  const dir = path.join(ROOT, "bench", "results");
  const file = opts.output ? path.resolve(opts.output) : path.join(dir, `${m.date.replace(/[:]/g, "")}-${m.commit}${m.dirty ? "-dirty" : ""}.md`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, markdown);
  if (!opts.output) fs.writeFileSync(path.join(dir, "latest.md"), markdown);
  log(`written to ${path.relative(ROOT, file)}`);
  if (missed.length > 0) {
    log(`missed: ${missed.join("; ")}`);
    process.exit(1);
  }
}

function report(r) {
  const { m, appRun, synthRun, scale, stock, test } = r;
  const missed = [];
  const judge = (name, ok) => {
    if (ok === undefined) return "not measured";
    if (!ok) missed.push(name);
    return ok ? "PASS" : "MISS";
  };
  const anyFailed = (x) => x && x.failed > 0;
  const failedNote = (x) => (anyFailed(x) ? ` (${x.failed} of ${x.runs} runs failed)` : "");
  const appRssMb = appRun.maxRssKb !== undefined ? mb(appRun.maxRssKb) : undefined;
  const speedup = stock ? stock.wallMs / appRun.wallMs : undefined;
  const L = [];
  L.push("# Benchmark");
  L.push("");
  L.push(`Run **${m.date}**, commit \`${m.commit}\`${m.dirty ? " (with uncommitted changes)" : ""}, by \`npm run bench\` (bench/run.js), ${r.opts.runs} runs of each measurement.`);
  L.push("");
  L.push(`Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GiB, ${m.platform}, Node ${m.node}, TypeScript ${m.typescript}, cdktf ${m.cdktf}; load average ${m.loadAverage} at start, ${r.loadAfter} at the end${r.busyAtStart !== undefined && r.busyAtStart >= 0.15 ? ` (not idle at start: ${Math.round(r.busyAtStart * 100)}% busy)` : ""}.`);
  L.push(`Stacks: ${r.stackCount} (${r.clouds.join(", ")} x ${r.environments.join(", ")}, platform and worker, plus state-bootstrap).`);
  L.push("");
  L.push(`Reference: \`node -e 'require("cdktf")'\`, measured right before each measurement; a ratio is the median of the per-pair ratios.`);
  L.push("");
  L.push("| Target | Goal | Measured (median) | Result |");
  L.push("| --- | --- | --- | --- |");
  L.push(`| App command (\`${r.app.text}\`, build check included), every stack | ≤ ${TARGETS.appRatio}x reference | ${appRun.ratio.toFixed(2)}x (${sec(appRun.wallMs)} s vs ${sec(appRun.refWallMs)} s)${failedNote(appRun)} | ${judge("app command ratio", !anyFailed(appRun) && appRun.ratio <= TARGETS.appRatio)} |`);
  L.push(`| Its peak RSS (largest of the runs) | ≤ ${TARGETS.appRssMb} MB | ${appRssMb ?? "?"} MB | ${judge("app command RSS", appRssMb === undefined ? undefined : appRssMb <= TARGETS.appRssMb)} |`);
  L.push(`| \`npm run synth\` end to end, every stack | ≤ ${TARGETS.synthRatio}x reference | ${synthRun.ratio.toFixed(2)}x (${sec(synthRun.wallMs)} s)${failedNote(synthRun)} | ${judge("npm run synth ratio", !anyFailed(synthRun) && synthRun.ratio <= TARGETS.synthRatio)} |`);
  L.push(`| Marginal cost per extra stack (slope over ${SCALE_COPIES.join("/")} copies per cloud) | ≤ ${TARGETS.marginalMs} ms | ${r.marginalMs.toFixed(1)} ms | ${judge("marginal cost per stack", r.marginalMs <= TARGETS.marginalMs)} |`);
  L.push(`| \`npm test\` wall, real-Terraform suites included | ≤ ${TARGETS.testWallS} s | ${test ? `${sec(test.wallMs)} s${failedNote(test)}` : "skipped (--skip-tests)"} | ${judge("npm test wall", test ? !anyFailed(test) && test.wallMs / 1000 <= TARGETS.testWallS : undefined)} |`);
  L.push(`| Faster than the stock setup (wall, same clouds and environments) | ≥ ${TARGETS.stockSpeedup}x | ${speedup ? `${speedup.toFixed(1)}x (${sec(stock.wallMs)} s)${failedNote(stock)}` : "skipped (--skip-stock)"} | ${judge("stock speed-up", speedup === undefined ? undefined : !anyFailed(stock) && speedup >= TARGETS.stockSpeedup)} |`);
  L.push("");
  L.push("## Measurements");
  L.push("");
  const cpu = (x) => (x && x.cpuMs !== undefined ? `${sec(x.cpuMs)} s` : "?");
  const row = (what, x) => `| ${what} | ${x.runs} | ${sec(x.wallMs)} s (${sec(x.minWallMs)}-${sec(x.maxWallMs)}) | ${x.ratio.toFixed(2)}x | ${cpu(x)} | ${x.rssKb ? `${mb(x.rssKb)} MB` : "?"} |`;
  L.push("| What | Runs | Wall, median (min-max) | Ratio to reference | CPU, median | Peak RSS, median |");
  L.push("| --- | --- | --- | --- | --- | --- |");
  L.push(`| Reference \`node -e 'require(\"cdktf\")'\` | ${appRun.runs} | ${sec(appRun.refWallMs)} s | 1x | | |`);
  L.push(row(`App command \`${r.app.text}\``, appRun));
  L.push(row("`npm run synth` (npm + scripts/cdktf.js + the app; peak RSS of the largest process)", synthRun));
  if (stock) L.push(row("Stock: root-namespace imports through ts-node (bench/baseline/)", stock));
  if (test) L.push(row("`npm test` (build, tsc, jest; peak RSS of the largest process)", test));
  L.push("");
  L.push("## Scaling");
  L.push("");
  L.push(`Copies of the platform stack per cloud in one App (\`node dist/bench/scale.js N\`); in-process phases in ms (medians).`);
  L.push("");
  L.push("| Per cloud | Stacks | Wall | Peak RSS | Setup | First stack per cloud | Other copies | Policy check | Synth (write) |");
  L.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const s of scale) L.push(`| ${s.copies} | ${s.stacks} | ${sec(s.wallMs)} s | ${s.rssKb ? mb(s.rssKb) : "?"} MB | ${s.setupMs} | ${s.firstStacksMs} | ${s.otherStacksMs} | ${s.policyMs} | ${s.synthMs} |`);
  L.push("");
  L.push(`Marginal cost per stack (least-squares slope of wall time over stacks): **${r.marginalMs.toFixed(1)} ms**.`);
  L.push("");
  if (stock) {
    const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
    L.push(`Comparability: the stock baseline builds ${Object.keys(r.stockResources).length} stacks with ${sum(r.stockResources)} resources and data sources; the app builds ${r.stackCount} stacks with ${sum(r.ourResources)}.`);
    L.push("");
  }
  L.push("## Method");
  L.push("");
  L.push(`- Each measurement runs right after a reference run; ratios are per pair, then the median is taken, so a busy moment affects both sides of a pair. Walls are medians of ${r.opts.runs} runs.`);
  L.push(`- Peak RSS: ${fs.existsSync(TIME) ? "`/usr/bin/time -f %M` (for npm commands: the largest single process of the tree)" : "`process.resourceUsage().maxRSS` of the node process (bench/probe.js)"}; MB = 10^6 bytes.`);
  L.push("- App command: cdktf.json's `app`, as the cdktf CLI runs it, with `CDKTF_OUTDIR` set to a fresh temporary directory per run (the build check finds nothing to rebuild, as on any re-run).");
  L.push("- Stock: bench/baseline/ builds comparable stacks with `import * as aws from \"@cdktf/provider-aws\"` (same for google, azurerm) through `node -r ts-node/register` with TypeScript 5.9 (ts-node cannot drive TypeScript 7).");
  L.push("- `npm test` with `CI=true REQUIRE_TERRAFORM=1`: every suite runs, the real-Terraform ones included, and no snapshot is written.");
  L.push("");
  return { markdown: L.join("\n"), missed };
}

main();
