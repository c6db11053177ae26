import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isDatabaseUnavailable } from "../db/errors.js";
import { type ErrorCode, internalErrorMessage } from "./index.js";

/** How long clients are told to wait when the database (or the whole instance, shutting down) is away. */
export const unavailableRetryAfterSeconds = 5;

export type ErrorBodyExtras = Readonly<{ retryAfter?: number; field?: string }>;

/**
 * The one error body every HTTP-level refusal uses: the same shape as a GraphQL error response. The trace
 * id (when tracing is on) goes next to the request id.
 */
export function graphqlErrorBody(
  code: ErrorCode,
  message: string,
  requestId: string,
  extras: ErrorBodyExtras = {},
  traceId?: string,
) {
  return JSON.stringify({
    errors: [{ message, extensions: { code, ...extras, requestId, ...(traceId ? { traceId } : {}) } }],
  });
}

/**
 * Answers a request with a GraphQL-shaped error. Sets `x-request-id` itself because some callers run
 * outside the route's hooks (framework errors, drain), and Retry-After when there is one.
 */
export function sendGraphQLError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
  extras: ErrorBodyExtras = {},
) {
  request.httpErrorCode = code;
  reply.code(status).type("application/json; charset=utf-8").header("x-request-id", request.id);
  if (extras.retryAfter !== undefined) reply.header("retry-after", String(extras.retryAfter));
  return reply.send(graphqlErrorBody(code, message, request.id, extras, request.traceSpans?.traceId));
}

/**
 * Errors Fastify (or a plugin) raised for a request: bad JSON, wrong content type, body too large, a
 * plugin's failure. Client mistakes keep Fastify's message (it names the problem, never our data);
 * anything else is masked and logged, except a database outage, which is 503 and retryable.
 */
export function replyWithFastifyError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (status === 413) {
    return sendGraphQLError(
      request,
      reply,
      413,
      "PAYLOAD_TOO_LARGE",
      "The request body is larger than this server accepts.",
    );
  }
  if (status < 500) return sendGraphQLError(request, reply, status, "BAD_REQUEST", error.message);
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, "database unavailable");
    return sendGraphQLError(request, reply, 503, "SERVICE_UNAVAILABLE", databaseUnavailableMessage, {
      retryAfter: unavailableRetryAfterSeconds,
    });
  }
  request.log.error({ err: error }, "unexpected error in an HTTP handler");
  return sendGraphQLError(request, reply, 500, "INTERNAL_SERVER_ERROR", internalErrorMessage);
}

export const databaseUnavailableMessage = `The database is briefly unavailable. Retry after ${unavailableRetryAfterSeconds} s.`;

/**
 * Fastify's `clientErrorHandler`: the request could not even be parsed (malformed HTTP, headers or URL
 * over Node's limit, a request that did not arrive in time), so there is no request object, no hooks and
 * no route. All that is left is the socket: write a minimal HTTP response with the usual body and a
 * fresh request id, and log under that id so a client's report can be found.
 */
export function clientErrorHandler(logger: FastifyBaseLogger) {
  return (error: NodeJS.ErrnoException, socket: Socket) => {
    // A reset connection has nobody to answer.
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const requestId = randomUUID();
    const [status, code, message]: [number, ErrorCode, string] =
      error.code === "HPE_HEADER_OVERFLOW"
        ? [431, "HEADERS_TOO_LARGE", "The request line and headers are larger than this server accepts."]
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "BAD_REQUEST", "The request did not arrive in time."]
          : [400, "BAD_REQUEST", "The HTTP request is malformed."];
    logger.info(
      { requestId, statusCode: status, errorCode: code, reason: error.code, remoteAddress: socket.remoteAddress },
      "malformed HTTP request refused",
    );
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = graphqlErrorBody(code, message, requestId);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
    // The parser is dead for this connection: once the answer is out, drop it (and whatever else the client sends).
    socket.once("finish", () => socket.destroy());
  };
}

/** Fastify's `frameworkErrors`: a URL it cannot decode, before routing. */
export function frameworkErrorHandler(_error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return sendGraphQLError(request, reply, 400, "BAD_REQUEST", "The request URL is malformed.");
}

const knownMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;

/**
 * Gives every other error on every path the GraphQL shape: no route (404, or 405 with `Allow` when the
 * path exists under other methods), errors thrown in hooks or handlers, Node's own answers to an
 * `Expect` it does not know (417), and HTTP/1.1 requests without `Host`, which Node would answer with
 * an empty 400 (its check is turned off in server.ts so that this one answers instead).
 */
export function registerErrorResponses(app: FastifyInstance) {
  app.setErrorHandler(replyWithFastifyError);

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const allowed = knownMethods.filter((method) => app.hasRoute({ method, url: path }));
    if (allowed.length > 0) {
      reply.header("allow", allowed.join(", "));
      return sendGraphQLError(
        request,
        reply,
        405,
        "METHOD_NOT_ALLOWED",
        `${path} accepts ${allowed.join(", ")}, not ${request.method}.`,
      );
    }
    return sendGraphQLError(request, reply, 404, "NOT_FOUND", `There is nothing at ${path}. The API is POST /graphql.`);
  });

  app.addHook("onRequest", async (request, reply) => {
    if (request.raw.httpVersion === "1.1" && request.headers.host === undefined) {
      return sendGraphQLError(request, reply, 400, "BAD_REQUEST", "An HTTP/1.1 request needs a Host header.");
    }
  });

  app.server.on("checkExpectation", (request, response) => {
    const requestId = randomUUID();
    app.log.info({ requestId, expect: request.headers.expect }, "unsupported Expect header refused");
    response.writeHead(417, {
      "content-type": "application/json; charset=utf-8",
      "x-request-id": requestId,
      connection: "close",
    });
    response.end(graphqlErrorBody("BAD_REQUEST", "This server supports no Expect header but 100-continue.", requestId));
  });
}

/**
 * Adds the request id (and the trace id, when tracing is on) to each error of an error body Apollo wrote;
 * anything else is left as it is.
 */
export function withRequestId(body: string, requestId: string, traceId?: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: Record<string, unknown> }[] };
    if (!Array.isArray(parsed.errors)) return body;
    const ids = traceId ? { requestId, traceId } : { requestId };
    for (const error of parsed.errors) error.extensions = { ...error.extensions, ...ids };
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
}
