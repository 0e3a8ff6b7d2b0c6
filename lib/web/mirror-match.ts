/** A mirror as configured: its name and the GOPROXY base URL it is asked at. */
export type MirrorRef = { name: string; baseUrl: string };

function normalizeBase(url: string): string | null {
  try {
    const u = new URL(url.trim());
    return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    return null;
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url.trim()).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Which configured mirror a user's text names: its name, its base URL, or (when only one mirror lives there) its
 * host. A pasted go error names the URL the user's GOPROXY points at, which may differ in scheme or trailing slash.
 */
export function matchMirror(raw: string | null, mirrors: MirrorRef[]): string | null {
  if (!raw) return null;
  const byName = mirrors.find((m) => m.name === raw);
  if (byName) return byName.name;
  const base = normalizeBase(raw);
  if (base === null) return null;
  const byBase = mirrors.find((m) => normalizeBase(m.baseUrl) === base);
  if (byBase) return byBase.name;
  const host = hostOf(raw);
  const byHost = mirrors.filter((m) => hostOf(m.baseUrl) === host);
  return byHost.length === 1 ? (byHost[0]?.name ?? null) : null;
}
