import { describe, expect, it } from "vitest";
import { negotiateLocale } from "./locales";

describe("negotiateLocale", () => {
  it("follows Accept-Language by weight", () => {
    expect(negotiateLocale({ acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.8" })).toBe("zh-CN");
    expect(negotiateLocale({ acceptLanguage: "en-US;q=0.5, zh-TW;q=0.7" })).toBe("zh-CN");
    expect(negotiateLocale({ acceptLanguage: "fr-FR, en;q=0.3, zh;q=0.2" })).toBe("en");
    expect(negotiateLocale({ acceptLanguage: "zh;q=0" })).toBe("en");
  });
  it("prefers the saved choice over the header, and the URL over both", () => {
    expect(negotiateLocale({ cookie: "en", acceptLanguage: "zh-CN" })).toBe("en");
    expect(negotiateLocale({ query: "zh-CN", cookie: "en", acceptLanguage: "en" })).toBe("zh-CN");
  });
  it("ignores unknown values", () => {
    expect(negotiateLocale({ query: "de", cookie: "xx", acceptLanguage: "" })).toBe("en");
  });
});
