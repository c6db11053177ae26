import { randomUUID } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import fastifyCookie from "@fastify/cookie";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, LogController } from "fastify";
import type { Config } from "./config/index.js";
import { createLoaders, type RequestContext } from "./context.js";
import { type AccessTokens, createAccessTokens, InvalidTokenError, type Viewer } from "./platform/auth/tokens.js";
import type { Database } from "./platform/db/database.js";
import { unauthenticated } from "./platform/errors/index.js";
import { createMailer, logTransport, type MailTransport, smtpTransport } from "./platform/mail/index.js";
import { createLogger, type Logger } from "./platform/logger/index.js";
import { errorReportingPlugin, maskError, type RequestTrace } from "./platform/plugins/error-masking.js";
import { buildGatewaySchema } from "./schema.js";

export type ServerDeps = {
  db: Database;
  /** Defaults to SMTP when SMTP_URL is set, else the log. Tests pass a fake. */
  mailTransport?: MailTransport;
  /** Defaults to a pino logger at the configured level. */
  logger?: Logger;
};

export type Gateway = {
  app: FastifyInstance;
  tokens: AccessTokens;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
};

declare module "fastify" {
  interface FastifyRequest {
    graphqlTrace: RequestTrace | null;
  }
}

/** A client-supplied request id is kept only if it cannot forge log lines or bloat them. */
const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the whole gateway, ready to `listen` (main.ts) or to `inject` requests into (tests). */
export async function buildServer(config: Config, deps: ServerDeps): Promise<Gateway> {
  const logger = deps.logger ?? createLogger(config.log.level);
  const { db } = deps;
  const tokens = await createAccessTokens(config.auth, logger);
  const mailTransport =
    deps.mailTransport ??
    (config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl) : logTransport(logger, !config.isProduction));
  const auth = {
    tokens,
    mailer: createMailer(db.prisma, mailTransport, config.mail.from, logger),
    passwordResetUrl: config.mail.passwordResetUrl,
  };

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request, written in onResponse below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "requestId" }),
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers["x-request-id"];
      return typeof incoming === "string" && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    },
  });
  app.decorateRequest("graphqlTrace", null);

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addHook("onResponse", async (request, reply) => {
    const trace = request.graphqlTrace;
    request.log.info(
      {
        method: request.method,
        url: request.url.split("?")[0],
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        ...(trace ? { operationName: trace.operationName, errorCodes: trace.errorCodes } : {}),
      },
      "request completed",
    );
  });

  app.get("/health", async () => ({ status: "ok" }));
  app.get("/ready", async (_request, reply) => {
    const database = await db.prisma.$queryRaw`SELECT 1`.then(
      () => "up" as const,
      (error: unknown) => {
        logger.warn({ err: error }, "readiness check: database unreachable");
        return "down" as const;
      },
    );
    const ready = database === "up";
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not ready", checks: { database } });
  });

  const apollo = new ApolloServer<RequestContext>({
    schema: await buildGatewaySchema(),
    introspection: !config.isProduction,
    includeStacktraceInErrorResponses: false,
    formatError: maskError,
    plugins: [
      fastifyApolloDrainPlugin(app),
      // Cache hints are not used; the plugin alone costs about half the throughput (stack-facts).
      ApolloServerPluginCacheControlDisabled(),
      config.isProduction
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      errorReportingPlugin(),
    ],
  });
  await apollo.start();

  const authenticate = async (request: FastifyRequest): Promise<Viewer | null> => {
    const header = request.headers.authorization;
    if (header === undefined) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      throw unauthenticated("The Authorization header must be `Bearer <access token>`.", { http: { status: 401 } });
    }
    try {
      return await tokens.verify(match[1]);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      request.log.info({ reason: error.reason }, "rejected access token");
      // A bad token fails the whole request with 401 (not a silent downgrade to anonymous), so clients
      // notice and refresh instead of rendering a signed-out page.
      throw unauthenticated("The access token is invalid or expired. Refresh the session or sign in again.", {
        http: { status: 401, headers: new Map([["www-authenticate", 'Bearer error="invalid_token"']]) },
      });
    }
  };

  await app.register(fastifyCookie);
  await app.register(fastifyApollo(apollo), {
    context: async (request, reply) => {
      const viewer = await authenticate(request);
      const trace: RequestTrace = { operationName: null, errorCodes: [] };
      request.graphqlTrace = trace;
      return {
        requestId: request.id,
        viewer,
        prisma: db.prisma,
        log: request.log,
        trace,
        loaders: createLoaders({ prisma: db.prisma, viewer, batch: config.dataloaderBatch }),
        auth,
        http: {
          ip: request.ip,
          userAgent: request.headers["user-agent"] ?? null,
          getCookie: (name) => request.cookies[name],
          setCookie: (name, value, expires) => {
            reply.setCookie(name, value, { httpOnly: true, secure: true, sameSite: "strict", path: "/", expires });
          },
          clearCookie: (name) => {
            reply.clearCookie(name, { httpOnly: true, secure: true, sameSite: "strict", path: "/" });
          },
        },
      };
    },
  });

  return {
    app,
    tokens,
    async close() {
      await app.close(); // the drain plugin stops Apollo after in-flight requests finish
      await db.close();
    },
  };
}
