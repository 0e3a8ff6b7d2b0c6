// Where the real go command is, for the tests that check the simulator and the doctor against it. Missing go
// skips those tests with a warning on a developer's machine and fails them in CI (CI installs golang-go).
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

function findOnPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return join(dir, bin);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export const goBin = findOnPath("go");
export const inCI = Boolean(process.env.CI);

/** Warns once per test file that it is skipped; call at module level with the file's own name. */
export function warnIfNoGo(what: string): void {
  if (!goBin && !inCI) console.warn(`${what} skipped: \`go\` is not on PATH (it fails instead when CI is set)`);
}
