// URL state every page shares, parsed the same way on the server and in the browser.
import { canonicalModuleVersion, isValidVersion } from "@/lib/goproxy/browser";

/** `?at=` as a check id: a positive integer, or an explanation. */
export function parseAtParam(raw: string | null | undefined): { ok: true; at: number | undefined } | { ok: false; error: string } {
  if (raw === null || raw === undefined || raw === "") return { ok: true, at: undefined };
  // Beyond 2^53 a number would round to another id, so a huge ?at= could name a different check.
  if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    return { ok: false, error: `"at" must be a check id (a positive whole number), got "${raw.slice(0, 40)}"` };
  }
  return { ok: true, at: Number(raw) };
}

/** Joins catch-all route segments into a path; a malformed %-escape is an input error, not a crash. */
export function joinPathSegments(segments: string[]): { ok: true; path: string } | { ok: false; error: string } {
  try {
    return { ok: true, path: segments.map((s) => decodeURIComponent(s)).join("/") };
  } catch {
    return { ok: false, error: "malformed %-escape in the module path" };
  }
}

/** `?page=` of a timeline: a positive whole number (default 1), or an explanation. */
export function parsePageParam(raw: string | null | undefined): { ok: true; page: number } | { ok: false; error: string } {
  if (raw === null || raw === undefined || raw === "") return { ok: true, page: 1 };
  if (!/^[1-9]\d{0,8}$/.test(raw)) return { ok: false, error: `"page" must be a page number (a positive whole number), got "${raw.slice(0, 40)}"` };
  return { ok: true, page: Number(raw) };
}

/** `?version=` of a timeline: a canonical semantic version as the go command writes it, or an explanation. */
export function parseVersionParam(raw: string | null | undefined): { ok: true; version: string | null } | { ok: false; error: string } {
  if (raw === null || raw === undefined || raw === "") return { ok: true, version: null };
  if (!isValidVersion(raw) || canonicalModuleVersion(raw) !== raw) {
    return { ok: false, error: `"version" must be a canonical semantic version such as v1.2.3, got "${raw.slice(0, 120)}"` };
  }
  return { ok: true, version: raw };
}

/** `?probe=` of a version page: a probe id (a positive whole number), or an explanation. */
export function parseProbeParam(raw: string | null | undefined): { ok: true; probe: number | null } | { ok: false; error: string } {
  if (raw === null || raw === undefined || raw === "") return { ok: true, probe: null };
  if (!/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    return { ok: false, error: `"probe" must be a probe id (a positive whole number), got "${raw.slice(0, 40)}"` };
  }
  return { ok: true, probe: Number(raw) };
}

/** `?fetch=` of a version page: `0` asks for a passive probe (Disable-Module-Fetch: true); absent or `1` fetches, like go get. */
export function parseFetchParam(raw: string | null | undefined): { ok: true; fetch: boolean } | { ok: false; error: string } {
  if (raw === null || raw === undefined || raw === "" || raw === "1") return { ok: true, fetch: true };
  if (raw === "0") return { ok: true, fetch: false };
  return { ok: false, error: `"fetch" must be 0 (passive: Disable-Module-Fetch) or 1 (let mirrors fetch), got "${raw.slice(0, 40)}"` };
}
