// Social sign-in (OpenID Connect) against a real provider run by the test (tests/helpers/oidc-idp.ts): the
// browser code flow end to end through /auth/oidc/:provider/{start,callback}, following every redirect with
// a cookie jar per site; ID-token sign-in for mobile apps; linking and unlinking; and the attacks, each
// refused with its stable code. On both backends, like the other integration suites.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_PASSWORD } from "../../src/seed/index.js";
import { backends } from "../helpers/database.js";
import { type GraphQLResponse, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { startTestIdp, type TestIdp } from "../helpers/oidc-idp.js";

const GATEWAY = "http://gateway.test";
const SPA = "http://spa.test/signed-in";
const CLIENT = { clientId: "gateway-test", clientSecret: "gateway-test-secret-0123456789" };
const REFRESH_COOKIE = "__Host-refresh_token";
const STATE_COOKIE = "__Host-oidc_state";

type UserErrors = { field: string[] | null; code: string }[];
type Auth = { accessToken: string | null; user: { id: string } | null; userErrors: UserErrors };

/** Cookies of one site, as a browser keeps them (path and expiry aside: deletions are honoured). */
class CookieJar {
  readonly cookies = new Map<string, string>();
  store(setCookie: string | string[] | undefined) {
    for (const line of typeof setCookie === "string" ? [setCookie] : (setCookie ?? [])) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = "", val = ""] = attribute.split("=").map((part) => part.trim());
        return (
          (key.toLowerCase() === "max-age" && Number(val) <= 0) ||
          (key.toLowerCase() === "expires" && Date.parse(val) <= Date.now())
        );
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

for (const backend of backends) {
  describe.skipIf(backend.skip)(`social sign-in with OpenID Connect (${backend.name})`, () => {
    let gw: TestGateway;
    let idp: TestIdp;
    /** A second provider that keeps the e-mail out of the ID token (UserInfo only), as the spec's default. */
    let strictIdp: TestIdp;
    beforeAll(async () => {
      idp = await startTestIdp({ ...CLIENT, redirectUri: `${GATEWAY}/auth/oidc/test/callback` });
      strictIdp = await startTestIdp(
        { ...CLIENT, redirectUri: `${GATEWAY}/auth/oidc/strict/callback` },
        { claimsAtUserInfoOnly: true },
      );
      gw = await startTestGateway(backend.kind, {
        seedScale: 0.02,
        env: {
          // `down` names a provider nobody answers for (port 9, discard, is closed on loopback).
          OIDC_PROVIDERS: JSON.stringify({
            test: { issuer: idp.issuer, ...CLIENT },
            down: { issuer: "http://127.0.0.1:9", ...CLIENT },
            strict: { issuer: strictIdp.issuer, ...CLIENT },
          }),
          OIDC_REDIRECT_BASE: GATEWAY,
          OIDC_SUCCESS_URL: SPA,
        },
      });
    });
    afterAll(async () => {
      await gw?.close();
      await idp?.close();
      await strictIdp?.close();
    });

    const call = <Data = Record<string, unknown>>(
      query: string,
      variables?: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) => gw.graphql<Data>(query, { variables, headers });
    const ok = <Data>(response: GraphQLResponse<Data>) => {
      expect(response.errors).toBeUndefined();
      return response.data as Data;
    };
    const bearer = (token: string | null) => ({ authorization: `Bearer ${token}` });
    const authFields = "accessToken user { id } userErrors { field code }";

    let counter = 0;
    /** A provider account the test IdP knows; unique per call. */
    const idpAccount = (claims: { email?: string; email_verified?: boolean } = {}) => {
      counter++;
      const sub = `${backend.name}-sub-${counter}`;
      idp.accounts.set(sub, {
        sub,
        email: `social${counter}-${backend.kind}@example.com`,
        email_verified: true,
        name: `Social User ${counter}`,
        preferred_username: `social_${counter}`,
        ...claims,
      });
      return sub;
    };
    const nonce = () => `nonce-${crypto.randomUUID()}`;

    const loginWithIdToken = async (idToken: string, tokenNonce: string, provider = "test") =>
      ok(
        await call<{ loginWithIdToken: Auth }>(
          `mutation($input: LoginWithIdTokenInput!) { loginWithIdToken(input: $input) { ${authFields} } }`,
          { input: { provider, idToken, nonce: tokenNonce } },
        ),
      ).loginWithIdToken;
    const me = async (token: string | null) =>
      ok(
        await call<{
          me: { id: string; email: string; emailVerified: boolean; identities: { id: string; provider: string }[] };
        }>("{ me { id email emailVerified identities { id provider email } } }", {}, bearer(token)),
      ).me;

    /**
     * A browser's trip: `/start` on the gateway, the provider's pages, the callback, the SPA. Gateway URLs
     * are injected into the gateway; the provider's are fetched over HTTP. Returns where it landed and
     * every URL on the way.
     */
    let trips = 0;
    const browserSignIn = async (
      sub: string,
      gatewayJar = new CookieJar(),
      start = "/auth/oidc/test/start",
      provider: TestIdp = idp,
    ) => {
      provider.loginAs(sub);
      // Each trip from an address of its own, as different people would: the endpoints' per-address limit
      // (tested below) is then never what a test meets.
      const remoteAddress = `198.51.100.${++trips}`;
      const idpJar = new CookieJar();
      const visited: URL[] = [];
      let url = new URL(`${GATEWAY}${start}`);
      for (let hop = 0; hop < 20; hop++) {
        visited.push(url);
        if (url.origin === new URL(SPA).origin) return { landing: url, visited, gatewayJar };
        let status: number;
        let location: string | null;
        if (url.origin === GATEWAY) {
          const response = await gw.gateway.app.inject({
            method: "GET",
            url: url.pathname + url.search,
            headers: { cookie: gatewayJar.header() },
            remoteAddress,
          });
          gatewayJar.store(response.headers["set-cookie"]);
          status = response.statusCode;
          location = (response.headers.location as string | undefined) ?? null;
        } else {
          const response = await fetch(url, { redirect: "manual", headers: { cookie: idpJar.header() } });
          idpJar.store(response.headers.getSetCookie());
          status = response.status;
          location = response.headers.get("location");
        }
        if (status < 300 || status > 399 || !location) throw new Error(`${url} answered ${status}, not a redirect`);
        url = new URL(location, url);
      }
      throw new Error("too many redirects");
    };
    const refreshWithCookie = async (jar: CookieJar) =>
      ok(
        await call<{ refreshSession: Auth }>(
          `mutation { refreshSession { ${authFields} } }`,
          {},
          { cookie: `${REFRESH_COOKIE}=${jar.cookies.get(REFRESH_COOKIE)}` },
        ),
      ).refreshSession;

    describe("browser: authorization code flow with PKCE", () => {
      it("signs in end to end: a new account without a password, the refresh cookie set, nothing secret in URLs", async () => {
        const sub = idpAccount();
        const { landing, visited, gatewayJar } = await browserSignIn(sub);
        expect(landing.toString()).toBe(SPA);
        // PKCE (S256), state and nonce went to the provider.
        const authorize = visited.find((url) => url.origin === idp.issuer && url.searchParams.has("code_challenge"));
        expect(authorize?.searchParams.get("code_challenge_method")).toBe("S256");
        expect(authorize?.searchParams.get("state")).toMatch(/^[\w-]{20,}$/);
        expect(authorize?.searchParams.get("nonce")).toMatch(/^[\w-]{20,}$/);
        // The session is the refresh cookie; the state cookie is gone.
        expect(gatewayJar.cookies.get(REFRESH_COOKIE)).toMatch(/^[\w-]{40,}$/);
        expect(gatewayJar.cookies.has(STATE_COOKIE)).toBe(false);

        const refreshed = await refreshWithCookie(gatewayJar);
        expect(refreshed.userErrors).toEqual([]);
        const account = await me(refreshed.accessToken);
        expect(account.email).toBe(idp.accounts.get(sub)?.email);
        expect(account.emailVerified).toBe(true);
        expect(account.identities).toEqual([expect.objectContaining({ provider: "test" })]);
        const row = await gw.db.prisma.user.findUniqueOrThrow({ where: { id: account.id } });
        expect(row.passwordHash).toBeNull();

        // The same provider account signs in to the same account next time.
        const again = await browserSignIn(sub);
        expect((await me((await refreshWithCookie(again.gatewayJar)).accessToken)).id).toBe(account.id);
      });

      it("reads the e-mail from the UserInfo endpoint when the ID token does not carry it", async () => {
        counter++;
        const sub = `${backend.name}-strict-${counter}`;
        const email = `strict${counter}-${backend.kind}@example.com`;
        strictIdp.accounts.set(sub, { sub, email, email_verified: true, name: "Strict Sam" });
        const { landing, gatewayJar } = await browserSignIn(sub, new CookieJar(), "/auth/oidc/strict/start", strictIdp);
        expect(landing.toString()).toBe(SPA);
        const account = await me((await refreshWithCookie(gatewayJar)).accessToken);
        expect(account).toMatchObject({ email, emailVerified: true, identities: [{ provider: "strict" }] });
      });

      it("refuses a replayed state, even with the state cookie, and a callback this browser did not start", async () => {
        const sub = idpAccount();
        const { visited } = await browserSignIn(sub);
        const callback = visited.find((url) => url.pathname === "/auth/oidc/test/callback");
        const state = callback?.searchParams.get("state") ?? "";
        expect(state).not.toBe("");
        const replay = await gw.gateway.app.inject({
          method: "GET",
          url: `${callback?.pathname}${callback?.search}`,
          headers: { cookie: `${STATE_COOKIE}=${state}` },
        });
        expect(replay.statusCode).toBe(303);
        expect(replay.headers.location).toBe(`${SPA}?error=INVALID_TOKEN`);
        expect(replay.headers["set-cookie"]?.toString()).not.toContain(`${REFRESH_COOKIE}=`);
        // Refused for the used state, before the code went to the provider (which would refuse it too).
        const refusal = gw.logs.findLast((line) => line.event === "oidc_callback_refused");
        expect(refusal?.reason).toBe("state unknown, used or expired");

        // Login CSRF: a callback arriving without the state cookie of the browser that started it.
        const jar = new CookieJar();
        const start = await gw.gateway.app.inject({ method: "GET", url: "/auth/oidc/test/start" });
        jar.store(start.headers["set-cookie"]);
        const freshState = new URL(start.headers.location as string).searchParams.get("state");
        const forged = await gw.gateway.app.inject({
          method: "GET",
          url: `/auth/oidc/test/callback?code=attackers-code&state=${freshState}`,
        });
        expect(forged.headers.location).toBe(`${SPA}?error=INVALID_TOKEN`);
        const notThisBrowser = "state missing or not this browser's";
        expect(gw.logs.findLast((line) => line.event === "oidc_callback_refused")?.reason).toBe(notThisBrowser);
        // Nor with another value in the cookie.
        const mismatched = await gw.gateway.app.inject({
          method: "GET",
          url: `/auth/oidc/test/callback?code=attackers-code&state=${freshState}`,
          headers: { cookie: `${STATE_COOKIE}=somebody-elses-state-value` },
        });
        expect(mismatched.headers.location).toBe(`${SPA}?error=INVALID_TOKEN`);
        expect(gw.logs.findLast((line) => line.event === "oidc_callback_refused")?.reason).toBe(notThisBrowser);
      });

      it("lands with INVALID_TOKEN when the user cancels at the provider, and the state is used up", async () => {
        const jar = new CookieJar();
        const start = await gw.gateway.app.inject({ method: "GET", url: "/auth/oidc/test/start" });
        jar.store(start.headers["set-cookie"]);
        const state = new URL(start.headers.location as string).searchParams.get("state") ?? "";
        const cancelled = `/auth/oidc/test/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(idp.issuer)}`;
        const response = await gw.gateway.app.inject({
          method: "GET",
          url: cancelled,
          headers: { cookie: jar.header() },
        });
        expect(response.headers.location).toBe(`${SPA}?error=INVALID_TOKEN`);
        expect(gw.logs.findLast((line) => line.event === "oidc_callback_refused")?.reason).toMatch(/access_denied/);
      });

      it("does not take over an existing account when the provider has not verified the e-mail", async () => {
        const existing = await gw.db.prisma.user.update({
          where: { id: gw.users.alice.id },
          data: { emailVerified: true },
        });
        const sub = idpAccount({ email: existing.email, email_verified: false });
        const { landing } = await browserSignIn(sub);
        expect(landing.toString()).toBe(`${SPA}?error=EMAIL_NOT_VERIFIED`);
        expect(await gw.db.prisma.identity.count({ where: { userId: existing.id } })).toBe(0);
      });

      it("links a provider account to the browser's signed-in account with ?link=true, never to another's", async () => {
        const bob = await gw.db.prisma.user.findUniqueOrThrow({ where: { id: gw.users.bob.id } });
        const login = await gw.gateway.app.inject({
          method: "POST",
          url: "/graphql",
          headers: { "content-type": "application/json" },
          payload: JSON.stringify({
            query: "mutation($input: LoginInput!) { login(input: $input) { userErrors { code } } }",
            variables: { input: { email: bob.email, password: SEED_PASSWORD, useCookie: true } },
          }),
        });
        const jar = new CookieJar();
        jar.store(login.headers["set-cookie"]);
        const session = jar.cookies.get(REFRESH_COOKIE);
        expect(session).toBeDefined();
        // Unverified e-mail at the provider: linking does not care, the signed-in owner vouches for it.
        const sub = idpAccount({ email: "elsewhere@example.org", email_verified: false });
        const { landing } = await browserSignIn(sub, jar, "/auth/oidc/test/start?link=true");
        expect(landing.toString()).toBe(`${SPA}?linked=test`);
        // No new session: the browser keeps the one it had.
        expect(jar.cookies.get(REFRESH_COOKIE)).toBe(session);
        const linked = await gw.db.prisma.identity.findMany({ where: { userId: bob.id } });
        expect(linked.map((identity) => identity.subject)).toEqual([sub]);

        // The same provider account, linked from another signed-in browser: TAKEN, and it stays bob's.
        const otherSub = idpAccount();
        const n = nonce();
        const other = await gw.gateway.app.inject({
          method: "POST",
          url: "/graphql",
          headers: { "content-type": "application/json" },
          payload: JSON.stringify({
            query:
              "mutation($input: LoginWithIdTokenInput!) { loginWithIdToken(input: $input) { user { id } userErrors { code } } }",
            variables: {
              input: {
                provider: "test",
                idToken: await idp.signIdToken({
                  sub: otherSub,
                  nonce: n,
                  email: `${otherSub}@example.com`,
                  email_verified: true,
                }),
                nonce: n,
                useCookie: true,
              },
            },
          }),
        });
        expect(other.json().data.loginWithIdToken.user.id).not.toBe(bob.id);
        const otherJar = new CookieJar();
        otherJar.store(other.headers["set-cookie"]);
        expect(otherJar.cookies.has(REFRESH_COOKIE)).toBe(true);
        const again = await browserSignIn(sub, otherJar, "/auth/oidc/test/start?link=true");
        expect(again.landing.toString()).toBe(`${SPA}?error=TAKEN`);
        expect(await gw.db.prisma.identity.count({ where: { subject: sub, userId: bob.id } })).toBe(1);

        // Linking needs a live session in the browser.
        const anonymous = await gw.gateway.app.inject({ method: "GET", url: "/auth/oidc/test/start?link=true" });
        expect(anonymous.headers.location).toBe(`${SPA}?error=INVALID_TOKEN`);
      });

      it("limits the endpoints per client address (429 RATE_LIMITED with Retry-After)", async () => {
        const from = { remoteAddress: "203.0.113.77" };
        const statuses: number[] = [];
        for (let call = 0; call < 30; call++) {
          const response = await gw.gateway.app.inject({ method: "GET", url: "/auth/oidc/test/callback", ...from });
          statuses.push(response.statusCode);
        }
        expect(new Set(statuses)).toEqual(new Set([303]));
        const refused = await gw.gateway.app.inject({ method: "GET", url: "/auth/oidc/test/start", ...from });
        expect(refused.statusCode).toBe(429);
        expect(refused.json().errors[0].extensions.code).toBe("RATE_LIMITED");
        expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
        // Others are not affected.
        expect((await gw.gateway.app.inject({ method: "GET", url: "/auth/oidc/test/start" })).statusCode).toBe(303);
      });

      it("answers an unknown provider with NOT_FOUND", async () => {
        const response = await gw.gateway.app.inject({ method: "GET", url: "/auth/oidc/nobody/start" });
        expect(response.statusCode).toBe(404);
        expect(response.json().errors[0].extensions.code).toBe("NOT_FOUND");
      });
    });

    describe("mobile: loginWithIdToken", () => {
      it("signs in with a valid ID token; the same subject finds the same account", async () => {
        const sub = idpAccount();
        const n = nonce();
        const first = await loginWithIdToken(
          await idp.signIdToken({ sub, email: `${sub}@example.com`, email_verified: true, nonce: n }),
          n,
        );
        expect(first.userErrors).toEqual([]);
        expect(first.accessToken).toEqual(expect.any(String));
        const n2 = nonce();
        const second = await loginWithIdToken(await idp.signIdToken({ sub, nonce: n2 }), n2);
        expect(second.user?.id).toBe(first.user?.id);

        // The account has no password: password login fails cleanly, the same way as a wrong password.
        const login = ok(
          await call<{ login: Auth }>(`mutation($input: LoginInput!) { login(input: $input) { ${authFields} } }`, {
            input: { email: `${sub}@example.com`, password: "any-password-at-all-1" },
          }),
        ).login;
        expect(login.userErrors).toEqual([{ field: null, code: "INVALID_CREDENTIALS" }]);
      });

      it("creates an account with an unverified e-mail when the provider did not vouch for it, and mails a link", async () => {
        const sub = idpAccount();
        const email = `${sub}@example.com`;
        const n = nonce();
        const result = await loginWithIdToken(
          await idp.signIdToken({ sub, email, email_verified: false, nonce: n }),
          n,
        );
        expect(result.userErrors).toEqual([]);
        expect((await me(result.accessToken)).emailVerified).toBe(false);
        const kinds = await gw.db.prisma.emailOutbox.findMany({ where: { to: email }, select: { kind: true } });
        expect(kinds.map((mail) => mail.kind).sort()).toEqual(["email-verification", "welcome"]);
        // A vouched-for address needs no link.
        const verifiedSub = idpAccount();
        const m = nonce();
        await loginWithIdToken(
          await idp.signIdToken({
            sub: verifiedSub,
            email: `${verifiedSub}@example.com`,
            email_verified: true,
            nonce: m,
          }),
          m,
        );
        const verifiedKinds = await gw.db.prisma.emailOutbox.findMany({
          where: { to: `${verifiedSub}@example.com` },
          select: { kind: true },
        });
        expect(verifiedKinds.map((mail) => mail.kind)).toEqual(["welcome"]);
      });

      it("refuses the identity of a closed account with INVALID_CREDENTIALS", async () => {
        const sub = idpAccount();
        let n = nonce();
        const first = await loginWithIdToken(
          await idp.signIdToken({ sub, email: `${sub}@example.com`, email_verified: true, nonce: n }),
          n,
        );
        await gw.db.prisma.user.update({ where: { id: first.user?.id }, data: { deletedAt: new Date() } });
        n = nonce();
        const again = await loginWithIdToken(await idp.signIdToken({ sub, nonce: n }), n);
        expect(again.userErrors).toEqual([{ field: null, code: "INVALID_CREDENTIALS" }]);
      });

      it("refuses a replayed ID token: each nonce signs in once", async () => {
        const sub = idpAccount();
        const n = nonce();
        const idToken = await idp.signIdToken({ sub, email: `${sub}@example.com`, email_verified: true, nonce: n });
        expect((await loginWithIdToken(idToken, n)).userErrors).toEqual([]);
        const replay = await loginWithIdToken(idToken, n);
        expect(replay.accessToken).toBeNull();
        expect(replay.userErrors).toEqual([{ field: ["input", "idToken"], code: "INVALID_TOKEN" }]);
        expect(gw.logs.findLast((line) => line.event === "id_token_refused")?.reason).toBe(
          "nonce already used (a replayed ID token)",
        );
      });

      it.each([
        ["a wrong nonce", { nonce: "not-the-nonce-we-sent" }, {}],
        ["a wrong audience", { aud: "another-client" }, {}],
        [
          "an expired token",
          { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 },
          {},
        ],
        ["a token from another issuer", { iss: "https://accounts.example.org" }, {}],
        ["a token signed with a key the provider does not publish", {}, { otherKey: true }],
      ])("refuses %s with INVALID_TOKEN and creates nothing", async (_name, claims, options) => {
        const sub = idpAccount();
        const n = nonce();
        const idToken = await idp.signIdToken(
          { sub, email: `${sub}@example.com`, email_verified: true, nonce: n, ...claims },
          options,
        );
        const result = await loginWithIdToken(idToken, n);
        expect(result.accessToken).toBeNull();
        expect(result.userErrors).toEqual([{ field: ["input", "idToken"], code: "INVALID_TOKEN" }]);
        expect(await gw.db.prisma.identity.count({ where: { subject: sub } })).toBe(0);
        expect(await gw.db.prisma.user.count({ where: { email: `${sub}@example.com` } })).toBe(0);
      });

      it("answers PROVIDER_UNAVAILABLE when the provider does not answer, on both paths", async () => {
        const n = nonce();
        const result = await loginWithIdToken(await idp.signIdToken({ sub: idpAccount(), nonce: n }), n, "down");
        expect(result.userErrors).toEqual([{ field: null, code: "PROVIDER_UNAVAILABLE" }]);
        const start = await gw.gateway.app.inject({ method: "GET", url: "/auth/oidc/down/start" });
        expect(start.headers.location).toBe(`${SPA}?error=PROVIDER_UNAVAILABLE`);
      });

      it("refuses an unknown provider with NOT_FOUND", async () => {
        const n = nonce();
        const result = await loginWithIdToken(await idp.signIdToken({ sub: idpAccount(), nonce: n }), n, "nobody");
        expect(result.userErrors).toEqual([{ field: ["input", "provider"], code: "NOT_FOUND" }]);
      });

      it("links to an existing account only when both sides verified the e-mail", async () => {
        const bob = await gw.db.prisma.user.update({ where: { id: gw.users.bob.id }, data: { emailVerified: false } });
        const sub = idpAccount();
        let n = nonce();
        // The provider verified it, the account did not: refused.
        let result = await loginWithIdToken(
          await idp.signIdToken({ sub, email: bob.email, email_verified: true, nonce: n }),
          n,
        );
        expect(result.userErrors).toEqual([{ field: null, code: "EMAIL_NOT_VERIFIED" }]);
        await gw.db.prisma.user.update({ where: { id: bob.id }, data: { emailVerified: true } });
        // The account did, the provider did not (or did not say): refused.
        n = nonce();
        result = await loginWithIdToken(
          await idp.signIdToken({ sub, email: bob.email, email_verified: false, nonce: n }),
          n,
        );
        expect(result.userErrors).toEqual([{ field: null, code: "EMAIL_NOT_VERIFIED" }]);
        n = nonce();
        result = await loginWithIdToken(await idp.signIdToken({ sub, email: bob.email, nonce: n }), n);
        expect(result.userErrors).toEqual([{ field: null, code: "EMAIL_NOT_VERIFIED" }]);
        expect(await gw.db.prisma.identity.count({ where: { subject: sub } })).toBe(0);
        // Both: linked, and signed in to bob's account.
        n = nonce();
        result = await loginWithIdToken(
          await idp.signIdToken({ sub, email: bob.email, email_verified: true, nonce: n }),
          n,
        );
        expect(result.userErrors).toEqual([]);
        expect(result.user?.id).toBe(bob.id);
      });
    });

    describe("linkIdentity and unlinkIdentity", () => {
      const link = async (token: string | null, sub: string) => {
        const n = nonce();
        return ok(
          await call<{ linkIdentity: { identity: { id: string; provider: string } | null; userErrors: UserErrors } }>(
            "mutation($input: LinkIdentityInput!) { linkIdentity(input: $input) { identity { id provider } userErrors { field code } } }",
            { input: { provider: "test", idToken: await idp.signIdToken({ sub, nonce: n }), nonce: n } },
            bearer(token),
          ),
        ).linkIdentity;
      };
      const unlink = async (token: string | null, id: string) =>
        ok(
          await call<{ unlinkIdentity: { success: boolean; userErrors: UserErrors } }>(
            "mutation($id: ID!) { unlinkIdentity(id: $id) { success userErrors { field code } } }",
            { id },
            bearer(token),
          ),
        ).unlinkIdentity;
      const passwordLogin = async (email: string) =>
        ok(
          await call<{ login: Auth }>(`mutation($input: LoginInput!) { login(input: $input) { ${authFields} } }`, {
            input: { email, password: SEED_PASSWORD },
          }),
        ).login;

      it("links a provider account to the signed-in account whatever its e-mail, and unlinks it", async () => {
        const admin = await gw.db.prisma.user.findUniqueOrThrow({ where: { id: gw.users.admin.id } });
        const { accessToken } = await passwordLogin(admin.email);
        const sub = idpAccount({ email: "someone-else@example.net", email_verified: false });
        const linked = await link(accessToken, sub);
        expect(linked.userErrors).toEqual([]);
        expect((await me(accessToken)).identities.map((identity) => identity.id)).toEqual([linked.identity?.id]);
        // It signs in to the admin's account now.
        const n = nonce();
        expect((await loginWithIdToken(await idp.signIdToken({ sub, nonce: n }), n)).user?.id).toBe(admin.id);
        // A password account may drop its only identity.
        expect(await unlink(accessToken, linked.identity?.id ?? "")).toEqual({ success: true, userErrors: [] });
        expect((await me(accessToken)).identities).toEqual([]);
      });

      it("refuses a provider account linked to another account, and another account's identity", async () => {
        const taken = idpAccount();
        let n = nonce();
        const owner = await loginWithIdToken(
          await idp.signIdToken({ sub: taken, nonce: n, email: `${taken}@example.com`, email_verified: true }),
          n,
        );
        const admin = await gw.db.prisma.user.findUniqueOrThrow({ where: { id: gw.users.admin.id } });
        const { accessToken } = await passwordLogin(admin.email);
        expect((await link(accessToken, taken)).userErrors).toEqual([{ field: ["input", "idToken"], code: "TAKEN" }]);
        const [theirs] = (await me(owner.accessToken)).identities;
        expect((await unlink(accessToken, theirs?.id ?? "")).userErrors).toEqual([
          { field: ["id"], code: "NOT_FOUND" },
        ]);
        n = nonce();
        expect((await loginWithIdToken(await idp.signIdToken({ sub: taken, nonce: n }), n)).user?.id).toBe(
          owner.user?.id,
        );
      });

      it("never removes the last way to sign in of an account without a password", async () => {
        const first = idpAccount();
        const n = nonce();
        const account = await loginWithIdToken(
          await idp.signIdToken({ sub: first, nonce: n, email: `${first}@example.com`, email_verified: true }),
          n,
        );
        const [only] = (await me(account.accessToken)).identities;
        expect((await unlink(account.accessToken, only?.id ?? "")).userErrors).toEqual([
          { field: ["id"], code: "LAST_SIGN_IN_METHOD" },
        ]);
        // With a second identity linked, the first may go; the second is then the last.
        const second = await link(account.accessToken, idpAccount());
        expect(second.userErrors).toEqual([]);
        expect((await unlink(account.accessToken, only?.id ?? "")).success).toBe(true);
        expect((await unlink(account.accessToken, second.identity?.id ?? "")).userErrors).toEqual([
          { field: ["id"], code: "LAST_SIGN_IN_METHOD" },
        ]);
        expect((await me(account.accessToken)).identities.map((identity) => identity.id)).toEqual([
          second.identity?.id,
        ]);
      });
    });
  });
}
