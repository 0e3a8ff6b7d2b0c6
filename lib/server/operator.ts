// Who may change what (issue 9/11). Anyone reads, checks, probes and resolves; the operator (un)watches modules,
// deletes a module's data and, later, manages webhooks. The operator is whoever holds ADMIN_TOKEN (a Bearer header
// for the API, a signed cookie from the sign-in form for the browser); without a token, an instance that listens on
// loopback only trusts requests from loopback, and any other instance has no operator at all.

import { createHmac, timingSafeEqual } from "node:crypto";
import ipaddr from "ipaddr.js";
import { PEER_HEADER, clientAddress, isLoopback } from "./client-identity";
import type { TrustProxy } from "./client-identity";

export const SESSION_COOKIE = "mirrorlag_operator";
/** A signed-in browser stays the operator this long, then signs in again. */
export const SESSION_SECONDS = 12 * 3600;

export type OperatorPolicy = { adminToken: string | null; trustProxy: TrustProxy; listen: string | null };

export type OperatorAccess =
  | { operator: true; via: "token" | "session" | "loopback" }
  | { operator: false; reason: "no_credentials" | "bad_credentials" | "disabled"; message: string };

type HeaderBag = { get(name: string): string | null };

/** Headers a reverse proxy adds: a request carrying one was not made on this machine, whoever connected. */
const FORWARDING_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host"];

/** Constant-time equality of two secrets of any length (the length itself is not hidden, only the content). */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

// The cookie is signed with a key derived from the token: changing ADMIN_TOKEN signs everyone out.
const signingKey = (token: string) => createHmac("sha256", token).update("mirrorlag operator session v1").digest();
const signature = (token: string, payload: string) => createHmac("sha256", signingKey(token)).update(payload).digest("base64url");

/** A session cookie value valid until `now + SESSION_SECONDS`: "v1.<expiry ms>.<HMAC>". */
export function issueSession(token: string, now: number): string {
  const payload = `v1.${now + SESSION_SECONDS * 1000}`;
  return `${payload}.${signature(token, payload)}`;
}

/** Whether a cookie value is a session this token signed and that has not expired. */
export function validSession(token: string, value: string, now: number): boolean {
  const match = /^(v1\.(\d{1,16}))\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match?.[1] || !match[2] || !match[3]) return false;
  if (!sameSecret(match[3], signature(token, match[1]))) return false;
  return Number(match[2]) > now;
}

/** Whether this process listens on loopback only (our HTTP server's --hostname). */
export function listensOnLoopbackOnly(listen: string | null): boolean {
  if (listen === null) return false;
  if (listen === "localhost") return true;
  return ipaddr.isValid(listen) && isLoopback(ipaddr.process(listen));
}

/** Whether the operator can exist on this instance at all, for the start-up message and the sign-in page. */
export function operatorMode(policy: OperatorPolicy): "token" | "loopback" | "disabled" {
  if (policy.adminToken !== null) return "token";
  return listensOnLoopbackOnly(policy.listen) ? "loopback" : "disabled";
}

/** The request's standing: operator or not, and why not (the API says it in its 401/403). */
export function operatorAccess(headers: HeaderBag, session: string | null, policy: OperatorPolicy, now: number): OperatorAccess {
  const mode = operatorMode(policy);
  if (mode === "disabled") {
    return { operator: false, reason: "disabled", message: "operator actions are disabled: this instance listens beyond loopback and has no ADMIN_TOKEN" };
  }
  if (mode === "token" && policy.adminToken !== null) {
    const authorization = headers.get("authorization");
    if (authorization !== null) {
      const bearer = /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1];
      return bearer !== undefined && sameSecret(bearer, policy.adminToken)
        ? { operator: true, via: "token" }
        : { operator: false, reason: "bad_credentials", message: "the Authorization header does not carry the operator's token" };
    }
    if (session !== null) {
      return validSession(policy.adminToken, session, now)
        ? { operator: true, via: "session" }
        : { operator: false, reason: "bad_credentials", message: "the operator session has expired or is not valid: sign in again" };
    }
    return { operator: false, reason: "no_credentials", message: "this needs the operator: send Authorization: Bearer <ADMIN_TOKEN>, or sign in at /operator" };
  }
  // Loopback mode: only a request made on this machine, not one a local reverse proxy passed on.
  const forwarded = policy.trustProxy.kind === "off" && FORWARDING_HEADERS.some((h) => headers.get(h) !== null);
  const client = clientAddress(headers.get(PEER_HEADER), headers.get("x-forwarded-for"), policy.trustProxy);
  if (!forwarded && isLoopback(client)) return { operator: true, via: "loopback" };
  return { operator: false, reason: "no_credentials", message: "this needs the operator: without ADMIN_TOKEN, only requests from this machine may" };
}
