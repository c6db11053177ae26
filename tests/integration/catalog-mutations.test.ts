// Catalog writes (ADMIN): categories with their materialised tree, products with soft delete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { errorCode, mutate, problems } from "../helpers/mutations.js";

type CategoryNode = { id: string; name: string; slug: string; parent: { id: string; name: string } | null };
type ProductNode = {
  id: string;
  name: string;
  slug: string;
  priceCents: number;
  currency: string;
  stock: number;
  status: string;
  averageRating: number;
  category: { id: string; name: string };
};

const createCategory = `mutation($input: CreateCategoryInput!) {
  createCategory(input: $input) { category { id name slug parent { id name } } userErrors { field code message } }
}`;
const updateCategory = `mutation($id: ID!, $input: UpdateCategoryInput!) {
  updateCategory(id: $id, input: $input) { category { id name slug parent { id name } } userErrors { field code message } }
}`;
const deleteCategory = `mutation($id: ID!) { deleteCategory(id: $id) { deletedCategoryId userErrors { field code message } } }`;
const productFields = "id name slug priceCents currency stock status averageRating category { id name }";
const createProduct = `mutation($input: CreateProductInput!) {
  createProduct(input: $input) { product { ${productFields} } userErrors { field code message } }
}`;
const updateProduct = `mutation($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) { product { ${productFields} } userErrors { field code message } }
}`;

for (const backend of backends) {
  describe.skipIf(backend.skip)(`catalog mutations (${backend.name})`, () => {
    let gw: TestGateway;
    const asAdmin = () => ({ as: gw.users.admin });
    let serial = 0;
    const slug = (prefix: string) => `${prefix.replaceAll(" ", "-")}-${backend.kind}-${++serial}`;

    beforeAll(async () => {
      gw = await startTestGateway(backend.kind);
    });
    afterAll(() => gw?.close());

    const newCategory = async (name: string, parentId?: string) => {
      const payload = await mutate<{ category: CategoryNode }>(gw, createCategory, {
        ...asAdmin(),
        variables: { input: { name, slug: slug(name.toLowerCase()), parentId } },
      });
      expect(payload.userErrors).toEqual([]);
      return payload.category;
    };
    const pathOf = async (id: string) => (await gw.db.prisma.category.findUniqueOrThrow({ where: { id } })).path;

    describe("categories", () => {
      it("creates top-level and nested categories with materialised paths", async () => {
        const root = await newCategory("Garden");
        const child = await newCategory("Tools", root.id);
        expect(root.parent).toBeNull();
        expect(child.parent).toEqual({ id: root.id, name: "Garden" });
        expect(await pathOf(root.id)).toBe(root.id);
        expect(await pathOf(child.id)).toBe(`${root.id}/${child.id}`);
      });

      it("refuses invalid input field by field, and changes nothing", async () => {
        const before = await gw.db.prisma.category.count();
        const payload = await mutate<{ category: null }>(gw, createCategory, {
          ...asAdmin(),
          variables: { input: { name: "   ", slug: "Not A Slug", description: "x".repeat(2001), parentId: "42" } },
        });
        expect(payload.category).toBeNull();
        expect(problems(payload)).toEqual([
          "input.name: REQUIRED",
          "input.slug: INVALID_FORMAT",
          "input.description: TOO_LONG",
          "input.parentId: INVALID_FORMAT",
        ]);
        expect(await gw.db.prisma.category.count()).toBe(before);
      });

      it("answers a taken slug and an unknown parent with userErrors", async () => {
        const existing = await gw.db.prisma.category.findFirstOrThrow();
        const taken = await mutate(gw, createCategory, {
          ...asAdmin(),
          variables: { input: { name: "Dup", slug: existing.slug } },
        });
        expect(problems(taken)).toEqual(["input.slug: TAKEN"]);
        const orphan = await mutate(gw, createCategory, {
          ...asAdmin(),
          variables: {
            input: { name: "Orphan", slug: slug("orphan"), parentId: "00000000-0000-4000-8000-000000000000" },
          },
        });
        expect(problems(orphan)).toEqual(["input.parentId: NOT_FOUND"]);
        const renamed = await mutate(gw, updateCategory, {
          ...asAdmin(),
          variables: { id: (await newCategory("Renamed")).id, input: { slug: existing.slug } },
        });
        expect(problems(renamed)).toEqual(["input.slug: TAKEN"]);
      });

      it("moves a subtree in one go, rewriting every path under it", async () => {
        const a = await newCategory("A");
        const b = await newCategory("B", a.id);
        const c = await newCategory("C", b.id);
        const d = await newCategory("D");
        const moved = await mutate<{ category: CategoryNode }>(gw, updateCategory, {
          ...asAdmin(),
          variables: { id: b.id, input: { parentId: d.id, name: "B moved" } },
        });
        expect(moved.userErrors).toEqual([]);
        expect(moved.category).toMatchObject({ id: b.id, name: "B moved", parent: { id: d.id } });
        expect(await pathOf(b.id)).toBe(`${d.id}/${b.id}`);
        expect(await pathOf(c.id)).toBe(`${d.id}/${b.id}/${c.id}`);
        expect(await pathOf(a.id)).toBe(a.id);

        // The product filter walks the tree by path: a product under C is now under D, not A.
        const category = await gw.db.prisma.category.findUniqueOrThrow({ where: { id: c.id } });
        await gw.db.prisma.product.create({
          data: { name: "Deep", slug: slug("deep"), priceCents: 100, status: "ACTIVE", categoryId: category.id },
        });
        const count = (id: string) =>
          gw.graphql<{ products: { totalCount: number } }>(
            `query($id: ID!) { products(filter: { categoryId: $id }) { totalCount } }`,
            { variables: { id } },
          );
        expect((await count(d.id)).data?.products.totalCount).toBe(1);
        expect((await count(a.id)).data?.products.totalCount).toBe(0);

        const toRoot = await mutate<{ category: CategoryNode }>(gw, updateCategory, {
          ...asAdmin(),
          variables: { id: c.id, input: { parentId: null } },
        });
        expect(toRoot.category.parent).toBeNull();
        expect(await pathOf(c.id)).toBe(c.id);
      });

      it("refuses a move into the category's own subtree (a cycle)", async () => {
        const top = await newCategory("Top");
        const mid = await newCategory("Mid", top.id);
        const leaf = await newCategory("Leaf", mid.id);
        for (const parentId of [top.id, mid.id, leaf.id]) {
          const payload = await mutate(gw, updateCategory, {
            ...asAdmin(),
            variables: { id: top.id, input: { parentId } },
          });
          expect(problems(payload)).toEqual(["input.parentId: CYCLE"]);
        }
        expect(await pathOf(leaf.id)).toBe(`${top.id}/${mid.id}/${leaf.id}`);
        const unknown = await mutate(gw, updateCategory, {
          ...asAdmin(),
          variables: { id: "00000000-0000-4000-8000-000000000000", input: { name: "x" } },
        });
        expect(problems(unknown)).toEqual(["id: NOT_FOUND"]);
      });

      it("returns fresh relations in the same operation after a move (loaders primed, not stale)", async () => {
        const left = await newCategory("Left");
        const right = await newCategory("Right");
        const node = await newCategory("Node", left.id);
        const leaf = await newCategory("Node leaf", node.id);
        const response = await gw.graphql<{
          move: { category: { parent: { name: string } } };
          rename: { category: { parent: { parent: { name: string } } } };
        }>(
          `mutation($node: ID!, $leaf: ID!, $right: ID!) {
            move: updateCategory(id: $node, input: { parentId: $right }) { category { parent { name } } }
            rename: updateCategory(id: $leaf, input: { name: "Renamed leaf" }) { category { parent { parent { name } } } }
          }`,
          { ...asAdmin(), variables: { node: node.id, leaf: leaf.id, right: right.id } },
        );
        expect(response.errors).toBeUndefined();
        expect(response.data?.move.category.parent.name).toBe("Right");
        expect(response.data?.rename.category.parent.parent.name).toBe("Right");
      });

      it("deletes only empty categories", async () => {
        const parent = await newCategory("Parent");
        const child = await newCategory("Child", parent.id);
        expect(problems(await mutate(gw, deleteCategory, { ...asAdmin(), variables: { id: parent.id } }))).toEqual([
          "id: CONFLICT",
        ]);
        await gw.db.prisma.product.create({
          data: { name: "Filed", slug: slug("filed"), priceCents: 1, categoryId: child.id, deletedAt: new Date() },
        });
        expect(problems(await mutate(gw, deleteCategory, { ...asAdmin(), variables: { id: child.id } }))).toEqual([
          "id: CONFLICT",
        ]);
        const empty = await newCategory("Empty");
        const deleted = await mutate<{ deletedCategoryId: string }>(gw, deleteCategory, {
          ...asAdmin(),
          variables: { id: empty.id },
        });
        expect(deleted).toEqual({ deletedCategoryId: empty.id, userErrors: [] });
        expect(await gw.db.prisma.category.findUnique({ where: { id: empty.id } })).toBeNull();
        expect(problems(await mutate(gw, deleteCategory, { ...asAdmin(), variables: { id: empty.id } }))).toEqual([
          "id: NOT_FOUND",
        ]);
      });
    });

    describe("products", () => {
      let categoryId: string;
      beforeAll(async () => {
        categoryId = (await newCategory("Kitchen")).id;
      });

      const newProduct = async (extra: Record<string, unknown> = {}) => {
        const payload = await mutate<{ product: ProductNode }>(gw, createProduct, {
          ...asAdmin(),
          variables: { input: { name: "Blue mug", slug: slug("blue-mug"), priceCents: 1250, categoryId, ...extra } },
        });
        expect(payload.userErrors).toEqual([]);
        return payload.product;
      };

      it("creates a draft with server-side defaults, its category resolved", async () => {
        const product = await newProduct({ stock: 7, imageUrls: ["https://img.example.com/mug.jpg"] });
        expect(product).toMatchObject({
          name: "Blue mug",
          priceCents: 1250,
          currency: "USD",
          stock: 7,
          status: "DRAFT",
          averageRating: 0,
          category: { id: categoryId, name: "Kitchen" },
        });
      });

      it("validates every field and refuses what is not money in cents", async () => {
        const payload = await mutate(gw, createProduct, {
          ...asAdmin(),
          variables: {
            input: {
              name: "",
              slug: "ok-slug",
              priceCents: -5,
              currency: "XYZ1",
              stock: 2_000_000,
              categoryId: "not-an-id",
              imageUrls: ["http://insecure.example.com/a.jpg"],
            },
          },
        });
        expect(problems(payload)).toEqual([
          "input.name: REQUIRED",
          "input.priceCents: OUT_OF_RANGE",
          "input.currency: INVALID_FORMAT",
          "input.stock: OUT_OF_RANGE",
          "input.categoryId: INVALID_FORMAT",
          "input.imageUrls: INVALID_FORMAT",
        ]);
        const tooMany = await mutate(gw, createProduct, {
          ...asAdmin(),
          variables: {
            input: {
              name: "x",
              slug: slug("x"),
              priceCents: 1,
              categoryId,
              imageUrls: Array.from({ length: 11 }, (_, i) => `https://img.example.com/${i}.jpg`),
            },
          },
        });
        expect(problems(tooMany)).toEqual(["input.imageUrls: TOO_MANY"]);
        // A float is not an Int: GraphQL itself refuses it before any resolver runs.
        const float = await gw.graphql(createProduct, {
          ...asAdmin(),
          variables: { input: { name: "x", slug: slug("x"), priceCents: 12.5, categoryId } },
        });
        expect(float.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
      });

      it("has no input field for derived or read-only columns (no mass assignment)", async () => {
        const product = await newProduct();
        for (const field of ["averageRating: 5", "reviewCount: 9", "deletedAt: null", 'id: "x"']) {
          const response = await gw.graphql(
            `mutation($id: ID!) { updateProduct(id: $id, input: { ${field} }) { product { id } } }`,
            { ...asAdmin(), variables: { id: product.id } },
          );
          expect(response.errors?.[0]?.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
        }
        const row = await gw.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
        expect(row.averageRating).toBe(0);
        expect(row.reviewCount).toBe(0);
      });

      it("refuses an unknown category and a taken slug", async () => {
        const unknown = await mutate(gw, createProduct, {
          ...asAdmin(),
          variables: {
            input: { name: "x", slug: slug("x"), priceCents: 1, categoryId: "00000000-0000-4000-8000-000000000000" },
          },
        });
        expect(problems(unknown)).toEqual(["input.categoryId: NOT_FOUND"]);
        const first = await newProduct();
        const taken = await mutate(gw, createProduct, {
          ...asAdmin(),
          variables: { input: { name: "x", slug: first.slug, priceCents: 1, categoryId } },
        });
        expect(problems(taken)).toEqual(["input.slug: TAKEN"]);
        const second = await newProduct();
        const renamed = await mutate(gw, updateProduct, {
          ...asAdmin(),
          variables: { id: second.id, input: { slug: first.slug } },
        });
        expect(problems(renamed)).toEqual(["input.slug: TAKEN"]);
      });

      it("updates only the fields given, refuses null for required ones, and moves it between categories", async () => {
        const product = await newProduct({ description: "Glazed.", stock: 3 });
        const other = await newCategory("Dining");
        const updated = await mutate<{ product: ProductNode }>(gw, updateProduct, {
          ...asAdmin(),
          variables: { id: product.id, input: { priceCents: 1400, status: "ACTIVE", categoryId: other.id } },
        });
        expect(updated.product).toMatchObject({
          name: "Blue mug",
          priceCents: 1400,
          stock: 3,
          status: "ACTIVE",
          category: { id: other.id, name: "Dining" },
        });
        const nulls = await mutate(gw, updateProduct, {
          ...asAdmin(),
          variables: { id: product.id, input: { name: null, priceCents: null } },
        });
        expect(problems(nulls)).toEqual(["input.name: REQUIRED", "input.priceCents: REQUIRED"]);
        const row = await gw.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
        expect(row.description).toBe("Glazed.");
        expect(row.priceCents).toBe(1400);
      });

      it("archives (hidden from customers) and soft-deletes (kept for history)", async () => {
        const product = await newProduct({ status: "ACTIVE" });
        const lookup = `query($id: ID!) { product(id: $id) { id status } }`;
        expect((await gw.graphql(lookup, { variables: { id: product.id } })).data?.product).not.toBeNull();

        const archived = await mutate<{ product: ProductNode }>(
          gw,
          `mutation($id: ID!) { archiveProduct(id: $id) { product { id status } userErrors { field code message } } }`,
          { ...asAdmin(), variables: { id: product.id } },
        );
        expect(archived.product.status).toBe("ARCHIVED");
        expect((await gw.graphql(lookup, { variables: { id: product.id } })).data?.product).toBeNull();

        const remove = `mutation($id: ID!) { deleteProduct(id: $id) { deletedProductId userErrors { field code message } } }`;
        const deleted = await mutate(gw, remove, { ...asAdmin(), variables: { id: product.id } });
        expect(deleted).toEqual({ deletedProductId: product.id, userErrors: [] });
        const row = await gw.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
        expect(row.deletedAt).not.toBeNull();
        expect(problems(await mutate(gw, remove, { ...asAdmin(), variables: { id: product.id } }))).toEqual([
          "id: NOT_FOUND",
        ]);
        const edit = await mutate(gw, updateProduct, {
          ...asAdmin(),
          variables: { id: product.id, input: { stock: 1 } },
        });
        expect(problems(edit)).toEqual(["id: NOT_FOUND"]);
      });
    });

    it("is ADMIN only: customers get FORBIDDEN, anonymous callers UNAUTHENTICATED, and nothing changes", async () => {
      const category = await gw.db.prisma.category.findFirstOrThrow();
      const product = await gw.db.prisma.product.findFirstOrThrow({ where: { deletedAt: null } });
      const attempts: [string, Record<string, unknown>][] = [
        [createCategory, { input: { name: "Nope", slug: slug("nope") } }],
        [updateCategory, { id: category.id, input: { name: "Hacked" } }],
        [deleteCategory, { id: category.id }],
        [createProduct, { input: { name: "Nope", slug: slug("nope"), priceCents: 1, categoryId: category.id } }],
        [updateProduct, { id: product.id, input: { priceCents: 1 } }],
        [`mutation($id: ID!) { archiveProduct(id: $id) { userErrors { code } } }`, { id: product.id }],
        [`mutation($id: ID!) { deleteProduct(id: $id) { userErrors { code } } }`, { id: product.id }],
      ];
      for (const [document, variables] of attempts) {
        expect(await errorCode(gw, document, { variables, as: gw.users.alice })).toBe("FORBIDDEN");
        expect(await errorCode(gw, document, { variables })).toBe("UNAUTHENTICATED");
      }
      expect(await gw.db.prisma.category.findUniqueOrThrow({ where: { id: category.id } })).toEqual(category);
      expect(await gw.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).toEqual(product);
    });
  });
}
