import { generateKeyPairSync } from "node:crypto";
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
    expect(await after.verify(token)).toEqual(alice);
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
    expect(await later.verify(fresh.token)).toEqual(alice);
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
