// Ctrl-C (SIGINT) and SIGTERM stop the CLI cleanly: registered clean-ups (the temporary database) run once, then
// the process exits 130. Later copies of the signal (the launcher hands on what the terminal already sent) are ignored.

import { EXIT } from "./exit-codes";

type Cleanup = () => void | Promise<void>;

const cleanups = new Set<Cleanup>();
let installed = false;
let stopping = false;

/** Clean-up to run if the process is interrupted; returns a function that unregisters it (for a normal exit). */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** How long clean-ups may take before the process exits anyway (a second Ctrl-C is ignored, not fatal). */
const CLEANUP_GRACE_MS = 5000;

export function installInterruptHandler(writeErr: (line: string) => void): void {
  if (installed) return;
  installed = true;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    writeErr(`mirrorlag: ${signal}: stopping`);
    const all = Promise.allSettled([...cleanups].map(async (c) => c()));
    const grace = new Promise((resolve) => setTimeout(resolve, CLEANUP_GRACE_MS).unref());
    void Promise.race([all, grace]).then(() => process.exit(EXIT.interrupted));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
