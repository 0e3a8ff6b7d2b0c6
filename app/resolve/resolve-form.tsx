"use client";

import { useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useT } from "@/lib/i18n";
import { formatBytes, resolvePageHref } from "@/lib/web";
import { startResolutionAction } from "./actions";

/** As POST /api/resolutions caps the whole body; a file above it cannot be sent anyway. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

type Box = "gomod" | "gosum";
type Problem = { box: Box | "form"; message: string };

/** go.sum by its name (go.sum, deps.sum…); anything else dropped is read as the go.mod. */
function boxFor(file: File): Box {
  return /\.sum$/i.test(file.name) ? "gosum" : "gomod";
}

/**
 * The go.mod (and go.sum) to check: pasted, dropped or picked (read in the browser into the boxes), with or without
 * zips. Submitting starts a resolution (server action) and opens its permalink; a refused input stays as it was,
 * with the server's words next to the box they are about. `lang` is the URL's ?lang=, kept on the permalink.
 */
export function ResolveForm({ lang }: { lang: string | null }) {
  const t = useT();
  const router = useRouter();
  const [gomod, setGomod] = useState("");
  const [gosum, setGosum] = useState("");
  const [zips, setZips] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const [pending, startTransition] = useTransition();
  const picker = useRef<HTMLInputElement>(null);

  const readFiles = async (files: FileList | File[]) => {
    const read: string[] = [];
    for (const file of Array.from(files)) {
      const box = boxFor(file);
      const name = box === "gomod" ? "go.mod" : "go.sum";
      if (file.size > MAX_FILE_BYTES) {
        read.push(t("resolve.dropTooLarge", { name: file.name, size: formatBytes(MAX_FILE_BYTES) }));
        continue;
      }
      try {
        const text = await file.text();
        (box === "gomod" ? setGomod : setGosum)(text);
        read.push(t("resolve.dropRead", { name: file.name, box: name }));
      } catch (thrown) {
        read.push(t("resolve.dropUnreadable", { name: file.name, message: thrown instanceof Error ? thrown.message : String(thrown) }));
      }
    }
    setProblem(null);
    setNotes(read);
  };

  const submit = () => {
    setNotes([]);
    if (gomod.trim() === "") {
      setProblem({ box: "gomod", message: t("resolve.emptyGomod") });
      return;
    }
    setProblem(null);
    startTransition(async () => {
      let result: Awaited<ReturnType<typeof startResolutionAction>>;
      try {
        result = await startResolutionAction({ gomod, gosum: gosum.trim() === "" ? null : gosum, zips });
      } catch (thrown) {
        setProblem({ box: "form", message: t("resolve.failed", { message: thrown instanceof Error ? thrown.message : String(thrown) }) });
        return;
      }
      if (!result.ok) {
        if (result.code === "rate_limited") setProblem({ box: "form", message: t("resolve.rateLimited", { seconds: result.retryAfterSeconds ?? 60 }) });
        else if (result.code === "busy") setProblem({ box: "form", message: t("app.busy", { seconds: result.retryAfterSeconds ?? 10 }) });
        // The resolver names the file it refuses first ("go.sum:3: …"); everything else is about the go.mod.
        else setProblem({ box: result.message.startsWith("go.sum") ? "gosum" : "gomod", message: result.message });
        return;
      }
      // Inside the transition, so the button stays busy until the resolution's page has rendered.
      startTransition(() => router.push(resolvePageHref(result.data.id, { lang })));
    });
  };

  const errorFor = (box: Box) =>
    problem?.box === box ? (
      <p className="field-error" role="alert" id={`${box}-error`} data-testid={`${box}-error`}>
        {problem.message}
      </p>
    ) : null;

  return (
    <form
      className="resolve-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      noValidate
      data-testid="resolve-form"
    >
      <div className="resolve-boxes">
        <div className="resolve-box">
          <label htmlFor="gomod-input">{t("resolve.gomodLabel")}</label>
          <textarea
            id="gomod-input"
            name="go.mod"
            value={gomod}
            onChange={(event) => {
              setGomod(event.target.value);
              if (problem?.box === "gomod") setProblem(null);
            }}
            rows={14}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            placeholder={"module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/user/repo v1.2.3\n)"}
            aria-invalid={problem?.box === "gomod" ? true : undefined}
            aria-describedby={problem?.box === "gomod" ? "gomod-error" : undefined}
            data-testid="gomod-input"
          />
          {errorFor("gomod")}
        </div>
        <div className="resolve-box">
          <label htmlFor="gosum-input">{t("resolve.gosumLabel")}</label>
          <textarea
            id="gosum-input"
            name="go.sum"
            value={gosum}
            onChange={(event) => {
              setGosum(event.target.value);
              if (problem?.box === "gosum") setProblem(null);
            }}
            rows={14}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            placeholder={"github.com/user/repo v1.2.3 h1:…\ngithub.com/user/repo v1.2.3/go.mod h1:…"}
            aria-invalid={problem?.box === "gosum" ? true : undefined}
            aria-describedby={problem?.box === "gosum" ? "gosum-error" : "gosum-help"}
            data-testid="gosum-input"
          />
          {errorFor("gosum") ?? (
            <p className="muted small resolve-box-help" id="gosum-help">
              {t("resolve.gosumHelp")}
            </p>
          )}
        </div>
      </div>

      <div
        className={dragging ? "resolve-drop dragging" : "resolve-drop"}
        data-testid="resolve-drop"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          void readFiles(event.dataTransfer.files);
        }}
      >
        <span>
          {t("resolve.drop")}{" "}
          <button type="button" className="secondary" onClick={() => picker.current?.click()}>
            {t("resolve.pick")}
          </button>
        </span>
        <input
          ref={picker}
          type="file"
          multiple
          accept=".mod,.sum,text/plain"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="resolve-files"
          onChange={(event) => {
            if (event.target.files) void readFiles(event.target.files);
            // The same file picked again after an edit is read again.
            event.target.value = "";
          }}
        />
        <span className="muted small">{t("resolve.dropHelp")}</span>
        {notes.length > 0 ? (
          <ul className="small resolve-drop-notes" aria-live="polite" data-testid="resolve-drop-notes">
            {notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        ) : null}
      </div>

      <div className="resolve-submit">
        <label className="fetch-toggle">
          <input type="checkbox" checked={zips} onChange={(event) => setZips(event.target.checked)} disabled={pending} data-testid="zips-toggle" />
          {t("resolve.zips")}
        </label>
        <button type="submit" disabled={pending} aria-busy={pending} data-testid="resolve-submit">
          {pending ? t("resolve.submitting") : t("resolve.submit")}
        </button>
      </div>
      {problem?.box === "form" ? (
        <p className="banner banner-bad" role="alert" data-testid="resolve-failed">
          {problem.message}
        </p>
      ) : null}
    </form>
  );
}
