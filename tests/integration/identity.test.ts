// E-mail verification (sign-up, changes of address, resets only to proven addresses) and the sessions list
// with revokeSession, through the API on both backends. Mails are read from the outbox, where the causing
// transaction wrote them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_PASSWORD } from "../../src/seed/index.js";
import { backends } from "../helpers/database.js";
import { type GraphQLResponse, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { eventually } from "../helpers/smtp.js";

const PASSWORD = "tangerine-kayak-4417";
const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

type UserErrors = { field: string[] | null; code: string }[];
type Tokens = { accessToken: string; refreshToken: string; user: { id: string } };
type SessionRow = { id: string; device: string | null; ip: string | null; lastUsedAt: string; current: boolean };

for (const backend of backends) {
  describe.skipIf(backend.skip)(`e-mail verification and sessions (${backend.name})`, () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway(backend.kind, { seedScale: 0.02 });
    });
    afterAll(() => gw?.close());

    const call = <Data = Record<string, unknown>>(
      query: string,
      variables?: Record<string, unknown>,
      options: { token?: string; userAgent?: string } = {},
    ) =>
      gw.graphql<Data>(query, {
        variables,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.userAgent ? { "user-agent": options.userAgent } : {}),
        },
      });
    const ok = <Data>(response: GraphQLResponse<Data>) => {
      expect(response.errors).toBeUndefined();
      return response.data as Data;
    };

    const tokenFields = "accessToken refreshToken user { id } userErrors { field code }";
    const login = async (email: string, password: string, userAgent?: string) =>
      ok(
        await call<{ login: Tokens & { userErrors: UserErrors } }>(
          `mutation($input: LoginInput!) { login(input: $input) { ${tokenFields} } }`,
          { input: { email, password } },
          { userAgent },
        ),
      ).login;
    const refresh = async (refreshToken: string) =>
      ok(
        await call<{ refreshSession: Tokens & { userErrors: UserErrors } }>(
          `mutation($input: RefreshSessionInput) { refreshSession(input: $input) { ${tokenFields} } }`,
          { input: { refreshToken } },
        ),
      ).refreshSession;
    const verify = async (token: string) =>
      ok(
        await call<{ verifyEmail: { success: boolean; userErrors: UserErrors } }>(
          "mutation($input: VerifyEmailInput!) { verifyEmail(input: $input) { success userErrors { field code } } }",
          { input: { token } },
        ),
      ).verifyEmail;
    const me = async (token: string) =>
      ok(await call<{ me: { email: string; emailVerified: boolean } }>("{ me { email emailVerified } }", {}, { token }))
        .me;
    const changeEmail = async (token: string, email: string) =>
      ok(
        await call<{
          updateMe: { user: { email: string } | null; pendingEmail: string | null; userErrors: UserErrors };
        }>(
          "mutation($input: UpdateMeInput!) { updateMe(input: $input) { user { email } pendingEmail userErrors { field code } } }",
          { input: { email } },
          { token },
        ),
      ).updateMe;

    /** The newest mail of a kind to an address, as the outbox holds it. */
    const mailTo = (to: string, kind: string) =>
      gw.db.prisma.emailOutbox.findFirst({ where: { to, kind }, orderBy: { createdAt: "desc" } });
    const tokenIn = (body: string | undefined) => body?.match(/token=([A-Za-z0-9_-]+)/)?.[1] ?? "";
    const verificationTokenFor = async (to: string) => {
      const mail = await mailTo(to, "email-verification");
      expect(mail).not.toBeNull();
      return tokenIn(mail?.body);
    };

    let counter = 0;
    const newAccount = async (userAgent?: string) => {
      counter++;
      const email = `verify${counter}@example.com`;
      const { register } = ok(
        await call<{ register: Tokens & { userErrors: UserErrors } }>(
          `mutation($input: RegisterInput!) { register(input: $input) { ${tokenFields} } }`,
          { input: { email, username: `verify_${counter}`, name: "Val", password: PASSWORD } },
          { userAgent },
        ),
      );
      expect(register.userErrors).toEqual([]);
      return { ...register, email };
    };

    describe("e-mail verification", () => {
      it("mails a link on register; verifyEmail marks the address verified, once", async () => {
        const account = await newAccount();
        expect(await me(account.accessToken)).toEqual({ email: account.email, emailVerified: false });
        const mail = await mailTo(account.email, "email-verification");
        expect(mail?.subject).toBe("Confirm your e-mail address");
        expect(mail?.html).toContain("verify-email?token=");
        const token = tokenIn(mail?.body);
        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        // Only a hash is stored.
        const stored = await gw.db.prisma.emailVerificationToken.findFirstOrThrow({
          where: { userId: account.user.id },
        });
        expect(stored.tokenHash).not.toBe(token);

        expect(await verify(token)).toEqual({ success: true, userErrors: [] });
        expect(await me(account.accessToken)).toEqual({ email: account.email, emailVerified: true });
        expect(await verify(token)).toEqual({
          success: false,
          userErrors: [{ field: ["input", "token"], code: "INVALID_TOKEN" }],
        });
        expect((await verify("not-a-token-at-all")).userErrors[0]?.code).toBe("INVALID_TOKEN");
      });

      it("counts the seeded accounts as verified, and shows the flag only to the account and admins", async () => {
        const alice = ok(
          await gw.graphql<{ me: { emailVerified: boolean } }>("{ me { emailVerified } }", { as: gw.users.alice }),
        );
        expect(alice.me.emailVerified).toBe(true);
        const bobAsAlice = await gw.graphql<{ user: { emailVerified: boolean | null } }>(
          '{ user(username: "bob") { emailVerified } }',
          { as: gw.users.alice },
        );
        expect(bobAsAlice.data?.user.emailVerified).toBeNull();
        expect(bobAsAlice.errors?.[0]?.extensions.code).toBe("FORBIDDEN");
        const bobAsAdmin = await gw.graphql<{ user: { emailVerified: boolean } }>(
          '{ user(username: "bob") { emailVerified } }',
          { as: gw.users.admin },
        );
        expect(ok(bobAsAdmin).user.emailVerified).toBe(true);
      });

      it("changes the e-mail only once the new address confirms, telling the old one", async () => {
        const account = await newAccount();
        const newEmail = `moved${counter}@example.com`;
        const asked = await changeEmail(account.accessToken, newEmail.toUpperCase());
        expect(asked).toEqual({ user: { email: account.email }, pendingEmail: newEmail, userErrors: [] });

        // Nothing changed yet: the account keeps its address, and signs in with it only.
        const row = await gw.db.prisma.user.findUniqueOrThrow({ where: { id: account.user.id } });
        expect(row.email).toBe(account.email);
        expect((await login(newEmail, PASSWORD)).userErrors[0]?.code).toBe("INVALID_CREDENTIALS");
        expect((await login(account.email, PASSWORD)).userErrors).toEqual([]);

        const link = await mailTo(newEmail, "email-verification");
        expect(link?.subject).toBe("Confirm your new e-mail address");
        const notice = await mailTo(account.email, "email-change-notice");
        expect(notice?.subject).toBe("Your e-mail address is about to change");
        expect(notice?.body).toContain(newEmail);
        expect(notice?.html).toContain(newEmail);
        expect(tokenIn(notice?.body)).toBe(""); // the old address gets no link to the new one

        expect(await verify(tokenIn(link?.body))).toEqual({ success: true, userErrors: [] });
        expect(await me(account.accessToken)).toEqual({ email: newEmail, emailVerified: true });
        expect((await login(account.email, PASSWORD)).userErrors[0]?.code).toBe("INVALID_CREDENTIALS");
        expect((await login(newEmail, PASSWORD)).userErrors).toEqual([]);
        // Used: it cannot move the account again.
        expect((await verify(tokenIn(link?.body))).userErrors[0]?.code).toBe("INVALID_TOKEN");
      });

      it("refuses an expired link, and a link superseded by a later change request", async () => {
        const account = await newAccount();
        await changeEmail(account.accessToken, `first${counter}@example.com`);
        const first = await verificationTokenFor(`first${counter}@example.com`);
        await changeEmail(account.accessToken, `second${counter}@example.com`);
        const second = await verificationTokenFor(`second${counter}@example.com`);
        expect((await verify(first)).userErrors).toEqual([{ field: ["input", "token"], code: "INVALID_TOKEN" }]);

        await gw.db.prisma.emailVerificationToken.updateMany({
          where: { userId: account.user.id, email: `second${counter}@example.com` },
          data: { expiresAt: new Date(Date.now() - 1000) },
        });
        expect((await verify(second)).userErrors).toEqual([{ field: ["input", "token"], code: "INVALID_TOKEN" }]);
        expect((await me(account.accessToken)).email).toBe(account.email);
      });

      it("refuses the change when another account took the address in the meantime", async () => {
        const account = await newAccount();
        const wanted = `contested${counter}@example.com`;
        await changeEmail(account.accessToken, wanted);
        const token = await verificationTokenFor(wanted);
        const other = ok(
          await call<{ register: { userErrors: UserErrors } }>(
            "mutation($input: RegisterInput!) { register(input: $input) { userErrors { code } } }",
            { input: { email: wanted, username: `contested_${counter}`, name: "C", password: PASSWORD } },
          ),
        );
        expect(other.register.userErrors).toEqual([]);
        expect((await verify(token)).userErrors).toEqual([{ field: ["input", "token"], code: "TAKEN" }]);
        expect((await me(account.accessToken)).email).toBe(account.email);
        // And an address in use cannot be asked for at all.
        expect((await changeEmail(account.accessToken, "alice@example.com")).userErrors).toEqual([
          { field: ["input", "email"], code: "TAKEN" },
        ]);
      });

      const requestReset = (email: string) =>
        call("mutation($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { success } }", {
          input: { email },
        });

      it("sends reset links only to verified addresses: an unverified one gets a verification link instead", async () => {
        const account = await newAccount();
        const signUpMail = await mailTo(account.email, "email-verification");
        ok(await requestReset(account.email));
        const instead = await eventually(
          async () => {
            const mail = await mailTo(account.email, "email-verification");
            return mail && mail.id !== signUpMail?.id ? mail : null;
          },
          10_000,
          "a verification mail answering the reset request",
        );
        expect(instead.body).toContain("ask for the reset again");
        expect(await mailTo(account.email, "password-reset")).toBeNull();

        expect((await verify(tokenIn(instead.body))).success).toBe(true);
        ok(await requestReset(account.email));
        const reset = await eventually(() => mailTo(account.email, "password-reset"), 10_000, "a reset mail");
        expect(tokenIn(reset.body)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      });

      it("voids reset links sent to the old address once the e-mail has changed", async () => {
        const account = await newAccount();
        expect((await verify(await verificationTokenFor(account.email))).success).toBe(true);
        ok(await requestReset(account.email));
        const reset = await eventually(() => mailTo(account.email, "password-reset"), 10_000, "a reset mail");
        const moved = `voided${counter}@example.com`;
        await changeEmail(account.accessToken, moved);
        expect((await verify(await verificationTokenFor(moved))).success).toBe(true);
        const late = ok(
          await call<{ resetPassword: { userErrors: UserErrors } }>(
            "mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { userErrors { code } } }",
            { input: { token: tokenIn(reset.body), newPassword: "a-brand-new-secret-99" } },
          ),
        );
        expect(late.resetPassword.userErrors).toEqual([{ code: "INVALID_TOKEN" }]);
      });
    });

    describe("sessions", () => {
      const sessions = async (token: string) =>
        ok(
          await call<{ me: { sessions: SessionRow[] } }>(
            "{ me { sessions { id device ip lastUsedAt current } } }",
            {},
            { token },
          ),
        ).me.sessions;
      const revoke = async (token: string, id: string) =>
        ok(
          await call<{ revokeSession: { revokedSessions: number; userErrors: UserErrors } }>(
            "mutation($id: ID!) { revokeSession(id: $id) { revokedSessions userErrors { field code } } }",
            { id },
            { token },
          ),
        ).revokeSession;

      it("lists the account's devices, marking the caller's own session as current", async () => {
        const laptop = await newAccount(FIREFOX_LINUX);
        const phone = await login(laptop.email, PASSWORD, SAFARI_IPHONE);
        const listed = await sessions(phone.accessToken);
        expect(listed).toHaveLength(2);
        const mine = listed.find((session) => session.current);
        const other = listed.find((session) => !session.current);
        expect(mine).toMatchObject({ device: "Safari on iOS (mobile)", ip: "127.0.0.1" });
        expect(other).toMatchObject({ device: "Firefox on Linux", ip: "127.0.0.1" });
        // From the laptop, the laptop's session is the current one.
        const fromLaptop = await sessions(laptop.accessToken);
        expect(fromLaptop.find((session) => session.current)?.id).toBe(other?.id);
      });

      it("moves lastUsedAt on refresh", async () => {
        const account = await newAccount();
        const long = new Date("2026-01-01T00:00:00Z");
        await gw.db.prisma.session.updateMany({ where: { userId: account.user.id }, data: { lastUsedAt: long } });
        expect((await sessions(account.accessToken))[0]?.lastUsedAt).toBe(long.toISOString());
        const renewed = await refresh(account.refreshToken);
        expect(renewed.userErrors).toEqual([]);
        const [session] = await sessions(renewed.accessToken);
        expect(new Date(session?.lastUsedAt ?? 0).getTime()).toBeGreaterThan(long.getTime());
      });

      it("revokeSession ends a device at once: its access token is refused and its refresh token dead", async () => {
        const laptop = await newAccount(FIREFOX_LINUX);
        const phone = await login(laptop.email, PASSWORD, SAFARI_IPHONE);
        const laptopSession = (await sessions(phone.accessToken)).find((session) => !session.current);
        expect(laptopSession).toBeDefined();

        expect(await revoke(phone.accessToken, laptopSession?.id ?? "")).toEqual({
          revokedSessions: 1,
          userErrors: [],
        });
        const refused = await call("{ me { id } }", {}, { token: laptop.accessToken });
        expect(refused.status).toBe(401);
        expect(refused.errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
        expect((await refresh(laptop.refreshToken)).userErrors[0]?.code).toBe("INVALID_TOKEN");

        // The phone is untouched, and the list shows it alone.
        expect((await sessions(phone.accessToken)).map((session) => session.current)).toEqual([true]);
        // Ending a session twice: it is no longer there.
        expect((await revoke(phone.accessToken, laptopSession?.id ?? "")).userErrors).toEqual([
          { field: ["id"], code: "NOT_FOUND" },
        ]);
        // Its own session too: the caller signs itself out.
        const [own] = await sessions(phone.accessToken);
        expect((await revoke(phone.accessToken, own?.id ?? "")).revokedSessions).toBe(1);
        expect((await call("{ me { id } }", {}, { token: phone.accessToken })).status).toBe(401);
      });

      it("refuses another account's session as NOT_FOUND, the same answer as an unknown id", async () => {
        const account = await newAccount();
        const bob = await login("bob@example.com", SEED_PASSWORD);
        const [bobSession] = await sessions(bob.accessToken);
        const foreign = await revoke(account.accessToken, bobSession?.id ?? "");
        const unknown = await revoke(account.accessToken, "01900000-0000-7000-8000-000000000000");
        expect(foreign).toEqual({ revokedSessions: 0, userErrors: [{ field: ["id"], code: "NOT_FOUND" }] });
        expect(unknown).toEqual(foreign);
        expect(ok(await call<{ me: { id: string } }>("{ me { id } }", {}, { token: bob.accessToken })).me.id).toBe(
          bob.user.id,
        );
        expect((await refresh(bob.refreshToken)).userErrors).toEqual([]);

        expect((await revoke(account.accessToken, "nope")).userErrors).toEqual([
          { field: ["id"], code: "INVALID_FORMAT" },
        ]);
      });

      it("shows sessions to the account only (not to other users, not to admins), and needs sign-in to revoke", async () => {
        for (const as of [gw.users.alice, gw.users.admin]) {
          const response = await gw.graphql<{ user: { sessions: unknown } }>(
            '{ user(username: "bob") { sessions { id } } }',
            { as },
          );
          expect(response.data?.user.sessions).toBeNull();
          expect(response.errors?.[0]?.extensions.code).toBe("FORBIDDEN");
        }
        const anonymous = await call(
          'mutation { revokeSession(id: "01900000-0000-7000-8000-000000000000") { revokedSessions } }',
        );
        expect(anonymous.errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
      });
    });
  });
}
