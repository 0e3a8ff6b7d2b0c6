import { NextResponse } from "next/server";
import { toProbeDto } from "@/lib/doctor";
import { negotiateLocale } from "@/lib/i18n";
import { clientKey, firstIssue, getService, probeRequestSchema, readJsonObject, userWorkRefusalResponse } from "@/lib/server";

/** POST /api/probes {"module", "version", "fetch"}: probes that version on every mirror now (or joins/reuses one). */
export async function POST(request: Request) {
  const body = await readJsonObject(request, '{"module": "github.com/user/repo", "version": "v1.2.3"}');
  if (!body.ok) return NextResponse.json({ error: body.error }, { status: body.status });
  const parsed = probeRequestSchema.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: firstIssue(parsed.error) }, { status: 400 });

  const service = getService();
  const { module, version, fetch } = parsed.data;
  const ran = await service.runUserWork("probe", clientKey(request.headers), () => service.runProbe(module, version, fetch));
  if (!ran.ok) {
    const refusal = userWorkRefusalResponse(ran, "probe", service.config);
    return NextResponse.json(refusal.body, { status: refusal.status, headers: refusal.headers });
  }
  const outcome = ran.value;
  if (!outcome.ok) return NextResponse.json({ error: outcome.message }, { status: 404 });
  return NextResponse.json({ probe: toProbeDto(outcome.probe, localeOf(request)) });
}

/** The diagnosis text's language: `?lang=`, else Accept-Language (an API client has no saved choice). */
function localeOf(request: Request) {
  return negotiateLocale({ query: new URL(request.url).searchParams.get("lang"), acceptLanguage: request.headers.get("accept-language") });
}
