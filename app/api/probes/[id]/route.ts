import { NextResponse } from "next/server";
import { toProbeDto } from "@/lib/doctor";
import { negotiateLocale } from "@/lib/i18n";
import { getService, parseProbeId } from "@/lib/server";

/** GET /api/probes/<id>: a stored probe, the same evidence forever (diagnosis text in ?lang= or Accept-Language). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const raw = (await params).id;
  const id = parseProbeId(raw);
  if (id === null) return NextResponse.json({ error: `"${raw.slice(0, 40)}" is not a probe id (a positive whole number)` }, { status: 400 });
  const probe = await getService().findProbe(id);
  if (!probe) return NextResponse.json({ error: `probe ${id} does not exist` }, { status: 404 });
  return NextResponse.json({ probe: toProbeDto(probe, localeOf(request)) }, { headers: { "Cache-Control": "public, max-age=31536000, immutable" } });
}

/** The diagnosis text's language: `?lang=`, else Accept-Language (an API client has no saved choice). */
function localeOf(request: Request) {
  return negotiateLocale({ query: new URL(request.url).searchParams.get("lang"), acceptLanguage: request.headers.get("accept-language") });
}
