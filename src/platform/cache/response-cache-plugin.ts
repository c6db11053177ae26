import { createHash } from "node:crypto";
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from "@apollo/server";
import { HeaderMap } from "@apollo/server";
import { ApolloServerPluginCacheControl } from "@apollo/server/plugin/cacheControl";
import {
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isObjectType,
  printSchema,
} from "graphql";
import type { LimitsContext } from "../limits/request-limits.js";
import { entityTag, listTag, type RequestCache } from "./request-cache.js";
import type { SharedSelections } from "./shared-selection.js";
import type { StoreTicket, TaggedCache } from "./tagged-cache.js";

/** All the response cache reads of a request's context. */
export type CacheContext = LimitsContext & {
  viewer: { role: string } | null;
  cache: RequestCache;
};

export type ResponseCachePluginOptions = Readonly<{
  store: TaggedCache;
  /** Which operations select shared fields only (decided from the document). */
  selections: SharedSelections;
  /** Longest an entry lives, whatever the hints allow. */
  maxTtlSeconds: number;
  /** Longest `Cache-Control: public, max-age` on GET persisted queries. */
  httpMaxAgeSeconds: number;
  /** Told of every lookup (metrics): whether the cache had the answer. */
  onLookup?: (hit: boolean) => void;
}>;

/** What a stored response holds: its data, and the ETag GET persisted queries answer with. */
type StoredResponse = { data: Record<string, unknown>; etag: string };

type CachePolicy = { maxAge: number; scope: "PUBLIC" | "PRIVATE" };

/**
 * The response cache, as an Apollo Server plugin. A query whose every field is shared (see
 * SharedSelections), from anyone but an admin (whose reads see drafts and deleted rows), is looked up
 * under its document hash, its variables and the schema's version; a miss runs, records the tags of what
 * it returned, and is stored when Apollo's cache-control plugin finds it PUBLIC with a max age, and it
 * has no errors. Everything else bypasses the cache. Whatever the request changed is invalidated before
 * its response leaves.
 */
export function responseCachePlugin(options: ResponseCachePluginOptions): ApolloServerPlugin<CacheContext> {
  const { store, selections, maxTtlSeconds, httpMaxAgeSeconds, onLookup } = options;
  let tagging: FieldTagging;
  let version = "";
  // The policy Apollo's plugin computed for a document's first stored response, reused for its later
  // ones: the hints are static (no resolver sets one), private selections never get here, and every
  // type reachable through shared fields carries a hint (tests/contract/cache-hints.test.ts), so a later
  // response can differ only by leaving out fields (a null), never by adding an uncacheable one. Saves
  // the plugin's per-field work, about a third of a miss.
  const policies = new WeakMap<DocumentNode, Map<string, CachePolicy>>();

  return {
    async serverWillStart({ schema }) {
      tagging = fieldTagging(schema);
      // Instances of different releases may share one Redis: entries are per schema.
      version = sha256(printSchema(schema)).slice(0, 12);
    },

    async requestDidStart(): Promise<GraphQLRequestListener<CacheContext>> {
      let key: string | null = null;
      let ticket: StoreTicket | null = null;
      let hit: { response: StoredResponse; expiresAt: number } | null = null;
      let known: CachePolicy | null = null;

      return {
        async didResolveOperation({ contextValue, document, operation, queryHash, request }) {
          const { cache, limits } = contextValue;
          if (operation?.operation !== "query" || contextValue.viewer?.role === "ADMIN") return;
          if (!store.available() || !selections.onlyShared(document, operation)) return;
          // One scope: everything stored is what any caller but an admin would get.
          key = `response:public:${version}:${queryHash}:${sha256(`${request.operationName ?? ""}\n${JSON.stringify(request.variables ?? {})}`)}`;
          const lookup = store.get(key);
          // Before the first await: the cost plugin, next in line, prices a cached answer lower.
          limits.cachedAnswer = lookup.then((found) => found.entry !== null);
          const found = await lookup;
          onLookup?.(found.entry !== null);
          if (found.entry) {
            hit = { response: found.entry.value as StoredResponse, expiresAt: found.entry.expiresAt };
          } else if (found.ticket) {
            ticket = found.ticket;
            cache.reads = new Set();
            known = policies.get(document)?.get(request.operationName ?? "") ?? null;
            cache.needsPolicy = known === null;
          }
        },

        async responseForOperation() {
          if (!hit) return null;
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: "single", singleResult: { data: hit.response.data } },
          };
        },

        async executionDidStart({ contextValue }) {
          if (!contextValue.cache.reads) return;
          return { willResolveField: ({ info }) => tagging(getNamedType(info.returnType), contextValue.cache) };
        },

        async willSendResponse({ contextValue, request, response, overallCachePolicy, document }) {
          const { cache } = contextValue;
          // A write's response leaves only once every instance has been told (or Redis is away: then the
          // shared tier is skipped until the news is sent).
          if (cache.changes.size > 0) await store.invalidate([...cache.changes]);

          let answered: { etag: string; expiresAt: number } | null = hit
            ? { etag: hit.response.etag, expiresAt: hit.expiresAt }
            : null;
          const policy = known ?? overallCachePolicy.policyIfCacheable();
          const result = response.body.kind === "single" ? response.body.singleResult : null;
          if (key && ticket && cache.reads && policy?.scope === "PUBLIC" && result?.data && !result.errors) {
            if (!known && document) {
              const byOperation = policies.get(document) ?? new Map<string, CachePolicy>();
              policies.set(document, byOperation);
              byOperation.set(request.operationName ?? "", { maxAge: policy.maxAge, scope: policy.scope });
            }
            const data = result.data as Record<string, unknown>;
            const expiresAt = Date.now() + Math.min(policy.maxAge, maxTtlSeconds) * 1000;
            // Entries never change, and a new one follows every invalidation: naming the entry is enough
            // for a validator, without serialising and hashing the data once more.
            const stored: StoredResponse = { data, etag: `W/"${sha256(key).slice(0, 16)}.${expiresAt.toString(36)}"` };
            await store.set(key, { value: stored, tags: [...cache.reads], expiresAt }, ticket);
            answered = { etag: stored.etag, expiresAt };
          }

          // HTTP caching, for GET persisted queries only: a URL naming a hash is what a CDN can key on.
          const persisted = request.http?.method === "GET" && request.extensions?.persistedQuery !== undefined;
          if (!persisted) return;
          const headers = response.http.headers;
          if (answered) {
            const remaining = Math.floor((answered.expiresAt - Date.now()) / 1000);
            headers.set("cache-control", `public, max-age=${Math.max(0, Math.min(remaining, httpMaxAgeSeconds))}`);
            headers.set("etag", answered.etag);
            // The same URL with a token may be a private answer (an admin's): never serve one for the other.
            headers.set("vary", "authorization");
          } else {
            headers.set("cache-control", "private, no-store");
          }
        },
      };
    },
  };
}

/**
 * Apollo's cache-control plugin, computing `overallCachePolicy` from the `@cacheControl` hints, but only
 * for requests the response cache may store, and once per document: its per-field hook costs about half
 * the throughput of a nested read (stack facts), which every other request is spared.
 */
export function cacheControlForStorableRequests(): ApolloServerPlugin<CacheContext> {
  const inner = ApolloServerPluginCacheControl({ calculateHttpHeaders: false }) as ApolloServerPlugin<BaseContext>;
  return {
    ...inner,
    async requestDidStart(requestContext) {
      const hooks = await inner.requestDidStart?.(requestContext);
      if (!hooks?.executionDidStart) return;
      const executionDidStart = hooks.executionDidStart;
      return {
        async executionDidStart(executionContext) {
          const { cache } = executionContext.contextValue;
          return cache.reads && cache.needsPolicy ? executionDidStart(executionContext) : undefined;
        },
      };
    },
  } as ApolloServerPlugin<CacheContext>;
}

type FieldTagging = (
  returnType: GraphQLNamedType,
  cache: RequestCache,
) => ((error: Error | null, result?: unknown) => void) | undefined;

/**
 * How each field's result becomes tags, by the type it returns: a `Node` object type tags every object
 * returned by id, and its lists (and a lookup that found nothing) with the type's list tag; a connection
 * tags the list of its node type (its nodes tag themselves, through `edges.node`). Tags come from what the
 * response actually holds, so they are the same whether the planner or the loaders read the rows. A field
 * returning an interface or union of nodes makes the response unstorable (its object type is not known
 * here); the shared fields include none today.
 */
function fieldTagging(schema: GraphQLSchema): FieldTagging {
  const node = schema.getType("Node");
  const entities = new Set<string>();
  const lists = new Map<string, string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    if (type.getInterfaces().some((implemented) => implemented === node)) entities.add(type.name);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    const edge = type.getFields().edges ? getNamedType(type.getFields().edges?.type) : null;
    const nodeType = isObjectType(edge) ? getNamedType(edge.getFields().node?.type) : null;
    if (nodeType && entities.has(nodeType.name)) lists.set(type.name, nodeType.name);
  }

  return (returnType, cache) => {
    const reads = cache.reads;
    if (!reads) return undefined;
    const list = lists.get(returnType.name);
    if (list) {
      reads.add(listTag(list));
      return undefined;
    }
    if (isAbstractType(returnType)) {
      if (node && schema.getPossibleTypes(returnType).some((type) => entities.has(type.name))) cache.reads = null;
      return undefined;
    }
    if (!entities.has(returnType.name)) return undefined;
    const typeName = returnType.name;
    return (error, result) => {
      if (error) return;
      if (result == null || Array.isArray(result)) reads.add(listTag(typeName));
      for (const item of Array.isArray(result) ? result : [result]) {
        const id = (item as { id?: unknown } | null)?.id;
        if (typeof id === "string") reads.add(entityTag(typeName, id));
      }
    };
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}
