export { createEventBus, type EventBus } from "./event-bus.js";
export {
  type EventPosition,
  encodeEventCursor,
  type ResumeSettings,
  resumableEvents,
} from "./resumable.js";
export {
  type Connection,
  closeCodes,
  registerSubscriptionServer,
  type SubscriptionLimits,
  type SubscriptionServer,
} from "./subscription-server.js";

/** A Prisma `where` for rows after `from` in (`column`, id) order: what a resuming subscriber missed. */
export function changedAfter<Where extends { OR?: unknown }>(
  column: keyof Where & string,
  from: { at: Date; id: string },
): Where {
  return { OR: [{ [column]: { gt: from.at } }, { [column]: from.at, id: { gt: from.id } }] } as Where;
}

/** What services see of real-time events: publish after commit; subscribe (with resumption settings). */
export type Events = Readonly<{
  publish(topic: string, payload: object): void;
  subscribe(topic: string): AsyncIterableIterator<unknown>;
  resume: import("./resumable.js").ResumeSettings;
}>;
