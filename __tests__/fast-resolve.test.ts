/**
 * constructs/fast-resolve.ts returns exactly what cdktf's resolve returns, for every kind of value a
 * synthesized element holds: plain JSON, string/number/list/map tokens, references, escapes, strings
 * that look like encoded numbers, nested resolvables, undefined members, and the errors cdktf raises.
 */
import { App, Fn, Lazy, TerraformStack, TerraformVariable, Token } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
import { resolveFast } from "../constructs/fast-resolve";
import { testOutdir } from "./helpers";

const app = new App({ outdir: testOutdir() });
const stack = new TerraformStack(app, "s");
const v = new TerraformVariable(stack, "v", { type: "string" });
const n = new TerraformVariable(stack, "n", { type: "number" });
const l = new TerraformVariable(stack, "l", { type: "list(string)" });

const cases: Record<string, unknown> = {
  "plain JSON": { a: "x", b: 1, c: true, d: null, e: [1, "two", { f: false }], g: { h: { i: "deep" } } },
  "undefined members and elements are dropped": { a: undefined, b: [1, undefined, 2], c: { d: undefined } },
  "a string token": { a: v.stringValue, b: `prefix-${v.stringValue}-suffix` },
  "a number token": { a: n.numberValue, b: [n.numberValue] },
  "a list token": { a: l.listValue, b: Token.asList(Lazy.listValue({ produce: () => ["x", "y"] })) },
  "a map token": { a: Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: "v" }) })) },
  "lazy values": { a: Lazy.stringValue({ produce: () => "lazy" }), b: Lazy.numberValue({ produce: () => 7 }), c: Lazy.anyValue({ produce: () => ({ x: [1, v.stringValue] }) }) },
  "functions": { a: Fn.join(",", l.listValue), b: Fn.lookup({ k: "v" }, "k", "d") },
  "escapes and literal braces": { a: "${literal}", b: "$${escaped}", c: "text with } and {", d: "policy ${aws:username}" },
  "strings that look like encoded numbers": { a: "1e5", b: "-1.5e+10", c: "v1.2e3-x", d: "eu-central-1e" },
  "keys that are tokens": { [v.stringValue]: "value" },
  "numbers": { a: 0, b: -1, c: 1.5e300, d: Number.MAX_SAFE_INTEGER },
};

describe("resolveFast equals cdktf's resolve", () => {
  test.each(Object.entries(cases))("%s", (_, value) => {
    for (const preparing of [false, true]) {
      expect(resolveFast(stack, value, preparing)).toEqual(resolve(stack, value, preparing));
    }
  });

  test("the same errors: a function, a list token in a string context, a construct", () => {
    const errorOf = (f: () => unknown) => {
      try {
        f();
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    };
    const bad: unknown[] = [{ f: () => 1 }, { s: Token.asString(l.listValue[0]) === l.listValue[0] ? `x${l.listValue}` : l.listValue }, { c: stack }, Token.STRING_MAP_TOKEN_VALUE, Token.NUMBER_MAP_TOKEN_VALUE];
    for (const b of bad) {
      const expected = errorOf(() => resolve(stack, b));
      expect(errorOf(() => resolveFast(stack, b))).toBe(expected);
    }
    expect(errorOf(() => resolve(stack, { f: () => 1 }))).toBeDefined();
  });
});
