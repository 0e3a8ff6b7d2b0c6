import { describe, expect, it } from "vitest";
import { joinPathSegments, parseAtParam, parseFetchParam, parseProbeParam } from "./url-state";

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

describe("the version page's ?probe= and ?fetch=", () => {
  it("takes a probe id, or explains what it got", () => {
    expect(parseProbeParam("12")).toEqual({ ok: true, probe: 12 });
    expect(parseProbeParam(undefined)).toEqual({ ok: true, probe: null });
    for (const bad of ["0", "x", "1.5", "99999999999999999"]) {
      expect(parseProbeParam(bad)).toEqual({ ok: false, error: `"probe" must be a probe id (a positive whole number), got "${bad}"` });
    }
  });

  it("fetches unless asked for a passive probe with 0", () => {
    expect(parseFetchParam(undefined)).toEqual({ ok: true, fetch: true });
    expect(parseFetchParam("1")).toEqual({ ok: true, fetch: true });
    expect(parseFetchParam("0")).toEqual({ ok: true, fetch: false });
    expect(parseFetchParam("no")).toEqual({ ok: false, error: `"fetch" must be 0 (passive: Disable-Module-Fetch) or 1 (let mirrors fetch), got "no"` });
  });
});
