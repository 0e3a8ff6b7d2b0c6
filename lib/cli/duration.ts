// Durations as CI scripts write them (30s, 5m, 1h30m, 500ms), read like Go's time.ParseDuration minus the
// microsecond units: a release pipeline's `--timeout 30m` means what `go test -timeout 30m` means.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A longer wait than any CI job allows; beyond it setTimeout's 32-bit delay would overflow too. */
export const MAX_DURATION_MS = 24 * 3_600_000;

export class DurationError extends Error {
  override name = "DurationError";
}

/** "1h30m" → 5_400_000. Throws a DurationError that quotes the text and says what is accepted. */
export function parseDuration(text: string): number {
  const input = text.trim();
  const accepted = "use a number with a unit, e.g. 30s, 5m, 1h30m or 500ms";
  if (input === "") throw new DurationError(`empty duration: ${accepted}`);
  const part = /(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)/y;
  let ms = 0;
  let at = 0;
  while (at < input.length) {
    part.lastIndex = at;
    const match = part.exec(input);
    if (!match) {
      const hint = /^\d+(\.\d+)?$/.test(input) ? `missing unit: ${accepted}` : accepted;
      throw new DurationError(`"${text}" is not a duration: ${hint}`);
    }
    ms += Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? Number.NaN);
    at = part.lastIndex;
  }
  const rounded = Math.round(ms);
  if (!Number.isFinite(rounded)) throw new DurationError(`"${text}" is not a duration: ${accepted}`);
  if (rounded > MAX_DURATION_MS) throw new DurationError(`"${text}" is longer than 24h`);
  return rounded;
}

/** 130_000 → "2m10s"; 5_400_000 → "1h30m"; 500 → "500ms"; whole seconds above a second, as progress lines show them. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h > 0 ? `${h}h` : "", m > 0 ? `${m}m` : "", s > 0 || total === 0 ? `${s}s` : ""];
  return parts.join("");
}
