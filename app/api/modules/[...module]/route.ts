import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { SESSION_COOKIE, checkOperator, firstIssue, getService, modulePathSchema, operatorRefusal } from "@/lib/server";
import { joinPathSegments, parseAtParam, parsePageParam, parseVersionParam } from "@/lib/web";

const PREFIX = "/api/modules/";

/**
 * GET /api/modules/<path>[?at=<checkId>][&page=<n> | &version=<v>]: the module's timeline as of its newest check,
 * or of that check; one page of its long lists (default the first), or what concerns one version.
 */
export async function GET(request: NextRequest) {
  // From the raw URL, not the route params: Next decodes a route handler's params already (a page's it does not),
  // and decoding twice would turn "%2541" into "A" or misreport an escaped "%".
  const segments = request.nextUrl.pathname.slice(PREFIX.length).split("/");
  const joined = joinPathSegments(segments);
  if (!joined.ok) return NextResponse.json({ error: joined.error }, { status: 400 });
  const parsed = modulePathSchema.safeParse(joined.path);
  if (!parsed.success) return NextResponse.json({ error: firstIssue(parsed.error) }, { status: 400 });
  const at = parseAtParam(request.nextUrl.searchParams.get("at"));
  if (!at.ok) return NextResponse.json({ error: at.error }, { status: 400 });
  const search = request.nextUrl.searchParams;
  const page = parsePageParam(search.get("page"));
  if (!page.ok) return NextResponse.json({ error: page.error }, { status: 400 });
  const version = parseVersionParam(search.get("version"));
  if (!version.ok) return NextResponse.json({ error: version.error }, { status: 400 });
  if (version.version !== null && search.get("page")) return NextResponse.json({ error: '"page" and "version" cannot be combined: a version\'s answer is one page' }, { status: 400 });

  const selection = version.version !== null ? { version: version.version } : { page: page.page };
  const result = await getService().timeline(parsed.data, at.at, selection);
  if (!result.ok) return NextResponse.json({ error: result.message }, { status: 404 });
  // Someone reads it: it stays polled (at most one write per module per few minutes).
  await getService().noteInterest(parsed.data);
  // A timeline as of a fixed check does not change (bar .info times filled in just after it): caches may keep it.
  const headers = at.at === undefined ? { "Cache-Control": "no-store" } : { "Cache-Control": "public, max-age=300" };
  return NextResponse.json(result.timeline, { headers });
}

/**
 * DELETE /api/modules/<path>: every stored row of the module (checks, observations, probes…) in one transaction,
 * and what the server cached of it. The operator's alone (Bearer or session); a later check starts it afresh.
 */
export async function DELETE(request: NextRequest) {
  // Credentials first: an anonymous caller learns nothing about which modules exist.
  const refusal = operatorRefusal(checkOperator(request.headers, request.cookies.get(SESSION_COOKIE)?.value ?? null));
  if (refusal) return NextResponse.json(refusal.body, { status: refusal.status, headers: refusal.headers });
  const joined = joinPathSegments(request.nextUrl.pathname.slice(PREFIX.length).split("/"));
  if (!joined.ok) return NextResponse.json({ error: joined.error }, { status: 400 });
  const parsed = modulePathSchema.safeParse(joined.path);
  if (!parsed.success) return NextResponse.json({ error: firstIssue(parsed.error) }, { status: 400 });
  if (!(await getService().deleteModule(parsed.data))) return NextResponse.json({ error: `module ${parsed.data} has not been checked yet` }, { status: 404 });
  return NextResponse.json({ module: parsed.data, deleted: true });
}
