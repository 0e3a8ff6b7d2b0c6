import { NextResponse } from "next/server";
import { checkRequestSchema, clientKey, firstIssue, getService, readJsonObject, userWorkRefusalResponse } from "@/lib/server";
import { toCheckDto } from "@/lib/timeline";

/** POST /api/checks {"module": "<path>"}: runs a check now, or joins the one running. */
export async function POST(request: Request) {
  const body = await readJsonObject(request);
  if (!body.ok) return NextResponse.json({ error: body.error }, { status: body.status });
  const parsed = checkRequestSchema.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: firstIssue(parsed.error) }, { status: 400 });

  const service = getService();
  const ran = await service.runUserWork("check", clientKey(request.headers), () => service.runCheck(parsed.data.module, { trigger: "api" }));
  if (!ran.ok) {
    const refusal = userWorkRefusalResponse(ran, "check", service.config);
    return NextResponse.json(refusal.body, { status: refusal.status, headers: refusal.headers });
  }
  return NextResponse.json({ check: toCheckDto(ran.value.check) });
}
