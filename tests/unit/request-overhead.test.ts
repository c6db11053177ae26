// The per-request shortcuts (lazy loaders, security headers worked out once, raw-SQL ids) must behave like
// what they replaced.
import "reflect-metadata";
import { describe, expect, it } from "vitest";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import { CATEGORY_TREE_CHANGED } from "../../src/modules/category/index.js";
import { createModuleLoaders, modules } from "../../src/modules/index.js";
import { isId, newUuidV7 } from "../../src/platform/ids.js";
import { securityHeaders } from "../../src/platform/limits/http-hardening.js";
import { ChangeNotices } from "../../src/platform/loaders/index.js";

describe("module loaders", () => {
  const deps = () => ({ prisma: {} as PrismaClient, viewer: null, changes: new ChangeNotices() });

  it("offers every module's set, builds each once, on first use, per request", () => {
    const first = createModuleLoaders(deps());
    const names = modules.filter((module) => module.loaders).map((module) => module.name);
    expect(Object.keys(Object.getPrototypeOf(first)).sort()).toEqual([...names].sort());
    expect(first.product).toBe(first.product);
    expect(first.product.byId.load).toBeTypeOf("function");
    // Another request never sees this request's loaders.
    expect(createModuleLoaders(deps()).product).not.toBe(first.product);
  });

  it("registers a set's change listeners when it is built", async () => {
    const changes = new ChangeNotices();
    const loaders = createModuleLoaders({ ...deps(), changes });
    changes.notify(CATEGORY_TREE_CHANGED); // nothing built yet: nothing to clear
    loaders.product.countByCategory.prime("c1", 3);
    await expect(loaders.product.countByCategory.load("c1")).resolves.toBe(3);
    changes.notify(CATEGORY_TREE_CHANGED);
    // Cleared, so it asks the (fake, empty) database again.
    await expect(loaders.product.countByCategory.load("c1")).rejects.toThrow();
  });
});

describe("security headers", () => {
  it("are helmet's, with the production CSP and HSTS", () => {
    const headers = securityHeaders({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      crossOriginEmbedderPolicy: false,
      hsts: { maxAge: 31_536_000, includeSubDomains: true },
    });
    expect(headers).toMatchObject({
      "content-security-policy": "default-src 'none';frame-ancestors 'none'",
      "strict-transport-security": "max-age=31536000; includeSubDomains",
      "x-content-type-options": "nosniff",
      "x-frame-options": "SAMEORIGIN",
    });
    expect(headers).not.toHaveProperty("cross-origin-embedder-policy");
  });
});

describe("newUuidV7", () => {
  it("is a version 7, RFC 9562 variant UUID carrying the time, unique each call", () => {
    const at = Date.UTC(2026, 11, 2, 7, 30);
    const id = newUuidV7(at);
    expect(isId(id)).toBe(true);
    expect(id[14]).toBe("7");
    expect("89ab").toContain(id[19]);
    expect(Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(at);
    expect(newUuidV7(at)).not.toBe(id);
  });
});
