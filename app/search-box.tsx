"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useT } from "@/lib/i18n/i18n-provider";
import { parseModuleQuery } from "@/lib/module-query";
import { modulePageHref } from "@/lib/routes";

/** The module search: validates as you type with the same rules as the go command, `/` focuses it. */
export function SearchBox({ initial = "" }: { initial?: string }) {
  const t = useT();
  const router = useRouter();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState(initial);
  const [touched, setTouched] = useState(initial !== "");
  const [pending, setPending] = useState(false);
  const parsed = value.trim() === "" ? null : parseModuleQuery(value);
  const error = touched && value.trim() === "" ? t("search.empty") : parsed && !parsed.ok ? parsed.error : null;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
      if (event.key === "/" && !typing && !event.metaKey && !event.ctrlKey && !event.altKey) {
        event.preventDefault();
        inputRef.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!parsed || !parsed.ok) return;
    setPending(true);
    router.push(modulePageHref(parsed.query.module, parsed.query.version));
  };

  return (
    <form className="search-form" role="search" onSubmit={onSubmit} noValidate>
      <label htmlFor="module-search" className="visually-hidden">
        {t("search.label")}
      </label>
      <input
        id="module-search"
        ref={inputRef}
        type="search"
        name="module"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="off"
        placeholder={t("search.placeholder")}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby="module-search-status"
        onChange={(event) => {
          setValue(event.target.value);
          setTouched(true);
        }}
      />
      <button type="submit" disabled={pending}>
        {pending ? t("search.checking") : t("search.submit")}
      </button>
      <div id="module-search-status" aria-live="polite" style={{ flexBasis: "100%" }}>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : parsed?.ok ? (
          <p className="field-ok">{t("search.valid")}</p>
        ) : null}
      </div>
    </form>
  );
}
