import { generateKeyPairSync } from "node:crypto";
import { importPKCS8, SignJWT } from "jose";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createAccessTokens, InvalidTokenError } from "../../src/platform/auth/tokens.js";

const silent = pino({ level: "silent" });
const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
};
const settings = { issuer: "iss", audience: "aud" };
const alice = { id: "0195f1f0-0000-7000-8000-000000000001", role: "USER" as const, sessionId: "s-1" };

describe("access token key rotation", () => {
  it("keeps accepting tokens of a retired key listed for verification, picked by kid", async () => {
    const oldKey = keyPair();
    const newKey = keyPair();
    const before = await createAccessTokens(
      { ...settings, privateKeyPem: oldKey.privatePem, verificationKeyPems: [] },
      silent,
    );
    const { token } = await before.sign(alice);

    const after = await createAccessTokens(
      { ...settings, privateKeyPem: newKey.privatePem, verificationKeyPems: [oldKey.publicPem] },
      silent,
    );
    expect(await after.verify(token)).toMatchObject(alice);
    const fresh = await after.sign(alice);
    expect(JSON.parse(Buffer.from(fresh.token.split(".")[0] as string, "base64url").toString()).kid).not.toBe(
      JSON.parse(Buffer.from(token.split(".")[0] as string, "base64url").toString()).kid,
    );

    // Once the old key is dropped from the list, its tokens stop working.
    const later = await createAccessTokens(
      { ...settings, privateKeyPem: newKey.privatePem, verificationKeyPems: [] },
      silent,
    );
    await expect(later.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(await later.verify(fresh.token)).toMatchObject(alice);
  });

  it("issues 15-minute tokens carrying the session id", async () => {
    const tokens = await createAccessTokens(
      { ...settings, privateKeyPem: keyPair().privatePem, verificationKeyPems: [] },
      silent,
    );
    const { token, expiresAt } = await tokens.sign(alice);
    const claims = JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString());
    expect(claims).toMatchObject({ sub: alice.id, role: "USER", sid: "s-1", iss: "iss", aud: "aud" });
    expect(claims.exp - claims.iat).toBe(15 * 60);
    expect(typeof claims.jti).toBe("string");
    expect(expiresAt.getTime()).toBe(claims.exp * 1000);
  });
});

describe("access token claims", () => {
  const key = keyPair();
  const now = () => Math.floor(Date.now() / 1000);
  const verifier = () =>
    createAccessTokens({ ...settings, privateKeyPem: key.privatePem, verificationKeyPems: [] }, silent);
  /** A token signed with the gateway's own key but claims of our choosing, as a misused key would mint. */
  const forge = async (claims: { iat: number; exp: number; sid?: string | null }) => {
    const kid = JSON.parse(
      Buffer.from(((await (await verifier()).sign(alice)).token.split(".")[0] as string) ?? "", "base64url").toString(),
    ).kid;
    const sid = claims.sid === undefined ? "s-1" : claims.sid;
    return new SignJWT({ role: "USER", ...(sid ? { sid } : {}) })
      .setProtectedHeader({ alg: "EdDSA", kid, typ: "at+jwt" })
      .setIssuer("iss")
      .setAudience("aud")
      .setSubject(alice.id)
      .setJti("j-1")
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .sign(await importPKCS8(key.privatePem, "EdDSA"));
  };
  const reasonOf = async (token: string) =>
    (await verifier()).verify(token).then(
      () => "accepted",
      (error: unknown) => (error instanceof InvalidTokenError ? error.reason : String(error)),
    );

  it.each([
    ["120 s", 120],
    ["1 hour", 3600],
    ["10 years", 10 * 365 * 86_400],
  ])("refuses a token issued %s in the future", async (_label, ahead) => {
    const iat = now() + ahead;
    expect(await reasonOf(await forge({ iat, exp: iat + 15 * 60 }))).toBe("iat in the future");
  });

  it("accepts an iat ahead by less than the clock skew", async () => {
    const iat = now() + 20;
    expect(await reasonOf(await forge({ iat, exp: iat + 15 * 60 }))).toBe("accepted");
  });

  it("refuses a token minted to live longer than the access-token lifetime plus skew", async () => {
    const iat = now() - 60;
    expect(await reasonOf(await forge({ iat, exp: iat + 2 * 3600 }))).toBe("lifetime too long");
    expect(await reasonOf(await forge({ iat, exp: iat + 10 * 365 * 86_400 }))).toBe("lifetime too long");
    expect(await reasonOf(await forge({ iat, exp: iat + 15 * 60 + 30 }))).toBe("accepted");
    expect(await reasonOf(await forge({ iat, exp: iat + 15 * 60 + 31 }))).toBe("lifetime too long");
  });

  it("refuses a token without a session id, which no logout could revoke", async () => {
    const iat = now();
    expect(await reasonOf(await forge({ iat, exp: iat + 15 * 60, sid: null }))).toBe("missing sid");
    await expect((await verifier()).sign({ ...alice, sessionId: "" })).rejects.toThrow(/sid/);
  });
});
