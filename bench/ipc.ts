// The few messages between the harness and a server it started (child_process.fork's IPC channel).
// Servers are separate processes so that CPU time and RSS read from /proc are theirs alone.

/** Child → harness, once: the server listens at `url` (POST `${url}/graphql`). */
export type ReadyMessage = { type: "ready"; url: string };
/** Harness → child: how many SQL statements have you sent so far? */
export type StatementsRequest = { type: "statements"; id: number };
/** Child → harness: the answer to a StatementsRequest with the same id. */
export type StatementsReply = { type: "statements"; id: number; count: number };

export type ChildMessage = ReadyMessage | StatementsReply;
export type HarnessMessage = StatementsRequest;

export function isHarnessMessage(message: unknown): message is HarnessMessage {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === "statements";
}

/**
 * Wires a server process to the harness: reports `url`, answers statement-count requests, and exits when
 * the harness goes away (its IPC channel closes), so no server outlives a bench that crashed.
 */
export function serveHarness(url: string, statements: () => number, stop: () => Promise<void>): void {
  const send = (message: ChildMessage) => process.send?.(message);
  process.on("message", (message) => {
    if (isHarnessMessage(message)) send({ type: "statements", id: message.id, count: statements() });
  });
  let stopping = false;
  const exit = () => {
    if (stopping) return;
    stopping = true;
    const backstop = setTimeout(() => process.exit(1), 5_000);
    backstop.unref();
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("disconnect", exit);
  process.on("SIGTERM", exit);
  process.on("SIGINT", exit);
  send({ type: "ready", url });
}
