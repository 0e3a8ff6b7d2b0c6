"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useT } from "@/lib/i18n";

/** The operator's: deletes every stored row of the module (DELETE /api/modules/<path>, which checks the operator itself). */
export function DeleteModuleButton({ module }: { module: string }) {
  const t = useT();
  const router = useRouter();
  const mutation = useMutation({
    mutationFn: async (): Promise<{ ok: true } | { ok: false; message: string }> => {
      const response = await fetch(`/api/modules/${module}`, { method: "DELETE", credentials: "same-origin" });
      if (response.ok) return { ok: true };
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      return { ok: false, message: body.error ?? `HTTP ${response.status}` };
    },
    onSuccess: (result) => {
      if (!result.ok) return;
      // The page has nothing left to show: home, freshly rendered (its lists no longer hold the module).
      router.push("/");
      router.refresh();
    },
  });
  const failure = mutation.data && !mutation.data.ok ? mutation.data.message : mutation.isError ? String(mutation.error.message) : null;
  return (
    <span className="check-now">
      <button
        type="button"
        className="secondary danger"
        disabled={mutation.isPending || mutation.data?.ok === true}
        onClick={() => {
          if (window.confirm(t("growth.deleteConfirm", { module }))) mutation.mutate();
        }}
        data-testid="delete-module"
      >
        {mutation.isPending ? t("growth.deleting") : t("growth.delete")}
      </button>
      <span role="status" aria-live="polite" className="small">
        {failure ? <span className="field-error">{t("growth.deleteFailed", { message: failure })}</span> : null}
        {mutation.data?.ok ? t("growth.deleted", { module }) : null}
      </span>
    </span>
  );
}
