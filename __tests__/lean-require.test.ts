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
  codeCacheDir(): string;
  DEFERRED: Array<{ parent: string; request: string }>;
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

  test("the code cache: the same files with and without it, and data V8 refuses (here: garbage) is compiled again", () => {
    const plain = synth({ PLATFORM_CODE_CACHE: "0", PLATFORM_RESOLVE_CACHE: "0" });
    expect(plain.status).toBe(0);
    // A cache of this test's own (other tests run the app at the same time).
    const root = tempDir("lean-code-cache");
    const withCache = { PLATFORM_CODE_CACHE: root };
    fs.mkdirSync(path.join(root, "0000-an-older-generation"));
    expect(synth(withCache).status).toBe(0);
    // One generation (this build, this install, this Node); the older one is gone.
    const generation = path.basename(lean.codeCacheDir());
    expect(fs.readdirSync(root)).toEqual([generation]);
    const dir = path.join(root, generation);
    const entries = fs.readdirSync(dir);
    // dist/ and node_modules/: the app's modules, cdktf and the bindings.
    expect(entries.length).toBeGreaterThan(100);
    const cached = synth(withCache);
    expect(cached.status).toBe(0);
    expect(files(cached.out)).toEqual(files(plain.out));
    // An entry whose stamp matches but whose data V8 refuses, and entries whose files changed since (another stamp).
    const stampOf = (e: string) => fs.readFileSync(path.join(dir, e)).toString("latin1").split("\n")[0];
    fs.writeFileSync(path.join(dir, entries[0]), `${stampOf(entries[0])}\nnot V8 cached data`);
    for (const e of entries.slice(1)) fs.writeFileSync(path.join(dir, e), "1:1\nnot V8 cached data");
    const refused = synth(withCache);
    expect(refused.status).toBe(0);
    expect(files(refused.out)).toEqual(files(plain.out));
    // Rewritten with real data at exit, one entry per file still.
    for (const e of entries) expect(fs.readFileSync(path.join(dir, e)).toString("latin1")).not.toContain("not V8 cached data");
    expect(fs.readdirSync(dir).sort()).toEqual([...entries].sort());
    for (const r of [plain, cached, refused]) fs.rmSync(r.out, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  test("modules cdktf uses only for assets and binary versions load on first use, and work then", () => {
    expect(lean.DEFERRED.map((d) => d.request).sort()).toEqual(["archiver", "semver"]);
    const src = tempDir("lean-asset-src");
    fs.writeFileSync(path.join(src, "hello.txt"), "hello");
    const out = tempDir("lean-asset-out");
    const script = `
      require(${JSON.stringify(path.join(PROJECT_ROOT, "scripts", "lean-require.js"))});
      const loaded = () => Object.keys(require.cache).filter((f) => /node_modules[\\/\\\\](archiver|semver)[\\/\\\\]/.test(f)).length;
      const cdktf = require("cdktf");
      const before = loaded();
      const app = new cdktf.App({ outdir: ${JSON.stringify(out)} });
      const stack = new cdktf.TerraformStack(app, "s");
      const asset = new cdktf.TerraformAsset(stack, "a", { path: ${JSON.stringify(src)}, type: cdktf.AssetType.ARCHIVE });
      new cdktf.TerraformOutput(stack, "p", { value: asset.path });
      const node = JSON.stringify(process.execPath) + " --version";
      const { ValidateBinaryVersion } = require("cdktf/lib/validations/validate-binary-version");
      const ok = new ValidateBinaryVersion("node", ">=20", node).validate();
      const refused = new ValidateBinaryVersion("node", "<1", node).validate();
      app.synth();
      console.log(JSON.stringify({ before, after: loaded(), ok, refused }));
    `;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    const result = JSON.parse(r.stdout.trim().split("\n").pop()!);
    // Not loaded with cdktf; loaded (and used) by the asset and the version check.
    expect(result.before).toBe(0);
    expect(result.after).toBeGreaterThan(0);
    expect(result.ok).toEqual([]);
    expect(result.refused.join("\n")).toMatch(/node.*<1/s);
    const zips: string[] = [];
    const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".zip") && zips.push(path.join(d, e.name))));
    walk(out);
    expect(zips).toHaveLength(1);
    // A zip file (local file header) holding the source file.
    const zip = fs.readFileSync(zips[0]);
    expect(zip.subarray(0, 4).toString("latin1")).toBe("PK\u0003\u0004");
    expect(zip.toString("latin1")).toContain("hello.txt");
  });

  test("a file that is not CommonJS loads or fails as with Node's own loader (an ES module, a syntax error)", () => {
    // Under dist/, where the code cache applies.
    const dir = fs.mkdtempSync(path.join(PROJECT_ROOT, "dist", ".lean-test-"));
    try {
      fs.mkdirSync(path.join(dir, "esm"));
      fs.writeFileSync(path.join(dir, "esm", "package.json"), JSON.stringify({ type: "module" }));
      fs.writeFileSync(path.join(dir, "esm", "x.js"), "export const x = 1;\n");
      fs.writeFileSync(path.join(dir, "broken.js"), "module.exports = {;\n");
      const outcome = (withLoader: boolean, file: string) => {
        const script = `${withLoader ? `require(${JSON.stringify(path.join(PROJECT_ROOT, "scripts", "lean-require.js"))});` : ""}
          try { require(${JSON.stringify(file)}); console.log("loaded"); } catch (e) { console.log(e.code ?? e.name); }`;
        return spawnSync(process.execPath, ["-e", script], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 30_000 }).stdout.trim();
      };
      // Node 20.19 and later load an ES module with require; older ones refuse it (ERR_REQUIRE_ESM).
      const esm = path.join(dir, "esm", "x.js");
      expect(outcome(true, esm)).toBe(outcome(false, esm));
      const broken = path.join(dir, "broken.js");
      expect(outcome(false, broken)).toBe("SyntaxError");
      expect(outcome(true, broken)).toBe("SyntaxError");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
