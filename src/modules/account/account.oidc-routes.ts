// Browser social sign-in (README, "Social sign-in"): the authorization code flow with PKCE, state and nonce,
// through two gateway endpoints. It ends the way a password login with `useCookie: true` does: the refresh
// token in the HttpOnly `__Host-refresh_token` cookie, and the SPA calls `refreshSession` for an access token.
//
// Why the cookie and not a one-time code handed to the SPA: a code would travel in a URL (history, logs,
// Referer, extensions) and be a bearer credential until exchanged; the cookie is never visible to scripts
// or URLs, and is the session a password login already gives browsers. Login CSRF (an attacker making the
// victim's browser finish the attacker's sign-in) is stopped by `state`, which must match the HttpOnly
// cookie set by this browser's own `/start`, and is usable once.
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { OidcFailure, type OidcProviders } from "../../platform/auth/oidc.js";
import { sendGraphQLError } from "../../platform/errors/http-responses.js";
import { addressKey, type Limiter } from "../../platform/rate-limit/index.js";
import { UserErrorCode } from "../../platform/validation/index.js";
import { accountForIdentity, type IdentityDeps, linkToAccount } from "./account.identity.js";
import { accountRepository } from "./account.repository.js";
import { openSession, REFRESH_COOKIE, signedInUserOf } from "./account.service.js";

/** Long enough to sign in at the provider (and maybe register there); short enough that a stale tab fails. */
export const OIDC_ATTEMPT_TTL_MS = 10 * 60 * 1000;
/** Holds `state` between `/start` and `/callback`; `__Host-` as the refresh cookie (dropped the same way in dev). */
export const OIDC_STATE_COOKIE = "__Host-oidc_state";

export type OidcRouteSettings = Readonly<{
  providers: OidcProviders;
  deps: IdentityDeps;
  /** Where the browser lands; `?error=<UserErrorCode>` is appended when the sign-in failed. */
  successUrl: string;
  /** REFRESH_COOKIE_INSECURE_DEV: plain names, no `Secure` (development over http only). */
  insecureCookies: boolean;
  /** Counts the endpoints' calls per address (Redis when configured, as the field limits do). */
  limiter: Limiter;
}>;

/**
 * Calls of either endpoint per client address: each `/start` writes a row and each callback may create an
 * account, so a flood is refused before the database. Generous for people (a sign-in is two calls).
 */
export const OIDC_ROUTE_LIMIT = { max: 30, windowSeconds: 10 * 60 } as const;

const sha256 = (value: string) => createHash("sha256").update(value).digest("base64url");
const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

export function registerOidcRoutes(app: FastifyInstance, settings: OidcRouteSettings): void {
  const { providers, deps } = settings;
  const cookieName = (name: string) => (settings.insecureCookies ? name.replace(/^__Host-/, "") : name);
  const secure = !settings.insecureCookies;
  // Lax, not Strict: the callback is a top-level navigation from the provider's site, and a Strict cookie
  // would not come with it. It grants nothing alone: the state row and the provider's code are needed too.
  const stateCookie = { httpOnly: true, secure, sameSite: "lax", path: "/" } as const;
  const refreshCookie = { httpOnly: true, secure, sameSite: "strict", path: "/" } as const;

  const finish = (reply: FastifyReply, error: UserErrorCode | null, linked?: string) => {
    const target = new URL(settings.successUrl);
    if (error) target.searchParams.set("error", error);
    if (linked) target.searchParams.set("linked", linked);
    reply.clearCookie(cookieName(OIDC_STATE_COOKIE), stateCookie);
    return reply.header("cache-control", "no-store").redirect(target.toString(), 303);
  };

  /** True when the call may go on; otherwise the 429 is sent. */
  const admitted = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = `oidc:${addressKey(request.ip)}`;
    const { max, windowSeconds } = OIDC_ROUTE_LIMIT;
    const verdict = await settings.limiter.hitWindow(key, max, windowSeconds * 1000, { failClosed: false });
    if (verdict.admitted) return true;
    const retryAfter = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    await sendGraphQLError(
      request,
      reply,
      429,
      "RATE_LIMITED",
      `Too many sign-in attempts. Retry after ${retryAfter} s.`,
      {
        retryAfter,
      },
    );
    return false;
  };

  app.get<{ Params: { provider: string }; Querystring: { link?: string } }>(
    "/auth/oidc/:provider/start",
    async (request, reply) => {
      if (!(await admitted(request, reply))) return reply;
      const provider = providers.get(request.params.provider);
      if (!provider) return sendGraphQLError(request, reply, 404, "NOT_FOUND", "No sign-in provider has this name.");
      // Linking: the browser's own session says whose account. The refresh cookie is SameSite=Strict, so
      // another site sending the browser here cannot start a link to the victim's account.
      let linkUserId: string | null = null;
      if (request.query.link === "true") {
        const refreshToken = request.cookies[cookieName(REFRESH_COOKIE)];
        const user = refreshToken ? await signedInUserOf(deps.prisma, refreshToken) : null;
        if (!user) {
          request.log.info({ event: "oidc_link_refused", reason: "no live session" }, "identity link needs a session");
          return finish(reply, UserErrorCode.INVALID_TOKEN);
        }
        linkUserId = user.id;
      }
      let started: Awaited<ReturnType<typeof provider.startAuthorization>>;
      try {
        started = await provider.startAuthorization();
      } catch (error) {
        if (!(error instanceof OidcFailure)) throw error;
        request.log.warn({
          event: "oidc_provider_unavailable",
          provider: provider.settings.name,
          reason: error.reason,
        });
        return finish(reply, UserErrorCode.PROVIDER_UNAVAILABLE);
      }
      const expiresAt = new Date(Date.now() + OIDC_ATTEMPT_TTL_MS);
      // The verifier and nonce stay here; the browser holds only `state` (in the URL and the cookie).
      await accountRepository(deps.prisma).createLoginAttempt({
        stateHash: sha256(started.state),
        provider: provider.settings.name,
        codeVerifier: started.codeVerifier,
        nonce: started.nonce,
        linkUserId,
        expiresAt,
      });
      reply.setCookie(cookieName(OIDC_STATE_COOKIE), started.state, { ...stateCookie, expires: expiresAt });
      return reply.header("cache-control", "no-store").redirect(started.url.toString(), 303);
    },
  );

  app.get<{ Params: { provider: string } }>("/auth/oidc/:provider/callback", async (request, reply) => {
    if (!(await admitted(request, reply))) return reply;
    const provider = providers.get(request.params.provider);
    if (!provider) return sendGraphQLError(request, reply, 404, "NOT_FOUND", "No sign-in provider has this name.");
    const refuse = (reason: string, code: UserErrorCode = UserErrorCode.INVALID_TOKEN) => {
      request.log.info(
        { event: "oidc_callback_refused", provider: provider.settings.name, reason, code },
        "browser social sign-in refused",
      );
      return finish(reply, code);
    };
    const query = queryOf(request);
    const state = new URLSearchParams(query).get("state");
    const cookie = request.cookies[cookieName(OIDC_STATE_COOKIE)];
    if (!state || !cookie || !sameText(state, cookie)) return refuse("state missing or not this browser's");
    const attempt = await accountRepository(deps.prisma).consumeLoginAttempt(sha256(state), provider.settings.name);
    if (!attempt) return refuse("state unknown, used or expired");

    let identity: Awaited<ReturnType<typeof provider.finishAuthorization>>;
    try {
      identity = await provider.finishAuthorization(query, {
        state,
        nonce: attempt.nonce,
        codeVerifier: attempt.codeVerifier,
      });
    } catch (error) {
      if (!(error instanceof OidcFailure)) throw error;
      return refuse(error.reason, UserErrorCode[error.code]);
    }
    if (attempt.linkUserId) {
      const linked = await linkToAccount(deps, attempt.linkUserId, identity);
      if ("refusal" in linked) return refuse(linked.refusal.message, linked.refusal.code);
      return finish(reply, null, provider.settings.name);
    }
    const outcome = await accountForIdentity(deps, identity);
    if ("refusal" in outcome) return refuse(outcome.refusal.message, outcome.refusal.code);
    const session = await openSession(deps.prisma, outcome.user.id, {
      ip: request.ip,
      userAgent: request.headers["user-agent"]?.slice(0, 512) ?? null,
    });
    reply.setCookie(cookieName(REFRESH_COOKIE), session.refreshToken, {
      ...refreshCookie,
      expires: session.expiresAt,
    });
    request.log.info(
      { event: "oidc_login", provider: provider.settings.name, userId: outcome.user.id, sessionId: session.id },
      "signed in with a provider",
    );
    return finish(reply, null);
  });
}

/** The raw query string, as the provider sent it (openid-client reads code, state, iss and error from it). */
function queryOf(request: FastifyRequest): string {
  const at = request.url.indexOf("?");
  return at === -1 ? "" : request.url.slice(at);
}
