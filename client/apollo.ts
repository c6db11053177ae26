// A minimal Apollo Client 4 setup for a browser app on this API (README, "Accounts and sessions"). Copy it and
// adapt; `npm run typecheck` compiles it against the installed @apollo/client, so it cannot silently rot.
//
// Links, outermost first: retry what the server refused with Retry-After -> refresh the access token once on
// UNAUTHENTICATED -> attach the in-memory access token -> HTTP with the refresh cookie (credentials: "include").
import {
  ApolloClient,
  ApolloLink,
  CombinedGraphQLErrors,
  type ErrorLike,
  HttpLink,
  InMemoryCache,
  ServerError,
} from "@apollo/client";
import { ErrorLink } from "@apollo/client/link/error";
import { relayStylePagination } from "@apollo/client/utilities";
import { catchError, defer, from, mergeMap, type Observable, of, retry, switchMap, throwError, timer } from "rxjs";

export interface GatewayClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`; same host name as the page, for the cookie. */
  uri: string;
  /** Retries of a request the server refused unrun (429/503 with Retry-After). Default 3. */
  maxRetries?: number;
  /** Longest wait honoured from Retry-After, in seconds; longer refusals reach the app. Default 30. */
  maxRetryAfterSeconds?: number;
  /** An access token this tab already holds; without one the first call that needs it triggers a refresh. */
  accessToken?: string;
  /** Default: the global fetch (tests pass one that talks to an in-process gateway). */
  fetch?: typeof fetch;
}

const REFRESH = "mutation RefreshSession { refreshSession { accessToken userErrors { code } } }";

/** Connections: each list argument set is one cached list, and pages fetched with `after` are appended to it. */
export const typePolicies = {
  Query: {
    fields: {
      products: relayStylePagination(["filter", "sort"]),
      posts: relayStylePagination(["filter"]),
      users: relayStylePagination(["filter"]),
    },
  },
  Category: { fields: { products: relayStylePagination() } },
  Product: { fields: { reviews: relayStylePagination() } },
  User: {
    fields: { orders: relayStylePagination(), posts: relayStylePagination(), reviews: relayStylePagination() },
  },
};

export function createGatewayClient(options: GatewayClientOptions) {
  const maxRetries = options.maxRetries ?? 3;
  const maxWaitMs = (options.maxRetryAfterSeconds ?? 30) * 1000;
  const fetchImpl = options.fetch ?? fetch;
  // In memory only: on page load call refreshSession (it reads the HttpOnly cookie) or let the first refusal do it.
  let accessToken: string | null = options.accessToken ?? null;
  // One refresh at a time: two concurrent refreshes with one cookie count as token theft and end the session.
  let refreshing: Promise<string | null> | null = null;

  async function refreshAccessToken(): Promise<string | null> {
    refreshing ??= fetchImpl(options.uri, {
      method: "POST",
      credentials: "include",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: REFRESH }),
    })
      .then((response) => response.json() as Promise<{ data?: { refreshSession?: { accessToken: string | null } } }>)
      .then((body) => {
        accessToken = body.data?.refreshSession?.accessToken ?? null;
        return accessToken;
      })
      .catch(() => null)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  const authLink = new ApolloLink((operation, forward) => {
    if (accessToken) {
      operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
        headers: { ...headers, authorization: `Bearer ${accessToken}` },
      }));
    }
    return forward(operation);
  });

  // An expired or revoked access token answers UNAUTHENTICATED: refresh once through the cookie and resend.
  const refreshLink = new ErrorLink(({ error, operation, forward }) => {
    const unauthenticated =
      CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED");
    if (!unauthenticated || operation.getContext().refreshed) return;
    operation.setContext({ refreshed: true });
    return from(refreshAccessToken()).pipe(
      switchMap((token) => (token ? forward(operation) : throwError(() => error))),
    );
  });

  /** How long the server asked us to wait, when it refused the whole request (nothing ran); otherwise null. */
  function retryAfterMs(operation: ApolloLink.Operation, result: ApolloLink.Result | null, error?: ErrorLike) {
    const response: Response | undefined = ServerError.is(error) ? error.response : operation.getContext().response;
    const refusedUnrun = ServerError.is(error) || (result !== null && result.data == null);
    const codes = (result?.errors ?? []).map((e) => e.extensions?.code);
    const refusal = ServerError.is(error)
      ? error.statusCode === 429 || error.statusCode === 503
      : codes.includes("RATE_LIMITED") || codes.includes("SERVICE_UNAVAILABLE");
    if (!refusedUnrun || !refusal) return null;
    const seconds = Number(response?.headers.get("retry-after") ?? result?.errors?.[0]?.extensions?.retryAfter);
    if (!Number.isFinite(seconds) || seconds * 1000 > maxWaitMs) return null;
    return Math.max(0, seconds * 1000);
  }

  class RetryLater extends Error {
    constructor(
      readonly waitMs: number,
      readonly result: ApolloLink.Result,
    ) {
      super("retry later");
    }
  }

  // Waits as long as Retry-After says, then resends; a mutation is resent only when nothing of it ran.
  const retryAfterLink = new ApolloLink(
    (operation, forward): Observable<ApolloLink.Result> =>
      defer(() => forward(operation)).pipe(
        mergeMap((result) => {
          const waitMs = retryAfterMs(operation, result);
          return waitMs === null ? of(result) : throwError(() => new RetryLater(waitMs, result));
        }),
        retry({
          count: maxRetries,
          delay: (error: unknown) => {
            const waitMs =
              error instanceof RetryLater ? error.waitMs : retryAfterMs(operation, null, error as ErrorLike);
            return waitMs === null ? throwError(() => error) : timer(waitMs);
          },
        }),
        // Out of retries: the app sees the server's last answer, not our marker.
        catchError((error: unknown) => (error instanceof RetryLater ? of(error.result) : throwError(() => error))),
      ),
  );

  return new ApolloClient({
    link: ApolloLink.from([
      retryAfterLink,
      refreshLink,
      authLink,
      new HttpLink({ uri: options.uri, credentials: "include", fetch: fetchImpl }),
    ]),
    cache: new InMemoryCache({ typePolicies }),
  });
}
