// The `mirrorlag` command line: commander reads the arguments (subcommands, typed options, --help), this file
// maps them onto the two commands and every outcome onto one documented exit code.

import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { DurationError, parseDuration } from "./duration";
import { CliError, EXIT } from "./exit-codes";
import type { ExitCode } from "./exit-codes";
import { parseMirrorList } from "./mirror-selection";
import type { CliIo } from "./resolve-command";

const RESOLVE_EXIT_CODES = `
Exit codes:
  0  every requirement resolves: the resolution finished, every requirement that needs a
     mirror was probed, and one GOPROXY made of the selected mirrors (printed as GOPROXY=...)
     serves all of them (local replacements and excluded versions need no mirror)
  1  some requirement does not resolve through any single GOPROXY of the selected mirrors
     (listed as unresolvable), or could not be probed
  2  usage or input error: bad arguments or configuration, unknown --mirrors name, a go.mod
     or go.sum that the go command would refuse (the message quotes the line)
  3  could not complete: the server or every selected mirror could not be reached, the
     resolution was interrupted, or an internal error

Without --server the configured mirrors (MIRRORS, REFERENCE_MIRROR, SUMDB, ... as for the
server) are probed from this process, with a temporary database deleted at exit.

Examples:
  mirrorlag resolve go.mod --sum go.sum
  mirrorlag resolve go.mod --mirrors goproxy.cn,proxy.golang.com.cn --json
  mirrorlag resolve ./service/go.mod --server https://mirrorlag.example.com`;

const WAIT_EXIT_CODES = `
Exit codes:
  0  every selected mirror serves module@version (the doctor's verdict is ok on each)
  1  --timeout passed first; the mirrors still missing it are printed
  2  usage error: bad module path or version, bad duration (e.g. --timeout 5x), unknown
     --mirrors name, bad configuration
  3  the server could not be reached (or no selected mirror ever answered)

Each round asks every selected mirror for the version's .info and .mod (the server's probe
also asks the .zip) and the checksum database; rounds repeat every --interval.

Examples:
  mirrorlag wait example.com/m@v1.2.3 --timeout 30m
  mirrorlag wait example.com/m@v1.2.3 --mirrors goproxy.cn --fetch --interval 1m`;

function durationArg(min: number) {
  return (value: string): number => {
    try {
      const ms = parseDuration(value);
      if (ms < min) throw new DurationError(`"${value}" is shorter than ${min}ms`);
      return ms;
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}

function mirrorsArg(value: string): string[] {
  try {
    return parseMirrorList(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

const mirrorsOption = () => new Option("--mirrors <names>", "only these configured mirrors, comma-separated (e.g. goproxy.cn,proxy.golang.com.cn)").argParser(mirrorsArg);
const serverOption = () => new Option("--server <url>", "ask a running mirrorlag instance (its API) instead of probing from here");
const jsonOption = () => new Option("--json", "print the result as JSON instead of a table");

type ResolveFlags = { sum?: string; mirrors?: string[]; zips?: boolean; json?: boolean; server?: string };
type WaitFlags = { timeout: number; interval: number; fetch?: boolean; mirrors?: string[]; json?: boolean; server?: string };

/** Runs one command line (argv as process.argv: node, script, args...) and answers its exit code; never exits itself. */
export async function runCli(argv: readonly string[], io: CliIo & { stdout(text: string): void; stderr(text: string): void }): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const program = new Command("mirrorlag")
    .description("Will my build resolve? Checks Go module mirrors for a whole go.mod, or waits until they serve a version.")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(add --help for usage)")
    .showSuggestionAfterError();

  program
    .command("resolve")
    .description("check every requirement of a go.mod (and its go.sum) against each mirror")
    .argument("<go.mod>", "path of the go.mod, relative to the current directory")
    .option("--sum <go.sum>", "also compare the go.sum's lines with what each mirror serves")
    .addOption(mirrorsOption())
    .option("--zips", "also download and hash each module zip (slower; checks go.sum's zip lines)")
    .addOption(jsonOption())
    .addOption(serverOption())
    .addHelpText("after", RESOLVE_EXIT_CODES)
    .action(async (gomod: string, flags: ResolveFlags) => {
      // Loaded when run: --help and usage errors need none of the service, the store or the probe.
      const { runResolve } = await import("./resolve-command");
      exitCode = await runResolve(gomod, { sum: flags.sum, mirrors: flags.mirrors, zips: flags.zips === true, json: flags.json === true, server: flags.server }, io);
    });

  program
    .command("wait")
    .description("wait until every mirror serves module@version (a release pipeline's last step)")
    .argument("<module@version>", "e.g. example.com/m@v1.2.3")
    .addOption(new Option("--timeout <duration>", "give up after this long (e.g. 30s, 5m, 1h30m)").argParser(durationArg(0)).default(30 * 60_000, "30m"))
    .addOption(new Option("--interval <duration>", "pause between rounds").argParser(durationArg(100)).default(30_000, "30s"))
    .option("--fetch", "let mirrors fetch the version from its origin on demand (default: only ask what they have)")
    .addOption(mirrorsOption())
    .addOption(jsonOption())
    .addOption(serverOption())
    .addHelpText("after", WAIT_EXIT_CODES)
    .action(async (target: string, flags: WaitFlags) => {
      const { runWait } = await import("./wait-command");
      exitCode = await runWait(target, { timeoutMs: flags.timeout, intervalMs: flags.interval, fetch: flags.fetch === true, mirrors: flags.mirrors, json: flags.json === true, server: flags.server }, io);
    });

  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    // --help and --version end "with an error" of exit code 0; every other parse error is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof CliError) {
      io.err(`mirrorlag: ${error.message}`);
      return error.exitCode;
    }
    io.err(`mirrorlag: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.unreachable;
  }
}
