import { checkModulePath, isValidVersion } from "@/lib/goproxy/browser";

export type ModuleQuery = { module: string; version: string | null };
export type ModuleQueryResult = { ok: true; query: ModuleQuery } | { ok: false; error: string };

export const MAX_MODULE_PATH_LENGTH = 1000;
/** Suggestions match a substring of a known path; longer text than this cannot be a useful prefix. */
export const MAX_SUGGEST_TEXT_LENGTH = 200;
/** Shorter text matches nearly every path: the box does not ask, and the API answers no suggestions. */
export const MIN_SUGGEST_TEXT_LENGTH = 2;

/**
 * Parses what a user typed or a URL carried: `module` or `module@version`. Errors say what is wrong in the
 * go command's own words, so they match what users see in their terminal.
 */
export function parseModuleQuery(raw: string): ModuleQueryResult {
  const input = raw.trim();
  if (input === "") return { ok: false, error: "empty module path" };
  if (input.length > MAX_MODULE_PATH_LENGTH) {
    return { ok: false, error: `module path is too long (${input.length} characters; at most ${MAX_MODULE_PATH_LENGTH})` };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    return { ok: false, error: `"${truncate(input)}" is a URL, not a module path: drop the scheme, e.g. ${truncate(input.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ""))}` };
  }
  const at = input.indexOf("@");
  const modulePath = at === -1 ? input : input.slice(0, at);
  const version = at === -1 ? null : input.slice(at + 1);
  try {
    checkModulePath(modulePath);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  if (version !== null && !isValidVersion(version)) {
    return { ok: false, error: `invalid version "${truncate(version)}": expected a semantic version such as v1.2.3` };
  }
  return { ok: true, query: { module: modulePath, version } };
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
