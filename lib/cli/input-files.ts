// go.mod and go.sum as the CLI reads them: paths relative to the user's directory, text only, as the API takes them.

import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { MAX_RESOLUTION_BODY_BYTES } from "@/lib/server";
import { CliError, EXIT } from "./exit-codes";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The file's text, or a usage error saying which file and why (missing, a directory, too large, binary). */
export function readTextFile(path: string, cwd: string, kind: "go.mod" | "go.sum"): string {
  const full = resolve(cwd, path);
  let bytes: Buffer;
  try {
    const size = statSync(full).size;
    // The server refuses a body above this; the same limit here keeps both modes alike.
    if (size > MAX_RESOLUTION_BODY_BYTES) throw new CliError(EXIT.usage, `${path}: ${size} bytes is larger than a ${kind} may be (${MAX_RESOLUTION_BODY_BYTES} bytes)`);
    bytes = readFileSync(full);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : String((error as Error).message);
    throw new CliError(EXIT.usage, `cannot read ${kind} ${path}: ${why}`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new CliError(EXIT.usage, `${path} is not UTF-8 text, not a ${kind}`);
  }
  if (text.includes("\u0000")) throw new CliError(EXIT.usage, `${path} is a binary file, not a ${kind}`);
  if (kind === "go.mod" && text.trim() === "") throw new CliError(EXIT.usage, `${path}: go.mod is empty`);
  return text;
}
