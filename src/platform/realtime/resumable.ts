import { Repeater } from "@graphql-yoga/subscription";
import { badUserInput } from "../errors/index.js";

/** Where an event stands in its stream: the changed row's timestamp, then its id (ties). */
export type EventPosition = Readonly<{ at: Date; id: string }>;

/** What services see of real-time events: publish after commit; subscribe (with resumption settings). */
export type Events = Readonly<{
  publish(topic: string, payload: object): void;
  subscribe(topic: string): AsyncIterableIterator<unknown>;
  resume: ResumeSettings;
}>;

/** A Prisma `where` for rows after `from` in (`column`, id) order: what a resuming subscriber missed. */
export function changedAfter<Where extends { OR?: unknown }>(column: keyof Where & string, from: EventPosition): Where {
  return { OR: [{ [column]: { gt: from.at } }, { [column]: from.at, id: { gt: from.id } }] } as Where;
}

export type ResumeSettings = Readonly<{
  /** How far back `after:` may reach. */
  windowMs: number;
  /** Most missed events replayed; more means the client should refetch instead. */
  maxEvents: number;
}>;

/** The opaque cursor events carry: base64url of `<epoch ms>:<row id>`. */
export function encodeEventCursor(position: EventPosition): string {
  return Buffer.from(`${position.at.getTime()}:${position.id}`).toString("base64url");
}

function decodeEventCursor(cursor: string, settings: ResumeSettings): EventPosition {
  const [ms, id] = Buffer.from(cursor, "base64url").toString().split(":", 2);
  const at = Number(ms);
  if (!id || !Number.isSafeInteger(at) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw badUserInput("`after` is not a cursor of this subscription: pass an event's `cursor` as it was.", "after");
  }
  if (at < Date.now() - settings.windowMs) {
    throw badUserInput(
      `\`after\` is older than the ${Math.round(settings.windowMs / 60_000)}-minute resumption window: refetch the data, then subscribe without \`after\`.`,
      "after",
    );
  }
  return { at: new Date(at), id };
}

const compare = (a: EventPosition, b: EventPosition) =>
  a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export type ResumableOptions<Row> = Readonly<{
  /** The live events (already listening, or listening on the first `next()`). */
  live: AsyncIterableIterator<unknown>;
  /** The client's `after:` cursor, if it is resuming. */
  after: string | null | undefined;
  settings: ResumeSettings;
  /** Rows changed after `from` that this subscriber may see, oldest first, at most `limit`. */
  replay(from: EventPosition, limit: number): Promise<Row[]>;
  /** The row's identity (which row) and position (which change of it). */
  key(row: Row): string;
  position(row: Row): EventPosition;
  /** Whether this subscriber may receive a live event (its own orders, products on sale, ...). */
  accept(row: Row): boolean;
}>;

/**
 * A subscriber's stream: with `after`, first the changes it missed (replayed from the rows themselves:
 * each changed row once, in its current state), then the live events. Live events are heard from before
 * the replay is read, and an event whose change the replay already delivered is skipped, so a change
 * that lands during the reconnect arrives exactly once.
 */
export async function resumableEvents<Row>(options: ResumableOptions<Row>): Promise<AsyncIterableIterator<Row>> {
  const { live, settings } = options;
  let from: EventPosition | null;
  try {
    from = options.after ? decodeEventCursor(options.after, settings) : null;
  } catch (error) {
    await live.return?.();
    throw error;
  }
  const delivered = new Map<string, EventPosition>();
  const fresh = (row: Row) => {
    const key = options.key(row);
    const seen = delivered.get(key);
    const position = options.position(row);
    if (seen && compare(position, seen) <= 0) return false;
    if (from) delivered.set(key, position);
    return true;
  };

  // Listening starts with the first next(): before the replay is read.
  const firstLive = live.next();
  let missed: Row[] = [];
  if (from) {
    try {
      missed = await options.replay(from, settings.maxEvents + 1);
    } catch (error) {
      await live.return?.();
      throw error;
    }
    if (missed.length > settings.maxEvents) {
      await live.return?.();
      throw badUserInput(
        `More than ${settings.maxEvents} events were missed: refetch the data, then subscribe without \`after\`.`,
        "after",
      );
    }
  }

  return new Repeater<Row>(async (push, stop) => {
    for (const row of missed) if (fresh(row)) void push(row);
    stop.then(() => live.return?.());
    let step = await Promise.race([firstLive, stop.then(() => null)]);
    while (step && !step.done) {
      const row = step.value as Row;
      if (options.accept(row) && fresh(row)) await push(row);
      step = await Promise.race([live.next(), stop.then(() => null)]);
    }
    stop();
  });
}
