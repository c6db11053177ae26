// The GraphQL-over-HTTP conformance audits of graphql-http (serverAudits) against the live server, in
// development and production configuration: no MUST may fail, and the accepted SHOULD warnings are
// recorded in graphql-over-http.audit.json, so a new one fails the test.
import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type AuditResult, serverAudits } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();

const modes: { name: string; env: Record<string, string> }[] = [
  { name: "development", env: {} },
  // Some audits query `__type`, so introspection is on; everything else is as deployed.
  // buildServer gets the test database; a production config still has to name a server.
  {
    name: "production",
    env: {
      NODE_ENV: "production",
      JWT_PRIVATE_KEY: key,
      INTROSPECTION: "true",
      DATABASE_URL: "postgresql://db.invalid/unused",
    },
  },
];

for (const mode of modes) {
  describe(`GraphQL over HTTP audits (${mode.name})`, () => {
    let gw: TestGateway;
    let results: AuditResult[];
    let accepted: Record<string, string>;

    beforeAll(async () => {
      gw = await startTestGateway("pglite", { seedScale: 0.02, env: mode.env });
      const address = await gw.gateway.app.listen({ host: "127.0.0.1", port: 0 });
      results = [];
      for (const audit of serverAudits({ url: `${address}/graphql` })) results.push(await audit.fn());
      const recorded = JSON.parse(await readFile(new URL("./graphql-over-http.audit.json", import.meta.url), "utf8"));
      accepted = recorded.warnings;
    });
    afterAll(() => gw?.close());

    const describeResult = (result: AuditResult) =>
      `${result.id} ${result.name}${"reason" in result ? `: ${result.reason}` : ""}`;

    it("passes every MUST audit", () => {
      expect(results.length).toBeGreaterThan(50);
      expect(results.filter((result) => result.status === "error").map(describeResult)).toEqual([]);
    });

    it("has no warnings beyond the recorded ones", () => {
      const warnings = results.filter((result) => result.status === "warn");
      expect(warnings.filter((warning) => !(warning.id in accepted)).map(describeResult)).toEqual([]);
      expect(warnings.length).toBeLessThanOrEqual(Object.keys(accepted).length);
    });
  });
}
