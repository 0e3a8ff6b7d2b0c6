import { NextResponse } from "next/server";
import { checkRequestSchema, clientKey, firstIssue, getService, readJsonObject } from "@/lib/server";
import { toCheckDto } from "@/lib/timeline";

/** POST /api/checks {"module": "<path>"}: runs a check now, or joins the one running. */
export async function POST(request: Request) {
  const body = await readJsonObject(request);
  if (!body.ok) return NextResponse.json({ error: body.error }, { status: body.status });
  const parsed = checkRequestSchema.safeParse(body.value);
  if (!parsed.success) return NextResponse.json({ error: firstIssue(parsed.error) }, { status: 400 });

  const service = getService();
  const allowed = service.checkLimiter.take(clientKey(request.headers));
  if (!allowed.ok) {
    return NextResponse.json(
      { error: `too many checks: at most ${service.config.rateLimitPerMinute} a minute; retry in ${allowed.retryAfterSeconds} s` },
      { status: 429, headers: { "Retry-After": String(allowed.retryAfterSeconds) } },
    );
  }
  const { check } = await service.runCheck(parsed.data.module, { trigger: "api" });
  return NextResponse.json({ check: toCheckDto(check) });
}
