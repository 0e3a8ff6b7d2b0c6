"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { useT } from "@/lib/i18n";
import { signInAction, signOutAction } from "./actions";
import type { SignInState } from "./actions";

/** The token field (never echoed back, never stored by the browser's autofill as a username) and the sign-out button. */
export function SignInForm({ signedIn }: { signedIn: boolean }) {
  const t = useT();
  const router = useRouter();
  const [state, signIn, pending] = useActionState<SignInState, FormData>(signInAction, { ok: false, code: null });
  const [outState, signOut, signingOut] = useActionState<SignInState, FormData>(() => signOutAction(), { ok: false, code: null });
  useEffect(() => {
    if (state.ok || outState.ok) router.refresh();
  }, [state, outState, router]);
  if (signedIn) {
    return (
      <form action={signOut}>
        <button type="submit" className="secondary" disabled={signingOut} data-testid="sign-out">
          {t("operator.signOut")}
        </button>
      </form>
    );
  }
  return (
    <form action={signIn} className="sign-in" data-testid="sign-in">
      <label htmlFor="operator-token">{t("operator.token")}</label>
      <input id="operator-token" name="token" type="password" autoComplete="current-password" required maxLength={1024} />
      <button type="submit" disabled={pending}>
        {pending ? t("operator.signingIn") : t("operator.signIn")}
      </button>
      {state.code ? (
        <p className="field-error" role="alert" data-testid="sign-in-error">
          {t(`operator.refused.${state.code}`, { seconds: state.retryAfterSeconds ?? 0 })}
        </p>
      ) : null}
    </form>
  );
}
