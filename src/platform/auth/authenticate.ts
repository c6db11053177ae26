import type { FastifyRequest } from "fastify";
import { unauthenticated } from "../errors/index.js";
import type { SessionRevocations } from "./revocation.js";
import { type AccessTokens, InvalidTokenError, type Viewer } from "./tokens.js";

/**
 * The caller, from `Authorization: Bearer <access token>`; null without the header. A malformed header or
 * a bad token fails the whole request with 401 (not a silent downgrade to anonymous), so clients notice
 * and refresh instead of rendering a signed-out page.
 */
export async function authenticate(
  request: FastifyRequest,
  tokens: AccessTokens,
  revocations: SessionRevocations,
): Promise<Viewer | null> {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    throw unauthenticated("The Authorization header must be `Bearer <access token>`.", { http: { status: 401 } });
  }
  try {
    const viewer = await tokens.verify(match[1]);
    // Signed-out, password-changed and deleted accounts' sessions: refused at once, on every instance.
    if (revocations.isRevoked(viewer.sessionId)) throw new InvalidTokenError("session revoked");
    return viewer;
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    request.log.info({ reason: error.reason }, "rejected access token");
    throw unauthenticated("The access token is invalid or expired. Refresh the session or sign in again.", {
      http: { status: 401, headers: new Map([["www-authenticate", 'Bearer error="invalid_token"']]) },
    });
  }
}
