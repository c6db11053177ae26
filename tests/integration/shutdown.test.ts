import { once } from "node:events";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startTestGateway } from "../helpers/gateway.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("graceful shutdown", () => {
  it("finishes a request already in flight, refuses new connections, then closes the database", async () => {
    const gw = await startTestGateway("pglite", { seedScale: 0.02 });
    await gw.gateway.app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = gw.gateway.app.server.address() as { port: number };

    // A request whose body is still arriving when shutdown starts: in flight by any definition.
    const body = JSON.stringify({
      query: "{ products(first: 5) { totalCount edges { node { category { name } } } } }",
    });
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await pause(50);

    const closing = gw.close();
    await pause(50);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow(); // no new connections
    socket.end(body.slice(10));
    await once(socket, "close");
    await closing;

    const [head, payload] = Buffer.concat(received).toString("utf8").split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1.1 200/);
    const result = JSON.parse(payload ?? "");
    expect(result.errors).toBeUndefined();
    expect(result.data.products.edges).toHaveLength(5);
    await expect(gw.db.prisma.$queryRaw`SELECT 1`).rejects.toThrow(); // and the database is closed
  }, 60_000); // it seeds its own database; on a busy 2-core machine that alone can take most of 30 s
});
