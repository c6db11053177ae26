import * as argon2 from "argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_PASSWORD } from "../../src/seed/index.js";
import { backends } from "../helpers/database.js";
import { type GraphQLResponse, startTestGateway, type TestGateway } from "../helpers/gateway.js";

type UserErrors = { field: string[] | null; code: string; message: string }[];
type Auth = {
  user: { id: string; username: string } | null;
  accessToken: string | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: string | null;
  userErrors: UserErrors;
};

const authFields =
  "user { id username } accessToken refreshToken refreshTokenExpiresAt userErrors { field code message }";
const PASSWORD = "tangerine-kayak-4417";

for (const backend of backends) {
  describe.skipIf(backend.skip)(`accounts and sessions (${backend.name})`, () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway(backend.kind, { seedScale: 0.02 });
    });
    afterAll(() => gw?.close());

    type Payload = { success?: boolean; revokedSessions?: number; user?: unknown; userErrors?: unknown[] };
    const mutate = async <K extends string, T = Payload>(
      name: K,
      input: Record<string, unknown> | null,
      fields: string,
      options: { token?: string | null; headers?: Record<string, string> } = {},
    ) => {
      const inputType = `${name[0]?.toUpperCase()}${name.slice(1)}Input`;
      const args = input === null ? "" : "(input: $input)";
      const variables = input === null ? "" : `($input: ${inputType}${name === "refreshSession" ? "" : "!"})`;
      const response = (await gw.graphql(`mutation ${variables} { ${name}${args} { ${fields} } }`, {
        variables: input === null ? undefined : { input },
        headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
      })) as GraphQLResponse<Record<K, T>>;
      expect(response.errors).toBeUndefined();
      return { result: response.data?.[name] as T, response };
    };
    const register = (input: Record<string, unknown>) => mutate<"register", Auth>("register", input, authFields);
    const login = (email: string, password: string, extra: Record<string, unknown> = {}) =>
      mutate<"login", Auth>("login", { email, password, ...extra }, authFields);
    const refresh = (refreshToken: string | null, headers: Record<string, string> = {}) =>
      mutate<"refreshSession", Auth>("refreshSession", refreshToken ? { refreshToken } : {}, authFields, { headers });
    const me = async (token: string | null) =>
      (
        await gw.graphql<{ me: { username: string } | null }>("{ me { username } }", {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        })
      ).data?.me ?? null;

    let counter = 0;
    const newAccount = async () => {
      counter++;
      const input = {
        email: `Person${counter}@Example.com`,
        username: `person_${counter}`,
        name: "Pat",
        password: PASSWORD,
      };
      const { result } = await register(input);
      expect(result.userErrors).toEqual([]);
      return { ...result, email: `person${counter}@example.com` } as Auth & {
        email: string;
        accessToken: string;
        refreshToken: string;
      };
    };

    it("registers an account, signed in at once, with the e-mail stored lower-cased", async () => {
      const account = await newAccount();
      expect(account.accessToken).toBeTruthy();
      expect(account.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await me(account.accessToken)).toEqual({ username: account.user?.username });
      const stored = await gw.db.prisma.user.findUniqueOrThrow({ where: { id: account.user?.id } });
      expect(stored.email).toBe(account.email);
      expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      // Only a hash of the refresh token is stored.
      const tokens = await gw.db.prisma.refreshToken.findMany({ where: { session: { userId: stored.id } } });
      expect(tokens.map((t) => t.tokenHash)).not.toContain(account.refreshToken);
    });

    it("refuses invalid registrations field by field, and taken e-mails and usernames", async () => {
      const { result } = await register({ email: "not-an-email", username: "x", name: "", password: "short" });
      expect(result.user).toBeNull();
      expect(result.userErrors.map((e) => [e.field?.join("."), e.code])).toEqual(
        expect.arrayContaining([
          ["input.email", "INVALID_FORMAT"],
          ["input.username", "INVALID_FORMAT"],
          ["input.name", "TOO_SHORT"],
          ["input.password", "WEAK_PASSWORD"],
        ]),
      );
      const personal = await register({
        email: "zed@example.com",
        username: "zedzed",
        name: "Z",
        password: "zedzed-is-my-name",
      });
      expect(personal.result.userErrors).toEqual([
        {
          field: ["input", "password"],
          code: "WEAK_PASSWORD",
          message: "Do not build the password from your username or e-mail.",
        },
      ]);
      const common = await register({
        email: "sunny@example.com",
        username: "sunny",
        name: "S",
        password: "sunshine2024!",
      });
      expect(common.result.userErrors).toEqual([
        {
          field: ["input", "password"],
          code: "WEAK_PASSWORD",
          message:
            "This password is too easy to guess. This is similar to a commonly used password. Add more words that are less common.",
        },
      ]);
      const taken = await register({ email: "ALICE@example.com", username: "alice", name: "A", password: PASSWORD });
      expect(taken.result.userErrors.map((e) => [e.field?.join("."), e.code])).toEqual([
        ["input.email", "TAKEN"],
        ["input.username", "TAKEN"],
      ]);
    });

    it("signs in with the right password only, saying nothing more than 'invalid credentials'", async () => {
      const ok = await login("ALICE@example.com", SEED_PASSWORD);
      expect(ok.result.user?.username).toBe("alice");
      const wrongPassword = await login("alice@example.com", "wrong-password-123");
      const unknownEmail = await login("nobody@example.com", "wrong-password-123");
      expect(wrongPassword.result).toEqual(unknownEmail.result);
      expect(unknownEmail.result.userErrors).toEqual([
        { field: null, code: "INVALID_CREDENTIALS", message: "The e-mail address or password is incorrect." },
      ]);
    });

    it("upgrades a hash made with older argon2 parameters at the next login", async () => {
      const account = await newAccount();
      const oldHash = await argon2.hash(PASSWORD, {
        type: argon2.argon2id,
        memoryCost: 8192,
        timeCost: 1,
        parallelism: 1,
      });
      await gw.db.prisma.user.update({ where: { id: account.user?.id }, data: { passwordHash: oldHash } });
      expect((await login(account.email, PASSWORD)).result.accessToken).toBeTruthy();
      const { passwordHash } = await gw.db.prisma.user.findUniqueOrThrow({ where: { id: account.user?.id } });
      expect(passwordHash).toMatch(/m=19456,p=1,t=2/);
    });

    it("rotates the refresh token on every refresh, and a reused one ends the whole session", async () => {
      const account = await newAccount();
      const first = await refresh(account.refreshToken);
      expect(first.result.userErrors).toEqual([]);
      expect(first.result.refreshToken).not.toBe(account.refreshToken);
      expect(await me(first.result.accessToken)).not.toBeNull();

      gw.logs.length = 0;
      const replay = await refresh(account.refreshToken); // the rotated one, e.g. stolen
      expect(replay.result.userErrors[0]).toMatchObject({ field: ["input", "refreshToken"], code: "INVALID_TOKEN" });
      // The family is gone: even the legitimate newest token no longer works.
      const legit = await refresh(first.result.refreshToken);
      expect(legit.result.userErrors[0]?.code).toBe("INVALID_TOKEN");
      expect(gw.logs.some((line) => line.event === "refresh_token_reuse" && line.level === 40)).toBe(true);
      const session = await gw.db.prisma.session.findFirstOrThrow({ where: { userId: account.user?.id } });
      expect(session.revokedReason).toBe("refresh token reused");
    });

    it("lets only one of two concurrent refreshes with the same token win", async () => {
      const account = await newAccount();
      const results = await Promise.all([refresh(account.refreshToken), refresh(account.refreshToken)]);
      const winners = results.filter((r) => r.result.userErrors.length === 0);
      expect(winners.length).toBeLessThanOrEqual(1);
    });

    it("keeps the refresh token in an HttpOnly, Secure, SameSite=Strict cookie for browsers that ask", async () => {
      const account = await newAccount();
      const signIn = await login(account.email, PASSWORD, { useCookie: true });
      expect(signIn.result.refreshToken).toBeNull();
      const setCookie = String(signIn.response.headers["set-cookie"]);
      expect(setCookie).toMatch(/^__Host-refresh_token=[A-Za-z0-9_-]{43};/);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/Secure/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      expect(setCookie).toMatch(/Path=\//);
      const cookie = setCookie.split(";")[0] as string;

      const renewed = await refresh(null, { cookie });
      expect(renewed.result.userErrors).toEqual([]);
      expect(renewed.result.refreshToken).toBeNull();
      const nextCookie = String(renewed.response.headers["set-cookie"]).split(";")[0];
      expect(nextCookie).not.toBe(cookie);

      const out = await mutate("logout", null, "revokedSessions", { token: renewed.result.accessToken });
      expect(out.result).toEqual({ revokedSessions: 1 });
      expect(String(out.response.headers["set-cookie"])).toMatch(/__Host-refresh_token=;.*Expires=Thu, 01 Jan 1970/);
      expect((await refresh(null, { cookie: nextCookie as string })).result.userErrors[0]?.code).toBe("INVALID_TOKEN");
    });

    it("logout ends this device's session only; logoutAll ends every session", async () => {
      const account = await newAccount();
      const phone = await login(account.email, PASSWORD);
      const laptop = await login(account.email, PASSWORD);
      await mutate("logout", null, "revokedSessions", { token: phone.result.accessToken });
      expect((await refresh(phone.result.refreshToken)).result.userErrors[0]?.code).toBe("INVALID_TOKEN");
      const stillIn = await refresh(laptop.result.refreshToken);
      expect(stillIn.result.userErrors).toEqual([]);

      const all = await mutate("logoutAll", null, "revokedSessions", { token: stillIn.result.accessToken });
      expect(all.result).toEqual({ revokedSessions: 2 }); // the laptop and the registration's session
      expect((await refresh(stillIn.result.refreshToken)).result.userErrors[0]?.code).toBe("INVALID_TOKEN");
      expect((await refresh(account.refreshToken)).result.userErrors[0]?.code).toBe("INVALID_TOKEN");
    });

    it("refuses session mutations to anonymous callers", async () => {
      const response = await gw.graphql("mutation { logoutAll { revokedSessions } }");
      expect(response.errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
    });

    // Reset links go only to verified addresses (tests/integration/identity.test.ts verifies through the API).
    const verified = async <Account extends { user: { id: string } | null }>(account: Account) => {
      await gw.db.prisma.user.update({ where: { id: account.user?.id }, data: { emailVerified: true } });
      return account;
    };

    const resetLinkFor = async (email: string) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const mail = await gw.db.prisma.emailOutbox.findFirst({
          where: { to: email, kind: "password-reset" },
          orderBy: { createdAt: "desc" },
        });
        const token = mail?.body.match(/token=([A-Za-z0-9_-]+)/)?.[1];
        if (token && mail?.sentAt) return token;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no reset e-mail for ${email}`);
    };

    it("answers a reset request the same whether the address has an account, mailing only real ones", async () => {
      const account = await verified(await newAccount());
      const known = await mutate("requestPasswordReset", { email: account.email }, "success userErrors { code }");
      const unknown = await mutate(
        "requestPasswordReset",
        { email: "ghost@example.com" },
        "success userErrors { code }",
      );
      expect(known.result).toEqual(unknown.result);
      expect(known.result).toEqual({ success: true, userErrors: [] });
      expect(await resetLinkFor(account.email)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await gw.db.prisma.emailOutbox.count({ where: { to: "ghost@example.com" } })).toBe(0);
    });

    it("resets a password with a single-use token and ends every session", async () => {
      const account = await verified(await newAccount());
      await mutate("requestPasswordReset", { email: account.email }, "success");
      const token = await resetLinkFor(account.email);
      const stored = await gw.db.prisma.passwordResetToken.findFirstOrThrow({ where: { userId: account.user?.id } });
      expect(stored.tokenHash).not.toBe(token);
      expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeLessThanOrEqual(60 * 60 * 1000);

      const weak = await mutate(
        "resetPassword",
        { token, newPassword: "123456789012" },
        "success userErrors { field code }",
      );
      expect(weak.result.userErrors).toEqual([{ field: ["input", "newPassword"], code: "WEAK_PASSWORD" }]);
      const done = await mutate(
        "resetPassword",
        { token, newPassword: "a-brand-new-secret-99" },
        "success userErrors { code }",
      );
      expect(done.result).toEqual({ success: true, userErrors: [] });
      const again = await mutate(
        "resetPassword",
        { token, newPassword: "yet-another-secret-77" },
        "success userErrors { code }",
      );
      expect(again.result).toEqual({ success: false, userErrors: [{ code: "INVALID_TOKEN" }] });

      expect((await refresh(account.refreshToken)).result.userErrors[0]?.code).toBe("INVALID_TOKEN");
      expect((await login(account.email, PASSWORD)).result.userErrors[0]?.code).toBe("INVALID_CREDENTIALS");
      expect((await login(account.email, "a-brand-new-secret-99")).result.userErrors).toEqual([]);
    });

    it("refuses an expired reset token", async () => {
      const account = await verified(await newAccount());
      await mutate("requestPasswordReset", { email: account.email }, "success");
      const token = await resetLinkFor(account.email);
      await gw.db.prisma.passwordResetToken.updateMany({
        where: { userId: account.user?.id },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      const late = await mutate(
        "resetPassword",
        { token, newPassword: "a-brand-new-secret-99" },
        "userErrors { code }",
      );
      expect(late.result).toEqual({ userErrors: [{ code: "INVALID_TOKEN" }] });
    });

    it("changes the password given the current one, signing out other devices but not this one", async () => {
      const account = await newAccount();
      const other = await login(account.email, PASSWORD);
      const wrong = await mutate(
        "changePassword",
        { currentPassword: "not-it-at-all-1", newPassword: "fresh-password-2024" },
        "success userErrors { field code }",
        { token: account.accessToken },
      );
      expect(wrong.result).toEqual({
        success: false,
        userErrors: [{ field: ["input", "currentPassword"], code: "INVALID_CREDENTIALS" }],
      });
      const ok = await mutate(
        "changePassword",
        { currentPassword: PASSWORD, newPassword: "fresh-password-2024" },
        "success",
        {
          token: account.accessToken,
        },
      );
      expect(ok.result).toEqual({ success: true });
      expect((await refresh(other.result.refreshToken)).result.userErrors[0]?.code).toBe("INVALID_TOKEN");
      expect((await refresh(account.refreshToken)).result.userErrors).toEqual([]);
    });

    it("updates the profile, refusing a taken username", async () => {
      const account = await newAccount();
      const taken = await mutate("updateMe", { username: "bob" }, "user { username } userErrors { field code }", {
        token: account.accessToken,
      });
      expect(taken.result).toEqual({ user: null, userErrors: [{ field: ["input", "username"], code: "TAKEN" }] });
      const ok = await mutate(
        "updateMe",
        { name: "Pat Smith", username: "Pat_Smith" },
        "user { name username email } userErrors { code }",
        {
          token: account.accessToken,
        },
      );
      expect(ok.result).toEqual({
        user: { name: "Pat Smith", username: "pat_smith", email: account.email },
        userErrors: [],
      });
    });

    it("deletes the account (soft) after confirming the password, ending its sessions", async () => {
      const account = await newAccount();
      const wrong = await mutate("deleteMe", { password: "not-the-password" }, "success userErrors { code }", {
        token: account.accessToken,
      });
      expect(wrong.result).toEqual({ success: false, userErrors: [{ code: "INVALID_CREDENTIALS" }] });
      const done = await mutate("deleteMe", { password: PASSWORD }, "success", { token: account.accessToken });
      expect(done.result).toEqual({ success: true });
      expect(await me(account.accessToken)).toBeNull();
      expect((await login(account.email, PASSWORD)).result.userErrors[0]?.code).toBe("INVALID_CREDENTIALS");
      expect((await refresh(account.refreshToken)).result.userErrors[0]?.code).toBe("INVALID_TOKEN");
      const row = await gw.db.prisma.user.findUniqueOrThrow({ where: { id: account.user?.id } });
      expect(row.deletedAt).not.toBeNull();
    });

    it("never logs passwords or tokens", async () => {
      const account = await newAccount();
      await login(account.email, PASSWORD);
      await refresh(account.refreshToken);
      const logged = JSON.stringify(gw.logs);
      expect(logged).not.toContain(PASSWORD);
      expect(logged).not.toContain(account.refreshToken);
      expect(logged).not.toContain(account.accessToken);
    });
  });
}
