"use server";

import { headers } from "next/headers";
import { resolveInputProblem } from "@/lib/resolve";
import { clientKey, getService, readResolutionRequest, userWorkRefusalMessage } from "@/lib/server";
import type { ActionResult } from "../actions";

/**
 * Starts (or reuses) the resolution of a pasted go.mod for /resolve. A public POST endpoint: validated by the API's
 * own reader, rate-limited with checks and probes, answering only the id whose page is the permalink.
 */
export async function startResolutionAction(input: unknown): Promise<ActionResult<{ id: number }>> {
  let body: string;
  try {
    body = JSON.stringify(input ?? null);
  } catch {
    return { ok: false, code: "invalid", message: 'expected {"gomod", "gosum", "zips"}' };
  }
  // Through POST /api/resolutions' reader, so the page refuses exactly what the API refuses, in the same words.
  const request = new Request("http://mirrorlag.invalid/api/resolutions", { method: "POST", headers: { "content-type": "application/json" }, body });
  const read = await readResolutionRequest(request);
  if (!read.ok) return { ok: false, code: "invalid", message: read.error };
  // A go.mod the go command refuses is refused before the limiter: bad input neither costs budget nor hides behind a 429.
  const problem = resolveInputProblem(read.value);
  if (problem !== null) return { ok: false, code: "invalid", message: problem };
  const service = getService();
  const ran = await service.runUserWork("resolution", clientKey(await headers()), () => service.resolver.start(read.value));
  if (!ran.ok) return { ok: false, code: ran.code, message: userWorkRefusalMessage(ran, "resolution", service.config), retryAfterSeconds: ran.retryAfterSeconds };
  const started = ran.value;
  if (!started.ok) return { ok: false, code: "invalid", message: started.error };
  return { ok: true, data: { id: started.resolution.id } };
}
