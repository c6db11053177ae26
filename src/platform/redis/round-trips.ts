/**
 * Shares Redis round trips between concurrent callers without making any answer older than its
 * question: at most one batch is in flight; calls made meanwhile wait for it to return and then go out
 * together, as one command. An idle batcher sends a call at once, so a lone caller waits no longer than
 * before. Under load, one round trip serves every call that arrived during the previous one.
 */
export class RoundTripBatcher<Call, Answer> {
  #queued: { call: Call; resolve: (answer: Answer) => void; reject: (error: unknown) => void }[] = [];
  #inFlight = false;

  /**
   * `send` answers the calls of one batch in order, in one round trip; `onIdle` is told when the last
   * batch has returned and no call waits (a batcher per key can then be dropped).
   */
  constructor(
    private readonly send: (calls: readonly Call[]) => Promise<readonly Answer[]>,
    private readonly onIdle?: () => void,
  ) {}

  run(call: Call): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.#queued.push({ call, resolve, reject });
      if (!this.#inFlight) this.#sendQueued();
    });
  }

  #sendQueued(): void {
    const batch = this.#queued;
    this.#queued = [];
    this.#inFlight = batch.length > 0;
    if (batch.length === 0) {
      this.onIdle?.();
      return;
    }
    this.send(batch.map((queued) => queued.call))
      .then(
        (answers) => {
          for (const [i, queued] of batch.entries()) queued.resolve(answers[i] as Answer);
        },
        (error: unknown) => {
          for (const queued of batch) queued.reject(error);
        },
      )
      .finally(() => this.#sendQueued());
  }
}
