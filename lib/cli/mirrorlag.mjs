#!/usr/bin/env node
// The `mirrorlag` bin (package.json "bin"): runs lib/cli/main.ts in a child node process with tsx preloaded and the
// `react-server` condition, which server-only modules need (`server-only` is an empty module only under it).
// argv, stdio and the exit code pass through; SIGINT/SIGTERM are handed on so the child can delete its temp files.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const preload = new URL("./register-tsx.mjs", import.meta.url).href;

try {
  // tsx is a devDependency: say so plainly instead of a loader stack trace.
  import.meta.resolve("tsx/esm/api");
} catch {
  process.stderr.write("mirrorlag: tsx is not installed; the CLI runs its TypeScript sources with it: run `npm ci` (with dev dependencies)\n");
  process.exit(2);
}

const child = spawn(process.execPath, ["--conditions=react-server", "--import", preload, main, ...process.argv.slice(2)], { stdio: "inherit" });

// A Ctrl-C in a terminal reaches the child too; the child ignores the second copy while it cleans up.
const forward = (signal) => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, forward);

child.on("error", (error) => {
  process.stderr.write(`mirrorlag: could not start node: ${error.message}\n`);
  process.exit(2);
});
child.on("exit", (code, signal) => {
  if (signal) {
    // Die of the same signal, so a shell or CI runner sees what happened to the child.
    for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) process.removeAllListeners(s);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
