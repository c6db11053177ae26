import type { IncomingMessage, ServerResponse } from "node:http";
import fastifyCors from "@fastify/cors";
import type { FastifyInstance } from "fastify";
import helmet, { type HelmetOptions } from "helmet";

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
  const headers = Object.entries(
    securityHeaders({
      contentSecurityPolicy: settings.production
        ? { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }
        : false,
      crossOriginEmbedderPolicy: false,
      // HSTS tells browsers to use HTTPS from now on; only meaningful (and safe) on a production domain.
      hsts: settings.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    }),
  );
  // On the raw response, as helmet itself does: they stay on whatever answers, even a hijacked reply.
  app.addHook("onRequest", (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });

  if (settings.corsOrigins.length === 0) return;
  const anyOrigin = settings.corsOrigins.includes("*");
  await app.register(fastifyCors, {
    origin: anyOrigin ? "*" : [...settings.corsOrigins],
    // Cookies (the refresh-token cookie) only ever for listed origins, never with `*`.
    credentials: !anyOrigin,
    // PUT: the signed upload URLs (platform/storage), which browsers call from the shop's origin.
    methods: ["GET", "POST", "PUT"],
    allowedHeaders,
    exposedHeaders,
    maxAge: 600,
    // A plain OPTIONS (no Origin or no Access-Control-Request-Method) gets the usual 204 rather than
    // the plugin's text/plain 400: it is not an error, and every error body here is GraphQL-shaped.
    strictPreflight: false,
  });
}

/**
 * The headers helmet sets with these options, worked out once. @fastify/helmet rebuilt the whole helmet
 * middleware (parsing the CSP directives again) on every request, about 6 % of the CPU of a small request;
 * with no per-request nonces the headers never change, so helmet runs once here on a recording response.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}
