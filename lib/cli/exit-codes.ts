// The CLI's exit codes: what a CI step branches on, so each one means one thing (documented in --help and README).

export const EXIT = {
  /** resolve: every requirement resolves through the recommended GOPROXY; wait: every selected mirror serves M@V. */
  ok: 0,
  /** resolve: some requirement does not resolve; wait: the timeout passed first. */
  failed: 1,
  /** Bad arguments, configuration, go.mod/go.sum or module@version: nothing was asked of any mirror or server. */
  usage: 2,
  /** The server or the mirrors could not be reached (or did not answer as the API does). */
  unreachable: 3,
  /** Stopped by SIGINT/SIGTERM, as shells report it (128 + SIGINT). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure with its exit code and a one-line message for stderr (never a stack trace). */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}
