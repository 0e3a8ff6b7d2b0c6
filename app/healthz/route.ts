import { NextResponse } from "next/server";
import { currentHealth } from "@/lib/server";

/** GET /healthz: 200 when the database is writable and the poller ticks, else 503; unauthenticated, never cached. */
export async function GET() {
  const health = await currentHealth();
  return NextResponse.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
