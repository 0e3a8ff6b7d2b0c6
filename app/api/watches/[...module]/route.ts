import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { SESSION_COOKIE, checkOperator, firstIssue, getService, modulePathSchema, operatorRefusal } from "@/lib/server";
import { joinPathSegments } from "@/lib/web";

const PREFIX = "/api/watches/";

/** PUT /api/watches/<path>: the poller re-checks the module; DELETE: it stops. The operator's alone (Bearer or session). */
async function setWatch(request: NextRequest, watched: boolean) {
  // Credentials first: an anonymous caller learns nothing about which modules exist.
  const refusal = operatorRefusal(checkOperator(request.headers, request.cookies.get(SESSION_COOKIE)?.value ?? null));
  if (refusal) return NextResponse.json(refusal.body, { status: refusal.status, headers: refusal.headers });
  const joined = joinPathSegments(request.nextUrl.pathname.slice(PREFIX.length).split("/"));
  if (!joined.ok) return NextResponse.json({ error: joined.error }, { status: 400 });
  const parsed = modulePathSchema.safeParse(joined.path);
  if (!parsed.success) return NextResponse.json({ error: firstIssue(parsed.error) }, { status: 400 });
  if (!(await getService().setWatched(parsed.data, watched))) return NextResponse.json({ error: `module ${parsed.data} has not been checked yet` }, { status: 404 });
  return NextResponse.json({ module: parsed.data, watched });
}

export const PUT = (request: NextRequest) => setWatch(request, true);
export const DELETE = (request: NextRequest) => setWatch(request, false);
