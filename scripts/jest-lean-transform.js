/**
 * Jest transformer for cdktf and the provider bindings only: the same code without its trailing inline
 * source map (scripts/lean-require.js explains why), so that each test file's module registry does not
 * read, scan and hold megabytes of base64 per binding. Jest caches the result on disk. Nothing else is
 * transformed: the tests run compiled JavaScript (jest.config.js).
 */
"use strict";
const crypto = require("crypto");
const { withoutInlineSourceMap } = require("./inline-source-map");

const VERSION = "1";

module.exports = {
  process(sourceText) {
    return { code: withoutInlineSourceMap(Buffer.from(sourceText)) };
  },
  getCacheKey(sourceText, sourcePath) {
    return crypto.createHash("md5").update(VERSION).update("\0").update(sourcePath).update("\0").update(sourceText).digest("hex");
  },
};
