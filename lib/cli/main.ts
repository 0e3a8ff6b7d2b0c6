// Entry of the `mirrorlag` bin (started by lib/cli/mirrorlag.mjs under tsx and the react-server condition).
import { fileURLToPath } from "node:url";
import { installInterruptHandler } from "./interrupt";

// db/sqlite finds its migrations relative to the working directory, when its module loads: run from the repository
// root, and read the user's files relative to where they ran mirrorlag. Hence the dynamic import below.
const userCwd = process.cwd();
process.chdir(fileURLToPath(new URL("../../", import.meta.url)));
const { runCli } = await import("./program");

const writeErr = (line: string) => process.stderr.write(`${line}\n`);
installInterruptHandler(writeErr);

const code = await runCli(process.argv, {
  cwd: userCwd,
  // Resolves once the text is handed to the OS: the process exits right after the result.
  out: (text) => new Promise<void>((resolve) => process.stdout.write(text, () => resolve())),
  err: writeErr,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
// Explicitly: keep-alive sockets and background timers of the lib must not hold the answer back.
process.exit(code);
