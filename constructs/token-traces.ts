/**
 * cdktf records a full JavaScript stack trace for every token it creates (a
 * reference such as `bucket.arn`, a Lazy, a function call), by temporarily
 * raising `Error.stackTraceLimit` to infinity. Its only use is the "Object
 * creation stack" printed when a token later fails to resolve; it costs about
 * a seventh of a synth. cdktf has no switch for it (the App's `stackTraces`
 * option only covers annotation metadata), so the app replaces the capture
 * with a no-op, unless PLATFORM_TOKEN_TRACES=1 asks for the traces while
 * debugging a resolution error.
 */
let disabled = false;

export function disableTokenStackTraces(env: NodeJS.ProcessEnv = process.env): void {
  if (disabled || env.PLATFORM_TOKEN_TRACES === "1") return;
  // The module's callers look the function up on its exports at every call, so replacing it takes effect everywhere.
  const traces = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: (below?: unknown) => string[] };
  traces.captureStackTrace = () => [];
  disabled = true;
}
