import { describe, expect, it } from "vitest";
import { DurationError, MAX_DURATION_MS, formatDuration, parseDuration } from "./duration";

describe("parseDuration", () => {
  it.each([
    ["30s", 30_000],
    ["5m", 300_000],
    ["30m", 1_800_000],
    ["1h", 3_600_000],
    ["1h30m", 5_400_000],
    ["2m10s", 130_000],
    ["500ms", 500],
    ["1.5s", 1500],
    [".5h", 1_800_000],
    ["1m500ms", 60_500],
    [" 10s ", 10_000],
    ["0s", 0],
    ["24h", MAX_DURATION_MS],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ["5x", '"5x" is not a duration: use a number with a unit, e.g. 30s, 5m, 1h30m or 500ms'],
    ["30", '"30" is not a duration: missing unit: use a number with a unit, e.g. 30s, 5m, 1h30m or 500ms'],
    ["", "empty duration: use a number with a unit, e.g. 30s, 5m, 1h30m or 500ms"],
    ["-5s", '"-5s" is not a duration: use a number with a unit, e.g. 30s, 5m, 1h30m or 500ms'],
    ["1h 30m", '"1h 30m" is not a duration: use a number with a unit, e.g. 30s, 5m, 1h30m or 500ms'],
    ["5M", '"5M" is not a duration: use a number with a unit, e.g. 30s, 5m, 1h30m or 500ms'],
    ["s", '"s" is not a duration: use a number with a unit, e.g. 30s, 5m, 1h30m or 500ms'],
    ["25h", '"25h" is longer than 24h'],
  ])("refuses %j", (text, message) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0ms"],
    [500, "500ms"],
    [1000, "1s"],
    [130_000, "2m10s"],
    [300_000, "5m"],
    [5_400_000, "1h30m"],
    [3_601_000, "1h1s"],
    [1_499, "1s"],
  ])("shows %d ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("round-trips what it prints", () => {
    for (const ms of [1000, 59_000, 61_000, 3_600_000, 5_430_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
