/**
 * scripts/lean-require.js: the app's loader shortcuts change nothing the app writes. Inline source maps
 * are dropped from cdktf and the provider bindings only; remembered resolutions survive a stale entry;
 * with and without the cache, the synthesized output is the same.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, tempDir } from "./workflow-helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lean = require(path.join(PROJECT_ROOT, "scripts", "lean-require.js")) as {
  withoutInlineSourceMap(b: Buffer): string;
  cacheKey(): string;
  RESOLVE_CACHE: string;
};

function synth(env: NodeJS.ProcessEnv): { status: number | null; out: string; stderr: string } {
  const out = tempDir("lean-synth");
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "dist", "main.js")], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CDKTF_OUTDIR: out, PLATFORM_CONFIG: path.join(PROJECT_ROOT, "platform.config.json"), ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, out, stderr: r.stderr };
}

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("lean loading", () => {
  test("drops only a trailing inline source map; a file without one is unchanged", () => {
    const code = '"use strict";\nexports.x = 1;';
    expect(lean.withoutInlineSourceMap(Buffer.from(`${code}\n//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozfQ==`))).toBe(code);
    expect(lean.withoutInlineSourceMap(Buffer.from(`${code}\n//# sourceMappingURL=main.js.map`))).toBe(`${code}\n//# sourceMappingURL=main.js.map`);
    expect(lean.withoutInlineSourceMap(Buffer.from(code))).toBe(code);
  });

  test("a provider binding's file is most source map: what the loader no longer reads into memory", () => {
    const file = require.resolve("@cdktf/provider-google/lib/compute-url-map");
    const raw = fs.readFileSync(file);
    const lean_ = lean.withoutInlineSourceMap(raw);
    expect(lean_.length).toBeLessThan(raw.length / 2);
    expect(lean_).toContain("class ComputeUrlMap extends cdktf.TerraformResource");
  });

  test("the app writes the same files with and without remembered resolutions, and a stale entry is resolved again", () => {
    const plain = synth({ PLATFORM_RESOLVE_CACHE: "0" });
    expect(plain.status).toBe(0);
    const warm = synth({});
    expect(warm.status).toBe(0);
    const cached = synth({});
    expect(cached.status).toBe(0);
    expect(files(cached.out)).toEqual(files(plain.out));

    // An entry whose file is gone (a reinstall moved it) falls back to Node's resolution.
    const saved = JSON.parse(fs.readFileSync(lean.RESOLVE_CACHE, "utf8")) as { key: string; entries: Record<string, string> };
    expect(saved.key).toBe(lean.cacheKey());
    const [k] = Object.entries(saved.entries).find(([, v]) => v.endsWith(path.join("constructs", "config.js")))!;
    fs.writeFileSync(lean.RESOLVE_CACHE, JSON.stringify({ key: saved.key, entries: { ...saved.entries, [k]: path.join(PROJECT_ROOT, "gone", "config.js") } }));
    const stale = synth({});
    expect(stale.stderr).toBe(stale.stderr.replace(/Error/g, ""));
    expect(stale.status).toBe(0);
    expect(files(stale.out)).toEqual(files(plain.out));
    for (const r of [plain, warm, cached, stale]) fs.rmSync(r.out, { recursive: true, force: true });
  });
});
