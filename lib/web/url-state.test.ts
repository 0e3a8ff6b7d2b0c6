import { describe, expect, it } from "vitest";
import { joinPathSegments, parseAtParam } from "./url-state";

describe("parseAtParam: ?at= as a check id", () => {
  it.each(["0", "-1", "abc", "1.5", " 1", "1e3", "0x10", "01", "9".repeat(17), "9007199254740993"])("refuses %j with an explanation", (raw) => {
    expect(parseAtParam(raw)).toEqual({ ok: false, error: `"at" must be a check id (a positive whole number), got "${raw.slice(0, 40)}"` });
  });

  it("accepts positive safe integers, and absence", () => {
    expect(parseAtParam("1")).toEqual({ ok: true, at: 1 });
    expect(parseAtParam("9007199254740991")).toEqual({ ok: true, at: 9007199254740991 });
    for (const none of [null, undefined, ""]) expect(parseAtParam(none)).toEqual({ ok: true, at: undefined });
  });
});

describe("joinPathSegments", () => {
  it("decodes each segment and joins them; a bad %-escape is an input error", () => {
    expect(joinPathSegments(["github.com", "x", "y%2Fz"])).toEqual({ ok: true, path: "github.com/x/y/z" });
    expect(joinPathSegments(["github.com", "%E4%BE%8B"])).toEqual({ ok: true, path: "github.com/例" });
    expect(joinPathSegments(["a%zz"])).toEqual({ ok: false, error: "malformed %-escape in the module path" });
    expect(joinPathSegments(["%E4%BE"])).toEqual({ ok: false, error: "malformed %-escape in the module path" });
  });
});
