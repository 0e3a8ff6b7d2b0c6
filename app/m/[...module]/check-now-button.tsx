"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { checkModuleAction } from "@/app/actions";
import { useT } from "@/lib/i18n";
import { queryKeys } from "@/lib/web/react";

/**
 * Runs a check through the server action. "invalidate" refetches the live timeline, "refresh" re-renders the
 * server page (unknown module), "navigate" leaves a permalink for the live page.
 */
export function CheckNowButton({
  module,
  label,
  mode,
  liveHref,
  onPendingChange,
}: {
  module: string;
  label?: string;
  mode: "invalidate" | "refresh" | "navigate";
  liveHref?: string;
  onPendingChange?: (pending: boolean) => void;
}) {
  const t = useT();
  const router = useRouter();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: async () => {
      onPendingChange?.(true);
      return checkModuleAction({ module });
    },
    onSettled: () => onPendingChange?.(false),
    onSuccess: async (result) => {
      if (!result.ok) return;
      if (mode === "navigate" && liveHref) router.push(liveHref);
      else if (mode === "refresh") router.refresh();
      else await queryClient.invalidateQueries({ queryKey: queryKeys.timelineLive(module) });
    },
  });
  const result = mutation.data;
  return (
    <span className="check-now">
      <button type="button" onClick={() => mutation.mutate()} disabled={mutation.isPending} aria-busy={mutation.isPending}>
        {mutation.isPending ? t("module.checking") : (label ?? t("module.checkNow"))}
      </button>
      <span role="status" aria-live="polite" className="small">
        {result && !result.ok ? (
          <span className="field-error">
            {result.code === "rate_limited"
              ? t("module.rateLimited", { seconds: result.retryAfterSeconds ?? 60 })
              : result.code === "busy"
                ? t("app.busy", { seconds: result.retryAfterSeconds ?? 10 })
                : result.message}
          </span>
        ) : null}
        {mutation.isError ? <span className="field-error">{String(mutation.error.message)}</span> : null}
      </span>
    </span>
  );
}
