import { createSourceEventStream, type ExecutionArgs, type ExecutionResult, execute } from "graphql";

/**
 * graphql-js's `subscribe`, except that each event executes with a context of its own: the subscription's
 * context would keep one set of DataLoaders (and their cached rows) for the whole life of the
 * subscription, so a second event about the same order would resolve its relations from the first
 * event's reads. The root field's `subscribe` still gets the subscription's context.
 */
export async function subscribeWithEventContexts(
  args: ExecutionArgs,
  eventContext: () => unknown,
): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const source = stream[Symbol.asyncIterator]();
  // A plain iterator object, not an async generator: a generator's `return()` would wait for the pending
  // `next()` (until the next event), and the subscription would outlive its client until then.
  const events: AsyncGenerator<ExecutionResult> = {
    async next() {
      const step = await source.next();
      if (step.done) return step;
      const result = await execute({ ...args, rootValue: step.value, contextValue: eventContext() });
      return { done: false, value: result };
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return events;
}
