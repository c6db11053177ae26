// The authorization matrix: every rule, run as each kind of caller. Adding a field with a rule means
// adding a row here; tests/contract/permissions.test.ts makes sure no field is left without a rule.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

type Caller = "anonymous" | "owner" | "other" | "admin";
/** allow: a value comes back; null: no value and no error (hidden); a code: that error at `path`. */
type Outcome = "allow" | "null" | "UNAUTHENTICATED" | "FORBIDDEN";

type Fixtures = { aliceOrderId: string; bobDraftPostId: string; alicePublishedPostId: string };

type Row = {
  /** The field whose rule the row exercises, as `Type.field`. */
  field: string;
  /** Test title when it differs from `field`. */
  name?: string;
  query: string;
  variables?: (f: Fixtures) => Record<string, unknown>;
  /** Where in `data` the outcome shows. */
  path: (string | number)[];
  expect: Record<Caller, Outcome>;
  /** Whose data the row reads (default alice); "other" is then the remaining customer. */
  owner?: "alice" | "bob";
};

const onlyOwnerAndAdmin: Record<Caller, Outcome> = {
  anonymous: "UNAUTHENTICATED",
  owner: "allow",
  other: "FORBIDDEN",
  admin: "allow",
};
const everyone: Record<Caller, Outcome> = { anonymous: "allow", owner: "allow", other: "allow", admin: "allow" };
const adminOnly: Record<Caller, Outcome> = {
  anonymous: "UNAUTHENTICATED",
  owner: "FORBIDDEN",
  other: "FORBIDDEN",
  admin: "allow",
};

const matrix: Row[] = [
  {
    field: "Query.products",
    name: "Query.products (active)",
    query: "{ products(first: 1) { totalCount } }",
    path: ["products"],
    expect: everyone,
  },
  {
    field: "Query.products",
    name: "Query.products (drafts)",
    query: "{ products(first: 1, filter: { status: [DRAFT] }) { totalCount } }",
    path: ["products"],
    expect: adminOnly,
  },
  {
    field: "Query.categories",
    query: "{ categories { name } }",
    path: ["categories"],
    expect: everyone,
  },
  {
    field: "Query.users",
    query: "{ users(first: 1) { totalCount } }",
    path: ["users"],
    expect: adminOnly,
  },
  {
    field: "Query.failedJobs",
    query: "{ failedJobs(first: 1) { id kind attempts lastError } }",
    path: ["failedJobs"],
    expect: adminOnly,
  },
  {
    field: "Query.user",
    name: "User public profile",
    query: '{ user(username: "alice") { name } }',
    path: ["user", "name"],
    expect: everyone,
  },
  {
    field: "User.email",
    query: '{ user(username: "alice") { email } }',
    path: ["user", "email"],
    expect: onlyOwnerAndAdmin,
  },
  {
    field: "User.role",
    query: '{ user(username: "alice") { role } }',
    path: ["user", "role"],
    expect: onlyOwnerAndAdmin,
  },
  {
    field: "User.addresses",
    query: '{ user(username: "alice") { addresses { city } } }',
    path: ["user", "addresses"],
    expect: onlyOwnerAndAdmin,
  },
  {
    field: "User.emailVerified",
    query: '{ user(username: "alice") { emailVerified } }',
    path: ["user", "emailVerified"],
    expect: onlyOwnerAndAdmin,
  },
  {
    field: "User.sessions",
    query: '{ user(username: "alice") { sessions { id device ip lastUsedAt current } } }',
    path: ["user", "sessions"],
    // Where someone is signed in is theirs alone: admins are refused too.
    expect: { anonymous: "UNAUTHENTICATED", owner: "allow", other: "FORBIDDEN", admin: "FORBIDDEN" },
  },
  {
    field: "User.identities",
    query: '{ user(username: "alice") { identities { id provider email createdAt lastUsedAt } } }',
    path: ["user", "identities"],
    // Which providers sign in to an account is a map for attacking it: the account's own, like sessions.
    expect: { anonymous: "UNAUTHENTICATED", owner: "allow", other: "FORBIDDEN", admin: "FORBIDDEN" },
  },
  {
    field: "User.orders",
    query: '{ user(username: "alice") { orders(first: 1) { totalCount } } }',
    path: ["user", "orders"],
    expect: onlyOwnerAndAdmin,
  },
  {
    field: "Query.order",
    query: "query($id: ID!) { order(id: $id) { id totalCents items { quantity } } }",
    variables: (f) => ({ id: f.aliceOrderId }),
    path: ["order"],
    // Another customer learns nothing: not even that the order exists.
    expect: { anonymous: "UNAUTHENTICATED", owner: "allow", other: "null", admin: "allow" },
  },
  {
    field: "Query.post",
    name: "Query.post (draft)",
    query: "query($id: ID!) { post(id: $id) { title } }",
    variables: (f) => ({ id: f.bobDraftPostId }),
    path: ["post"],
    owner: "bob",
    expect: { anonymous: "null", owner: "allow", other: "null", admin: "allow" },
  },
  {
    field: "Query.post",
    name: "Query.post (published)",
    query: "query($id: ID!) { post(id: $id) { title author { username } } }",
    variables: (f) => ({ id: f.alicePublishedPostId }),
    path: ["post"],
    expect: everyone,
  },
  {
    field: "User.email",
    name: "Review.author.email (someone else's contact details through a relation)",
    query:
      "{ products(first: 1, sort: RATING) { edges { node { reviews(first: 1) { edges { node { author { email } } } } } } } }",
    path: ["products", "edges", 0, "node", "reviews", "edges", 0, "node", "author", "email"],
    expect: { anonymous: "UNAUTHENTICATED", owner: "FORBIDDEN", other: "FORBIDDEN", admin: "allow" },
  },
  // Open to everyone; what each caller sees through them is tested type by type in node.test.ts.
  {
    field: "Query.node",
    query: "query($id: ID!) { node(id: $id) { id } }",
    variables: (f) => ({ id: f.aliceOrderId }),
    path: ["node"],
    // Like `order`, but anonymous callers too just find nothing.
    expect: { anonymous: "null", owner: "allow", other: "null", admin: "allow" },
  },
  {
    field: "Query.nodes",
    query: "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
    variables: (f) => ({ ids: [f.bobDraftPostId] }),
    path: ["nodes", 0],
    owner: "bob",
    expect: { anonymous: "null", owner: "allow", other: "null", admin: "allow" },
  },
  {
    field: "Query.me",
    query: "{ me { username } }",
    path: ["me"],
    expect: { ...everyone, anonymous: "null" },
  },
  {
    field: "Query.rateLimit",
    query: "{ rateLimit { requestedQueryCost currentlyAvailable } }",
    path: ["rateLimit"],
    expect: everyone,
  },
  {
    field: "Query.product",
    query: '{ product(slug: "no-such-product") { id } }',
    path: ["product"],
    expect: { anonymous: "null", owner: "null", other: "null", admin: "null" },
  },
  {
    field: "Query.category",
    query: '{ category(slug: "nope") { id } }',
    path: ["category"],
    expect: { anonymous: "null", owner: "null", other: "null", admin: "null" },
  },
  {
    field: "Query.posts",
    query: "{ posts(first: 1) { totalCount } }",
    path: ["posts"],
    expect: everyone,
  },
  // Account mutations: public ones are tried with input they refuse (a payload with userErrors is "allowed").
  ...(
    [
      [
        "register",
        '{ register(input: { email: "x", username: "x", name: "", password: "x" }) { userErrors { code } } }',
      ],
      [
        "login",
        '{ login(input: { email: "nobody@example.com", password: "nothing-at-all-1" }) { userErrors { code } } }',
      ],
      ["refreshSession", '{ refreshSession(input: { refreshToken: "unknown" }) { userErrors { code } } }'],
      ["requestPasswordReset", '{ requestPasswordReset(input: { email: "ghost@example.com" }) { success } }'],
      ["resetPassword", '{ resetPassword(input: { token: "unknown", newPassword: "whatever-it-is-9" }) { success } }'],
      ["verifyEmail", '{ verifyEmail(input: { token: "unknown" }) { success userErrors { code } } }'],
      [
        "loginWithIdToken",
        '{ loginWithIdToken(input: { provider: "nobody", idToken: "x", nonce: "short" }) { userErrors { code } } }',
      ],
    ] as const
  ).map(
    ([field, selection]): Row => ({
      field: `Mutation.${field}`,
      query: `mutation ${selection}`,
      path: [field],
      expect: everyone,
    }),
  ),
  ...(
    [
      ["logout", "{ logout { revokedSessions } }"],
      [
        "changePassword",
        '{ changePassword(input: { currentPassword: "wrong-one-entirely", newPassword: "whatever-it-is-9" }) { success } }',
      ],
      ["updateMe", "{ updateMe(input: {}) { user { id } } }"],
      ["deleteMe", '{ deleteMe(input: { password: "wrong-one-entirely" }) { success } }'],
      ["logoutAll", "{ logoutAll { revokedSessions } }"],
      ["revokeSession", '{ revokeSession(id: "x") { revokedSessions userErrors { code } } }'],
      [
        "linkIdentity",
        '{ linkIdentity(input: { provider: "nobody", idToken: "x", nonce: "short" }) { identity { id } userErrors { code } } }',
      ],
      ["unlinkIdentity", '{ unlinkIdentity(id: "x") { success userErrors { code } } }'],
    ] as const
  ).map(
    ([field, selection]): Row => ({
      field: `Mutation.${field}`,
      query: `mutation ${selection}`,
      path: [field],
      expect: { ...everyone, anonymous: "UNAUTHENTICATED" },
    }),
  ),
  // Write API: each tried with input it refuses (a malformed id, an invalid input), so the row proves who
  // gets through to the resolver (a payload with userErrors is "allowed") without changing any data.
  ...(
    [
      ["createCategory", '{ createCategory(input: { name: "", slug: "-" }) { userErrors { code } } }'],
      ["updateCategory", '{ updateCategory(id: "x", input: {}) { userErrors { code } } }'],
      ["deleteCategory", '{ deleteCategory(id: "x") { userErrors { code } } }'],
      [
        "createProduct",
        '{ createProduct(input: { name: "", slug: "-", priceCents: -1, categoryId: "x" }) { userErrors { code } } }',
      ],
      ["updateProduct", '{ updateProduct(id: "x", input: {}) { userErrors { code } } }'],
      ["archiveProduct", '{ archiveProduct(id: "x") { userErrors { code } } }'],
      ["deleteProduct", '{ deleteProduct(id: "x") { userErrors { code } } }'],
      ["updateOrderStatus", '{ updateOrderStatus(id: "x", status: PAID) { userErrors { code } } }'],
      ["retryJob", '{ retryJob(kind: "mail.welcome", id: "x") { retried userErrors { code } } }'],
      [
        "attachProductImage",
        '{ attachProductImage(input: { productId: "x", uploadId: "x" }) { userErrors { code } } }',
      ],
      ["updateProductImage", '{ updateProductImage(id: "x", input: {}) { userErrors { code } } }'],
      ["removeProductImage", '{ removeProductImage(id: "x") { userErrors { code } } }'],
    ] as const
  ).map(
    ([field, selection]): Row => ({
      field: `Mutation.${field}`,
      query: `mutation ${selection}`,
      path: [field],
      expect: adminOnly,
    }),
  ),
  ...(
    [
      ["createReview", '{ createReview(input: { productId: "x", rating: 0, body: "" }) { userErrors { code } } }'],
      ["updateReview", '{ updateReview(id: "x", input: {}) { userErrors { code } } }'],
      ["deleteReview", '{ deleteReview(id: "x") { userErrors { code } } }'],
      [
        "createAddress",
        '{ createAddress(input: { recipient: "", line1: "", city: "", postalCode: "", country: "" }) { userErrors { code } } }',
      ],
      ["updateAddress", '{ updateAddress(id: "x", input: {}) { userErrors { code } } }'],
      ["setDefaultAddress", '{ setDefaultAddress(id: "x") { userErrors { code } } }'],
      ["deleteAddress", '{ deleteAddress(id: "x") { userErrors { code } } }'],
      ["createPost", '{ createPost(input: { title: "", slug: "-", body: "" }) { userErrors { code } } }'],
      ["updatePost", '{ updatePost(id: "x", input: {}) { userErrors { code } } }'],
      ["publishPost", '{ publishPost(id: "x") { userErrors { code } } }'],
      ["unpublishPost", '{ unpublishPost(id: "x") { userErrors { code } } }'],
      ["deletePost", '{ deletePost(id: "x") { userErrors { code } } }'],
      [
        "placeOrder",
        '{ placeOrder(input: { items: [], addressId: "x", idempotencyKey: "-" }) { userErrors { code } } }',
      ],
      ["cancelOrder", '{ cancelOrder(id: "x") { userErrors { code } } }'],
      [
        "createUpload",
        '{ createUpload(input: { purpose: AVATAR, contentType: "image/svg+xml", byteSize: 1, checksum: "-" }) { userErrors { code } } }',
      ],
      ["setAvatar", '{ setAvatar(uploadId: "x") { userErrors { code } } }'],
    ] as const
  ).map(
    ([field, selection]): Row => ({
      field: `Mutation.${field}`,
      query: `mutation ${selection}`,
      path: [field],
      expect: { ...everyone, anonymous: "UNAUTHENTICATED" },
    }),
  ),
  {
    field: "Mutation.recordPostView",
    query: 'mutation { recordPostView(id: "x") { userErrors { code } } }',
    path: ["recordPostView"],
    expect: everyone,
  },
];

/** Object fields whose rule is more than `allow`: each needs a row above too. */
const sensitiveFields = [
  "User.email",
  "User.emailVerified",
  "User.role",
  "User.addresses",
  "User.orders",
  "User.sessions",
  "User.identities",
];

describe("authorization matrix coverage", () => {
  it("has a row for every root field and every sensitive object field", async () => {
    const { buildTypeSchema } = await import("../../src/schema.js");
    const schema = await buildTypeSchema();
    const rootFields = [schema.getQueryType(), schema.getMutationType()].flatMap((type) =>
      type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
    );
    const covered = new Set(matrix.map((row) => row.field));
    expect([...rootFields, ...sensitiveFields].filter((field) => !covered.has(field))).toEqual([]);
  });
});

const valueAt = (data: unknown, path: (string | number)[]) =>
  path.reduce<unknown>(
    (value, key) => (value == null ? value : (value as Record<string | number, unknown>)[key]),
    data,
  );

for (const backend of backends) {
  describe.skipIf(backend.skip)(`authorization matrix (${backend.name})`, () => {
    let gw: TestGateway;
    let fixtures: Fixtures;
    beforeAll(async () => {
      gw = await startTestGateway(backend.kind);
      const { alice, bob } = gw.users;
      const [aliceOrder, bobDraft, alicePost] = await Promise.all([
        gw.db.prisma.order.findFirstOrThrow({ where: { userId: alice.id } }),
        gw.db.prisma.post.findFirstOrThrow({ where: { authorId: bob.id, status: "DRAFT" } }),
        gw.db.prisma.post.findFirstOrThrow({ where: { authorId: alice.id, status: "PUBLISHED" } }),
      ]);
      fixtures = { aliceOrderId: aliceOrder.id, bobDraftPostId: bobDraft.id, alicePublishedPostId: alicePost.id };
    });
    afterAll(() => gw?.close());

    const callerFor = (caller: Caller, owner: "alice" | "bob") => {
      const { alice, bob, admin } = gw.users;
      const [ownerUser, otherUser] = owner === "alice" ? [alice, bob] : [bob, alice];
      return { anonymous: undefined, owner: ownerUser, other: otherUser, admin }[caller];
    };

    for (const row of matrix) {
      for (const caller of ["anonymous", "owner", "other", "admin"] as const) {
        const expected = row.expect[caller];
        it(`${row.name ?? row.field} as ${caller}: ${expected}`, async () => {
          const as = callerFor(caller, row.owner ?? "alice");
          const response = await gw.graphql(row.query, { variables: row.variables?.(fixtures), as });
          const value = valueAt(response.data, row.path);
          const errorHere = response.errors?.find((error) => JSON.stringify(error.path) === JSON.stringify(row.path));
          if (expected === "allow") {
            expect(response.errors).toBeUndefined();
            expect(value).not.toBeNull();
            expect(value).not.toBeUndefined();
          } else if (expected === "null") {
            expect(response.errors).toBeUndefined();
            expect(value).toBeNull();
          } else {
            expect(errorHere?.extensions.code).toBe(expected);
            expect(value ?? null).toBeNull();
          }
        });
      }
    }

    it("lists only published posts to others, and a user's own drafts to them", async () => {
      const drafts =
        "{ posts(first: 100, filter: { status: DRAFT }) { totalCount edges { node { author { username } } } } }";
      type Drafts = { posts: { totalCount: number; edges: { node: { author: { username: string } } }[] } };
      const asBob = await gw.graphql<Drafts>(drafts, { as: gw.users.bob });
      const authors = asBob.data?.posts.edges.map((edge) => edge.node.author.username) ?? [];
      expect(authors.length).toBeGreaterThan(0); // the seed gives bob a draft
      expect(new Set(authors)).toEqual(new Set(["bob"]));
      expect(asBob.data?.posts.totalCount).toBe(authors.length); // the count cannot leak others' drafts
      const anonymous = await gw.graphql<Drafts>(drafts);
      expect(anonymous.data?.posts.totalCount).toBe(0);
      const admin = await gw.graphql<Drafts>(drafts, { as: gw.users.admin });
      expect(admin.data?.posts.totalCount).toBeGreaterThan(authors.length);
    });
  });
}
