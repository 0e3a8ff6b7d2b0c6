import { z } from "zod";
import { canonicalModuleVersion, isValidVersion } from "@/lib/goproxy";
import { MAX_SUGGEST_TEXT_LENGTH, parseModuleQuery } from "@/lib/web";

export const MAX_JSON_BODY_BYTES = 16 * 1024;

export type InputError = { status: 400 | 413 | 415; error: string };

/** The whole body, refused with 413 as soon as it is known to exceed `max` bytes (announced or streamed). */
async function readCappedBody(request: Request, max: number): Promise<{ ok: true; bytes: Uint8Array } | ({ ok: false } & InputError)> {
  const tooLarge = { ok: false as const, status: 413 as const, error: `request body is larger than ${max} bytes` };
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > max) return tooLarge;
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        return tooLarge;
      }
      chunks.push(value);
    }
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/** Reads a small JSON object body: wrong content type, oversize and unparsable bodies are clear 4xx errors. */
export async function readJsonObject(request: Request, example = '{"module": "github.com/user/repo"}'): Promise<{ ok: true; value: Record<string, unknown> } | ({ ok: false } & InputError)> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType.trim())) {
    return { ok: false, status: 415, error: `expected Content-Type: application/json, got ${contentType ? `"${contentType.slice(0, 100)}"` : "none"}` };
  }
  const body = await readCappedBody(request, MAX_JSON_BODY_BYTES);
  if (!body.ok) return body;
  const text = new TextDecoder().decode(body.bytes);
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

/** A go.mod with its go.sum is at most this large (2,000 requirements and their go.sum lines fit in well under 1 MiB). */
export const MAX_RESOLUTION_BODY_BYTES = 4 * 1024 * 1024;

export type ResolutionRequest = { gomod: string; gosum: string | null; zips: boolean };

const resolutionJsonSchema = z
  .object({
    gomod: z.string({ error: (issue) => (issue.input === undefined ? '"gomod" is required: the text of a go.mod' : '"gomod" must be a string') }),
    gosum: z.string({ error: '"gosum" must be a string' }).nullable().default(null),
    zips: z.boolean({ error: '"zips" must be true or false' }).default(false),
  })
  .strict();

const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/** A text the go command could read: UTF-8 without NUL bytes (a binary file is refused, not parsed). */
function textFile(name: string, bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: string } {
  let text: string;
  try {
    text = utf8Strict.decode(bytes);
  } catch {
    return { ok: false, error: `${name} is not UTF-8 text` };
  }
  if (text.includes("\u0000")) return { ok: false, error: `${name} is a binary file, not a ${name}` };
  return { ok: true, text };
}

/**
 * `POST /api/resolutions`: JSON {"gomod", "gosum", "zips"}, or multipart/form-data with files (or fields) named
 * go.mod and go.sum and an optional zips=true, so `curl -F go.mod=@go.mod -F go.sum=@go.sum` works.
 */
export async function readResolutionRequest(request: Request): Promise<{ ok: true; value: ResolutionRequest } | ({ ok: false } & InputError)> {
  const contentType = (request.headers.get("content-type") ?? "").trim();
  const json = /^application\/json\s*(;|$)/i.test(contentType);
  const multipart = /^multipart\/form-data\s*;/i.test(contentType);
  if (!json && !multipart) {
    return { ok: false, status: 415, error: `expected Content-Type: application/json or multipart/form-data, got ${contentType ? `"${contentType.slice(0, 100)}"` : "none"}` };
  }
  const body = await readCappedBody(request, MAX_RESOLUTION_BODY_BYTES);
  if (!body.ok) return body;
  let gomodBytes: Uint8Array | null = null;
  let gosumBytes: Uint8Array | null = null;
  let zips = false;
  if (json) {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(body.bytes));
    } catch {
      return { ok: false, status: 400, error: "request body is not valid JSON" };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { ok: false, status: 400, error: 'request body must be a JSON object like {"gomod": "module example.com/m\\n\\nrequire …", "gosum": "…"}' };
    }
    const parsed = resolutionJsonSchema.safeParse(value);
    if (!parsed.success) return { ok: false, status: 400, error: firstIssue(parsed.error) };
    gomodBytes = new TextEncoder().encode(parsed.data.gomod);
    gosumBytes = parsed.data.gosum === null ? null : new TextEncoder().encode(parsed.data.gosum);
    zips = parsed.data.zips;
  } else {
    let form: FormData;
    try {
      form = await new Response(Buffer.from(body.bytes), { headers: { "content-type": contentType } }).formData();
    } catch {
      return { ok: false, status: 400, error: "request body is not valid multipart/form-data" };
    }
    const part = async (name: string): Promise<Uint8Array | null> => {
      const entry = form.get(name);
      if (entry === null) return null;
      return typeof entry === "string" ? new TextEncoder().encode(entry) : new Uint8Array(await entry.arrayBuffer());
    };
    gomodBytes = await part("go.mod");
    gosumBytes = await part("go.sum");
    const zipsField = form.get("zips");
    if (zipsField !== null && zipsField !== "true" && zipsField !== "false") return { ok: false, status: 400, error: '"zips" must be true or false' };
    zips = zipsField === "true";
    const unknown = [...new Set([...form.keys()])].filter((k) => !["go.mod", "go.sum", "zips"].includes(k));
    if (unknown.length > 0) return { ok: false, status: 400, error: `unexpected part(s): ${unknown.join(", ")} (send go.mod, and optionally go.sum and zips)` };
    // Two go.mod parts (curl -F given twice): which one was meant is a guess, so neither is taken.
    const repeated = ["go.mod", "go.sum", "zips"].find((name) => form.getAll(name).length > 1);
    if (repeated) return { ok: false, status: 400, error: `the multipart body has ${form.getAll(repeated).length} parts named "${repeated}": send one` };
    if (gomodBytes === null) return { ok: false, status: 400, error: 'the multipart body has no part named "go.mod" (curl -F go.mod=@go.mod)' };
  }
  if (gomodBytes === null) return { ok: false, status: 400, error: '"gomod" is required: the text of a go.mod' };
  const gomod = textFile("go.mod", gomodBytes);
  if (!gomod.ok) return { ok: false, status: 400, error: gomod.error };
  if (gomod.text.trim() === "") return { ok: false, status: 400, error: "go.mod is empty" };
  let gosum: string | null = null;
  if (gosumBytes !== null) {
    const sum = textFile("go.sum", gosumBytes);
    if (!sum.ok) return { ok: false, status: 400, error: sum.error };
    gosum = sum.text;
  }
  return { ok: true, value: { gomod: gomod.text, gosum, zips } };
}
