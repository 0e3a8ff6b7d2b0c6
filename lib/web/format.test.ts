import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatLag, formatRelative, formatUtc, formatUtcShort, formatWindow } from "./format";

describe("format", () => {
  it("prints durations at a readable precision", () => {
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(12 * 60 + 20)).toBe("12 min");
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe("3 h 5 min");
    expect(formatDuration(52 * 3600)).toBe("2 d 4 h");
    expect(formatDuration(12 * 60, "zh-CN")).toBe("12分钟");
  });
  it("signs lags", () => {
    expect(formatLag(720)).toBe("+12 min");
    expect(formatLag(-180)).toBe("−3 min");
    expect(formatLag(0)).toBe("±0 s");
  });
  it("prints UTC", () => {
    expect(formatUtc("2026-03-01T10:02:33.000Z")).toBe("2026-03-01 10:02 UTC");
    expect(formatUtcShort("2026-03-01T10:02:33.000Z", "2026-03-01T23:00:00.000Z")).toBe("10:02");
    expect(formatUtcShort("2026-03-01T10:02:33.000Z", "2026-03-02T10:00:00.000Z")).toBe("2026-03-01 10:02");
  });
  it("prints relative times both ways", () => {
    const now = new Date("2026-03-01T10:10:00Z");
    expect(formatRelative("2026-03-01T10:05:00Z", now)).toBe("5 min ago");
    expect(formatRelative("2026-03-01T10:15:00Z", now)).toBe("in 5 min");
    expect(formatRelative("2026-03-01T10:09:55Z", now)).toBe("just now");
    expect(formatRelative("2026-03-01T10:05:00Z", now, "zh-CN")).toBe("5分钟前");
  });
});

describe("formatWindow", () => {
  it("names the date once when both ends share it", () => {
    expect(formatWindow("2026-03-01T10:02:00Z", "2026-03-01T10:14:59Z")).toBe("2026-03-01 10:02–10:14 UTC");
    expect(formatWindow("2026-03-01T23:55:00Z", "2026-03-02T00:05:00Z")).toBe("2026-03-01 23:55 – 2026-03-02 00:05 UTC");
  });
});

describe("formatBytes", () => {
  it("prints sizes as ls -h does", () => {
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(14 * 1024 + 200)).toBe("14 KB");
    expect(formatBytes(3.1 * 1024 * 1024)).toBe("3.1 MB");
  });
});
