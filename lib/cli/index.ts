// The `mirrorlag` command line (issue 8/11, "A CLI for CI"): `resolve go.mod` and `wait M@V`, in this process or
// through a running instance's API. The bin is lib/cli/mirrorlag.mjs; main.ts is what it runs.
export { runCli } from "./program";
export { EXIT, CliError } from "./exit-codes";
export type { ExitCode } from "./exit-codes";
export { parseDuration, formatDuration } from "./duration";
