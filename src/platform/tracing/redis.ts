import type { Redis } from "ioredis";
import type { RedisClient } from "../redis/index.js";
import { endSpan, startClientSpan } from "./tracing.js";

type SendCommand = Redis["sendCommand"];
type Command = Parameters<SendCommand>[0];

/**
 * A CLIENT span for each command this client sends within a traced request (pipelines and MULTI too: ioredis
 * sends their commands one by one through `sendCommand`). Our own wrapper rather than
 * @opentelemetry/instrumentation-ioredis: that one patches ioredis as it loads, which under ESM needs an
 * import-in-the-middle loader registered before anything imports it, and reports to the process-wide
 * tracer. Only the command's name is recorded: arguments carry keys and values (tokens among them).
 */
export function traceRedisCommands(client: RedisClient): void {
  // A cluster's sendCommand routes to a node's connection, whose own sendCommand is not wrapped: one span
  // per command there too.
  const send = client.sendCommand.bind(client) as (command: Command, ...rest: unknown[]) => Promise<unknown>;
  // ioredis may pass a command through sendCommand again (offline queue, reconnect): one span is enough.
  const traced = new WeakSet<Command>();
  (client as Pick<Redis, "sendCommand">).sendCommand = ((command: Command, ...rest: unknown[]) => {
    if (traced.has(command)) return send(command, ...rest);
    const name = command.name.toUpperCase();
    const span = startClientSpan(name, { "db.system.name": "redis", "db.operation.name": name });
    if (!span) return send(command, ...rest);
    traced.add(command);
    const reply = send(command, ...rest);
    // Observed, not chained: pipelines drop what sendCommand returns, and a chained copy that rejects
    // unobserved would be an unhandled rejection.
    reply.then(
      () => span.end(),
      (error: unknown) => endSpan(span, error),
    );
    return reply;
  }) as SendCommand;
}
