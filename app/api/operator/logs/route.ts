import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { SESSION_COOKIE, checkOperator, logBuffer, operatorRefusal, parseLogQuery, recentLogs } from "@/lib/server";

const NO_STORE = { "Cache-Control": "no-store" };

/** GET /api/operator/logs[?status=4xx&limit=50]: the recent requests and errors, newest first. The operator's alone. */
export function GET(request: NextRequest) {
  // Credentials first: an anonymous caller learns nothing, not even whether its query was well-formed.
  const refusal = operatorRefusal(checkOperator(request.headers, request.cookies.get(SESSION_COOKIE)?.value ?? null));
  if (refusal) return NextResponse.json(refusal.body, { status: refusal.status, headers: { ...refusal.headers, ...NO_STORE } });
  const query = parseLogQuery(request.nextUrl.searchParams);
  if (!query.ok) return NextResponse.json({ error: query.error }, { status: 400, headers: NO_STORE });
  return NextResponse.json(recentLogs(logBuffer(), query.value), { headers: NO_STORE });
}
