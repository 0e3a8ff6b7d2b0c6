import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { SESSION_COOKIE, checkOperator, operatorMode, operatorPolicy } from "@/lib/server";

/** GET /api/operator: whether this request is the operator, and how this instance recognises one. */
export function GET(request: NextRequest) {
  const access = checkOperator(request.headers, request.cookies.get(SESSION_COOKIE)?.value ?? null);
  const mode = operatorMode(operatorPolicy());
  return NextResponse.json(access.operator ? { operator: true, via: access.via, mode } : { operator: false, reason: access.reason, message: access.message, mode }, { headers: { "Cache-Control": "no-store" } });
}
