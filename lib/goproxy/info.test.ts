import { describe, expect, it } from "vitest";
import { parseInfo } from "./info";

describe("parseInfo", () => {
  it("maps the wire shape to {version, time}", () => {
    expect(parseInfo('{"Version":"v1.2.3","Time":"2019-11-07T19:06:36Z"}')).toEqual({
      version: "v1.2.3",
      time: new Date("2019-11-07T19:06:36Z"),
    });
  });

  it("ignores extra fields such as proxy.golang.org's Origin", () => {
    const body = JSON.stringify({
      Version: "v0.12.0",
      Time: "2023-07-21T15:17:54Z",
      Origin: { VCS: "git", URL: "https://go.googlesource.com/text", Ref: "refs/tags/v0.12.0", Hash: "abc" },
    });
    expect(parseInfo(body)).toEqual({ version: "v0.12.0", time: new Date("2023-07-21T15:17:54Z") });
  });

  it("accepts nanoseconds (truncated to milliseconds) and numeric zones", () => {
    expect(parseInfo('{"Version":"v1.0.0","Time":"2020-01-02T03:04:05.987654321Z"}').time).toEqual(
      new Date("2020-01-02T03:04:05.987Z"),
    );
    expect(parseInfo('{"Version":"v1.0.0","Time":"2020-01-02T05:04:05.5+02:00"}').time).toEqual(new Date("2020-01-02T03:04:05.500Z"));
  });

  it("gives null for a missing, null or zero Go time", () => {
    expect(parseInfo('{"Version":"v1.0.0"}').time).toBeNull();
    expect(parseInfo('{"Version":"v1.0.0","Time":null}').time).toBeNull();
    expect(parseInfo('{"Version":"v1.0.0","Time":"0001-01-01T00:00:00Z"}').time).toBeNull();
  });

  it("keeps non-canonical versions as served (the caller compares them)", () => {
    expect(parseInfo('{"Version":"master"}').version).toBe("master");
  });

  it.each([
    ["", /^invalid info JSON: /],
    ["not json", /^invalid info JSON: /],
    ['{"Version":"v1.0.0"', /^invalid info JSON: /],
    ["null", "invalid info JSON: not an object"],
    ['["v1.0.0"]', "invalid info JSON: not an object"],
    ['"v1.0.0"', "invalid info JSON: not an object"],
    ["{}", "invalid info JSON: missing Version"],
    ['{"Version":""}', "invalid info JSON: missing Version"],
    ['{"Version":1}', "invalid info JSON: missing Version"],
    ['{"version":"v1.0.0"}', "invalid info JSON: missing Version"],
    ['{"Version":"v1.0.0","Time":12}', "invalid info JSON: Time is not a string"],
    ['{"Version":"v1.0.0","Time":"yesterday"}', 'invalid info JSON: Time "yesterday" is not RFC 3339'],
    ['{"Version":"v1.0.0","Time":"2020-13-45T99:00:00Z"}', /invalid info JSON: Time .* out of range/],
  ])("rejects %j", (body, err) => {
    expect(() => parseInfo(body)).toThrow(err);
  });
});
