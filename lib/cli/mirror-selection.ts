// --mirrors a,b: the mirrors a run is about. Without a server the CLI probes only those (a CI runner in mainland
// China need not wait out timeouts of proxy.golang.org); with --server they are the columns shown and the ones
// the exit code is decided on. Names are those of MIRRORS (or the server's); an unknown one is a usage error.

import type { Config } from "@/lib/server";
import { CliError, EXIT } from "./exit-codes";

/** "a, b,,c" → ["a", "b", "c"]; duplicates dropped, order kept. */
export function parseMirrorList(raw: string): string[] {
  const names = [...new Set(raw.split(",").map((n) => n.trim()).filter(Boolean))];
  if (names.length === 0) throw new Error("name at least one mirror, e.g. --mirrors goproxy.cn,proxy.golang.com.cn");
  return names;
}

/** The selected names in the given order of known mirrors, or a usage error naming what is unknown. */
export function checkSelection(selected: readonly string[] | undefined, known: readonly string[], where: string): string[] {
  if (!selected) return [...known];
  const unknown = selected.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new CliError(EXIT.usage, `--mirrors: unknown mirror${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")} (${where}: ${known.join(", ")})`);
  }
  return known.filter((n) => selected.includes(n));
}

/**
 * The configuration narrowed to the selected mirrors. The reference mirror (whose answers tell lag from a missing
 * tag) stays the configured one when selected, else the first selected mirror takes its place.
 */
export function narrowConfig(config: Config, selected: readonly string[] | undefined): Config {
  const names = checkSelection(
    selected,
    config.mirrors.map((m) => m.name),
    "configured in MIRRORS",
  );
  const mirrors = config.mirrors.filter((m) => names.includes(m.name));
  const referenceMirror = names.includes(config.referenceMirror) ? config.referenceMirror : (names[0] ?? config.referenceMirror);
  return { ...config, mirrors, referenceMirror };
}
