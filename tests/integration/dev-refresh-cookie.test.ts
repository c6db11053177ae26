// REFRESH_COOKIE_INSECURE_DEV: the browser sign-in flow on a plain-http development server. The default
// (`__Host-`, Secure) is covered in accounts.test.ts; production refuses this setting (tests/unit/config.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_ACCOUNTS, SEED_PASSWORD } from "../../src/seed/index.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

type Tokens = { accessToken: string | null; refreshToken: string | null; userErrors: { code: string }[] };

describe("refresh cookie with REFRESH_COOKIE_INSECURE_DEV=true (pglite)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", { seedScale: 0.02, env: { REFRESH_COOKIE_INSECURE_DEV: "true" } });
  });
  afterAll(() => gw?.close());

  it("sets refresh_token without Secure (still HttpOnly, SameSite=Strict) and reads it back", async () => {
    const signIn = await gw.graphql<{ login: Tokens }>(
      "mutation($email: String!, $password: String!) { login(input: { email: $email, password: $password, useCookie: true }) { accessToken refreshToken userErrors { code } } }",
      { variables: { email: SEED_ACCOUNTS.alice.email, password: SEED_PASSWORD } },
    );
    expect(signIn.data?.login.userErrors).toEqual([]);
    const setCookie = String(signIn.headers["set-cookie"]);
    expect(setCookie).toMatch(/^refresh_token=[A-Za-z0-9_-]{43};/);
    expect(setCookie).not.toMatch(/Secure/i);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);

    const cookie = setCookie.split(";")[0] as string;
    const renewed = await gw.graphql<{ refreshSession: Tokens }>(
      "mutation { refreshSession { accessToken refreshToken userErrors { code } } }",
      { headers: { cookie } },
    );
    expect(renewed.data?.refreshSession.userErrors).toEqual([]);
    expect(renewed.data?.refreshSession.accessToken).toEqual(expect.any(String));
    expect(String(renewed.headers["set-cookie"])).toMatch(/^refresh_token=/);
  });
});
