/**
 * The code of a compiled file without its trailing inline source map (`//# sourceMappingURL=data:...`),
 * decoded from the bytes before it so that no slice keeps the whole file alive. Used by the app's loader
 * (scripts/lean-require.js) and the tests' (scripts/jest-lean-transform.js). Plain JavaScript.
 */
"use strict";
const MARK = Buffer.from("\n//# sourceMappingURL=data:");

function withoutInlineSourceMap(buffer) {
  const at = buffer.lastIndexOf(MARK);
  return buffer.toString("utf8", 0, at >= 0 ? at : buffer.length);
}

module.exports = { withoutInlineSourceMap };
