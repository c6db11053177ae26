import { describe, expect, it } from "vitest";
import { describeDevice } from "../../src/modules/account/account.device.js";

describe("describeDevice", () => {
  it("names browser and system, and the kind of device when it is not a desktop", () => {
    expect(describeDevice("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")).toBe(
      "Firefox on Linux",
    );
    expect(
      describeDevice(
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
      ),
    ).toBe("Chrome on Android (mobile)");
  });

  it("falls back to the shortened header for clients it does not know, and to null without one", () => {
    expect(describeDevice("curl/8.5.0")).toBe("curl/8.5.0");
    expect(describeDevice("9".repeat(300))).toBe("9".repeat(100));
    // An app's own client with a product token and a comment: bowser's generic rule names the product.
    expect(describeDevice("our-shop-ios-app/3.2 (build 118)")).toBe("our-shop-ios-app");
    expect(describeDevice(null)).toBeNull();
    expect(describeDevice("   ")).toBeNull();
  });
});
