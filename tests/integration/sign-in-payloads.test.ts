// The payload of a sign-in mutation answers to the account just signed in to, although the request
// carried no access token: its own private fields resolve, other users' stay private. Driven once
// through a real Apollo Client over HTTP, as a browser app would, and otherwise through plain requests.
import { ApolloClient, gql, HttpLink, InMemoryCache } from "@apollo/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_PASSWORD } from "../../src/seed/index.js";
import { backends } from "../helpers/database.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

type SignedIn = {
  accessToken: string | null;
  refreshToken: string | null;
  user: { id: string; username: string; email: string | null; role: string | null } | null;
  userErrors: { code: string }[];
};

const payloadFields = "accessToken refreshToken user { id username email role } userErrors { code }";

for (const backend of backends) {
  describe.skipIf(backend.skip)(`sign-in payloads show the account's own fields (${backend.name})`, () => {
    let gw: TestGateway;
    let url: string;
    beforeAll(async () => {
      gw = await startTestGateway(backend.kind, { seedScale: 0.02 });
      url = `${await gw.gateway.app.listen({ host: "127.0.0.1", port: 0 })}/graphql`;
    });
    afterAll(() => gw?.close());

    it("Apollo Client: login selecting user { email role } resolves with data and no errors", async () => {
      const client = new ApolloClient({ link: new HttpLink({ uri: url }), cache: new InMemoryCache() });
      const LOGIN = gql`
        mutation Login($input: LoginInput!) {
          login(input: $input) {
            accessToken
            user {
              id
              email
              role
            }
            userErrors {
              code
            }
          }
        }
      `;
      // The default errorPolicy ("none") rejects on any GraphQL error, as an app's mutate() would.
      const result = await client.mutate<{
        login: { accessToken: string | null; user: { id: string; email: string; role: string } | null };
      }>({ mutation: LOGIN, variables: { input: { email: "alice@example.com", password: SEED_PASSWORD } } });

      expect(result.error).toBeUndefined();
      expect(result.data?.login.accessToken).toBeTruthy();
      expect(result.data?.login.user).toMatchObject({
        id: gw.users.alice.id,
        email: "alice@example.com",
        role: "USER",
      });
      client.stop();
    });

    it("register: the new account's e-mail, role, addresses and orders resolve", async () => {
      const response = await gw.graphql<{ register: SignedIn & { user: { addresses: unknown[] } } }>(
        `mutation($input: RegisterInput!) { register(input: $input) {
           accessToken user { email role addresses { id } orders(first: 1) { totalCount } } userErrors { code } } }`,
        {
          variables: {
            input: {
              email: "Newcomer@Example.com",
              username: "newcomer",
              name: "Nia",
              password: "tangerine-kayak-4417",
            },
          },
        },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.register.userErrors).toEqual([]);
      expect(response.data?.register.user).toEqual({
        email: "newcomer@example.com",
        role: "USER",
        addresses: [],
        orders: { totalCount: 0 },
      });
    });

    it("refreshSession: the account's e-mail and role resolve with the new tokens", async () => {
      const login = await gw.graphql<{ login: SignedIn }>(
        `mutation { login(input: { email: "bob@example.com", password: "${SEED_PASSWORD}" }) { ${payloadFields} } }`,
      );
      const refreshToken = login.data?.login.refreshToken;
      expect(refreshToken).toBeTruthy();

      const response = await gw.graphql<{ refreshSession: SignedIn }>(
        `mutation($input: RefreshSessionInput) { refreshSession(input: $input) { ${payloadFields} } }`,
        { variables: { input: { refreshToken } } },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.refreshSession.user).toEqual({
        id: gw.users.bob.id,
        username: "bob",
        email: "bob@example.com",
        role: "USER",
      });
    });

    it("other users' private fields stay denied in the same response, and the request stays anonymous", async () => {
      // The seed gives alice a published post; bob and the admin sign in and meet her as its author.
      const otherPost = await gw.db.prisma.post.findFirstOrThrow({
        where: { status: "PUBLISHED", authorId: gw.users.alice.id },
      });
      for (const [email, id] of [
        ["bob@example.com", gw.users.bob.id],
        // An admin signing in gains their own fields here, not the admin's view of everyone.
        ["admin@example.com", gw.users.admin.id],
      ] as const) {
        const response = await gw.graphql<{
          login: SignedIn;
          recordPostView: { post: { author: { id: string; email: string | null } } };
        }>(
          `mutation { login(input: { email: "${email}", password: "${SEED_PASSWORD}" }) { user { id email } }
             recordPostView(id: "${otherPost.id}") { post { author { id email } } } }`,
        );
        expect(response.data?.login.user).toEqual({ id, email });
        expect(response.data?.recordPostView.post.author).toEqual({ id: otherPost.authorId, email: null });
        expect(response.errors?.map((error) => [error.path?.join("."), error.extensions.code])).toEqual([
          ["recordPostView.post.author.email", "UNAUTHENTICATED"],
        ]);

        // Mutations that need an access token still do: signing in within the request gives none.
        const logout = await gw.graphql(
          `mutation { login(input: { email: "${email}", password: "${SEED_PASSWORD}" }) { accessToken }
             logout { revokedSessions } }`,
        );
        expect(logout.errors?.map((error) => [error.path?.join("."), error.extensions.code])).toEqual([
          ["logout", "UNAUTHENTICATED"],
        ]);
      }
    });
  });
}
