/**
 * Loads the app's modules with less work than Node's default loader does, with the same result:
 *
 * - cdktf and the provider bindings without their inline source maps. Every compiled file of
 *   `cdktf/lib` and `@cdktf/provider-*` ends with a base64 source map comment that is most of the file
 *   (1.6 of the 2.3 MB of google's compute-url-map): Node would read, scan and keep it in memory with
 *   the code, for nothing (Node applies source maps only with --enable-source-maps). The code itself is
 *   compiled exactly as Node would; only the trailing comment is dropped. Other files load unchanged.
 * - Module resolution remembered across runs: the app resolves about 1,300 `require` calls (a stat per
 *   candidate file, package.json reads), the same ones every run. What Node resolved is kept in
 *   dist/.resolve-cache.json, valid for one build of the app and one install of node_modules (its key
 *   is the build stamp's and package-lock.json's size and time); a path that no longer exists is
 *   resolved again by Node. `PLATFORM_RESOLVE_CACHE=0` turns it off.
 * - Compiled code remembered across runs (a V8 code cache, what Node 22's `module.enableCompileCache()` does,
 *   used instead where Node has it): the modules of dist/ and node_modules/ are compiled with the cached data
 *   of the previous run, kept in dist/.code-cache/<generation>/, one entry per file stamped with the size and
 *   modification time it was made from; the generation is the resolve cache's key plus the Node version (a
 *   new build or install starts a new one and the old one is removed). V8 also checks the data against the
 *   source and its flags and compiles normally when it does not match. Not used under a debugger. `PLATFORM_CODE_CACHE=0` turns it off; an absolute path there moves it.
 *
 * Installed by the app's entry points after the build (scripts/app.js, scripts/cdktf.js) and first by dist/main.js.
 * Plain JavaScript.
 */
"use strict";
const Module = require("module");
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const crypto = require("crypto");
const { withoutInlineSourceMap } = require("./inline-source-map");

const SCOPES = [`${path.sep}node_modules${path.sep}@cdktf${path.sep}provider-`, `${path.sep}node_modules${path.sep}cdktf${path.sep}lib${path.sep}`];
const INSTALLED = Symbol.for("platform.leanRequire");


const ROOT = path.resolve(__dirname, "..");
const RESOLVE_CACHE = path.join(ROOT, "dist", ".resolve-cache.json");
const KEY_FILES = [path.join(ROOT, "dist", ".app-build-stamp.json"), path.join(ROOT, "package-lock.json")];

function cacheKey() {
  return KEY_FILES.map((f) => {
    const st = fs.statSync(f, { throwIfNoEntry: false });
    return st ? `${st.size}:${st.mtimeMs}` : "-";
  }).join("|");
}

/** Writes `data` to `file` through a temporary file of this process, so a reader never sees half of it. */
function writeReplacing(file, data) {
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Remembers what Node resolved, per requiring directory and request; written once at exit when it grew. */
function installResolveCache(key) {
  let entries = {};
  try {
    const saved = JSON.parse(fs.readFileSync(RESOLVE_CACHE, "utf8"));
    if (saved.key === key) entries = saved.entries;
  } catch {
    // No cache yet, or unreadable: start empty.
  }
  let added = 0;
  const original = Module._resolveFilename;
  Module._resolveFilename = function cachedResolve(request, parent, isMain, options) {
    if (isMain || options !== undefined || !parent || !parent.path || Module.isBuiltin(request)) return original.apply(this, arguments);
    const k = `${parent.path}\0${request}`;
    const hit = entries[k];
    if (hit !== undefined && fs.existsSync(hit)) return hit;
    const resolved = original.apply(this, arguments);
    entries[k] = resolved;
    added++;
    return resolved;
  };
  process.once("exit", () => {
    if (added === 0 || key.startsWith("-")) return;
    try {
      writeReplacing(RESOLVE_CACHE, JSON.stringify({ key, entries }));
    } catch {
      // A cache that cannot be written costs the next run its resolution time, nothing else.
    }
  });
}

const CODE_CACHE = path.join(ROOT, "dist", ".code-cache");
/** The code cache's root: PLATFORM_CODE_CACHE when it is an absolute path, else dist/.code-cache. */
function codeCacheRoot() {
  const configured = process.env.PLATFORM_CODE_CACHE;
  return configured && path.isAbsolute(configured) ? configured : CODE_CACHE;
}
/** This build's and this install's generation of the code cache (one directory; older ones are removed when it is written). */
function codeCacheDir(key = cacheKey()) {
  const generation = crypto.createHash("sha1").update(`${key}\0${process.version}\0${process.arch}`).digest("hex").slice(0, 16);
  return path.join(codeCacheRoot(), generation);
}
const CACHED_DIRS = [path.join(ROOT, "dist") + path.sep, path.join(ROOT, "node_modules") + path.sep];

/** `require` for a module compiled here, as Node's loader gives it (lib/internal/modules/helpers makeRequireFunction). */
function makeRequire(module) {
  const require = (id) => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/**
 * Compiles and runs `content` as `module` with V8's cached data from the previous run; records new data for the
 * exit. One entry per file (its name's hash), headed by the size and modification time it was made from.
 * False when the file does not compile as CommonJS: the caller hands it to Node's loader for Node's error.
 */
function compileCached(module, filename, content, dir, pending) {
  const st = fs.statSync(filename);
  const stamp = Buffer.from(`${st.size}:${st.mtimeMs}\n`);
  const file = path.join(dir, crypto.createHash("sha1").update(filename).digest("hex"));
  let cachedData;
  try {
    const saved = fs.readFileSync(file);
    if (saved.subarray(0, stamp.length).equals(stamp)) cachedData = saved.subarray(stamp.length);
  } catch {
    // First run with this file: compiled normally, cached at exit.
  }
  const source = content.startsWith("#!") ? `//${content}` : content;
  const options = { filename, cachedData };
  if (vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER) options.importModuleDynamically = vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  let script;
  try {
    script = new vm.Script(Module.wrap(source), options);
  } catch {
    // Not CommonJS that compiles (an ES module, a syntax error): Node's own loader says what is wrong.
    return false;
  }
  if (cachedData === undefined || script.cachedDataRejected) pending.push({ script, file, stamp });
  const fn = script.runInThisContext({ displayErrors: true });
  fn.call(module.exports, module.exports, makeRequire(module), module, filename, path.dirname(filename));
  return true;
}

/** A compile function with the code cache, or undefined when it does not apply (turned off, debugger, Node's own). */
function codeCache(key) {
  if (process.env.PLATFORM_CODE_CACHE === "0") return undefined;
  if (process.execArgv.some((a) => a.startsWith("--inspect")) || process.env.NODE_OPTIONS?.includes("--inspect")) return undefined;
  if (typeof Module.enableCompileCache === "function") {
    Module.enableCompileCache(codeCacheRoot());
    return undefined;
  }
  const dir = codeCacheDir(key);
  const pending = [];
  process.once("exit", () => {
    if (pending.length === 0) return;
    try {
      const root = path.dirname(dir);
      for (const old of fs.existsSync(root) ? fs.readdirSync(root) : []) {
        if (old !== path.basename(dir)) fs.rmSync(path.join(root, old), { recursive: true, force: true });
      }
      fs.mkdirSync(dir, { recursive: true });
      for (const { script, file, stamp } of pending) writeReplacing(file, Buffer.concat([stamp, script.createCachedData()]));
    } catch {
      // A cache that cannot be written costs the next run its compile time, nothing else.
    }
  });
  return (module, filename, content) => compileCached(module, filename, content, dir, pending);
}

/**
 * Modules cdktf requires when it loads but uses only on paths the app never takes: `archiver` (and its
 * dependency tree: streams, lodash, glob, zip) builds the zip of a TerraformAsset, `semver` checks a binary's
 * version for ValidateBinaryVersion. Each is loaded on first use instead.
 */
const DEFERRED = [
  { parent: path.join("node_modules", "cdktf", "lib", "private", "fs.js"), request: "archiver" },
  { parent: path.join("node_modules", "cdktf", "lib", "validations", "validate-binary-version.js"), request: "semver" },
];

/** A stand-in for a module that loads it when it is first called, constructed or read. */
function deferredModule(load) {
  let real;
  const get = () => (real ??= load());
  return new Proxy(function deferred() {}, {
    apply: (_target, self, args) => Reflect.apply(get(), self, args),
    construct: (_target, args) => Reflect.construct(get(), args),
    get: (_target, key) => get()[key],
    has: (_target, key) => key in get(),
  });
}

function installDeferred() {
  const original = Module._load;
  Module._load = function deferringLoad(request, parent, isMain) {
    if (parent && parent.filename && DEFERRED.some((d) => d.request === request && parent.filename.endsWith(d.parent))) {
      return deferredModule(() => original.call(Module, request, parent, isMain));
    }
    return original.apply(this, arguments);
  };
}

function install() {
  if (Module[INSTALLED]) return;
  // One key for both caches: this build of the app and this install of node_modules.
  const key = cacheKey();
  if (process.env.PLATFORM_RESOLVE_CACHE !== "0") installResolveCache(key);
  if (process.env.PLATFORM_DEFER_MODULES !== "0") installDeferred();
  const compile = codeCache(key);
  const original = Module._extensions[".js"];
  Module._extensions[".js"] = function leanJs(module, filename) {
    const lean = SCOPES.some((s) => filename.includes(s));
    const cached = compile !== undefined && CACHED_DIRS.some((d) => filename.startsWith(d));
    if (!lean && !cached) return original(module, filename);
    const buffer = fs.readFileSync(filename);
    const content = lean ? withoutInlineSourceMap(buffer) : buffer.toString("utf8");
    if (cached && compile(module, filename, content)) return;
    if (cached && !lean) return original(module, filename);
    module._compile(content, filename);
  };
  Module[INSTALLED] = true;
}

install();
module.exports = { withoutInlineSourceMap, cacheKey, codeCacheDir, RESOLVE_CACHE, DEFERRED };
