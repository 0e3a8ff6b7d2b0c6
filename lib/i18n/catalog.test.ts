import { describe, expect, it } from "vitest";
import { catalog } from "./messages";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// What a Go developer types or greps for stays ASCII in every language.
const CODE_TOKENS = ["GOPROXY", "GOSUMDB", "SUMDB=off", "Disable-Module-Fetch", "go get", "go mod download", ".info", ".mod", ".zip", "@latest", "direct"];

/** The token on its own, not inside a longer word ("direct" is not in "directly"). */
const asWord = (token: string) => new RegExp(`(?<![\\w.-])${token.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`);

describe("the message catalog", () => {
  const en = catalog.en;
  const zh = catalog["zh-CN"];

  it("has every key in both languages, none empty", () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(zh)) expect(text.trim(), key).not.toBe("");
  });

  it("fills the same placeholders in both languages", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
  });

  it("keeps commands, headers and environment variables as they are typed", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      for (const token of CODE_TOKENS) if (asWord(token).test(en[key])) expect(zh[key], `${key}: ${token}`).toMatch(asWord(token));
    }
  });
});
