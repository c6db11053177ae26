// Relay's Object Identification: `node(id:)` and `nodes(ids:)` answer every entity type, show each caller
// exactly what the type's own lookup shows them (a private record is null, with no error), and read a
// list of mixed ids in a constant number of statements.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

type Caller = "anonymous" | "alice" | "bob" | "admin";
type Visible = Record<Caller, boolean>;

const everyone: Visible = { anonymous: true, alice: true, bob: true, admin: true };
const aliceAndAdmin: Visible = { anonymous: false, alice: true, bob: false, admin: true };
const bobAndAdmin: Visible = { anonymous: false, alice: false, bob: true, admin: true };
const adminOnly: Visible = { anonymous: false, alice: false, bob: false, admin: true };

type Case = {
  name: string;
  typeName: string;
  id: string;
  visible: Visible;
  /** The type's own root field for the same record, where it has one: `node` must agree with it. */
  rootField?: string;
};

const nodeQuery = `query($id: ID!) { node(id: $id) { __typename id } }`;
const nodesQuery = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`;

type NodeData = { node: { __typename: string; id: string } | null };
type NodesData = { nodes: ({ __typename: string; id: string } | null)[] };

for (const backend of backends) {
  describe.skipIf(backend.skip)(`node and nodes (${backend.name})`, () => {
    let gw: TestGateway;
    let cases: Case[];

    beforeAll(async () => {
      gw = await startTestGateway(backend.kind);
      const { prisma } = gw.db;
      const { alice, bob } = gw.users;
      const [
        aliceAddress,
        category,
        activeProduct,
        draftProduct,
        archivedReview,
        activeReview,
        aliceOrder,
        bobDraft,
        alicePost,
      ] = await Promise.all([
        prisma.address.findFirstOrThrow({ where: { userId: alice.id } }),
        prisma.category.findFirstOrThrow(),
        prisma.product.findFirstOrThrow({ where: { status: "ACTIVE", deletedAt: null } }),
        prisma.product.findFirstOrThrow({ where: { status: "DRAFT" } }),
        prisma.review.findFirstOrThrow({ where: { product: { status: "ARCHIVED" } } }),
        prisma.review.findFirstOrThrow({ where: { product: { status: "ACTIVE", deletedAt: null } } }),
        prisma.order.findFirstOrThrow({ where: { userId: alice.id }, include: { items: true } }),
        prisma.post.findFirstOrThrow({ where: { authorId: bob.id, status: "DRAFT" } }),
        prisma.post.findFirstOrThrow({ where: { authorId: alice.id, status: "PUBLISHED" } }),
      ]);
      const deletedUser = await prisma.user.create({
        data: {
          email: "gone@example.com",
          username: "gone",
          name: "Gone",
          passwordHash: "x",
          deletedAt: new Date(),
        },
      });
      cases = [
        { name: "user", typeName: "User", id: alice.id, visible: everyone, rootField: "user" },
        { name: "deleted user", typeName: "User", id: deletedUser.id, visible: adminOnly, rootField: "user" },
        { name: "address", typeName: "Address", id: aliceAddress.id, visible: aliceAndAdmin },
        { name: "category", typeName: "Category", id: category.id, visible: everyone, rootField: "category" },
        { name: "active product", typeName: "Product", id: activeProduct.id, visible: everyone, rootField: "product" },
        { name: "draft product", typeName: "Product", id: draftProduct.id, visible: adminOnly, rootField: "product" },
        { name: "review of an active product", typeName: "Review", id: activeReview.id, visible: everyone },
        { name: "review of an archived product", typeName: "Review", id: archivedReview.id, visible: adminOnly },
        { name: "order", typeName: "Order", id: aliceOrder.id, visible: aliceAndAdmin, rootField: "order" },
        { name: "order item", typeName: "OrderItem", id: aliceOrder.items[0]?.id as string, visible: aliceAndAdmin },
        { name: "published post", typeName: "Post", id: alicePost.id, visible: everyone, rootField: "post" },
        { name: "draft post", typeName: "Post", id: bobDraft.id, visible: bobAndAdmin, rootField: "post" },
      ];
    });
    afterAll(() => gw?.close());

    const as = (caller: Caller) => (caller === "anonymous" ? undefined : gw.users[caller]);
    const callers: Caller[] = ["anonymous", "alice", "bob", "admin"];

    it("answers node for every type, as each caller may see it, and as the type's own root field does", async () => {
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const c of cases) {
        for (const caller of callers) {
          const response = await gw.graphql<NodeData>(nodeQuery, { variables: { id: c.id }, as: as(caller) });
          // Hidden means exactly null: no error that would tell the record exists.
          expect(response.errors, `${c.name} as ${caller}`).toBeUndefined();
          const node = response.data?.node ?? null;
          outcomes.push(`${c.name} as ${caller}: ${node ? `${node.__typename} ${node.id === c.id}` : "null"}`);
          expected.push(`${c.name} as ${caller}: ${c.visible[caller] ? `${c.typeName} true` : "null"}`);
          if (c.rootField) {
            const root = await gw.graphql<Record<string, { id: string } | null>>(
              `query($id: ID!) { ${c.rootField}(id: $id) { id } }`,
              { variables: { id: c.id }, as: as(caller) },
            );
            // `order` refuses anonymous callers outright; `node` is open to all, so it answers null.
            expect(root.data?.[c.rootField]?.id ?? null, `${c.rootField} of ${c.name} as ${caller}`).toBe(
              node ? c.id : null,
            );
          }
        }
      }
      expect(outcomes).toEqual(expected);
    });

    it("answers nodes in the order asked, with null for unknown and hidden ids, for each caller", async () => {
      const unknown = "01900000-0000-7000-8000-000000000000";
      const ids = [...cases.map((c) => c.id), unknown, cases[0]?.id as string];
      for (const caller of callers) {
        const response = await gw.graphql<NodesData>(nodesQuery, { variables: { ids }, as: as(caller) });
        expect(response.errors).toBeUndefined();
        expect(response.data?.nodes.map((node) => node && `${node.__typename} ${node.id}`)).toEqual([
          ...cases.map((c) => (c.visible[caller] ? `${c.typeName} ${c.id}` : null)),
          null,
          `User ${cases[0]?.id}`,
        ]);
      }
    });

    it("shows a node's fields under the type's own field rules", async () => {
      const query = `query($ids: [ID!]!) {
        nodes(ids: $ids) { ... on User { username email } ... on Order { totalCents items { quantity } } }
      }`;
      const aliceOrder = cases.find((c) => c.name === "order")?.id;
      const response = await gw.graphql<{ nodes: Record<string, unknown>[] }>(query, {
        variables: { ids: [gw.users.alice.id, aliceOrder] },
        as: gw.users.bob,
      });
      // Bob sees alice's public profile but not her e-mail (FORBIDDEN, as on `user`), and not her order.
      expect(response.data?.nodes[0]?.username).toBe("alice");
      expect(response.data?.nodes[0]?.email).toBeNull();
      expect(response.errors?.map((error) => [error.extensions.code, error.path])).toEqual([
        ["FORBIDDEN", ["nodes", 0, "email"]],
      ]);
      expect(response.data?.nodes[1]).toBeNull();
    });

    it("reads 50 ids of mixed types in a constant number of statements", async () => {
      const { prisma } = gw.db;
      const select = { id: true } as const;
      const perType = await Promise.all([
        prisma.user.findMany({ take: 6, select }),
        prisma.category.findMany({ take: 6, select }),
        prisma.product.findMany({ take: 6, select }),
        prisma.review.findMany({ take: 6, select }),
        prisma.order.findMany({ take: 6, select }),
        prisma.orderItem.findMany({ take: 6, select }),
        prisma.post.findMany({ take: 7, select }),
        prisma.address.findMany({ take: 7, select }),
      ]);
      const fifty = perType.flat().map((row) => row.id);
      expect(fifty).toHaveLength(50);

      const statementsFor = async (ids: string[]) => {
        gw.db.statements.reset();
        const response = await gw.graphql<NodesData>(nodesQuery, { variables: { ids }, as: gw.users.admin });
        expect(response.errors).toBeUndefined();
        expect(response.data?.nodes.filter(Boolean)).toHaveLength(ids.length);
        return [...gw.db.statements.statements];
      };
      const one = await statementsFor(perType.map((rows) => rows[0]?.id as string));
      const many = await statementsFor(fifty);
      // One type lookup, one statement per type's loader (8), then the visibility reads that need another
      // row: the orders of the items and the products of the reviews, when not already loaded. One at a
      // time, these 50 ids would take over a hundred.
      expect(many.filter((sql) => sql.includes("UNION ALL"))).toHaveLength(1);
      expect(one.length).toBeLessThanOrEqual(11);
      expect(many.length).toBeLessThanOrEqual(11);
    });

    it("refuses more than 100 ids, and malformed ids, with BAD_USER_INPUT naming the argument", async () => {
      const tooMany = Array.from({ length: 101 }, () => gw.users.alice.id);
      const over = await gw.graphql(nodesQuery, { variables: { ids: tooMany } });
      expect(over.errors?.map((error) => [error.extensions.code, error.extensions.field])).toEqual([
        ["BAD_USER_INPUT", "ids"],
      ]);
      const exactly = await gw.graphql<NodesData>(nodesQuery, { variables: { ids: tooMany.slice(0, 100) } });
      expect(exactly.errors).toBeUndefined();
      expect(exactly.data?.nodes).toHaveLength(100);

      const malformedList = await gw.graphql(nodesQuery, { variables: { ids: [gw.users.alice.id, "nope"] } });
      expect(malformedList.errors?.map((error) => [error.extensions.code, error.extensions.field])).toEqual([
        ["BAD_USER_INPUT", "ids"],
      ]);
      const malformed = await gw.graphql(nodeQuery, { variables: { id: "nope" } });
      expect(malformed.errors?.map((error) => [error.extensions.code, error.extensions.field])).toEqual([
        ["BAD_USER_INPUT", "id"],
      ]);
      expect((await gw.graphql<NodesData>(nodesQuery, { variables: { ids: [] } })).data?.nodes).toEqual([]);
    });
  });
}
