// Reviews (one per customer and product, kept in step with the product's rating) and blog posts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { errorCode, mutate, problems } from "../helpers/mutations.js";

type ReviewNode = {
  id: string;
  rating: number;
  body: string;
  product: { id: string; averageRating: number; reviewCount: number };
};
type PostNode = {
  id: string;
  title: string;
  slug: string;
  status: string;
  publishedAt: string | null;
  viewCount: number;
};

const reviewFields = "id rating body product { id averageRating reviewCount }";
const createReview = `mutation($input: CreateReviewInput!) {
  createReview(input: $input) { review { ${reviewFields} } userErrors { field code message } }
}`;
const updateReview = `mutation($id: ID!, $input: UpdateReviewInput!) {
  updateReview(id: $id, input: $input) { review { ${reviewFields} } userErrors { field code message } }
}`;
const deleteReview = `mutation($id: ID!) {
  deleteReview(id: $id) { deletedReviewId product { id averageRating reviewCount } userErrors { field code message } }
}`;
const postFields = "id title slug status publishedAt viewCount";
const createPost = `mutation($input: CreatePostInput!) {
  createPost(input: $input) { post { ${postFields} } userErrors { field code message } }
}`;
const updatePost = `mutation($id: ID!, $input: UpdatePostInput!) {
  updatePost(id: $id, input: $input) { post { ${postFields} } userErrors { field code message } }
}`;
const byId = (name: string, fields = postFields) =>
  `mutation($id: ID!) { ${name}(id: $id) { post { ${fields} } userErrors { field code message } } }`;

for (const backend of backends) {
  describe.skipIf(backend.skip)(`review and post mutations (${backend.name})`, () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway(backend.kind);
    });
    afterAll(() => gw?.close());

    /** The aggregates as they must be: recomputed from the review rows. */
    const expectedRating = async (productId: string) => {
      const stats = await gw.db.prisma.review.aggregate({
        where: { productId },
        _avg: { rating: true },
        _count: { _all: true },
      });
      return { averageRating: stats._avg.rating ?? 0, reviewCount: stats._count._all };
    };
    const unreviewedProduct = async (userIds: string[]) =>
      gw.db.prisma.product.findFirstOrThrow({
        where: { status: "ACTIVE", deletedAt: null, reviews: { none: { authorId: { in: userIds } } } },
      });

    describe("reviews", () => {
      it("writes a review and updates the product's rating in the same transaction", async () => {
        const { alice } = gw.users;
        const product = await unreviewedProduct([alice.id]);
        const payload = await mutate<{ review: ReviewNode }>(gw, createReview, {
          as: alice,
          variables: { input: { productId: product.id, rating: 5, body: "  Lovely.  " } },
        });
        expect(payload.userErrors).toEqual([]);
        expect(payload.review).toMatchObject({ rating: 5, body: "Lovely." });
        expect(payload.review.product).toEqual({ id: product.id, ...(await expectedRating(product.id)) });
        expect(payload.review.product.reviewCount).toBe(product.reviewCount + 1);
      });

      it("allows one review per customer and product", async () => {
        const { bob } = gw.users;
        const product = await unreviewedProduct([bob.id]);
        const input = { productId: product.id, rating: 4, body: "Good." };
        expect((await mutate(gw, createReview, { as: bob, variables: { input } })).userErrors).toEqual([]);
        const again = await mutate(gw, createReview, { as: bob, variables: { input } });
        expect(problems(again)).toEqual(["input.productId: CONFLICT"]);
        expect(await gw.db.prisma.review.count({ where: { productId: product.id, authorId: bob.id } })).toBe(1);
      });

      it("refuses invalid ratings and text, and products not on sale", async () => {
        const { alice } = gw.users;
        const product = await unreviewedProduct([alice.id]);
        const invalid = await mutate(gw, createReview, {
          as: alice,
          variables: { input: { productId: product.id, rating: 6, body: " " } },
        });
        expect(problems(invalid)).toEqual(["input.rating: OUT_OF_RANGE", "input.body: REQUIRED"]);
        const tooLong = await mutate(gw, createReview, {
          as: alice,
          variables: { input: { productId: product.id, rating: 3, body: "x".repeat(5001) } },
        });
        expect(problems(tooLong)).toEqual(["input.body: TOO_LONG"]);
        const draft = await gw.db.prisma.product.findFirstOrThrow({ where: { status: "DRAFT" } });
        const notOnSale = await mutate(gw, createReview, {
          as: alice,
          variables: { input: { productId: draft.id, rating: 3, body: "Hm." } },
        });
        expect(problems(notOnSale)).toEqual(["input.productId: NOT_FOUND"]);
      });

      it("lets authors edit and delete their own reviews only; admins may delete any", async () => {
        const { alice, bob, admin } = gw.users;
        const product = await unreviewedProduct([alice.id, bob.id]);
        const created = await mutate<{ review: ReviewNode }>(gw, createReview, {
          as: alice,
          variables: { input: { productId: product.id, rating: 2, body: "Meh." } },
        });
        const id = created.review.id;

        const byBob = await mutate(gw, updateReview, { as: bob, variables: { id, input: { rating: 1 } } });
        expect(problems(byBob)).toEqual(["id: NOT_FOUND"]);
        expect(problems(await mutate(gw, deleteReview, { as: bob, variables: { id } }))).toEqual(["id: NOT_FOUND"]);
        // Admins moderate by deleting; they do not put words in customers' mouths.
        expect(
          problems(await mutate(gw, updateReview, { as: admin, variables: { id, input: { rating: 5 } } })),
        ).toEqual(["id: NOT_FOUND"]);

        const edited = await mutate<{ review: ReviewNode }>(gw, updateReview, {
          as: alice,
          variables: { id, input: { rating: 4 } },
        });
        expect(edited.review).toMatchObject({ rating: 4, body: "Meh." });
        expect(edited.review.product).toEqual({ id: product.id, ...(await expectedRating(product.id)) });
        const nulls = await mutate(gw, updateReview, { as: alice, variables: { id, input: { rating: null } } });
        expect(problems(nulls)).toEqual(["input.rating: REQUIRED"]);

        const deleted = await mutate<{ deletedReviewId: string; product: ReviewNode["product"] }>(gw, deleteReview, {
          as: admin,
          variables: { id },
        });
        expect(deleted.deletedReviewId).toBe(id);
        expect(deleted.product).toEqual({ id: product.id, ...(await expectedRating(product.id)) });
        expect(await gw.db.prisma.review.findUnique({ where: { id } })).toBeNull();
        expect(problems(await mutate(gw, deleteReview, { as: alice, variables: { id } }))).toEqual(["id: NOT_FOUND"]);
      });

      it("needs a signed-in caller", async () => {
        const product = await unreviewedProduct([]);
        const variables = { input: { productId: product.id, rating: 5, body: "Anonymous praise" } };
        expect(await errorCode(gw, createReview, { variables })).toBe("UNAUTHENTICATED");
      });
    });

    describe("posts", () => {
      let serial = 0;
      const slug = () => `post-${backend.kind}-${++serial}`;
      const newPost = async () => {
        const payload = await mutate<{ post: PostNode }>(gw, createPost, {
          as: gw.users.alice,
          variables: { input: { title: " Hello ", slug: slug(), body: "First words." } },
        });
        expect(payload.userErrors).toEqual([]);
        return payload.post;
      };

      it("creates drafts, publishes and unpublishes them, refusing repeats", async () => {
        const { alice } = gw.users;
        const post = await newPost();
        expect(post).toMatchObject({ title: "Hello", status: "DRAFT", publishedAt: null, viewCount: 0 });
        const published = await mutate<{ post: PostNode }>(gw, byId("publishPost"), {
          as: alice,
          variables: { id: post.id },
        });
        expect(published.post.status).toBe("PUBLISHED");
        expect(published.post.publishedAt).not.toBeNull();
        const again = await mutate(gw, byId("publishPost"), { as: alice, variables: { id: post.id } });
        expect(problems(again)).toEqual(["id: INVALID_TRANSITION"]);
        const unpublished = await mutate<{ post: PostNode }>(gw, byId("unpublishPost"), {
          as: alice,
          variables: { id: post.id },
        });
        expect(unpublished.post).toMatchObject({ status: "DRAFT", publishedAt: null });
        expect(problems(await mutate(gw, byId("unpublishPost"), { as: alice, variables: { id: post.id } }))).toEqual([
          "id: INVALID_TRANSITION",
        ]);
      });

      it("validates input and refuses a taken slug", async () => {
        const { alice } = gw.users;
        const invalid = await mutate(gw, createPost, {
          as: alice,
          variables: { input: { title: "", slug: "Hello World", body: "x" } },
        });
        expect(problems(invalid)).toEqual(["input.title: REQUIRED", "input.slug: INVALID_FORMAT"]);
        const existing = await gw.db.prisma.post.findFirstOrThrow();
        const taken = await mutate(gw, createPost, {
          as: alice,
          variables: { input: { title: "T", slug: existing.slug, body: "x" } },
        });
        expect(problems(taken)).toEqual(["input.slug: TAKEN"]);
        const post = await newPost();
        const renamed = await mutate(gw, updatePost, {
          as: alice,
          variables: { id: post.id, input: { slug: existing.slug } },
        });
        expect(problems(renamed)).toEqual(["input.slug: TAKEN"]);
      });

      it("lets only the author change or delete a post", async () => {
        const { alice, bob, admin } = gw.users;
        const post = await newPost();
        for (const caller of [bob, admin]) {
          expect(
            problems(
              await mutate(gw, updatePost, { as: caller, variables: { id: post.id, input: { title: "Mine now" } } }),
            ),
          ).toEqual(["id: NOT_FOUND"]);
          expect(problems(await mutate(gw, byId("publishPost"), { as: caller, variables: { id: post.id } }))).toEqual([
            "id: NOT_FOUND",
          ]);
          const deleteByOther = await mutate(
            gw,
            `mutation($id: ID!) { deletePost(id: $id) { deletedPostId userErrors { field code message } } }`,
            { as: caller, variables: { id: post.id } },
          );
          expect(problems(deleteByOther)).toEqual(["id: NOT_FOUND"]);
        }
        expect(await errorCode(gw, updatePost, { variables: { id: post.id, input: { title: "x" } } })).toBe(
          "UNAUTHENTICATED",
        );
        const edited = await mutate<{ post: PostNode }>(gw, updatePost, {
          as: alice,
          variables: { id: post.id, input: { title: "Edited" } },
        });
        expect(edited.post.title).toBe("Edited");
        const deleted = await mutate(
          gw,
          `mutation($id: ID!) { deletePost(id: $id) { deletedPostId userErrors { field code message } } }`,
          { as: alice, variables: { id: post.id } },
        );
        expect(deleted).toEqual({ deletedPostId: post.id, userErrors: [] });
        expect(await gw.db.prisma.post.findUnique({ where: { id: post.id } })).toBeNull();
      });

      it("counts views of published posts for anyone, without touching updatedAt", async () => {
        const post = await gw.db.prisma.post.findFirstOrThrow({ where: { status: "PUBLISHED" } });
        const viewed = await mutate<{ post: PostNode }>(gw, byId("recordPostView"), { variables: { id: post.id } });
        expect(viewed.post.viewCount).toBe(post.viewCount + 1);
        const row = await gw.db.prisma.post.findUniqueOrThrow({ where: { id: post.id } });
        expect(row.updatedAt).toEqual(post.updatedAt);
        const draft = await gw.db.prisma.post.findFirstOrThrow({ where: { status: "DRAFT" } });
        const refused = await mutate(gw, byId("recordPostView", "id"), { variables: { id: draft.id } });
        expect(problems(refused)).toEqual(["id: NOT_FOUND"]);
        expect((await gw.db.prisma.post.findUniqueOrThrow({ where: { id: draft.id } })).viewCount).toBe(
          draft.viewCount,
        );
      });
    });
  });
}
