/**
 * cdktf's resolve, with a fast path for what holds no token. cdktf's resolver
 * builds a resolution context for every key and every value it visits, tokens
 * or not; most of a synthesized resource is plain JSON. This walk copies plain
 * values itself and hands every value that holds, or may hold, a token (marker
 * strings, escape sequences, encoded numbers, list and map tokens, resolvables)
 * to cdktf's own `resolve` unchanged, so the result is what cdktf returns:
 * __tests__/fast-resolve.test.ts compares both on every kind of token, and
 * __tests__/stack-seal.test.ts on every stack of the app.
 */
import { DefaultTokenResolver, StringConcat, Token, Tokenization } from "cdktf";
import { extractTokenDouble } from "cdktf/lib/tokens/private/encoding";
import { resolve } from "cdktf/lib/tokens/private/resolve";
import { IConstruct } from "constructs";

/** String, list and map token markers, and escape sequences: any `${`, `#{` or `&{`. */
const MARKER = /[$#&]\{/;
/** What cdktf's resolver treats as a possible encoded number inside a string (its NUMBER_TOKEN_REGEX, unanchored). */
const NUMBER_IN_STRING = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;

/** True when cdktf's resolver would return the string unchanged without looking further. */
function plainString(s: string): boolean {
  // The map-token placeholders are plain text that cdktf refuses in a scalar context: its resolver says so.
  return !MARKER.test(s) && !NUMBER_IN_STRING.test(s) && s !== Token.STRING_MAP_TOKEN_VALUE && s !== Token.ANY_MAP_TOKEN_VALUE;
}

function plainNumber(n: number): boolean {
  return extractTokenDouble(n, false) === undefined && extractTokenDouble(n, true) === undefined && n !== Token.NUMBER_MAP_TOKEN_VALUE;
}

function plainScalar(x: unknown): boolean {
  return (typeof x === "string" && plainString(x)) || (typeof x === "number" && plainNumber(x)) || typeof x === "boolean" || x === null;
}

/** The resolver cdktf/lib/_tokens uses (stateless). */
const RESOLVER = new DefaultTokenResolver(new StringConcat());
/** cdktf's depth limit (a deeper value is taken for a circular reference). */
const MAX_DEPTH = 200;

/** Resolves `obj` in `scope` as `resolve` from cdktf/lib/_tokens does, with the same errors at the same paths. */
export function resolveFast(scope: IConstruct, obj: unknown, preparing = false): unknown {
  const path: string[] = [];
  const delegate = (x: unknown) => resolve(x, { scope, preparing, resolver: RESOLVER, prefix: [...path] });
  const at = (key: string, x: unknown): unknown => {
    path.push(key);
    try {
      return walk(x);
    } finally {
      path.pop();
    }
  };
  const walk = (x: unknown): unknown => {
    if (path.length > MAX_DEPTH) return delegate(x);
    if (x === undefined || x === null || typeof x === "boolean") return x;
    if (typeof x === "string") return plainString(x) ? x : delegate(x);
    if (typeof x === "number") return plainNumber(x) ? x : delegate(x);
    if (typeof x !== "object" || x instanceof Date) return delegate(x);
    if (Array.isArray(x)) {
      // A token among the elements may be a list token, which cdktf resolves with the whole list.
      if (x.some((e) => (typeof e === "string" || typeof e === "number") && !plainScalar(e))) return delegate(x);
      const out: unknown[] = [];
      for (let i = 0; i < x.length; i++) {
        const r = at(`${i}`, x[i]);
        if (r !== undefined) out.push(r);
      }
      return out;
    }
    // Resolvables, map tokens in keys, constructs (an error in cdktf): cdktf's resolver decides.
    const keys = Object.keys(x);
    if (Tokenization.isResolvable(x) || keys.some((k) => !plainString(k)) || isConstruct(x)) return delegate(x);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = at(k, (x as Record<string, unknown>)[k]);
      if (r !== undefined) out[k] = r;
    }
    return out;
  };
  return walk(obj);
}

/** cdktf's own test (tokens/private/resolve.js isConstruct). */
function isConstruct(x: object): boolean {
  return (x as { _children?: unknown })._children !== undefined && (x as { _metadata?: unknown })._metadata !== undefined;
}
