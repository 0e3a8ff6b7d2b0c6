import { NextResponse } from "next/server";
import { resolveInputProblem } from "@/lib/resolve";
import { clientKey, getService, readResolutionRequest, userWorkRefusalResponse } from "@/lib/server";

/** POST /api/resolutions (JSON {"gomod", "gosum", "zips"} or multipart go.mod/go.sum): starts checking a whole go.mod. */
export async function POST(request: Request) {
  const body = await readResolutionRequest(request);
  if (!body.ok) return NextResponse.json({ error: body.error }, { status: body.status });
  // Refused before the limiter, like every other bad input: it neither costs budget nor hides behind a 429.
  const problem = resolveInputProblem(body.value);
  if (problem !== null) return NextResponse.json({ error: problem }, { status: 400 });
  const service = getService();
  const ran = await service.runUserWork("resolution", clientKey(request.headers), () => service.resolver.start(body.value));
  if (!ran.ok) {
    const refusal = userWorkRefusalResponse(ran, "resolution", service.config);
    return NextResponse.json(refusal.body, { status: refusal.status, headers: refusal.headers });
  }
  const started = ran.value;
  if (!started.ok) return NextResponse.json({ error: started.error }, { status: 400 });
  const { resolution } = started;
  return NextResponse.json(
    { resolution: { id: resolution.id, status: resolution.status, total: resolution.total, reused: started.reused, permalink: `/resolve?id=${resolution.id}` } },
    { status: 202, headers: { Location: `/api/resolutions/${resolution.id}` } },
  );
}
