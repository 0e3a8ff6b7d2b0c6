import { NextResponse } from "next/server";
import type { NextRequest } from "next/server";
import { firstIssue, getService, suggestQuerySchema } from "@/lib/server";
import { MIN_SUGGEST_TEXT_LENGTH } from "@/lib/web";

/** GET /api/suggest?q=<text>: known module paths containing the text (2–200 characters), best matches first. */
export async function GET(request: NextRequest) {
  const parsed = suggestQuerySchema.safeParse({ q: request.nextUrl.searchParams.get("q") ?? undefined });
  if (!parsed.success) return NextResponse.json({ error: firstIssue(parsed.error) }, { status: 400 });
  const text = parsed.data.q.trim();
  const modules = text.length < MIN_SUGGEST_TEXT_LENGTH ? [] : await getService().suggest(text);
  return NextResponse.json({ modules }, { headers: { "Cache-Control": "no-store" } });
}
