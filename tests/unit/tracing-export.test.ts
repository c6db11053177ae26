// Spans leave over OTLP/HTTP (protobuf) to the configured endpoint, with the configured headers: a local
// HTTP server stands in for the collector.
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTracing } from "../../src/platform/tracing/index.js";

describe("OTLP export", () => {
  const received: { url: string | undefined; headers: IncomingHttpHeaders; body: Buffer }[] = [];
  const collector = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ url: request.url, headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  let endpoint: string;
  beforeAll(async () => {
    collector.listen(0, "127.0.0.1");
    await once(collector, "listening");
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  afterAll(() => collector.close());

  it("sends the spans, batched, to <endpoint>/v1/traces with the configured headers, at the latest on shutdown", async () => {
    const tracing = startTracing(
      {
        serviceName: "gateway-under-test",
        sampleRatio: 1,
        otlpTracesUrl: `${endpoint}/v1/traces`,
        otlpHeaders: { "api-key": "s3cret" },
      },
      pino({ level: "silent" }),
    );
    tracing.tracer.startSpan("exported-span").end();
    expect(received).toEqual([]); // batched: nothing leaves per span
    await tracing.shutdown();

    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.url).toBe("/v1/traces");
    expect(request?.headers["content-type"]).toBe("application/x-protobuf");
    expect(request?.headers["api-key"]).toBe("s3cret");
    // Protobuf carries strings verbatim: the span's and the service's names are in the payload.
    expect(request?.body.includes("exported-span")).toBe(true);
    expect(request?.body.includes("gateway-under-test")).toBe(true);
  });
});
