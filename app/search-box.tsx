"use client";

import { useEffect, useId, useState, useTransition } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { checkModuleAction } from "./actions";
import { parseDoctorQuery } from "@/lib/doctor";
import { useT } from "@/lib/i18n";
import { MAX_SUGGEST_TEXT_LENGTH, MIN_SUGGEST_TEXT_LENGTH, modulePageHref, parseModuleQuery, versionPageHref } from "@/lib/web";
import { suggestionsQuery } from "@/lib/web/react";

const SUGGEST_DEBOUNCE_MS = 150;

/** What the box holds: a module (check it), one version to diagnose (open the doctor), or why neither. */
type Interpretation =
  | { kind: "module"; module: string }
  | { kind: "version"; module: string; version: string; mirror: string | null }
  | { kind: "invalid"; error: string };

/**
 * `M` or `M@V` as typed, else what the doctor's parser finds in a pasted `go get` line or error (module, version,
 * mirror URL). A bare path that is neither keeps the module rules' message, in the go command's words.
 */
function interpret(raw: string): Interpretation {
  const query = parseModuleQuery(raw);
  if (query.ok) {
    const { module, version } = query.query;
    return version === null ? { kind: "module", module } : { kind: "version", module, version, mirror: null };
  }
  const doctor = parseDoctorQuery(raw);
  if (!("error" in doctor)) return { kind: "version", module: doctor.module, version: doctor.version, mirror: doctor.mirrorBaseUrl };
  return { kind: "invalid", error: /\s/.test(raw.trim()) ? doctor.error : query.error };
}

/**
 * The module search: validates as you type with the same rules as the go command, suggests known modules
 * (an ARIA combobox), `/` focuses it. Submitting a module runs a check first, so the module page opens on fresh
 * data; `M@V` or a pasted go error opens that version's page, whose doctor probes it.
 */
export function SearchBox({ initial = "" }: { initial?: string }) {
  const t = useT();
  const router = useRouter();
  const listId = useId();
  const [value, setValue] = useState(initial);
  const [touched, setTouched] = useState(initial !== "");
  const [focused, setFocused] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const [activeModule, setActiveModule] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [checking, setChecking] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const parsed = value.trim() === "" ? null : interpret(value);
  const error = touched && value.trim() === "" ? t("search.empty") : parsed?.kind === "invalid" ? parsed.error : null;

  // Suggest on the module part only: once "@" is typed the user is choosing a version, and a pasted line is no path.
  const typed = value.includes("@") || /\s/.test(value.trim()) ? "" : value.trim();
  const suggestText = useDebounced(typed, SUGGEST_DEBOUNCE_MS);
  const suggestions = useQuery({
    ...suggestionsQuery(suggestText),
    enabled: suggestText.length >= MIN_SUGGEST_TEXT_LENGTH && suggestText.length <= MAX_SUGGEST_TEXT_LENGTH,
    placeholderData: keepPreviousData,
  });
  const options =
    typed.length >= MIN_SUGGEST_TEXT_LENGTH ? (suggestions.data?.modules ?? []).filter((module) => module !== typed) : [];
  const open = focused && !dismissed && !pending && options.length > 0;
  const activeIndex = activeModule === null ? -1 : options.indexOf(activeModule);
  const optionId = (index: number) => `${listId}-option-${index}`;


  const submit = (raw: string) => {
    setTouched(true);
    setFailure(null);
    const query = raw.trim() === "" ? null : interpret(raw);
    if (!query || query.kind === "invalid") return;
    if (query.kind === "version") {
      // The version page starts the probe itself, so it opens at once and shows its progress.
      setChecking(`${query.module}@${query.version}`);
      startTransition(() => router.push(versionPageHref(query.module, query.version, { mirror: query.mirror, run: true })));
      return;
    }
    const { module } = query;
    setChecking(module);
    startTransition(async () => {
      let result: Awaited<ReturnType<typeof checkModuleAction>>;
      try {
        result = await checkModuleAction({ module });
      } catch (thrown) {
        setFailure(t("search.failed", { message: thrown instanceof Error ? thrown.message : String(thrown) }));
        return;
      }
      if (!result.ok) {
        setFailure(
          result.code === "rate_limited"
            ? t("search.rateLimited", { seconds: result.retryAfterSeconds ?? 60 })
            : result.code === "busy"
              ? t("app.busy", { seconds: result.retryAfterSeconds ?? 10 })
              : result.message,
        );
        return;
      }
      // Inside the transition, so the pending state lasts until the module page has rendered.
      startTransition(() => router.push(modulePageHref(result.data.module)));
    });
  };

  const pick = (module: string) => {
    setValue(module);
    setDismissed(true);
    setActiveModule(null);
    submit(module);
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (options.length === 0) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      // Re-opening a dismissed list shows it before moving through it.
      const from = !open ? (step === 1 ? -1 : options.length) : activeIndex;
      setDismissed(false);
      setActiveModule(options[(from + step + options.length) % options.length] ?? null);
    } else if (event.key === "Enter" && open && activeIndex >= 0) {
      event.preventDefault();
      const chosen = options[activeIndex];
      if (chosen) pick(chosen);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setDismissed(true);
      setActiveModule(null);
    }
  };

  return (
    <form
      className="search-form"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        submit(value);
      }}
      noValidate
    >
      <label htmlFor="module-search" className="visually-hidden">
        {t("search.label")}
      </label>
      <div className="search-combo">
        <input
          id="module-search"
          type="search"
          name="module"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open && activeIndex >= 0 ? optionId(activeIndex) : undefined}
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
            setDismissed(false);
            setActiveModule(null);
            setFailure(null);
          }}
          onKeyDown={onKeyDown}
          onPaste={(event) => {
            // A pasted go error spans lines; a one-line input would drop the line breaks and glue words together.
            const text = event.clipboardData.getData("text");
            if (!text.includes("\n")) return;
            event.preventDefault();
            const input = event.currentTarget;
            const flat = text.replace(/\s*\n\s*/g, " ").trim();
            const start = input.selectionStart ?? value.length;
            const end = input.selectionEnd ?? value.length;
            setValue(value.slice(0, start) + flat + value.slice(end));
            setTouched(true);
            setDismissed(true);
            setFailure(null);
          }}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
        />
        <ul id={listId} role="listbox" aria-label={t("search.suggestions")} className="search-suggestions" hidden={!open}>
          {open
            ? options.map((module, index) => (
                <li
                  key={module}
                  id={optionId(index)}
                  role="option"
                  aria-selected={index === activeIndex}
                  // Keep focus in the input, so the list does not close before the click lands.
                  onMouseDown={(event) => event.preventDefault()}
                  onMouseMove={() => setActiveModule(module)}
                  onClick={() => pick(module)}
                >
                  <HighlightMatch text={module} match={typed} />
                </li>
              ))
            : null}
        </ul>
      </div>
      <button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? t("search.checking") : t("search.submit")}
      </button>
      <div id="module-search-status" aria-live="polite" className="search-status">
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : failure ? (
          <p className="field-error" role="alert">
            {failure}
          </p>
        ) : pending && checking ? (
          <p className="muted search-pending">{parsed?.kind === "version" ? t("search.doctorPending", { subject: checking }) : t("search.pending", { module: checking })}</p>
        ) : parsed?.kind === "module" ? (
          <p className="field-ok">{t("search.valid")}</p>
        ) : parsed?.kind === "version" ? (
          <p className="field-ok" data-testid="search-doctor">
            {parsed.mirror
              ? t("search.doctorFromError", { subject: `${parsed.module}@${parsed.version}`, mirror: parsed.mirror })
              : t("search.doctorValid", { subject: `${parsed.module}@${parsed.version}` })}
          </p>
        ) : null}
      </div>
    </form>
  );
}

function HighlightMatch({ text, match }: { text: string; match: string }) {
  // The suggestion query matches ASCII case-insensitively (SQL LIKE), so the highlight does too.
  const at = match ? text.toLowerCase().indexOf(match.toLowerCase()) : -1;
  if (at < 0) return <span className="mono">{text}</span>;
  return (
    <span className="mono">
      {text.slice(0, at)}
      <mark>{text.slice(at, at + match.length)}</mark>
      {text.slice(at + match.length)}
    </span>
  );
}

/** `value`, once it has stopped changing for `ms`: one suggestion request per pause, not per keystroke. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
