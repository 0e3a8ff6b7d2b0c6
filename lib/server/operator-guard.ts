import "server-only";
import { listenAddress } from "./client-identity";
import { getConfig } from "./config";
import { operatorAccess, operatorMode } from "./operator";
import type { OperatorAccess, OperatorPolicy } from "./operator";
import { clientKey, createRateLimiter } from "./rate-limit";

/** Failed operator credentials a client may send per window: a 24-character token stays out of reach. */
export const FAILED_SIGN_INS_PER_WINDOW = 10;
const FAILED_WINDOW_MS = 15 * 60_000;

const holder = globalThis as unknown as { mirrorlagFailedSignIns?: ReturnType<typeof createRateLimiter> };
const failures = () => (holder.mirrorlagFailedSignIns ??= createRateLimiter({ limit: FAILED_SIGN_INS_PER_WINDOW, windowMs: FAILED_WINDOW_MS, now: Date.now }));

export function operatorPolicy(): OperatorPolicy {
  const config = getConfig();
  return { adminToken: config.adminToken, trustProxy: config.trustProxy, listen: listenAddress() };
}

export type OperatorCheck = OperatorAccess | { operator: false; reason: "rate_limited"; message: string; retryAfterSeconds: number };

/**
 * The request's operator standing, with failed credentials counted per client: past FAILED_SIGN_INS_PER_WINDOW in
 * 15 minutes, credentials are not even looked at until the window passes.
 */
export function checkOperator(headers: { get(name: string): string | null }, session: string | null): OperatorCheck {
  const key = clientKey(headers);
  const blocked = failures().peek(key);
  const presented = headers.get("authorization") !== null || session !== null;
  if (!blocked.ok && presented) {
    return { operator: false, reason: "rate_limited", message: `too many failed operator sign-ins: retry in ${blocked.retryAfterSeconds} s`, retryAfterSeconds: blocked.retryAfterSeconds };
  }
  const access = operatorAccess(headers, session, operatorPolicy(), Date.now());
  if (!access.operator && access.reason === "bad_credentials") failures().take(key);
  return access;
}

/** A sign-in attempt with the token typed into the form: true when it is the operator's. Counted like credentials. */
export type SignInRefusal = { ok: false; code: "no_token" | "rate_limited" | "wrong_token"; retryAfterSeconds?: number };

export function trySignIn(headers: { get(name: string): string | null }, token: string): { ok: true } | SignInRefusal {
  const policy = operatorPolicy();
  if (operatorMode(policy) !== "token" || policy.adminToken === null) return { ok: false, code: "no_token" };
  const key = clientKey(headers);
  const blocked = failures().peek(key);
  if (!blocked.ok) return { ok: false, code: "rate_limited", retryAfterSeconds: blocked.retryAfterSeconds };
  const access = operatorAccess({ get: (name) => (name === "authorization" ? `Bearer ${token}` : null) }, null, policy, Date.now());
  if (access.operator) return { ok: true };
  failures().take(key);
  return { ok: false, code: "wrong_token" };
}

/** For route handlers: a refusal as the API answers it (401 with a Bearer challenge, 403 disabled, 429), or null. */
export function operatorRefusal(check: OperatorCheck): { status: number; body: { error: string }; headers: Record<string, string> } | null {
  if (check.operator) return null;
  if (check.reason === "rate_limited") return { status: 429, body: { error: check.message }, headers: { "Retry-After": String(check.retryAfterSeconds) } };
  if (check.reason === "disabled") return { status: 403, body: { error: check.message }, headers: {} };
  return { status: 401, body: { error: check.message }, headers: { "WWW-Authenticate": 'Bearer realm="mirrorlag operator"' } };
}
