import { createPublicKey, randomUUID } from "node:crypto";
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importPKCS8,
  importSPKI,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from "jose";
import type { Role } from "../../generated/prisma/enums.js";
import type { Logger } from "../logger/index.js";

/** Who is calling, as proven by a verified access token. */
export type Viewer = Readonly<{ id: string; role: Role }>;

export type TokenSettings = Readonly<{ issuer: string; audience: string; privateKeyPem: string | undefined }>;

/** Pinned: a token signed with any other algorithm (including `none` and HS256 key confusion) is refused. */
const ALGORITHM = "EdDSA";
const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** Allowed clock difference between this server and whoever minted the token. */
const CLOCK_TOLERANCE_SECONDS = 30;
const roles: ReadonlySet<string> = new Set<Role>(["USER", "ADMIN"]);

export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(`invalid access token: ${reason}`);
    this.name = "InvalidTokenError";
  }
}

export interface AccessTokens {
  sign(viewer: Viewer): Promise<string>;
  /** Resolves the viewer, or throws InvalidTokenError. */
  verify(token: string): Promise<Viewer>;
}

export async function createAccessTokens(settings: TokenSettings, log: Logger): Promise<AccessTokens> {
  const { privateKey, publicKey } = await loadKeyPair(settings.privateKeyPem, log);
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));

  return {
    async sign(viewer) {
      return new SignJWT({ role: viewer.role })
        .setProtectedHeader({ alg: ALGORITHM, kid, typ: "at+jwt" })
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setSubject(viewer.id)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
        .sign(privateKey);
    },

    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, publicKey, {
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
      const role = payload.role;
      if (typeof payload.sub !== "string" || typeof role !== "string" || !roles.has(role)) {
        throw new InvalidTokenError("ERR_JWT_CLAIM_VALIDATION_FAILED");
      }
      return { id: payload.sub, role: role as Role };
    },
  };
}

async function loadKeyPair(
  pem: string | undefined,
  log: Logger,
): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> {
  if (pem) {
    const privateKey = await importPKCS8(pem, ALGORITHM);
    const publicPem = createPublicKey(pem).export({ type: "spki", format: "pem" }).toString();
    return { privateKey, publicKey: await importSPKI(publicPem, ALGORITHM) };
  }
  // Config refuses to start production without a key, so this is a development or test server.
  log.warn("JWT_PRIVATE_KEY is not set: signing access tokens with a throw-away key; tokens die with this process");
  return generateKeyPair(ALGORITHM, { crv: "Ed25519" });
}
