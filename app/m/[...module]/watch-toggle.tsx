"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { setWatchedAction } from "@/app/actions";
import { useT } from "@/lib/i18n";

/** Whether the poller keeps re-checking this module: the operator changes it, everyone else sees it. */
export function WatchToggle({ module, initial, operator }: { module: string; initial: boolean; operator: boolean }) {
  const t = useT();
  const [watched, setWatched] = useState(initial);
  const mutation = useMutation({
    mutationFn: (next: boolean) => setWatchedAction({ module, watched: next }),
    onSuccess: (result) => {
      if (result.ok) setWatched(result.data.watched);
    },
  });
  const failure = mutation.data && !mutation.data.ok ? mutation.data.message : null;
  if (!operator) {
    return (
      <span className="muted small" data-testid="watch-state" title={t("module.watchOperatorOnly")}>
        {watched ? `★ ${t("module.watchedByPoller")}` : `☆ ${t("module.notWatched")}`}
      </span>
    );
  }
  return (
    <span className="check-now">
      <button
        type="button"
        className="secondary"
        aria-pressed={watched}
        title={t("module.watchHelp")}
        disabled={mutation.isPending}
        onClick={() => mutation.mutate(!watched)}
        data-testid="watch-toggle"
      >
        {watched ? `★ ${t("module.unwatch")}` : `☆ ${t("module.watch")}`}
      </button>
      {failure ? <span className="small field-error">{failure}</span> : null}
    </span>
  );
}
