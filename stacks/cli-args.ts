/**
 * `npx cdktf deploy --provider aws --env staging` inside the project: the cdktf
 * CLI ignores flags it does not know and does not pass them to the app. The app
 * reads them from the command line of the cdktf process that runs it (its
 * ancestor), so plain cdktf commands select stacks exactly like ./cdktf does:
 *
 * - `--provider` and `--env` (`--environment`) narrow the app to that cloud and environment;
 * - a stack command without a stack name writes only the `<cloud>-<environment>` stack (cdktf
 *   needs exactly one stack then; the other stacks of the selection are still built and checked,
 *   so its JSON is what a full synth writes); with stack names, every stack of the selection is
 *   written and cdktf picks by name.
 *
 * Environment variables set by scripts/cdktf.js (PLATFORM_*) always win over this.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** cdktf commands that act on stacks. */
const STACK_COMMANDS = ["plan", "diff", "deploy", "apply", "destroy", "output", "outputs", "watch"];

/** cdktf options that take a value (so the value is not mistaken for a stack name); scripts/cdktf.js has the same list. */
export const VALUE_OPTIONS = new Set([
  "--app",
  "-a",
  "--output",
  "-o",
  "--var",
  "--var-file",
  "--parallelism",
  "--terraform-parallelism",
  "--outputs-file",
  "--log-level",
  "--log-file-directory",
  "--experimental-provider-schema-cache-path",
]);

export interface CliSelection {
  readonly command?: string;
  readonly provider?: string;
  readonly environment?: string;
  /** Stack names given to cdktf. */
  readonly stacks: readonly string[];
}

/** Parses the arguments of a cdktf CLI invocation (after the executable). Pure. */
export function parseCdktfArgs(args: readonly string[]): CliSelection {
  let command: string | undefined;
  let provider: string | undefined;
  let environment: string | undefined;
  const stacks: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") break;
    const own = /^--(provider|env|environment)(?:=(.*))?$/.exec(a);
    if (own) {
      const value = own[2] ?? args[++i];
      if (own[1] === "provider") provider = value;
      else environment = value;
    } else if (a.startsWith("-")) {
      if (VALUE_OPTIONS.has(a)) i++;
    } else if (command === undefined) {
      command = a;
    } else {
      stacks.push(a);
    }
  }
  return { command, provider, environment, stacks };
}

/** One process: its parent and its arguments. */
export interface ProcessInfo {
  readonly ppid: number;
  readonly argv: readonly string[];
}

/** Reads a process from /proc (Linux), else from `ps` (macOS and other Unixes); undefined when neither works. */
export function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((x) => x !== "");
    return { ppid, argv };
  } catch {
    const r = spawnSync("ps", ["-o", "ppid=,args=", "-p", String(pid)], { encoding: "utf8" });
    const m = r.status === 0 ? /^\s*(\d+)\s+(.*)$/.exec(r.stdout.trim()) : null;
    return m ? { ppid: Number(m[1]), argv: m[2].split(/\s+/) } : undefined;
  }
}

/** True for the argv of the cdktf CLI (`node .../cdktf ...`, `cdktf ...`, `npm exec cdktf ...`). */
function isCdktf(argv: readonly string[]): number {
  return argv.findIndex((a, i) => i < 4 && (path.basename(a) === "cdktf" || /cdktf-cli[/\\].*bin[/\\]cdktf(\.js)?$/.test(a)));
}

/** The selection of the nearest cdktf CLI ancestor of this process, if it gave one. */
export function selectionFromCdktfAncestor(read: (pid: number) => ProcessInfo | undefined = readProcess, start = process.ppid): CliSelection | undefined {
  let pid = start;
  for (let depth = 0; depth < 8 && pid > 1; depth++) {
    const p = read(pid);
    if (!p) return undefined;
    const at = isCdktf(p.argv);
    if (at >= 0) {
      const s = parseCdktfArgs(p.argv.slice(at + 1));
      return s.provider !== undefined || s.environment !== undefined ? s : undefined;
    }
    pid = p.ppid;
  }
  return undefined;
}

/** What the app should select for a cdktf ancestor's selection: PLATFORM_* variables, as scripts/cdktf.js would set them. */
export function environmentForCdktfSelection(s: CliSelection): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  if (s.provider !== undefined) env.PLATFORM_CLOUD = s.provider;
  if (s.environment !== undefined) env.PLATFORM_ENVIRONMENT = s.environment;
  const stackCommand = s.command !== undefined && STACK_COMMANDS.includes(s.command);
  if (stackCommand && s.stacks.length === 0 && s.provider !== undefined && s.environment !== undefined) {
    env.PLATFORM_STACKS = `${s.provider}-${s.environment}`;
  }
  return env;
}
