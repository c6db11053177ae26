// Pure parts of uploads: storage keys cannot leave the storage directory, signatures cover every promise
// of a PUT URL, and url(width:) picks the right copy.
import { describe, expect, it } from "vitest";
import { pickVariant } from "../../src/modules/upload/upload.images.js";
import { assertKey, isValidKey, putSignature } from "../../src/platform/storage/index.js";

describe("storage keys", () => {
  it("accepts the keys the gateway makes and refuses anything that could leave the directory", () => {
    expect(isValidKey("uploads/0192b3c4-0000-7000-8000-000000000000")).toBe(true);
    expect(isValidKey("images/0192b3c4-0000-7000-8000-000000000000/400.jpg")).toBe(true);
    for (const key of ["../etc/passwd", "images/../uploads/x", "/abs", "images//x", "images/./x", "Images/x", "a\\b"]) {
      expect(isValidKey(key), key).toBe(false);
    }
    expect(() => assertKey("images/../../x")).toThrow(/invalid storage key/);
  });
});

describe("PUT signatures", () => {
  const conditions = {
    contentType: "image/png",
    byteSize: 1000,
    checksum: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    expiresAt: new Date("2026-12-01T00:00:00Z"),
  };
  it("changes when any signed part changes", () => {
    const base = putSignature("secret", "uploads/a", conditions);
    expect(putSignature("secret", "uploads/a", conditions)).toBe(base);
    const variants = [
      putSignature("other", "uploads/a", conditions),
      putSignature("secret", "uploads/b", conditions),
      putSignature("secret", "uploads/a", { ...conditions, contentType: "image/jpeg" }),
      putSignature("secret", "uploads/a", { ...conditions, byteSize: 1001 }),
      putSignature("secret", "uploads/a", { ...conditions, checksum: `x${conditions.checksum.slice(1)}` }),
      putSignature("secret", "uploads/a", { ...conditions, expiresAt: new Date("2026-12-01T00:00:01Z") }),
    ];
    for (const signature of variants) expect(signature).not.toBe(base);
  });
});

describe("url(width:)", () => {
  it("serves the smallest copy at least as wide as asked, else the original", () => {
    expect(pickVariant([200, 400, 800], 300)).toBe(400);
    expect(pickVariant([200, 400, 800], 400)).toBe(400);
    expect(pickVariant([200, 400, 800], 1200)).toBeNull();
    expect(pickVariant([200, 400, 800], null)).toBeNull();
    expect(pickVariant([], 100)).toBeNull();
  });
});
