import { getOperationAST, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { findUnacceptableText, unacceptableText } from "../../src/platform/limits/index.js";
import { searchTerms } from "../../src/platform/search/index.js";

const find = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error("no operation");
  return findUnacceptableText(document, operation, variables);
};

describe("text the database cannot store", () => {
  it("is a NUL or an unpaired surrogate, not a well-formed pair or other control characters", () => {
    expect(unacceptableText("a\u0000b")).toMatch(/NUL/);
    expect(unacceptableText("a\ud800b")).toMatch(/surrogate/);
    expect(unacceptableText("a\udc00")).toMatch(/surrogate/);
    expect(unacceptableText("emoji 😀, tab\t, bell\u0007, é")).toBeNull();
  });

  it("is found in literals, variables, lists and fragments, with the argument path", () => {
    expect(find('{ product(slug: "a\\u0000") { name } }')).toMatchObject({ field: "product", argumentPath: "slug" });
    expect(
      find("mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { __typename } }", {
        i: { items: [{ productId: "x" }, { productId: "y\ud800" }] },
      }),
    ).toMatchObject({ field: "placeOrder", argumentPath: "input.items.1.productId" });
    expect(find('query { ...F } fragment F on Query { user(username: "\\u0000") { name } }')).toMatchObject({
      argumentPath: "username",
    });
    expect(find('{ product(slug: "fine") { name } }')).toBeNull();
  });

  it("walks deeply nested variables without overflowing the stack", () => {
    let deep: unknown = "x\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(find("query($v: [String]) { products(first: 1) { totalCount } } ", { v: deep })).toBeNull();
    expect(find("query($v: String) { product(slug: $v) { name } }", { v: deep })?.argumentPath).toBe(
      ["slug", ...Array(16).fill("0"), "…"].join("."),
    );
  });
});

describe("search terms", () => {
  it("are the words websearch_to_tsquery looks up: `or`, `-` and quotes are operators", () => {
    expect(searchTerms('"noise cancelling" or -wired OR  headphones')).toEqual([
      "noise",
      "cancelling",
      "wired",
      "headphones",
    ]);
    expect(searchTerms("   ")).toEqual([]);
  });
});
