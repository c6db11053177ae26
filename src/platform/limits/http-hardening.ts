import fastifyCors from "@fastify/cors";
import fastifyHelmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

export type HttpHardeningSettings = Readonly<{
  production: boolean;
  /** Browser origins allowed to call the API; empty: same-origin only (no CORS headers at all). */
  corsOrigins: readonly string[];
}>;

/** Headers browsers may send cross-origin, and read from responses. */
const allowedHeaders = [
  "content-type",
  "authorization",
  "apollo-require-preflight",
  "x-apollo-operation-name",
  "x-request-id",
];
const exposedHeaders = ["x-request-id", "retry-after"];

/**
 * Security headers on every response (helmet) and CORS from an allow-list. The API serves JSON only
 * in production, so its content security policy forbids everything (no scripts, no framing); outside
 * production the Apollo Sandbox page needs scripts and frames from Apollo's CDN, so CSP is off there.
 */
export async function registerHttpHardening(app: FastifyInstance, settings: HttpHardeningSettings): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: settings.production
      ? { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }
      : false,
    crossOriginEmbedderPolicy: false,
    // HSTS tells browsers to use HTTPS from now on; only meaningful (and safe) on a production domain.
    hsts: settings.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });

  if (settings.corsOrigins.length === 0) return;
  const anyOrigin = settings.corsOrigins.includes("*");
  await app.register(fastifyCors, {
    origin: anyOrigin ? "*" : [...settings.corsOrigins],
    // Cookies (the refresh-token cookie) only ever for listed origins, never with `*`.
    credentials: !anyOrigin,
    methods: ["GET", "POST"],
    allowedHeaders,
    exposedHeaders,
    maxAge: 600,
    // A plain OPTIONS (no Origin or no Access-Control-Request-Method) gets the usual 204 rather than
    // the plugin's text/plain 400: it is not an error, and every error body here is GraphQL-shaped.
    strictPreflight: false,
  });
}
