import { z } from "zod";
import { canonicalModuleVersion, isValidVersion } from "@/lib/goproxy";
import { MAX_SUGGEST_TEXT_LENGTH, parseModuleQuery } from "@/lib/web";

export const MAX_JSON_BODY_BYTES = 16 * 1024;

export type InputError = { status: 400 | 413 | 415; error: string };

/** Reads a small JSON object body: wrong content type, oversize and unparsable bodies are clear 4xx errors. */
export async function readJsonObject(request: Request, example = '{"module": "github.com/user/repo"}'): Promise<{ ok: true; value: Record<string, unknown> } | ({ ok: false } & InputError)> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType.trim())) {
    return { ok: false, status: 415, error: `expected Content-Type: application/json, got ${contentType ? `"${contentType.slice(0, 100)}"` : "none"}` };
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES) return { ok: false, status: 413, error: `request body is larger than ${MAX_JSON_BODY_BYTES} bytes` };
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_JSON_BODY_BYTES) {
        await reader.cancel();
        return { ok: false, status: 413, error: `request body is larger than ${MAX_JSON_BODY_BYTES} bytes` };
      }
      chunks.push(value);
    }
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, error: "request body is not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, status: 400, error: `request body must be a JSON object like ${example}` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** A module path from the outside world: a string that passes the go command's own path check, no version. */
export const modulePathSchema = z
  .string({ error: (issue) => (issue.input === undefined ? '"module" is required' : '"module" must be a string') })
  .superRefine((value, ctx) => {
    if (value.includes("@")) {
      ctx.addIssue({ code: "custom", message: `"module" must be a module path without @version, got "${value.slice(0, 120)}"` });
      return;
    }
    const parsed = parseModuleQuery(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error });
    else if (parsed.query.module !== value) ctx.addIssue({ code: "custom", message: `module path must not have surrounding whitespace: "${value.slice(0, 120)}"` });
  });

export const checkRequestSchema = z.object({ module: modulePathSchema }).strict();

/** `GET /api/suggest?q=`: the text typed so far (empty gives no suggestions). */
export const suggestQuerySchema = z.object({
  q: z
    .string()
    .max(MAX_SUGGEST_TEXT_LENGTH, { error: `"q" must be at most ${MAX_SUGGEST_TEXT_LENGTH} characters` })
    .default(""),
});

/** The first problem zod found, as one sentence. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid input";
  if (issue.code === "unrecognized_keys") return `unexpected field(s): ${issue.keys.join(", ")}`;
  return issue.message;
}

/** Longer than any real version (a pseudo-version is ~35 characters); keeps error echoes short. */
export const MAX_VERSION_LENGTH = 128;

/**
 * `POST /api/probes`: a module path, a version ("latest" or a canonical semantic version, in the go command's words
 * when it is not) and whether the mirrors may fetch (default true, as go get).
 */
export const probeRequestSchema = z
  .object({
    module: modulePathSchema,
    version: z
      .string({ error: (issue) => (issue.input === undefined ? '"version" is required (a version such as v1.2.3, or latest)' : '"version" must be a string') })
      .max(MAX_VERSION_LENGTH, { error: `"version" must be at most ${MAX_VERSION_LENGTH} characters` }),
    fetch: z.boolean({ error: '"fetch" must be true or false' }).default(true),
  })
  .strict()
  .superRefine((value, ctx) => {
    const problem = probeVersionProblem(value.module, value.version);
    if (problem) ctx.addIssue({ code: "custom", path: ["version"], message: problem });
  });

/**
 * Why a version cannot be probed, in the go command's words, or null. Only the form is checked here: whether a
 * v2+ version fits a path without /vN is the mirrors' to say (they answer "invalid version: …", which the doctor
 * diagnoses), as the go command itself sends such a version to the proxy.
 */
export function probeVersionProblem(module: string, version: string): string | null {
  if (version === "latest") return null;
  // Control characters are shown escaped, as module-path errors show them: a message must not carry an ESC.
  const visible = version.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  const shown = visible.length > 60 ? `${visible.slice(0, 57)}…` : visible;
  if (!isValidVersion(version)) return `${module}@${shown}: invalid version: not a semantic version (ask for a version such as v1.2.3, or latest)`;
  const canonical = canonicalModuleVersion(version);
  if (canonical !== version) return `${module}@${shown}: invalid version: not a canonical version (ask for ${canonical})`;
  return null;
}

/** `GET /api/probes/<id>`: a probe id as the URL spells it. */
export function parseProbeId(raw: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}
