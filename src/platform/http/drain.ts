import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sendGraphQLError, unavailableRetryAfterSeconds } from "../errors/http-responses.js";

const shuttingDownMessage = `This server is shutting down. Retry after ${unavailableRetryAfterSeconds} s (another instance will answer).`;
const cutMessage = `This server is shutting down and could not finish the request in time. Retry after ${unavailableRetryAfterSeconds} s.`;

/** Time the last answers get to be written before the remaining connections are dropped. */
const FLUSH_MS = 1_000;

export type Drain = {
  /**
   * Closes the server the graceful way: no new connections; requests in flight are answered, with
   * `Connection: close` so keep-alive connections end cleanly; requests arriving on an open connection
   * meanwhile get 503. After `drainMs` (none: wait as long as it takes) whatever is still unanswered
   * gets 503 SERVICE_UNAVAILABLE, and the connections still open after that are dropped.
   */
  close(drainMs?: number): Promise<void>;
  /** Once closing: resolves when no HTTP request is waiting for its answer any more. */
  idle(): Promise<void>;
};

/** Shutdown for a Fastify server. Register before the routes. */
export function registerDrain(app: FastifyInstance): Drain {
  let draining = false;
  const inFlight = new Map<FastifyRequest, FastifyReply>();
  const waitingForIdle = new Set<() => void>();
  const settled = (request: FastifyRequest) => {
    inFlight.delete(request);
    if (inFlight.size > 0) return;
    for (const wake of waitingForIdle) wake();
    waitingForIdle.clear();
  };

  app.addHook("preClose", async () => {
    draining = true;
  });
  app.addHook("onRequest", async (request, reply) => {
    if (draining) {
      return sendGraphQLError(request, reply, 503, "SERVICE_UNAVAILABLE", shuttingDownMessage, {
        retryAfter: unavailableRetryAfterSeconds,
      });
    }
    // A WebSocket upgrade never gets an HTTP answer: its connection is closed by shutdown itself (1001).
    if (request.headers.upgrade !== undefined) return;
    inFlight.set(request, reply);
    // "close" comes once the response is out, or the client went away first.
    reply.raw.once("close", () => settled(request));
  });
  app.addHook("onSend", async (_request, reply) => {
    // Otherwise a keep-alive connection stays open after its last answer until the client or the
    // keep-alive timeout ends it, and a request sent on it meanwhile meets a closing socket.
    if (draining) reply.header("connection", "close");
  });

  /** Answers every request still waiting for its response with 503; returns how many. */
  const cutRemaining = () => {
    let cut = 0;
    for (const [request, reply] of inFlight) {
      if (reply.raw.headersSent) continue;
      cut++;
      request.log.warn("shutdown drain deadline passed; answering 503");
      sendGraphQLError(request, reply, 503, "SERVICE_UNAVAILABLE", cutMessage, {
        retryAfter: unavailableRetryAfterSeconds,
      });
    }
    return cut;
  };

  return {
    idle: () => (inFlight.size === 0 ? Promise.resolve() : new Promise((resolve) => waitingForIdle.add(resolve))),
    async close(drainMs) {
      const closed = app.close();
      if (drainMs === undefined) return closed;
      const expired = Symbol("expired");
      const after = (ms: number) => {
        let timer: NodeJS.Timeout | undefined;
        const promise = new Promise<typeof expired>((resolve) => {
          timer = setTimeout(resolve, ms, expired);
        });
        return { promise, cancel: () => clearTimeout(timer) };
      };
      const deadline = after(drainMs);
      const first = await Promise.race([closed, deadline.promise]);
      deadline.cancel();
      if (first !== expired) return;
      const cut = cutRemaining();
      app.log.warn({ drainMs, cut }, "shutdown: requests still unanswered at the drain deadline got 503");
      const flush = after(FLUSH_MS);
      const flushed = await Promise.race([closed, flush.promise]);
      flush.cancel();
      if (flushed === expired) app.server.closeAllConnections();
      await closed;
    },
  };
}
