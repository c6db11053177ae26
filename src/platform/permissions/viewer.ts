import type { Viewer } from "../auth/tokens.js";
import { unauthenticated } from "../errors/index.js";

/**
 * The signed-in caller, for resolvers whose permission rule already demanded one. Should a rule ever be
 * loosened by mistake, this fails closed (UNAUTHENTICATED) instead of running as nobody.
 */
export function requireViewer(ctx: { viewer: Viewer | null }): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}
