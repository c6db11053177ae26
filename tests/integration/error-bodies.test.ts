// Every error answer, whoever writes it (Node's HTTP parser, Fastify, a plugin, Apollo, our code), has the
// GraphQL shape { errors: [{ message, extensions: { code, requestId } }] } and an honest status.
import { once } from "node:events";
import { connect } from "node:net";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

type Answer = { status: number; headers: Record<string, string>; body: string };

/** Sends bytes as they are (no client library would send most of these) and reads the answer. */
async function rawRequest(port: number, text: string): Promise<Answer> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("error", () => {}); // the server may drop the connection after answering
  socket.write(text);
  await once(socket, "close");
  const raw = Buffer.concat(chunks).toString("utf8");
  const [head = "", ...rest] = raw.split("\r\n\r\n");
  const [statusLine = "", ...headerLines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = rest.join("\r\n\r\n");
  if (headers["transfer-encoding"] === "chunked") body = body.split("\r\n")[1] ?? "";
  return { status: Number(statusLine.split(" ")[1]), headers, body };
}

/** The body is a GraphQL error with this code and the request id of the x-request-id header. */
function expectGraphQLError(answer: { body: string; headers: Record<string, unknown> }, code: string) {
  const requestId = answer.headers["x-request-id"];
  expect(requestId).toEqual(expect.any(String));
  expect(JSON.parse(answer.body)).toEqual({
    errors: [{ message: expect.any(String), extensions: expect.objectContaining({ code, requestId }) }],
  });
}

describe("error bodies", () => {
  let gw: TestGateway;
  let port: number;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", { seedScale: 0.02 });
    await gw.gateway.app.listen({ host: "127.0.0.1", port: 0 });
    port = (gw.gateway.app.server.address() as { port: number }).port;
  });
  afterAll(() => gw?.close());

  const inject = async (options: InjectOptions): Promise<Answer> => {
    const response = await gw.gateway.app.inject(options);
    return { status: response.statusCode, headers: response.headers as Record<string, string>, body: response.body };
  };
  const query = JSON.stringify({ query: "{ __typename }" });

  describe("before Fastify has a request (raw sockets)", () => {
    it("answers unparsable HTTP with 400 BAD_REQUEST, and logs it under the same request id", async () => {
      for (const text of ["GARBAGE\r\n\r\n", "POST /graphql HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n"]) {
        const answer = await rawRequest(port, text);
        expect(answer.status).toBe(400);
        expectGraphQLError(answer, "BAD_REQUEST");
        const logged = gw.logs.find((line) => line.requestId === answer.headers["x-request-id"]);
        expect(logged).toMatchObject({ msg: "malformed HTTP request refused", statusCode: 400 });
      }
    });

    it("answers oversized headers and URLs with 431 HEADERS_TOO_LARGE", async () => {
      const headers = await rawRequest(
        port,
        `GET /graphql HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
      );
      expect(headers.status).toBe(431);
      expectGraphQLError(headers, "HEADERS_TOO_LARGE");
      const url = await rawRequest(port, `GET /graphql?q=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(url.status).toBe(431);
      expectGraphQLError(url, "HEADERS_TOO_LARGE");
    });

    it("serves HTTP/1.0 requests (no Host header) instead of failing with 500", async () => {
      const post = await rawRequest(
        port,
        `POST /graphql HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${query.length}\r\n\r\n${query}`,
      );
      expect(post.status).toBe(200);
      expect(JSON.parse(post.body).data).toEqual({ __typename: "Query" });
      const get = await rawRequest(
        port,
        "GET /graphql?query=%7B__typename%7D HTTP/1.0\r\napollo-require-preflight: 1\r\n\r\n",
      );
      expect(get.status).toBe(200);
      expect(JSON.parse(get.body).data).toEqual({ __typename: "Query" });
    });

    it("answers what Node would answer with an empty body: no Host on HTTP/1.1, an unknown Expect", async () => {
      const noHost = await rawRequest(port, "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n");
      expect(noHost.status).toBe(400);
      expectGraphQLError(noHost, "BAD_REQUEST");
      const expectation = await rawRequest(
        port,
        "GET /health HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nConnection: close\r\n\r\n",
      );
      expect(expectation.status).toBe(417);
      expectGraphQLError(expectation, "BAD_REQUEST");
    });

    it("answers a URL Fastify cannot decode with 400 BAD_REQUEST", async () => {
      const answer = await rawRequest(port, "GET /gr%ZZaphql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      expect(answer.status).toBe(400);
      expectGraphQLError(answer, "BAD_REQUEST");
    });
  });

  describe("routing", () => {
    it("answers PUT, DELETE, PATCH and HEAD on /graphql with 405 and Allow", async () => {
      for (const method of ["PUT", "DELETE", "PATCH"] as const) {
        const answer = await inject({
          method,
          url: "/graphql",
          headers: { "content-type": "application/json" },
          payload: query,
        });
        expect(answer.status).toBe(405);
        expect(answer.headers.allow).toBe("GET, POST, OPTIONS");
        expectGraphQLError(answer, "METHOD_NOT_ALLOWED");
      }
      const head = await inject({ method: "HEAD", url: "/graphql" });
      expect(head.status).toBe(405);
      expect(head.headers.allow).toBe("GET, POST, OPTIONS");
    });

    it("answers an unknown path with 404 NOT_FOUND, and a wrong method on /health with 405", async () => {
      const missing = await inject({ method: "GET", url: "/nothing-here" });
      expect(missing.status).toBe(404);
      expectGraphQLError(missing, "NOT_FOUND");
      const wrongMethod = await inject({ method: "POST", url: "/health" });
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.allow).toBe("GET, HEAD");
      expectGraphQLError(wrongMethod, "METHOD_NOT_ALLOWED");
    });

    it("answers a plain OPTIONS with 204 and Allow", async () => {
      const answer = await inject({ method: "OPTIONS", url: "/graphql" });
      expect(answer.status).toBe(204);
      expect(answer.headers.allow).toBe("GET, POST, OPTIONS");
    });
  });

  describe("refusals Apollo writes before any plugin runs carry the request id too", () => {
    it("CSRF prevention (400)", async () => {
      const answer = await inject({ method: "GET", url: "/graphql?query=%7B__typename%7D" });
      expect(answer.status).toBe(400);
      expectGraphQLError(answer, "BAD_REQUEST");
    });

    it("batched arrays (400)", async () => {
      const answer = await inject({
        method: "POST",
        url: "/graphql",
        headers: { "content-type": "application/json" },
        payload: `[${query}]`,
      });
      expect(answer.status).toBe(400);
      expectGraphQLError(answer, "BAD_REQUEST");
    });

    it("an Accept header without JSON (406)", async () => {
      const answer = await inject({
        method: "POST",
        url: "/graphql",
        headers: { "content-type": "application/json", accept: "text/xml" },
        payload: query,
      });
      expect(answer.status).toBe(406);
      expectGraphQLError(answer, "BAD_REQUEST");
    });

    it("errors Fastify raises in the route: bad JSON (400), unknown content type (415)", async () => {
      const badJson = await inject({
        method: "POST",
        url: "/graphql",
        headers: { "content-type": "application/json" },
        payload: "{x}",
      });
      expect(badJson.status).toBe(400);
      expectGraphQLError(badJson, "BAD_REQUEST");
      const xml = await inject({
        method: "POST",
        url: "/graphql",
        headers: { "content-type": "text/xml" },
        payload: "<q/>",
      });
      expect(xml.status).toBe(415);
      expectGraphQLError(xml, "BAD_REQUEST");
    });
  });
});

describe("error bodies with CORS on", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway("pglite", { seedScale: 0.02, env: { CORS_ORIGINS: "https://shop.example.com" } });
  });
  afterAll(() => gw?.close());

  it("answers a preflight from a listed origin, and a plain OPTIONS without the plugin's text/plain 400", async () => {
    const preflight = await gw.gateway.app.inject({
      method: "OPTIONS",
      url: "/graphql",
      headers: { origin: "https://shop.example.com", "access-control-request-method": "POST" },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("https://shop.example.com");
    const plain = await gw.gateway.app.inject({ method: "OPTIONS", url: "/graphql" });
    expect(plain.statusCode).toBeLessThan(400);
    expect(plain.headers["content-type"]).toBeUndefined();
  });
});
