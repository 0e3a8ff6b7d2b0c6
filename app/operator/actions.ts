"use server";

import { cookies, headers } from "next/headers";
import { SESSION_COOKIE, SESSION_SECONDS, getConfig, issueSession, trySignIn } from "@/lib/server";

/** code: why the sign-in was refused, for the page to say in its language. */
export type SignInState = { ok: boolean; code: "empty" | "no_token" | "rate_limited" | "wrong_token" | null; retryAfterSeconds?: number };

/** The sign-in form: the token, compared in constant time, failures counted per client; a signed cookie on success. */
export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const token = form.get("token");
  if (typeof token !== "string" || token === "" || token.length > 1024) return { ok: false, code: "empty" };
  const requestHeaders = await headers();
  const outcome = trySignIn(requestHeaders, token);
  if (!outcome.ok) return { ok: false, code: outcome.code, retryAfterSeconds: outcome.retryAfterSeconds };
  const adminToken = getConfig().adminToken;
  if (adminToken === null) return { ok: false, code: "no_token" };
  (await cookies()).set(SESSION_COOKIE, issueSession(adminToken, Date.now()), {
    httpOnly: true,
    sameSite: "strict",
    // Secure whenever the page was opened over https (directly or, as the browser says, through a proxy).
    secure: (requestHeaders.get("origin") ?? "").startsWith("https:"),
    path: "/",
    maxAge: SESSION_SECONDS,
  });
  return { ok: true, code: null };
}

export async function signOutAction(): Promise<SignInState> {
  (await cookies()).delete(SESSION_COOKIE);
  return { ok: true, code: null };
}
