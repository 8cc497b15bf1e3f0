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
 *
 * Installed first by the app's entry points (scripts/app.js, dist/main.js). Plain JavaScript.
 */
"use strict";
const Module = require("module");
const fs = require("fs");
const path = require("path");
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

/** Remembers what Node resolved, per requiring directory and request; written once at exit when it grew. */
function installResolveCache() {
  const key = cacheKey();
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
      const tmp = `${RESOLVE_CACHE}.${process.pid}`;
      fs.writeFileSync(tmp, JSON.stringify({ key, entries }));
      fs.renameSync(tmp, RESOLVE_CACHE);
    } catch {
      // A cache that cannot be written costs the next run its resolution time, nothing else.
    }
  });
}

function install() {
  if (Module[INSTALLED]) return;
  if (process.env.PLATFORM_RESOLVE_CACHE !== "0") installResolveCache();
  const original = Module._extensions[".js"];
  Module._extensions[".js"] = function leanJs(module, filename) {
    if (!SCOPES.some((s) => filename.includes(s))) return original(module, filename);
    module._compile(withoutInlineSourceMap(fs.readFileSync(filename)), filename);
  };
  Module[INSTALLED] = true;
}

install();
module.exports = { install, withoutInlineSourceMap, cacheKey, RESOLVE_CACHE };
