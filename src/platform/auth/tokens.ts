import { createPublicKey, randomUUID } from "node:crypto";
import {
  type CryptoKey,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importPKCS8,
  type JWK,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from "jose";
import type { Role } from "../../generated/prisma/client.js";
import type { Logger } from "../logger/index.js";

/** Who is calling, as proven by a verified access token. */
export type Viewer = Readonly<{
  id: string;
  role: Role;
  /** The refresh-token session the access token was issued for (logout ends it). */
  sessionId: string | null;
}>;

/**
 * What an access token is issued for. Every token names its session: revocation (logout, password
 * change, account deletion) works per session, so a token without one could never be revoked.
 */
export type TokenSubject = Viewer & { sessionId: string };

/** A verified token's subject, and its expiry (a WebSocket connection signed in with it ends then). */
export type VerifiedToken = TokenSubject & { expiresAt: Date };

export type TokenSettings = Readonly<{
  issuer: string;
  audience: string;
  /** Ed25519 private key (PKCS#8 PEM) that signs new tokens. */
  privateKeyPem: string | undefined;
  /** Public keys (SPKI PEM) of earlier signing keys, still accepted until their tokens expire. */
  verificationKeyPems: readonly string[];
}>;

/** Pinned: a token signed with any other algorithm (including `none` and HS256 key confusion) is refused. */
const ALGORITHM = "EdDSA";
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** Allowed clock difference between this server and whoever minted the token. */
export const CLOCK_TOLERANCE_SECONDS = 30;
const roles: ReadonlySet<string> = new Set<Role>(["USER", "ADMIN"]);

export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(`invalid access token: ${reason}`);
    this.name = "InvalidTokenError";
  }
}

export interface AccessTokens {
  sign(subject: TokenSubject): Promise<{ token: string; expiresAt: Date }>;
  /** Resolves the viewer (always with its session id) and when the token expires, or throws InvalidTokenError. */
  verify(token: string): Promise<VerifiedToken>;
}

export async function createAccessTokens(settings: TokenSettings, log: Logger): Promise<AccessTokens> {
  const { privateKey, publicKey } = await loadSigningKey(settings.privateKeyPem, log);
  const signingJwk = await toJwk(publicKey);
  // Rotation: sign with the new key, keep verifying the old ones' tokens; the `kid` header picks the key.
  const verificationJwks = await Promise.all(settings.verificationKeyPems.map((pem) => toJwk(createPublicKey(pem))));
  const keySet = createLocalJWKSet({ keys: [signingJwk, ...verificationJwks] });

  return {
    async sign(viewer) {
      if (!viewer.sessionId) throw new Error("an access token must name its session (sid)");
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + ACCESS_TOKEN_TTL_SECONDS) * 1000);
      const token = await new SignJWT({ role: viewer.role, sid: viewer.sessionId })
        .setProtectedHeader({ alg: ALGORITHM, kid: signingJwk.kid, typ: "at+jwt" })
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setSubject(viewer.id)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(expiresAt)
        .sign(privateKey);
      return { token, expiresAt };
    },

    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keySet, {
          algorithms: [ALGORITHM],
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ["sub", "exp", "iat", "jti"],
        }));
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) throw new InvalidTokenError(error.code);
        throw error;
      }
      const { sub, role, sid, iat, exp } = payload;
      if (typeof sub !== "string" || typeof role !== "string" || !roles.has(role)) {
        throw new InvalidTokenError("ERR_JWT_CLAIM_VALIDATION_FAILED");
      }
      // We never mint a token without a session, and one without could not be revoked by logout.
      if (typeof sid !== "string" || sid === "") throw new InvalidTokenError("missing sid");
      // jose checks `exp` but neither that `iat` is past nor how long a token was minted to live: a token
      // minted by a wrong clock or a misused key could stay valid for years. The lifetime cap alone is not
      // enough while `iat` may lie in the future, so both are checked.
      const now = Math.floor(Date.now() / 1000);
      if ((iat as number) > now + CLOCK_TOLERANCE_SECONDS) throw new InvalidTokenError("iat in the future");
      if ((exp as number) - (iat as number) > ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS) {
        throw new InvalidTokenError("lifetime too long");
      }
      return { id: sub, role: role as Role, sessionId: sid, expiresAt: new Date((exp as number) * 1000) };
    },
  };
}

async function toJwk(key: CryptoKey | ReturnType<typeof createPublicKey>): Promise<JWK & { kid: string }> {
  const jwk = await exportJWK(key);
  return { ...jwk, alg: ALGORITHM, kid: await calculateJwkThumbprint(jwk) };
}

async function loadSigningKey(
  pem: string | undefined,
  log: Logger,
): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey | ReturnType<typeof createPublicKey> }> {
  if (pem) {
    const publicKey = createPublicKey(pem);
    if (publicKey.asymmetricKeyType !== "ed25519") {
      throw new Error(`JWT_PRIVATE_KEY must be an Ed25519 key; got ${publicKey.asymmetricKeyType ?? "unknown"}`);
    }
    return { privateKey: await importPKCS8(pem, ALGORITHM), publicKey };
  }
  // Config refuses to start production without a key, so this is a development or test server.
  log.warn("JWT_PRIVATE_KEY is not set: signing access tokens with a throw-away key; tokens die with this process");
  return generateKeyPair(ALGORITHM, { crv: "Ed25519" });
}
