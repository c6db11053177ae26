import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

type Edge<T> = { cursor: string; node: T };
type Connection<T> = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Edge<T>[];
};
type ProductNode = {
  id: string;
  name: string;
  priceCents: number;
  averageRating: number;
  createdAt: string;
  category: { id: string };
};

const productsQuery = `query Products($first: Int, $after: String, $last: Int, $before: String, $filter: ProductFilter, $sort: ProductSort) {
  products(first: $first, after: $after, last: $last, before: $before, filter: $filter, sort: $sort) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name priceCents averageRating createdAt category { id } } }
  }
}`;

for (const backend of backends) {
  describe.skipIf(backend.skip)(`read API (${backend.name})`, () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway(backend.kind);
    });
    afterAll(() => gw?.close());

    const products = async (variables: Record<string, unknown>, as?: TestGateway["users"]["admin"]) => {
      const response = await gw.graphql<{ products: Connection<ProductNode> }>(productsQuery, { variables, as });
      expect(response.errors).toBeUndefined();
      return response.data?.products as Connection<ProductNode>;
    };
    const visibleProducts = () => gw.db.prisma.product.findMany({ where: { status: "ACTIVE", deletedAt: null } });

    it("lists only active, undeleted products, newest first, with a true totalCount", async () => {
      const page = await products({ first: 100 });
      const expected = await visibleProducts();
      expect(page.totalCount).toBe(expected.length);
      const visibleIds = new Set(expected.map((p) => p.id));
      expect(page.edges.every((edge) => visibleIds.has(edge.node.id))).toBe(true);
      const times = page.edges.map((edge) => Date.parse(edge.node.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it("pages forwards and backwards through a sorted list without gaps or repeats", async () => {
      const everything = (
        await gw.db.prisma.product.findMany({
          where: { status: "ACTIVE", deletedAt: null },
          orderBy: [{ priceCents: "asc" }, { id: "asc" }],
          select: { id: true },
        })
      ).map((product) => product.id);
      expect(everything.length).toBeGreaterThan(100); // more than one page of the biggest size
      const forwards: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Connection<ProductNode> = await products({ first: 7, after, sort: "PRICE_ASC" });
        forwards.push(...page.edges.map((edge) => edge.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(forwards).toEqual(everything);

      const backwards: string[] = [];
      let before: string | null = null;
      for (;;) {
        const page: Connection<ProductNode> = await products({ last: 7, before, sort: "PRICE_ASC" });
        backwards.unshift(...page.edges.map((edge) => edge.node.id));
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect(backwards).toEqual(everything);
    });

    it("sorts by price and rating, ties broken by id", async () => {
      const byPrice = (await products({ first: 50, sort: "PRICE_DESC" })).edges.map((edge) => edge.node.priceCents);
      expect(byPrice).toEqual([...byPrice].sort((a, b) => b - a));
      const byRating = (await products({ first: 50, sort: "RATING" })).edges.map((edge) => edge.node.averageRating);
      expect(byRating).toEqual([...byRating].sort((a, b) => b - a));
    });

    it("filters by a category including its sub-categories", async () => {
      const root = await gw.db.prisma.category.findFirstOrThrow({ where: { parentId: null, children: { some: {} } } });
      const tree = await gw.db.prisma.category.findMany({ where: { path: { startsWith: root.path } } });
      expect(tree.length).toBeGreaterThan(1);
      const inTree = await gw.db.prisma.product.count({
        where: { status: "ACTIVE", deletedAt: null, categoryId: { in: tree.map((c) => c.id) } },
      });
      const page = await products({ first: 100, filter: { categoryId: root.id } });
      expect(page.totalCount).toBe(inTree);
      const treeIds = new Set(tree.map((c) => c.id));
      expect(page.edges.every((edge) => treeIds.has(edge.node.category.id))).toBe(true);
      expect(page.edges.some((edge) => edge.node.category.id !== root.id)).toBe(true);
    });

    it("filters by price range and refuses an inverted one", async () => {
      const page = await products({ first: 100, filter: { minPriceCents: 2000, maxPriceCents: 5000 } });
      expect(page.edges.length).toBeGreaterThan(0);
      expect(page.edges.every((edge) => edge.node.priceCents >= 2000 && edge.node.priceCents <= 5000)).toBe(true);
      const inverted = await gw.graphql(productsQuery, {
        variables: { filter: { minPriceCents: 9, maxPriceCents: 1 } },
      });
      expect(inverted.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.minPriceCents" });
    });

    it("finds products by full-text search over name and description", async () => {
      const target = (await visibleProducts())[0];
      if (!target) throw new Error("seed made no active products");
      const word = target.name.split(/\s+/).at(-1) as string;
      const page = await products({ first: 100, filter: { search: word } });
      expect(page.edges.map((edge) => edge.node.id)).toContain(target.id);
      const nothing = await products({ first: 10, filter: { search: "zzqxjv" } });
      expect(nothing.totalCount).toBe(0);
    });

    it("caps pages at 100 with an actionable error", async () => {
      const response = await gw.graphql(productsQuery, { variables: { first: 101 } });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
      expect(response.errors?.[0]?.message).toMatch(/between 0 and 100/);
    });

    it("looks products up by id or slug, hiding drafts from everyone but admins", async () => {
      const active = (await visibleProducts())[0];
      const draft = await gw.db.prisma.product.findFirstOrThrow({ where: { status: "DRAFT" } });
      const bySlug = await gw.graphql<{ product: { id: string } | null }>(
        `{ product(slug: "${active?.slug}") { id } }`,
      );
      expect(bySlug.data?.product?.id).toBe(active?.id);
      const query = `{ product(id: "${draft.id}") { id status } }`;
      expect((await gw.graphql(query)).data?.product).toBeNull();
      expect((await gw.graphql(query, { as: gw.users.alice })).data?.product).toBeNull();
      expect((await gw.graphql(query, { as: gw.users.admin })).data?.product).toEqual({
        id: draft.id,
        status: "DRAFT",
      });
      const both = await gw.graphql(`{ product(id: "${draft.id}", slug: "x") { id } }`);
      expect(both.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
    });

    it("walks the category tree both ways and counts products under a category", async () => {
      type Node = { id: string; parent: { id: string } | null; children: { id: string; parent: { id: string } }[] };
      const response = await gw.graphql<{ categories: Node[] }>(
        "{ categories { id parent { id } children { id parent { id } } } }",
      );
      const roots = response.data?.categories ?? [];
      expect(roots.length).toBeGreaterThan(0);
      for (const root of roots) {
        expect(root.parent).toBeNull();
        for (const child of root.children) expect(child.parent.id).toBe(root.id);
      }
      const root = roots.find((r) => r.children.length > 0) as Node;
      const counted = await gw.graphql<{ category: { products: Connection<{ id: string }> } }>(
        `{ category(id: "${root.id}") { products(first: 3) { totalCount edges { node { id } } } } }`,
      );
      const direct = await products({ first: 1, filter: { categoryId: root.id } });
      expect(counted.data?.category.products.totalCount).toBe(direct.totalCount);
    });

    it("resolves relations: reviews with authors and products, orders with items", async () => {
      const { alice } = gw.users;
      const response = await gw.graphql<{
        me: {
          reviews: Connection<{ product: { id: string }; author: { username: string } }>;
          orders: Connection<{
            totalCents: number;
            items: { quantity: number; unitPriceCents: number; lineTotalCents: number; product: { id: string } }[];
          }>;
        };
      }>(
        `{ me { reviews(first: 5) { edges { node { product { id } author { username } } } }
                orders(first: 5) { totalCount edges { node { totalCents items { quantity unitPriceCents lineTotalCents product { id } } } } } } }`,
        { as: alice },
      );
      expect(response.errors).toBeUndefined();
      const me = response.data?.me;
      expect(me?.reviews.edges.every((edge) => edge.node.author.username === "alice")).toBe(true);
      expect(me?.orders.totalCount).toBe(await gw.db.prisma.order.count({ where: { userId: alice.id } }));
      for (const { node: order } of me?.orders.edges ?? []) {
        expect(order.items.length).toBeGreaterThan(0);
        expect(order.items.reduce((sum, item) => sum + item.lineTotalCents, 0)).toBe(order.totalCents);
      }
    });

    it("hides soft-deleted accounts from everyone but admins", async () => {
      const { bob } = gw.users;
      await gw.db.prisma.user.update({ where: { id: bob.id }, data: { deletedAt: new Date() } });
      try {
        expect((await gw.graphql('{ user(username: "bob") { id } }')).data?.user).toBeNull();
        const asAdmin = await gw.graphql<{ user: { id: string } }>('{ user(username: "bob") { id } }', {
          as: gw.users.admin,
        });
        expect(asAdmin.data?.user.id).toBe(bob.id);
        const listed = await gw.graphql<{ users: { edges: Edge<{ id: string }>[] } }>(
          "{ users(first: 100) { edges { node { id } } } }",
          {
            as: gw.users.admin,
          },
        );
        expect(listed.data?.users.edges.map((edge) => edge.node.id)).not.toContain(bob.id);
      } finally {
        await gw.db.prisma.user.update({ where: { id: bob.id }, data: { deletedAt: null } });
      }
    });
  });
}
