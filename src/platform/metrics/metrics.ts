// Prometheus metrics (prom-client). Each gateway owns a registry of its own (tests build several gateways in
// one process, and a feature's gauge must read its own gateway); the Node process metrics, of which one
// process has one set, live in a process-wide registry that every gateway's scrape includes.
//
// What is measured per request is what the request already knows when it ends (its duration, operation,
// error codes, statement count): a handful of observations in one onResponse hook, never a resolver or a
// field. Loader batches are counted per batch; pools, Redis and the job queue are read at scrape time.

import { Kind, parse } from "graphql";
import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from "prom-client";
import { errorCatalog } from "../errors/index.js";

/** How a GraphQL request ended, for the duration histogram. */
export type RequestOutcome = "success" | "client_error" | "server_error";

/** What the metrics read of a finished GraphQL request. */
export type FinishedRequest = Readonly<{
  /** The operation's name; null when anonymous or when no operation was chosen. */
  operationName: string | null;
  /** False when no operation was chosen: unparsable, invalid, or refused before GraphQL ran. */
  resolved: boolean;
  errorCodes: readonly string[];
  status: number;
  durationSeconds: number;
  /** SQL statements the request sent; null when it never reached execution. */
  sqlStatements: number | null;
}>;

export type MetricsOptions = Readonly<{
  /** Operation names always reported by name: the published manifests' operations. */
  knownOperations?: Iterable<string>;
  /** Other operation names reported by name, first come first served; later ones are `(other)`. Default 50. */
  maxOtherOperations?: number;
}>;

/** Codes that mean the failure is ours (or a dependency's), not the caller's. */
const serverErrorCodes = new Set(["INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "TIMEOUT"]);
const catalogCodes = new Set(Object.keys(errorCatalog));
/** Longer names are reported as `(other)`: a label value is kept in memory for every series it names. */
const MAX_OPERATION_NAME_LENGTH = 100;

let processRegistry: Registry | undefined;

/**
 * Node's process metrics (CPU, memory, heap, event-loop lag, GC, handles), once per process: the collectors
 * start observers that cannot be stopped, so a registry per gateway would leak one set per gateway built.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * One gateway's metrics. Other features register their own series through `counter`, `gauge` and
 * `histogram` (in this gateway's registry, so they appear in its scrape); a gauge whose value lives
 * elsewhere reads it in `collect`, at scrape time, rather than being updated on every change.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #operations: OperationLabels;
  readonly #duration: Histogram<"operation" | "outcome">;
  readonly #statements: Histogram<"operation">;
  readonly #errors: Counter<"code">;
  readonly #batches: Histogram;
  readonly #budgetRefusals: Counter<"reason">;
  readonly #fieldRefusals: Counter<"field" | "reason">;
  readonly #cacheLookups: Counter<"result">;

  constructor(options: MetricsOptions = {}) {
    this.#operations = new OperationLabels(options.knownOperations ?? [], options.maxOtherOperations ?? 50);
    this.#duration = this.histogram({
      name: "gateway_graphql_request_duration_seconds",
      help: "GraphQL requests by operation name and outcome (success, client_error, server_error), from arrival to response.",
      labelNames: ["operation", "outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.#statements = this.histogram({
      name: "gateway_graphql_sql_statements",
      help: "SQL statements one GraphQL request sent, by operation name: a rising count for the same operation is an N+1.",
      labelNames: ["operation"],
      buckets: [0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128],
    });
    this.#errors = this.counter({
      name: "gateway_graphql_errors_total",
      help: "Errors in GraphQL responses, by extensions.code (OTHER: a code outside the catalog).",
      labelNames: ["code"],
    });
    this.#batches = this.histogram({
      name: "gateway_dataloader_batch_size",
      help: "Keys per DataLoader batch (one SQL statement each).",
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    });
    this.#budgetRefusals = this.counter({
      name: "gateway_budget_refusals_total",
      help: "Operations refused before running: budget (the caller's budget is used up, 429) or query_cost (costs more than QUERY_MAX_COST).",
      labelNames: ["reason"],
    });
    this.#fieldRefusals = this.counter({
      name: "gateway_field_limit_refusals_total",
      help: "Calls refused by a per-field rate limit, by field: limit (429) or store_unavailable (Redis away, the limit fails closed, 503).",
      labelNames: ["field", "reason"],
    });
    this.#cacheLookups = this.counter({
      name: "gateway_response_cache_lookups_total",
      help: "Response cache lookups of cacheable public queries: hit or miss.",
      labelNames: ["result"],
    });
  }

  counter<Label extends string = string>(config: CounterConfiguration<Label>): Counter<Label> {
    return new Counter({ ...config, registers: [this.registry] });
  }

  gauge<Label extends string = string>(config: GaugeConfiguration<Label>): Gauge<Label> {
    return new Gauge({ ...config, registers: [this.registry] });
  }

  histogram<Label extends string = string>(config: HistogramConfiguration<Label>): Histogram<Label> {
    return new Histogram({ ...config, registers: [this.registry] });
  }

  observeRequest(request: FinishedRequest): void {
    const operation = this.#operations.label(request.operationName, request.resolved);
    this.#duration.observe({ operation, outcome: outcomeOf(request) }, request.durationSeconds);
    if (request.sqlStatements !== null) this.#statements.observe({ operation }, request.sqlStatements);
    for (const code of request.errorCodes) this.#errors.inc({ code: catalogCodes.has(code) ? code : "OTHER" });
  }

  /** A DataLoader batch of `size` keys (an arrow: handed around as a callback). */
  readonly loaderBatch = (size: number): void => {
    this.#batches.observe(size);
  };

  budgetRefused(reason: "budget" | "query_cost"): void {
    this.#budgetRefusals.inc({ reason });
  }

  fieldLimitRefused(field: string, reason: "limit" | "store_unavailable"): void {
    this.#fieldRefusals.inc({ field, reason });
  }

  cacheLookup(hit: boolean): void {
    this.#cacheLookups.inc({ result: hit ? "hit" : "miss" });
  }

  /** The Prometheus text exposition of this gateway's series and the process's. */
  async scrape(): Promise<string> {
    const [process, own] = await Promise.all([processMetrics().metrics(), this.registry.metrics()]);
    return `${process}\n${own}`;
  }

  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;
}

function outcomeOf(request: FinishedRequest): RequestOutcome {
  if (request.status >= 500 || request.errorCodes.some((code) => serverErrorCodes.has(code))) return "server_error";
  if (request.status >= 400 || request.errorCodes.length > 0) return "client_error";
  return "success";
}

/**
 * Operation names as label values, bounded: every name a published manifest holds, plus the first
 * `maxOthers` other names seen (clients choose names, so without a bound every new name would be a new
 * set of series for as long as the process lives); later names are `(other)`. `(anonymous)` is an
 * operation without a name, `(unresolved)` a request for which no operation was chosen. Parentheses cannot
 * occur in a GraphQL name, so these never stand for a real operation.
 */
class OperationLabels {
  readonly #known: Set<string>;
  readonly #others = new Set<string>();

  constructor(
    known: Iterable<string>,
    private readonly maxOthers: number,
  ) {
    this.#known = new Set(known);
  }

  label(name: string | null, resolved: boolean): string {
    if (!resolved) return "(unresolved)";
    if (name === null || name === "") return "(anonymous)";
    if (this.#known.has(name) || this.#others.has(name)) return name;
    if (this.#others.size < this.maxOthers && name.length <= MAX_OPERATION_NAME_LENGTH) {
      this.#others.add(name);
      return name;
    }
    return "(other)";
  }
}

/** The names of the operations in these documents (a published manifest's), for `knownOperations`. */
export function operationNamesOf(documents: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const text of documents) {
    try {
      for (const definition of parse(text, { noLocation: true }).definitions) {
        if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.add(definition.name.value);
      }
    } catch {
      // Not ours to judge here: the persisted-operations stage refuses what it cannot run.
    }
  }
  return [...names];
}
