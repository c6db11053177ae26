import { createHash } from "node:crypto";
import type { ApolloServerPlugin, GraphQLRequestListener } from "@apollo/server";
import { HeaderMap } from "@apollo/server";
import {
  defaultFieldResolver,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isObjectType,
  type OperationDefinitionNode,
  printSchema,
} from "graphql";
import type { LimitsContext } from "../limits/request-limits.js";
import { type CachePolicy, operationCachePolicy } from "./cache-policy.js";
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

/**
 * The response cache, as an Apollo Server plugin. A query whose every field is shared (see
 * SharedSelections), from anyone but an admin (whose reads see drafts and deleted rows), is looked up
 * under its document hash, its variables and the schema's version; a miss runs, records the tags of what
 * it returned (`recordCacheTags`), and is stored when the operation's cache policy (from the
 * `@cacheControl` hints, `operationCachePolicy`) is PUBLIC with a max age, and it has no errors. Everything
 * else bypasses the cache. Whatever the request changed is invalidated before its response leaves.
 */
export function responseCachePlugin(options: ResponseCachePluginOptions): ApolloServerPlugin<CacheContext> {
  const { store, selections, maxTtlSeconds, httpMaxAgeSeconds, onLookup } = options;
  let version = "";
  // Decided once per parsed operation (Apollo keeps one document per query text); null: not cacheable.
  const policies = new WeakMap<OperationDefinitionNode, CachePolicy | null>();

  return {
    async serverWillStart({ schema }) {
      // Instances of different releases may share one Redis: entries are per schema.
      version = sha256(printSchema(schema)).slice(0, 12);
    },

    async requestDidStart(): Promise<GraphQLRequestListener<CacheContext>> {
      let key: string | null = null;
      let ticket: StoreTicket | null = null;
      let hit: { response: StoredResponse; expiresAt: number } | null = null;
      let policy: CachePolicy | null = null;

      return {
        async didResolveOperation({ contextValue, document, operation, queryHash, request, schema }) {
          const { cache, limits } = contextValue;
          if (operation?.operation !== "query" || contextValue.viewer?.role === "ADMIN") return;
          if (!store.available() || !selections.onlyShared(document, operation)) return;
          let known = policies.get(operation);
          if (known === undefined) {
            known = operationCachePolicy(schema, document, operation);
            policies.set(operation, known);
          }
          if (known?.scope !== "PUBLIC") return;
          policy = known;
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
          }
        },

        async responseForOperation() {
          if (!hit) return null;
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: "single", singleResult: { data: hit.response.data } },
          };
        },

        async willSendResponse({ contextValue, request, response }) {
          const { cache } = contextValue;
          // A write's response leaves only once every instance has been told (or Redis is away: then the
          // shared tier is skipped until the news is sent).
          if (cache.changes.size > 0) await store.invalidate([...cache.changes]);

          let answered: { etag: string; expiresAt: number } | null = hit
            ? { etag: hit.response.etag, expiresAt: hit.expiresAt }
            : null;
          const result = response.body.kind === "single" ? response.body.singleResult : null;
          if (key && ticket && cache.reads && policy && result?.data && !result.errors) {
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
 * Records, while a response the cache may store executes, the tags of what it holds, by wrapping the
 * resolvers of the fields that return tagged objects: a `Node` object type tags every object returned by
 * id, and its lists (and a lookup that found nothing) with the type's list tag; a connection tags the list
 * of its node type (its nodes tag themselves, through `edges.node`). Tags come from what the response
 * actually holds, so they are the same whether the planner or the loaders read the rows. A field returning
 * an interface or union of nodes makes the response unstorable (its object type is not known here); the
 * shared fields include none today. Only these fields are wrapped, and outside a storable miss they pay
 * one check of the context: Apollo's `willResolveField` would wrap every field and cost every request.
 */
export function recordCacheTags(schema: GraphQLSchema): void {
  const recorderFor = tagRecorders(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      const record = recorderFor(getNamedType(field.type));
      if (!record) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: Partial<CacheContext>, info) => {
        const result = resolve(source, args, context, info);
        const cache = context.cache;
        if (!cache?.reads) return result;
        if (!isPromiseLike(result)) {
          record(cache, result);
          return result;
        }
        return result.then((value) => {
          record(cache, value);
          return value;
        });
      };
    }
  }
}

type TagRecorder = (cache: RequestCache, result: unknown) => void;

/** What each return type adds to a response's tags; null: nothing (the field is left alone). */
function tagRecorders(schema: GraphQLSchema): (returnType: GraphQLNamedType) => TagRecorder | null {
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

  return (returnType) => {
    const list = lists.get(returnType.name);
    if (list) return (cache) => cache.reads?.add(listTag(list));
    if (isAbstractType(returnType)) {
      if (!schema.getPossibleTypes(returnType).some((type) => entities.has(type.name))) return null;
      return (cache) => {
        cache.reads = null;
      };
    }
    if (!entities.has(returnType.name)) return null;
    const typeName = returnType.name;
    return (cache, result) => {
      const reads = cache.reads;
      if (!reads) return;
      if (result == null || Array.isArray(result)) reads.add(listTag(typeName));
      for (const item of Array.isArray(result) ? result : [result]) {
        const id = (item as { id?: unknown } | null)?.id;
        if (typeof id === "string") reads.add(entityTag(typeName, id));
      }
    };
  };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}
