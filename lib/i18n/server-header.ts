/** Header set by proxy.ts from `?lang=`, so layouts (which get no searchParams) see an explicit choice. */
export const LANG_QUERY_HEADER = "x-mirrorlag-lang";
