// Compiles only if the generated operation types match the schema: `npm run typecheck` regenerates
// client/generated and checks this file, so a breaking schema change shows up for front-end builds.
import { ProductListDocument, type ProductListQuery, type ProductSort } from "./generated/graphql.js";

export const productListRequest = {
  query: ProductListDocument,
  variables: { first: 20, sort: "PRICE_ASC" satisfies ProductSort },
};

export function productNames(data: ProductListQuery): string[] {
  return data.products.edges.map((edge) => `${edge.node.name} (${edge.node.category.name})`);
}
