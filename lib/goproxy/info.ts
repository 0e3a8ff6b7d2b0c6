// `@v/$v.info` and `@latest` bodies: wire JSON {"Version","Time",...} → domain {version, time}.
// Extra fields (proxy.golang.org's Origin) are ignored: mirrors rewrite them, so compare parsed values.

export type VersionInfo = {
  version: string;
  /** The commit time the proxy reports; null when absent or Go's zero time. */
  time: Date | null;
};

// Go's time.Time JSON form (RFC 3339 with optional fractional seconds).
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const GO_ZERO_TIME = Date.parse("0001-01-01T00:00:00Z");

function parseTime(s: string): Date | null {
  const m = RFC3339.exec(s);
  if (!m) throw new Error(`invalid info JSON: Time ${JSON.stringify(s)} is not RFC 3339`);
  const [, y, mo, d, h, mi, sec, frac = "", zone = "Z"] = m;
  // JS Date keeps milliseconds only; Go sends up to nanoseconds.
  const ms = frac === "" ? "" : frac.slice(0, 4).padEnd(4, "0");
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}${ms}${zone.toUpperCase()}`);
  if (Number.isNaN(date.getTime())) throw new Error(`invalid info JSON: Time ${JSON.stringify(s)} is out of range`);
  // encoding/json writes Go's zero time.Time for a missing time; it means "unknown".
  if (date.getTime() === GO_ZERO_TIME) return null;
  return date;
}

/** Parses an .info / @latest body; throws a descriptive Error on malformed JSON or a missing Version. */
export function parseInfo(json: string): VersionInfo {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new Error(`invalid info JSON: ${(e as Error).message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new Error("invalid info JSON: not an object");
  }
  const { Version, Time } = data as Record<string, unknown>;
  if (typeof Version !== "string" || Version === "") {
    throw new Error("invalid info JSON: missing Version");
  }
  if (Time === undefined || Time === null) return { version: Version, time: null };
  if (typeof Time !== "string") throw new Error("invalid info JSON: Time is not a string");
  return { version: Version, time: parseTime(Time) };
}
