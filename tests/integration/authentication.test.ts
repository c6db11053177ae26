import { generateKeyPairSync } from "node:crypto";
import { importPKCS8, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

// Token checks do not depend on the database backend: PGlite only.
describe("access tokens", () => {
  const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const strangerPem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway("pglite", {
      env: { JWT_PRIVATE_KEY: pem, JWT_ISSUER: "gw-test", JWT_AUDIENCE: "gw-clients" },
    });
  });
  afterAll(() => gw?.close());

  const mint = async (
    overrides: {
      key?: string;
      issuer?: string;
      audience?: string;
      expiresIn?: string | number;
      issuedAt?: number;
      role?: string;
      sid?: string | null;
    } = {},
  ) =>
    new SignJWT({
      role: overrides.role ?? "USER",
      ...(overrides.sid === null ? {} : { sid: overrides.sid ?? "0195f1f0-0000-7000-8000-00000000aaaa" }),
    })
      .setProtectedHeader({ alg: "EdDSA" })
      .setSubject(gw.users.alice.id)
      .setIssuer(overrides.issuer ?? "gw-test")
      .setAudience(overrides.audience ?? "gw-clients")
      .setJti("test-jti")
      .setIssuedAt(overrides.issuedAt)
      .setExpirationTime(overrides.expiresIn ?? "5m")
      .sign(await importPKCS8(overrides.key ?? pem, "EdDSA"));

  const meWith = (token: string) =>
    gw.graphql<{ me: { username: string } | null }>("{ me { username } }", {
      headers: { authorization: `Bearer ${token}` },
    });

  it("accepts a token signed with the configured key for this issuer and audience", async () => {
    const response = await meWith(await mint());
    expect(response.status).toBe(200);
    expect(response.data?.me?.username).toBe("alice");
  });

  it("accepts the gateway's own tokens", async () => {
    const response = await meWith(await gw.tokenFor(gw.users.bob));
    expect(response.data?.me?.username).toBe("bob");
  });

  const unsigned = (() => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    return `${encode({ alg: "none", typ: "JWT" })}.${encode({ sub: "x", role: "ADMIN", iss: "gw-test", aud: "gw-clients", iat: now, exp: now + 60, jti: "j" })}.`;
  })();

  const rejected: [string, () => Promise<string>][] = [
    ["signed with another key", () => mint({ key: strangerPem })],
    ["for another audience", () => mint({ audience: "someone-else" })],
    ["from another issuer", () => mint({ issuer: "evil" })],
    ["expired beyond the clock tolerance", () => mint({ expiresIn: Math.floor(Date.now() / 1000) - 120 })],
    ["with an unknown role", () => mint({ role: "ROOT" })],
    ["without a session id (no logout could revoke it)", () => mint({ sid: null })],
    [
      "issued an hour in the future",
      () => mint({ issuedAt: Math.floor(Date.now() / 1000) + 3600, expiresIn: Math.floor(Date.now() / 1000) + 4500 }),
    ],
    ["minted to live ten years", () => mint({ expiresIn: "3650d" })],
    ['with alg "none"', async () => unsigned],
    ["that is not a JWT", async () => "garbage"],
  ];

  for (const [name, token] of rejected) {
    it(`refuses a token ${name} with 401 UNAUTHENTICATED`, async () => {
      const response = await meWith(await token());
      expect(response.status).toBe(401);
      expect(response.headers["www-authenticate"]).toContain("invalid_token");
      expect(response.errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
      expect(response.errors?.[0]?.message).toMatch(/invalid or expired/);
      expect(response.data ?? null).toBeNull();
    });
  }

  it("refuses an Authorization header that is not a bearer token", async () => {
    const response = await gw.graphql("{ me { username } }", { headers: { authorization: "Basic YWxpY2U6cHc=" } });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
  });

  it("never writes the token to the log", async () => {
    const token = await mint();
    await meWith(token);
    expect(JSON.stringify(gw.logs)).not.toContain(token.split(".")[2]);
  });
});
