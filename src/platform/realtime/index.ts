export { createEventBus, type EventBus } from "./event-bus.js";
export {
  changedAfter,
  type EventPosition,
  type Events,
  encodeEventCursor,
  type ResumeSettings,
  resumableEvents,
} from "./resumable.js";
export {
  registerSubscriptionServer,
  type SubscriptionLimits,
  type SubscriptionServer,
} from "./subscription-server.js";
