// A real OpenID Connect provider for tests (the `oidc-provider` package, certified by the OpenID
// Foundation), on a free local port: discovery, authorization with PKCE, the token endpoint and its JWKS.
// Its login step is completed programmatically (the user named by `loginAs` signs in); consent is given
// for the test client up front (a first-party client, as a shop's own login would be). It signs the ID
// tokens of the browser flow itself; `signIdToken` signs arbitrary ones with the key it publishes, for the
// mobile path and its attacks.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import Provider from "oidc-provider";

export type IdpAccount = {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
};

export type TestIdp = {
  issuer: string;
  /** Accounts the provider knows, by subject; tests add their own. */
  accounts: Map<string, IdpAccount>;
  /** Who signs in at the provider's next login step. */
  loginAs(sub: string): void;
  /** An ID token signed with the key in the provider's JWKS (or `otherKey`, one it does not publish). */
  signIdToken(claims: JWTPayload, options?: { otherKey?: boolean; expiresIn?: string | number }): Promise<string>;
  close(): Promise<void>;
};

/** Ports another suite on this machine uses; the kernel's ephemeral range overlaps them. */
const AVOID = { from: 57_000, to: 57_999 };

async function listenOnFreePort(server: http.Server): Promise<number> {
  for (;;) {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    if (port < AVOID.from || port > AVOID.to) return port;
    await new Promise((resolve) => server.close(resolve));
  }
}

export async function startTestIdp(
  client: { clientId: string; clientSecret: string; redirectUri: string },
  options: {
    /** Claims of the scopes only at the UserInfo endpoint, as OpenID Connect Core says (oidc-provider's default). */
    claimsAtUserInfoOnly?: boolean;
  } = {},
): Promise<TestIdp> {
  const keyPair = await generateKeyPair("RS256", { extractable: true });
  const published = { ...(await exportJWK(keyPair.privateKey)), kid: "test-idp-1", alg: "RS256", use: "sig" };
  const stranger = await generateKeyPair("RS256");

  const accounts = new Map<string, IdpAccount>();
  let nextLogin: string | null = null;
  const server = http.createServer();
  const port = await listenOnFreePort(server);
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [published] },
    cookies: { keys: ["test-idp-cookie-signing-key"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username"] },
    // By default the scopes' claims go in the ID token itself, as Google and Apple do.
    conformIdTokenClaims: options.claimsAtUserInfoOnly === true,
    features: { devInteractions: { enabled: false } },
    // Explicit lifetimes (the defaults print a notice each); long enough for any test.
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: async () => ({ ...account }) } : undefined;
    },
    async loadExistingGrant(ctx) {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();
  server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (!request.url?.startsWith("/interaction/")) {
      handle(request, response);
      return;
    }
    // The login page, answered at once: the test's chosen user signs in.
    void (async () => {
      try {
        await provider.interactionDetails(request, response);
        if (!nextLogin) throw new Error("test IdP: call loginAs(sub) before a browser sign-in");
        await provider.interactionFinished(
          request,
          response,
          { login: { accountId: nextLogin } },
          { mergeWithLastSubmission: false },
        );
      } catch (error) {
        response.statusCode = 500;
        response.end(String(error));
      }
    })();
  });

  return {
    issuer,
    accounts,
    loginAs(sub) {
      nextLogin = sub;
    },
    async signIdToken(claims, options = {}) {
      const jwt = new SignJWT({ iss: issuer, aud: client.clientId, ...claims })
        .setProtectedHeader({ alg: "RS256", kid: options.otherKey ? "unknown-key" : published.kid })
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? "5m");
      // SignJWT's setters win over the payload: a test asking for another iss/aud/exp sets them last.
      if (claims.iss) jwt.setIssuer(claims.iss);
      if (claims.aud) jwt.setAudience(claims.aud);
      if (claims.exp) jwt.setExpirationTime(claims.exp);
      if (claims.iat) jwt.setIssuedAt(claims.iat);
      return jwt.sign(options.otherKey ? stranger.privateKey : keyPair.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
