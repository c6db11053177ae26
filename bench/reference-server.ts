// The yardstick's other end: a hand-written node:http + pg server answering the bench's nested query
// (nested-query.ts) with the gateway's JSON, in exactly 4 named prepared statements and no GraphQL
// library. It is what the query costs with nothing but the work itself; the harness checks at start that
// both servers answer the same. Started by bench/run.ts with the bench database URL as argv[2].
//
// It reads the request body only to tell a `{ __typename }` query (answered as the gateway would) from
// anything else (answered as the nested query).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { serveHarness } from "./ipc.js";

const databaseUrl = process.argv[2];
if (!databaseUrl) throw new Error("usage: reference-server.ts <database url>");
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
let statements = 0;

type ProductRow = { id: string; name: string; priceCents: number; categoryId: string };
type ReviewRow = { productId: string; rating: number; authorId: string };
type NamedRow = { id: string; name: string };

const newestProducts = {
  name: "ref_products",
  text: `SELECT id, name, "priceCents", "categoryId" FROM products
         WHERE status = 'ACTIVE' AND "deletedAt" IS NULL
         ORDER BY "createdAt" DESC, id DESC LIMIT 20`,
};
const categoriesById = { name: "ref_categories", text: "SELECT id, name FROM categories WHERE id = ANY($1::uuid[])" };
// One page of 5 per product, as src/platform/pagination/pages-by-parent.ts reads it.
const reviewPages = {
  name: "ref_reviews",
  text: `SELECT parent.id AS "productId", page.rating, page."authorId"
         FROM unnest($1::uuid[]) WITH ORDINALITY AS parent(id, position)
         CROSS JOIN LATERAL (
           SELECT r.rating, r."authorId", r."createdAt", r.id FROM reviews r
           WHERE r."productId" = parent.id ORDER BY r."createdAt" DESC, r.id DESC LIMIT 5
         ) page
         ORDER BY parent.position, page."createdAt" DESC, page.id DESC`,
};
const usersById = { name: "ref_users", text: "SELECT id, name FROM users WHERE id = ANY($1::uuid[])" };

async function query<Row extends pg.QueryResultRow>(statement: { name: string; text: string }, values: unknown[]) {
  statements++;
  return (await pool.query<Row>({ ...statement, values })).rows;
}

const nameById = (rows: NamedRow[]) => new Map(rows.map((row) => [row.id, row.name]));

async function nestedProducts() {
  const products = await query<ProductRow>(newestProducts, []);
  const productIds = products.map((product) => product.id);
  const [categories, reviews] = await Promise.all([
    query<NamedRow>(categoriesById, [[...new Set(products.map((product) => product.categoryId))]]),
    query<ReviewRow>(reviewPages, [productIds]),
  ]);
  const authors = nameById(await query<NamedRow>(usersById, [[...new Set(reviews.map((review) => review.authorId))]]));
  const categoryNames = nameById(categories);
  const reviewsByProduct = new Map<string, ReviewRow[]>(productIds.map((id) => [id, []]));
  for (const review of reviews) reviewsByProduct.get(review.productId)?.push(review);
  return {
    data: {
      products: {
        edges: products.map((product) => ({
          node: {
            name: product.name,
            priceCents: product.priceCents,
            category: { name: categoryNames.get(product.categoryId) ?? null },
            reviews: {
              edges: (reviewsByProduct.get(product.id) ?? []).map((review) => ({
                node: { rating: review.rating, author: { name: authors.get(review.authorId) ?? null } },
              })),
            },
          },
        })),
      },
    },
  };
}

const typenameAnswer = JSON.stringify({ data: { __typename: "Query" } });

async function readBody(request: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of request) body += chunk;
  return body;
}

function reply(response: ServerResponse, status: number, body: string) {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  response.end(body);
}

const server = createServer((request, response) => {
  if (request.method !== "POST" || request.url !== "/graphql") return reply(response, 404, "{}");
  readBody(request)
    .then(async (body) => (body.includes("__typename") ? typenameAnswer : JSON.stringify(await nestedProducts())))
    .then(
      (answer) => reply(response, 200, answer),
      (error: Error) => reply(response, 500, JSON.stringify({ errors: [{ message: error.message }] })),
    );
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  serveHarness(
    `http://127.0.0.1:${port}`,
    () => statements,
    async () => {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  );
});
