import type { Locale } from "@/lib/i18n";

/** "2026-03-01 10:02 UTC": absolute times are always UTC so a pasted report reads the same everywhere. */
export function formatUtc(iso: string | Date): string {
  const d = typeof iso === "string" ? new Date(iso) : iso;
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "10:02" in UTC, with the date only when it differs from `reference`'s. */
export function formatUtcShort(iso: string, reference?: string | null): string {
  const d = new Date(iso);
  const sameDay = reference ? new Date(reference).toISOString().slice(0, 10) === d.toISOString().slice(0, 10) : false;
  return sameDay ? d.toISOString().slice(11, 16) : d.toISOString().slice(0, 16).replace("T", " ");
}

const UNITS: Record<Locale, { s: string; min: string; h: string; d: string }> = {
  en: { s: "s", min: "min", h: "h", d: "d" },
  "zh-CN": { s: "秒", min: "分钟", h: "小时", d: "天" },
};

/** A duration for people: "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatDuration(seconds: number, locale: Locale = "en"): string {
  const u = UNITS[locale];
  const sep = locale === "en" ? " " : "";
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s}${sep}${u.s}`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes}${sep}${u.min}`;
  const hours = Math.floor(minutes / 60);
  const restMin = minutes % 60;
  if (hours < 48) return restMin ? `${hours}${sep}${u.h} ${restMin}${sep}${u.min}` : `${hours}${sep}${u.h}`;
  const days = Math.floor(hours / 24);
  const restH = hours % 24;
  return restH ? `${days}${sep}${u.d} ${restH}${sep}${u.h}` : `${days}${sep}${u.d}`;
}

/** "+12 min", "−3 min" (earlier than the reference), "±0 s". */
export function formatLag(seconds: number, locale: Locale = "en"): string {
  if (seconds === 0) return `±${formatDuration(0, locale)}`;
  return `${seconds > 0 ? "+" : "−"}${formatDuration(seconds, locale)}`;
}

/** "5 min ago" / "in 5 min", relative to `now`. */
export function formatRelative(iso: string, now: Date, locale: Locale = "en"): string {
  const seconds = Math.round((now.getTime() - new Date(iso).getTime()) / 1000);
  if (Math.abs(seconds) < 10) return locale === "en" ? "just now" : "刚刚";
  const span = formatDuration(Math.abs(seconds), locale);
  if (locale === "en") return seconds > 0 ? `${span} ago` : `in ${span}`;
  return seconds > 0 ? `${span}前` : `${span}后`;
}

/** A pickup window: "2026-03-01 10:02–10:14 UTC", with the date once when both ends share it. */
export function formatWindow(fromIso: string, toIso: string): string {
  const from = new Date(fromIso).toISOString();
  const to = new Date(toIso).toISOString();
  const day = (iso: string) => iso.slice(0, 10);
  const time = (iso: string) => iso.slice(11, 16);
  if (day(from) === day(to)) return `${day(from)} ${time(from)}–${time(to)} UTC`;
  return `${day(from)} ${time(from)} – ${day(to)} ${time(to)} UTC`;
}

/** "812 B", "14.2 KB", "3.1 MB": sizes of module zips (powers of 1024, as `ls -h` prints them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
