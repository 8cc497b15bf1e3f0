// Preloaded by bench/run.js (`node -r ./bench/probe.js ...`): when the process exits, writes its own peak
// RSS and CPU time to the file named by BENCH_PROBE_OUT, the fallback when /usr/bin/time is not installed.
// Plain CommonJS, no dependencies.
"use strict";
const fs = require("fs");

const out = process.env.BENCH_PROBE_OUT;
if (out) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    fs.writeFileSync(out, JSON.stringify({ maxRssKb: usage.maxRSS, cpuMs }));
  });
}
