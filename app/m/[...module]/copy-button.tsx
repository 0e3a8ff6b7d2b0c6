"use client";

import { useState } from "react";
import { useT } from "@/lib/i18n";

/** Copies text produced on click; when the clipboard is refused, shows the text to select by hand. */
export function CopyButton({ label, text, testId }: { label: string; text: () => string; testId: string }) {
  const t = useT();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const [fallback, setFallback] = useState<string | null>(null);
  const copy = async () => {
    const value = text();
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
      setFallback(null);
      setTimeout(() => setState("idle"), 2000);
    } catch {
      setState("failed");
      setFallback(value);
    }
  };
  return (
    <span className="copy-button">
      <button type="button" className="secondary" onClick={copy} data-testid={testId}>
        {state === "copied" ? `✓ ${t("module.copied")}` : label}
      </button>
      {state === "failed" && fallback !== null ? (
        <span className="copy-fallback">
          <span className="small field-error">{t("module.copyFailed")}</span>
          <textarea readOnly value={fallback} rows={Math.min(12, fallback.split("\n").length)} onFocus={(e) => e.currentTarget.select()} />
        </span>
      ) : null}
    </span>
  );
}
