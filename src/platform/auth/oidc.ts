// OpenID Connect relying party: discovery, the authorization code flow with PKCE (openid-client), and ID
// tokens a mobile platform SDK obtained (jose against the provider's JWKS). Protocol only: what a verified
// identity means for our accounts is the account module's business.
import { createRemoteJWKSet, type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
import * as client from "openid-client";

export type OidcProviderSettings = Readonly<{
  /** The key in OIDC_PROVIDERS, used in the gateway's paths and the API (`provider: "google"`). */
  name: string;
  issuer: string;
  clientId: string;
  /** Absent for a public client: PKCE alone protects the code exchange then. */
  clientSecret: string | undefined;
  scopes: readonly string[];
  /** `<redirect base>/auth/oidc/<name>/callback`, registered with the provider. */
  redirectUri: string;
}>;

/** The claims we use from a verified ID token. */
export type VerifiedIdentity = Readonly<{
  provider: string;
  issuer: string;
  subject: string;
  email: string | null;
  /** True only when the provider said so explicitly (`email_verified: true`). */
  emailVerified: boolean;
  name: string | null;
  preferredUsername: string | null;
  /** The ID token's `exp`: how long a replay of it must be remembered. */
  expiresAt: Date;
}>;

/**
 * Why a sign-in was refused, stable for clients: `INVALID_TOKEN` covers every failed check of a token or a
 * browser flow (signature, issuer, audience, expiry, nonce, state, PKCE), so an attacker learns nothing from
 * which one failed; `PROVIDER_UNAVAILABLE` is the provider not answering (retry later).
 */
export class OidcFailure extends Error {
  constructor(
    readonly code: "INVALID_TOKEN" | "PROVIDER_UNAVAILABLE",
    readonly reason: string,
  ) {
    super(reason);
    this.name = "OidcFailure";
  }
}

/** Accepted clock difference between us and the provider when checking `exp`/`iat`. */
const CLOCK_TOLERANCE_SECONDS = 30;

export class OidcProvider {
  private configuration: Promise<client.Configuration> | null = null;
  private jwks: ReturnType<typeof createRemoteJWKSet> | null = null;

  constructor(readonly settings: OidcProviderSettings) {}

  /**
   * The provider's discovery document, fetched once and kept; a failed fetch is forgotten so the next
   * sign-in tries again rather than the process staying broken until restarted.
   */
  private discover(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    this.configuration ??= client
      .discovery(
        new URL(issuer),
        clientId,
        clientSecret,
        clientSecret ? client.ClientSecretPost(clientSecret) : client.None(),
        // Plain http only reaches config for a provider on this machine outside production (config refuses
        // it in production); openid-client refuses http unless told.
        issuer.startsWith("http://") ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.configuration = null;
        throw new OidcFailure("PROVIDER_UNAVAILABLE", `discovery failed: ${(error as Error).message}`);
      });
    return this.configuration;
  }

  /** Where to send the browser, with a fresh state, nonce and PKCE verifier the caller must keep. */
  async startAuthorization(): Promise<{ url: URL; state: string; nonce: string; codeVerifier: string }> {
    const configuration = await this.discover();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes.join(" "),
      response_type: "code",
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return { url, state, nonce, codeVerifier };
  }

  /**
   * Trades the callback's code for tokens and checks the ID token (signature, issuer, audience, expiry,
   * nonce) and `state`, as openid-client does for the code flow.
   */
  async finishAuthorization(
    callbackQuery: string,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<VerifiedIdentity> {
    const configuration = await this.discover();
    const currentUrl = new URL(this.settings.redirectUri);
    currentUrl.search = callbackQuery;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      if (error instanceof TypeError && !(error instanceof client.ClientError)) {
        throw new OidcFailure("PROVIDER_UNAVAILABLE", `token request failed: ${error.message}`);
      }
      // The provider's own refusal (`access_denied` when the user cancelled) is worth a log line of its own.
      const providerError =
        error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError
          ? ` (${error.error})`
          : "";
      throw new OidcFailure("INVALID_TOKEN", `code exchange refused: ${(error as Error).message}${providerError}`);
    }
    const claims = tokens.claims();
    if (!claims) throw new OidcFailure("INVALID_TOKEN", "no ID token in the token response");
    // Providers that follow OpenID Connect Core to the letter put the scopes' claims at the UserInfo
    // endpoint, not in the ID token: ask there (for the same subject) when the e-mail is missing.
    if (claims.email === undefined && configuration.serverMetadata().userinfo_endpoint) {
      try {
        const info = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
        return this.identityOf({ ...info, ...claims, iss: claims.iss, sub: claims.sub });
      } catch (error) {
        throw new OidcFailure("INVALID_TOKEN", `userinfo refused: ${(error as Error).message}`);
      }
    }
    return this.identityOf(claims);
  }

  /**
   * An ID token a platform SDK obtained for our client (mobile), checked with jose against the provider's
   * JWKS. jose's remote key set keeps the keys and refetches them when a token names an unknown `kid`
   * (a rotation), at most every 30 s.
   */
  async verifyIdToken(idToken: string, nonce: string): Promise<VerifiedIdentity> {
    const configuration = await this.discover();
    const metadata = configuration.serverMetadata();
    if (!metadata.jwks_uri) throw new OidcFailure("PROVIDER_UNAVAILABLE", "the provider publishes no jwks_uri");
    this.jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri));
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, this.jwks, {
        issuer: metadata.issuer,
        audience: this.settings.clientId,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["sub", "exp", "iat"],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWKSTimeout || (error instanceof TypeError && error.message === "fetch failed")) {
        throw new OidcFailure("PROVIDER_UNAVAILABLE", `JWKS fetch failed: ${error.message}`);
      }
      throw new OidcFailure("INVALID_TOKEN", `ID token refused: ${(error as Error).message}`);
    }
    // OpenID Connect Core 3.1.3.7: with several audiences, the authorized party must be us.
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== this.settings.clientId) {
      throw new OidcFailure("INVALID_TOKEN", "ID token refused: azp is not our client");
    }
    if (typeof payload.nonce !== "string" || payload.nonce !== nonce) {
      throw new OidcFailure("INVALID_TOKEN", "ID token refused: nonce mismatch");
    }
    return this.identityOf(payload);
  }

  private identityOf(claims: JWTPayload): VerifiedIdentity {
    const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);
    if (!claims.iss || !claims.sub) throw new OidcFailure("INVALID_TOKEN", "ID token without iss or sub");
    return {
      provider: this.settings.name,
      issuer: claims.iss,
      subject: claims.sub,
      email: text(claims.email)?.toLowerCase() ?? null,
      emailVerified: claims.email_verified === true,
      name: text(claims.name),
      preferredUsername: text(claims.preferred_username),
      expiresAt: new Date((claims.exp ?? 0) * 1000),
    };
  }
}

/** The configured providers by name, each discovering lazily (start-up does not wait for, or fail on, them). */
export class OidcProviders {
  private readonly byName: ReadonlyMap<string, OidcProvider>;

  constructor(settings: readonly OidcProviderSettings[]) {
    this.byName = new Map(settings.map((provider) => [provider.name, new OidcProvider(provider)]));
  }

  get(name: string): OidcProvider | null {
    return this.byName.get(name) ?? null;
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }
}
