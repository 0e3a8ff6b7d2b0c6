"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { probePermalink } from "@/lib/doctor";
import { clientKey, currentOperator, firstIssue, getService, modulePathSchema, probeRequestSchema, userWorkRefusalMessage } from "@/lib/server";

/** busy: the instance's outbound budget to the mirrors is full (retry after retryAfterSeconds); rate_limited: this client's own. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; code: "invalid" | "rate_limited" | "busy" | "forbidden"; message: string; retryAfterSeconds?: number };

const checkInput = z.object({ module: modulePathSchema }).strict();

/** Runs (or joins) a check of a module for the UI. A public POST endpoint: validated, rate-limited, minimal answer. */
export async function checkModuleAction(input: unknown): Promise<ActionResult<{ checkId: number; module: string; at: string }>> {
  const parsed = checkInput.safeParse(input);
  if (!parsed.success) return { ok: false, code: "invalid", message: firstIssue(parsed.error) };
  const service = getService();
  const ran = await service.runUserWork("check", clientKey(await headers()), () => service.runCheck(parsed.data.module, { trigger: "user" }));
  if (!ran.ok) return { ok: false, code: ran.code, message: userWorkRefusalMessage(ran, "check", service.config), retryAfterSeconds: ran.retryAfterSeconds };
  const { check } = ran.value;
  return { ok: true, data: { checkId: check.id, module: check.module, at: check.at.toISOString() } };
}

const watchInput = z.object({ module: modulePathSchema, watched: z.boolean({ error: '"watched" must be true or false' }) }).strict();

/** Watches or stops watching a known module (the poller re-checks watched modules). The operator's alone. */
export async function setWatchedAction(input: unknown): Promise<ActionResult<{ module: string; watched: boolean }>> {
  const parsed = watchInput.safeParse(input);
  if (!parsed.success) return { ok: false, code: "invalid", message: firstIssue(parsed.error) };
  // A server action is a public POST endpoint: the page hiding the button is no protection.
  const operator = await currentOperator();
  if (!operator.operator) {
    return operator.reason === "rate_limited"
      ? { ok: false, code: "rate_limited", message: operator.message, retryAfterSeconds: operator.retryAfterSeconds }
      : { ok: false, code: "forbidden", message: operator.message };
  }
  const service = getService();
  if (!(await service.setWatched(parsed.data.module, parsed.data.watched))) {
    return { ok: false, code: "invalid", message: `module ${parsed.data.module} has not been checked yet` };
  }
  return { ok: true, data: parsed.data };
}

/**
 * Probes one version on every mirror for the version page (the doctor). A public POST endpoint: validated with the
 * API's schema, rate-limited with checks, answering only where the evidence now lives.
 */
export async function probeVersionAction(input: unknown): Promise<ActionResult<{ probeId: number; permalink: string; version: string }> | { ok: false; code: "no_latest"; message: string }> {
  const parsed = probeRequestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "invalid", message: firstIssue(parsed.error) };
  const service = getService();
  const { module, version, fetch } = parsed.data;
  const ran = await service.runUserWork("probe", clientKey(await headers()), () => service.runProbe(module, version, fetch));
  if (!ran.ok) return { ok: false, code: ran.code, message: userWorkRefusalMessage(ran, "probe", service.config), retryAfterSeconds: ran.retryAfterSeconds };
  const outcome = ran.value;
  if (!outcome.ok) return { ok: false, code: "no_latest", message: outcome.message };
  const { probe } = outcome;
  return { ok: true, data: { probeId: probe.id, permalink: probePermalink(probe.module, probe.version, probe.id), version: probe.version } };
}
