import { NextResponse } from "next/server";
import { negotiateLocale } from "@/lib/i18n";
import { getService, parseProbeId } from "@/lib/server";

/** GET /api/resolutions/<id>: progress, and per requirement × mirror what the go command would get. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const raw = (await params).id;
  const id = parseProbeId(raw);
  if (id === null) return NextResponse.json({ error: `"${raw.slice(0, 40)}" is not a resolution id (a positive whole number)` }, { status: 400 });
  const locale = negotiateLocale({ query: new URL(request.url).searchParams.get("lang"), acceptLanguage: request.headers.get("accept-language") });
  const resolution = await getService().resolution(id, locale);
  if (!resolution) return NextResponse.json({ error: `resolution ${id} does not exist` }, { status: 404 });
  // A finished resolution never changes; a running one is polled.
  const cache = resolution.status === "running" ? "no-store" : "public, max-age=31536000, immutable";
  return NextResponse.json({ resolution }, { headers: { "Cache-Control": cache } });
}
